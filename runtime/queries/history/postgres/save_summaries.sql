-- Where history.rs ends the batched INSERT of case summaries, after `SELECT ... FROM (VALUES
-- ...)`: a summary is written only while its case still has the row version it was read at.
-- FOR SHARE holds off a concurrent write of the case until this commits, so that its trigger
-- then removes the summary instead of missing it.
) AS v
JOIN cases c ON c.id = v.column1 AND c.row_version = v.column2
FOR SHARE OF c
ON CONFLICT (case_id) DO UPDATE SET doc = excluded.doc, started = excluded.started,
    ended = excluded.ended
