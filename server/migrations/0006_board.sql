-- The federation level above clusters (issue 15): a federation (liên đoàn lao động) forms and
-- runs clusters, and its board's devices belong to it rather than to a cluster. Board devices
-- and invites get tables of their own, so that the cluster devices' and invites' tables (and
-- their role checks) stay as they are.

CREATE TABLE federations (
    id         TEXT PRIMARY KEY NOT NULL,
    name       TEXT NOT NULL,
    created_at TEXT NOT NULL
) STRICT;

-- A cluster belongs to at most one federation (NULL: made on the command line before
-- federations, or without one); the board archives it (read only since).
ALTER TABLE clusters ADD COLUMN federation_id TEXT REFERENCES federations (id);
ALTER TABLE clusters ADD COLUMN archived_at TEXT;
CREATE INDEX clusters_federation ON clusters (federation_id);

CREATE TABLE board_devices (
    id            TEXT PRIMARY KEY NOT NULL,
    federation_id TEXT NOT NULL REFERENCES federations (id),
    name          TEXT NOT NULL,
    -- Hex SHA-256 of the bearer token; the token itself is never stored.
    token_hash    TEXT NOT NULL UNIQUE,
    invite_id     TEXT,
    created_at    TEXT NOT NULL,
    last_seen_at  TEXT,
    revoked_at    TEXT
) STRICT;

CREATE TABLE board_invites (
    id            TEXT PRIMARY KEY NOT NULL,
    -- Hex SHA-256 of the invite code; the code itself is never stored.
    code_hash     TEXT NOT NULL UNIQUE,
    federation_id TEXT NOT NULL REFERENCES federations (id),
    created_by    TEXT,
    created_at    TEXT NOT NULL,
    expires_at    TEXT,
    revoked_at    TEXT,
    uses          INTEGER NOT NULL DEFAULT 0,
    max_uses      INTEGER CHECK (max_uses IS NULL OR max_uses > 0)
) STRICT;

-- Every revision the server accepted, append-only, written in the transaction that stores
-- the record: who (device, its name then, its unit) and when (server time), for a record's
-- history (lịch sử).
CREATE TABLE revisions (
    cluster_id    TEXT NOT NULL,
    record_id     TEXT NOT NULL,
    device_id     TEXT NOT NULL,
    device_name   TEXT NOT NULL,
    unit_id       TEXT NOT NULL,
    received_at   TEXT NOT NULL,
    -- The serialized thidua_core::sync::Revision.
    revision_json TEXT NOT NULL
) STRICT;
CREATE INDEX revisions_record ON revisions (record_id);

CREATE TRIGGER revisions_no_update BEFORE UPDATE ON revisions
BEGIN
    SELECT RAISE(ABORT, 'revisions are append-only');
END;
CREATE TRIGGER revisions_no_delete BEFORE DELETE ON revisions
BEGIN
    SELECT RAISE(ABORT, 'revisions are append-only');
END;
