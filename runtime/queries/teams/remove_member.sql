DELETE FROM memberships WHERE team = $1 AND member = $2
