//! Registries as people have them, through the binary: a workbook named by meeting.toml, a CSV
//! saved by a Russian Excel, and the `registry` commands.

mod support;

use serde_json::Value;
use support::{Workdir, fixture};

/// Lesnaya 7's registry as a workbook: a title row above the header, on a sheet after another.
fn lesnaya_workbook(path: &std::path::Path) {
    let text = std::fs::read_to_string(fixture("lesnaya-7", "registry.csv")).unwrap();
    let mut book = rust_xlsxwriter::Workbook::new();
    book.add_worksheet().set_name("Пояснения").unwrap().write_string(0, 0, "Реестр — на следующем листе").unwrap();
    let sheet = book.add_worksheet();
    sheet.set_name("Реестр").unwrap();
    sheet.write_string(0, 0, "Реестр собственников, ул. Лесная, д. 7").unwrap();
    for (r, line) in text.lines().enumerate() {
        for (c, cell) in line.split(';').enumerate() {
            sheet.write_string(r as u32 + 2, c as u16, cell).unwrap();
        }
    }
    book.save(path).unwrap();
}

fn weights(workdir: &Workdir, args: &[&str]) -> Value {
    let mut all = vec!["--json", "weights"];
    all.extend_from_slice(args);
    serde_json::from_str(&workdir.ok(&all)).unwrap()
}

#[test]
fn init_reads_the_workbook_meeting_toml_names_and_counts_as_from_its_csv() {
    let workdir = Workdir { dir: tempfile::tempdir().unwrap() };
    lesnaya_workbook(&workdir.file("registry.xlsx"));
    let meeting = std::fs::read_to_string(fixture("lesnaya-7", "meeting.toml")).unwrap();
    std::fs::write(workdir.file("meeting.toml"), meeting.replace("\"registry.csv\"", "\"registry.xlsx\"")).unwrap();
    let (code, _, stderr) = workdir.run(&["init", "--meeting", &workdir.at("meeting.toml")]);
    assert_eq!(code, 0, "{stderr}");
    assert!(stderr.contains("таблица на листе «Реестр», заголовок в строке 3"), "said where: {stderr}");
    let from_csv = weights(&workdir, &["--registry", &fixture("lesnaya-7", "registry.csv")]);
    assert_eq!(weights(&workdir, &[]), from_csv, "the campaign counts the workbook's registry");
    assert_eq!(weights(&workdir, &["--registry", &workdir.at("registry.xlsx")]), from_csv);
}

#[test]
fn weights_reads_a_windows_1251_csv_and_says_so() {
    let workdir = Workdir { dir: tempfile::tempdir().unwrap() };
    let (code, stdout, stderr) = workdir.run(&["weights", "--registry", &fixture("registries", "registry-1251.csv")]);
    assert_eq!(code, 0, "{stderr}");
    assert!(stderr.contains("прочитан в кодировке Windows-1251"), "{stderr}");
    assert!(stdout.contains("Ёлкин Пётр Семёнович"), "{stdout}");
}
