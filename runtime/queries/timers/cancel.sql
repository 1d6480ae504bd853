UPDATE timers SET state = 'cancelled'
WHERE case_id = $1 AND timer_key = $2 AND state = 'pending'
