-- Where history.rs ends the INSERT of names new to `summary_names` (it builds the VALUES): a
-- name another report added meanwhile is left as it is.
ON CONFLICT (name) DO NOTHING
