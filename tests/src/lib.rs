//! Shared pieces of the cross-crate end-to-end tests in `tests/` and of the benchmarks in
//! `benches/`: the guide's worked example, and a generated large building with random canvass
//! facts; and `net`, a simulated network of replicas for the sync tests.

pub mod marks;
pub mod net;
pub mod proto_net;

use std::fmt::Write as _;
use std::ops::Range;
use std::path::{Path, PathBuf};
use std::time::Duration;

use obhod_core::Outcome;
use obhod_store::{Campaign, Mark, Sources, StoreError};

/// A file of the guide's worked example (`fixtures/guide-example`).
pub fn guide_file(name: &str) -> String {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../fixtures/guide-example").join(name);
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// The guide example's meeting and registry, as `obhod init` reads them.
pub fn guide_sources() -> Sources {
    Sources {
        meeting_file: "meeting.toml".into(),
        meeting_text: guide_file("meeting.toml"),
        registry_file: "registry.csv".into(),
        registry_text: guide_file("registry.csv"),
    }
}

/// A small deterministic generator (splitmix64): the generated building and facts are the same on
/// every run and need no `rand`.
#[derive(Debug, Clone)]
pub struct SplitMix(u64);

impl SplitMix {
    pub fn new(seed: u64) -> SplitMix {
        SplitMix(seed)
    }

    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }

    /// A number in `0..n`.
    pub fn below(&mut self, n: usize) -> usize {
        (self.next_u64() % n as u64) as usize
    }
}

/// A flat of the generated building: its label and its owners' names.
#[derive(Debug, Clone)]
pub struct GeneratedFlat {
    pub label: String,
    pub owners: Vec<String>,
}

const MEETING: &str = r#"
[building]
address = "г. Примерск, ул. Длинная, д. 100"
postcode = "644000"
registry = "registry.csv"

[meeting]
kind = "extraordinary"
form = "in_person_and_absentee"
date = 2026-12-10
time = "19:00"
place = "во дворе дома, у подъезда 1"
voting_ends = 2026-12-20
ballots_to = "кв. 1 (почтовый ящик)"
initiator = "Собственник 1-1, собственник кв. 1"
chair = "Собственник 1-1"
secretary = "Собственник 2-1"
counting_commission = ["Собственник 3-1"]
protocol_number = ""
storage = "кв. 1"

[[question]]
text = "Избрание председателя и секретаря общего собрания"
proposal = "Избрать председателем собрания собственника кв. 1, секретарём собственника кв. 2"
item = "other"

[[question]]
text = "Выбор способа управления домом"
proposal = "Выбрать способ управления — управление управляющей организацией"
item = "4"

[[question]]
text = "Капитальный ремонт крыши"
proposal = "Провести капитальный ремонт крыши в 2027 году за счёт фонда капитального ремонта"
item = "1"
"#;

/// A building of `flats` flats, 100 to an entrance and 10 to a floor (1,000 flats: 10 entrances of
/// 10 floors), one to three owners each with shares summing to 1; the same for the same seed.
pub fn generated_building(flats: usize, seed: u64) -> (Sources, Vec<GeneratedFlat>) {
    generate_building(&mut SplitMix::new(seed), flats)
}

/// [`generated_building`] drawing from `rng`, which goes on to draw the facts (as the store
/// benchmark does, so that its campaign stays the one it always measured).
pub fn generate_building(rng: &mut SplitMix, flats: usize) -> (Sources, Vec<GeneratedFlat>) {
    let mut csv = String::from("premise,kind,area,entrance,floor,owner,share\n");
    let mut generated = Vec::with_capacity(flats);
    for i in 0..flats {
        let label = (i + 1).to_string();
        let area = format!("{}.{}", 30 + rng.below(70), rng.below(10));
        let (entrance, floor) = (i / 100 + 1, i % 100 / 10 + 1);
        let shares: &[&str] = match rng.below(3) {
            0 => &["1"],
            1 => &["1/2", "1/2"],
            _ => &["1/2", "1/4", "1/4"],
        };
        let mut owners = Vec::new();
        for (k, share) in shares.iter().enumerate() {
            let owner = format!("Собственник {}-{}", i + 1, k + 1);
            writeln!(csv, "{label},flat,{area},{entrance},{floor},{owner},{share}").unwrap();
            owners.push(owner);
        }
        generated.push(GeneratedFlat { label, owners });
    }
    let sources = Sources {
        meeting_file: "meeting.toml".into(),
        meeting_text: MEETING.into(),
        registry_file: "registry.csv".into(),
        registry_text: csv,
    };
    (sources, generated)
}

/// A mark at a random flat: delivered, absent, refused or letter; a third for one owner, a fifth
/// with a note (which carries `n`).
pub fn random_mark(rng: &mut SplitMix, flats: &[GeneratedFlat], n: usize) -> Mark {
    let flat = &flats[rng.below(flats.len())];
    let outcome = [Outcome::Delivered, Outcome::Absent, Outcome::Refused, Outcome::Letter][rng.below(4)];
    let owner = (rng.below(3) == 0).then(|| flat.owners[rng.below(flat.owners.len())].clone());
    let note = (rng.below(5) == 0).then(|| format!("заметка {n}: дверь в конце коридора"));
    Mark { owner, note, ..Mark::new(&flat.label, outcome) }
}

/// Records one [`random_mark`] for each number in `numbers`, one `Campaign::mark` (one durable
/// commit) each.
pub fn record_random_facts(
    campaign: &mut Campaign,
    rng: &mut SplitMix,
    flats: &[GeneratedFlat],
    numbers: Range<usize>,
) -> Result<(), StoreError> {
    for n in numbers {
        campaign.mark(random_mark(rng, flats, n))?;
    }
    Ok(())
}

/// The `p`th percentile (nearest rank) of durations sorted in ascending order.
pub fn percentile(sorted: &[Duration], p: f64) -> Duration {
    let rank = ((p / 100.0) * sorted.len() as f64).ceil() as usize;
    sorted[rank.clamp(1, sorted.len()) - 1]
}

/// A duration in milliseconds, for the benchmarks' figures.
pub fn ms(d: Duration) -> String {
    format!("{:.3} ms", d.as_secs_f64() * 1e3)
}

/// Copies a closed store (SQLite removes the WAL when the last connection closes; a WAL left
/// behind is copied too).
pub fn copy_store(from: &Path, to: &Path) {
    std::fs::copy(from, to).unwrap();
    let wal = |p: &Path| PathBuf::from(format!("{}-wal", p.display()));
    if wal(from).exists() {
        std::fs::copy(wal(from), wal(to)).unwrap();
    }
}

/// Copies the change rows of the store at `from` into the one at `into`, as a sync would deliver
/// them (`INSERT OR IGNORE`: the hash is unique). Carries every change only while `from` has not
/// compacted its rows into a snapshot, which is checked.
pub fn merge_rows(into: &Path, from: &Path) {
    let conn = rusqlite::Connection::open(into).unwrap();
    conn.busy_timeout(Duration::from_secs(10)).unwrap();
    conn.execute("ATTACH DATABASE ?1 AS other", [from.to_str().unwrap()]).unwrap();
    let snapshots: i64 = conn.query_row("SELECT count(*) FROM other.snapshot", [], |r| r.get(0)).unwrap();
    assert_eq!(snapshots, 0, "{}: compacted, its rows no longer carry every change", from.display());
    conn.execute(
        "INSERT OR IGNORE INTO main.change (campaign, hash, data)
         SELECT campaign, hash, data FROM other.change ORDER BY seq",
        [],
    )
    .unwrap();
    conn.execute("DETACH DATABASE other", []).unwrap();
}

/// Makes `campaign` a device of the group of `ca` named `name`, with a certificate the CA issued
/// for its device id, and records it on the organiser's device: the store at `organiser`, or
/// `campaign` itself when `organiser` is `None` (it is the organiser's device and holds the CA).
pub fn make_member(ca: &obhod_syncd::GroupCa, campaign: &mut Campaign, name: &str, organiser: Option<&Path>) {
    let member = ca.issue(campaign.device(), name).unwrap();
    campaign
        .set_membership(&obhod_store::Membership {
            group: "G".into(),
            group_name: "Дом".into(),
            device_name: name.into(),
            member_pem: member.to_pem(),
            ca_pem: organiser.is_none().then(|| ca.to_pem()),
        })
        .unwrap();
    let serial = hex::encode(obhod_syncd::member_serial(member.cert_der()).unwrap());
    let added = chrono::Local::now().fixed_offset();
    let record = obhod_store::MemberRecord {
        organiser: organiser.is_none(),
        ..obhod_store::MemberRecord::new(campaign.device(), name, &serial, member.cert_der(), added)
    };
    match organiser {
        None => campaign.add_member(&record).unwrap(),
        Some(organiser) => Campaign::open(organiser).unwrap().add_member(&record).unwrap(),
    }
}

/// The release `obhod` binary a benchmark runs: `OBHOD_BIN`, else the one cargo built beside the
/// benchmark (target/release/deps/BENCH-… → target/release/obhod).
pub fn release_binary() -> PathBuf {
    let binary = release_binary_path();
    assert!(
        binary.exists(),
        "{} is not built: run `cargo build --release -p obhod` first (or name a binary in OBHOD_BIN)",
        binary.display()
    );
    binary
}

/// Where `release_binary` looks: `OBHOD_BIN`, else `obhod` beside the running benchmark's directory.
pub fn release_binary_path() -> PathBuf {
    if let Some(path) = std::env::var_os("OBHOD_BIN") {
        return path.into();
    }
    let exe = std::env::current_exe().unwrap();
    exe.parent().and_then(Path::parent).unwrap().join("obhod")
}
