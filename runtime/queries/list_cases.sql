-- Every filter left NULL matches all cases.
SELECT id, reference, process_key, process_version, state, status, result, open, deadline, target, public_token, row_version, created_at, closed_at, parent_case_id, parent_step
FROM cases
WHERE ($1 IS NULL OR process_key = $1)
  AND ($2 IS NULL OR process_version = $2)
  AND ($3 IS NULL OR open = $3)
  AND ($4 IS NULL OR status = $4)
  AND ($7 IS NULL OR parent_case_id = $7)
ORDER BY id
LIMIT $5 OFFSET $6
