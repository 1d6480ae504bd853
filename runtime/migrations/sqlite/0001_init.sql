-- Durable cases on SQLite. Times are RFC 3339 text in UTC (they sort as text), dates are
-- `YYYY-MM-DD` text, JSON is text.

-- A process version is immutable: deploying changed source adds a version.
CREATE TABLE process_versions (
    process_key  TEXT    NOT NULL,
    version      INTEGER NOT NULL,
    content_hash TEXT    NOT NULL,
    source       TEXT    NOT NULL,
    syntax       TEXT    NOT NULL,
    deployed_at  TEXT    NOT NULL,
    PRIMARY KEY (process_key, version)
);

-- One row per year: the last number handed out for a case reference in that year.
CREATE TABLE case_sequences (
    year INTEGER PRIMARY KEY,
    last INTEGER NOT NULL
);

CREATE TABLE cases (
    id              INTEGER PRIMARY KEY AUTOINCREMENT,
    reference       TEXT    NOT NULL UNIQUE,
    process_key     TEXT    NOT NULL,
    process_version INTEGER NOT NULL,
    state           TEXT    NOT NULL,
    status          TEXT,
    result          TEXT,
    open            INTEGER NOT NULL,
    deadline        TEXT,
    target          TEXT,
    public_token    TEXT    NOT NULL UNIQUE,
    row_version     INTEGER NOT NULL,
    created_at      TEXT    NOT NULL,
    closed_at       TEXT,
    FOREIGN KEY (process_key, process_version) REFERENCES process_versions (process_key, version)
);
CREATE INDEX cases_by_process ON cases (process_key, process_version, open);

-- Where a case's tokens rest. Rows exist only while the case is open, so counting the cases
-- that wait at each step of a version is one indexed GROUP BY.
CREATE TABLE tokens (
    case_id         INTEGER NOT NULL REFERENCES cases (id),
    process_key     TEXT    NOT NULL,
    process_version INTEGER NOT NULL,
    place           TEXT    NOT NULL,
    step            TEXT,
    count           INTEGER NOT NULL,
    PRIMARY KEY (case_id, place)
);
CREATE INDEX tokens_by_version ON tokens (process_key, process_version, place);

CREATE TABLE tasks (
    id            INTEGER PRIMARY KEY AUTOINCREMENT,
    case_id       INTEGER NOT NULL REFERENCES cases (id),
    task_key      INTEGER NOT NULL,
    step          TEXT    NOT NULL,
    label         TEXT,
    team          TEXT    NOT NULL,
    role          TEXT,
    assignee      TEXT,
    state         TEXT    NOT NULL,
    due           TEXT,
    case_deadline TEXT,
    -- The earlier of `due` and `case_deadline`: the queue's first sort key.
    queue_date    TEXT,
    priority      INTEGER NOT NULL,
    outcome       TEXT,
    created_at    TEXT    NOT NULL,
    claimed_at    TEXT,
    finished_at   TEXT,
    UNIQUE (case_id, task_key)
);
CREATE INDEX tasks_queue ON tasks (team, state, queue_date, priority DESC, created_at);
CREATE INDEX tasks_by_assignee ON tasks (assignee, state);

CREATE TABLE timers (
    id        INTEGER PRIMARY KEY AUTOINCREMENT,
    case_id   INTEGER NOT NULL REFERENCES cases (id),
    timer_key INTEGER NOT NULL,
    at        TEXT    NOT NULL,
    purpose   TEXT    NOT NULL,
    state     TEXT    NOT NULL,
    fired_at  TEXT,
    UNIQUE (case_id, timer_key)
);
CREATE INDEX timers_due ON timers (state, at);

-- Append-only: rows are inserted, never updated or deleted.
CREATE TABLE events (
    case_id INTEGER NOT NULL REFERENCES cases (id),
    seq     INTEGER NOT NULL,
    at      TEXT    NOT NULL,
    actor   TEXT    NOT NULL,
    kind    TEXT    NOT NULL,
    data    TEXT    NOT NULL,
    reason  TEXT,
    PRIMARY KEY (case_id, seq)
);

CREATE TABLE idempotency_keys (
    key        TEXT    PRIMARY KEY,
    case_id    INTEGER NOT NULL REFERENCES cases (id),
    created_at TEXT    NOT NULL
);
