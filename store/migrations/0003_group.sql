-- This device's place in a group of devices that sync the campaign: never synced. The member
-- PEM holds this device's private key; the CA PEM (the group's signing key) only on the
-- organiser's device.
CREATE TABLE membership (
    campaign     TEXT PRIMARY KEY NOT NULL REFERENCES campaign (id),
    grp          TEXT NOT NULL,
    group_name   TEXT NOT NULL,
    device_name  TEXT NOT NULL,
    member_pem   TEXT NOT NULL,
    ca_pem       TEXT
) STRICT;

-- One-time invites made on this device: the SHA-256 of the token, never the token.
CREATE TABLE invite (
    token_hash   BLOB PRIMARY KEY NOT NULL,
    campaign     TEXT NOT NULL REFERENCES campaign (id),
    expires      TEXT NOT NULL,
    used_at      TEXT
) STRICT;

-- The group's other devices as this device knows them: when last seen and synced, whether a
-- connection is open now (the daemon keeps it up to date), and the addresses they were reached at.
CREATE TABLE peer (
    device       TEXT PRIMARY KEY NOT NULL,
    campaign     TEXT NOT NULL REFERENCES campaign (id),
    name         TEXT NOT NULL,
    last_seen    TEXT,
    last_sync    TEXT,
    connected    INTEGER NOT NULL DEFAULT 0,
    heads        BLOB
) STRICT;

CREATE TABLE peer_address (
    device       TEXT NOT NULL REFERENCES peer (device),
    address      TEXT NOT NULL,
    seen_at      TEXT NOT NULL,
    PRIMARY KEY (device, address)
) STRICT;
