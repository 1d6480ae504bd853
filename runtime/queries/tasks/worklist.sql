-- A team's queue: the earliest of the task's due date and the case's legal deadline first,
-- then higher priority, then older tasks. Served by the tasks_queue index.
SELECT id, case_id, task_key, step, label, team, role, assignee, state, due, case_deadline, priority, outcome, created_at, claimed_at, finished_at
FROM tasks
WHERE team = $1 AND state = 'open'
ORDER BY queue_date NULLS LAST, priority DESC, created_at, id
LIMIT $2 OFFSET $3
