-- The process versions with cases whose confidentiality is not yet recorded (cases stored
-- before it was).
SELECT DISTINCT process_key, process_version FROM cases WHERE confidentiality IS NULL
