SELECT c.id, c.reference, c.process_key, c.process_version, c.state, c.status, c.result, c.open, c.deadline, c.target, c.public_token, c.row_version, c.created_at, c.closed_at, c.parent_case_id, c.parent_step, c.confidentiality, c.started_by
FROM cases c WHERE c.id = $3 AND
