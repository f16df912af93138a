-- Evidence files (their bytes live in <data>/files/, content-addressed, not in this database).
--
-- file_refs: which records of which cluster name which file (an entry's `files`, in any of
-- its live versions), kept in step wherever records are written. A device may upload or
-- read a file only if a record of its cluster names it.
CREATE TABLE file_refs (
    cluster_id TEXT NOT NULL,
    hash       TEXT NOT NULL,
    record_id  TEXT NOT NULL,
    size       INTEGER NOT NULL,
    type       TEXT NOT NULL,
    -- The name the file had on the phone (shown in Content-Disposition, never a path).
    name       TEXT NOT NULL,
    PRIMARY KEY (cluster_id, hash, record_id)
) STRICT;
CREATE INDEX file_refs_record ON file_refs (record_id);

-- cluster_files: the files each cluster sent whole (hash and type checked). Each cluster
-- proves it has the bytes by sending them, even when another cluster sent the same file
-- (stored once on disk), so nothing tells one cluster what another holds; and each cluster's
-- total (its quota) is the sum of its rows. `orphan_since`: when the garbage collector first
-- saw no record of the cluster naming it (NULL while one does).
CREATE TABLE cluster_files (
    cluster_id   TEXT NOT NULL,
    hash         TEXT NOT NULL,
    size         INTEGER NOT NULL,
    type         TEXT NOT NULL,
    stored_at    TEXT NOT NULL,
    orphan_since TEXT,
    PRIMARY KEY (cluster_id, hash)
) STRICT;
CREATE INDEX cluster_files_hash ON cluster_files (hash);

-- Entries written before this migration: index the files they already list.
INSERT OR IGNORE INTO file_refs (cluster_id, hash, record_id, size, type, name)
SELECT r.cluster_id, json_extract(f.value, '$.hash'), r.record_id,
       json_extract(f.value, '$.size'), json_extract(f.value, '$.type'),
       COALESCE(json_extract(f.value, '$.name'), '')
FROM records r, json_each(r.state_json, '$.heads') h, json_each(h.value, '$.body.files') f
WHERE r.kind = 'entry' AND json_extract(f.value, '$.hash') IS NOT NULL;
