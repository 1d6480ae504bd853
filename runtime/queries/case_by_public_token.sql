SELECT id, reference, process_key, process_version, state, status, result, open, deadline, target, public_token, row_version, created_at, closed_at FROM cases WHERE public_token = $1
