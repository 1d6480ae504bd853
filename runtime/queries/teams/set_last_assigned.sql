UPDATE team_policies SET last_assigned = $2 WHERE team = $1
