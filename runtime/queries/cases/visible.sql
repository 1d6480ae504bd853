-- Who may see a case, the one rule in SQL: its confidentiality is within the viewer's clearance
-- ($2, ZGW's order as a number), or the viewer started it ($1), or one of the viewer's teams
-- has or had a task on it. Included in every query that lists, counts or finds cases for a
-- viewer, with the viewer as $1 and $2, so that what is filtered is filtered before paging.
(c.confidentiality <= $2
 OR c.started_by = $1
 OR EXISTS (SELECT 1 FROM tasks vt JOIN memberships vm ON vm.team = vt.team
            WHERE vt.case_id = c.id AND vm.member = $1))
