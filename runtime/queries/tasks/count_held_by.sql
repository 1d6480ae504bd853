SELECT COUNT(*) FROM tasks WHERE assignee = $1 AND state = 'claimed'
