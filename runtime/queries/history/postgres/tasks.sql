-- Every task of the cases `cases.sql` selects (same filter), grouped by case in creation order.
SELECT t.case_id, t.step, t.team, t.assignee, t.state, t.created_at, t.claimed_at,
       t.finished_at
FROM tasks t
JOIN cases c ON c.id = t.case_id
WHERE ($1::text IS NULL OR c.process_key = $1)
  AND ($2::bigint IS NULL OR c.process_version = $2)
  AND ($3::text IS NULL OR EXISTS (SELECT 1 FROM tasks m WHERE m.case_id = c.id AND m.team = $3))
  AND ($4::timestamptz IS NULL OR c.closed_at IS NULL OR c.closed_at >= $4)
  AND ($5::timestamptz IS NULL OR c.created_at < $5)
  AND c.confidentiality <= $7
  AND (c.closed_at IS NULL
       OR (NOT $6::boolean AND NOT EXISTS (SELECT 1 FROM case_summaries s WHERE s.case_id = c.id)))
ORDER BY t.case_id, t.id
