//! Every DOCX obhod writes opens in LibreOffice: each is converted to PDF by `soffice --headless`
//! (with a profile of its own, within a time limit), and the test fails when a conversion fails.
//! The running head of every page of every decision form, read back from the PDF by `pdftotext`,
//! counts that form's own pages right: «лист k из m». Without soffice or pdftotext the tests say
//! they were skipped and why, and pass; with OBHOD_REQUIRE_TOOLS=1 (CI) they fail.

mod common;

use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use common::Counted;
use obhod_core::Lang;
use obhod_papers::{Format, forms, notice, protocol, results};

/// Long enough for a cold LibreOffice start and a few hundred pages on a slow machine.
const LIMIT: Duration = Duration::from_secs(300);

const INSTALL: &str = "LibreOffice is needed to check the DOCX files: on Debian or Ubuntu \
                       `apt-get install --no-install-recommends libreoffice-writer-nogui`";
const POPPLER: &str = "pdftotext is needed to read the PDFs back: on Debian or Ubuntu `apt-get install poppler-utils`";
/// The programs these tests run.
const TOOLS: [&str; 2] = ["soffice", "pdftotext"];
/// A page laid out for Times New Roman is printed as laid out only in it or its metric twin.
const PAGE_TOOLS: [&str; 3] = ["soffice", "pdftotext", "font:Liberation Serif"];

#[test]
fn every_docx_converts_to_pdf_with_libreoffice() {
    if !obhod_test_tools::require_all(&TOOLS) {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let mut names = Vec::new();
    let mut forms_of = Vec::new();
    for (fixture, ballots) in
        [("guide-example", true), ("guide-example", false), ("sadovaya-5", true), ("lesnaya-7", true)]
    {
        let counted = Counted::fixture(fixture, ballots);
        for lang in [Lang::Ru, Lang::En] {
            let report = counted.report(lang);
            let papers = [
                ("notice", notice(&report).unwrap()),
                ("forms", forms(&report, &[]).unwrap()),
                ("protocol", protocol(&report).unwrap()),
                ("results", results(&report).unwrap()),
            ];
            for (paper, doc) in papers {
                let name = format!("{fixture}-{ballots}-{lang:?}-{paper}");
                std::fs::write(dir.path().join(format!("{name}.docx")), Format::Docx.render(&doc)).unwrap();
                if paper == "forms" {
                    forms_of.push((name.clone(), doc.parts.len()));
                }
                names.push(name);
            }
        }
    }
    convert(dir.path(), &names);
    for name in &names {
        let pdf = std::fs::read(dir.path().join("pdf").join(format!("{name}.pdf")))
            .unwrap_or_else(|e| panic!("LibreOffice made no PDF of {name}.docx: {e}"));
        assert!(pdf.starts_with(b"%PDF") && pdf.len() > 1_000, "{name}.pdf is not a PDF");
    }
    for (name, forms) in forms_of {
        let sheets = sheets(&dir.path().join("pdf").join(format!("{name}.pdf")));
        assert_eq!(forms_in(&sheets, &name), forms, "{name}: a running head on every page of every form");
    }
}

/// Three forms, the middle one (the municipality's, with fourteen premises) on two pages: its head
/// says «лист 1 из 2» and «лист 2 из 2», the others «лист 1 из 1», as LibreOffice prints them.
#[test]
fn the_running_head_counts_each_forms_own_pages_as_libreoffice_prints_them() {
    if !obhod_test_tools::require_all(&PAGE_TOOLS) {
        return;
    }
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../fixtures/lesnaya-7");
    let read = |file: &str| std::fs::read_to_string(root.join(file)).unwrap();
    let mut registry = read("registry.csv");
    let municipality = "Муниципальное образование город Примерск;муниципальная";
    for flat in 101..113 {
        registry.push_str(&format!(
            "{flat};квартира;40,0;3;{};{municipality};;;55:36:070402:{flat}-55/036/2010-2;;;\n",
            flat % 9
        ));
    }
    let counted = Counted::of(&read("meeting.toml"), &registry, Some(&read("ballots.csv")));
    let doc = forms(&counted.report(Lang::Ru), &["1".into(), "4".into(), "8".into()]).unwrap();
    assert_eq!(doc.parts.len(), 3);
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("three.docx"), Format::Docx.render(&doc)).unwrap();
    convert(dir.path(), &["three".to_owned()]);
    let sheets = sheets(&dir.path().join("pdf").join("three.pdf"));
    assert_eq!(sheets, [(1, 1), (1, 2), (2, 2), (1, 1)], "the sheets as printed");
}

/// Where LibreOffice is missing (a laptop, a phone), the test above passes and says on the terminal
/// that it was skipped and why; where `OBHOD_REQUIRE_TOOLS=1` asks for every tool (CI), it fails. The
/// test is run again by itself, as a child process, with a PATH that holds no program.
#[test]
fn without_libreoffice_the_test_is_skipped_aloud_and_fails_where_required() {
    let empty = tempfile::tempdir().unwrap();
    let test = "every_docx_converts_to_pdf_with_libreoffice";
    let run = |required: bool| {
        let mut child = Command::new(std::env::current_exe().unwrap());
        child.args(["--exact", test]).env("PATH", empty.path()).env_remove("OBHOD_REQUIRE_TOOLS");
        if required {
            child.env("OBHOD_REQUIRE_TOOLS", "1");
        }
        let out = child.output().unwrap();
        let output = format!("{}{}", String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr));
        (out.status.success(), output)
    };
    let (passed, output) = run(false);
    assert!(passed, "{output}");
    let skipped = format!("SKIPPED: {test} needs soffice and pdftotext, which are not installed; install them");
    assert!(output.contains(&skipped) && output.contains("OBHOD_REQUIRE_TOOLS=1"), "{output}");
    assert!(output.contains("1 passed"), "{output}");
    let (passed, output) = run(true);
    assert!(!passed, "{output}");
    assert!(output.contains(&format!("{test} needs soffice and pdftotext, which are not installed, and")), "{output}");
    assert!(output.contains("1 failed") && !output.contains("SKIPPED"), "{output}");
}

/// «лист k из m» of each page of a PDF, in order, read by `pdftotext`.
fn sheets(pdf: &Path) -> Vec<(usize, usize)> {
    let out = match Command::new("pdftotext").args(["-layout"]).arg(pdf).arg("-").output() {
        Ok(out) => out,
        Err(e) => panic!("pdftotext did not run: {e}. {POPPLER}"),
    };
    assert!(out.status.success(), "pdftotext failed on {}", pdf.display());
    let text = String::from_utf8(out.stdout).unwrap();
    let pages = text.split('\u{c}').filter(|p| !p.trim().is_empty());
    pages
        .map(|page| {
            let head = page.split(['—']).find_map(|piece| {
                let words: Vec<&str> = piece.split_whitespace().collect();
                match words.as_slice() {
                    [sheet, k, of, m, ..] if ["лист", "sheet"].contains(sheet) && ["из", "of"].contains(of) => {
                        Some((k.parse().ok()?, m.parse().ok()?))
                    }
                    _ => None,
                }
            });
            head.unwrap_or_else(|| panic!("a page without «лист k из m» in {}:\n{page}", pdf.display()))
        })
        .collect()
}

/// How many forms the sheets make, each numbered 1..m with its own m.
fn forms_in(sheets: &[(usize, usize)], name: &str) -> usize {
    let mut forms = 0;
    let mut expected = (1, 0);
    for &(k, m) in sheets {
        if k == 1 {
            assert!(expected.0 > expected.1, "{name}: a form ended before its last sheet: {sheets:?}");
            forms += 1;
            expected = (1, m);
        }
        assert_eq!((k, m), expected, "{name}: the sheets of a form: {sheets:?}");
        expected.0 += 1;
    }
    assert!(expected.0 > expected.1, "{name}: the last form ended early: {sheets:?}");
    forms
}

/// Runs one `soffice --convert-to pdf` over every file, killed if it outlives `LIMIT`.
fn convert(dir: &Path, names: &[String]) {
    let profile = format!("-env:UserInstallation=file://{}", dir.join("profile").display());
    let mut command = Command::new("soffice");
    command.args([profile.as_str(), "--headless", "--norestore", "--convert-to", "pdf", "--outdir"]);
    command.arg(dir.join("pdf")).args(names.iter().map(|n| dir.join(format!("{n}.docx"))));
    let mut child = match command.stdout(Stdio::null()).stderr(Stdio::null()).spawn() {
        Ok(child) => child,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => panic!("soffice is not installed. {INSTALL}"),
        Err(e) => panic!("soffice did not start: {e}. {INSTALL}"),
    };
    let start = Instant::now();
    let status = loop {
        if let Some(status) = child.try_wait().unwrap() {
            break status;
        }
        if start.elapsed() > LIMIT {
            let _ = child.kill();
            let _ = child.wait();
            panic!("soffice did not finish converting {} files within {LIMIT:?}", names.len());
        }
        std::thread::sleep(Duration::from_millis(100));
    };
    assert!(status.success(), "soffice failed: {status}");
}
