-- SQLite has one writer at a time: the write transaction already holds the whole file.
SELECT policy, last_assigned FROM team_policies WHERE team = $1
