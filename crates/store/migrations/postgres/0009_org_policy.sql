-- The organization's obligations under Art. 25 of Law 94-V (issue 8): the documents
-- that set out its policy on the collection, processing and protection of personal
-- data (Art. 25(2)(1-1)). Each adoption is a new version; old versions are kept. The
-- person responsible for organizing the processing (Art. 25(2)(10), 25(3)) stays in
-- `organizations.dpo`; a change of that person is a ledger entry.

CREATE TABLE organization_policies (
    id              TEXT PRIMARY KEY,
    organization_id TEXT NOT NULL REFERENCES organizations(id),
    version         BIGINT NOT NULL,
    title           TEXT NOT NULL,
    -- The day the organization adopted it (YYYY-MM-DD).
    adopted_on      TEXT NOT NULL,
    -- Where it is published (https) and/or its text; at least one.
    url             TEXT,
    body            TEXT,
    -- SHA-256 of the text (or of the published file), lowercase hex.
    sha256          TEXT NOT NULL,
    recorded_at     BIGINT NOT NULL,
    UNIQUE (organization_id, version)
);
