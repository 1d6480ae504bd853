-- The runnable version of a process whose content has this hash, if one was ever deployed.
SELECT version FROM process_versions
WHERE process_key = $1 AND content_hash = $2 AND version > 0
ORDER BY version DESC LIMIT 1
