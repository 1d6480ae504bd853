SELECT process_key, version, content_hash, source, syntax, deployed_at
FROM process_versions WHERE process_key = $1 ORDER BY version
