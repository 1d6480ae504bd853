-- Which process and version each of a batch of references belongs to, if any (history.rs
-- appends the list): imports are idempotent per (process, reference) and never take a reference
-- another case holds.
SELECT reference, process_key, process_version FROM cases WHERE reference IN
