-- The stored histories of the closed cases the filter selects (as in `cases.sql`), in chunks of
-- up to 10,000 case ids, each the elements of one JSON array in case order, so that the chunks
-- can be read in parallel. A summary written before its case last changed does not count.
SELECT string_agg(s.doc, ',' ORDER BY s.case_id) AS docs
FROM case_summaries s
JOIN cases c ON c.id = s.case_id AND c.row_version = s.row_version
WHERE ($1::text IS NULL OR s.process_key = $1)
  AND ($2::bigint IS NULL OR s.process_version = $2)
  AND ($3::text IS NULL OR EXISTS (SELECT 1 FROM tasks t WHERE t.case_id = s.case_id AND t.team = $3))
  AND ($4::timestamptz IS NULL OR s.ended >= $4)
  AND ($5::timestamptz IS NULL OR s.started < $5)
GROUP BY s.case_id / 10000
ORDER BY s.case_id / 10000
