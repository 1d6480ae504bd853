-- How many closed cases the filter selects (team aside), and how many of those have a summary.
-- Summaries exist only for closed cases, so equal counts mean every one has its summary and
-- only the open cases need their rows read. Both counts read indexes only.
SELECT
    (SELECT count(*) FROM cases c
     WHERE c.closed_at IS NOT NULL
       AND ($1 IS NULL OR c.process_key = $1)
       AND ($2 IS NULL OR c.process_version = $2)
       AND ($3 IS NULL OR c.closed_at >= $3)
       AND ($4 IS NULL OR c.created_at < $4)
       AND c.confidentiality <= $5) AS closed,
    (SELECT count(*) FROM case_summaries s
     WHERE ($1 IS NULL OR s.process_key = $1)
       AND ($2 IS NULL OR s.process_version = $2)
       AND ($3 IS NULL OR s.ended >= $3)
       AND ($4 IS NULL OR s.started < $4)
       AND s.confidentiality <= $5) AS summarised
