INSERT INTO users (name, role, clearance, token_hash, created_at)
VALUES ($1, $2, $3, $4, $5)
ON CONFLICT (name) DO NOTHING
