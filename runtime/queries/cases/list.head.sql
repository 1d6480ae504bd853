-- The cases a viewer may see, oldest first; every filter left NULL matches all of them.
SELECT c.id, c.reference, c.process_key, c.process_version, c.state, c.status, c.result, c.open, c.deadline, c.target, c.public_token, c.row_version, c.created_at, c.closed_at, c.parent_case_id, c.parent_step, c.confidentiality, c.started_by
FROM cases c
WHERE ($3 IS NULL OR c.process_key = $3)
  AND ($4 IS NULL OR c.process_version = $4)
  AND ($5 IS NULL OR c.open = $5)
  AND ($6 IS NULL OR c.status = $6)
  AND ($7 IS NULL OR c.parent_case_id = $7)
  AND
