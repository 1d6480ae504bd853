SELECT id, case_id, task_key, step, label, team, role, assignee, state, due, case_deadline, priority, outcome, created_at, claimed_at, finished_at FROM tasks WHERE id = $1 FOR UPDATE
