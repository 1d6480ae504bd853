-- Where history.rs ends the batched INSERT of case summaries, after `SELECT ... FROM (VALUES
-- ...)`: a summary is written only while its case still has the row version it was read at (a
-- case that changed since keeps no summary and is read from its rows next time). WHERE true
-- keeps SQLite from reading ON CONFLICT as a join's ON.
) AS v
JOIN cases c ON c.id = v.column1 AND c.row_version = v.column2
WHERE true
ON CONFLICT (case_id) DO UPDATE SET doc = excluded.doc, started = excluded.started,
    ended = excluded.ended
