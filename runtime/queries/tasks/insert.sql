INSERT INTO tasks (case_id, task_key, step, label, team, role, assignee, state, due,
                   case_deadline, queue_date, priority, created_at)
VALUES ($1, $2, $3, $4, $5, $6, NULL, 'open', $7, $8, $9, $10, $11)
