-- Phones and e-mails, outside the automerge document (whose history cannot be erased): a contact
-- fact in the document carries only `id`. Deleted when the owner's consent no longer stands.
CREATE TABLE contact (
    id          TEXT PRIMARY KEY NOT NULL,
    campaign    TEXT NOT NULL REFERENCES campaign (id),
    premise     TEXT NOT NULL,
    owner       TEXT NOT NULL,
    phone       TEXT,
    email       TEXT,
    recorded_at TEXT NOT NULL,
    device      TEXT NOT NULL
) STRICT;

-- An erased contact: its id and when, nothing else. A row with this id is never taken again.
CREATE TABLE contact_tombstone (
    id          TEXT PRIMARY KEY NOT NULL,
    campaign    TEXT NOT NULL REFERENCES campaign (id),
    erased_at   TEXT NOT NULL
) STRICT;
