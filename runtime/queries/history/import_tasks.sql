-- The tasks of imported cases as they stand at the end (history.rs appends the VALUES): done
-- when completed, cancelled otherwise, so that none appears in a queue; no label, role, due
-- date or queue date.
INSERT INTO tasks (case_id, task_key, step, team, assignee, state, priority, created_at,
                   claimed_at, finished_at)
