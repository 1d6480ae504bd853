-- Durable cases on PostgreSQL.

-- A process version is immutable: deploying changed source adds a version.
CREATE TABLE process_versions (
    process_key  TEXT        NOT NULL,
    version      BIGINT      NOT NULL,
    content_hash TEXT        NOT NULL,
    source       TEXT        NOT NULL,
    syntax       TEXT        NOT NULL,
    deployed_at  TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (process_key, version)
);

-- One row per year: the last number handed out for a case reference in that year.
CREATE TABLE case_sequences (
    year BIGINT PRIMARY KEY,
    last BIGINT NOT NULL
);

CREATE TABLE cases (
    id              BIGSERIAL   PRIMARY KEY,
    reference       TEXT        NOT NULL UNIQUE,
    process_key     TEXT        NOT NULL,
    process_version BIGINT      NOT NULL,
    state           JSONB       NOT NULL,
    status          TEXT,
    result          TEXT,
    open            BOOLEAN     NOT NULL,
    deadline        DATE,
    target          DATE,
    public_token    TEXT        NOT NULL UNIQUE,
    row_version     BIGINT      NOT NULL,
    created_at      TIMESTAMPTZ NOT NULL,
    closed_at       TIMESTAMPTZ,
    FOREIGN KEY (process_key, process_version) REFERENCES process_versions (process_key, version)
);
CREATE INDEX cases_by_process ON cases (process_key, process_version, open);

-- Where a case's tokens rest. Rows exist only while the case is open, so counting the cases
-- that wait at each step of a version is one indexed GROUP BY.
CREATE TABLE tokens (
    case_id         BIGINT NOT NULL REFERENCES cases (id),
    process_key     TEXT   NOT NULL,
    process_version BIGINT NOT NULL,
    place           TEXT   NOT NULL,
    step            TEXT,
    count           BIGINT NOT NULL,
    PRIMARY KEY (case_id, place)
);
CREATE INDEX tokens_by_version ON tokens (process_key, process_version, place);

CREATE TABLE tasks (
    id            BIGSERIAL   PRIMARY KEY,
    case_id       BIGINT      NOT NULL REFERENCES cases (id),
    task_key      BIGINT      NOT NULL,
    step          TEXT        NOT NULL,
    label         TEXT,
    team          TEXT        NOT NULL,
    role          TEXT,
    assignee      TEXT,
    state         TEXT        NOT NULL,
    due           DATE,
    case_deadline DATE,
    -- The earlier of `due` and `case_deadline`: the queue's first sort key.
    queue_date    DATE,
    priority      BIGINT      NOT NULL,
    outcome       TEXT,
    created_at    TIMESTAMPTZ NOT NULL,
    claimed_at    TIMESTAMPTZ,
    finished_at   TIMESTAMPTZ,
    UNIQUE (case_id, task_key)
);
CREATE INDEX tasks_queue ON tasks (team, state, queue_date, priority DESC, created_at);
CREATE INDEX tasks_by_assignee ON tasks (assignee, state);

CREATE TABLE timers (
    id        BIGSERIAL   PRIMARY KEY,
    case_id   BIGINT      NOT NULL REFERENCES cases (id),
    timer_key BIGINT      NOT NULL,
    at        TIMESTAMPTZ NOT NULL,
    purpose   TEXT        NOT NULL,
    state     TEXT        NOT NULL,
    fired_at  TIMESTAMPTZ,
    UNIQUE (case_id, timer_key)
);
CREATE INDEX timers_due ON timers (state, at);

-- Append-only: rows are inserted, never updated or deleted.
CREATE TABLE events (
    case_id BIGINT      NOT NULL REFERENCES cases (id),
    seq     BIGINT      NOT NULL,
    at      TIMESTAMPTZ NOT NULL,
    actor   TEXT        NOT NULL,
    kind    TEXT        NOT NULL,
    data    JSONB       NOT NULL,
    reason  TEXT,
    PRIMARY KEY (case_id, seq)
);

CREATE TABLE idempotency_keys (
    key        TEXT        PRIMARY KEY,
    case_id    BIGINT      NOT NULL REFERENCES cases (id),
    created_at TIMESTAMPTZ NOT NULL
);
