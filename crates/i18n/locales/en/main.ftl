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
problem-unknown_holder = No owner or operator with this BIN is registered.
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
problem-not_yet_checkpointed = The entry is not under a signed checkpoint yet. Ask again in a few seconds.
problem-unavailable = The service is temporarily unavailable. Try again shortly.
problem-internal = Something went wrong on our side. Nothing was changed; try again.
problem-request_not_open = The request has already been answered.
problem-documents_required = A request to change or supplement personal data needs at least one supporting document.
problem-reason_required = A refusal must state its reason.
problem-weak_password = The password must be { $min } to { $max } characters long and must not be a common one, a repeated character or contain your login.
problem-credentials_invalid = The login, password or code is not right.
problem-mfa_required = Confirm the sign-in with your second factor (authenticator code or recovery code).
problem-mfa_not_enrolled = Set up the authenticator app first.
problem-too_many_attempts = Too many attempts. Try again in { $retry_after } seconds.
problem-csrf_failed = The request did not carry this session's anti-forgery token.
problem-account_exists = An account with this login already exists.
problem-account_disabled = This account is disabled.

## Messages to people.
message-consent_code = Qorgau: { $organization } asks for your consent to process personal data ({ $purpose }). Code: { $code }. It is valid for { $minutes } minutes. Do not share it with anyone.
message-signin_code = Qorgau: your sign-in code is { $code }. It is valid for { $minutes } minutes. Do not share it with anyone.
message-request_received = Qorgau: { $organization } received your request ({ $kind }). The answer is due by { $due } inclusive.
message-request_completed = Qorgau: { $organization } answered your request ({ $kind }). See the answer in Qorgau.
message-request_refused = Qorgau: { $organization } refused your request ({ $kind }) and stated its reason. See it in Qorgau.
message-request_overdue = Qorgau: { $organization } has not answered your request ({ $kind }) by { $due }. The deadline has passed; the organization's person responsible has been told.
message-request_overdue_dpo = Qorgau: a subject's request ({ $kind }, { $reference }) to { $organization } is overdue; it was due by { $due }. Answer it now.
message-consent_given = Qorgau: you gave { $organization } your consent to process your personal data ({ $purpose }).
message-consent_refused = Qorgau: you refused { $organization } your consent ({ $purpose }).
message-consent_withdrawn = Qorgau: your consent to { $organization } ({ $purpose }) is withdrawn; processing on it must stop.
message-withdrawal_refused = Qorgau: { $organization } refused your withdrawal of consent ({ $purpose }). Ground: { $reference }. { $reason }
message-consent_expired = Qorgau: the term of your consent to { $organization } ({ $purpose }) has ended.
message-digest = Qorgau: your notifications of the day ({ $count }):
    { $items }
message-data_processed = Qorgau: { $organization } { data-action-done } your personal data ({ $categories }) for the purpose “{ $purpose }”{ $recipient ->
    [none] .
   *[other] , recipient: { $recipient }.
}
data-action-done = { $action ->
    [collect] collected
    [view] viewed
    [change] changed
    [supplement] supplemented
    [use] used
    [transfer] transferred
    [disseminate] disseminated in public sources
    [depersonalize] depersonalized
    [block] blocked
    [destroy] destroyed
   *[other] processed
}
request-kind = { $kind ->
    [information] information about the processing of your data
    [change] change of your data
    [supplement] supplement of your data
    [block] blocking of your data
    [unblock] unblocking of your data
    [destroy] destruction of your data
   *[remove_from_public_sources] removal of your data from public sources
 }

## Reasons of access decisions. The code beside each text is stable.
reason-ART8_CONSENT_IN_FORCE = The subject's consent for this purpose is in force and covers this access.
reason-ART9_GROUND_APPLIES = Allowed without consent on a ground of Article 9 for which the organization is registered.
reason-ART16_2_ADEQUATE_COUNTRY = The recipient country ensures the protection of personal data.
reason-ART16_3_1_CROSS_BORDER_CONSENT = The subject consented to cross-border transfer to this country.
reason-ART16_3_CROSS_BORDER_GROUND = Cross-border transfer rests on a ground of Article 16(3).
reason-ART18_PROTECTIVE_ACTION = Blocking and destruction of personal data need no consent.
reason-ART7_1_NO_ACTIVE_CONSENT = There is no consent in force from the subject for this purpose.
reason-ART7_8_PURPOSE_NOT_CONSENTED = The subject consented to other purposes, not to this one.
reason-ART8_CONSENT_WITHDRAWN = The subject has withdrawn the consent.
reason-ART8_4_CONSENT_EXPIRED = The term of the consent has ended.
reason-ART8_4_CONSENT_NOT_YET_VALID = The term of the consent has not begun yet.
reason-ART8_CONSENT_SUPERSEDED = This version of the consent has been replaced by a newer one.
reason-ART7_9_CATEGORY_NOT_CONSENTED = The consent does not cover all the requested personal data.
reason-ART25_2_1_CATEGORY_NOT_APPROVED = The requested personal data are not on the approved list for this purpose.
reason-ART15_TRANSFER_NOT_CONSENTED = The consent does not allow transfer to third parties.
reason-ART15_RECIPIENT_NOT_NAMED = The consent does not name this recipient.
reason-ART7_3_DISSEMINATION_NOT_CONSENTED = The consent does not allow dissemination in publicly accessible sources.
reason-ART16_3_NO_CROSS_BORDER_CONSENT = The recipient country does not ensure protection, and there is neither consent to cross-border transfer there nor a ground of Article 16(3).
reason-ART1_3_DATA_BLOCKED = The subject's personal data are blocked: all processing is stopped.
reason-ART12_2_STORAGE_TERM_ELAPSED = The storage term for this purpose has elapsed; the data must be destroyed.
reason-ART9_GROUND_NOT_REGISTERED = The organization is not registered for this ground of Article 9.

## Days off of the calendar.
holiday-new-year = New Year
holiday-orthodox-christmas = Orthodox Christmas
holiday-womens-day = International Women's Day
holiday-nauryz = Nauryz meirami
holiday-unity-day = Day of Unity of the People of Kazakhstan
holiday-defender-day = Defender of the Fatherland Day
holiday-victory-day = Victory Day
holiday-capital-day = Capital Day
holiday-constitution-day = Constitution Day
holiday-republic-day = Republic Day
holiday-independence-day = Independence Day
holiday-kurban-ait = Kurban Ait, first day

