-- Keeps the history of a closed case as the figures read it.
INSERT INTO case_summaries (case_id, row_version, process_key, process_version, started, ended, doc)
VALUES ($1, $2, $3, $4, $5, $6, $7)
ON CONFLICT (case_id) DO UPDATE SET row_version = excluded.row_version, doc = excluded.doc,
    started = excluded.started, ended = excluded.ended
