-- How many open cases of a version wait at each place: one GROUP BY on the tokens_by_version
-- index (closed cases have no token rows).
SELECT place, step, COUNT(*) AS cases, CAST(SUM(count) AS BIGINT) AS tokens
FROM tokens
WHERE process_key = $1 AND process_version = $2
GROUP BY place, step
ORDER BY place
