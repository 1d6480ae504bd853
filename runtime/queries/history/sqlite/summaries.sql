-- The stored histories of the closed cases the filter selects (as in `cases.sql`) with a case
-- id in [$6, $7): their compact records (self-delimiting) concatenated in case order, one blob,
-- or NULL when there are none. history.rs asks for one range of ids after the other, so that
-- no blob grows without bound and the blobs can be decoded in parallel. The rows come in
-- primary-key order, so nothing is sorted (a GROUP BY over ranges made SQLite copy every
-- summary into a temporary b-tree first: three times slower). group_concat keeps a blob's bytes
-- as they are; the CAST hands them back as a blob. A summary is current by construction: the
-- trigger `case_summaries_stale` removes it when its case changes.
SELECT CAST(group_concat(doc, '') AS BLOB) AS docs
FROM (
    SELECT s.doc
    FROM case_summaries s
    WHERE s.case_id >= $6 AND s.case_id < $7
      AND ($1 IS NULL OR s.process_key = $1)
      AND ($2 IS NULL OR s.process_version = $2)
      AND ($3 IS NULL OR EXISTS (SELECT 1 FROM tasks t WHERE t.case_id = s.case_id AND t.team = $3))
      AND ($4 IS NULL OR s.ended >= $4)
      AND ($5 IS NULL OR s.started < $5)
      AND s.confidentiality <= $8
    ORDER BY s.case_id
)
