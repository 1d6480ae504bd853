-- The history of imported cases (history.rs appends the VALUES): the cases are new, so their
-- events are numbered from 1 here rather than after the highest number stored.
INSERT INTO events (case_id, seq, at, actor, kind, data, reason)
