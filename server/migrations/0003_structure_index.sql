-- The few records every push may need (cluster, units, roles, campaigns) are loaded per
-- cluster into memory; this partial index finds them without scanning the cluster's entries,
-- and costs nothing when entries, pledges or reviews are written.
CREATE INDEX records_structure ON records (cluster_id)
    WHERE kind IN ('cluster', 'unit', 'roles', 'campaign');
