-- Every member of a team with the number of tasks they hold now, in any team. Served by the
-- tasks_by_assignee index.
SELECT m.member, COUNT(t.id) AS claimed
FROM team_members m
LEFT JOIN tasks t ON t.assignee = m.member AND t.state = 'claimed'
WHERE m.team = $1
GROUP BY m.member
