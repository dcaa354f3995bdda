## Console: purposes, approved lists, consents (web-org-…).
web-org-fix-field = Correct the field «{ $field }»
web-org-sensitivity = { $sensitivity ->
    [public] Publicly available
    [biometric] Biometric
   *[restricted] Restricted access
}
web-org-sensitivity-title = Kind of data
web-org-purposes-title = Purposes and approved lists of data
web-org-purposes-intro = For each purpose of processing, the operator approves the list of personal data necessary and sufficient for it (Art. 25(2)(1) of the Law) and the storage term (Art. 12(2)). A consent may ask only for data on the purpose's list, and nothing may be collected beyond it (Art. 7(9)).
web-org-purposes-caption = The organization's purposes
web-org-purposes-none = The organization has not declared any purpose yet.
web-org-purpose-code = Purpose code
web-org-purpose-name = Name
web-org-approved-list = Approved list of personal data
web-org-storage-term = Storage term
web-org-declare-purpose = Declare a purpose
web-org-purpose-title = Purpose «{ $name }»
web-org-description = Description
web-org-category = Data category
web-org-category-code = Code
web-org-categories-count = { $count ->
    [one] { $count } category on the list.
   *[other] { $count } categories on the list.
}
web-org-ask-consent = Ask a subject for consent
web-org-all-purposes = All purposes
web-org-purpose-form-title = New purpose of processing
web-org-purpose-form-intro = Approve the list of personal data necessary and sufficient for this purpose (Art. 25(2)(1) of the Law). Nothing beyond it may be collected (Art. 7(9)). A declared purpose cannot be changed here.
web-org-purpose-code-hint = 2 to 64 lowercase Latin letters, digits, «_» or «.», starting with a letter, e.g. loan. Systems use it in the API.
web-org-name-kk = Name in Kazakh
web-org-name-ru = Name in Russian
web-org-name-en = Name in English (optional)
web-org-description-hint = Optional. If you give it, give it in Kazakh and Russian at least.
web-org-description-kk = Description in Kazakh
web-org-description-ru = Description in Russian
web-org-description-en = Description in English
web-org-categories-legend = Personal data on the approved list
web-org-categories-hint = Tick only what the purpose needs.
web-org-storage-term-days = Storage term, in days (Art. 12(2))
web-org-storage-term-hint = For example 1825 for five years; at most { $max }.
web-org-consents-title = Consent requests and consents
web-org-consents-caption = Consents and requests, newest first
web-org-consents-none = No consents match this choice.
web-org-shown = { $count ->
    [one] { $count } consent shown.
   *[other] { $count } consents shown.
}
web-org-consent-state = { $state ->
    [pending] Awaiting the subject's answer
    [active] In force
    [refused] Refused by the subject
    [lapsed] Not answered in time
    [withdrawn] Withdrawn
    [expired] Term ended
    [superseded] Replaced by a new version
   *[other] { $state }
}
web-org-requested-at = Requested
web-org-valid-until = Valid until
web-org-subject-destroyed = (the subject's data were destroyed)
web-org-pages = Pages
web-org-first-page = First page
web-org-next-page = Next page
web-org-all-consents = All consents
web-org-consent-title = Consent of the subject
web-org-version = Version
web-org-supersedes = replaces the earlier version
web-org-terms-as-shown = The terms as the subject sees them (Art. 8(4))
web-org-waiting-title = Waiting for the answer
web-org-waiting = The subject may answer until { $date }.
web-org-resend-hint = The subject gets a new one-time code; the previous one stops working.
web-org-resend-code = Send the code again
web-org-code-sent = A new code has been sent to the subject.
web-org-consent-event = { $event ->
    [requested] Requested by the organization
    [code_sent] Code sent
    [confirmed] Consent given
    [refused] Consent refused
    [withdrawn] Consent withdrawn
    [withdrawal_refused] Withdrawal refused on the organization's ground
    [withdrawal_ground_stated] The organization stated a ground to refuse withdrawal
    [withdrawal_ground_lifted] The organization lifted its ground
    [expired] Term ended
    [lapsed] Not answered in time
    [superseded] Replaced by a new version
   *[other] Changed
}
web-org-actor = { $actor ->
    [subject] the subject
    [representative] the legal representative
    [organization] the organization
    [administrator] an administrator
   *[service] the service
}
web-org-ground-title = Ground to refuse withdrawal (Art. 8(2))
web-org-ground-intro = A subject may not withdraw consent if that is contrary to the laws of the Republic of Kazakhstan or while an obligation is not yet executed. State the ground: a withdrawal is then refused, and the subject is shown this explanation.
web-org-ground-kind = Ground
web-org-ground-kinds = { $kind ->
    [law] Withdrawal is contrary to the laws of the Republic of Kazakhstan
   *[unexecuted_obligation] An obligation is not yet executed
}
web-org-ground-reference = The law and article, or the contract and obligation
web-org-ground-reference-hint = For example: loan agreement No. 123 of 01.03.2026, repayment of the loan.
web-org-explanation-kk = Explanation for the subject, in Kazakh
web-org-explanation-ru = Explanation for the subject, in Russian
web-org-explanation-en = Explanation for the subject, in English (optional)
web-org-ground-set = State the ground
web-org-ground-stated = The organization's ground to refuse withdrawal
web-org-ground-explanation = Explanation for the subject
web-org-ground-lift-hint = After this the subject may withdraw the consent.
web-org-ground-lift = Lift the ground
web-org-request-title = Ask a subject for consent
web-org-request-intro = The subject (by phone or email) gets a one-time code and gives or refuses consent with it. The request carries every item of Art. 8(4) of the Law. Personal data typed here are sent only in this form and never appear in an address.
web-org-choose-purpose = Show this purpose's data
web-org-no-purposes = Declare a purpose with its approved list of data first.
web-org-surname = Surname
web-org-given-name = Given name
web-org-patronymic = Patronymic (optional)
web-org-contact-hint = Where the code goes: a phone number, an email address, or both.
web-org-phone = Phone number, e.g. +77011234567
web-org-email = Email address
web-org-language = Language of the messages to the subject
web-org-data-legend = The personal data to be collected (from the approved list)
web-org-terms-legend = Term and transfers
web-org-valid-from = Start of the term (optional)
web-org-valid-from-hint = Empty: from the moment the subject gives consent.
web-org-valid-until-field = The consent is valid through
web-org-valid-until-hint = To the end of this day, in the time zone of the service.
web-org-transfer-allowed = Transfer to third parties is allowed
web-org-recipients = BINs of the third parties
web-org-recipients-hint = Required when transfer is allowed; separate them with spaces or commas.
web-org-cross-border-allowed = Cross-border transfer is allowed
web-org-countries = Countries of cross-border transfer
web-org-countries-hint = Two-letter ISO 3166-1 codes such as DE or BY; required when cross-border transfer is allowed.
web-org-public-allowed = Dissemination in publicly available sources is allowed
web-org-other-hint = Optional. If you give it, give it in Kazakh and Russian at least.
web-org-other-kk = Other information, in Kazakh
web-org-other-ru = Other information, in Russian
web-org-other-en = Other information, in English
web-org-respond-by = Answer by (optional)
web-org-respond-by-hint = Empty: 7 days; at most 90 days.
web-org-send-request = Send the request
