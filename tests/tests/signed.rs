//! In a group every device signs what it records; the append-only check then accepts every honest
//! change, whatever the order in which the devices record and sync: each replica ends with the same
//! document and the same canvass, and counts every fact.

use std::path::Path;

use obhod_core::Outcome;
use obhod_store::{Campaign, Mark, SyncSession};
use obhod_syncd::GroupCa;
use obhod_tests::{guide_sources, make_member};
use proptest::prelude::*;

/// What a device does, or which two devices sync.
#[derive(Debug, Clone)]
enum Step {
    Mark {
        device: usize,
        premise: usize,
        outcome: usize,
    },
    /// Withdraws the newest standing fact this device holds, if any.
    Undo {
        device: usize,
    },
    /// The organiser's device moves the meeting's date by a day.
    Meeting,
    Sync {
        from: usize,
        to: usize,
    },
}

fn step() -> impl Strategy<Value = Step> {
    prop_oneof![
        4 => (0..3usize, 1..6usize, 0..4usize).prop_map(|(device, premise, outcome)| Step::Mark { device, premise, outcome }),
        1 => (0..3usize).prop_map(|device| Step::Undo { device }),
        1 => Just(Step::Meeting),
        3 => (0..3usize, 0..3usize).prop_map(|(from, to)| Step::Sync { from, to }),
    ]
}

/// The organiser's device and two members', the group recorded on all three.
fn group(dir: &Path) -> Vec<Campaign> {
    let ca = GroupCa::create("G").unwrap();
    let mut a = Campaign::init(&dir.join("a.db"), guide_sources()).unwrap();
    a.mark(Mark::new("1", Outcome::Absent)).unwrap();
    let mut b = a.replica_to(&dir.join("b.db")).unwrap();
    let mut c = a.replica_to(&dir.join("c.db")).unwrap();
    let organiser = a.path().to_path_buf();
    make_member(&ca, &mut a, "организатор", None);
    make_member(&ca, &mut b, "телефон Анны", Some(&organiser));
    make_member(&ca, &mut c, "телефон Олега", Some(&organiser));
    let mut a = Campaign::open(a.path()).unwrap();
    sync(&mut a, &mut b).unwrap();
    sync(&mut a, &mut c).unwrap();
    vec![a, b, c]
}

/// Syncs two stores both ways until neither has anything to say; any refusal is returned.
fn sync(a: &mut Campaign, b: &mut Campaign) -> Result<(), obhod_store::StoreError> {
    let (mut sa, mut sb) = (SyncSession::new(), SyncSession::new());
    for _ in 0..100 {
        let to_b = sa.generate(a);
        if let Some(m) = &to_b {
            sb.receive(b, m)?;
        }
        let to_a = sb.generate(b);
        if let Some(m) = &to_a {
            sa.receive(a, m)?;
        }
        if to_a.is_none() && to_b.is_none() {
            return Ok(());
        }
    }
    panic!("the sync does not end")
}

fn pair(stores: &mut [Campaign], from: usize, to: usize) -> (&mut Campaign, &mut Campaign) {
    let (low, high) = stores.split_at_mut(from.max(to));
    if from < to { (&mut low[from], &mut high[0]) } else { (&mut high[0], &mut low[to]) }
}

fn run(stores: &mut [Campaign], step: &Step) {
    match *step {
        Step::Mark { device, premise, outcome } => {
            let outcome = [Outcome::Delivered, Outcome::Absent, Outcome::Refused, Outcome::Letter][outcome];
            let owned: Vec<&obhod_core::Premise> =
                stores[device].registry().premises.iter().filter(|p| !p.owners().is_empty()).collect();
            let label = owned[premise % owned.len()].label.clone();
            stores[device].mark(Mark::new(&label, outcome)).unwrap();
        }
        Step::Undo { device } => {
            let canvass = stores[device].canvass();
            let standing: Vec<String> = stores[device]
                .facts()
                .filter(|f| canvass.is_standing(f) && matches!(f.act, obhod_core::Act::Mark { .. }))
                .map(|f| f.id.clone())
                .collect();
            if let Some(id) = standing.last() {
                stores[device].undo(id, None).unwrap();
            }
        }
        Step::Meeting => {
            let text = stores[0].sources().meeting_text.clone();
            let old = stores[0].meeting().date.format("date = %Y-%m-%d").to_string();
            let new = (stores[0].meeting().date + chrono::Duration::days(1)).format("date = %Y-%m-%d").to_string();
            stores[0].update_meeting("meeting.toml", &text.replacen(&old, &new, 1)).unwrap();
        }
        Step::Sync { from, to } if from != to => {
            let (a, b) = pair(stores, from, to);
            sync(a, b).unwrap();
        }
        Step::Sync { .. } => {}
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 16, ..ProptestConfig::default() })]

    #[test]
    fn every_interleaving_of_honest_signed_changes_is_accepted_everywhere(steps in proptest::collection::vec(step(), 0..30)) {
        let dir = tempfile::tempdir().unwrap();
        let mut stores = group(dir.path());
        for step in &steps {
            run(&mut stores, step);
        }
        for (from, to) in [(0, 1), (1, 2), (2, 0), (0, 1)] {
            let (a, b) = pair(&mut stores, from, to);
            sync(a, b).unwrap();
        }
        let recorded: usize = stores[0].facts().count();
        for store in &stores {
            prop_assert_eq!(store.heads(), stores[0].heads());
            prop_assert_eq!(store.canvass(), stores[0].canvass());
            prop_assert_eq!(store.facts().count(), recorded);
            prop_assert!(store.refused_facts().is_empty(), "{:?}", store.refused_facts());
            prop_assert_eq!(&store.sources().meeting_text, &stores[0].sources().meeting_text);
        }
    }
}
