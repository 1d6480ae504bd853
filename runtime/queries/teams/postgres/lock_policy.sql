-- The row stays locked until the transaction ends: committers that create tasks for one team
-- choose their worker one after another, each seeing who the one before chose.
SELECT policy, last_assigned FROM team_policies WHERE team = $1 FOR UPDATE
