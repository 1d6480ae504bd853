-- Automatic assignment: who works in a team, and how the team's new tasks find one of them.

-- The members a team's tasks may be assigned to. Teams are names, as in the tasks table.
CREATE TABLE team_members (
    team   TEXT NOT NULL,
    member TEXT NOT NULL,
    PRIMARY KEY (team, member)
);

-- A team without a row here works by hand. `last_assigned` is the member who got the team's
-- most recent automatically assigned task: round robin goes on after them.
CREATE TABLE team_policies (
    team          TEXT NOT NULL PRIMARY KEY,
    policy        TEXT NOT NULL,
    last_assigned TEXT
);
