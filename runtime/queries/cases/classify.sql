UPDATE cases SET confidentiality = $3
WHERE process_key = $1 AND process_version = $2 AND confidentiality IS NULL
