-- Version 0 of a process holds its imported historical cases. It has no source: nothing starts
-- a case on it and nothing compiles it.
INSERT INTO process_versions (process_key, version, content_hash, source, syntax, deployed_at)
VALUES ($1, 0, 'historical', '', 'historical', $2)
ON CONFLICT (process_key, version) DO NOTHING
