SELECT name, role, clearance FROM users ORDER BY name
