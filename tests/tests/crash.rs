//! A mark that `Campaign::mark` has acknowledged survives the process being killed (SIGKILL) at
//! any moment after, and a store killed at any moment opens again.
//!
//! The writer is the `obhod-crash-child` binary of this crate: it marks facts one after another
//! and prints `ack <id>` on a line of its own after each mark returns. The parent kills it after a
//! random delay, again and again, and keeps the ids of the complete lines it read; at the end every
//! one of them must be in the store.

use std::collections::BTreeSet;
use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use obhod_store::Campaign;
use obhod_tests::guide_sources;
use rand::RngExt;

const ACKNOWLEDGED: usize = 1_000;
const TIME_LIMIT: Duration = Duration::from_secs(300);
/// How long the child may take to open the store before the round gives up waiting for it.
const OPEN_LIMIT: Duration = Duration::from_secs(30);

/// The writer process on the store at `path`, its stdout piped; `marks` bounds it.
fn child(path: &Path, round: &str, marks: Option<usize>) -> Child {
    let mut command = Command::new(env!("CARGO_BIN_EXE_obhod-crash-child"));
    command.arg(path).arg(round);
    if let Some(marks) = marks {
        command.args(["--marks", &marks.to_string()]);
    }
    command.stdin(Stdio::null()).stdout(Stdio::piped()).stderr(Stdio::inherit()).spawn().unwrap()
}

/// Two processes (the TUI and the sync daemon, say) marking the same store at the same time
/// lose nothing and both finish.
#[test]
fn two_processes_write_one_store_at_once() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("obhod.db");
    drop(Campaign::init(&path, guide_sources()).unwrap());
    let children = [child(&path, "a", Some(300)), child(&path, "b", Some(300))];
    let mut acknowledged = BTreeSet::new();
    for child in children {
        let out = child.wait_with_output().unwrap();
        assert!(out.status.success(), "a writer failed: {}", out.status);
        let text = String::from_utf8(out.stdout).unwrap();
        assert_eq!(text.lines().next(), Some("ready"), "{text}");
        acknowledged.extend(text.lines().filter_map(|l| l.strip_prefix("ack ")).map(str::to_string));
    }
    assert_eq!(acknowledged.len(), 600);
    let stored: BTreeSet<String> = Campaign::open(&path).unwrap().facts().map(|f| f.id.clone()).collect();
    assert_eq!(stored, acknowledged);
}

/// One complete line of the child's stdout, or the end of it.
enum Line {
    Complete(String),
    End,
}

#[test]
fn acknowledged_marks_survive_sigkill() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("obhod.db");
    drop(Campaign::init(&path, guide_sources()).unwrap());

    let mut rng = rand::rng();
    let started = Instant::now();
    let mut acknowledged: BTreeSet<String> = BTreeSet::new();
    let (mut rounds, mut before_ready, mut partial_lines) = (0, 0, 0);
    while acknowledged.len() < ACKNOWLEDGED {
        assert!(
            started.elapsed() < TIME_LIMIT,
            "only {} of {ACKNOWLEDGED} marks acknowledged in {} rounds within {TIME_LIMIT:?}",
            acknowledged.len(),
            rounds
        );
        rounds += 1;
        let mut child = child(&path, &rounds.to_string(), None);
        let stdout = child.stdout.take().unwrap();
        let (lines, received) = mpsc::channel();
        let reader = std::thread::spawn(move || {
            let mut stdout = BufReader::new(stdout);
            let mut partial = false;
            loop {
                let mut line = Vec::new();
                match stdout.read_until(b'\n', &mut line) {
                    Ok(0) | Err(_) => break,
                    // Cut off by the kill: the mark may be durable, but it was not acknowledged.
                    Ok(_) if !line.ends_with(b"\n") => partial = true,
                    Ok(_) => {
                        let text = String::from_utf8_lossy(&line).trim_end().to_string();
                        let _ = lines.send(Line::Complete(text));
                    }
                }
            }
            let _ = lines.send(Line::End);
            partial
        });
        // One round in four is killed at a random moment from its start, maybe while it opens
        // (and compacts) the store; the others once the store is open and marks are under way.
        if rounds % 4 != 0 {
            let deadline = Instant::now() + OPEN_LIMIT;
            loop {
                match received.recv_timeout(deadline.saturating_duration_since(Instant::now())) {
                    Ok(Line::Complete(line)) if line == "ready" => break,
                    Ok(Line::Complete(line)) => assert!(!line.starts_with("ack "), "an ack before ready: {line}"),
                    Ok(Line::End) => {
                        panic!("round {rounds}: the child ended before opening the store: {:?}", child.wait())
                    }
                    Err(_) => panic!("round {rounds}: the child did not open the store within {OPEN_LIMIT:?}"),
                }
            }
        } else {
            before_ready += 1;
        }
        std::thread::sleep(Duration::from_millis(rng.random_range(5..=60)));
        child.kill().unwrap(); // SIGKILL
        let status = child.wait().unwrap();
        assert!(status.code().is_none(), "round {rounds}: the child was not killed but exited: {status}");
        partial_lines += usize::from(reader.join().unwrap());
        for line in received.try_iter() {
            let Line::Complete(line) = line else { continue };
            if let Some(id) = line.strip_prefix("ack ") {
                assert_eq!(id.len(), 26, "not a fact id: {line:?}");
                assert!(acknowledged.insert(id.to_string()), "round {rounds}: {id} acknowledged twice");
            }
        }
    }

    let campaign = Campaign::open(&path).unwrap();
    let stored: BTreeSet<String> = campaign.facts().map(|f| f.id.clone()).collect();
    let lost: Vec<&String> = acknowledged.iter().filter(|id| !stored.contains(*id)).collect();
    assert!(
        lost.is_empty(),
        "{} of {} acknowledged marks lost, e.g. {:?}",
        lost.len(),
        acknowledged.len(),
        &lost[..lost.len().min(5)]
    );
    assert!(stored.len() >= acknowledged.len());
    let canvass = campaign.canvass();
    assert_eq!(canvass.facts.len(), stored.len());
    drop(campaign);
    let conn = rusqlite::Connection::open(&path).unwrap();
    let check: String = conn.query_row("PRAGMA integrity_check", [], |r| r.get(0)).unwrap();
    assert_eq!(check, "ok");
    eprintln!(
        "{} marks acknowledged over {rounds} kills ({before_ready} of them at random from the start, {partial_lines} \
         cut mid-line); {} stored; {:.1} s",
        acknowledged.len(),
        stored.len(),
        started.elapsed().as_secs_f64()
    );
}
