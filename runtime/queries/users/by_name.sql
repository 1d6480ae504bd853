SELECT name, role, clearance FROM users WHERE name = $1
