-- The campaign: one automerge document. Its bytes live in `snapshot` (a compacted save) plus the
-- `change` rows written since (one per user action, or per change received by sync).
CREATE TABLE campaign (
    id          TEXT PRIMARY KEY NOT NULL,
    created_at  TEXT NOT NULL
) STRICT;

-- This device: the id that every fact recorded here carries.
CREATE TABLE device (
    id          TEXT PRIMARY KEY NOT NULL
) STRICT;

CREATE TABLE snapshot (
    campaign    TEXT PRIMARY KEY NOT NULL REFERENCES campaign (id),
    data        BLOB NOT NULL,
    -- the highest `change.seq` folded into `data`; rows up to it have been deleted
    upto        INTEGER NOT NULL,
    saved_at    TEXT NOT NULL
) STRICT;

CREATE TABLE change (
    seq         INTEGER PRIMARY KEY AUTOINCREMENT,
    campaign    TEXT NOT NULL REFERENCES campaign (id),
    hash        BLOB NOT NULL,
    data        BLOB NOT NULL,
    UNIQUE (campaign, hash)
) STRICT;
