-- An invite may be limited to a number of joins (NULL: no limit besides its expiry), and a
-- device's invite (devices.invite_id, set at join since 0002) is looked up to withdraw it
-- when the device is removed.
ALTER TABLE invites ADD COLUMN max_uses INTEGER CHECK (max_uses IS NULL OR max_uses > 0);
CREATE INDEX devices_invite ON devices (invite_id);
