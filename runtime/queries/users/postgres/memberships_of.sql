-- A user's memberships with the process roles held in each.
SELECT m.team, m.receives_work,
       (SELECT string_agg(r.role, ',') FROM member_roles r WHERE r.team = m.team AND r.member = m.member) AS roles
FROM memberships m
WHERE m.member = $1
