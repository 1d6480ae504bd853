-- The members a team's new task may go to (they receive work and, for a task that names a
-- process role, hold it in the team) with the number of tasks they hold now, in any team.
-- Served by the tasks_by_assignee index.
SELECT m.member, COUNT(t.id) AS claimed
FROM memberships m
LEFT JOIN tasks t ON t.assignee = m.member AND t.state = 'claimed'
WHERE m.team = $1 AND m.receives_work
  AND ($2 IS NULL OR EXISTS (SELECT 1 FROM member_roles r
                             WHERE r.team = m.team AND r.member = m.member AND r.role = $2))
GROUP BY m.member
