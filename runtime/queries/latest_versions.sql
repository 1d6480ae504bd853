-- The latest version of every deployed process.
SELECT process_key, version, content_hash, source, syntax, deployed_at
FROM process_versions p
WHERE version = (SELECT MAX(version) FROM process_versions q WHERE q.process_key = p.process_key)
ORDER BY process_key
