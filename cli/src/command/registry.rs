//! `obhod registry import`: obhod's registry written from registers and ЕГРН extracts. The files
//! are gathered here (a folder's files, a ZIP's entries, each read no larger than `MAX_BYTES`); what
//! they say is the core's `registry::import`.

use std::io::{Cursor, Read};
use std::path::{Path, PathBuf};

use obhod_core::registry::import::{self, Draft, Field, Report, egrn};
use obhod_core::table::source::is_workbook;
use obhod_core::{InputError, Lang, Problem, Registry};
use serde::Serialize;

use crate::failure::Failure;
use crate::load::{MAX_BYTES, bytes};
use crate::output::json;

/// How deep ZIPs inside ZIPs are opened (Rosreestr packs an extract with its signature in one).
const ZIP_DEPTH: usize = 2;

pub fn import(
    sources: &[PathBuf],
    out: &Path,
    maps: &[(Field, String)],
    entrances: Option<&[(String, u32, u32)]>,
    as_json: bool,
    lang: Lang,
) -> Result<String, Failure> {
    let mut report = Report::default();
    let mut drafts: Vec<Draft> = Vec::new();
    for source in sources {
        for (name, bytes) in files(source)? {
            drafts.extend(read(&name, &bytes, maps, &mut report)?);
        }
    }
    if let Some(spec) = entrances {
        import::assign_entrances(&mut drafts, spec, &mut report);
    }
    let (text, registry) = import::check(&out.display().to_string(), &drafts)?;
    crate::load::tell(&report.notices, lang);
    obhod_papers::save(out, text.as_bytes())?;
    Ok(if as_json { render_json(out, &registry, &report) } else { render_text(out, &registry, &report, lang) })
}

/// A register or an extract, by its bytes.
fn read(name: &str, bytes: &[u8], maps: &[(Field, String)], report: &mut Report) -> Result<Vec<Draft>, Failure> {
    if egrn::is_xml(bytes) {
        return Ok(egrn::read(name, bytes, report)?);
    }
    Ok(import::sheet(name, bytes, maps, report)?)
}

/// The files a source names: itself, a folder's files or a ZIP's entries in name order (a workbook
/// is a ZIP too, and stays one file).
fn files(path: &Path) -> Result<Vec<(String, Vec<u8>)>, Failure> {
    if path.is_dir() {
        let mut entries: Vec<PathBuf> = std::fs::read_dir(path)
            .map_err(|e| Failure::File { path: path.into(), fault: obhod_store::FileFault::of(&e), named_at: None })?
            .filter_map(|e| e.ok().map(|e| e.path()))
            .filter(|p| p.is_file() && wanted(&p.display().to_string()))
            .collect();
        entries.sort();
        let mut all = Vec::new();
        for entry in entries {
            all.extend(files(&entry)?);
        }
        return Ok(all);
    }
    let name = path.display().to_string();
    let bytes = bytes(path)?;
    unpack(name, bytes, ZIP_DEPTH)
}

/// Files a folder or ZIP holds that may be registers or extracts (not signatures, not PDFs).
fn wanted(name: &str) -> bool {
    let lower = name.to_lowercase();
    [".xml", ".zip", ".xlsx", ".xls", ".ods", ".csv"].iter().any(|ext| lower.ends_with(ext))
}

fn unpack(name: String, bytes: Vec<u8>, depth: usize) -> Result<Vec<(String, Vec<u8>)>, Failure> {
    if !bytes.starts_with(b"PK\x03\x04") || is_spreadsheet(&bytes) || depth == 0 {
        return Ok(vec![(name, bytes)]);
    }
    let bad = |why: String| Failure::Input(InputError::new(&name, None, Problem::Unreadable(why)));
    let mut archive = zip::ZipArchive::new(Cursor::new(&bytes)).map_err(|e| bad(e.to_string()))?;
    let mut all = Vec::new();
    let mut unpacked = 0u64;
    for index in 0..archive.len() {
        let mut entry = archive.by_index(index).map_err(|e| bad(e.to_string()))?;
        let inner = format!("{name}/{}", entry.name());
        if entry.is_dir() || !wanted(&inner) {
            continue;
        }
        let mut content = Vec::new();
        (&mut entry).take(MAX_BYTES + 1).read_to_end(&mut content).map_err(|e| bad(e.to_string()))?;
        unpacked += content.len() as u64;
        // A ZIP holds no more than one input file may weigh, whatever its entries claim.
        if content.len() as u64 > MAX_BYTES || unpacked > MAX_BYTES {
            return Err(bad(format!("{inner}: > {MAX_BYTES} B")));
        }
        all.extend(unpack(inner, content, depth - 1)?);
    }
    all.sort_by(|a, b| a.0.cmp(&b.0));
    Ok(all)
}

/// A workbook (XLSX, ODS) rather than a ZIP of files: it names its own parts.
fn is_spreadsheet(bytes: &[u8]) -> bool {
    let Ok(archive) = zip::ZipArchive::new(Cursor::new(bytes)) else { return is_workbook(bytes) };
    archive.file_names().any(|n| n == "[Content_Types].xml" || n == "mimetype")
}

fn counts(registry: &Registry) -> (usize, usize) {
    (registry.premises.len(), registry.premises.iter().map(|p| p.owners().len()).sum())
}

#[derive(Serialize)]
struct ImportJson<'a> {
    out: String,
    premises: usize,
    owners: usize,
    mapped: Vec<MappedJson<'a>>,
    ignored: Vec<IgnoredJson<'a>>,
    filled: usize,
    not_owners: usize,
    kinds_from_numbers: usize,
    owner_kinds_from_names: usize,
    extracts: usize,
    common_property: &'a [String],
    entrances: usize,
}

#[derive(Serialize)]
struct MappedJson<'a> {
    file: &'a str,
    field: &'static str,
    header: &'a str,
}

#[derive(Serialize)]
struct IgnoredJson<'a> {
    file: &'a str,
    header: &'a str,
}

fn render_json(out: &Path, registry: &Registry, report: &Report) -> String {
    let (premises, owners) = counts(registry);
    json(&ImportJson {
        out: out.display().to_string(),
        premises,
        owners,
        mapped: report
            .mapped
            .iter()
            .map(|(file, field, header)| MappedJson { file, field: field.name(), header })
            .collect(),
        ignored: report.ignored.iter().map(|(file, header)| IgnoredJson { file, header }).collect(),
        filled: report.filled,
        not_owners: report.not_owners,
        kinds_from_numbers: report.kinds_guessed,
        owner_kinds_from_names: report.owner_kinds_guessed,
        extracts: report.extracts,
        common_property: &report.common,
        entrances: report.entrances,
    })
}

fn render_text(out: &Path, registry: &Registry, report: &Report, lang: Lang) -> String {
    let (premises, owners) = counts(registry);
    let rows = |n: usize| lang.count(n as u64, ["строка", "строки", "строк"], ["row", "rows"]);
    let mut text = match lang {
        Lang::Ru => format!(
            "Записан реестр {}: {}, {}.\n",
            out.display(),
            lang.count(premises as u64, ["помещение", "помещения", "помещений"], ["premise", "premises"]),
            lang.count(owners as u64, ["собственник", "собственника", "собственников"], ["owner", "owners"]),
        ),
        Lang::En => format!("Wrote the registry {}: {premises} premises, {owners} owners.\n", out.display()),
    };
    let mut files: Vec<&str> = report.mapped.iter().map(|(f, _, _)| f.as_str()).collect();
    files.dedup();
    for file in files {
        let mapped: Vec<String> = report
            .mapped
            .iter()
            .filter(|(f, _, _)| f == file)
            .map(|(_, field, header)| format!("«{header}» → {}", field.name()))
            .collect();
        text += &format!("{}{file}: {}\n", lang.pick("Столбцы ", "Columns of "), mapped.join(", "));
        let ignored: Vec<String> =
            report.ignored.iter().filter(|(f, _)| f == file).map(|(_, h)| format!("«{h}»")).collect();
        if !ignored.is_empty() {
            text += &format!("  {}: {}\n", lang.pick("не взяты", "left out"), ignored.join(", "));
        }
    }
    let mut line = |n: usize, ru: String, en: String| {
        if n > 0 {
            text += &(if lang == Lang::Ru { ru } else { en } + "\n");
        }
    };
    line(
        report.filled,
        format!("Номер помещения взят из строки выше: {}.", rows(report.filled)),
        format!("Premise taken from the row above: {}.", rows(report.filled)),
    );
    line(
        report.not_owners,
        format!("Не собственники (наниматели, зарегистрированные) не включены: {}.", rows(report.not_owners)),
        format!("Not owners (tenants, registered residents) left out: {}.", rows(report.not_owners)),
    );
    line(
        report.kinds_guessed,
        format!(
            "Тип помещения определён по номеру (нет столбца типа; «Н-…» — нежилое, «ММ-…» — машино-место): {}.",
            rows(report.kinds_guessed)
        ),
        format!(
            "Premise kind taken from its number (no kind column; «Н-…» non-residential, «ММ-…» parking): {}.",
            rows(report.kinds_guessed)
        ),
    );
    line(
        report.owner_kinds_guessed,
        format!(
            "Вид собственника определён по имени (ООО, АО… — юрлицо; администрация, городской округ — муниципальная): {}.",
            rows(report.owner_kinds_guessed)
        ),
        format!(
            "Owner kind taken from the name (ООО, АО… legal; администрация, городской округ municipal): {}.",
            rows(report.owner_kinds_guessed)
        ),
    );
    line(
        report.extracts,
        format!("Прочитано выписок ЕГРН: {}.", report.extracts),
        format!("ЕГРН extracts read: {}.", report.extracts),
    );
    line(
        report.common.len(),
        format!("Общее имущество дома не включено: {}.", report.common.join(", ")),
        format!("Common property of the building left out: {}.", report.common.join(", ")),
    );
    line(
        report.entrances,
        format!("Подъезд назначен по --entrances: {} помещ.", report.entrances),
        format!("Entrance given by --entrances: {} premises.", report.entrances),
    );
    text
}

#[derive(Serialize)]
struct CheckJson<'a> {
    registry: String,
    errors: usize,
    warnings: usize,
    findings: Vec<FindingJson<'a>>,
    area: AreaJson,
}

#[derive(Serialize)]
struct FindingJson<'a> {
    code: &'static str,
    severity: &'static str,
    line: u64,
    premise: &'a str,
    owner: Option<&'a str>,
    message: String,
}

#[derive(Serialize)]
struct AreaJson {
    residential: String,
    nonresidential: String,
    total: String,
}

/// `obhod registry check`: the findings and the areas; `Failure::Findings` (exit 2) with errors.
pub fn check(registry: &Registry, path: &Path, as_json: bool, lang: Lang) -> Result<String, Failure> {
    use obhod_core::registry::check::{Severity, areas, check};
    let findings = check(registry);
    let areas = areas(registry);
    let total = &areas.residential + &areas.nonresidential;
    let errors = findings.iter().filter(|f| f.severity == Severity::Error).count();
    let warnings = findings.len() - errors;
    let file = path.display().to_string();
    let text = if as_json {
        json(&CheckJson {
            registry: file,
            errors,
            warnings,
            findings: findings
                .iter()
                .map(|f| FindingJson {
                    code: f.code(),
                    severity: if f.severity == Severity::Error { "error" } else { "warning" },
                    line: f.line,
                    premise: &f.premise,
                    owner: f.owner.as_deref(),
                    message: f.message(lang),
                })
                .collect(),
            area: AreaJson {
                residential: obhod_core::number::exact(&areas.residential),
                nonresidential: obhod_core::number::exact(&areas.nonresidential),
                total: obhod_core::number::exact(&total),
            },
        })
    } else {
        let m2 = |v: &obhod_core::Votes| obhod_core::number::decimal(v, 2, lang.decimal_separator());
        let mut text = String::new();
        for finding in &findings {
            let severity = match (finding.severity, lang) {
                (Severity::Error, Lang::Ru) => "ошибка",
                (Severity::Error, Lang::En) => "error",
                (Severity::Warning, Lang::Ru) => "предупреждение",
                (Severity::Warning, Lang::En) => "warning",
            };
            text += &format!("{file}:{}: {severity}: {}\n", finding.line, finding.message(lang));
        }
        text += &match lang {
            Lang::Ru => format!(
                "Площадь жилых помещений {} м², нежилых {} м², всего {} м². Ошибок: {errors}, предупреждений: {warnings}.\n",
                m2(&areas.residential),
                m2(&areas.nonresidential),
                m2(&total)
            ),
            Lang::En => format!(
                "Residential area {} m², non-residential {} m², in all {} m². Errors: {errors}, warnings: {warnings}.\n",
                m2(&areas.residential),
                m2(&areas.nonresidential),
                m2(&total)
            ),
        };
        text
    };
    if errors > 0 { Err(Failure::Findings(text)) } else { Ok(text) }
}

#[derive(Serialize)]
struct DiffJson<'a> {
    differences: Vec<DifferenceJson<'a>>,
    total_a: String,
    total_b: String,
}

#[derive(Serialize)]
struct DifferenceJson<'a> {
    code: &'static str,
    premise: &'a str,
    owner: Option<&'a str>,
    line_a: Option<u64>,
    line_b: Option<u64>,
    votes_a: String,
    votes_b: String,
    moved: String,
    message: String,
}

impl<'a> DifferenceJson<'a> {
    /// A difference as `registry diff --json` and `registry update --json` give it.
    fn of(d: &'a obhod_core::registry::diff::Difference, lang: Lang) -> Self {
        use obhod_core::number::exact;
        DifferenceJson {
            code: d.code(),
            premise: &d.premise,
            owner: d.owner.as_deref(),
            line_a: d.line_a,
            line_b: d.line_b,
            votes_a: exact(&d.votes_a),
            votes_b: exact(&d.votes_b),
            moved: exact(&d.moved()),
            message: d.message(lang),
        }
    }
}

/// `obhod registry diff A B`: every difference with the votes it moves, and each TOTAL.
pub fn diff(a: &Registry, b: &Registry, as_json: bool, lang: Lang) -> String {
    use obhod_core::number::{decimal, exact};
    let differences = obhod_core::registry::diff::diff(a, b);
    let (total_a, total_b) = (obhod_core::Weights::compute(a).total, obhod_core::Weights::compute(b).total);
    if as_json {
        return json(&DiffJson {
            differences: differences.iter().map(|d| DifferenceJson::of(d, lang)).collect(),
            total_a: exact(&total_a),
            total_b: exact(&total_b),
        });
    }
    let place = |d: &obhod_core::registry::diff::Difference| match (d.line_a, d.line_b) {
        (Some(a), Some(b)) => format!("A:{a} B:{b}"),
        (Some(a), None) => format!("A:{a}"),
        (None, Some(b)) => format!("B:{b}"),
        (None, None) => String::new(),
    };
    let mut text: String = differences.iter().map(|d| format!("{}: {}\n", place(d), d.message(lang))).collect();
    let m2 = |v: &obhod_core::Votes| decimal(v, 2, lang.decimal_separator());
    text += &match lang {
        Lang::Ru => {
            format!("Различий: {}. Всего голосов: {} в A, {} в B.\n", differences.len(), m2(&total_a), m2(&total_b))
        }
        Lang::En => {
            format!("Differences: {}. Total votes: {} in A, {} in B.\n", differences.len(), m2(&total_a), m2(&total_b))
        }
    };
    text
}

#[derive(Serialize)]
struct UpdateJson<'a> {
    file: String,
    differences: Vec<DifferenceJson<'a>>,
    orphans: Vec<OrphanJson<'a>>,
    unreached: Vec<UnreachedJson<'a>>,
    /// The registry's version now (`init`'s is 0).
    version: u64,
    total_before: String,
    total_after: String,
    recorded: bool,
}

/// A mark for every owner of a premise that does not reach the owners the update adds to it.
#[derive(Serialize)]
pub(crate) struct UnreachedJson<'a> {
    pub id: &'a str,
    pub premise: &'a str,
    pub outcome: &'static str,
    pub owners: &'a [String],
    pub message: String,
}

impl<'a> UnreachedJson<'a> {
    pub(crate) fn of(mark: &'a obhod_core::registry::update::Unreached, lang: Lang) -> Self {
        UnreachedJson {
            id: &mark.id,
            premise: &mark.premise,
            outcome: mark.outcome.code(),
            owners: &mark.owners,
            message: mark.message(lang),
        }
    }
}

#[derive(Serialize)]
pub(crate) struct OrphanJson<'a> {
    pub record: &'static str,
    pub id: &'a str,
    pub premise: &'a str,
    pub owner: Option<&'a str>,
    pub premise_gone: bool,
    pub message: String,
}

impl<'a> OrphanJson<'a> {
    pub(crate) fn of(orphan: &'a obhod_core::registry::update::Orphan, lang: Lang) -> Self {
        OrphanJson {
            record: orphan.record.code(),
            id: &orphan.id,
            premise: &orphan.premise,
            owner: orphan.owner.as_deref(),
            premise_gone: orphan.premise_gone,
            message: orphan.message(lang),
        }
    }
}

/// `obhod registry update --registry FILE`: the campaign's registry replaced, after every
/// difference (A the campaign's, B the new) with the votes it moves and the facts and decisions
/// left without their owner; refused, with nothing written, after the end of voting, when nothing
/// changes, and from a member's device.
pub fn update(store: &Path, path: &Path, as_json: bool, lang: Lang) -> Result<String, Failure> {
    use obhod_core::number::{decimal, exact};
    let file = path.display().to_string();
    let bytes = bytes(path)?;
    let (_, notices) = Registry::read(&file, &bytes[..])?;
    let text = Registry::text(&file, &bytes)?;
    crate::load::tell(&notices, lang);
    let mut campaign = obhod_store::Campaign::open(store)?;
    let before = campaign.weights().total.clone();
    let done = campaign.update_registry(&file, &text)?;
    let after = campaign.weights().total.clone();
    if as_json {
        let differences = done.differences.iter().map(|d| DifferenceJson::of(d, lang)).collect();
        return Ok(json(&UpdateJson {
            file,
            differences,
            orphans: done.orphans.iter().map(|o| OrphanJson::of(o, lang)).collect(),
            unreached: done.unreached.iter().map(|u| UnreachedJson::of(u, lang)).collect(),
            version: campaign.registry().since.version,
            total_before: exact(&before),
            total_after: exact(&after),
            recorded: true,
        }));
    }
    let m2 = |v: &obhod_core::Votes| decimal(v, 2, lang.decimal_separator());
    let mut out = format!("{}\n", campaign.meeting().address);
    out += &match lang {
        Lang::Ru => format!("Что меняется (A — реестр кампании, B — {file}):\n"),
        Lang::En => format!("What changes (A the campaign's registry, B {file}):\n"),
    };
    for difference in &done.differences {
        out += &format!("  {}\n", difference.message(lang));
    }
    if !done.orphans.is_empty() {
        out += lang
            .pick("Записи о тех, кого нет в новом реестре:\n", "Records of those the new registry does not have:\n");
        for orphan in &done.orphans {
            out += &format!("  ! {}\n", orphan.message(lang));
        }
    }
    if !done.unreached.is_empty() {
        out += lang.pick(
            "Отметки для всех собственников помещения, сделанные до этого реестра, новых собственников не касаются:\n",
            "Marks for every owner of a premise made before this registry do not reach its new owners:\n",
        );
        for mark in &done.unreached {
            out += &format!("  ! {}\n", mark.message(lang));
        }
    }
    out += &match lang {
        Lang::Ru => format!("Всего голосов: было {}, стало {}. Записано в кампанию.\n", m2(&before), m2(&after)),
        Lang::En => format!("Total votes: {} before, {} now. Recorded in the campaign.\n", m2(&before), m2(&after)),
    };
    Ok(out)
}
