//! The daemon's one open campaign, shared by its links: a std mutex taken only around the store's
//! synchronous calls, never across an `.await`, and a watch of the document's heads that wakes every
//! link when any of them (or the look at other processes' writes) brings something new.

use std::sync::{Mutex, MutexGuard, TryLockError};

use automerge::ChangeHash;
use obhod_store::Campaign;
use tokio::runtime::{Handle, RuntimeFlavor};
use tokio::sync::watch;

use crate::session::Access;

pub struct SharedCampaign {
    campaign: Mutex<Campaign>,
    heads: watch::Sender<Vec<ChangeHash>>,
}

impl SharedCampaign {
    pub fn new(campaign: Campaign) -> SharedCampaign {
        let (heads, _) = watch::channel(campaign.heads());
        SharedCampaign { campaign: Mutex::new(campaign), heads }
    }

    /// Runs `act` on the campaign; when the document's heads moved, every link is told.
    pub fn with<T>(&self, act: impl FnOnce(&mut Campaign) -> T) -> T {
        let mut campaign = self.lock();
        let before = campaign.heads();
        let value = act(&mut campaign);
        let after = campaign.heads();
        // Told under the lock, so that the heads told never go back.
        if after != before {
            self.heads.send_replace(after);
        }
        value
    }

    /// The document's heads as they move.
    pub fn heads(&self) -> watch::Receiver<Vec<ChangeHash>> {
        self.heads.subscribe()
    }

    /// The lock; while another link holds it (writing to disk), this worker thread is handed back
    /// to the runtime so that the other connections go on.
    fn lock(&self) -> MutexGuard<'_, Campaign> {
        match self.campaign.try_lock() {
            Ok(guard) => guard,
            Err(TryLockError::Poisoned(_)) => panic!("a link panicked holding the campaign"),
            Err(TryLockError::WouldBlock) if multi_threaded() => tokio::task::block_in_place(|| self.wait()),
            Err(TryLockError::WouldBlock) => self.wait(),
        }
    }

    fn wait(&self) -> MutexGuard<'_, Campaign> {
        self.campaign.lock().expect("no link panicked holding the campaign")
    }
}

fn multi_threaded() -> bool {
    Handle::try_current().is_ok_and(|handle| handle.runtime_flavor() == RuntimeFlavor::MultiThread)
}

impl Access for &SharedCampaign {
    fn with<T>(&mut self, act: impl FnOnce(&mut Campaign) -> T) -> T {
        SharedCampaign::with(self, act)
    }
}
