-- The cases a report covers that have no summary (open cases, and closed ones no report has
-- summarised since they last changed), with the two parts of their state the figures read: the
-- statuses reached and the term clock's suspensions. Every filter left NULL matches all cases. A
-- case belongs to a period [$4, $5) when it was open at some moment in it; a team selects the
-- cases in which it had a task. The other cases come from `summaries.sql`. $6 is true when every
-- closed case the filter selects has its summary (`coverage.sql`): then only open cases are read.
-- $7 is the viewer's clearance: more confidential cases are left out.
SELECT c.id, c.row_version, c.reference, c.process_key, c.process_version, c.created_at, c.closed_at,
       c.result, c.deadline, c.target,
       (c.state -> 'status_history')::text AS statuses,
       (c.state -> 'term' -> 'suspensions')::text AS suspensions
FROM cases c
WHERE ($1::text IS NULL OR c.process_key = $1)
  AND ($2::bigint IS NULL OR c.process_version = $2)
  AND ($3::text IS NULL OR EXISTS (SELECT 1 FROM tasks t WHERE t.case_id = c.id AND t.team = $3))
  AND ($4::timestamptz IS NULL OR c.closed_at IS NULL OR c.closed_at >= $4)
  AND ($5::timestamptz IS NULL OR c.created_at < $5)
  AND c.confidentiality <= $7
  AND (c.closed_at IS NULL
       OR (NOT $6::boolean AND NOT EXISTS (SELECT 1 FROM case_summaries s WHERE s.case_id = c.id)))
ORDER BY c.id
