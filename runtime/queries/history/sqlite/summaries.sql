-- The stored histories of the closed cases the filter selects (as in `cases.sql`), in chunks of
-- up to 10,000 case ids, each the chunk's compact records (self-delimiting) concatenated in case
-- order, so that the chunks can be decoded in parallel. group_concat keeps a blob's bytes as
-- they are; the CAST hands them back as a blob. A summary is current by construction: the
-- trigger `case_summaries_stale` removes it when its case changes.
SELECT CAST(group_concat(doc, '') AS BLOB) AS docs
FROM (
    SELECT s.case_id, s.doc
    FROM case_summaries s
    WHERE ($1 IS NULL OR s.process_key = $1)
      AND ($2 IS NULL OR s.process_version = $2)
      AND ($3 IS NULL OR EXISTS (SELECT 1 FROM tasks t WHERE t.case_id = s.case_id AND t.team = $3))
      AND ($4 IS NULL OR s.ended >= $4)
      AND ($5 IS NULL OR s.started < $5)
    ORDER BY s.case_id
)
GROUP BY case_id / 10000
ORDER BY case_id / 10000
