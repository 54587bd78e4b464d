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

/// `registry import` in `workdir`: (exit code, stdout, stderr).
fn import(workdir: &Workdir, args: &[&str]) -> (i32, String, String) {
    let mut all = vec!["registry", "import"];
    all.extend_from_slice(args);
    workdir.run(&all)
}

/// The rows of a registry obhod wrote, without its header.
fn rows(path: &std::path::Path) -> Vec<String> {
    let text = std::fs::read_to_string(path).unwrap();
    text.trim_start_matches('\u{feff}').lines().skip(1).map(str::to_owned).collect()
}

#[test]
fn a_grouped_register_is_filled_down_and_its_tenants_left_out() {
    let workdir = Workdir { dir: tempfile::tempdir().unwrap() };
    let out = workdir.at("registry.csv");
    let (code, stdout, stderr) = import(&workdir, &[&fixture("registries", "grouped.csv"), "--out", &out]);
    assert_eq!(code, 0, "{stderr}");
    assert_eq!(
        rows(&workdir.file("registry.csv")),
        [
            "1;квартира;52,4;;1;;;Орлова Елена Викторовна;;;;55:36:070402:101-55/036/2019-3 от 12.04.2019;;;",
            "2;квартира;61,0;;1;;;Кузнецов Андрей Петрович;;1/2;;55:36:070402:102-55/036/2015-1 от 10.02.2015;;;",
            "2;квартира;61,0;;1;;;Кузнецова Марина Олеговна;;1/2;;55:36:070402:102-55/036/2015-2 от 10.02.2015;;;",
            "3;квартира;45,3;;2;;;Смирнов Игорь Валентинович;;;;55:36:070402:103-55/036/2012-4 от 15.08.2012;;;",
            "Н-1;нежилое;120,5;;1;;;ООО «Уют»;юрлицо;;;55:36:070402:150-55/036/2018-2 от 05.03.2018;;;",
        ]
    );
    assert!(stdout.contains("«N кв., помещения» → premise") && stdout.contains("«Доля в праве» → share"), "{stdout}");
    assert!(stdout.contains("не взяты: «Телефон»"), "the phone column is said to be left out: {stdout}");
    assert!(stdout.contains("Номер помещения взят из строки выше: 1 строка."), "{stdout}");
    assert!(stdout.contains("Вид собственника определён по имени (ООО, АО… — юрлицо;"), "{stdout}");
    assert!(stdout.contains("наниматели, зарегистрированные) не включены: 2 строки."), "{stdout}");
    let weights = weights(&workdir, &["--registry", &out]);
    assert_eq!(weights["total"], "1396/5", "what weights reads from it unchanged: {weights}");
}

/// A managing company's workbook: a merged title, its header over two rows, headers obhod does not
/// know («Ф.И.О.», «Кто»), the share written «1/2 доли», no entrances.
fn company_workbook(path: &std::path::Path, area_of_2: &str) {
    let mut book = rust_xlsxwriter::Workbook::new();
    let bold = rust_xlsxwriter::Format::new().set_bold();
    let sheet = book.add_worksheet();
    sheet.set_name("Лист1").unwrap();
    sheet.merge_range(0, 0, 0, 4, "Реестр собственников помещений, ул. Садовая, д. 5", &bold).unwrap();
    sheet.merge_range(1, 0, 2, 0, "№ кв.", &bold).unwrap();
    sheet.merge_range(1, 1, 2, 1, "Общая площадь, кв. м", &bold).unwrap();
    sheet.merge_range(1, 2, 1, 4, "Собственник", &bold).unwrap();
    sheet.write_string(2, 2, "Ф.И.О.").unwrap();
    sheet.write_string(2, 3, "Доля в праве").unwrap();
    sheet.write_string(2, 4, "Кто").unwrap();
    let rows = [
        ("1", "40", "Орлова Е. В.", "", "собственник"),
        ("2", area_of_2, "Кузнецов А. П.", "1/2 доли", "собственник"),
        ("", "", "Кузнецова М. О.", "1/2 доли", "собственник"),
        ("", "", "Петров И. И.", "", "арендатор"),
        ("41", "50", "Смирнов И. В.", "", "собственник"),
    ];
    for (r, (premise, area, owner, share, who)) in rows.into_iter().enumerate() {
        for (c, cell) in [premise, area, owner, share, who].into_iter().enumerate() {
            sheet.write_string(3 + r as u32, c as u16, cell).unwrap();
        }
    }
    book.save(path).unwrap();
}

#[test]
fn a_workbook_with_merged_headers_is_mapped_with_map_and_given_entrances() {
    let workdir = Workdir { dir: tempfile::tempdir().unwrap() };
    company_workbook(&workdir.file("ук.xlsx"), "60");
    let out = workdir.at("registry.csv");
    let source = workdir.at("ук.xlsx");
    let args =
        [&source, "--out", &out, "--map", "owner=Ф.И.О.", "--map", "is_owner=Кто", "--entrances", "1:1-40,2:41-80"];
    let (code, stdout, stderr) = import(&workdir, &args);
    assert_eq!(code, 0, "{stderr}");
    assert_eq!(
        rows(&workdir.file("registry.csv")),
        [
            "1;квартира;40;1;;;;Орлова Е. В.;;;;;;;",
            "2;квартира;60;1;;;;Кузнецов А. П.;;1/2;;;;;",
            "2;квартира;60;1;;;;Кузнецова М. О.;;1/2;;;;;",
            "41;квартира;50;2;;;;Смирнов И. В.;;;;;;;",
        ]
    );
    assert!(stdout.contains("«Ф.И.О.» → owner") && stdout.contains("«Кто» → is_owner"), "{stdout}");
    assert!(stdout.contains("Подъезд назначен по --entrances: 4 помещ."), "{stdout}");
    assert!(stderr.contains("таблица на листе «Лист1», заголовок в строке 3"), "{stderr}");
}

#[test]
fn a_bad_row_refuses_the_import_naming_the_sources_sheet_and_row_and_nothing_is_written() {
    let workdir = Workdir { dir: tempfile::tempdir().unwrap() };
    company_workbook(&workdir.file("ук.xlsx"), "шестьдесят");
    let (out, source) = (workdir.at("registry.csv"), workdir.at("ук.xlsx"));
    let (code, stdout, stderr) = import(&workdir, &[&source, "--out", &out, "--map", "owner=Ф.И.О."]);
    assert_eq!((code, stdout.as_str()), (2, ""), "{stderr}");
    assert!(stderr.contains("ук.xlsx, лист «Лист1», строка 5: «шестьдесят» в столбце «area» не число"), "{stderr}");
    assert!(!workdir.file("registry.csv").exists(), "nothing written");
    let (code, stdout, _) = import(&workdir, &["--json", &source, "--out", &out, "--map", "owner=Ф.И.О."]);
    let error: Value = serde_json::from_str(&stdout).unwrap();
    assert_eq!((code, &error["error"]["sheet"], &error["error"]["line"]), (2, &Value::from("Лист1"), &Value::from(5)));
    let (code, _, stderr) = import(&workdir, &[&source, "--out", &out, "--map", "owner=ФИО владельца"]);
    assert_eq!(code, 2);
    assert!(stderr.contains("нет столбца «ФИО владельца», названного в --map"), "{stderr}");
    std::fs::write(workdir.file("жильцы.csv"), "Жилец;Телефон;Площадь\nИванов;+7 900 000-00-00;40\n").unwrap();
    let (code, _, stderr) = import(&workdir, &[&workdir.at("жильцы.csv"), "--out", &out]);
    assert_eq!(code, 2);
    assert!(stderr.contains("не найден столбец «premise»") && stderr.contains("--map premise="), "{stderr}");
    let (code, _, stderr) = import(&workdir, &[&source, "--out", &out, "--map", "хозяин=Ф.И.О."]);
    assert_eq!(code, 2);
    assert!(stderr.contains("нужно ПОЛЕ=ЗАГОЛОВОК"), "{stderr}");
    assert!(!workdir.file("registry.csv").exists(), "nothing written");
}

/// What the extracts say of their holders and obhod must never write: СНИЛС, passport series and
/// numbers, birth dates and places, mailing addresses, e-mails, the company's ИНН (the older
/// format writes a person's all in one `Content` after the name).
const PERSONAL: [&str; 22] = [
    "178-901-234 56",
    "999000",
    "1985-07-07",
    "156-789-012 34",
    "555666",
    "777888",
    "14.02.1980",
    "Тара",
    "112-233-445 95",
    "123-456-789 64",
    "134-567-890 12",
    "145-678-901 23",
    "654321",
    "765432",
    "111222",
    "1971-04-22",
    "22.04.1971",
    "гор. Омск",
    "Маяковского",
    "Фрунзе",
    "@example.ru",
    "5504000000",
];

#[test]
fn egrn_extracts_give_each_right_and_no_personal_data_reaches_any_byte_obhod_writes() {
    let workdir = Workdir { dir: tempfile::tempdir().unwrap() };
    let out = workdir.at("registry.csv");
    let (code, stdout, stderr) = import(&workdir, &[&fixture("registries", "egrn"), "--out", &out]);
    assert_eq!(code, 0, "{stderr}");
    assert_eq!(
        rows(&workdir.file("registry.csv")),
        [
            "1Н;нежилое;120.5;;1;;;\"ООО \"\"Уют\"\"\";юрлицо;;;55:36:070402:150-55/036/2018-2 от 05.03.2018;;;1027700132195",
            "2;квартира;61.0;;1;;;Кузнецов Андрей Петрович;физлицо;1/2;;55:36:070402:102-55/036/2015-1 от 10.02.2015;;;",
            "2;квартира;61.0;;1;;;Кузнецова Марина Олеговна;физлицо;1/2;;55:36:070402:102-55/036/2015-2 от 10.02.2015;;;",
            "3;квартира;45.3;;2;;;Смирнов Игорь Валентинович;физлицо;;с1;55:36:070402:103-55/036/2012-4 от 15.08.2012;;;",
            "3;квартира;45.3;;2;;;Смирнова Ольга Ивановна;физлицо;;с1;55:36:070402:103-55/036/2012-4 от 15.08.2012;;;",
            "4;квартира;38.2;;2;;;Муниципальное образование городской округ город Омск Омской области;муниципальная;;;55:36:070402:104-55/036/2009-1 от 20.11.2009;;;",
            "5;квартира;70.2;;2;;;Зайцев Павел Андреевич;физлицо;1/3;;55:36:070402:105-55/036/2016-3 от 20.05.2016;;;",
            "5;квартира;70.2;;2;;;Зайцева Анна Павловна;физлицо;2/3;;55:36:070402:105-55/036/2016-5 от 20.05.2016;;;",
            "ММ-14;машино-место;14.5;;-1;;;Лебедева Анна Сергеевна;физлицо;;;55:36:070402:170-55/036/2019-1 от 01.02.2019;;;",
        ]
    );
    assert!(
        stdout.contains("Прочитано выписок ЕГРН: 7.") && stdout.contains("Общее имущество дома не включено: 2Н."),
        "{stdout}"
    );
    // The same extracts in a ZIP, and the campaign made from what was written.
    let zip_path = workdir.file("выписки.zip");
    let mut zip = zip::ZipWriter::new(std::fs::File::create(&zip_path).unwrap());
    for entry in std::fs::read_dir(fixture("registries", "egrn")).unwrap() {
        let path = entry.unwrap().path();
        zip.start_file(path.file_name().unwrap().to_str().unwrap(), zip::write::SimpleFileOptions::default()).unwrap();
        std::io::Write::write_all(&mut zip, &std::fs::read(&path).unwrap()).unwrap();
        zip.start_file(
            format!("{}.sig", path.file_name().unwrap().to_str().unwrap()),
            zip::write::SimpleFileOptions::default(),
        )
        .unwrap();
        std::io::Write::write_all(&mut zip, b"\x30\x82 a signature").unwrap();
    }
    zip.finish().unwrap();
    let from_zip = workdir.at("from-zip.csv");
    let (code, zip_stdout, stderr) = import(&workdir, &[&workdir.at("выписки.zip"), "--out", &from_zip]);
    assert_eq!(code, 0, "{stderr}");
    assert_eq!(rows(&workdir.file("from-zip.csv")), rows(&workdir.file("registry.csv")));
    let json =
        workdir.ok(&["--json", "registry", "import", &fixture("registries", "egrn"), "--out", &workdir.at("j.csv")]);
    let mut everything = vec![stdout, stderr, zip_stdout, json];
    for file in walk(workdir.dir.path()) {
        everything.push(String::from_utf8_lossy(&std::fs::read(&file).unwrap()).into_owned());
    }
    for text in &everything {
        for personal in PERSONAL {
            assert!(!text.contains(personal), "«{personal}» was written: {text}");
        }
    }
    assert!(everything.len() > 6, "the registries and the log were searched");
}

/// Every file under `dir` (the written registries, the log).
fn walk(dir: &std::path::Path) -> Vec<std::path::PathBuf> {
    let mut files = Vec::new();
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            files.extend(walk(&path));
        } else if path.extension().is_none_or(|e| e != "zip") {
            files.push(path);
        }
    }
    files
}

#[test]
fn registry_check_names_each_finding_at_its_line_and_exits_2_only_with_errors() {
    let workdir = Workdir { dir: tempfile::tempdir().unwrap() };
    let header = "premise;kind;area;owner;owner_kind;share;document;address;ogrn";
    let rows = [
        "1;квартира;50;Иванов Иван Иванович;;1/2;55:1-1 от 01.02.2020;;",
        "2;квартира;40;Иванов Иван Иванович;;;55:2-1 от 01.02.2020;;",
        "Н-1;нежилое;100;ООО Ромашка;юрлицо;;55:3-1 от 01.02.2020;г. Омск, ул. Ленина, д. 1;",
        "Н1;нежилое;20;Петров Пётр Петрович;;;;;",
        "3;квартира;4000;Сидоров Сидор Сидорович;;;55:4-1 от 01.02.2020;;",
        "4;квартира;30;;;;;;",
        "Н-2;нежилое;50;Администрация города Омска;муниципальная;;55:5-1 от 01.02.2020;;",
    ];
    std::fs::write(workdir.file("r.csv"), format!("{header}\n{}\n", rows.join("\n"))).unwrap();
    let (code, stdout, stderr) = workdir.run(&["--json", "registry", "check", "--registry", &workdir.at("r.csv")]);
    assert_eq!(code, 2, "shares that do not add up are an error: {stdout}{stderr}");
    let report: Value = serde_json::from_str(&stdout).unwrap();
    let found: Vec<(String, u64)> = report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| (f["code"].as_str().unwrap().to_owned(), f["line"].as_u64().unwrap()))
        .collect();
    let expected = [
        ("shares_incomplete", 2),
        ("same_name_without_owner_id", 2),
        ("same_name_without_owner_id", 3),
        ("organisation_without_address", 8),
        ("organisation_without_ogrn", 4),
        ("address_without_postcode", 4),
        ("missing_document", 5),
        ("look_alike_labels", 5),
        ("unusual_area", 6),
        ("unowned_premise", 7),
    ];
    let mut found_sorted = found.clone();
    found_sorted.sort();
    let mut expected: Vec<(String, u64)> = expected.iter().map(|(c, l)| (c.to_string(), *l)).collect();
    expected.sort();
    assert_eq!(found_sorted, expected, "{stdout}");
    assert_eq!(report["errors"], 1);
    assert_eq!(report["area"]["residential"], "4120");
    assert_eq!(report["area"]["nonresidential"], "170");
    let first = &report["findings"][0];
    assert_eq!(first["premise"], "1");
    assert!(first["message"].as_str().unwrap().contains("сумма долей 1/2, меньше 1"), "{first}");
    let (code, text, _) = workdir.run(&["registry", "check", "--registry", &workdir.at("r.csv")]);
    assert_eq!(code, 2);
    assert!(text.contains("r.csv:5: предупреждение: помещение «Н1» похоже на «Н-1» в строке 4"), "{text}");
    assert!(text.contains("Площадь жилых помещений 4120,00 м², нежилых 170,00 м²"), "{text}");
    let fixed = rows[0].replace("1/2", "");
    std::fs::write(workdir.file("r.csv"), format!("{header}\n{fixed}\n{}\n", rows[1..].join("\n"))).unwrap();
    let (code, text, _) = workdir.run(&["registry", "check", "--registry", &workdir.at("r.csv")]);
    assert_eq!(code, 0, "warnings only: {text}");
    assert!(text.contains("Ошибок: 0, предупреждений: 9."), "{text}");
}

#[test]
fn registry_diff_lists_each_difference_with_the_votes_it_moves() {
    let workdir = Workdir { dir: tempfile::tempdir().unwrap() };
    let header = "premise;kind;area;owner;share";
    let a = [
        "1;квартира;52,4;Орлова Елена Викторовна;",
        "2;квартира;61;Кузнецов Андрей Петрович;1/2",
        "2;квартира;61;Кузнецова Марина Олеговна;1/2",
        "3;квартира;45,3;Ёлкин Пётр Семёнович;",
        "5;квартира;70;Зайцев Павел Андреевич;",
    ];
    let b = [
        "1;квартира;52,5;Орлова Е. В.;",
        "2;квартира;61;Кузнецов Андрей Петрович;2/3",
        "2;квартира;61;Кузнецова Марина Олеговна;1/3",
        "3;квартира;45,3;Елкин Петр Семенович;",
        "3а;квартира;20;Новиков Олег;",
    ];
    std::fs::write(workdir.file("a.csv"), format!("{header}\n{}\n", a.join("\n"))).unwrap();
    std::fs::write(workdir.file("b.csv"), format!("{header}\n{}\n", b.join("\n"))).unwrap();
    let out = workdir.ok(&["--json", "registry", "diff", &workdir.at("a.csv"), &workdir.at("b.csv")]);
    let report: Value = serde_json::from_str(&out).unwrap();
    let found: Vec<(&str, &str, Option<&str>, &str)> = report["differences"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| {
            (
                d["code"].as_str().unwrap(),
                d["premise"].as_str().unwrap(),
                d["owner"].as_str(),
                d["moved"].as_str().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        found,
        [
            ("area_differs", "1", None, "1/10"),
            ("owner_spelt_differently", "1", Some("Орлова Елена Викторовна"), "0"),
            ("share_differs", "2", Some("Кузнецов Андрей Петрович"), "61/6"),
            ("share_differs", "2", Some("Кузнецова Марина Олеговна"), "-61/6"),
            ("owner_spelt_differently", "3", Some("Ёлкин Пётр Семёнович"), "0"),
            ("premise_only_in_a", "5", None, "-70"),
            ("premise_only_in_b", "3а", None, "20"),
        ]
    );
    assert_eq!((report["total_a"].as_str(), report["total_b"].as_str()), (Some("2287/10"), Some("894/5")));
    let text = workdir.ok(&["registry", "diff", &workdir.at("a.csv"), &workdir.at("b.csv")]);
    assert!(
        text.contains("A:2 B:2: помещение 1: площадь 52,40 м² в A, 52,50 м² в B; голосов 52,40 в A, 52,50 в B"),
        "{text}"
    );
    assert!(
        text.contains("собственник написан по-разному: «Ёлкин Пётр Семёнович» в A, «Елкин Петр Семенович» в B"),
        "{text}"
    );
}
