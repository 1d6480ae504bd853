-- The stored histories of the closed cases the filter selects (as in `cases.sql`) with a case
-- id in [$6, $7): their compact records (self-delimiting) concatenated in the order the scan
-- finds them (a report does not depend on the order of its cases; sorting them took a third of
-- the time), one bytea, or NULL when there are none. history.rs asks for one range of ids after
-- the other, so that no value grows without bound and the values can be decoded in parallel. A
-- summary is current by construction: the trigger `case_summaries_stale` removes it when its
-- case changes.
SELECT string_agg(s.doc, ''::bytea) AS docs
FROM case_summaries s
WHERE s.case_id >= $6 AND s.case_id < $7
  AND ($1::text IS NULL OR s.process_key = $1)
  AND ($2::bigint IS NULL OR s.process_version = $2)
  AND ($3::text IS NULL OR EXISTS (SELECT 1 FROM tasks t WHERE t.case_id = s.case_id AND t.team = $3))
  AND ($4::timestamptz IS NULL OR s.ended >= $4)
  AND ($5::timestamptz IS NULL OR s.started < $5)
  AND s.confidentiality <= $8
