//! The fixture buildings as the core's values, for the papers' tests.

use std::path::Path;

use obhod_core::{Ballot, Lang, Meeting, Registry, Tally, Weights, parse_ballots};
use obhod_papers::Report;

/// A building's files read and counted: what the command line hands the papers.
pub struct Counted {
    pub registry: Registry,
    pub meeting: Meeting,
    pub weights: Weights,
    pub tally: Tally,
}

impl Counted {
    /// The fixture `dir` (`guide-example`, `sadovaya-5`) with its ballots, or with none.
    pub fn fixture(dir: &str, with_ballots: bool) -> Counted {
        let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../fixtures").join(dir);
        let read = |file: &str| std::fs::read_to_string(root.join(file)).expect("a fixture file");
        Counted::of(&read("meeting.toml"), &read("registry.csv"), with_ballots.then(|| read("ballots.csv")).as_deref())
    }

    /// A building from the texts of its files.
    pub fn of(meeting: &str, registry: &str, ballots: Option<&str>) -> Counted {
        let meeting = Meeting::parse("meeting.toml", meeting).expect("a valid meeting");
        let registry = Registry::parse("registry.csv", registry.as_bytes()).expect("a valid registry");
        let ballots: Vec<Ballot> = match ballots {
            Some(text) => parse_ballots("ballots.csv", text.as_bytes(), &registry, meeting.questions.len()).unwrap(),
            None => Vec::new(),
        };
        let weights = Weights::compute(&registry);
        let tally = Tally::count(&registry, &weights, &meeting, &ballots);
        Counted { registry, meeting, weights, tally }
    }

    pub fn report(&self, lang: Lang) -> Report<'_> {
        Report::new(&self.registry, &self.weights, &self.meeting, &self.tally, lang)
    }
}

/// The text of every paragraph of a DOCX's body, one paragraph a line, and the other parts of the
/// package by name.
pub fn docx_text(bytes: &[u8]) -> (String, std::collections::BTreeMap<String, String>) {
    let mut archive = zip::ZipArchive::new(std::io::Cursor::new(bytes)).expect("a DOCX is a zip archive");
    let mut parts = std::collections::BTreeMap::new();
    for index in 0..archive.len() {
        let mut file = archive.by_index(index).unwrap();
        let mut text = String::new();
        std::io::Read::read_to_string(&mut file, &mut text).unwrap();
        parts.insert(file.name().to_owned(), text);
    }
    let body = parts.get("word/document.xml").expect("a DOCX has word/document.xml");
    (paragraph_texts(body), parts)
}

/// The text runs of each `<w:p>` of an XML part, joined, one paragraph a line, entities decoded.
fn paragraph_texts(xml: &str) -> String {
    let mut out = String::new();
    for paragraph in xml.split("</w:p>") {
        let mut line = String::new();
        let mut rest = paragraph;
        while let Some(start) = rest.find("<w:t") {
            let after = &rest[start..];
            let Some(open_end) = after.find('>') else { break };
            if after[..open_end].ends_with('/') || !matches!(after.as_bytes().get(4), Some(b'>' | b' ')) {
                rest = &after[open_end + 1..];
                continue;
            }
            let body = &after[open_end + 1..];
            let close = body.find("</w:t>").expect("a closed text run");
            line.push_str(&body[..close]);
            rest = &body[close..];
        }
        if !line.is_empty() {
            out.push_str(&decode(&line));
            out.push('\n');
        }
    }
    out
}

fn decode(text: &str) -> String {
    text.replace("&lt;", "<").replace("&gt;", ">").replace("&quot;", "\"").replace("&apos;", "'").replace("&amp;", "&")
}
