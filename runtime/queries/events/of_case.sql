SELECT case_id, seq, at, actor, kind, data, reason FROM events WHERE case_id = $1 ORDER BY seq
