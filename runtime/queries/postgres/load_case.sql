-- Cases are row-locked for the rest of the transaction: commands on one case run one at a time.
SELECT id, reference, process_key, process_version, state, status, result, open, deadline, target, public_token, row_version, created_at, closed_at, parent_case_id, parent_step FROM cases WHERE id = $1 FOR UPDATE
