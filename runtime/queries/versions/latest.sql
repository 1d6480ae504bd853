-- The latest runnable version of a process (version 0 holds imported history only).
SELECT process_key, version, content_hash, source, syntax, deployed_at
FROM process_versions WHERE process_key = $1 AND version > 0
ORDER BY version DESC LIMIT 1
