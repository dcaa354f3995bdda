## The web portal and console (web-…).
web-product = Qorgau
web-skip-to-content = Skip to content
web-nav-label = Main menu
web-nav-home = Home
web-nav-consents = My consents
web-nav-history = Who did what with my data
web-nav-requests = My requests
web-nav-inbox = Notifications
web-nav-queue = Requests
web-nav-purposes = Purposes and lists
web-nav-org-consents = Consents
web-nav-organization = Organization
web-nav-keys = API keys
web-nav-webhooks = Webhooks
web-nav-organizations = Organizations
web-nav-overdue = Overdue requests
web-nav-ledger = Ledger and evidence
web-language = Language
web-sign-out = Sign out
web-footer = Qorgau — control of access to personal data under Law No. 94-V «On Personal Data and their Protection».
web-datetime = { $day }/{ $month }/{ $year }, { $hour }:{ $minute }
web-date = { $day }/{ $month }/{ $year }
web-yes = Yes
web-no = No
web-all = All
web-apply = Apply
web-save = Save
web-back = Back
web-cancel = Cancel
web-continue = Continue
web-service = Qorgau
web-iin = IIN
web-bin = BIN
web-state = State
web-organization = Organization
web-action = Action
web-subject = Subject of personal data
web-forbidden-title = Not allowed
web-forbidden-text = This form is out of date or did not come from this site. Open the page again and repeat.
web-not-found-title = Not found
web-not-found-text = There is nothing here that you may see.
web-failure-title = The service is unavailable
web-failure-text = Something went wrong on our side. Nothing was changed. Try again in a minute.
web-sign-in-title = Sign in
web-sign-in-intro = Enter your IIN. We send a one-time code to the phone or email you confirmed with an organization.
web-send-code = Send the code
web-code-sent = If this IIN is known to the service, a 6-digit code is on its way. It is valid for 5 minutes.
web-code = Code
web-sign-in = Sign in
web-start-again = Start again
web-totp-intro = Enter the code from your authenticator app, or one of your recovery codes.
web-totp-code = Code
web-home-title = My personal data
web-pending-title = Requests for your consent
web-pending-none = No organization is waiting for your consent.
web-summary-title = At a glance
web-active-count = { $count ->
    [one] One consent is in force.
   *[other] { $count } consents are in force.
}
web-consents-title = My consents
web-consents-none = No consents to show.
web-filter-state = State
web-consent-state = { $state ->
    [pending] Waiting for your answer
    [active] In force
    [refused] Refused
    [lapsed] Not answered in time
    [withdrawn] Withdrawn
    [expired] Term ended
    [superseded] Replaced by a newer version
   *[other] { $state }
}
web-valid-until = Valid until { $date }
web-consent-title = Consent to the processing of personal data
web-term-operator = Who asks (owner or operator)
web-term-purpose = Purpose of processing
web-term-period = Term of the consent
web-term-from-until = from { $from } until { $until }
web-from-confirmation = the moment you give it
web-term-data = Personal data to be collected
web-term-transfer = Transfer to third parties
web-term-cross-border = Cross-border transfer
web-term-public = Dissemination in publicly available sources
web-term-storage = Storage term for this purpose
web-term-other = Other information
web-term-representative = Legal representative
web-days = { $count ->
    [one] { $count } day
   *[other] { $count } days
}
web-withdrawal-refused-title = Your withdrawal was refused
web-withdrawal-ground = The organization relies on: { $reference }
web-answer-title = Your answer
web-answer-by = Answer by { $date }.
web-consent-code = The code from the message about this request
web-confirm = Give consent
web-refuse = Refuse
web-download-receipt = Download the signed receipt
web-withdraw = Withdraw consent
web-consent-history = What happened to this consent
web-consent-event = { $event ->
    [requested] Requested by the organization
    [code_sent] Code sent
    [confirmed] Consent given
    [refused] Consent refused
    [withdrawn] Consent withdrawn
    [withdrawal_refused] Withdrawal refused by the organization
    [withdrawal_ground_stated] The organization stated a ground to refuse withdrawal
    [expired] Term ended
    [lapsed] Not answered in time
    [superseded] Replaced by a newer version
   *[other] Changed
}
web-withdraw-title = Withdraw consent
web-withdraw-confirm = Withdraw your consent to { $organization } for «{ $purpose }»?
web-withdraw-effect = From that moment the organization may no longer process your data on this consent, unless the law allows it on another ground.
web-withdraw-yes = Yes, withdraw
web-history-title = Who did what with my data
web-history-intro = Every action on your personal data recorded in the service, newest first. Each entry has a proof that it is in the tamper-evident ledger.
web-history-none = Nothing recorded for this choice.
web-period-from = From
web-period-to = To
web-proof = proof #{ $index }
web-entry-processing = { $action } your personal data
web-entry-decision = asked to access your data ({ $action }): { $outcome ->
    [allow] allowed
   *[deny] refused
}
web-entry-kind = { $kind ->
    [consent-requested] asked for your consent
    [consent-code_sent] sent you a consent code
    [consent-confirmed] you gave consent
    [consent-refused] you refused consent
    [consent-withdrawn] you withdrew consent
    [consent-withdrawal_refused] refused your withdrawal of consent
    [consent-withdrawal_ground_stated] stated a ground to refuse withdrawal
    [consent-expired] a consent's term ended
    [consent-lapsed] a consent request was not answered in time
    [consent-superseded] a consent was replaced by a newer version
    [request-filed] your request was received
    [request-assigned] your request was assigned
    [request-completed] your request was answered
    [request-refused] your request was refused
    [request-overdue] your request is overdue
    [notification-sent] you were notified
    [signin-failed] a sign-in failed
    [signin-locked] sign-in was locked for a while
    [session-started] you signed in
    [session-ended] you signed out
   *[other] a record about you
}
web-requests-title = My requests
web-requests-none = You have not filed any requests.
web-file-request = File a request
web-request-intro = Ask an organization about the processing of your data, or demand that it change, supplement, block, unblock or destroy them. The answer is due within the legal term in working days.
web-organization-bin = The organization's BIN
web-request-kind = What you ask for
web-request-text = Your words (required for a change or a supplement)
web-file = File the request
web-request-title = Request
web-request-state = { $state ->
    [open] Open
    [completed] Answered
    [refused] Refused
   *[other] { $state }
}
web-overdue = Overdue
web-answered-late = Answered late
web-due = Due by { $date }
web-due-by = Due by
web-received = Received
web-working-days = { $count ->
    [one] { $count } working day
   *[other] { $count } working days
}
web-answer = The organization's answer
web-refusal-reason = Reason for refusal
web-destroyed-instead = The data could not be changed and were destroyed instead.
web-information-summary = Consents known to the service: { $consents }; recorded actions on your data: { $processing }.
web-data-blocked = Your personal data are blocked at this organization.
web-preferences-title = How you are notified
web-channels = Channels besides the inbox here
web-channel = { $channel ->
    [sms] SMS
   *[email] Email
}
web-digest = One message a day with everything (codes always come at once)
web-inbox-title = Your notifications
web-inbox-none = No notifications yet.
web-delivery = { $status ->
    [queued] waiting to be sent
    [sent] sent
    [delivered] delivered
    [failed] could not be delivered
    [inbox] kept here only
    [held] held for the daily message
    [digested] sent in the daily message
   *[other] { $status }
}
web-console-sign-in-title = Organization console
web-console-intro = Staff sign in with their password and then the authenticator code, always.
web-email = Email
web-password = Password
web-enroll-title = Set up your authenticator
web-enroll-intro = Before the first sign-in is finished, add Qorgau to an authenticator app (TOTP).
web-enroll-secret = Type in this key, or open the link below on the phone with the app:
web-enroll-confirm = Confirm
web-recovery-title = Recovery codes
web-recovery-intro = Keep these codes somewhere safe. Each works once, if you lose the authenticator. They are shown only now.
web-queue-title = Subjects' requests
web-queue-caption = Requests, soonest due first
web-queue-empty = No requests for this choice.
web-only-overdue = Only overdue
web-complete-title = Answer the request
web-answer-text = The answer, or what was done
web-destroyed-instead-option = The data could not be changed and were destroyed instead
web-complete = Send the answer
web-refuse-title = Refuse the request
web-refuse-request = Refuse with this reason
web-acting-for = You are acting for { $name } as their legal representative (basis: { $basis }; until { $until }). What you do here is recorded as done by you on their behalf.
web-act-for-myself = Back to my own account
web-acting-lapsed = Your authority to act for that person has ended. You see your own account.
web-represented-title = People I represent
web-represented-intro = As a legal representative you may act for these people within the authority recorded when you gave consent on their behalf.
web-represented-none = You do not represent anyone.
web-authority = Basis: { $basis }; until { $until }
web-act-for = Act for { $name }
web-not-represented = You have no authority in force to act for this person.
web-preferences-own-only = How notifications are delivered is chosen by the person themselves; a representative cannot change it.
web-authority-basis = { $basis ->
    [parent] parent
    [guardian] guardian
    [trustee] trustee
    [power_of_attorney] power of attorney
   *[other] { $basis }
}
