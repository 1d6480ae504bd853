SELECT name, role, clearance FROM users WHERE token_hash = $1
