UPDATE users SET token_hash = $2 WHERE name = $1
