INSERT INTO memberships (team, member, receives_work) VALUES ($1, $2, $3)
ON CONFLICT (team, member) DO NOTHING
