GROUP BY t.place, t.step
ORDER BY t.place
