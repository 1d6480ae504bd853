INSERT INTO case_sequences (year, last) VALUES ($1, 1)
ON CONFLICT (year) DO UPDATE SET last = case_sequences.last + 1
RETURNING last
