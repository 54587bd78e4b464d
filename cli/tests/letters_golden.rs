//! Golden files of the registered-mail list (form 103, CSV) and the delivery register (CSV, and
//! the text of its DOCX) of fixtures/lesnaya-7 with one notice handed over in time (flat 1,
//! 20.11.2026) and one late (an owner of flat 2, 03.12.2026, after the last day 30.11.2026). The
//! files live in `cli/tests/golden/`; `OBHOD_BLESS=1 cargo test -p obhod --test letters_golden`
//! writes them anew, to be reviewed as a diff before committing.

use std::io::Read;
use std::path::{Path, PathBuf};

mod support;
use support::Workdir as Store;

/// Compares `actual` with the golden file `name`, or writes it under `OBHOD_BLESS`.
fn golden(name: &str, actual: &str) {
    let path: PathBuf = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/golden").join(name);
    if std::env::var_os("OBHOD_BLESS").is_some() {
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(&path, actual).unwrap();
        return;
    }
    let expected = std::fs::read_to_string(&path)
        .unwrap_or_else(|_| panic!("{}: no golden file; write it with OBHOD_BLESS=1", path.display()));
    assert!(
        actual == expected,
        "{} differs from what was written now; if the change is meant, run again with OBHOD_BLESS=1 and review \
         the diff\n--- golden\n{expected}\n--- now\n{actual}",
        path.display()
    );
}

/// The building with flat 1 notified in time and one owner of flat 2 late.
fn canvassed() -> Store {
    let store = Store::with("lesnaya-7");
    store.ok(&["mark", "2", "delivered", "--owner", "Кузнецова Марина Олеговна", "--date", "2026-12-03"]);
    store.ok(&["mark", "1", "delivered", "--date", "2026-11-20"]);
    store
}

fn text_of(store: &Store, name: &str) -> String {
    let text = std::fs::read_to_string(store.file(name)).unwrap();
    text.strip_prefix('\u{feff}').expect("a BOM, for Excel").to_string()
}

#[test]
fn the_mail_list_of_lesnaya_7_is_the_golden_one() {
    let store = canvassed();
    store.ok(&["mail-list", "--out", &store.at("list.csv")]);
    golden("lesnaya-7-f103.csv", &text_of(&store, "list.csv"));
    store.ok(&["mail-list", "--out", &store.at("order.csv"), "--format", "otpravka"]);
    golden("lesnaya-7-otpravka.csv", &text_of(&store, "order.csv"));
}

#[test]
fn the_delivery_register_of_lesnaya_7_is_the_golden_one_in_csv_and_docx() {
    let store = canvassed();
    store.ok(&["register", "--out", &store.at("register.csv")]);
    golden("lesnaya-7-register.csv", &text_of(&store, "register.csv"));
    store.ok(&["register", "--out", &store.at("register.docx")]);
    golden("lesnaya-7-register.docx.txt", &docx_text(&store.file("register.docx")));
}

/// The text of a DOCX: a line per paragraph, a table row as its cells between `|` (the lines of a
/// cell joined by ` / `).
fn docx_text(path: &Path) -> String {
    let mut archive = zip::ZipArchive::new(std::fs::File::open(path).unwrap()).unwrap();
    let mut xml = String::new();
    archive.by_name("word/document.xml").unwrap().read_to_string(&mut xml).unwrap();
    let body = xml.split("<w:body>").nth(1).unwrap_or(&xml);
    let mut lines = Vec::new();
    let mut rest = body;
    while !rest.is_empty() {
        let table = rest.find("<w:tbl>");
        let paragraph = rest.find("<w:p>").or_else(|| rest.find("<w:p "));
        match (table, paragraph) {
            (Some(t), p) if p.is_none_or(|p| t < p) => {
                let end = rest[t..].find("</w:tbl>").map_or(rest.len(), |e| t + e);
                for row in rest[t..end].split("</w:tr>").filter(|r| r.contains("<w:tc>")) {
                    let cells: Vec<String> =
                        row.split("</w:tc>").filter(|c| c.contains("<w:p")).map(cell_text).collect();
                    lines.push(format!("| {} |", cells.join(" | ")));
                }
                rest = &rest[end..];
                rest = rest.strip_prefix("</w:tbl>").unwrap_or(rest);
            }
            (_, Some(p)) => {
                let end = rest[p..].find("</w:p>").map_or(rest.len(), |e| p + e);
                let text = runs(&rest[p..end]);
                if !text.trim().is_empty() {
                    lines.push(text);
                }
                rest = &rest[(end + "</w:p>".len()).min(rest.len())..];
            }
            _ => break,
        }
    }
    lines.join("\n") + "\n"
}

fn cell_text(cell: &str) -> String {
    cell.split("</w:p>").map(runs).filter(|t| !t.is_empty()).collect::<Vec<_>>().join(" / ")
}

/// The text of the runs of a piece of XML, with line breaks as ` / `.
fn runs(xml: &str) -> String {
    let mut text = String::new();
    for piece in xml.split('<').skip(1) {
        if piece.starts_with("w:br") {
            text.push_str(" / ");
        } else if let Some(run) =
            piece.strip_prefix("w:t>").or_else(|| piece.strip_prefix("w:t xml:space=\"preserve\">"))
        {
            text.push_str(run);
        }
    }
    text.replace('\u{a0}', " ").replace("&amp;", "&").replace("&lt;", "<").replace("&gt;", ">").replace("&quot;", "\"")
}
