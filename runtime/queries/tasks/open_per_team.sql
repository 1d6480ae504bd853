-- The length of every team's queue, for /metrics.
SELECT team, COUNT(*) FROM tasks WHERE state = 'open' GROUP BY team ORDER BY team
