DELETE FROM tokens WHERE case_id = $1
