-- What this device has verified of the document: every signed fact and ballot in it at `heads`
-- was checked against its device's key (`keys`: JSON, device id to public key, hex), so an open
-- verifies only what came after, or what a device re-keyed signed.
CREATE TABLE verified (
    campaign     TEXT PRIMARY KEY NOT NULL REFERENCES campaign (id),
    heads        BLOB NOT NULL,
    keys         TEXT NOT NULL
) STRICT;
