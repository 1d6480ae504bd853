-- The tasks a worker claimed, in the same order as the queues.
SELECT id, case_id, task_key, step, label, team, role, assignee, state, due, case_deadline, priority, outcome, created_at, claimed_at, finished_at
FROM tasks
WHERE assignee = $1 AND state = 'claimed'
ORDER BY queue_date NULLS LAST, priority DESC, created_at, id
LIMIT $2 OFFSET $3
