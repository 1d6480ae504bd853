INSERT INTO process_versions (process_key, version, content_hash, source, syntax, deployed_at)
VALUES ($1, $2, $3, $4, $5, $6)
