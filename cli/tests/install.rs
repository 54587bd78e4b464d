//! What the README tells a user to install and run is what they get. Every `obhod …` command it
//! names (in code blocks, tables and prose) is a command of the installed binary, checked with
//! `obhod COMMAND --help`; `obhod-…` named as a program (the daemon once was `obhod-syncd`) is not
//! installed by `cargo install` and fails. The install builds the dist profile (optimised,
//! stripped); the quick start is two commands, and CI runs the second with every tool required.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command;

fn repository() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).parent().unwrap().to_path_buf()
}

fn read(file: &str) -> String {
    std::fs::read_to_string(repository().join(file)).unwrap()
}

/// The code of a Markdown text, with the line each piece starts on: every line of a fenced block,
/// and every code span of the prose and the tables (a span may run over a line break).
fn code(markdown: &str) -> Vec<(usize, String)> {
    let mut pieces = Vec::new();
    let mut fenced = false;
    let mut prose = String::new();
    for (index, line) in markdown.lines().enumerate() {
        if line.trim_start().starts_with("```") {
            fenced = !fenced;
            prose.push('\n');
            continue;
        }
        if fenced {
            // A comment after the command (`obhod syncd   # on the laptop`) is not part of it.
            let command = line.split(" # ").next().unwrap_or(line);
            pieces.push((index + 1, command.to_string()));
            prose.push('\n');
        } else {
            prose.push_str(line);
            prose.push('\n');
        }
    }
    pieces.extend(spans(&prose));
    pieces
}

/// The code spans of prose: a run of backticks opens a span that the same run closes; a blank line
/// ends a paragraph, and any span left open with it.
fn spans(prose: &str) -> Vec<(usize, String)> {
    let mut spans = Vec::new();
    let mut open: Option<(usize, usize, String)> = None;
    let (mut line, mut chars) = (1, prose.chars().peekable());
    let mut previous = ' ';
    while let Some(c) = chars.next() {
        if c == '`' {
            let mut run = 1;
            while chars.next_if_eq(&'`').is_some() {
                run += 1;
            }
            open = match open {
                Some((start, ticks, text)) if ticks == run => {
                    spans.push((start, text.trim().to_string()));
                    None
                }
                Some((start, ticks, mut text)) => {
                    text.push_str(&"`".repeat(run));
                    Some((start, ticks, text))
                }
                None => Some((line, run, String::new())),
            };
            previous = c;
            continue;
        }
        if c == '\n' {
            line += 1;
            if previous == '\n' {
                open = None;
            }
        }
        if let Some((_, _, text)) = &mut open {
            text.push(if c == '\n' { ' ' } else { c });
        }
        previous = c;
    }
    spans
}

/// Every program a piece of code runs: the first word of each command, `|`, `;`, `&&` and `$(`
/// separating commands (a `\|` in a table is the text's, not a pipe).
fn commands(piece: &str) -> Vec<Vec<&str>> {
    piece
        .split("&&")
        .flat_map(|part| part.split(';'))
        .flat_map(|part| part.split("$("))
        .flat_map(|part| part.split(" | "))
        .map(|command| command.split_whitespace().collect::<Vec<_>>())
        .filter(|words| !words.is_empty())
        .collect()
}

/// The command of the binary a line of `obhod` words names: global options skipped, then the
/// command and, for a command with subcommands of its own, the subcommand; empty for `obhod` alone.
fn command_path<'a>(words: &[&'a str], has_subcommands: &mut dyn FnMut(&str) -> bool) -> Vec<&'a str> {
    let mut words = words.iter().copied().peekable();
    while let Some(word) = words.next_if(|w| w.starts_with('-')) {
        if word == "--lang" || word == "--store" {
            words.next();
        }
    }
    let is_word = |w: &&str| w.chars().all(|c| c.is_ascii_lowercase() || c == '-') && !w.starts_with('-');
    let Some(command) = words.next().filter(is_word) else { return Vec::new() };
    match words.next().filter(is_word) {
        Some(sub) if has_subcommands(command) => vec![command, sub],
        _ => vec![command],
    }
}

/// Whether `obhod ARGS --help` succeeds, and whether it lists subcommands.
fn help(args: &[&str]) -> Option<bool> {
    let out = Command::new(env!("CARGO_BIN_EXE_obhod"))
        .args(["--lang", "en"])
        .args(args)
        .arg("--help")
        .env_remove("OBHOD_STORE")
        .output()
        .unwrap();
    out.status.success().then(|| String::from_utf8_lossy(&out.stdout).contains("\nCommands:\n"))
}

/// The commands a Markdown text names that the binary lacks, each with the lines naming it.
fn missing_commands(markdown: &str) -> Vec<(String, Vec<usize>)> {
    let mut named: BTreeMap<String, Vec<usize>> = BTreeMap::new();
    let mut checked: BTreeMap<String, Option<bool>> = BTreeMap::new();
    let mut check = |path: &[&str]| *checked.entry(path.join(" ")).or_insert_with(|| help(path));
    for (line, piece) in code(markdown) {
        for words in commands(&piece) {
            let program = words[0];
            if program.starts_with("obhod-") {
                named.entry(program.to_string()).or_default().push(line);
                continue;
            }
            if program != "obhod" {
                continue;
            }
            let path = command_path(&words[1..], &mut |command| check(&[command]) == Some(true));
            named.entry(["obhod"].into_iter().chain(path).collect::<Vec<_>>().join(" ")).or_default().push(line);
        }
    }
    let mut missing: Vec<(String, Vec<usize>)> = named
        .into_iter()
        .filter(|(name, _)| match name.strip_prefix("obhod") {
            Some(rest) if rest.is_empty() || rest.starts_with(' ') => {
                check(&rest.split_whitespace().collect::<Vec<_>>()).is_none()
            }
            _ => true,
        })
        .collect();
    for (_, lines) in &mut missing {
        lines.sort();
        lines.dedup();
    }
    missing
}

#[test]
fn every_command_the_readme_names_is_a_command_of_the_installed_binary() {
    let readme = read("README.md");
    let missing = missing_commands(&readme);
    let lines: Vec<String> = missing
        .iter()
        .map(|(name, lines)| {
            let lines: Vec<String> = lines.iter().map(usize::to_string).collect();
            format!("{name} (README.md lines {})", lines.join(", "))
        })
        .collect();
    assert!(lines.is_empty(), "the README names commands `obhod` does not have:\n{}", lines.join("\n"));
    // The check saw the README's commands: in a table, in a block, in Russian prose over a line break.
    let named: Vec<String> = code(&readme).into_iter().map(|(_, piece)| piece).collect();
    for command in ["obhod syncd", "obhod conflicts resolve", "obhod group join", "obhod protocol --out"] {
        assert!(named.iter().any(|piece| piece.starts_with(command)), "{command} not found in the README's code");
    }
}

#[test]
fn a_made_up_command_a_missing_subcommand_and_another_program_are_caught() {
    let markdown = "Run `obhod frobnicate --now`, then `obhod --lang en mark 1 delivered`.\n\n\
                    | command | what |\n|---|---|\n| `obhod-syncd [--listen HOST:PORT]` | the daemon |\n\
                    | `obhod notice --out FILE.docx\\|FILE.md` | the notice |\n\n\
                    ```text\nobhod group frob   # not a subcommand\nobhod group join OBHOD1-…\nobhod\n```\n\n\
                    In Russian, over a line break: `obhod conflicts\nresolve 12` and `obhod ballots\nfrob`.\n";
    let missing = missing_commands(markdown);
    let expected = [("obhod ballots frob", 15), ("obhod frobnicate", 1), ("obhod group frob", 9), ("obhod-syncd", 5)];
    assert_eq!(missing, expected.map(|(name, line)| (name.to_string(), vec![line])));
}

#[test]
fn the_readme_installs_the_stripped_optimised_build() {
    let readme = read("README.md");
    let installs: Vec<&str> = readme.lines().filter(|line| line.contains("cargo install")).collect();
    assert!(installs.len() >= 3, "the laptop's, Termux's and the Russian section's installs: {installs:?}");
    for line in installs {
        assert!(line.contains("cargo install --locked --path cli --profile dist"), "{line}");
    }
    let manifest = read("Cargo.toml");
    let dist = manifest.split("[profile.dist]").nth(1).expect("a [profile.dist] in Cargo.toml");
    let dist = dist.split("\n[").next().unwrap();
    for setting in ["inherits = \"release\"", "debug = false", "strip = true", "opt-level = 3"] {
        assert!(dist.contains(setting), "[profile.dist] lacks {setting}:\n{dist}");
    }
    // The TUI's panic hook restores the terminal: a panic must unwind to it.
    assert!(!dist.contains("panic"), "[profile.dist] keeps panics unwinding:\n{dist}");
}

#[test]
fn the_quick_start_is_two_commands_and_ci_runs_the_second_with_every_tool_required() {
    let readme = read("README.md");
    let quick = readme.split("## Quick start").nth(1).unwrap().split("```sh\n").nth(1).unwrap();
    let quick = quick.split("```").next().unwrap();
    assert_eq!(quick, "cargo run --release --bin obhod -- demo\ncargo test --workspace\n");
    let ci = read(".ci/run");
    let required = ci.find("export OBHOD_REQUIRE_TOOLS=1").expect(".ci/run makes every tool required");
    let test = ci.lines().position(|line| line == "cargo test --workspace").expect(".ci/run runs the README's test");
    assert!(
        ci.lines().take(test).map(|l| l.len() + 1).sum::<usize>() > required,
        "the variable is set before the test"
    );
    for package in ["tmux", "libreoffice-writer-nogui", "libreoffice-calc-nogui", "poppler-utils"] {
        assert!(ci.contains(package), ".ci/run installs {package}");
    }
}
