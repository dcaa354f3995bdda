## Console: the organization, API keys, webhooks (web-settings-…).
web-settings-role-refused = Your role does not allow this. Ask your organization's administrator.
web-settings-failed-title = Not done
web-settings-actions = Actions
web-settings-done = Done
web-settings-never = Never
web-settings-secret-once = Copy the secret now. It is shown only this once and is not stored in readable form: if it is lost, rotate or issue a new one.

web-settings-org-title = Organization
web-settings-record-title = Registration record
web-settings-org-name = Name
web-settings-org-kind = Kind
web-settings-kind = { $kind ->
    [owner] Owner of a database containing personal data
    [operator] Operator of a database containing personal data
    [third_party] Third party
   *[other] { $kind }
}
web-settings-org-registered = Registered in the service

web-settings-dpo-title = Person responsible for organizing the processing of personal data
web-settings-dpo-intro = A legal entity appoints this person (Art. 25(2)(10) of the Law). They exercise internal control over compliance, inform employees of the law and supervise how subjects' requests are received and handled (Art. 25(3)); their contacts are given to the authorized body when a breach is reported.
web-settings-dpo-name = Full name
web-settings-dpo-phone = Phone
web-settings-dpo-email = Email
web-settings-dpo-change-title = Appoint another person or change the contacts
web-settings-dpo-contact-hint = A phone (as +77011234567), an email, or both: at least one.
web-settings-dpo-save = Save
web-settings-dpo-read-only = Only the organization's administrator can change this.
web-settings-dpo-contact-required = Give a phone or an email of the responsible person.
web-settings-invalid-dpo-name = Enter the person's name (up to 200 characters).

web-settings-policy-title = Policy on the collection, processing and protection of personal data
web-settings-policy-intro = The documents that set out the operator's policy on the collection, processing and protection of personal data (Art. 25(2)(1-1) of the Law). Each adoption is a new version; earlier versions are kept.
web-settings-policy-none = No policy document is recorded yet.
web-settings-policy-caption = Versions of the policy document, newest first
web-settings-policy-version = Version
web-settings-policy-current = current
web-settings-policy-doc-title = Title
web-settings-policy-adopted-on = Adopted on
web-settings-policy-document = Document
web-settings-policy-open = Published document
web-settings-policy-text = Text
web-settings-policy-sha256 = SHA-256
web-settings-policy-recorded = Recorded
web-settings-policy-adopt-title = Adopt a new version
web-settings-policy-url = Address where it is published (https)
web-settings-policy-url-hint = Optional if you give the text. Only https:// addresses.
web-settings-policy-text-hint = Optional if you give the address; at most { $max } KiB. The SHA-256 is computed from it.
web-settings-policy-sha256-hint = SHA-256 of the published file (64 hexadecimal digits). Required when you give only the address.
web-settings-policy-adopt = Adopt this version
web-settings-policy-read-only = Only the organization's administrator or the person responsible for organizing the processing can adopt a new version.
web-settings-invalid-title = Enter the title (up to 300 characters).
web-settings-invalid-adopted-on = Enter the date of adoption: not in the future and not before 21/05/2013, when the Law was adopted.
web-settings-invalid-policy-url = The address must begin with https:// and name a site.
web-settings-invalid-text = Give the text or the address. The text may be at most { $max } KiB.
web-settings-invalid-sha256 = The SHA-256 must be 64 hexadecimal digits and, with a text, match it. Without a text it is required.
web-settings-adopted-before-previous = A new version cannot be adopted before the current one ({ $date }).

web-settings-keys-title = API keys
web-settings-keys-intro = Keys let your organization's systems call the Qorgau API. Each key has scopes; the secret is shown once, when the key is issued or rotated.
web-settings-keys-caption = The organization's API keys
web-settings-keys-none = The organization has no API keys yet.
web-settings-key-label = Label
web-settings-key-scopes = Scopes
web-settings-key-created = Issued
web-settings-key-last-used = Last used
web-settings-key-active = In use
web-settings-key-revoked = Revoked
web-settings-key-ended = Ended after rotation
web-settings-key-ends = Works until { $time }
web-settings-key-rotate = Rotate
web-settings-key-revoke = Revoke
web-settings-key-issue-title = Issue a key
web-settings-key-issue = Issue the key
web-settings-key-scopes-required = Choose at least one scope.
web-settings-invalid-label = Enter a label (up to 200 characters).
web-settings-key-issued-title = Key issued
web-settings-key-rotated-title = Key rotated
web-settings-key-secret = The key
web-settings-key-usage = Send it in every call as: Authorization: Bearer followed by the key.
web-settings-scope = { $scope ->
    [catalogue-write] Purposes and lists (catalogue:write)
    [consents-read] Read consents (consents:read)
    [consents-write] Request consents (consents:write)
    [decisions] Access decisions (decisions)
    [ledger-read] Ledger (ledger:read)
    [events] Events and webhooks (events)
    [requests] Subjects' requests (requests)
   *[other] { $scope }
}
web-settings-rotate-title = Rotate the key
web-settings-rotate-confirm = Issue a new key in place of «{ $label }», with the same scopes?
web-settings-rotate-grace = The old key keeps working
web-settings-grace = { $seconds ->
    [0] not at all: it stops now
    [3600] for 1 hour
    [86400] for 1 day
    [604800] for 7 days
   *[other] for { $seconds } seconds
}
web-settings-revoke-title = Revoke the key
web-settings-revoke-confirm = Revoke the key «{ $label }»?
web-settings-revoke-effect = It stops working at once; systems that use it will be refused. This cannot be undone.
web-settings-revoke-yes = Yes, revoke

web-settings-webhooks-title = Webhooks
web-settings-webhooks-intro = Qorgau tells your systems of consents and requests by signed HTTP calls (Standard Webhooks). The signing secret is shown once, when the endpoint is registered.
web-settings-webhooks-caption = The organization's webhook endpoints
web-settings-webhooks-none = No endpoints are registered.
web-settings-webhook-url = Address
web-settings-webhook-url-hint = The address events are sent to (https:// recommended).
web-settings-webhook-events = Events
web-settings-events-all = All events
web-settings-event = { $event ->
    [consent-confirmed] Consent given
    [consent-refused] Consent refused
    [consent-withdrawn] Consent withdrawn
    [consent-expired] Consent's term ended
    [consent-superseded] Consent replaced by a new version
    [request-filed] Request received
    [request-overdue] Request overdue
   *[other] { $event }
}
web-settings-webhook-created = Registered
web-settings-webhook-live = Active
web-settings-webhook-disabled = Disabled
web-settings-webhook-register-title = Register an endpoint
web-settings-webhook-register = Register
web-settings-webhook-events-required = Choose at least one event.
web-settings-invalid-webhook-url = Enter an http:// or https:// address with a host and no spaces.
web-settings-webhook-too-many = The organization already has the most endpoints allowed. Disable one first.
web-settings-webhook-registered-title = Endpoint registered
web-settings-webhook-secret = Signing secret
web-settings-webhook-secret-usage = Check the webhook-signature header of each call with this secret (HMAC-SHA256 of webhook-id, webhook-timestamp and the body).
web-settings-webhook-title = Webhook endpoint
web-settings-webhook-disable = Disable
web-settings-deliveries-title = Recent deliveries
web-settings-deliveries-caption = The latest deliveries to this endpoint, newest first
web-settings-deliveries-none = Nothing has been sent here yet.
web-settings-delivery-event = Event
web-settings-delivery-created = Queued
web-settings-delivery-attempts = Attempts
web-settings-delivery-last-error = Last error
web-settings-delivery-status = { $status ->
    [queued] Waiting to be sent
    [delivered] Delivered
    [failed] Failed
   *[other] { $status }
}
web-settings-disable-title = Disable the endpoint
web-settings-disable-confirm = Stop sending events to this address?
web-settings-disable-effect = What is still waiting to be sent there is marked failed. This cannot be undone; register the address again to resume.
web-settings-disable-yes = Yes, disable
