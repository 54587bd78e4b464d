//! Registries as people have them: a workbook with a title above a header over two rows of merged
//! cells on its second sheet, a CSV saved by a Russian Excel in Windows-1251. Every one is read by
//! the one table reader and names its sheet and row in errors.

use obhod_core::{Lang, Problem, Registry};
use rust_xlsxwriter::{Format, Workbook};

/// A workbook as a managing company sends it: an instructions sheet first, then the registry under
/// a merged title, its header over two rows («Сведения о собственнике» merged over two columns,
/// the others merged down), areas as numbers.
fn workbook(area_of_2: &str) -> Vec<u8> {
    let mut book = Workbook::new();
    let merged = Format::new().set_bold();
    let notes = book.add_worksheet();
    notes.set_name("Инструкция").unwrap();
    notes.write_string(0, 0, "Заполните реестр на листе «Реестр»").unwrap();
    let sheet = book.add_worksheet();
    sheet.set_name("Реестр").unwrap();
    sheet.merge_range(0, 0, 0, 5, "Реестр собственников помещений, ул. Лесная, д. 7", &merged).unwrap();
    for (col, name) in ["Помещение", "Тип", "Площадь", "Этаж"].into_iter().enumerate() {
        sheet.merge_range(2, col as u16, 3, col as u16, name, &merged).unwrap();
    }
    sheet.merge_range(2, 4, 2, 5, "Сведения о собственнике", &merged).unwrap();
    sheet.write_string(3, 4, "Собственник").unwrap();
    sheet.write_string(3, 5, "Доля").unwrap();
    let rows: [(&str, &str, &str, f64, &str, &str); 3] = [
        ("1", "квартира", "52,4", 1.0, "Орлова Елена Викторовна", ""),
        ("2", "квартира", area_of_2, 1.0, "Кузнецов Андрей Петрович", "1/2"),
        ("2", "квартира", area_of_2, 1.0, "Кузнецова Марина Олеговна", "1/2"),
    ];
    for (i, (premise, kind, area, floor, owner, share)) in rows.into_iter().enumerate() {
        let row = 4 + i as u32;
        sheet.write_string(row, 0, premise).unwrap();
        sheet.write_string(row, 1, kind).unwrap();
        match area.replace(',', ".").parse::<f64>() {
            Ok(number) => sheet.write_number(row, 2, number).unwrap(),
            Err(_) => sheet.write_string(row, 2, area).unwrap(),
        };
        sheet.write_number(row, 3, floor).unwrap();
        sheet.write_string(row, 4, owner).unwrap();
        sheet.write_string(row, 5, share).unwrap();
    }
    book.save_to_buffer().unwrap()
}

#[test]
fn a_workbooks_registry_is_found_under_its_title_on_its_sheet_and_said_where() {
    let (registry, notices) = Registry::read("реестр.xlsx", &workbook("61")[..]).expect("the workbook's registry");
    let labels: Vec<&str> = registry.premises.iter().map(|p| p.label.as_str()).collect();
    assert_eq!(labels, ["1", "2"]);
    assert_eq!(registry.premises[0].area, obhod_core::number::parse_decimal("52.4").unwrap());
    assert_eq!(registry.premises[1].owners().len(), 2, "the share column under the merged title is read");
    assert_eq!(registry.premises[0].line, 5, "rows as Excel numbers them");
    let said: Vec<String> = notices.iter().map(|n| n.message(Lang::Ru)).collect();
    assert_eq!(said, ["реестр.xlsx: таблица на листе «Реестр», заголовок в строке 4"]);
}

#[test]
fn an_error_in_a_workbook_names_the_file_the_sheet_and_the_row() {
    let e = Registry::read("реестр.xlsx", &workbook("шестьдесят")[..]).expect_err("an area in words");
    assert_eq!((e.sheet.as_deref(), e.line), (Some("Реестр"), Some(6)));
    assert_eq!(*e.problem, Problem::NotANumber { column: "area", value: "шестьдесят".into() });
    let message = e.message(Lang::Ru);
    assert!(message.starts_with("реестр.xlsx, лист «Реестр», строка 6: «шестьдесят»"), "{message}");
}

#[test]
fn a_workbook_is_kept_by_a_campaign_as_the_csv_of_its_table() {
    let text = Registry::text("реестр.xlsx", &workbook("61")).unwrap();
    assert!(text.starts_with("Помещение;Тип;Площадь;Этаж;Собственник;Доля\n1;квартира;52.4;1;"), "{text}");
    let owners = |registry: &Registry| -> Vec<(String, String)> {
        let premises = registry.premises.iter();
        premises.flat_map(|p| p.owners().into_iter().map(|o| (p.label.clone(), o.name.clone()))).collect()
    };
    let kept = Registry::parse("реестр.xlsx", text.as_bytes()).unwrap();
    assert_eq!(owners(&kept), owners(&Registry::read("реестр.xlsx", &workbook("61")[..]).unwrap().0));
}

#[test]
fn a_csv_saved_by_a_russian_excel_is_read_as_windows_1251() {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../fixtures/registries/registry-1251.csv");
    let bytes = std::fs::read(path).unwrap();
    assert!(std::str::from_utf8(&bytes).is_err(), "the fixture is not UTF-8");
    let (registry, notices) = Registry::read("registry-1251.csv", &bytes[..]).expect("Windows-1251");
    let names: Vec<&str> = registry.premises.iter().flat_map(|p| p.owners()).map(|o| o.name.as_str()).collect();
    assert!(names.contains(&"Ёлкин Пётр Семёнович") && names.contains(&"ООО «Уют»"), "{names:?}");
    let said: Vec<String> = notices.iter().map(|n| n.message(Lang::En)).collect();
    assert_eq!(
        said,
        [
            "registry-1251.csv: read as Windows-1251 (as a Russian Excel saves CSV)",
            "registry-1251.csv: the table's header is on line 2"
        ]
    );
}

/// A LibreOffice spreadsheet (ODS) as a ZIP: its mimetype first, the manifest and the content.
fn ods(rows: &[&[&str]]) -> Vec<u8> {
    use std::io::Write;
    let cells = |row: &[&str]| -> String {
        row.iter()
            .map(|c| format!("<table:table-cell office:value-type=\"string\"><text:p>{c}</text:p></table:table-cell>"))
            .collect()
    };
    let body: String = rows.iter().map(|r| format!("<table:table-row>{}</table:table-row>", cells(r))).collect();
    let content = format!(
        r#"<?xml version="1.0" encoding="UTF-8"?>
<office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" office:version="1.2"><office:body><office:spreadsheet><table:table table:name="Реестр">{body}</table:table></office:spreadsheet></office:body></office:document-content>"#
    );
    let manifest = r#"<?xml version="1.0" encoding="UTF-8"?>
<manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" manifest:version="1.2"><manifest:file-entry manifest:full-path="/" manifest:media-type="application/vnd.oasis.opendocument.spreadsheet"/><manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/></manifest:manifest>"#;
    let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let stored = zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Stored);
    zip.start_file("mimetype", stored).unwrap();
    zip.write_all(b"application/vnd.oasis.opendocument.spreadsheet").unwrap();
    zip.start_file("META-INF/manifest.xml", zip::write::SimpleFileOptions::default()).unwrap();
    zip.write_all(manifest.as_bytes()).unwrap();
    zip.start_file("content.xml", zip::write::SimpleFileOptions::default()).unwrap();
    zip.write_all(content.as_bytes()).unwrap();
    zip.finish().unwrap().into_inner()
}

#[test]
fn a_libreoffice_spreadsheet_is_read_like_a_workbook() {
    let bytes = ods(&[
        &["Реестр собственников"],
        &["помещение", "тип", "площадь", "собственник"],
        &["1", "квартира", "52,4", "Орлова Елена Викторовна"],
        &["Н-1", "нежилое", "", "ООО «Уют»"],
    ]);
    let e = Registry::read("реестр.ods", &bytes[..]).expect_err("Н-1 has no area");
    assert_eq!((e.sheet.as_deref(), e.line, &*e.problem), (Some("Реестр"), Some(4), &Problem::MissingValue("area")));
    let good =
        ods(&[&["помещение", "тип", "площадь", "собственник"], &["1", "квартира", "52,4", "Орлова Елена Викторовна"]]);
    let (registry, _) = Registry::read("реестр.ods", &good[..]).expect("an ODS registry");
    assert_eq!(registry.premises[0].owners()[0].name, "Орлова Елена Викторовна");
}

#[test]
fn decisions_entered_in_a_workbook_are_read_under_their_title() {
    let (registry, _) = Registry::read("реестр.xlsx", &workbook("61")[..]).unwrap();
    let mut book = Workbook::new();
    let sheet = book.add_worksheet();
    sheet.write_string(0, 0, "Решения собственников, поступившие к 20.12.2026").unwrap();
    let rows = [["помещение", "собственник", "1", "получено"], ["2", "Кузнецова Марина Олеговна", "за", "18.12.2026"]];
    for (r, row) in rows.iter().enumerate() {
        for (c, cell) in row.iter().enumerate() {
            sheet.write_string(r as u32 + 2, c as u16, *cell).unwrap();
        }
    }
    let bytes = book.save_to_buffer().unwrap();
    let ballots = obhod_core::parse_ballots("решения.xlsx", &bytes[..], &registry, 1).expect("ballots from a workbook");
    assert_eq!((ballots[0].line, ballots[0].owner.as_str()), (4, "Кузнецова Марина Олеговна"));
    assert_eq!(ballots[0].answers, [obhod_core::Answer::For]);
}

#[test]
fn a_row_numbering_the_columns_under_the_header_is_not_a_premise() {
    let text = "помещение;тип;площадь;собственник\n1;2;3;4\n1;квартира;52,4;Орлова Елена Викторовна\n";
    let (registry, _) = Registry::read("r.csv", text.as_bytes()).expect("the numbering row skipped");
    assert_eq!(registry.premises.len(), 1);
    assert_eq!(registry.premises[0].line, 3);
}
