## The inspector's view (web-inspect-…).
web-inspect-orgs-title = Organizations
web-inspect-orgs-intro = Every registered owner, operator and third party, with what the authorized body looks at: subjects' requests open and overdue, requests answered late, and consents in force. You see kinds, states and deadlines only, never a subject's identity or what anyone wrote. Nothing you do here changes anyone's data.
web-inspect-orgs-caption = Organizations and their requests
web-inspect-orgs-none = No organization is registered.
web-inspect-name = Name
web-inspect-kind = Kind
web-inspect-org-kind = { $kind ->
    [owner] Owner
    [operator] Operator
    [third_party] Third party
   *[other] { $kind }
}
web-inspect-dpo = Person responsible
web-inspect-dpo-full = Person responsible for organizing the processing of personal data
web-inspect-open = Open requests
web-inspect-overdue = Overdue requests
web-inspect-late = Answered late
web-inspect-consents = Consents in force
web-inspect-registered = Registered
web-inspect-requests-title = Subjects' requests
web-inspect-requests-intro = Kind, state and deadline of each request; who filed it and what it says are not shown.
web-inspect-requests-caption = Requests of this organization, soonest due first
web-inspect-requests-none = No requests for this choice.
web-inspect-request-kind = Kind of request
web-inspect-kind-of = { $kind ->
    [information] Information about the processing
    [change] Change of data
    [supplement] Supplement of data
    [block] Blocking
    [unblock] Unblocking
    [destroy] Destruction
    [remove_from_public_sources] Removal from publicly available sources
   *[other] { $kind }
}
web-inspect-days-late = Working days late
web-inspect-more = Next page
web-inspect-evidence-title = Evidence
web-inspect-export-for = Export an evidence bundle of this organization's ledger entries
web-inspect-overdue-title = Overdue requests
web-inspect-overdue-intro = Open requests past their legal deadline, in every organization, the longest overdue first. Deadlines are counted in working days by the business-day calendar; days off do not count as late.
web-inspect-overdue-count = { $count ->
    [0] No request is overdue.
    [one] One request is overdue.
   *[other] { $count } requests are overdue.
}
web-inspect-overdue-caption = Overdue requests, longest overdue first
web-inspect-overdue-none = Nothing to show.
web-inspect-ledger-title = Ledger and evidence
web-inspect-checkpoints = Signed checkpoints
web-inspect-checkpoints-intro = Every few seconds, when entries were added, the service signs the state of its ledger: the number of entries and the root of its Merkle tree. Each checkpoint extends the one before; an evidence bundle proves its entries against the latest.
web-inspect-checkpoints-total = { $count ->
    [one] The ledger has one checkpoint.
   *[other] The ledger has { $count } checkpoints.
}
web-inspect-checkpoints-caption = The latest checkpoints, newest first
web-inspect-checkpoints-none = No checkpoint yet. The first is signed within seconds of the first entries.
web-inspect-size = Entries
web-inspect-issued = Signed at
web-inspect-root = Root of the tree
web-inspect-key-title = The key that verifies checkpoints
web-inspect-key-intro = The service publishes it at /v1/keys (the field checkpoint_key). Obtain it independently of any bundle, for instance from the authorized body's own records, and compare.
web-inspect-export-title = Export evidence
web-inspect-export-intro = A bundle holds the selected ledger entries, each with the proof that it is in the ledger, every checkpoint up to the latest with the proofs that each extends the one before, and the key. It has no names and no IINs: subjects appear only as keyed hashes. Each export is recorded in the ledger with your account and the selection.
web-inspect-export-org = Organization
web-inspect-all-orgs = All organizations
web-inspect-range = Ledger indexes
web-inspect-from-index = From index (included; empty: the first)
web-inspect-to-index = To index (not included; empty: the latest checkpoint)
web-inspect-period = Or a period
web-inspect-from-date = From date
web-inspect-to-date = To date (included)
web-inspect-range-hint = For each end give an index or a date, not both. Dates are days in the service's time zone.
web-inspect-export = Download the bundle
web-inspect-offline-title = How to verify it offline
web-inspect-offline-save = Save the file, for instance as evidence.json.
web-inspect-offline-run = On any computer with the qorgau program (no database and no network needed), run:
web-inspect-offline-ok = «bundle OK» means: every entry is in the ledger the checkpoints describe, and every checkpoint is signed with this key and extends the one before. A change to any entry, proof or checkpoint makes the check fail.
web-inspect-verify-title = Verify the whole ledger now
web-inspect-verify-intro = Recompute the tree from every stored entry and check every node, every checkpoint's signature and the consistency between checkpoints. This only reads; on a large ledger it takes a while.
web-inspect-verify-now = Verify now
web-inspect-verify-passed = The ledger holds: every entry matches its leaf, every node matches the entries, every checkpoint is signed and extends the one before.
web-inspect-verify-failed = Verification FAILED. What did not hold (as the service reports it, in English):
web-inspect-entries-count = { $count ->
    [one] One entry checked.
   *[other] { $count } entries checked.
}
web-inspect-checkpoints-checked = { $count ->
    [one] One checkpoint checked.
   *[other] { $count } checkpoints checked.
}
web-inspect-verify-uncovered = { $count ->
    [one] The last entry is not under a checkpoint yet; the next one covers it.
   *[other] The last { $count } entries are not under a checkpoint yet; the next one covers them.
}
web-inspect-error-index = An index is a whole number, 0 or more.
web-inspect-error-date = Write a date as YYYY-MM-DD.
web-inspect-error-both = For each end give an index or a date, not both.
web-inspect-error-order = The start of the selection comes after its end.
web-inspect-error-org = There is no such organization.
web-inspect-error-no-checkpoint = The ledger has no checkpoint yet. Try again in a few seconds.
web-inspect-error-too-large = The selection spans more than { $max } ledger positions. Narrow it, or export it on the server with «qorgau ledger export».
