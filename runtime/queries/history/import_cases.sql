-- Imported cases, closed, of the historical version (history.rs appends the VALUES): no parent,
-- and a public token nobody holds.
INSERT INTO cases (reference, process_key, process_version, state, status, result, open,
                   deadline, target, public_token, row_version, created_at, closed_at,
                   confidentiality, started_by)
