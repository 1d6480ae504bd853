-- One row per closed case: its history as the lead-time figures read it (a CaseHistory as JSON).
-- Written when a report first reads the closed case, or when the case is imported, so that a
-- report over many closed cases reads one column instead of rebuilding each case from its state
-- and tasks. `row_version` is the case's when the row was written: a case changed since then is
-- read afresh and its row rewritten.
CREATE TABLE case_summaries (
    case_id         BIGINT      PRIMARY KEY REFERENCES cases (id),
    row_version     BIGINT      NOT NULL,
    process_key     TEXT        NOT NULL,
    process_version INTEGER     NOT NULL,
    started         TIMESTAMPTZ NOT NULL,
    ended           TIMESTAMPTZ NOT NULL,
    doc             TEXT        NOT NULL
);
CREATE INDEX case_summaries_by_process ON case_summaries (process_key, process_version);
