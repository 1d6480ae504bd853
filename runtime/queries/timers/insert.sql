INSERT INTO timers (case_id, timer_key, at, purpose, state)
VALUES ($1, $2, $3, $4, 'pending')
