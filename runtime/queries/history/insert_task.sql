-- A task of an imported case, as it stands at the end: done when it was completed, cancelled
-- otherwise, so that it never appears in a queue.
INSERT INTO tasks (case_id, task_key, step, label, team, role, assignee, state, due,
                   case_deadline, queue_date, priority, created_at, claimed_at, finished_at)
VALUES ($1, $2, $3, NULL, $4, NULL, $5, $6, NULL, NULL, NULL, 0, $7, $8, $9)
