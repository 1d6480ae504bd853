-- How many open cases of a version, of those the viewer may see, wait at each place: a GROUP
-- BY on the tokens_by_version index (closed cases have no token rows).
SELECT t.place, t.step, COUNT(*) AS cases, CAST(SUM(t.count) AS BIGINT) AS tokens
FROM tokens t
JOIN cases c ON c.id = t.case_id
WHERE t.process_key = $3 AND t.process_version = $4 AND
