-- Every task of the cases `cases.sql` selects (same filter), grouped by case in creation order.
WITH unsummarised AS MATERIALIZED (
    SELECT c.id
    FROM cases c
    WHERE ($1 IS NULL OR c.process_key = $1)
      AND ($2 IS NULL OR c.process_version = $2)
      AND ($4 IS NULL OR c.closed_at IS NULL OR c.closed_at >= $4)
      AND ($5 IS NULL OR c.created_at < $5)
      AND c.confidentiality <= $7
      AND (c.closed_at IS NULL OR ($6 = 0 AND NOT EXISTS (SELECT 1 FROM case_summaries s WHERE s.case_id = c.id)))
)
SELECT t.case_id, t.step, t.team, t.assignee, t.state, t.created_at, t.claimed_at,
       t.finished_at
FROM unsummarised u
CROSS JOIN tasks t ON t.case_id = u.id
WHERE ($3 IS NULL OR EXISTS (SELECT 1 FROM tasks m WHERE m.case_id = u.id AND m.team = $3))
ORDER BY t.case_id, t.id
