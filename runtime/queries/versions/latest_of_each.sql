-- The latest deployed version of every process. Version 0 holds only imported historical
-- cases (a baseline from an earlier system) and is never a version to run or start.
SELECT process_key, version, content_hash, source, syntax, deployed_at
FROM process_versions p
WHERE version = (
    SELECT MAX(version) FROM process_versions q
    WHERE q.process_key = p.process_key AND q.version > 0
)
ORDER BY process_key
