INSERT INTO cases (reference, process_key, process_version, state, status, result, open,
                   deadline, target, public_token, row_version, created_at, closed_at,
                   parent_case_id, parent_step, confidentiality, started_by)
VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, 1, $11, $12, $13, $14, $15, $16)
RETURNING id
