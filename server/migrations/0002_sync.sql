-- Clusters, the devices that may sync with them, invites, the records and their
-- change sequence, push idempotency and join rate limiting.
-- Times are RFC 3339 UTC text unless named *_ms (Unix milliseconds).

CREATE TABLE clusters (
    id         TEXT PRIMARY KEY NOT NULL,
    name       TEXT NOT NULL,
    created_at TEXT NOT NULL,
    -- Last change sequence number handed out in this cluster (see records.seq).
    seq        INTEGER NOT NULL DEFAULT 0
) STRICT;

CREATE TABLE devices (
    id           TEXT PRIMARY KEY NOT NULL,
    cluster_id   TEXT NOT NULL REFERENCES clusters (id),
    unit_id      TEXT NOT NULL,
    role         TEXT NOT NULL CHECK (role IN ('head', 'deputy', 'officer')),
    name         TEXT NOT NULL,
    -- Hex SHA-256 of the bearer token; the token itself is never stored.
    token_hash   TEXT NOT NULL UNIQUE,
    invite_id    TEXT,
    created_at   TEXT NOT NULL,
    last_seen_at TEXT,
    revoked_at   TEXT
) STRICT;
CREATE INDEX devices_cluster ON devices (cluster_id);

CREATE TABLE invites (
    id         TEXT PRIMARY KEY NOT NULL,
    -- Hex SHA-256 of the invite code; the code itself is never stored.
    code_hash  TEXT NOT NULL UNIQUE,
    cluster_id TEXT NOT NULL REFERENCES clusters (id),
    unit_id    TEXT NOT NULL,
    role       TEXT NOT NULL CHECK (role IN ('head', 'deputy', 'officer')),
    created_by TEXT,
    created_at TEXT NOT NULL,
    expires_at TEXT,
    revoked_at TEXT,
    uses       INTEGER NOT NULL DEFAULT 0
) STRICT;
CREATE INDEX invites_cluster ON invites (cluster_id);

CREATE TABLE records (
    cluster_id TEXT NOT NULL REFERENCES clusters (id),
    record_id  TEXT NOT NULL,
    kind       TEXT NOT NULL,
    owner_unit TEXT,
    -- The serialized thidua_core::sync::Record (all current heads).
    state_json TEXT NOT NULL,
    -- clusters.seq when this record last changed; pulls page by it.
    seq        INTEGER NOT NULL,
    PRIMARY KEY (cluster_id, record_id)
) STRICT;
-- Record ids are unique across clusters, so a push can tell another cluster's ids apart.
CREATE UNIQUE INDEX records_id ON records (record_id);
CREATE INDEX records_seq ON records (cluster_id, seq);

CREATE TABLE push_log (
    cluster_id    TEXT NOT NULL,
    device_id     TEXT NOT NULL,
    push_id       TEXT NOT NULL,
    status        INTEGER NOT NULL,
    response_json TEXT NOT NULL,
    created_ms    INTEGER NOT NULL,
    PRIMARY KEY (cluster_id, device_id, push_id)
) STRICT;
CREATE INDEX push_log_age ON push_log (created_ms);

CREATE TABLE join_attempts (
    ip  TEXT NOT NULL,
    at_ms INTEGER NOT NULL
) STRICT;
CREATE INDEX join_attempts_ip ON join_attempts (ip, at_ms);
