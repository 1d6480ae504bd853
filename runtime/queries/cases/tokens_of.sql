SELECT place, count FROM tokens WHERE case_id = $1 ORDER BY place
