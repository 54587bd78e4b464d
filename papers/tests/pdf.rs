//! Every DOCX obhod writes opens in LibreOffice: each is converted to PDF by `soffice --headless`
//! (with a profile of its own, within a time limit), and the test fails when soffice is missing
//! or a conversion fails.

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

#[test]
fn every_docx_converts_to_pdf_with_libreoffice() {
    let dir = tempfile::tempdir().unwrap();
    let mut names = Vec::new();
    for (fixture, ballots) in [("guide-example", true), ("guide-example", false), ("sadovaya-5", true)] {
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
