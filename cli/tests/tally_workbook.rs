//! `obhod tally --out FILE.xlsx`, run as the real binary: the counting commission's workbook holds
//! the figures `tally --json` gives, each question's result, and every decision recorded with what
//! became of it (withdrawn, defective, late, counted), read back with calamine.

use std::io::Cursor;

use calamine::{Data, Reader, Xlsx};
use serde_json::Value;

mod support;
use support::{Workdir, fixture};

/// The rows of each sheet of a workbook as text.
fn sheets(path: &std::path::Path) -> Vec<(String, Vec<Vec<String>>)> {
    let mut book = Xlsx::new(Cursor::new(std::fs::read(path).unwrap())).unwrap();
    let names = book.sheet_names();
    names
        .into_iter()
        .map(|name| {
            let range = book.worksheet_range(&name).unwrap();
            let rows = range
                .rows()
                .map(|row| {
                    row.iter()
                        .map(|cell| match cell {
                            Data::Empty => String::new(),
                            other => other.to_string(),
                        })
                        .collect()
                })
                .collect();
            (name, rows)
        })
        .collect()
}

fn row<'a>(rows: &'a [Vec<String>], first: &str) -> &'a [String] {
    rows.iter().find(|r| r.first().is_some_and(|c| c == first)).unwrap_or_else(|| panic!("no row «{first}»: {rows:?}"))
}

fn lesnaya() -> Workdir {
    let campaign = Workdir::with("lesnaya-7");
    campaign.ok(&["ballots", "import", &fixture("lesnaya-7", "ballots.csv")]);
    campaign
}

#[test]
fn the_workbook_holds_the_counts_figures_and_every_decision_with_what_became_of_it() {
    let campaign = lesnaya();
    let list: Value = serde_json::from_str(&campaign.ok(&["--json", "ballots", "list", "--premise", "1"])).unwrap();
    let orlova = list["decisions"][0]["id"].as_str().unwrap().to_owned();
    campaign.ok(&["ballots", "withdraw", &orlova, "--note", "перепутаны ответы"]);
    let tally: Value =
        serde_json::from_str(&campaign.ok(&["--json", "tally", "--out", &campaign.at("count.xlsx")])).unwrap();
    assert_eq!(tally["file"], campaign.at("count.xlsx"));
    let book = sheets(&campaign.file("count.xlsx"));
    let names: Vec<&str> = book.iter().map(|(name, _)| name.as_str()).collect();
    assert_eq!(names, ["Итоги", "Вопросы", "Решения"]);

    let summary = &book[0].1;
    assert!(summary[0][0].ends_with("ул. Лесная, д. 7"), "{:?}", summary[0]);
    let took_part = row(summary, "Приняли участие");
    assert_eq!(took_part[3], tally["participated"].as_str().unwrap(), "the exact figure is tally's");
    let shown: f64 = took_part[1].parse().unwrap();
    let exact: Vec<f64> = tally["participated"].as_str().unwrap().split('/').map(|n| n.parse().unwrap()).collect();
    assert!((shown - exact[0] / exact.get(1).unwrap_or(&1.0)).abs() < 0.005, "{shown} vs {exact:?}");
    assert_eq!(row(summary, "Кворум")[1], if tally["quorum"] == true { "есть" } else { "нет" });
    assert_eq!(
        row(summary, "Общее число голосов (площадь помещений с собственниками)")[3],
        tally["total"].as_str().unwrap()
    );

    let questions = &book[1].1;
    let header = questions.iter().position(|r| r[0] == "№").unwrap();
    assert_eq!(questions.len() - header - 1, 3, "one row per question");
    for (q, json) in questions[header + 1..].iter().zip(tally["questions"].as_array().unwrap()) {
        let adopted = json["adopted"] == true;
        assert_eq!(q.iter().any(|c| c == "ПРИНЯТО"), adopted, "{q:?} vs {json}");
    }

    let decisions = &book[2].1;
    let header = decisions.iter().position(|r| r[0] == "№").unwrap();
    let columns = &decisions[header];
    let at = |name: &str| columns.iter().position(|c| c == name).unwrap_or_else(|| panic!("{name}: {columns:?}"));
    let listed = &decisions[header + 1..];
    assert_eq!(listed.len(), 8, "every decision recorded, the withdrawn one too");
    let of = |premise: &str| listed.iter().find(|r| r[at("Помещение")] == premise).unwrap();
    assert_eq!(of("1")[at("Учтено")], "нет: отозвано");
    assert_eq!(of("1")[at("Номер записи")], orlova);
    assert_eq!(of("5")[at("Учтено")], "нет: решение недействительно: нет подписи");
    assert!(of("8")[at("Учтено")].starts_with("нет: поступило 22.12.2026"), "{:?}", of("8"));
    let proxy = of("3");
    assert_eq!(proxy[at("Учтено")], "да");
    assert_eq!(proxy[at("Представитель")], "Морозов Алексей Викторович");
    assert_eq!(proxy[at("Полномочия")], "по доверенности");
    assert_eq!(proxy[at("Доверенность от")], "01.12.2026");
    assert_eq!(proxy[at("Удостоверена")], "нотариус Кравец Т. С.");
    assert_eq!(proxy[at("Вопрос 2")], "воздержался");
    assert_eq!(proxy[at("Голосов")], "45.3", "the owner's votes as a number");
    assert!(!proxy[at("Устройство")].is_empty());
}

#[test]
fn the_workbook_from_files_lists_the_ballots_file_and_a_wrong_extension_writes_nothing() {
    let campaign = Workdir::with("lesnaya-7");
    let meeting = fixture("lesnaya-7", "meeting.toml");
    let ballots = fixture("lesnaya-7", "ballots.csv");
    let out =
        campaign.ok(&["tally", "--meeting", &meeting, "--ballots", &ballots, "--out", &campaign.at("files.xlsx")]);
    assert!(out.ends_with(&format!("Записано: {}\n", campaign.at("files.xlsx"))), "{out}");
    let book = sheets(&campaign.file("files.xlsx"));
    let decisions = &book[2].1;
    let header = decisions.iter().position(|r| r[0] == "№").unwrap();
    assert_eq!(decisions.len() - header - 1, 8);

    let refused = campaign.refused(&["tally", "--out", &campaign.at("count.docx")]);
    assert!(refused.contains("count.docx") && refused.contains(".xlsx"), "{refused}");
    assert_eq!(campaign.papers(), ["files.xlsx"], "nothing else written");
}
