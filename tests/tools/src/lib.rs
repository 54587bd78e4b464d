//! Tests that drive a program obhod does not ship (tmux for the TUI in a real terminal, LibreOffice
//! and poppler's pdftotext for the papers) ask [`require`] first. Where the program is missing, the
//! test says on the terminal that it was skipped and why, past the test harness's capture, and
//! passes, so that `cargo test --workspace` passes on a fresh laptop or phone; where
//! `OBHOD_REQUIRE_TOOLS=1` is set (CI sets it after installing them), it fails instead.

use std::ffi::OsStr;
use std::io::Write;
use std::path::Path;

/// The variable that turns a missing program into a failure.
pub const REQUIRE_TOOLS: &str = "OBHOD_REQUIRE_TOOLS";

/// Whether the test that calls it may run: true when `tool` is on PATH. Otherwise it prints
/// «SKIPPED: <test> needs <tool>, …» to stderr and returns false, or panics under
/// `OBHOD_REQUIRE_TOOLS=1`. Call it first in the test: `if !require("tmux") { return; }`.
#[track_caller]
pub fn require(tool: &str) -> bool {
    require_all(&[tool])
}

/// [`require`] for a test that needs several programs: every missing one is named.
#[track_caller]
pub fn require_all(tools: &[&str]) -> bool {
    let missing: Vec<&str> = tools
        .iter()
        .copied()
        .filter(|tool| match tool.strip_prefix("font:") {
            Some(family) => !font_installed(family),
            None => !on_path(tool, std::env::var_os("PATH").as_deref()),
        })
        .collect();
    let required = std::env::var_os(REQUIRE_TOOLS).is_some_and(|value| value == "1");
    match verdict(&test_name(), &missing, required) {
        Verdict::Run => true,
        Verdict::Skip(line) => {
            // Straight to the process's stderr: `eprintln!` inside a test is captured and shown
            // only when the test fails, and a skip must be seen.
            let _ = writeln!(std::io::stderr().lock(), "{line}");
            false
        }
        Verdict::Fail(message) => panic!("{message}"),
    }
}

/// What a test does about the programs it lacks.
#[derive(Debug, PartialEq, Eq)]
pub enum Verdict {
    Run,
    /// The line that says it was skipped.
    Skip(String),
    /// Why it fails.
    Fail(String),
}

/// Run, skip or fail, for `test` lacking the programs `missing`.
pub fn verdict(test: &str, missing: &[&str], required: bool) -> Verdict {
    if missing.is_empty() {
        return Verdict::Run;
    }
    let named: Vec<String> = missing
        .iter()
        .map(|tool| tool.strip_prefix("font:").map_or(tool.to_string(), |f| format!("the font {f}")))
        .collect();
    let tools = named.join(" and ");
    let (which, it) = if missing.len() == 1 { ("which is", "it") } else { ("which are", "them") };
    let how = format!("install {it} ({})", install(missing));
    match required {
        true => Verdict::Fail(format!(
            "{test} needs {tools}, {which} not installed, and {REQUIRE_TOOLS}=1 makes that a failure: {how}"
        )),
        false => Verdict::Skip(format!(
            "SKIPPED: {test} needs {tools}, {which} not installed; {how} or set {REQUIRE_TOOLS}=1 to make this a failure"
        )),
    }
}

/// How to install the programs, on Debian or Ubuntu and where else it differs.
fn install(tools: &[&str]) -> String {
    let mut packages: Vec<&str> = tools
        .iter()
        .map(|tool| match *tool {
            "tmux" => "tmux: apt-get install tmux, brew install tmux, pkg install tmux",
            "soffice" => "LibreOffice: apt-get install --no-install-recommends libreoffice-writer-nogui",
            "pdftotext" | "pdftoppm" => "poppler: apt-get install poppler-utils",
            "font:Liberation Serif" => {
                "the fonts metric-compatible with Times New Roman: apt-get install fonts-liberation"
            }
            _ => "the package that provides it",
        })
        .collect();
    packages.dedup();
    packages.join("; ")
}

/// Whether fontconfig knows a font of this family (`font:FAMILY` among a test's tools): a page
/// laid out for Times New Roman breaks where LibreOffice substitutes a wider font for it.
fn font_installed(family: &str) -> bool {
    let listed = std::process::Command::new("fc-list").arg(":").arg("family").output();
    listed
        .is_ok_and(|out| String::from_utf8_lossy(&out.stdout).lines().any(|line| line.split(',').any(|f| f == family)))
}

/// Whether an executable file named `tool` is in one of the directories of `path`.
pub fn on_path(tool: &str, path: Option<&OsStr>) -> bool {
    let Some(path) = path else { return false };
    std::env::split_paths(path).any(|dir| {
        let names = [tool.to_string(), format!("{tool}{}", std::env::consts::EXE_SUFFIX)];
        names.iter().any(|name| executable(&dir.join(name)))
    })
}

#[cfg(unix)]
fn executable(file: &Path) -> bool {
    use std::os::unix::fs::PermissionsExt;
    file.metadata().is_ok_and(|m| m.is_file() && m.permissions().mode() & 0o111 != 0)
}

#[cfg(not(unix))]
fn executable(file: &Path) -> bool {
    file.is_file()
}

/// The test that asked: the test harness names each test's thread after it.
fn test_name() -> String {
    match std::thread::current().name() {
        Some(name) if name != "main" => name.to_string(),
        _ => "this test".to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_test_with_its_programs_runs() {
        assert_eq!(verdict("t", &[], false), Verdict::Run);
        assert_eq!(verdict("t", &[], true), Verdict::Run);
    }

    #[test]
    fn a_missing_program_skips_the_test_and_says_which_and_how_to_get_it() {
        let Verdict::Skip(line) = verdict("a_key_records_a_mark", &["tmux"], false) else { panic!() };
        assert_eq!(
            line,
            "SKIPPED: a_key_records_a_mark needs tmux, which is not installed; install it (tmux: apt-get \
             install tmux, brew install tmux, pkg install tmux) or set OBHOD_REQUIRE_TOOLS=1 to make this a failure"
        );
        let Verdict::Skip(line) = verdict("pdf", &["soffice", "pdftotext"], false) else { panic!() };
        assert!(
            line.starts_with("SKIPPED: pdf needs soffice and pdftotext, which are not installed; install them"),
            "{line}"
        );
        assert!(line.contains("libreoffice-writer-nogui; poppler: apt-get install poppler-utils"), "{line}");
    }

    #[test]
    fn where_tools_are_required_a_missing_one_fails_the_test() {
        let Verdict::Fail(message) = verdict("pdf", &["soffice"], true) else { panic!() };
        assert!(
            message.starts_with("pdf needs soffice, which is not installed, and OBHOD_REQUIRE_TOOLS=1 makes"),
            "{message}"
        );
    }

    #[test]
    fn a_program_is_found_only_as_an_executable_file_on_path() {
        let dir = std::env::temp_dir().join(format!("obhod-test-tools-{}", std::process::id()));
        std::fs::create_dir_all(dir.join("tmux")).unwrap();
        std::fs::write(dir.join("soffice"), "").unwrap();
        let path = std::env::join_paths([dir.as_path(), Path::new("/nonexistent")]).unwrap();
        assert!(!on_path("tmux", Some(&path)), "a directory is not a program");
        assert_eq!(on_path("soffice", Some(&path)), cfg!(not(unix)), "a file that cannot be run is not a program");
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            std::fs::set_permissions(dir.join("soffice"), std::fs::Permissions::from_mode(0o755)).unwrap();
            assert!(on_path("soffice", Some(&path)));
        }
        assert!(!on_path("soffice", None) && !on_path("soffice", Some(OsStr::new(""))));
        std::fs::remove_dir_all(dir).unwrap();
    }

    #[test]
    fn the_skipped_test_is_named_by_its_thread() {
        assert_eq!(test_name(), "tests::the_skipped_test_is_named_by_its_thread");
    }
}
