INSERT INTO member_roles (team, member, role) VALUES ($1, $2, $3)
ON CONFLICT (team, member, role) DO NOTHING
