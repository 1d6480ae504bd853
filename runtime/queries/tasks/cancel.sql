UPDATE tasks SET state = 'cancelled', finished_at = $3
WHERE case_id = $1 AND task_key = $2 AND state IN ('open', 'claimed')
