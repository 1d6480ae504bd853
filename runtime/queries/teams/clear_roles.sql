DELETE FROM member_roles WHERE team = $1 AND member = $2
