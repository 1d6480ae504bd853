-- The cases a report covers that have no summary (open cases, and closed ones no report has
-- summarised since they last changed), with the two parts of their state the figures read: the
-- statuses reached and the term clock's suspensions. Every filter left NULL matches all cases. A
-- case belongs to a period [$4, $5) when it was open at some moment in it; a team selects the
-- cases in which it had a task. The other cases come from `summaries.sql`. $6 is true when every
-- closed case the filter selects has its summary (`coverage.sql`): then only open cases are read.
-- $7 is the viewer's clearance: more confidential cases are left out.
--
-- The ids are found first from the index `cases_by_process` alone, without reading the cases'
-- rows (their state is most of the file); only the cases found are then read.
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
SELECT c.id, c.row_version, c.reference, c.process_key, c.process_version, c.created_at, c.closed_at,
       c.result, c.deadline, c.target,
       json_extract(c.state, '$.status_history') AS statuses,
       json_extract(c.state, '$.term.suspensions') AS suspensions
FROM unsummarised u
JOIN cases c ON c.id = u.id
WHERE ($3 IS NULL OR EXISTS (SELECT 1 FROM tasks t WHERE t.case_id = c.id AND t.team = $3))
ORDER BY c.id
