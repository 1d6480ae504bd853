-- The people who use Zaak, in the migrations with everything else: users with their role and
-- clearance, and their membership of teams with the process roles they hold there. Earlier
-- versions kept users in a table of their own (`zaak_users`, created outside the migrations,
-- with their teams as JSON) and the members automatic assignment chooses from in
-- `team_members`: membership was stored twice. Both move here and are dropped.

CREATE TABLE IF NOT EXISTS zaak_users (
    name       TEXT NOT NULL PRIMARY KEY,
    role       TEXT NOT NULL,
    teams      TEXT NOT NULL,
    token_hash TEXT NOT NULL UNIQUE,
    created_at TEXT NOT NULL
);

-- `clearance` is the highest confidentiality (0 openbaar ... 7 zeer_geheim, ZGW's order) of the
-- cases the user sees without being involved in them; `intern` (2) by default.
CREATE TABLE users (
    name       TEXT        NOT NULL PRIMARY KEY,
    role       TEXT        NOT NULL,
    clearance  BIGINT      NOT NULL,
    token_hash TEXT        NOT NULL UNIQUE,
    created_at TIMESTAMPTZ NOT NULL
);
INSERT INTO users (name, role, clearance, token_hash, created_at)
SELECT name, role, 2, token_hash, created_at::timestamptz FROM zaak_users;

-- A user's membership of a team. `receives_work`: automatic assignment may give the team's new
-- tasks to them (the whole team unless a coordinator says otherwise).
CREATE TABLE memberships (
    team          TEXT    NOT NULL,
    member        TEXT    NOT NULL REFERENCES users (name) ON DELETE CASCADE,
    receives_work BOOLEAN NOT NULL,
    PRIMARY KEY (team, member)
);
CREATE INDEX memberships_by_member ON memberships (member);
INSERT INTO memberships (team, member, receives_work)
SELECT DISTINCT t.team, u.name,
       EXISTS (SELECT 1 FROM team_members m WHERE m.team = t.team AND m.member = u.name)
FROM zaak_users u, json_array_elements_text(u.teams::json) AS t(team);

-- The process roles (behandelaar, beslisser, ...) a member holds in a team: a task step that
-- names a role goes only to members of its team who hold it.
CREATE TABLE member_roles (
    team   TEXT NOT NULL,
    member TEXT NOT NULL,
    role   TEXT NOT NULL,
    PRIMARY KEY (team, member, role),
    FOREIGN KEY (team, member) REFERENCES memberships (team, member) ON DELETE CASCADE
);

DROP TABLE team_members;
DROP TABLE zaak_users;

-- Who may see a case is decided in SQL, before paging: its confidentiality (from its process
-- version when it started, as a number in ZGW's order), and who started it.
ALTER TABLE cases ADD COLUMN confidentiality BIGINT;
ALTER TABLE cases ADD COLUMN started_by TEXT;
UPDATE cases SET started_by = e.actor FROM events e WHERE e.case_id = cases.id AND e.seq = 1;
CREATE INDEX tasks_by_case_team ON tasks (case_id, team);

-- A retry with the same idempotency key must carry the same request: its hash is kept.
ALTER TABLE idempotency_keys ADD COLUMN request_hash TEXT;

-- Reports leave out the cases above the viewer's clearance, the summarised ones too. The
-- summaries are a cache of the cases' rows: emptied here, the next report writes them again.
DELETE FROM case_summaries;
ALTER TABLE case_summaries ADD COLUMN confidentiality BIGINT NOT NULL DEFAULT 0;
