//! The papers of the guide's worked example and of Садовая, 5: the Markdown of each is a golden
//! file; each DOCX is unzipped and must hold every text of the document, on A4 in Times New
//! Roman with the page number in the footer.

mod common;

use common::Counted;
use obhod_core::Lang;
use obhod_papers::{Doc, Format, PaperError, Report, forms, narrow_columns, notice, protocol, results};

/// Every paper of a report, by name.
fn all(report: &Report) -> Vec<(&'static str, Doc)> {
    vec![
        ("notice", notice(report).unwrap()),
        ("ballots", forms(report, &[]).unwrap()),
        ("protocol", protocol(report).unwrap()),
        ("results", results(report).unwrap()),
    ]
}

#[test]
fn the_guide_examples_papers_in_markdown() {
    let counted = Counted::fixture("guide-example", true);
    for lang in [Lang::Ru, Lang::En] {
        for (name, doc) in all(&counted.report(lang)) {
            let markdown = String::from_utf8(Format::Markdown.render(&doc)).unwrap();
            insta::assert_snapshot!(format!("guide-{name}-{lang:?}"), markdown);
        }
    }
}

#[test]
fn every_docx_holds_every_text_of_its_document_on_a4() {
    for (fixture, ballots) in [("guide-example", true), ("sadovaya-5", true), ("guide-example", false)] {
        let counted = Counted::fixture(fixture, ballots);
        for (name, doc) in all(&counted.report(Lang::Ru)) {
            let (text, parts) = docx_text(&Format::Docx.render(&doc));
            for line in doc.plain_text().replace('\u{a0}', " ").lines().filter(|l| !l.is_empty()) {
                assert!(text.contains(line), "{fixture} {name}: the DOCX lacks «{line}»");
            }
            let body = &parts["word/document.xml"];
            assert!(body.contains(r#"w:w="11906" w:h="16838""#), "{fixture} {name}: A4 portrait");
            assert!(parts["word/styles.xml"].contains("Times New Roman"), "{fixture} {name}: the font");
            let footers: String =
                parts.iter().filter(|(n, _)| n.starts_with("word/footer")).map(|(_, t)| t.as_str()).collect();
            assert!(footers.contains("PAGE"), "{fixture} {name}: a page number in the footer");
            if name == "protocol" {
                assert!(body.contains(r#"w:w="16838" w:h="11906" w:orient="landscape""#), "the registry is landscape");
            }
        }
    }
}

#[test]
fn every_word_of_every_table_fits_its_column_on_the_printed_page() {
    let mut narrow = Vec::new();
    for (fixture, ballots) in [("guide-example", true), ("sadovaya-5", true)] {
        let counted = Counted::fixture(fixture, ballots);
        for lang in [Lang::Ru, Lang::En] {
            for (name, doc) in all(&counted.report(lang)) {
                narrow.extend(narrow_columns(&doc).into_iter().map(|n| format!("{fixture} {name} {lang:?}: {n}")));
            }
        }
    }
    assert!(narrow.is_empty(), "words wider than their column (needs > has, in twips): {narrow:#?}");
}

/// The `<w:p>` elements of a DOCX's body whose text holds `text`, in order.
fn paragraphs_with(xml: &str, text: &str) -> Vec<String> {
    xml.split("</w:p>").filter(|p| paragraph_texts(&format!("{p}</w:p>")).contains(text)).map(str::to_owned).collect()
}

#[test]
fn the_docx_keeps_lead_ins_with_their_tables_signatures_with_their_dates_and_a_form_a_page() {
    let counted = Counted::fixture("sadovaya-5", true);
    let report = counted.report(Lang::Ru);
    let (_, parts) = docx_text(&Format::Docx.render(&protocol(&report).unwrap()));
    let body = &parts["word/document.xml"];
    let voted = paragraphs_with(body, "ГОЛОСОВАЛИ:");
    assert_eq!(voted.len(), 8);
    assert!(voted.iter().all(|p| p.contains("<w:keepNext />")), "«ГОЛОСОВАЛИ» stays with its table");
    let against = paragraphs_with(body, "против");
    assert!(against.iter().all(|p| p.contains("<w:keepNext />")), "a question's table is not split");
    let voided = paragraphs_with(body, "недействительно");
    assert!(voided.iter().all(|p| !p.contains("<w:keepNext />")), "its last row ends the run");
    for role in ["Председатель собрания: ____", "Секретарь собрания: ____", "Член счётной комиссии: ____"]
    {
        let signature = paragraphs_with(body, role);
        assert!(signature.iter().all(|p| p.contains("<w:keepNext />")), "{role} with its date");
        assert!(signature.iter().all(|p| p.contains(r#"w:before="360""#)), "{role}: room to sign above the line");
    }
    let (_, parts) = docx_text(&Format::Docx.render(&notice(&report).unwrap()));
    let item = paragraphs_with(&parts["word/document.xml"], "1. Избрание председателя и секретаря");
    assert!(item[0].contains("<w:keepNext />"), "an item of the agenda stays with its proposal");
    let doc = forms(&report, &[]).unwrap();
    let (_, parts) = docx_text(&Format::Docx.render(&doc));
    let titles = paragraphs_with(&parts["word/document.xml"], "РЕШЕНИЕ СОБСТВЕННИКА");
    assert_eq!(titles.len(), doc.count_titles());
    assert!(titles.iter().skip(1).all(|p| p.contains("<w:pageBreakBefore />")), "each form starts a page");
}

#[test]
fn the_results_put_each_percentage_on_a_line_under_its_votes() {
    let counted = Counted::fixture("guide-example", true);
    let doc = results(&counted.report(Lang::Ru)).unwrap();
    let table = doc.parts[0].blocks.iter().find_map(|b| match b {
        obhod_papers::doc::Block::Table { rows, .. } => Some(rows),
        _ => None,
    });
    let rows = table.expect("the table of questions");
    assert_eq!(rows[0][2], "200,00\n(72,73 %)", "«%» is never left alone at the start of a line");
}

#[test]
fn blanks_to_fill_in_are_not_justified_and_an_organisations_form_is_signed_in_its_name() {
    let counted = Counted::fixture("sadovaya-5", true);
    let doc = forms(&counted.report(Lang::Ru), &["Н-4".to_owned()]).unwrap();
    let (text, parts) = docx_text(&Format::Docx.render(&doc));
    let body = &parts["word/document.xml"];
    let representative = "Представитель (Ф. И. О., документ о полномочиях): ____";
    for blank in ["ОГРН / ИНН: ____", representative, "Дата заполнения:"] {
        let found = paragraphs_with(body, blank);
        assert!(!found.is_empty() && found.iter().all(|p| p.contains(r#"<w:jc w:val="left" />"#)), "{blank}");
    }
    let signed = "От имени собственника: Муниципальное образование городской округ город Примерск\n\
                  Подпись представителя: ____________________ / ____________________ /";
    assert!(text.contains(signed), "{text}");
}

#[test]
fn the_docx_never_breaks_a_line_after_an_abbreviation_or_a_number_sign_or_before_a_percent_sign() {
    let counted = Counted::fixture("sadovaya-5", true);
    let (_, parts) = docx_text(&Format::Docx.render(&results(&counted.report(Lang::Ru)).unwrap()));
    let body = &parts["word/document.xml"];
    for bound in ["г.\u{a0}Примерск, ул.\u{a0}Садовая, д.\u{a0}5", "8812,10 (100\u{a0}%)", "Фролова\u{a0}Д.\u{a0}О."]
    {
        assert!(body.contains(bound), "{bound:?}");
    }
    let votes = paragraphs_with(body, "4579,95");
    assert!(votes[0].contains(r#"<w:spacing w:after="0" />"#), "the percentage close under its votes: {votes:?}");
    let (_, parts) = docx_text(&Format::Docx.render(&protocol(&counted.report(Lang::Ru)).unwrap()));
    assert!(parts["word/document.xml"].contains("(приложение №\u{a0}5)"));
}

#[test]
fn the_protocol_states_every_figure_of_the_count() {
    let counted = Counted::fixture("guide-example", true);
    let text = protocol(&counted.report(Lang::Ru)).unwrap().plain_text();
    // TOTAL 500; took part: the shop 200, Петров's room 50, Сергеев 25 (Иванов late, Соколовы defective).
    for figure in [
        "500,00 (100 %)",
        "275,00 голосами, что составляет 55,00 %",
        "Кворум: имеется",
        "Общая площадь жилых помещений: 300,00\u{a0}м²",
        "Общая площадь нежилых помещений: 200,00\u{a0}м²",
    ] {
        assert!(text.contains(figure), "the protocol lacks «{figure}»:\n{text}");
    }
    let english = protocol(&counted.report(Lang::En)).unwrap().plain_text();
    assert!(english.contains("Total area of residential premises: 300.00\u{a0}m²"), "{english}");
    // Question 1 (simple, base 275): за 200 (72,73 %), против 50 (18,18 %), воздержались 25 (9,09 %).
    for row in [
        "за\n200,00\n72,73 %",
        "против\n50,00\n18,18 %",
        "воздержались\n25,00\n9,09 %",
        "недействительно\n0,00\n0,00 %",
    ] {
        assert!(text.contains(row), "the protocol lacks «{row}»");
    }
}

#[test]
fn the_protocol_says_when_there_is_no_quorum_and_is_still_drawn_up() {
    let counted = Counted::fixture("guide-example", false);
    let text = protocol(&counted.report(Lang::Ru)).unwrap().plain_text();
    assert!(text.contains("Кворум: отсутствует"), "{text}");
    assert!(text.contains("РЕШИЛИ (ПОСТАНОВИЛИ): решение не принято"), "{text}");
    assert!(!text.contains("ПРИНЯТО\n") || text.contains("НЕ ПРИНЯТО (нет кворума)"));
}

#[test]
fn the_protocol_notes_each_rule_it_applied() {
    let counted = Counted::fixture("sadovaya-5", true);
    let report = counted.report(Lang::Ru);
    let text = protocol(&report).unwrap().plain_text();
    assert!(text.contains("Голоса муниципального образования, государства и юридического лица неделимы"), "{text}");
    assert!(text.contains("большинством голосов от принявших участие; в это число входят голоса воздержавшихся"));
    assert!(text.contains("Общая совместная собственность ("));
    let both = format!(
        "с ними — {} ({}), кворум есть; без них — {} ({})",
        report.votes(&counted.tally.participated),
        report.percent(&counted.tally.participated, &counted.tally.total),
        report.votes(&counted.tally.participated_named),
        report.percent(&counted.tally.participated_named, &counted.tally.total),
    );
    assert!(text.contains(&both), "both quorum figures: «{both}»");
}

#[test]
fn papers_without_the_meetings_officers_are_refused_naming_the_keys() {
    let meeting =
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/../fixtures/guide-example/meeting.toml"))
            .unwrap();
    let registry =
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/../fixtures/guide-example/registry.csv"))
            .unwrap();
    let bare: String = meeting
        .lines()
        .filter(|l| !l.starts_with("chair") && !l.starts_with("secretary") && !l.starts_with("initiator"))
        .map(|l| format!("{l}\n"))
        .collect();
    let counted = Counted::of(&bare, &registry, None);
    let report = counted.report(Lang::Ru);
    let keys = |error: PaperError| match error {
        PaperError::MissingInMeeting { keys, .. } => keys,
        other => panic!("not a missing key: {other:?}"),
    };
    assert_eq!(keys(protocol(&report).unwrap_err()), ["meeting.initiator", "meeting.chair", "meeting.secretary"]);
    assert_eq!(keys(notice(&report).unwrap_err()), ["meeting.initiator"]);
    assert_eq!(keys(results(&report).unwrap_err()), ["meeting.initiator"]);
    let message = protocol(&report).unwrap_err().message(Lang::Ru);
    assert!(
        message.contains("нельзя составить протокол: meeting.initiator, meeting.chair, meeting.secretary"),
        "{message}"
    );
    assert!(forms(&report, &[]).is_ok(), "the forms need no officers");
}

#[test]
fn one_form_per_voter_and_none_shows_a_phone_or_an_email() {
    let counted = Counted::fixture("guide-example", true);
    let report = counted.report(Lang::Ru);
    let doc = forms(&report, &[]).unwrap();
    let text = doc.plain_text();
    // Иванов, Сергеев, three rooms, the Соколовы as one joint form, the shop: 7 forms.
    assert_eq!(text.matches("РЕШЕНИЕ СОБСТВЕННИКА").count(), 7);
    let breaks =
        doc.parts.iter().flat_map(|p| &p.blocks).filter(|b| **b == obhod_papers::doc::Block::PageBreak).count();
    assert_eq!(breaks, 6, "a page break between forms");
    assert!(text.contains("Собственники (общая совместная собственность): Соколов Андрей Викторович, Соколова Елена Андреевна, Соколов Максим Андреевич, Соколова Мария Андреевна"));
    for member in ["Соколов Андрей Викторович", "Соколова Мария Андреевна"]
    {
        assert!(text.contains(&format!("СНИЛС ({member}): ")), "a СНИЛС blank for {member}");
    }
    assert!(text.contains("ОГРН / ИНН"), "the shop's form asks for its registration numbers");
    assert!(!text.contains('@') && !text.to_lowercase().contains("телефон"), "no contact on a form");
}

#[test]
fn forms_for_chosen_premises_and_an_unknown_premise_is_refused() {
    let counted = Counted::fixture("sadovaya-5", false);
    let report = counted.report(Lang::Ru);
    let text = forms(&report, &["12".into()]).unwrap().plain_text();
    assert!(text.matches("РЕШЕНИЕ СОБСТВЕННИКА").count() >= 1);
    assert!(text.lines().any(|l| l == "12"), "the premise is on its form");
    let error = forms(&report, &["12".into(), "999".into()]).unwrap_err();
    assert!(matches!(&error, PaperError::UnknownPremise(p) if p == "999"), "{error:?}");
    assert_eq!(error.message(Lang::Ru), "помещения «999» нет в реестре");
}

#[test]
fn a_legal_entity_or_the_municipality_fills_one_form_for_all_its_premises() {
    let counted = Counted::fixture("sadovaya-5", false);
    let report = counted.report(Lang::Ru);
    let voters = report.voters();
    let several = voters
        .iter()
        .find(|v| v.kind.votes_as_one() && v.holdings.len() > 1)
        .expect("Садовая has an owner of several premises");
    let premise = report.holdings[several.holdings[1]].premise.to_owned();
    let text = forms(&report, &[premise]).unwrap().plain_text();
    assert_eq!(text.matches("РЕШЕНИЕ СОБСТВЕННИКА").count(), 1, "{text}");
    for &index in &several.holdings {
        assert!(
            text.lines().any(|l| l == report.holdings[index].place(Lang::Ru)),
            "every premise of the owner on one form"
        );
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

/// The text of a run with its entities decoded and its no-break spaces as spaces.
fn decode(text: &str) -> String {
    text.replace('\u{a0}', " ")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&apos;", "'")
        .replace("&amp;", "&")
}

/// The guide's meeting with `edit` applied to its text.
fn guide_with(edit: impl Fn(&str) -> String) -> Counted {
    let root = concat!(env!("CARGO_MANIFEST_DIR"), "/../fixtures/guide-example/");
    let meeting = std::fs::read_to_string(format!("{root}meeting.toml")).unwrap();
    let registry = std::fs::read_to_string(format!("{root}registry.csv")).unwrap();
    Counted::of(&edit(&meeting), &registry, None)
}

#[test]
fn the_notice_names_where_the_materials_are_and_refuses_an_absentee_meeting_without_a_ballot_box() {
    let with =
        guide_with(|m| m.replace("storage = \"кв. 1\"", "storage = \"кв. 1\"\nmaterials = \"у подъезда 1, стенд\""));
    let text = notice(&with.report(Lang::Ru)).unwrap().plain_text();
    assert!(text.contains("можно ознакомиться: у подъезда 1, стенд"), "{text}");
    let without = guide_with(|m| m.replace("ballots_to = \"кв. 1 (почтовый ящик)\"\n", ""));
    let error = notice(&without.report(Lang::Ru)).unwrap_err();
    assert!(
        matches!(&error, PaperError::MissingInMeeting { keys, .. } if keys == &["meeting.ballots_to"]),
        "{error:?}"
    );
    let absentee = guide_with(|m| m.replace("in_person_and_absentee", "absentee").replace("time = \"19:00\"\n", ""));
    let text = notice(&absentee.report(Lang::Ru)).unwrap().plain_text();
    assert!(!text.contains("очного обсуждения") && text.contains("заочное голосование"), "{text}");
}
