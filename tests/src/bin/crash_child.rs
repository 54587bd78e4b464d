//! The writer of the crash tests (`tests/crash.rs`): opens the store named by its first argument,
//! prints `ready`, then marks facts one after another and prints `ack <id>` on a line of its own
//! after each mark returns (once the fact is durable). It stops after `--marks N` marks, or after a
//! minute in case its parent is gone and nobody kills it.

use std::io::Write;
use std::path::PathBuf;
use std::time::{Duration, Instant};

use obhod_core::Outcome;
use obhod_store::{Campaign, Mark};

const PREMISES: [&str; 5] = ["1", "2", "3", "Чердак", "Полуподвал"];
const LIFETIME: Duration = Duration::from_secs(60);

fn main() {
    let mut args = std::env::args().skip(1);
    let path = PathBuf::from(args.next().expect("usage: obhod-crash-child STORE ROUND [--marks N]"));
    let round = args.next().unwrap_or_default();
    let marks: usize = match (args.next().as_deref(), args.next()) {
        (Some("--marks"), Some(n)) => n.parse().expect("--marks takes a number"),
        _ => usize::MAX,
    };
    let mut out = std::io::stdout().lock();
    let mut campaign = Campaign::open(&path).unwrap_or_else(|e| panic!("{}", e.message(obhod_core::Lang::En)));
    writeln!(out, "ready").unwrap();
    out.flush().unwrap();
    let started = Instant::now();
    for n in 0..marks {
        if started.elapsed() > LIFETIME {
            break;
        }
        let note = Some(format!("round {round}, mark {n}"));
        let mark = Mark { note, ..Mark::new(PREMISES[n % PREMISES.len()], Outcome::Absent) };
        let ids = campaign.mark(mark).unwrap_or_else(|e| panic!("{}", e.message(obhod_core::Lang::En)));
        writeln!(out, "ack {}", ids.last().expect("a mark writes a fact")).unwrap();
        out.flush().unwrap();
    }
}
