//! Signing what a write puts into the document, last thing under the write lock: a fact or a
//! ballot gets this device's next sequence number `n`, the digest of its record before (`prev`)
//! and its member signature; a meeting update
//! its signature over the new text, file and address; a registry update its signature over the
//! new text and file; a group record (the organiser's device
//! only) its next version, its base and the CA's signature. With no readable key the entries go
//! as they are (a campaign before any group).

use serde_json::{Map as JsonMap, Value};

use crate::group::{GROUP_KEY, GroupRecord, group_entry, group_record};
use crate::replica::{Entry, Map, Replica};
use crate::sign::{self, Keys};

pub(super) fn seal(
    keys: &Keys,
    replica: &Replica,
    campaign: &str,
    device: &str,
    mut entries: Vec<Entry>,
) -> Vec<Entry> {
    if keys.member.is_none() && keys.ca.is_none() {
        return entries;
    }
    let record = group_record(&replica.doc);
    let is_group = |e: &Entry| e.map == Map::Root && e.key == GROUP_KEY;
    // A record an older obhod wrote unsigned is signed on the organiser's next write.
    if keys.ca.is_some() && replica.group.is_none() && !record.members.is_empty() && !entries.iter().any(is_group) {
        entries.push(group_entry(&record));
    }
    let mut n = replica.last_n(device);
    // Each record names the digest of this device's record before it: a receiver verifies the
    // signature of a device's newest record and takes the ones it chains to by their digests.
    let mut prev = replica.tail_digest(device);
    let hash = |map: Map| entries.iter().find(|e| e.map == map && e.key == "text").map(|e| sign::sha256_hex(&e.text));
    let (text, registry) = (hash(Map::Meeting), hash(Map::Registry));
    let address = entries.iter().find(|e| e.map == Map::Root && e.key == "address").map(|e| e.text.clone());
    for entry in &mut entries {
        let sealed = match (entry.map, entry.key.as_str()) {
            (Map::Facts | Map::Ballots, _) => keys.member.as_ref().and_then(|signer| {
                n += 1;
                let map = if entry.map == Map::Facts { "facts" } else { "ballots" };
                let mut fields = JsonMap::from_iter([("n".to_string(), Value::from(n))]);
                fields.extend(prev.map(|digest| ("prev".to_string(), Value::from(hex::encode(digest)))));
                let text = sign::seal(signer, campaign, map, &entry.key, &entry.text, fields)?;
                let value = sign::Sealed::read(&text).map(|sealed| sealed.value);
                prev = value.map(|value| sign::digest(campaign, map, &entry.key, &value));
                Some(text)
            }),
            (Map::Meeting, "updated") => keys.member.as_ref().and_then(|signer| {
                let mut fields = JsonMap::new();
                fields.extend(text.clone().map(|hash| ("text_sha256".to_string(), Value::from(hash))));
                fields.extend(address.clone().map(|address| ("address".to_string(), Value::from(address))));
                sign::seal(signer, campaign, "meeting", "updated", &entry.text, fields)
            }),
            (Map::Registry, "updated") => keys.member.as_ref().and_then(|signer| {
                let mut fields = JsonMap::new();
                fields.extend(registry.clone().map(|hash| ("text_sha256".to_string(), Value::from(hash))));
                sign::seal(signer, campaign, "registry", "updated", &entry.text, fields)
            }),
            (Map::Root, GROUP_KEY) => keys.ca.as_ref().and_then(|ca| {
                let mut group: GroupRecord = serde_json::from_str(&entry.text).ok()?;
                group.version = record.version.max(replica.group.as_ref().map_or(0, |g| g.version)) + 1;
                group.ca = hex::encode(ca.public_key());
                group.base = match &replica.group {
                    Some(now) => now.base.iter().map(ToString::to_string).collect(),
                    None => replica.doc.get_heads().iter().map(ToString::to_string).collect(),
                };
                let text = serde_json::to_string(&group).ok()?;
                sign::seal(ca, campaign, "root", GROUP_KEY, &text, JsonMap::new())
            }),
            _ => None,
        };
        if let Some(text) = sealed {
            entry.text = text;
        }
    }
    entries
}
