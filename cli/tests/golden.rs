//! Golden papers: the notice, the decision forms, the protocol and the notice of results of Лесная,
//! 7 (premises without an owner, the municipality, a company with its ОГРН, an owner of three
//! premises, a defective and a late decision) drawn up from a campaign whose canvass has a notice
//! in time, one on the boundary day and one late, in Russian and in English, as Markdown and as the
//! text of the DOCX (its body and its running heads). Each must equal its file under
//! `cli/tests/golden/`; `OBHOD_BLESS=1 cargo test -p obhod --test golden` writes them anew. No
//! paper holds advice, doubt or the tool's own words; the terminal gets the warnings.

use std::collections::BTreeMap;
use std::io::Read;
use std::path::PathBuf;

mod support;
use support::{Workdir, fixture};

/// The papers and the command line of each.
const PAPERS: [(&str, &[&str]); 4] =
    [("notice", &["notice"]), ("forms", &["ballots", "print"]), ("protocol", &["protocol"]), ("results", &["results"])];

/// Words that never reach a paper: advice, doubt, the tool's vocabulary.
const FORBIDDEN: [&str; 14] = [
    "юрист",
    "суд может",
    "надёжнее",
    "надежнее",
    "obhod",
    "строгое прочтение",
    "строгом прочтении",
    "без них",
    "с ними",
    "lawyer",
    "legal review",
    "court may",
    "safer",
    "strict reading",
];

/// Лесная, 7 with its decisions, and three notices: in time, on the boundary day (D − 10), late.
fn campaign() -> Workdir {
    let campaign = Workdir::with("lesnaya-7");
    campaign.ok(&["ballots", "import", &fixture("lesnaya-7", "ballots.csv")]);
    campaign.ok(&["mark", "1", "delivered", "--date", "2026-11-20"]);
    campaign.ok(&["mark", "3", "delivered", "--date", "2026-11-30"]);
    campaign.ok(&["mark", "2", "delivered", "--owner", "Кузнецова Марина Олеговна", "--date", "2026-12-03"]);
    campaign
}

fn golden(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/golden/lesnaya-7").join(name)
}

/// `text` equals the golden file `name`, or becomes it with `OBHOD_BLESS=1`.
fn check(name: &str, text: &str, failures: &mut Vec<String>) {
    let path = golden(name);
    if std::env::var_os("OBHOD_BLESS").is_some() {
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(&path, text).unwrap();
        return;
    }
    match std::fs::read_to_string(&path) {
        Ok(expected) if expected == text => {}
        Ok(expected) => {
            failures.push(format!("{name} differs from its golden file:\n{}", first_difference(&expected, text)))
        }
        Err(_) => failures.push(format!("{name}: no golden file {} (OBHOD_BLESS=1 writes it)", path.display())),
    }
}

fn first_difference(expected: &str, actual: &str) -> String {
    let (mut e, mut a) = (expected.lines(), actual.lines());
    for number in 1.. {
        match (e.next(), a.next()) {
            (None, None) => break,
            (x, y) if x == y => continue,
            (x, y) => return format!("line {number}:\n  golden: {x:?}\n  now:    {y:?}"),
        }
    }
    "only the line ends differ".into()
}

/// The DOCX's words: each paragraph of the body a line, then each running head a line.
fn docx_text(bytes: &[u8]) -> String {
    let mut archive = zip::ZipArchive::new(std::io::Cursor::new(bytes)).expect("a DOCX is a zip archive");
    let mut parts = BTreeMap::new();
    for index in 0..archive.len() {
        let mut file = archive.by_index(index).unwrap();
        let mut text = String::new();
        file.read_to_string(&mut text).unwrap();
        parts.insert(file.name().to_owned(), text);
    }
    let mut out = paragraphs(&parts["word/document.xml"]);
    let mut heads: Vec<(usize, &String)> = parts
        .iter()
        .filter_map(|(name, xml)| {
            let number = name.strip_prefix("word/header")?.strip_suffix(".xml")?.parse().ok()?;
            Some((number, xml))
        })
        .collect();
    heads.sort();
    if !heads.is_empty() {
        out.push_str("\n[running heads]\n");
        for (_, xml) in heads {
            out.push_str(&paragraphs(xml));
        }
    }
    out
}

/// The text runs of each `<w:p>`, joined, one paragraph a line; a paragraph break inside a
/// document is marked `[page]`.
fn paragraphs(xml: &str) -> String {
    let mut out = String::new();
    for paragraph in xml.split("</w:p>") {
        if paragraph.contains("<w:pageBreakBefore />") {
            out.push_str("[page]\n");
        }
        if paragraph.contains("<w:sectPr>") && !out.is_empty() {
            out.push_str("[section]\n");
        }
        let mut line = String::new();
        let mut rest = paragraph;
        while let Some(start) = rest.find("<w:t") {
            let after = &rest[start..];
            let Some(end) = after.find('>') else { break };
            if after[..end].ends_with('/') || !matches!(after.as_bytes().get(4), Some(b'>' | b' ')) {
                rest = &after[end + 1..];
                continue;
            }
            let body = &after[end + 1..];
            let close = body.find("</w:t>").expect("a closed text run");
            line.push_str(&body[..close]);
            rest = &body[close..];
        }
        if !line.is_empty() {
            let line = line
                .replace('\u{a0}', " ")
                .replace("&lt;", "<")
                .replace("&gt;", ">")
                .replace("&quot;", "\"")
                .replace("&apos;", "'")
                .replace("&amp;", "&");
            out.push_str(&line);
            out.push('\n');
        }
    }
    out
}

fn forbidden_in(name: &str, text: &str, failures: &mut Vec<String>) {
    let lower = text.to_lowercase();
    for word in FORBIDDEN {
        if lower.contains(word) {
            failures.push(format!("{name} says «{word}»"));
        }
    }
}

#[test]
fn every_paper_of_lesnaya_equals_its_golden_file_and_states_facts_only() {
    let campaign = campaign();
    let mut failures = Vec::new();
    for lang in ["ru", "en"] {
        for (paper, command) in PAPERS {
            for extension in ["md", "docx"] {
                let out = campaign.at(&format!("{paper}-{lang}.{extension}"));
                let mut args = vec!["--lang", lang];
                args.extend(command);
                args.extend(["--out", out.as_str()]);
                let (code, _, stderr) = campaign.run(&args);
                assert_eq!(code, 0, "{args:?}: {stderr}");
                let bytes = std::fs::read(&out).unwrap();
                let (name, text) = match extension {
                    "md" => (format!("{lang}/{paper}.md"), String::from_utf8(bytes).unwrap()),
                    _ => (format!("{lang}/{paper}.docx.txt"), docx_text(&bytes)),
                };
                forbidden_in(&name, &text, &mut failures);
                check(&name, &text, &mut failures);
                if extension == "md" && matches!(paper, "protocol" | "results") {
                    check(&format!("{lang}/{paper}.stderr"), &stderr, &mut failures);
                }
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn the_protocol_and_the_results_tell_the_terminal_what_the_papers_do_not_say() {
    let campaign = campaign();
    for command in ["protocol", "results"] {
        let (code, stdout, stderr) = campaign.run(&[command, "--out", &campaign.at(&format!("{command}.md"))]);
        assert_eq!(code, 0, "{stderr}");
        assert_eq!(stdout, format!("Записано: {}\n", campaign.at(&format!("{command}.md"))), "stdout: the file only");
        for said in [
            "«Кузнецова Марина Олеговна» — подпись в получении уведомления 03.12.2026, позже последнего дня",
            "уведомлены за 10–11 дней до собрания (последний день — 30.11.2026): 2 собственника",
            "не уведомлены ни под роспись, ни письмом: 6 собственников",
            "помещение 6 не оформлено в собственность: не входит в общее число голосов",
            "помещение Н-2 не оформлено в собственность",
            "решение «Зайцев Павел Андреевич» (помещение 5) с дефектом (нет подписи)",
            "решение «Лебедева Анна Сергеевна» (помещение 8) получено 22.12.2026 после окончания приёма",
            "При строгом прочтении кворума нет",
            "Вопрос 2: при строгом прочтении — НЕ ПРИНЯТО",
        ] {
            assert!(stderr.contains(said), "{command}: stderr lacks «{said}»:\n{stderr}");
        }
        let paper = std::fs::read_to_string(campaign.file(&format!("{command}.md"))).unwrap();
        assert!(!paper.contains("строгом") && !paper.contains("уведомлен с опозданием"), "{paper}");
        let json: serde_json::Value =
            serde_json::from_str(&campaign.ok(&["--json", command, "--out", &campaign.at("x.md")])).unwrap();
        let codes: Vec<&str> =
            json["warnings"].as_array().unwrap().iter().map(|w| w["code"].as_str().unwrap()).collect();
        for code in [
            "delivered_late",
            "notices_on_boundary",
            "owners_unnotified",
            "unowned_premise",
            "defective_ballot",
            "late_ballot",
            "strict_reading_differs",
        ] {
            assert!(codes.contains(&code), "{command} --json: no «{code}» in {codes:?}");
        }
    }
    let json: serde_json::Value =
        serde_json::from_str(&campaign.ok(&["--json", "notice", "--out", &campaign.at("n.md")])).unwrap();
    assert!(json.get("warnings").is_none(), "the notice is drawn up before the count: {json}");
}

#[test]
fn a_notice_signed_eleven_days_before_is_on_the_boundary_and_ten_days_before_too_but_nine_is_late() {
    for (date, boundary, late) in
        [("2026-11-29", true, false), ("2026-11-30", true, false), ("2026-12-01", false, true)]
    {
        let campaign = Workdir::with("lesnaya-7");
        campaign.ok(&["ballots", "import", &fixture("lesnaya-7", "ballots.csv")]);
        campaign.ok(&["mark", "1", "delivered", "--date", date]);
        let (_, _, stderr) = campaign.run(&["protocol", "--out", &campaign.at("p.md")]);
        assert_eq!(stderr.contains("за 10–11 дней до собрания"), boundary, "{date}: {stderr}");
        assert_eq!(stderr.contains("«Орлова Елена Викторовна» — подпись"), late, "{date}: {stderr}");
    }
}
