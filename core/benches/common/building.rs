//! The generated large building the benchmarks count: about 10,000 holdings (sole, shared and
//! joint flats, ~300 communal flats whose room areas make every flat's denominator different,
//! non-residential premises of legal entities, municipal flats), a meeting of 9 questions and
//! 5,000 ballots, as the CSV and TOML text people bring. Deterministic. Shared by
//! `core/benches/tally.rs` and `tests/benches/reference.rs` (through `#[path]`).

#![allow(dead_code)]

use std::fmt::Write as _;

/// Holdings the generated building aims at.
pub const HOLDINGS: usize = 10_000;
const COMMUNAL_FLATS: usize = 300;
const LEGAL_ENTITIES: usize = 12;
const NONRESIDENTIAL: usize = 60;
pub const BALLOTS: usize = 5_000;
pub const QUESTIONS: [&str; 9] = ["other", "other", "4", "1.1", "1", "3", "other", "4", "1.1"];

/// xorshift64*: small, deterministic, good enough to vary a test building.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    /// Uniform in `lo..hi`.
    fn range(&mut self, lo: u64, hi: u64) -> u64 {
        lo + self.next() % (hi - lo)
    }

    /// Uniform in `[0, 1)`.
    fn unit(&mut self) -> f64 {
        (self.next() >> 11) as f64 / (1u64 << 53) as f64
    }

    fn chance(&mut self, p: f64) -> bool {
        self.unit() < p
    }
}

const SURNAMES: [&str; 30] = [
    "Иванов",
    "Петров",
    "Сидоров",
    "Смирнов",
    "Кузнецов",
    "Попов",
    "Соколов",
    "Лебедев",
    "Козлов",
    "Новиков",
    "Морозов",
    "Волков",
    "Соловьёв",
    "Васильев",
    "Зайцев",
    "Павлов",
    "Семёнов",
    "Голубев",
    "Виноградов",
    "Богданов",
    "Воробьёв",
    "Фёдоров",
    "Михайлов",
    "Беляев",
    "Тарасов",
    "Белов",
    "Комаров",
    "Орлов",
    "Киселёв",
    "Макаров",
];
const MEN: [&str; 20] = [
    "Александр",
    "Алексей",
    "Андрей",
    "Борис",
    "Вадим",
    "Виктор",
    "Владимир",
    "Геннадий",
    "Дмитрий",
    "Евгений",
    "Игорь",
    "Кирилл",
    "Максим",
    "Михаил",
    "Никита",
    "Олег",
    "Павел",
    "Роман",
    "Сергей",
    "Юрий",
];
const WOMEN: [&str; 20] = [
    "Анна",
    "Валентина",
    "Вера",
    "Галина",
    "Дарья",
    "Екатерина",
    "Елена",
    "Ирина",
    "Ксения",
    "Людмила",
    "Марина",
    "Мария",
    "Наталья",
    "Нина",
    "Ольга",
    "Светлана",
    "Софья",
    "Татьяна",
    "Юлия",
    "Яна",
];
const FATHERS: [&str; 15] = [
    "Иван",
    "Пётр",
    "Сергей",
    "Андрей",
    "Виктор",
    "Олег",
    "Павел",
    "Михаил",
    "Николай",
    "Юрий",
    "Роман",
    "Фёдор",
    "Степан",
    "Борис",
    "Денис",
];
const MUNICIPALITY: &str = "Муниципальное образование город Примерск";

/// The `k`-th person's full name; distinct for every `k` below 18,000.
fn person(k: usize) -> String {
    let woman = k % 2 == 1;
    let surname = SURNAMES[(k / 2) % 30];
    let father = FATHERS[(k / 1200) % 15];
    let patronymic = match (father, woman) {
        ("Пётр", false) => "Петрович".to_owned(),
        ("Пётр", true) => "Петровна".to_owned(),
        ("Николай", false) => "Николаевич".to_owned(),
        ("Николай", true) => "Николаевна".to_owned(),
        ("Юрий", false) => "Юрьевич".to_owned(),
        ("Юрий", true) => "Юрьевна".to_owned(),
        (f, false) => format!("{f}ович"),
        (f, true) => format!("{f}овна"),
    };
    if woman {
        format!("{surname}а {} {patronymic}", WOMEN[(k / 60) % 20])
    } else {
        format!("{surname} {} {patronymic}", MEN[(k / 60) % 20])
    }
}

/// An area given in hundredths of m², written with a decimal comma: `12,37`.
fn area(hundredths: u64) -> String {
    format!("{},{:02}", hundredths / 100, hundredths % 100)
}

/// One `(premise, owner)` pair that may sign a ballot, and how keen it is to.
struct Signer {
    premise: String,
    owner: String,
    priority: f64,
}

/// The generated files and what they should hold.
pub struct Building {
    pub registry: String,
    pub meeting: String,
    pub ballots: String,
    pub holdings: usize,
}

/// Appends registry rows and remembers who may sign.
struct Writer {
    rng: Rng,
    csv: String,
    signers: Vec<Signer>,
    holdings: usize,
    people: usize,
    documents: usize,
}

impl Writer {
    fn next_person(&mut self) -> String {
        self.people += 1;
        person(self.people)
    }

    #[allow(clippy::too_many_arguments)]
    fn row(
        &mut self,
        premise: &str,
        kind: &str,
        area: &str,
        place: (&str, &str),
        room: Option<(&str, &str)>,
        owner: (&str, &str),
        share: &str,
        joint: &str,
        address: &str,
    ) {
        self.documents += 1;
        let (entrance, floor) = place;
        let (room, room_area) = room.unwrap_or(("", ""));
        let (owner, owner_kind) = owner;
        let document = if owner.is_empty() {
            String::new()
        } else {
            format!("55-55/001-55/001/{:03}/{}-{}", self.documents % 1000, 2000 + self.documents % 25, self.documents)
        };
        let address = if address.contains(';') { format!("\"{address}\"") } else { address.to_owned() };
        writeln!(
            self.csv,
            "{premise};{kind};{area};{entrance};{floor};{room};{room_area};{owner};{owner_kind};{share};{joint};{document};{address}"
        )
        .expect("writing to a String");
    }

    fn signer(&mut self, premise: &str, owner: &str, priority: f64) {
        self.signers.push(Signer { premise: premise.to_owned(), owner: owner.to_owned(), priority });
    }

    /// A flat held as a whole: sole, shared (1/2+1/2, 1/3×3, 3/4+1/4) or joint.
    fn ordinary_flat(&mut self, label: &str, place: (&str, &str)) {
        let hundredths = self.rng.range(2800, 12000);
        let a = area(hundredths);
        let roll = self.rng.unit();
        if roll < 0.68 {
            let owner = self.next_person();
            self.row(label, "flat", &a, place, None, (&owner, "person"), "", "", "");
            let p = self.rng.unit() + 0.5;
            self.signer(label, &owner, p);
            self.holdings += 1;
        } else if roll < 0.88 {
            let shares: &[&str] = match self.rng.range(0, 3) {
                0 => &["1/2", "1/2"],
                1 => &["1/3", "1/3", "1/3"],
                _ => &["3/4", "1/4"],
            };
            for share in shares {
                let owner = self.next_person();
                self.row(label, "flat", &a, place, None, (&owner, "person"), share, "", "");
                let p = self.rng.unit();
                self.signer(label, &owner, p);
                self.holdings += 1;
            }
        } else {
            let members = self.rng.range(2, 4);
            let group = format!("с{}", self.rng.range(1, 4));
            for m in 0..members {
                let owner = self.next_person();
                self.row(label, "flat", &a, place, None, (&owner, "person"), "", &group, "");
                // One member usually signs for the group; now and then a second one does too.
                let p = if m == 0 { self.rng.unit() + 0.5 } else { self.rng.unit() * 0.6 };
                self.signer(label, &owner, p);
            }
            self.holdings += 1;
        }
    }

    /// A communal flat of 3–4 rooms with areas in hundredths: `room / owned × flat`
    /// then has a denominator of its own in every flat.
    fn communal_flat(&mut self, label: &str, place: (&str, &str)) {
        let rooms = self.rng.range(3, 5);
        let room_areas: Vec<u64> = (0..rooms).map(|_| self.rng.range(901, 2499)).collect();
        let flat = room_areas.iter().sum::<u64>() + self.rng.range(1500, 3200);
        let a = area(flat);
        for (r, &room_area) in room_areas.iter().enumerate() {
            let room = format!("к{}", r + 1);
            let ra = area(room_area);
            if self.rng.chance(0.04) {
                self.row(label, "flat", &a, place, Some((&room, &ra)), ("", ""), "", "", "");
            } else if self.rng.chance(0.15) {
                for _ in 0..2 {
                    let owner = self.next_person();
                    self.row(label, "flat", &a, place, Some((&room, &ra)), (&owner, "person"), "1/2", "", "");
                    let p = self.rng.unit();
                    self.signer(label, &owner, p);
                    self.holdings += 1;
                }
            } else {
                let owner = self.next_person();
                self.row(label, "flat", &a, place, Some((&room, &ra)), (&owner, ""), "", "", "");
                let p = self.rng.unit() + 0.3;
                self.signer(label, &owner, p);
                self.holdings += 1;
            }
        }
    }

    fn municipal_flat(&mut self, label: &str, place: (&str, &str), first: bool) {
        let a = area(self.rng.range(3000, 7500));
        let address = "644000, г. Примерск, пл. Ленина, д. 1; комитет по управлению имуществом";
        self.row(label, "flat", &a, place, None, (MUNICIPALITY, "municipal"), "", "", address);
        // The municipality votes all its flats with one decision.
        let p = if first { 10.0 } else { self.rng.unit() * 0.2 };
        self.signer(label, MUNICIPALITY, p);
        self.holdings += 1;
    }
}

/// Generates the building, its meeting and its ballots from a fixed seed.
pub fn building() -> Building {
    let mut w = Writer {
        rng: Rng(0x9E37_79B9_7F4A_7C15),
        csv: String::from(
            "premise;kind;area;entrance;floor;room;room_area;owner;owner_kind;share;joint;document;address\n",
        ),
        signers: Vec::new(),
        holdings: 0,
        people: 0,
        documents: 0,
    };

    // Non-residential premises: each legal entity owns several, one is shared half and half.
    for n in 1..=NONRESIDENTIAL {
        let label = format!("Н-{n}");
        let a = area(w.rng.range(4000, 60000));
        let entity = (n - 1) % LEGAL_ENTITIES;
        let owners: Vec<usize> = if n == NONRESIDENTIAL { vec![0, 1] } else { vec![entity] };
        let share = if owners.len() > 1 { "1/2" } else { "" };
        for &e in &owners {
            let name = format!("ООО «Арендатор-{}»", e + 1);
            let address = format!("644000, г. Примерск, ул. Лесная, д. {}, офис {}", e + 1, e + 10);
            w.row(&label, "нежилое", &a, ("", "0"), None, (&name, "legal"), share, "", &address);
            // An entity's decision covers all its premises: one premise of each signs.
            let p = if n <= LEGAL_ENTITIES { 10.0 } else { w.rng.unit() * 0.2 };
            w.signer(&label, &name, p);
            w.holdings += 1;
        }
    }
    // Two premises nobody owns (the attic, the boiler room): warnings, not votes.
    for label in ["Чердак", "Котельная"] {
        w.row(label, "nonresidential", "120,50", ("", ""), None, ("", ""), "", "", "");
    }

    let mut flat = 0usize;
    let mut communal = 0usize;
    let mut municipal = 0usize;
    while w.holdings < HOLDINGS {
        flat += 1;
        let label = flat.to_string();
        let entrance = (flat - 1) / 400 + 1;
        let floor = (flat - 1) % 400 / 16 + 1;
        let (entrance, floor) = (entrance.to_string(), floor.to_string());
        let place = (entrance.as_str(), floor.as_str());
        if flat % 23 == 5 && communal < COMMUNAL_FLATS {
            communal += 1;
            w.communal_flat(&label, place);
        } else if flat % 170 == 11 {
            municipal += 1;
            w.municipal_flat(&label, place, municipal == 1);
        } else {
            w.ordinary_flat(&label, place);
        }
    }
    assert_eq!(communal, COMMUNAL_FLATS, "the building is tall enough for every communal flat");

    // The most eager signers send decisions; rows then come in a shuffled order.
    let mut signers = std::mem::take(&mut w.signers);
    signers.sort_by(|a, b| b.priority.total_cmp(&a.priority));
    signers.truncate(BALLOTS);
    for i in (1..signers.len()).rev() {
        let j = w.rng.range(0, i as u64 + 1) as usize;
        signers.swap(i, j);
    }
    let numbers: Vec<String> = (1..=QUESTIONS.len()).map(|n| n.to_string()).collect();
    let mut ballots = format!("premise;owner;{};received;defect\n", numbers.join(";"));
    for s in &signers {
        write!(ballots, "{};{}", s.premise, s.owner).expect("writing to a String");
        for _ in QUESTIONS {
            let answer = match w.rng.range(0, 100) {
                0..60 => "за",
                60..78 => "против",
                78..90 => "воздержался",
                _ => "",
            };
            write!(ballots, ";{answer}").expect("writing to a String");
        }
        let day = match w.rng.range(0, 100) {
            0..2 => w.rng.range(21, 24),
            _ => w.rng.range(10, 21),
        };
        let received = match w.rng.range(0, 10) {
            0 => String::new(),
            1..4 => format!("{day}.12.2026"),
            _ => format!("2026-12-{day}"),
        };
        let defect = if w.rng.chance(0.005) { "нет подписи" } else { "" };
        writeln!(ballots, ";{received};{defect}").expect("writing to a String");
    }

    let mut meeting = String::from(
        "[building]\naddress = \"г. Примерск, ул. Садовая, д. 5\"\npostcode = \"644000\"\nregistry = \"registry.csv\"\n\n\
         [meeting]\nkind = \"extraordinary\"\nform = \"in_person_and_absentee\"\ndate = 2026-12-10\n\
         time = \"19:00\"\nplace = \"во дворе дома, у подъезда 1\"\nvoting_ends = 2026-12-20\n\
         ballots_to = \"кв. 1\"\nchair = \"Иванов Иван Иванович\"\nsecretary = \"Петрова Анна Сергеевна\"\n\
         counting_commission = [\"Сидоров Пётр Ильич\"]\nstorage = \"кв. 1\"\n",
    );
    for (i, item) in QUESTIONS.iter().enumerate() {
        write!(
            meeting,
            "\n[[question]]\ntext = \"Вопрос {}\"\nproposal = \"Предложение {}\"\nitem = \"{item}\"\n",
            i + 1,
            i + 1
        )
        .expect("writing to a String");
    }

    Building { registry: w.csv, meeting, ballots, holdings: w.holdings }
}
