-- A team's members with their process roles (comma-separated, sorted by the caller).
SELECT m.member, m.receives_work,
       (SELECT string_agg(r.role, ',') FROM member_roles r WHERE r.team = m.team AND r.member = m.member) AS roles
FROM memberships m
WHERE m.team = $1
