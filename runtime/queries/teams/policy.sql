SELECT policy, last_assigned FROM team_policies WHERE team = $1
