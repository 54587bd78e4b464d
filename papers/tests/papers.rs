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
            let of = |kind: &str| -> String {
                parts.iter().filter(|(n, _)| n.starts_with(kind)).map(|(_, t)| t.as_str()).collect()
            };
            if name == "ballots" {
                let heads = of("word/header");
                assert!(heads.contains("PAGE") && heads.contains("SECTIONPAGES"), "{fixture}: «лист k из m» on a form");
            } else {
                assert!(of("word/footer").contains("PAGE"), "{fixture} {name}: a page number in the footer");
            }
            if name == "protocol" {
                assert!(body.contains(r#"w:w="16838" w:h="11906" w:orient="landscape""#), "the registry is landscape");
            }
        }
    }
}

#[test]
fn every_word_of_every_table_fits_its_column_on_the_printed_page() {
    let mut narrow = Vec::new();
    for (fixture, ballots) in [("guide-example", true), ("sadovaya-5", true), ("lesnaya-7", true)] {
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
    let body = &parts["word/document.xml"];
    let titles = paragraphs_with(body, "РЕШЕНИЕ СОБСТВЕННИКА");
    assert_eq!(titles.len(), doc.count_titles());
    assert_eq!(body.matches("<w:sectPr>").count(), titles.len(), "each form is a section of its own");
    assert_eq!(body.matches(r#"<w:pgNumType w:start="1" />"#).count(), titles.len(), "numbered from 1");
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
    assert_eq!(rows[0][0], "200,00\n(72,73 %)", "«%» is never left alone at the start of a line");
}

#[test]
fn blanks_to_fill_in_are_not_justified_and_an_organisations_form_is_signed_in_its_name() {
    let counted = Counted::fixture("sadovaya-5", true);
    let doc = forms(&counted.report(Lang::Ru), &["Н-4".to_owned()]).unwrap();
    let (text, parts) = docx_text(&Format::Docx.render(&doc));
    let body = &parts["word/document.xml"];
    for blank in ["ОГРН: ____", "Представитель: ____", "□ полномочий руководителя", "Дата заполнения:"]
    {
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
    assert!(parts["word/document.xml"].contains("Приложение №\u{a0}5 к протоколу"));
}

#[test]
fn the_protocol_states_every_figure_of_the_count() {
    let counted = Counted::fixture("guide-example", true);
    let text = protocol(&counted.report(Lang::Ru)).unwrap().plain_text();
    // TOTAL 500; took part: the shop 200, Петров's room 50, Сергеев 25 (Иванов late, Соколовы defective).
    // The areas as the registry lists them: the attic without an owner is a non-residential premise
    // of the building, stated and left out of the total.
    for figure in [
        "500,00 (100 %)",
        "275,00 голосами, что составляет 55,00 %",
        "Кворум: имеется",
        "Общая площадь жилых помещений в многоквартирном доме: 300,00\u{a0}м²",
        "Общая площадь нежилых помещений в многоквартирном доме: 300,00\u{a0}м²",
        "Помещение Чердак (100,00\u{a0}м²) не оформлено в собственность; в общее количество голосов не включено.",
    ] {
        assert!(text.contains(figure), "the protocol lacks «{figure}»:\n{text}");
    }
    let english = protocol(&counted.report(Lang::En)).unwrap().plain_text();
    assert!(english.contains("Total area of the residential premises: 300.00\u{a0}m²"), "{english}");
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
    assert!(text.contains("Голоса собственника нескольких помещений неделимы"), "{text}");
    assert!(text.contains("большинством голосов от принявших участие; в это число входят голоса воздержавшихся"));
    assert!(text.contains("Общая совместная собственность ("));
    assert!(text.contains(
        "Не оформлены в собственность: комната к3 в помещении 68; площадь такой комнаты распределена между \
         собственниками других комнат той же квартиры пропорционально площади их комнат (ст. 42 ЖК РФ)."
    ));
    assert!(text.contains("Доли собственников помещений 71, 96 по реестру в сумме меньше единицы;"));
    let named = report.votes(&counted.tally.participated_named);
    assert!(!text.contains(&named), "the count without the carried premises is for the terminal, not the paper");
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
    assert_eq!(doc.parts.len(), 7, "each form a paper of its own");
    assert!(doc.parts.iter().all(|p| p.sheets.is_some()), "each under its running head");
    assert!(text.contains("Собственники (общая совместная собственность): Соколов Андрей Викторович, Соколова Елена Андреевна, Соколов Максим Андреевич, Соколова Мария Андреевна"));
    for member in ["Соколов Андрей Викторович", "Соколова Мария Андреевна"]
    {
        assert!(text.contains(&format!("Подпись собственника: ____________________ / {member} /")), "{member} signs");
    }
    assert!(!text.contains("СНИЛС"), "no personal number the law does not ask for");
    assert_eq!(text.matches("Представитель: ").count(), 7, "a representative's line on every form");
    assert!(text.contains("ОГРН: ____"), "the shop's form has a blank for its ОГРН");
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

/// Лесная, 7 with its decisions: premises without an owner, the municipality, a company with its
/// ОГРН, an owner of three premises, a defective and a late decision.
fn lesnaya() -> Counted {
    Counted::fixture("lesnaya-7", true)
}

/// Лесная's meeting with `edit` applied to its text, with its decisions or none.
fn lesnaya_with(edit: impl Fn(&str) -> String, decisions: bool) -> Counted {
    let root = concat!(env!("CARGO_MANIFEST_DIR"), "/../fixtures/lesnaya-7/");
    let read = |file: &str| std::fs::read_to_string(format!("{root}{file}")).unwrap();
    let ballots = decisions.then(|| read("ballots.csv"));
    Counted::of(&edit(&read("meeting.toml")), &read("registry.csv"), ballots.as_deref())
}

#[test]
fn no_paper_holds_advice_doubt_or_the_tools_words() {
    // Лесная's quorum stands only with its carried premises under the strict reading; the guide's
    // company owning the attic too makes the quorum rest on a carried premise.
    let carried = guide_with(|m| m.to_owned());
    let carried = {
        let root = concat!(env!("CARGO_MANIFEST_DIR"), "/../fixtures/guide-example/");
        let read = |file: &str| std::fs::read_to_string(format!("{root}{file}")).unwrap();
        let registry = read("registry.csv").replace(
            "Чердак,nonresidential,100,,,,,,,,,,",
            "Чердак,nonresidential,100,,,,,ООО «Магазин у дома»,legal,,,,",
        );
        drop(carried);
        Counted::of(&read("meeting.toml"), &registry, Some(&read("ballots.csv")))
    };
    assert!(carried.tally.quorum_depends_on_carried(), "the case where a paper once doubted its own quorum");
    let forbidden = [
        "юрист",
        "суд может",
        "надёжнее",
        "obhod",
        "строгое прочтение",
        "строгом прочтении",
        "без них",
        "с ними",
        "внимание",
        "lawyer",
        "legal review",
        "court may",
        "safer",
        "strict reading",
        "without them",
        "attention",
    ];
    for (name, counted) in
        [("lesnaya", lesnaya()), ("sadovaya", Counted::fixture("sadovaya-5", true)), ("carried", carried)]
    {
        for lang in [Lang::Ru, Lang::En] {
            for (paper, doc) in all(&counted.report(lang)) {
                let text = doc.plain_text().to_lowercase();
                for word in forbidden {
                    assert!(!text.contains(word), "{name} {paper} {lang:?} says «{word}»");
                }
            }
        }
    }
}

#[test]
fn the_protocol_states_the_registrys_areas_and_the_premises_left_out_of_the_total() {
    let counted = lesnaya();
    let text = protocol(&counted.report(Lang::Ru)).unwrap().plain_text();
    // Flats 1–8 (6 without an owner): 422,40 m²; Н-1, Н-2 (without an owner), ММ-1, ММ-2, К-1: 233,70 m².
    for fact in [
        "Общая площадь жилых помещений в многоквартирном доме: 422,40\u{a0}м²",
        "Общая площадь нежилых помещений в многоквартирном доме: 233,70\u{a0}м²",
        "Помещения 6, Н-2 (113,10\u{a0}м²) не оформлены в собственность; в общее количество голосов не включены.",
        "Общее количество голосов собственников помещений: 543,00 (100 %)",
        "Помещения без зарегистрированного собственника (в общее количество голосов не включены): 6 (33,10\u{a0}м²), \
         Н-2 (80,00\u{a0}м²)",
    ] {
        assert!(text.contains(fact), "the protocol lacks «{fact}»:\n{text}");
    }
}

#[test]
fn the_protocol_lists_the_decisions_it_did_not_count_with_their_reasons() {
    let counted = lesnaya();
    let doc = protocol(&counted.report(Lang::Ru)).unwrap();
    let text = doc.plain_text();
    assert!(
        text.contains("Не учтены при подсчёте голосов решения собственников (подлинники — в приложении №\u{a0}8):")
    );
    let rows = doc.parts[0].blocks.iter().find_map(|b| match b {
        obhod_papers::doc::Block::Table { columns, rows, .. } if columns[3].header == "Причина" => {
            Some(rows.clone())
        }
        _ => None,
    });
    assert_eq!(
        rows.expect("the table of excluded decisions"),
        [
            ["1", "5", "Зайцев Павел Андреевич", "решение недействительно: нет подписи"],
            ["2", "8", "Лебедева Анна Сергеевна", "поступило 22.12.2026, после окончания приёма решений 20.12.2026"],
        ]
    );
    let all_counted = protocol(&Counted::fixture("sadovaya-5", false).report(Lang::Ru)).unwrap().plain_text();
    assert!(!all_counted.contains("Не учтены"), "nothing excluded, nothing listed");
}

#[test]
fn decided_gives_the_proposal_word_for_word() {
    for counted in [lesnaya(), Counted::fixture("sadovaya-5", true), Counted::fixture("guide-example", true)] {
        let text = protocol(&counted.report(Lang::Ru)).unwrap().plain_text();
        for (question, result) in counted.meeting.questions.iter().zip(&counted.tally.questions) {
            let decided = match result.adopted {
                Some(true) => format!("РЕШИЛИ (ПОСТАНОВИЛИ): {}\n", question.proposal),
                _ => "РЕШИЛИ (ПОСТАНОВИЛИ): решение не принято\n".to_owned(),
            };
            assert!(text.contains(&decided), "question {}: «{decided}»", question.number);
        }
    }
}

/// Every «приложение № N» of a protocol, in any case of the word, with N.
fn cited(text: &str) -> Vec<usize> {
    let mut out = Vec::new();
    for word in ["приложение №\u{a0}", "приложении №\u{a0}", "Приложение №\u{a0}"] {
        for (at, _) in text.match_indices(word) {
            let digits: String = text[at + word.len()..].chars().take_while(char::is_ascii_digit).collect();
            out.push(digits.parse().expect("a number after «№»"));
        }
    }
    out
}

#[test]
fn every_attachment_the_protocol_cites_is_on_its_numbered_list_and_each_drawn_one_is_headed_so() {
    let absentee = |m: &str| m.replace("in_person_and_absentee", "absentee").replace("time = \"19:00\"\n", "");
    let in_person = |m: &str| m.replace("in_person_and_absentee", "in_person");
    for (form, counted) in
        [("both", lesnaya()), ("absentee", lesnaya_with(absentee, true)), ("in person", lesnaya_with(in_person, true))]
    {
        let text = protocol(&counted.report(Lang::Ru)).unwrap().plain_text();
        let list: Vec<(usize, &str)> = text
            .lines()
            .filter(|l| l.ends_with(" — на ___ л."))
            .map(|l| {
                let (number, title) = l.split_once(". ").expect("«N. title»");
                (number.parse().expect("a number"), title.trim_end_matches(" — на ___ л."))
            })
            .collect();
        let numbers: Vec<usize> = list.iter().map(|(n, _)| *n).collect();
        assert_eq!(numbers, (1..=list.len()).collect::<Vec<_>>(), "{form}: one list numbered 1..n");
        for number in cited(&text) {
            assert!(number <= list.len(), "{form}: «приложение № {number}» is not on the list");
        }
        for (number, title) in &list {
            let head = format!("Приложение №\u{a0}{number} к протоколу общего собрания № 1 от 25.12.2026\n{title}\n");
            let drawn = ["Реестр", "Список собственников", "Список присутствовавших"];
            if drawn.iter().any(|d| title.starts_with(d)) {
                assert!(text.contains(&head), "{form}: attachment {number} is not headed «{head}»");
            }
        }
        let present = list.iter().any(|(_, t)| t.starts_with("Список присутствовавших"));
        assert_eq!(present, form != "absentee", "{form}: the list of those present is for a meeting in person");
        let decisions = list.iter().any(|(_, t)| t.starts_with("Решения собственников"));
        assert_eq!(decisions, form != "in person", "{form}: the owners' written decisions");
    }
}

#[test]
fn the_participants_are_named_and_premises_carried_by_their_owners_other_decision_are_marked() {
    let counted = lesnaya();
    let text = protocol(&counted.report(Lang::Ru)).unwrap().plain_text();
    let list =
        &text[text.find("Список собственников помещений, принявших участие в голосовании\n№").expect("the list")..];
    for row in [
        "Муниципальное образование город Примерск\n7*\n64,00\n11,79",
        "ООО «Лесная аптека», ОГРН 1027700132195 (представитель: Соколов Дмитрий Игоревич, руководитель)\nН-1\n120,00",
        "Орлова Елена Викторовна\nММ-1*\n15,00",
        "Орлова Елена Викторовна\nК-1*\n4,20",
        "Орлова Елена Викторовна\n1\n52,40",
        "Смирнов Игорь Валентинович, Смирнова Ольга Ивановна (Смирнова Ольга Ивановна — представитель: Морозов \
         Алексей Викторович, по доверенности)\n3\n45,30",
    ] {
        assert!(list.contains(row), "the list lacks «{row}»:\n{list}");
    }
    assert!(!list.contains("Зайцев") && !list.contains("Лебедева"), "excluded decisions took no part");
    assert!(list.contains(
        "* Помещение учтено по решению его собственника, поданному по другому его помещению (голоса собственника \
         неделимы): помещение 7 — по решению «Муниципальное образование город Примерск» по помещению 4; помещения \
         ММ-1, К-1 — по решению «Орлова Елена Викторовна» по помещению 1."
    ));
}

#[test]
fn the_results_give_every_answer_with_invalid_and_the_protocols_number_and_date() {
    let counted = lesnaya();
    let doc = results(&counted.report(Lang::Ru)).unwrap();
    let text = doc.plain_text();
    assert!(text.contains("Итоги голосования оформлены протоколом общего собрания № 1 от 25.12.2026."), "{text}");
    let tables: Vec<&Vec<Vec<String>>> = doc.parts[0]
        .blocks
        .iter()
        .filter_map(|b| match b {
            obhod_papers::doc::Block::Table { columns, rows, .. } => {
                assert_eq!(columns[3].header, "Недействи\u{ad}тельно");
                Some(rows)
            }
            _ => None,
        })
        .collect();
    assert_eq!(tables.len(), 3, "a table per question");
    // Question 1 is decided by those who took part: its four answers make up all of them.
    let percents: Vec<f64> = tables[0][0][..4]
        .iter()
        .map(|cell| cell.split('(').nth(1).unwrap().trim_end_matches(" %)").replace(',', ".").parse().unwrap())
        .collect();
    assert!((percents.iter().sum::<f64>() - 100.0).abs() < 0.02, "{percents:?}");
    let blank = guide_with(|m| m.to_owned());
    let text = results(&blank.report(Lang::Ru)).unwrap().plain_text();
    assert!(text.contains("протоколом общего собрания № ______ от «___» ____________ 20__\u{a0}г."), "{text}");
}

#[test]
fn a_question_whose_majority_the_law_leaves_open_is_refused_until_meeting_toml_states_it() {
    let manual = |threshold: &str| {
        let threshold = threshold.to_owned();
        lesnaya_with(
            move |m| {
                format!(
                    "{m}\n[[question]]\ntext = \"Перевод помещения Н-1 в жилое\"\nproposal = \"Согласовать перевод\"\n\
                 item = \"4.5\"\n{threshold}"
                )
            },
            false,
        )
    };
    let open = manual("");
    let report = open.report(Lang::Ru);
    let refused: Vec<PaperError> = vec![
        notice(&report).unwrap_err(),
        forms(&report, &[]).unwrap_err(),
        protocol(&report).unwrap_err(),
        results(&report).unwrap_err(),
    ];
    for error in refused {
        assert!(matches!(&error, PaperError::ManualThreshold { questions } if questions[0].0 == 4), "{error:?}");
        assert!(error.is_bad_input());
        let message = error.message(Lang::Ru);
        assert!(message.contains("вопрос 4 (п. 4.5 ч. 2 ст. 44, ч. 1 ст. 46 ЖК РФ)"), "{message}");
        assert!(message.contains("threshold = \"all_two_thirds\""), "{message}");
    }
    let stated = manual("threshold = \"all_two_thirds\"\n");
    let text = notice(&stated.report(Lang::Ru)).unwrap().plain_text();
    assert!(text.contains(
        "Решение принимается: не менее двух третей голосов от общего числа голосов собственников помещений в \
         многоквартирном доме (п. 4.5 ч. 2 ст. 44, ч. 1 ст. 46 ЖК РФ)"
    ));
}

#[test]
fn the_notice_the_protocol_and_the_results_state_each_majority_in_the_laws_words() {
    let counted = lesnaya();
    let report = counted.report(Lang::Ru);
    let majorities = [
        "большинством голосов от общего числа голосов собственников помещений, принимающих участие в собрании (ч. 1 \
         ст. 46 ЖК РФ)",
        "более 50 % голосов от общего числа голосов собственников помещений в многоквартирном доме (п. 4 ч. 2 ст. 44, \
         ч. 1 ст. 46 ЖК РФ)",
        "не менее двух третей голосов от общего числа голосов собственников помещений в многоквартирном доме (п. 1 ч. \
         2 ст. 44, ч. 1 ст. 46 ЖК РФ)",
    ];
    let papers = [notice(&report), protocol(&report), results(&report)];
    for text in papers.map(|paper| paper.unwrap().plain_text()) {
        for majority in majorities {
            assert!(text.contains(&format!("Решение принимается: {majority}")), "«{majority}» in\n{text}");
        }
    }
}

#[test]
fn a_form_names_the_voter_its_records_and_who_may_sign_instead() {
    let counted = lesnaya();
    let doc = forms(&counted.report(Lang::Ru), &[]).unwrap();
    assert_eq!(doc.parts.len(), 9, "a form a voter: Зайцев's flat and parking space apart, no owner_id");
    let form = |premise: &str| -> String {
        let part = doc.parts.iter().find(|p| p.sheets.as_ref().unwrap().text.contains(premise)).expect(premise);
        obhod_papers::Doc { parts: vec![part.clone()] }.plain_text()
    };
    let orlova = form("пом. 1, ММ-1, К-1");
    for line in ["1\n52,40", "ММ-1\n15,00", "К-1\n4,20", "55:36:070402:131-55/036/2019-5 от ____________"] {
        assert!(orlova.contains(line), "Орлова's form lacks «{line}»");
    }
    assert!(orlova.contains("Количество голосов: 71,60"));
    let zaitsev = form("пом. 5");
    assert!(zaitsev.contains("№ ______________ от ____________"), "a blank where the registry has no record");
    let pharmacy = form("пом. Н-1");
    assert!(pharmacy.contains("ОГРН: 1027700132195"));
    assert!(pharmacy.contains("□ полномочий руководителя (без доверенности)") && !pharmacy.contains("□ закона"));
    let municipality = form("пом. 4, 7");
    assert!(municipality.contains("ОГРН: ______"), "a blank for the municipality's ОГРН");
    for part in &doc.parts {
        let text = obhod_papers::Doc { parts: vec![part.clone()] }.plain_text();
        assert!(text.contains("Представитель: ____") && text.contains("□ доверенности от «__»"), "{text}");
        assert!(!text.contains("СНИЛС"));
    }
    let smirnovy = form("пом. 3");
    assert!(smirnovy.contains("□ закона (родитель, усыновитель, опекун несовершеннолетнего до 14 лет)"));
    let head = &doc.parts[0].sheets.as_ref().unwrap();
    assert_eq!(
        (head.text.as_str(), head.sheet, head.of),
        ("Решение собственника: Орлова Е.\u{a0}В., пом. 1, ММ-1, К-1", "лист", "из")
    );
}

#[test]
fn each_form_is_a_section_numbered_from_one_with_its_voter_and_premises_on_every_page() {
    let counted = lesnaya();
    let (_, parts) = docx_text(&Format::Docx.render(&forms(&counted.report(Lang::Ru), &[]).unwrap()));
    let body = &parts["word/document.xml"];
    assert_eq!(body.matches("<w:headerReference w:type=\"default\"").count(), 9);
    assert_eq!(body.matches("<w:footerReference").count(), 0, "the page number is in the head");
    let heads: Vec<&String> = parts.iter().filter(|(n, _)| n.starts_with("word/header")).map(|(_, t)| t).collect();
    assert_eq!(heads.len(), 9);
    let municipality =
        heads.iter().find(|h| h.replace('\u{a0}', " ").contains("Муниципальное образование город Примерск, пом. 4, 7"));
    let municipality = municipality.expect("the municipality's head");
    for field in [r#"w:instr=" PAGE ""#, r#"w:instr=" SECTIONPAGES ""#] {
        assert!(municipality.contains(field), "{field}");
    }
}
