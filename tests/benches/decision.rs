//! One decision typed on the ballot-entry screen, to the redrawn quorum panel, on the generated
//! 10,000-holding building (core/benches/common/building.rs) with its 5,000 decisions imported:
//! `Campaign::record_decision` (checked, signed, fsynced), `App::reload` (the fold, the ballots,
//! the count) and the draw of the quorum panel on a 100×30 test backend, as the screen does after
//! Enter. Goal (issue 18): p99 < 16 ms. Prints p50/p99/max of 500 decisions timed one by one, for
//! voters without a decision yet, in turn on the screen's path (`App::reload_after_decision`: the
//! decision added to the running count) and on the full `App::reload` it replaced, with the
//! record, the reload and the draw apart, and what the ballots and a full count alone cost on the
//! same campaign.
//!
//! `cargo bench -p obhod-tests --bench decision`. The store lives under cargo's target tmp dir, on
//! the same disk as a real store would. Under `cargo test --benches` a few decisions are recorded
//! and checked, and nothing is timed.

use std::collections::HashSet;
use std::time::{Duration, Instant};

use obhod_core::entry::Standing;
use obhod_core::{Answer, Ballot, Lang, Tally};
use obhod_store::{Campaign, Sources};
use obhod_tests::{ms, percentile};
use obhod_tui::app::{App, Layer, view};
use ratatui::Terminal;
use ratatui::backend::TestBackend;

#[path = "../../core/benches/common/building.rs"]
mod building;

/// Decisions timed, half on each path.
const TIMED: usize = 500;
const TEST_DECISIONS: usize = 4;
const WIDTH: u16 = 100;
const HEIGHT: u16 = 30;

/// The voters a decision may be typed for: a sole person's premise nobody has voted in yet.
fn candidates(campaign: &Campaign) -> Vec<(String, String)> {
    let registry = campaign.registry();
    let ballots = campaign.ballots();
    let voted: HashSet<&str> = ballots.iter().map(|b| b.premise.as_str()).collect();
    let mut out = Vec::new();
    for holding in &campaign.weights().holdings {
        let premise = &registry.premises[holding.premise];
        if let [owner] = holding.owners.as_slice()
            && !holding.joint
            && !owner.spans_premises()
            && !voted.contains(premise.label.as_str())
        {
            out.push((premise.label.clone(), owner.name.clone()));
        }
    }
    out.sort();
    out.dedup_by(|a, b| a.0 == b.0);
    out
}

/// One path's times, per decision.
#[derive(Default)]
struct Timings {
    whole: Vec<Duration>,
    record: Vec<Duration>,
    reload: Vec<Duration>,
    draw: Vec<Duration>,
}

fn summary(times: &mut [Duration]) -> String {
    times.sort();
    format!(
        "p50 {}  p99 {}  max {}",
        ms(percentile(times, 50.0)),
        ms(percentile(times, 99.0)),
        ms(times[times.len() - 1])
    )
}

fn main() {
    let benching = std::env::args().any(|a| a == "--bench");
    let decisions = if benching { TIMED } else { TEST_DECISIONS };
    let b = building::building();
    let dir = tempfile::Builder::new().prefix("obhod-bench-").tempdir_in(env!("CARGO_TARGET_TMPDIR")).unwrap();
    let path = dir.path().join("campaign.db");
    let sources = Sources {
        meeting_file: "meeting.toml".into(),
        meeting_text: b.meeting.clone(),
        registry_file: "registry.csv".into(),
        registry_text: b.registry.clone(),
    };
    let started = Instant::now();
    let mut campaign = Campaign::init(&path, sources).unwrap();
    let imported = campaign.import_ballots("ballots.csv", &b.ballots).unwrap();
    assert_eq!(imported.added, building::BALLOTS);
    campaign.compact().unwrap();
    eprintln!("setup: {} decisions imported and compacted in {:.1} s", imported.added, started.elapsed().as_secs_f64());
    let questions = campaign.meeting().questions.len();
    let voters = candidates(&campaign);
    assert!(voters.len() >= decisions, "{} voters without a decision", voters.len());

    let mut app = App::new(campaign, Lang::Ru);
    app.layers.push(Layer::Quorum);
    let mut terminal = Terminal::new(TestBackend::new(WIDTH, HEIGHT)).unwrap();
    terminal.draw(|frame| view::draw(frame, &mut app)).unwrap();

    let mut new = Timings::default();
    let mut old = Timings::default();
    let before = app.tally().map(|t| t.participated.clone()).unwrap();
    for (n, (premise, owner)) in voters.iter().step_by(voters.len() / decisions).take(decisions).enumerate() {
        let answers = (0..questions).map(|q| [Answer::For, Answer::Against, Answer::Abstain][(n + q) % 3]).collect();
        let ballot = Ballot {
            line: 0,
            premise: premise.clone(),
            owner: owner.clone(),
            answers,
            received: None,
            defect: None,
            representative: None,
        };
        // In turn: the screen's path (the decision added to the running count), and the reload
        // it replaced (every ballot read and counted again).
        let started = Instant::now();
        let recorded = app.campaign.record_decision(ballot, Standing::Ask).unwrap();
        let written = Instant::now();
        let timings = if n % 2 == 0 {
            app.reload_after_decision(&recorded.ballot, true);
            &mut new
        } else {
            app.reload();
            &mut old
        };
        let reloaded = Instant::now();
        terminal.draw(|frame| view::draw(frame, &mut app)).unwrap();
        let drawn = Instant::now();
        timings.whole.push(drawn - started);
        timings.record.push(written - started);
        timings.reload.push(reloaded - written);
        timings.draw.push(drawn - reloaded);
    }
    let tally = app.tally().cloned().unwrap();
    assert!(tally.participated > before, "the decisions took part");
    assert_eq!(tally, app.campaign.tally(), "the count shown is the campaign's");
    if !benching {
        println!("decision: {decisions} decisions recorded and counted (not timed under test)");
        return;
    }
    let mut ballots_alone = Vec::new();
    let mut count_alone = Vec::new();
    for _ in 0..20 {
        let started = Instant::now();
        let ballots = app.campaign.ballots();
        let read = Instant::now();
        let campaign = &app.campaign;
        std::hint::black_box(Tally::count(campaign.registry(), campaign.weights(), campaign.meeting(), &ballots));
        count_alone.push(read.elapsed());
        ballots_alone.push(read - started);
    }
    for (path, timings) in [("the running count", &mut new), ("reload, all counted again", &mut old)] {
        let n = timings.whole.len();
        eprintln!(
            "decision_to_panel, {path} ({n} decisions, 10,000 holdings, {WIDTH}×{HEIGHT}): {}",
            summary(&mut timings.whole)
        );
        eprintln!("  record_decision: {}", summary(&mut timings.record));
        eprintln!("  reload: {}", summary(&mut timings.reload));
        eprintln!("  draw: {}", summary(&mut timings.draw));
    }
    eprintln!("  (alone) Campaign::ballots: {}", summary(&mut ballots_alone));
    eprintln!("  (alone) Tally::count: {}", summary(&mut count_alone));
}
