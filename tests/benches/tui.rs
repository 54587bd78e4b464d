//! The canvasser TUI on a large building: 1,000 flats and 20,000 canvass facts, drawn on a
//! 100×30 test backend.
//!
//! - `first_frame`: `Campaign::open`, `App::new` (the fold, the progress) and the first draw, as
//!   `obhod` starts (goal: < 300 ms). The store is compacted, so the open only reads.
//! - `key_to_frame`: on the card of a flat, the key `d` or `a` (in turn) through `App::key`, which
//!   records the fact through the store (fsynced) and folds again, then the redraw (goal: p99 <
//!   16 ms, one frame at 60 Hz). Besides criterion's mean, the p50/p99/max of 1,000 presses timed
//!   one by one are printed, with the key and the draw apart. Between two timed presses the card of
//!   the next flat is opened (Esc, then that flat), untimed, so that each flat's history stays as
//!   long as a canvass makes it instead of one flat collecting thousands of facts.
//!
//! The store lives under cargo's target tmp dir, on the same disk as a real store would, not in a
//! tmpfs `/tmp` that would make the fsyncs free. Under `cargo test --benches` (criterion's test
//! mode) the campaign is smaller and the percentiles are skipped.

use std::hint::black_box;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use criterion::{Criterion, SamplingMode};
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use obhod_core::Lang;
use obhod_store::Campaign;
use obhod_tests::{SplitMix, copy_store, generate_building, ms, percentile, record_random_facts};
use obhod_tui::app::keymap::Action;
use obhod_tui::app::{App, Layer, view};
use ratatui::Terminal;
use ratatui::backend::TestBackend;

const FLATS: usize = 1_000;
const FACTS: usize = 20_000;
/// Facts in criterion's test mode (`cargo test --benches`), where every benchmark runs once.
const TEST_FACTS: usize = 300;
/// Key presses timed one by one for the percentiles.
const TIMED_PRESSES: usize = 1_000;
const WIDTH: u16 = 100;
const HEIGHT: u16 = 30;

/// A compacted store holding the campaign.
struct Store {
    dir: tempfile::TempDir,
    path: PathBuf,
    facts: usize,
}

impl Store {
    fn build(facts: usize) -> Store {
        let mut rng = SplitMix::new(0x7e1);
        let (sources, flats) = generate_building(&mut rng, FLATS);
        let dir = tempfile::Builder::new().prefix("obhod-bench-").tempdir_in(env!("CARGO_TARGET_TMPDIR")).unwrap();
        let path = dir.path().join("campaign.db");
        let started = Instant::now();
        let mut campaign = Campaign::init(&path, sources).unwrap();
        record_random_facts(&mut campaign, &mut rng, &flats, 0..facts).unwrap();
        campaign.compact().unwrap();
        assert_eq!(campaign.facts().count(), facts);
        drop(campaign);
        let size = std::fs::metadata(&path).unwrap().len();
        eprintln!(
            "setup: {facts} marks recorded and compacted in {:.1} s; the store is {:.1} MB",
            started.elapsed().as_secs_f64(),
            size as f64 / 1e6
        );
        Store { dir, path, facts }
    }

    /// A fresh copy of the store, to write to; removed when the returned path is dropped.
    fn copy(&self, name: &str) -> tempfile::TempPath {
        let to = self.dir.path().join(name);
        copy_store(&self.path, &to);
        tempfile::TempPath::try_from_path(to).unwrap()
    }
}

fn terminal() -> Terminal<TestBackend> {
    Terminal::new(TestBackend::new(WIDTH, HEIGHT)).unwrap()
}

fn draw(terminal: &mut Terminal<TestBackend>, app: &mut App) {
    terminal.draw(|frame| view::draw(frame, app)).unwrap();
}

fn press(app: &mut App, code: KeyCode) {
    app.key(KeyEvent::new(code, KeyModifiers::NONE));
}

/// What `obhod` does before the canvasser sees anything.
fn first_frame(path: &Path) -> (App, Terminal<TestBackend>) {
    let campaign = Campaign::open(path).unwrap();
    let mut app = App::new(campaign, Lang::Ru);
    let mut terminal = terminal();
    draw(&mut terminal, &mut app);
    (app, terminal)
}

fn bench_first_frame(c: &mut Criterion, store: &Store) {
    let mut group = c.benchmark_group("first_frame");
    group.sampling_mode(SamplingMode::Flat); // tens of ms per run: no linear ramp
    // Criterion drops what the routine returns outside the timing.
    group.bench_function(format!("{}_facts_{WIDTH}x{HEIGHT}", store.facts), |b| b.iter(|| first_frame(&store.path)));
    group.finish();
}

/// An app on a copy of the store with the card of flat 1 open, and its terminal, drawn once.
struct Session {
    app: App,
    terminal: Terminal<TestBackend>,
    /// The registry index of the flat whose card is open.
    flat: usize,
    presses: usize,
    /// Facts in the store when the session opened.
    before: usize,
    _path: tempfile::TempPath,
}

impl Session {
    fn open(store: &Store, name: &str) -> Session {
        let path = store.copy(name);
        let campaign = Campaign::open(&path).unwrap();
        let before = campaign.facts().count();
        let mut app = App::new(campaign, Lang::Ru);
        let mut terminal = terminal();
        draw(&mut terminal, &mut app);
        press(&mut app, KeyCode::Enter); // the card of the selected premise, flat 1
        assert_eq!((app.top(), app.cursor), (&Layer::Card, 0), "the card of flat 1, where the building view starts");
        app.picked = true; // every owner, as if chosen with ↑↓: a signature of all is taken only then
        draw(&mut terminal, &mut app);
        Session { app, terminal, flat: 0, presses: 0, before, _path: path }
    }

    /// Untimed: back to the building view and the card of the next flat, drawn.
    fn next_flat(&mut self) {
        press(&mut self.app, KeyCode::Esc);
        self.flat = (self.flat + 1) % FLATS;
        self.app.update(Action::Select(self.flat));
        assert_eq!((self.app.top(), self.app.cursor), (&Layer::Card, self.flat), "the card of the next flat is open");
        self.app.picked = true;
        draw(&mut self.terminal, &mut self.app);
    }

    /// The measured part: `d` and `a` in turn, recorded through the store, then the redraw.
    /// Returns the time of the key and of the draw.
    fn press_and_draw(&mut self) -> (Duration, Duration) {
        let key = if self.presses.is_multiple_of(2) { 'd' } else { 'a' };
        self.presses += 1;
        let started = Instant::now();
        press(&mut self.app, KeyCode::Char(key));
        let pressed = Instant::now();
        draw(&mut self.terminal, &mut self.app);
        let drawn = Instant::now();
        (pressed - started, drawn - pressed)
    }

    fn check(&self) {
        let message = self.app.message.as_deref().unwrap_or_default();
        assert!(message.starts_with('✓'), "the mark was refused: {message}");
        assert_eq!(self.app.campaign.facts().count(), self.before + self.presses, "one fact per press");
    }
}

fn summary(times: &mut [Duration]) -> String {
    times.sort();
    let mean = times.iter().sum::<Duration>() / times.len() as u32;
    format!(
        "mean {}  p50 {}  p99 {}  max {}",
        ms(mean),
        ms(percentile(times, 50.0)),
        ms(percentile(times, 99.0)),
        ms(times[times.len() - 1])
    )
}

/// p50/p99/max of single presses, timed one by one: the whole of each, and its key and draw apart.
fn key_to_frame_percentiles(store: &Store) {
    let mut session = Session::open(store, "percentiles.db");
    let (mut whole, mut keys, mut draws) = (Vec::new(), Vec::new(), Vec::new());
    for _ in 0..TIMED_PRESSES {
        session.next_flat();
        let (key, draw) = session.press_and_draw();
        whole.push(key + draw);
        keys.push(key);
        draws.push(draw);
    }
    session.check();
    eprintln!(
        "key_to_frame ({TIMED_PRESSES} single presses of d/a on {} facts, {FLATS} flats, {WIDTH}×{HEIGHT}): {}",
        store.facts,
        summary(&mut whole)
    );
    eprintln!("  of which the key (mark, fsync, fold): {}", summary(&mut keys));
    eprintln!("  of which the draw: {}", summary(&mut draws));
}

fn bench_key_to_frame(c: &mut Criterion, store: &Store) {
    let mut session = Session::open(store, "key-to-frame.db");
    // Every iteration adds a fact: a short measurement keeps the campaign near its 20,000 facts.
    let mut group = c.benchmark_group("key_to_frame");
    group.measurement_time(Duration::from_secs(3));
    group.bench_function(format!("{}_facts_{WIDTH}x{HEIGHT}", store.facts), |b| {
        b.iter_custom(|iterations| {
            let mut total = Duration::ZERO;
            for _ in 0..iterations {
                session.next_flat();
                let (key, draw) = session.press_and_draw();
                total += key + draw;
            }
            black_box(&session.app.progress);
            total
        })
    });
    group.finish();
    session.check();
}

fn main() {
    // `cargo bench` passes `--bench`; without it criterion runs each benchmark once as a test.
    let benching = std::env::args().any(|a| a == "--bench");
    let mut criterion = Criterion::default()
        .sample_size(10)
        .warm_up_time(Duration::from_secs(1))
        .measurement_time(Duration::from_secs(5))
        .configure_from_args();
    let store = Store::build(if benching { FACTS } else { TEST_FACTS });
    bench_first_frame(&mut criterion, &store);
    if benching {
        key_to_frame_percentiles(&store);
    }
    bench_key_to_frame(&mut criterion, &store);
    criterion.final_summary();
}
