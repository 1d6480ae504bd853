-- Which process and version a reference belongs to, if any: imports are idempotent per
-- (process, reference) and never take a reference another case holds.
SELECT process_key, process_version FROM cases WHERE reference = $1
