INSERT INTO team_policies (team, policy, last_assigned) VALUES ($1, $2, NULL)
ON CONFLICT (team) DO UPDATE SET policy = excluded.policy
