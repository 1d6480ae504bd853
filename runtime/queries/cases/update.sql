-- Optimistic concurrency: the row changes only if nobody wrote it since it was read.
UPDATE cases
SET state = $3, status = $4, result = $5, open = $6, deadline = $7, target = $8,
    closed_at = $9, row_version = row_version + 1
WHERE id = $1 AND row_version = $2
