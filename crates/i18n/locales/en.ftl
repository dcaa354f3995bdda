## Problems (application/problem+json). The `code` beside each text is stable.
problem-malformed_json = The request body is not valid JSON of the expected shape.
problem-unsupported_media_type = Send the request body as application/json.
problem-method_not_allowed = This method is not allowed on this resource.
problem-payload_too_large = The request body is too large.
problem-validation_failed = A value is missing, too long or not allowed here.
problem-invalid_iin = The IIN is not valid: it must be 12 digits with a correct check digit and birth date.
problem-invalid_bin = The BIN is not valid: it must be 12 digits with a correct check digit.
problem-invalid_country = The country code is not an ISO 3166-1 alpha-2 code.
problem-invalid_category_code = A data category code must be 2–64 lower-case letters, digits, '_' or '.'.
problem-invalid_purpose_code = A purpose code must be 2–64 lower-case letters, digits, '_' or '.'.
problem-unknown_category = The data category { $category } is not in the catalogue.
problem-unknown_purpose = The organization has not declared the purpose { $purpose }.
problem-category_not_approved = The data category { $category } is not on the approved list of this purpose (Art. 7(9), 25(2)(1) of the Law).
problem-dates_out_of_order = The dates are out of order: the end must come after the start.
problem-term_in_past = The term of the consent has already ended.
problem-invalid_contact = The contact is not valid: a phone number in the form +77011234567, or an email address.
problem-invalid_cursor = The page cursor is not valid.
problem-unauthenticated = Sign in, or send a valid API key.
problem-forbidden = You are not allowed to do this.
problem-insufficient_scope = The API key does not have the scope { $scope }.
problem-not_found = Not found.
problem-organization_exists = An organization with this BIN is already registered.
problem-category_exists = A data category with this code already exists.
problem-purpose_exists = The organization already has a purpose with this code.
problem-not_an_operator = Only an owner or an operator may collect personal data and ask for consent.
problem-consent_not_pending = The consent request has already been answered.
problem-consent_request_lapsed = The time to answer this consent request has passed.
problem-consent_not_active = The consent is not in force.
problem-supersedes_mismatch = Only an active consent of the same operator, subject and purpose can be replaced by a new version.
problem-code_invalid = The code is wrong.{ $attempts_left ->
    [none] {""}
   *[other] { " " }Attempts left: { $attempts_left }.
}
problem-code_expired = The code has expired. Ask for a new one.
problem-code_attempts_exhausted = Too many wrong codes. Ask for a new one.
problem-code_resend_limit = No more codes can be sent for this request.
problem-no_contact = There is no phone number or email address to send the code to.
problem-representative_authority_expired = The representative's authority has ended.
problem-unavailable = The service is temporarily unavailable. Try again shortly.
problem-internal = Something went wrong on our side. Nothing was changed; try again.

## Messages to people.
message-consent_code = Qorgau: { $organization } asks for your consent to process personal data ({ $purpose }). Code: { $code }. It is valid for { $minutes } minutes. Do not share it with anyone.
message-signin_code = Qorgau: your sign-in code is { $code }. It is valid for { $minutes } minutes. Do not share it with anyone.
