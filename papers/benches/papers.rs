//! The cost of every paper of a large building: about 10,000 holdings (sole, shared and joint
//! flats, communal flats, municipal flats, legal entities' non-residential premises), 9 questions
//! and ballots from about half of the voters. The building is generated here deterministically;
//! the count is made once, and the benchmark measures the report and the documents, then the
//! registered-mail lists and the delivery register written to files.
//!
//! `cargo bench -p obhod-papers` (a release build: mind the disk).

use std::fmt::Write as _;
use std::hint::black_box;
use std::time::Duration;

use criterion::{Criterion, criterion_group, criterion_main};
use obhod_core::{Canvass, Lang, Meeting, Registry, Tally, Weights, envelopes, parse_ballots};
use obhod_papers::mail::{MailFormat, MailOptions};
use obhod_papers::{Format, Report, forms, mail, notice, protocol, register, results};

const HOLDINGS: usize = 10_000;
const QUESTIONS: [&str; 9] = ["other", "other", "4", "1.1", "1", "3", "other", "4", "1.1"];

/// The registry and ballots as CSV text, with the number of holdings written.
fn building() -> (String, String, usize) {
    let mut registry =
        String::from("premise;kind;area;entrance;floor;room;room_area;owner;owner_kind;share;joint;document;address\n");
    let mut ballots =
        format!("premise;owner;{}\n", (1..=QUESTIONS.len()).map(|q| q.to_string()).collect::<Vec<_>>().join(";"));
    let answers = ["за", "против", "воздержался"];
    let (mut holdings, mut people, mut flat) = (0, 0, 0);
    let row = |registry: &mut String,
               entrance: usize,
               premise: &str,
               kind: &str,
               area: &str,
               room: (&str, &str),
               owner: (&str, &str),
               share: &str,
               joint: &str| {
        let document = format!("55-55/001-55/001/{:03}/2016-{premise}", premise.len());
        let (room, room_area) = room;
        let (name, owner_kind) = owner;
        writeln!(
            registry,
            "{premise};{kind};{area};{entrance};;{room};{room_area};{name};{owner_kind};{share};{joint};{document};"
        )
        .unwrap();
    };
    while holdings < HOLDINGS {
        flat += 1;
        let label = flat.to_string();
        let area = format!("{},{:02}", 30 + flat % 70, flat % 100);
        let vote = |ballots: &mut String, owner: &str, k: usize| {
            if k.is_multiple_of(2) {
                let marks: Vec<&str> = (0..QUESTIONS.len()).map(|q| answers[(k + q) % 3]).collect();
                writeln!(ballots, "{label};{owner};{}", marks.join(";")).unwrap();
            }
        };
        match flat % 20 {
            0 => {
                for (r, room_area) in ["12,30", "15,70", "18,10"].iter().enumerate() {
                    people += 1;
                    let owner = format!("Собственник {people}");
                    row(
                        &mut registry,
                        1 + flat % 10,
                        &label,
                        "flat",
                        "70,00",
                        (&format!("к{}", r + 1), room_area),
                        (&owner, "person"),
                        "",
                        "",
                    );
                    vote(&mut ballots, &owner, people);
                    holdings += 1;
                }
            }
            1..=3 => {
                for share in ["3/4", "1/4"] {
                    people += 1;
                    let owner = format!("Собственник {people}");
                    row(&mut registry, 1 + flat % 10, &label, "flat", &area, ("", ""), (&owner, "person"), share, "");
                    vote(&mut ballots, &owner, people);
                    holdings += 1;
                }
            }
            4 | 5 => {
                for member in 0..2 {
                    people += 1;
                    let owner = format!("Собственник {people}");
                    row(&mut registry, 1 + flat % 10, &label, "flat", &area, ("", ""), (&owner, "person"), "", "с1");
                    if member == 0 {
                        vote(&mut ballots, &owner, people);
                    }
                }
                holdings += 1;
            }
            6 => {
                let owner = "Муниципальное образование город Примерск";
                row(&mut registry, 1 + flat % 10, &label, "flat", &area, ("", ""), (owner, "municipal"), "", "");
                holdings += 1;
            }
            7 => {
                let owner = format!("ООО «Арендатор {}»", flat % 12);
                row(
                    &mut registry,
                    1 + flat % 10,
                    &format!("Н-{flat}"),
                    "nonresidential",
                    &area,
                    ("", ""),
                    (&owner, "legal"),
                    "",
                    "",
                );
                holdings += 1;
            }
            _ => {
                people += 1;
                let owner = format!("Собственник {people}");
                row(&mut registry, 1 + flat % 10, &label, "flat", &area, ("", ""), (&owner, "person"), "", "");
                vote(&mut ballots, &owner, people);
                holdings += 1;
            }
        }
    }
    (registry, ballots, holdings)
}

fn meeting() -> String {
    let mut text = String::from(
        "[building]\naddress = \"г. Примерск, ул. Длинная, д. 1\"\npostcode = \"644000\"\n\
         region = \"Омская обл.\"\nplace = \"г. Примерск\"\nstreet = \"ул. Длинная\"\nhouse = \"1\"\nregistry = \"registry.csv\"\n\n[meeting]\n\
         kind = \"extraordinary\"\nform = \"in_person_and_absentee\"\ndate = 2026-12-10\ntime = \"19:00\"\n\
         place = \"во дворе\"\nvoting_ends = 2026-12-20\nballots_to = \"кв. 1\"\n\
         initiator = \"Собственник 1, собственник кв. 1\"\ninitiator_premise = \"1\"\nchair = \"Собственник 1\"\nsecretary = \"Собственник 2\"\n\
         counting_commission = [\"Собственник 3\"]\nstorage = \"кв. 1\"\n",
    );
    for (number, item) in QUESTIONS.iter().enumerate() {
        write!(
            text,
            "\n[[question]]\ntext = \"Вопрос {}\"\nproposal = \"Утвердить предложение {}\"\nitem = \"{item}\"\n",
            number + 1,
            number + 1
        )
        .unwrap();
    }
    text
}

fn papers(c: &mut Criterion) {
    let (registry_text, ballots_text, holdings) = building();
    assert!(holdings >= HOLDINGS, "{holdings} holdings");
    let meeting = Meeting::parse("meeting.toml", &meeting()).unwrap();
    let registry = Registry::parse("registry.csv", registry_text.as_bytes()).unwrap();
    let ballots = parse_ballots("ballots.csv", ballots_text.as_bytes(), &registry, QUESTIONS.len()).unwrap();
    let weights = Weights::compute(&registry);
    let tally = Tally::count(&registry, &weights, &meeting, &ballots);

    let mut group = c.benchmark_group("papers of 10,000 holdings");
    group.sample_size(10).measurement_time(Duration::from_secs(20));
    for format in [Format::Markdown, Format::Docx] {
        group.bench_function(format!("report, notice, forms, protocol, results as {format:?}"), |b| {
            b.iter(|| {
                let report = Report::new(&registry, &weights, &meeting, &tally, Lang::Ru);
                let docs = [notice(&report), forms(&report, &[]), protocol(&report), results(&report)];
                let bytes: usize = docs.iter().map(|doc| format.render(doc.as_ref().unwrap()).len()).sum();
                black_box(bytes)
            })
        });
    }
    // Before the first letter: every owner still to be written to, and the register filled
    // from no facts; the files go to a temporary folder, as the command line writes them.
    let canvass = Canvass::fold(&registry, Vec::new());
    let folder = tempfile::tempdir().unwrap();
    group.bench_function("mail lists (form 103 and the order, XLSX) and the register (DOCX and XLSX)", |b| {
        b.iter(|| {
            let letters = envelopes(&registry, &canvass);
            let source = mail::Source { meeting: &meeting, registry: &registry, registry_file: "registry.csv" };
            let mut files = 0;
            for format in [MailFormat::F103, MailFormat::Otpravka] {
                let options = MailOptions { format, ..MailOptions::default() };
                let path = folder.path().join(format!("{format:?}.xlsx"));
                files += mail::write(&path, &source, &letters, options).unwrap().len();
            }
            for name in ["register.docx", "register.xlsx"] {
                let path = folder.path().join(name);
                files += register::write(&path, &meeting, &registry, &canvass, false, Lang::Ru).unwrap();
            }
            black_box(files)
        })
    });
    group.finish();
}

criterion_group!(benches, papers);
criterion_main!(benches);
