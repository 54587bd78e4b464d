//! What a running sync daemon and a waiting `obhod group invite` read of the invites this device
//! made: every token hash (the daemon checks a joiner's proof against each, since it never holds a
//! token), and whether one was used (the invite's maker learns that a device joined through the
//! daemon). Reads only; `add_invite` and `take_invite` write.

use chrono::{DateTime, FixedOffset};
use rusqlite::OptionalExtension;

use crate::campaign::Campaign;
use crate::error::StoreError;

impl Campaign {
    /// The token hashes of every invite made on this device for this campaign, used and expired
    /// ones too (so that a late joiner learns why it is refused), the latest to expire first.
    pub fn invite_hashes(&self) -> Result<Vec<[u8; 32]>, StoreError> {
        let read = || -> Result<Vec<[u8; 32]>, rusqlite::Error> {
            let mut select =
                self.conn.prepare_cached("SELECT token_hash FROM invite WHERE campaign = ?1 ORDER BY expires DESC")?;
            let rows = select.query_map([&self.id], |r| r.get::<_, Vec<u8>>(0))?;
            Ok(rows.filter_map(|row| row.ok()?.try_into().ok()).collect())
        };
        read().map_err(|error| StoreError::from(error).at(&self.path))
    }

    /// When the invite with this token hash was used, if it was (`None`: not yet, or never made).
    pub fn invite_used(&self, token_hash: [u8; 32]) -> Result<Option<DateTime<FixedOffset>>, StoreError> {
        let used: Option<Option<String>> = self
            .conn
            .query_row(
                "SELECT used_at FROM invite WHERE token_hash = ?1 AND campaign = ?2",
                rusqlite::params![token_hash.as_slice(), self.id],
                |r| r.get(0),
            )
            .optional()
            .map_err(|error| StoreError::from(error).at(&self.path))?;
        Ok(used.flatten().and_then(|text| DateTime::parse_from_rfc3339(&text).ok()))
    }
}

#[cfg(test)]
mod tests {
    use chrono::Local;

    use crate::Campaign;
    use crate::support::sources;

    #[test]
    fn invites_are_listed_by_hash_and_their_use_is_seen() {
        let dir = tempfile::tempdir().unwrap();
        let mut campaign = Campaign::init(&dir.path().join("a.db"), sources()).unwrap();
        assert_eq!(campaign.invite_hashes().unwrap(), Vec::<[u8; 32]>::new());
        let now = Local::now().fixed_offset();
        campaign.add_invite([1; 32], now + chrono::Duration::minutes(5)).unwrap();
        campaign.add_invite([2; 32], now + chrono::Duration::minutes(10)).unwrap();
        assert_eq!(campaign.invite_hashes().unwrap(), vec![[2; 32], [1; 32]]);
        assert_eq!(campaign.invite_used([1; 32]).unwrap(), None);
        assert_eq!(campaign.take_invite([1; 32]).unwrap(), crate::InviteCheck::Valid);
        assert!(campaign.invite_used([1; 32]).unwrap().is_some());
        assert_eq!(campaign.invite_used([2; 32]).unwrap(), None);
        assert_eq!(campaign.invite_used([3; 32]).unwrap(), None);
    }
}
