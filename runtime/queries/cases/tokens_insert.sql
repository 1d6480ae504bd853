INSERT INTO tokens (case_id, process_key, process_version, place, step, count)
VALUES ($1, $2, $3, $4, $5, $6)
