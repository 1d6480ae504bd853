UPDATE memberships SET receives_work = $3 WHERE team = $1 AND member = $2
