//! Every command block of the README runs as written: each ```sh block is run by bash (`set -euo
//! pipefail`) with the real `obhod` first on PATH, in a fresh directory holding a copy of `fixtures/`,
//! with a fresh HOME (so the default store and the log go there), and must exit 0.
//!
//! Lines whose program is `cargo`, `git`, `pkg` or `termux-*` set up the machine (build and install
//! obhod, or Termux itself); this test stands for them: it runs the `obhod` they build.

use std::path::{Path, PathBuf};
use std::process::Command;

/// The programs of setup lines, not run here.
const SETUP: [&str; 4] = ["cargo", "git", "pkg", "termux-"];

fn repository() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).parent().unwrap().to_path_buf()
}

/// The ```sh blocks of a Markdown text, with the line each starts on.
fn sh_blocks(markdown: &str) -> Vec<(usize, String)> {
    enum State {
        Text,
        Sh(usize, String),
        Other,
    }
    let mut blocks = Vec::new();
    let mut state = State::Text;
    for (index, line) in markdown.lines().enumerate() {
        let fence = line.trim_start().strip_prefix("```");
        state = match (state, fence) {
            (State::Text, Some(info)) if info.trim() == "sh" => State::Sh(index + 2, String::new()),
            (State::Text, Some(_)) => State::Other,
            (State::Sh(start, text), Some(_)) => {
                blocks.push((start, text));
                State::Text
            }
            (State::Other, Some(_)) => State::Text,
            (State::Sh(start, mut text), None) => {
                text.push_str(line);
                text.push('\n');
                State::Sh(start, text)
            }
            (state, None) => state,
        };
    }
    blocks
}

fn is_setup(line: &str) -> bool {
    let program = line.split_whitespace().next().unwrap_or("");
    SETUP.iter().any(|setup| program.starts_with(setup))
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), target).unwrap();
        }
    }
}

#[test]
fn every_command_block_of_the_readme_runs() {
    let readme = std::fs::read_to_string(repository().join("README.md")).unwrap();
    let blocks = sh_blocks(&readme);
    assert!(blocks.len() >= 3, "the README's command blocks were not found");
    let obhod = Path::new(env!("CARGO_BIN_EXE_obhod"));
    let path = format!("{}:{}", obhod.parent().unwrap().display(), std::env::var("PATH").unwrap_or_default());
    let mut ran = 0;
    for (start, block) in blocks {
        let commands: Vec<&str> = block.lines().filter(|line| !is_setup(line)).collect();
        if commands.iter().all(|line| line.trim().is_empty() || line.trim_start().starts_with('#')) {
            continue;
        }
        let dir = tempfile::tempdir().unwrap();
        copy_dir(&repository().join("fixtures"), &dir.path().join("fixtures"));
        let script = format!("set -euo pipefail\n{}\n", commands.join("\n"));
        let output = Command::new("bash")
            .arg("-c")
            .arg(&script)
            .current_dir(dir.path())
            .env("PATH", &path)
            .env("HOME", dir.path())
            .env_remove("XDG_DATA_HOME")
            .env_remove("OBHOD_STORE")
            .stdin(std::process::Stdio::null())
            .output()
            .unwrap();
        assert!(
            output.status.success(),
            "README.md line {start}: the block failed ({})\n{script}\n--- stdout\n{}\n--- stderr\n{}",
            output.status,
            String::from_utf8_lossy(&output.stdout),
            String::from_utf8_lossy(&output.stderr)
        );
        ran += 1;
    }
    assert!(ran >= 2, "only {ran} README blocks ran");
}

#[test]
fn the_readme_cites_no_file_outside_the_repository() {
    let readme = std::fs::read_to_string(repository().join("README.md")).unwrap();
    // The project's rules and interface are described in its own words, not by citing the
    // organisers' notes that live beside the repository (built here so that this file cites none).
    let notes = ["rules", "interface"].iter().flat_map(|name| [format!("{name}.md"), format!("{name} §")]);
    for outside in notes.chain(["../shared".to_string()]) {
        assert!(!readme.contains(&outside), "README.md cites {outside}");
    }
}
