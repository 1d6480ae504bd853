SELECT case_id, timer_key, at, purpose, state, fired_at
FROM timers WHERE case_id = $1 ORDER BY timer_key
