-- Closed cases' histories are kept in a compact binary form (see analytics/compact.rs) instead
-- of JSON: a report over many closed cases reads a third of the bytes and decodes them without
-- a parser. The table is a cache of what the cases' rows hold, so it starts empty again and the
-- next report fills it.
DROP TABLE case_summaries;
CREATE TABLE case_summaries (
    case_id         BIGINT      PRIMARY KEY REFERENCES cases (id),
    process_key     TEXT        NOT NULL,
    process_version INTEGER     NOT NULL,
    started         TIMESTAMPTZ NOT NULL,
    ended           TIMESTAMPTZ NOT NULL,
    doc             BYTEA       NOT NULL
);
-- With the times, counting the summaries a filter selects reads only this index.
CREATE INDEX case_summaries_by_process ON case_summaries (process_key, process_version, started, ended);

-- The numbers of the names (processes, statuses, steps, teams, workers, results) the summaries
-- hold: a name is stored once here and costs a summary a byte or two. Names are only ever added,
-- so a summary can always be read with the names as they are now.
CREATE TABLE summary_names (
    id   BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    name TEXT   NOT NULL UNIQUE
);

-- A summary exists only while its case is as it was when the summary was written: every write
-- of a case moves its row version on, and this removes the summary in the same transaction. So
-- a report reads the summaries without comparing versions with the cases' rows.
CREATE FUNCTION case_summaries_stale() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    DELETE FROM case_summaries WHERE case_id = NEW.id;
    RETURN NULL;
END;
$$;
CREATE TRIGGER case_summaries_stale AFTER UPDATE OF row_version ON cases
FOR EACH ROW EXECUTE FUNCTION case_summaries_stale();

-- Reports look for the cases without a summary with the filter's columns; with these in the
-- index that scan can read the index rather than the cases' rows with their state.
DROP INDEX cases_by_process;
CREATE INDEX cases_by_process ON cases (process_key, process_version, open, closed_at, created_at);
