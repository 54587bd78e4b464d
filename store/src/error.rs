//! What can go wrong with a store, typed; `message` words it for people in Russian or English.

use std::path::{Path, PathBuf};

use obhod_core::meeting::update::Refusal;
use obhod_core::{InputError, Lang};
use rusqlite::ErrorCode;

use crate::fault::FileFault;

#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("{path}: not an obhod store")]
    NotAStore { path: PathBuf },
    #[error("{path}: store schema {found} is newer than this obhod ({supported})")]
    NewerSchema { path: PathBuf, found: i64, supported: i64 },
    #[error("{path}: no campaign")]
    NoCampaign { path: PathBuf },
    #[error("{path}: a campaign already exists")]
    CampaignExists { path: PathBuf },
    #[error("input: {0:?}")]
    Input(#[from] InputError),
    #[error("unknown premise {premise}")]
    UnknownPremise { premise: String },
    /// A premise typed on the ballot-entry screen that is not in the registry, with the labels
    /// most like it.
    #[error("unknown premise {premise}")]
    UnknownPremiseNear { premise: String, nearest: Vec<String> },
    /// A decision typed with not one answer per question of the agenda.
    #[error("{given} answers for {questions} questions")]
    AnswerCount { given: usize, questions: usize },
    #[error("a representative without a name")]
    NamelessRepresentative,
    #[error("a defect without a reason")]
    DefectWithoutReason,
    /// The voter already has a decision that stands: replace it, keep both, or cancel.
    #[error("{} ({}) already has decision {}", existing.owner, existing.premise, existing.id)]
    DecisionHeld { existing: Box<crate::Decision> },
    #[error("premise {premise} has no owner {owner}")]
    UnknownOwner { premise: String, owner: String, owners: Vec<String> },
    #[error("premise {premise} has no registered owner")]
    NoOwners { premise: String },
    #[error("premise {premise}: which owner?")]
    WhichOwner { premise: String, owners: Vec<String> },
    #[error("unknown outcome {0}")]
    UnknownOutcome(String),
    #[error("contact data without consent")]
    NoConsent { premise: String, owner: String },
    #[error("contact outcome without a phone or e-mail")]
    NoContactData,
    /// Not a phone number (the value itself is never repeated: it is personal data).
    #[error("not a phone number")]
    BadPhone,
    #[error("not an e-mail address")]
    BadEmail,
    /// A note that holds a phone number or an e-mail address.
    #[error("a phone or e-mail in a note")]
    PersonalDataInNote,
    /// A note longer than `NOTE_LIMIT` characters (`chars` is its length).
    #[error("a note of {chars} characters, more than {limit}")]
    NoteTooLong { chars: usize, limit: usize },
    #[error("contact data on an outcome other than contact")]
    ContactOnOtherOutcome,
    #[error("a consent signed now on an outcome other than contact")]
    ConsentOnOtherOutcome,
    #[error("the sent outcome without its sending date")]
    NoSendingDate,
    #[error("a sending date or tracking number on an outcome other than sent")]
    LetterOnOtherOutcome,
    /// A letter recorded as sent on a day still to come: a claim not yet true.
    #[error("sending date {date} is after today {today}")]
    NotSentYet { date: chrono::NaiveDate, today: chrono::NaiveDate },
    /// A sending date more than a year before the meeting: a mistyped year (`20.11.0026`).
    #[error("sending date {date} is more than a year before the meeting on {meeting}")]
    SentLongBefore { date: chrono::NaiveDate, meeting: chrono::NaiveDate },
    /// A delivery signed on a day still to come.
    #[error("signing date {date} is after today {today}")]
    NotSignedYet { date: chrono::NaiveDate, today: chrono::NaiveDate },
    /// A signing date more than a year before the meeting: a mistyped year.
    #[error("signing date {date} is more than a year before the meeting on {meeting}")]
    SignedLongBefore { date: chrono::NaiveDate, meeting: chrono::NaiveDate },
    /// A signing date on an outcome other than delivered.
    #[error("a signing date on an outcome other than delivered")]
    SignedOnOtherOutcome,
    /// A tracking number on a letter to several owners: one envelope has one addressee.
    #[error("one tracking number for the letters of several owners of {premise}")]
    TrackingForSeveral { premise: String, owners: Vec<String> },
    #[error("unknown fact {0}")]
    UnknownFact(String),
    #[error("fact {0} is already withdrawn")]
    AlreadyWithdrawn(String),
    #[error("fact {0} is a withdrawal")]
    WithdrawalOfWithdrawal(String),
    #[error("unknown decision {0}")]
    UnknownDecision(String),
    /// A replacement file that holds no decision, or several.
    #[error("{file}: {found} decisions, not one")]
    NotOneDecision { file: String, found: usize },
    /// A replacement for another owner than the decision it would replace.
    #[error("decision {id} is not of {owner} ({premise})")]
    ReplacementForAnother { id: String, premise: String, owner: String },
    /// A decision already withdrawn, by the fact `by`.
    #[error("decision {id} is already withdrawn")]
    DecisionWithdrawn { id: String, by: String },
    /// A decision of another device, withdrawn in a group from a device not the organiser's.
    #[error("decision {id} was recorded by device {device}")]
    NotOwnDecision { id: String, device: String },
    #[error("{file}:{line}: a different ballot of {owner} ({premise}) is already in the campaign")]
    BallotConflict { file: String, line: u64, premise: String, owner: String, earlier: String, id: Box<str> },
    /// `resolve_conflict` for an owner whose ballots do not differ.
    #[error("no conflicting ballots of {owner} ({premise})")]
    NoConflict { premise: String, owner: String },
    /// `resolve_conflict` told to keep a variant that is not listed.
    #[error("no variant {keep} of {variants} for {owner} ({premise})")]
    NoSuchVariant { premise: String, owner: String, keep: usize, variants: usize },
    /// Contacts sent by a device of another campaign: nothing applied.
    #[error("contacts of another campaign {campaign}")]
    ContactsOfAnotherCampaign { campaign: String },
    /// Contacts from another device with a bad id, an empty or oversized field: nothing applied.
    #[error("malformed contact {id}")]
    BadContacts { id: String },
    /// A sync message from a peer that cannot be read or applied: nothing applied.
    #[error("malformed sync message: {detail}")]
    BadSyncMessage { detail: String },
    /// A sync message that would bring another campaign's document into this one: nothing applied.
    #[error("sync message of another campaign")]
    SyncOfAnotherCampaign,
    /// A change from a peer that breaks the group's rules (a member only adds what it signed):
    /// nothing of the message applied. `device`: whose record it carries, when it names one.
    #[error("change refused ({reason:?})")]
    ChangeRefused { device: Option<String>, reason: Breach },
    /// Only the organiser's device may change this in a group (the others would refuse it).
    #[error("only the organiser's device may do this")]
    OrganiserOnly,
    /// This device was revoked: what it records now would count nowhere.
    #[error("this device is revoked")]
    DeviceRevoked,
    /// This device already belongs to a group of this campaign.
    #[error("already in a group")]
    AlreadyInGroup,
    /// The group's CA key is sealed and this needs it: the passphrase was not given.
    #[error("the group's key is sealed")]
    KeySealed,
    /// The passphrase does not open the group's CA key.
    #[error("wrong passphrase")]
    WrongPassphrase,
    /// A passphrase shorter than the least length.
    #[error("passphrase shorter than {least}")]
    PassphraseTooShort { least: usize },
    /// The group's CA key is sealed already.
    #[error("the group's key is already sealed")]
    AlreadySealed,
    /// No device of the group has this id or name.
    #[error("no member {member}")]
    UnknownMember { member: String },
    /// A revocation list not newer than the one in the campaign.
    #[error("revocation list is not newer")]
    StaleRevocations,
    /// A new meeting that would falsify what the campaign holds (`obhod meeting update`): nothing
    /// written.
    #[error("{file}: meeting update refused: {refusal:?}")]
    MeetingRefused { file: String, refusal: Refusal },
    /// A new registry is refused: voting has ended, or nothing changes. Nothing is written.
    #[error("{file}: registry update refused: {refusal:?}")]
    RegistryRefused { file: String, refusal: obhod_core::registry::update::Refusal },
    #[error("the store is damaged: {0}")]
    Damaged(String),
    /// The campaign's own meeting or registry text, as stored at `obhod init`, is refused by this
    /// version's checks (a registry an older obhod accepted).
    #[error("stored files refused: {0:?}")]
    StoredFilesRefused(InputError),
    /// The store file (or its directory) cannot be used: missing, a directory, no permission, a loop.
    #[error("{path}: {fault:?}")]
    File { path: PathBuf, fault: FileFault },
    /// The store file was deleted or moved away while it was open: nothing written since is kept.
    #[error("{path}: the store file is gone")]
    Vanished { path: PathBuf },
    /// Another file took the store's place while it was open.
    #[error("{path}: the store file was replaced by another")]
    Replaced { path: PathBuf },
    #[error("{path}: the store is read-only")]
    ReadOnly { path: PathBuf },
    /// The store file is damaged: SQLite met a malformed page, the document in it cannot be read,
    /// or the integrity check on open found `problems` (0 when not from the check).
    #[error("{path}: the store file is corrupt")]
    Corrupt { path: PathBuf, problems: usize },
    #[error("{path}: the disk is full")]
    DiskFull { path: PathBuf },
    /// Another process held the store's write lock for longer than obhod waits.
    #[error("{path}: the store is locked by another process")]
    Locked { path: PathBuf },
    /// A database failure without a better name, with SQLite's own words.
    #[error("{path}: database: {detail}")]
    Database { path: PathBuf, detail: String },
    /// A database failure before it is tied to the store's path (see `at`).
    #[error("database: {0}")]
    Sqlite(#[from] rusqlite::Error),
}

impl From<automerge::AutomergeError> for StoreError {
    fn from(error: automerge::AutomergeError) -> Self {
        StoreError::Damaged(error.to_string())
    }
}

/// The core's refusal of an act, worded by the store's messages.
impl From<obhod_core::act::Refusal> for StoreError {
    fn from(refusal: obhod_core::act::Refusal) -> StoreError {
        use obhod_core::act::Refusal as R;
        match refusal {
            R::NoteTooLong { chars, limit } => StoreError::NoteTooLong { chars, limit },
            R::PersonalDataInNote => StoreError::PersonalDataInNote,
            R::BadPhone => StoreError::BadPhone,
            R::BadEmail => StoreError::BadEmail,
            R::ContactOnOtherOutcome => StoreError::ContactOnOtherOutcome,
            R::ConsentOnOtherOutcome => StoreError::ConsentOnOtherOutcome,
            R::NoSendingDate => StoreError::NoSendingDate,
            R::LetterOnOtherOutcome => StoreError::LetterOnOtherOutcome,
            R::NotSentYet { date, today } => StoreError::NotSentYet { date, today },
            R::SentLongBefore { date, meeting } => StoreError::SentLongBefore { date, meeting },
            R::NotSignedYet { date, today } => StoreError::NotSignedYet { date, today },
            R::SignedLongBefore { date, meeting } => StoreError::SignedLongBefore { date, meeting },
            R::SignedOnOtherOutcome => StoreError::SignedOnOtherOutcome,
            R::TrackingRecorded { tracking, premise, owner, date, fact } => {
                let problem = obhod_core::Problem::TrackingRecorded { tracking, premise, owner, date, fact };
                StoreError::Input(InputError::new("--tracking", None, problem))
            }
            R::UnknownFact(id) => StoreError::UnknownFact(id),
            R::WithdrawalOfWithdrawal(id) => StoreError::WithdrawalOfWithdrawal(id),
            R::AlreadyWithdrawn(id) => StoreError::AlreadyWithdrawn(id),
            R::UnknownPremise { premise } => StoreError::UnknownPremise { premise },
            R::UnknownOwner { premise, owner, owners } => StoreError::UnknownOwner { premise, owner, owners },
            R::NoOwners { premise } => StoreError::NoOwners { premise },
            R::TrackingForSeveral { premise, owners } => StoreError::TrackingForSeveral { premise, owners },
            R::WhichOwner { premise, owners } => StoreError::WhichOwner { premise, owners },
            R::NoContactData => StoreError::NoContactData,
            R::NoConsent { premise, owner } => StoreError::NoConsent { premise, owner },
        }
    }
}

impl StoreError {
    /// Whether the user asked for something impossible (exit code 2) rather than the machine failing (1).
    pub fn is_bad_input(&self) -> bool {
        !matches!(
            self,
            StoreError::Damaged(_)
                | StoreError::StoredFilesRefused(_)
                | StoreError::Vanished { .. }
                | StoreError::Replaced { .. }
                | StoreError::ReadOnly { .. }
                | StoreError::Corrupt { .. }
                | StoreError::DiskFull { .. }
                | StoreError::Locked { .. }
                | StoreError::Database { .. }
                | StoreError::Sqlite(_)
        ) && !matches!(self, StoreError::File { fault: FileFault::Other(_) | FileFault::DiskFull, .. })
    }

    /// Whether the store itself failed (its file, its disk, its database) rather than the request:
    /// a screen keeps saying so until the store works again.
    pub fn is_store_failure(&self) -> bool {
        !self.is_bad_input() || matches!(self, StoreError::File { .. } | StoreError::NotAStore { .. })
    }

    /// The store file a failure is about, when it is about one.
    pub fn path(&self) -> Option<&Path> {
        match self {
            StoreError::NotAStore { path }
            | StoreError::NewerSchema { path, .. }
            | StoreError::NoCampaign { path }
            | StoreError::CampaignExists { path }
            | StoreError::File { path, .. }
            | StoreError::Vanished { path }
            | StoreError::Replaced { path }
            | StoreError::ReadOnly { path }
            | StoreError::Corrupt { path, .. }
            | StoreError::DiskFull { path }
            | StoreError::Locked { path }
            | StoreError::Database { path, .. } => Some(path),
            _ => None,
        }
    }

    /// The message without the file in front (`path` names it): what happened and what to do, for
    /// a screen too narrow to start with a long path.
    pub fn reason(&self, lang: Lang) -> String {
        let message = self.message(lang);
        match self.path().map(|path| format!("{}: ", path.display())) {
            Some(prefix) => message.strip_prefix(&prefix).map(str::to_string).unwrap_or(message),
            None => message,
        }
    }

    /// The kind of failure in a word, for the log: never a name, a phone or an e-mail from the
    /// registry or the facts (the messages may carry them).
    pub fn code(&self) -> &'static str {
        match self {
            StoreError::NotAStore { .. } => "not_a_store",
            StoreError::NewerSchema { .. } => "newer_schema",
            StoreError::NoCampaign { .. } => "no_campaign",
            StoreError::CampaignExists { .. } => "campaign_exists",
            StoreError::Input(_) => "input",
            StoreError::UnknownPremise { .. } => "unknown_premise",
            StoreError::UnknownOwner { .. } => "unknown_owner",
            StoreError::UnknownPremiseNear { .. } => "unknown_premise",
            StoreError::AnswerCount { .. } => "answer_count",
            StoreError::NamelessRepresentative => "nameless_representative",
            StoreError::DefectWithoutReason => "defect_without_reason",
            StoreError::DecisionHeld { .. } => "decision_held",
            StoreError::NoOwners { .. } => "no_owners",
            StoreError::WhichOwner { .. } => "which_owner",
            StoreError::UnknownOutcome(_) => "unknown_outcome",
            StoreError::NoConsent { .. } => "no_consent",
            StoreError::NoContactData => "no_contact_data",
            StoreError::BadPhone => "bad_phone",
            StoreError::BadEmail => "bad_email",
            StoreError::PersonalDataInNote => "personal_data_in_note",
            StoreError::NoteTooLong { .. } => "note_too_long",
            StoreError::ContactOnOtherOutcome => "contact_on_other_outcome",
            StoreError::ConsentOnOtherOutcome => "consent_on_other_outcome",
            StoreError::NoSendingDate => "no_sending_date",
            StoreError::LetterOnOtherOutcome => "letter_on_other_outcome",
            StoreError::NotSentYet { .. } => "not_sent_yet",
            StoreError::SentLongBefore { .. } => "sent_long_before",
            StoreError::NotSignedYet { .. } => "not_signed_yet",
            StoreError::SignedLongBefore { .. } => "signed_long_before",
            StoreError::SignedOnOtherOutcome => "signed_on_other_outcome",
            StoreError::TrackingForSeveral { .. } => "tracking_for_several",
            StoreError::UnknownFact(_) => "unknown_fact",
            StoreError::AlreadyWithdrawn(_) => "already_withdrawn",
            StoreError::WithdrawalOfWithdrawal(_) => "withdrawal_of_withdrawal",
            StoreError::UnknownDecision(_) => "unknown_decision",
            StoreError::NotOneDecision { .. } => "not_one_decision",
            StoreError::ReplacementForAnother { .. } => "replacement_for_another",
            StoreError::DecisionWithdrawn { .. } => "decision_withdrawn",
            StoreError::NotOwnDecision { .. } => "not_own_decision",
            StoreError::BallotConflict { .. } => "ballot_conflict",
            StoreError::AlreadyInGroup => "already_in_group",
            StoreError::KeySealed => "key_sealed",
            StoreError::WrongPassphrase => "wrong_passphrase",
            StoreError::PassphraseTooShort { .. } => "passphrase_too_short",
            StoreError::AlreadySealed => "already_sealed",
            StoreError::UnknownMember { .. } => "unknown_member",
            StoreError::StaleRevocations => "stale_revocations",
            StoreError::NoConflict { .. } => "no_conflict",
            StoreError::NoSuchVariant { .. } => "no_such_variant",
            StoreError::ContactsOfAnotherCampaign { .. } => "contacts_of_another_campaign",
            StoreError::BadContacts { .. } => "bad_contacts",
            StoreError::BadSyncMessage { .. } => "bad_sync_message",
            StoreError::SyncOfAnotherCampaign => "sync_of_another_campaign",
            StoreError::ChangeRefused { .. } => "change_refused",
            StoreError::OrganiserOnly => "organiser_only",
            StoreError::DeviceRevoked => "device_revoked",
            StoreError::MeetingRefused { .. } => "meeting_refused",
            StoreError::RegistryRefused { refusal: obhod_core::registry::update::Refusal::Unchanged, .. } => {
                "registry_unchanged"
            }
            StoreError::RegistryRefused { .. } => "voting_ended",
            StoreError::Damaged(_) => "damaged",
            StoreError::StoredFilesRefused(_) => "stored_files_refused",
            StoreError::File { .. } => "file",
            StoreError::Vanished { .. } => "vanished",
            StoreError::Replaced { .. } => "replaced",
            StoreError::ReadOnly { .. } => "read_only",
            StoreError::Corrupt { .. } => "corrupt",
            StoreError::DiskFull { .. } => "disk_full",
            StoreError::Locked { .. } => "locked",
            StoreError::Database { .. } | StoreError::Sqlite(_) => "database",
        }
    }

    /// Ties a database failure to the store's file, by what SQLite says went wrong; a document
    /// that cannot be read is a corrupt store.
    pub fn at(self, path: &Path) -> StoreError {
        let path = path.to_path_buf();
        let error = match self {
            StoreError::Sqlite(error) => error,
            StoreError::Damaged(detail) => {
                tracing::warn!(%detail, "the store's document cannot be read");
                return StoreError::Corrupt { path, problems: 0 };
            }
            other => return other,
        };
        match error.sqlite_error_code() {
            Some(ErrorCode::ReadOnly) => StoreError::ReadOnly { path },
            Some(ErrorCode::DatabaseCorrupt) => StoreError::Corrupt { path, problems: 0 },
            Some(ErrorCode::NotADatabase) => StoreError::NotAStore { path },
            Some(ErrorCode::DiskFull) => StoreError::DiskFull { path },
            // A full disk, or one made read-only, often comes as a plain I/O error (growing the
            // WAL's index, say): the file system tells which.
            Some(ErrorCode::SystemIoFailure) => match crate::fault::volume_of(&path) {
                Some(FileFault::DiskFull) => StoreError::DiskFull { path },
                Some(FileFault::ReadOnly) => StoreError::ReadOnly { path },
                _ => StoreError::Database { path, detail: error.to_string() },
            },
            Some(ErrorCode::DatabaseBusy | ErrorCode::DatabaseLocked) => StoreError::Locked { path },
            Some(ErrorCode::PermissionDenied) => StoreError::File { path, fault: FileFault::Permission },
            Some(ErrorCode::CannotOpen) => match FileFault::of_path(&path) {
                Some(fault) => StoreError::File { path, fault },
                None => StoreError::Database { path, detail: error.to_string() },
            },
            _ => StoreError::Database { path, detail: error.to_string() },
        }
    }

    /// The message people read.
    pub fn message(&self, lang: Lang) -> String {
        let ru = lang == Lang::Ru;
        let list = |names: &[String]| names.join("; ");
        match self {
            StoreError::NotAStore { path } => pick(
                ru,
                format!(
                    "{}: это не хранилище obhod (или файл повреждён); файл не тронут. Укажите другой путь в --store",
                    path.display()
                ),
                format!(
                    "{}: not an obhod store (or a damaged one); the file is left untouched. Give another path in --store",
                    path.display()
                ),
            ),
            StoreError::NewerSchema { path, found, supported } => pick(
                ru,
                format!(
                    "{}: хранилище создано более новой версией obhod (схема {found}, эта версия знает до {supported}); обновите obhod",
                    path.display()
                ),
                format!(
                    "{}: the store was written by a newer obhod (schema {found}, this one knows up to {supported}); update obhod",
                    path.display()
                ),
            ),
            StoreError::NoCampaign { path } => pick(
                ru,
                format!("{}: кампании нет; создайте её: obhod init --meeting meeting.toml", path.display()),
                format!("{}: no campaign yet; create one: obhod init --meeting meeting.toml", path.display()),
            ),
            StoreError::CampaignExists { path } => pick(
                ru,
                format!(
                    "{}: кампания уже есть и не будет перезаписана; для новой укажите другой --store",
                    path.display()
                ),
                format!(
                    "{}: a campaign exists and will not be overwritten; use another --store for a new one",
                    path.display()
                ),
            ),
            StoreError::Input(error) => error.message(lang),
            StoreError::UnknownPremise { premise } => pick(
                ru,
                format!("помещения «{premise}» нет в реестре"),
                format!("premise «{premise}» is not in the registry"),
            ),
            StoreError::UnknownPremiseNear { premise, nearest } => pick(
                ru,
                format!("помещения «{premise}» нет в реестре; похожие: {}; ничего не записано", list(nearest)),
                format!("premise «{premise}» is not in the registry; nearest: {}; nothing recorded", list(nearest)),
            ),
            StoreError::AnswerCount { given, questions } => pick(
                ru,
                format!("ответов {given}, а вопросов в повестке {questions}: нужен один ответ на каждый вопрос; ничего не записано"),
                format!("{given} answers for {questions} questions on the agenda: one answer per question is needed; nothing recorded"),
            ),
            StoreError::NamelessRepresentative => pick(
                ru,
                "не указано имя представителя; ничего не записано".into(),
                "the representative has no name; nothing recorded".into(),
            ),
            StoreError::DefectWithoutReason => pick(
                ru,
                "у дефекта «другое» не указана причина; ничего не записано".into(),
                "the defect «other» has no reason written; nothing recorded".into(),
            ),
            StoreError::DecisionHeld { existing } => pick(
                ru,
                format!(
                    "у собственника «{}» (помещение {}) уже есть решение {}: замените его, оставьте оба как конфликт или отмените ввод; ничего не записано",
                    existing.owner, existing.premise, existing.id
                ),
                format!(
                    "«{}» (premise {}) already has decision {}: replace it, keep both as a conflict, or cancel; nothing recorded",
                    existing.owner, existing.premise, existing.id
                ),
            ),
            StoreError::UnknownOwner { premise, owner, owners } => pick(
                ru,
                format!("у помещения «{premise}» нет собственника «{owner}»; собственники: {}", list(owners)),
                format!("premise «{premise}» has no owner «{owner}»; its owners: {}", list(owners)),
            ),
            StoreError::NoOwners { premise } => pick(
                ru,
                format!("у помещения «{premise}» нет зарегистрированных собственников"),
                format!("premise «{premise}» has no registered owner"),
            ),
            StoreError::WhichOwner { premise, owners } => pick(
                ru,
                format!("у помещения «{premise}» несколько собственников; укажите одного в --owner: {}", list(owners)),
                format!("premise «{premise}» has several owners; name one with --owner: {}", list(owners)),
            ),
            StoreError::UnknownOutcome(text) => pick(
                ru,
                format!("неизвестный исход «{text}»; возможны: {}", outcome_words()),
                format!("unknown outcome «{text}»; one of: {}", outcome_codes()),
            ),
            StoreError::NoConsent { premise, owner } => pick(
                ru,
                format!(
                    "у собственника «{owner}» (помещение {premise}) нет согласия на обработку персональных данных; \
                     контакт не сохранён. Сначала отметьте «согласие» (consent) или добавьте --consent, если согласие подписано сейчас"
                ),
                format!(
                    "owner «{owner}» (premise {premise}) has no personal-data consent; the contact is not stored. \
                     Mark consent first, or add --consent if it is being signed now"
                ),
            ),
            StoreError::NoContactData => pick(
                ru,
                "для исхода «контакт» (contact) нужен --phone или --email".into(),
                "the contact outcome needs --phone or --email".into(),
            ),
            StoreError::BadPhone => pick(
                ru,
                "это не похоже на номер телефона: нужны от 5 до 15 цифр, можно с +, пробелами, скобками и дефисами (+7 900 123-45-67); ничего не записано".into(),
                "that does not look like a phone number: 5 to 15 digits, with +, spaces, brackets and dashes allowed (+7 900 123-45-67); nothing recorded".into(),
            ),
            StoreError::PersonalDataInNote => pick(
                ru,
                "в заметке телефон или e-mail: заметку видят все устройства группы, и отзыв согласия её не сотрёт; \
                 запишите их исходом «контакт» (--phone, --email) с согласием, а из заметки уберите; ничего не записано"
                    .into(),
                "the note holds a phone or e-mail: every device of the group sees notes, and a withdrawn consent does not \
                 erase them; record it with the contact outcome (--phone, --email) under a consent, and take it out of the note; \
                 nothing recorded"
                    .into(),
            ),
            StoreError::NoteTooLong { chars, limit } => pick(
                ru,
                format!("заметка длиннее {limit} знаков (в ней {chars}): ничего не записано; сократите её"),
                format!("the note is longer than {limit} characters (it has {chars}): nothing recorded; shorten it"),
            ),
            StoreError::BadEmail => pick(
                ru,
                "это не похоже на адрес e-mail (имя@почта.ru); ничего не записано".into(),
                "that does not look like an e-mail address (name@mail.example); nothing recorded".into(),
            ),
            StoreError::NoSendingDate => pick(
                ru,
                "для исхода «отправлено» (sent) нужна дата отправки письма: --date".into(),
                "the sent outcome needs the letter's sending date: --date".into(),
            ),
            StoreError::SentLongBefore { date, meeting } => {
                let (date, meeting) = (date.format("%d.%m.%Y"), meeting.format("%d.%m.%Y"));
                pick(
                    ru,
                    format!("дата отправки {date} больше чем за год до собрания {meeting}: проверьте год; ничего не записано"),
                    format!("the sending date {date} is more than a year before the meeting on {meeting}: check the year; nothing recorded"),
                )
            }
            StoreError::NotSentYet { date, today } => {
                let (date, today) = (date.format("%d.%m.%Y"), today.format("%d.%m.%Y"));
                pick(
                    ru,
                    format!("дата отправки {date} ещё не наступила (сегодня {today}): письмо отмечают в день отправки или позже; ничего не записано"),
                    format!("the sending date {date} is still to come (today is {today}): mark a letter on the day it is sent or later; nothing recorded"),
                )
            }
            StoreError::NotSignedYet { date, today } => {
                let (date, today) = (date.format("%d.%m.%Y"), today.format("%d.%m.%Y"));
                pick(
                    ru,
                    format!("день подписи {date} ещё не наступил (сегодня {today}): вручение отмечают в день подписи или позже; ничего не записано"),
                    format!("the signing date {date} is still to come (today is {today}): a delivery is marked on the day signed or later; nothing recorded"),
                )
            }
            StoreError::SignedLongBefore { date, meeting } => {
                let (date, meeting) = (date.format("%d.%m.%Y"), meeting.format("%d.%m.%Y"));
                pick(
                    ru,
                    format!("день подписи {date} больше чем за год до собрания {meeting}: проверьте год; ничего не записано"),
                    format!("the signing date {date} is more than a year before the meeting on {meeting}: check the year; nothing recorded"),
                )
            }
            StoreError::SignedOnOtherOutcome => pick(
                ru,
                "--date — это день подписи для «вручено» (delivered) или день отправки для «отправлено» (sent); у других исходов даты нет".into(),
                "--date is the day signed for delivered or the day sent for sent; other outcomes take no date".into(),
            ),
            StoreError::TrackingForSeveral { premise, owners } => {
                let list = owners.join("», «");
                pick(
                    ru,
                    format!("у помещения {premise} несколько собственников («{list}»): один ШПИ — одно письмо одному адресату; укажите --owner; ничего не записано"),
                    format!("premise {premise} has several owners (`{list}`): one tracking number is one letter to one addressee; give --owner; nothing recorded"),
                )
            }
            StoreError::LetterOnOtherOutcome => pick(
                ru,
                "дата отправки и ШПИ записываются только с исходом «отправлено» (sent)".into(),
                "a sending date or tracking number is recorded only with the sent outcome".into(),
            ),
            StoreError::ContactOnOtherOutcome => pick(
                ru,
                "телефон и e-mail записываются только с исходом «контакт» (contact)".into(),
                "a phone or e-mail is recorded only with the contact outcome".into(),
            ),
            StoreError::ConsentOnOtherOutcome => pick(
                ru,
                "--consent записывает согласие только вместе с исходом «контакт» (contact); согласие без контакта — исход «согласие» (consent)"
                    .into(),
                "--consent records the consent only with the contact outcome; a consent alone is the consent outcome"
                    .into(),
            ),
            StoreError::UnknownFact(id) => pick(
                ru,
                format!("факта {id} нет в кампании (идентификаторы показывает obhod status)"),
                format!("no fact {id} in the campaign (obhod status shows the ids)"),
            ),
            StoreError::AlreadyWithdrawn(id) => {
                pick(ru, format!("факт {id} уже отменён"), format!("fact {id} is already withdrawn"))
            }
            StoreError::WithdrawalOfWithdrawal(id) => pick(
                ru,
                format!("{id} сам является отменой; чтобы вернуть отметку, отметьте заново"),
                format!("{id} is itself a withdrawal; to restore the mark, mark again"),
            ),
            StoreError::UnknownDecision(id) => pick(
                ru,
                format!("решения {id} нет в кампании (идентификаторы показывает obhod ballots list)"),
                format!("no decision {id} in the campaign (obhod ballots list shows the ids)"),
            ),
            StoreError::NotOneDecision { file, found } => pick(
                ru,
                format!("{file}: решений в файле {found}, а заменяет решение ровно одно; ничего не записано"),
                format!("{file}: {found} decisions in the file, and a replacement is exactly one; nothing recorded"),
            ),
            StoreError::ReplacementForAnother { id, premise, owner } => pick(
                ru,
                format!("решение {id} — не решение собственника «{owner}» (помещение {premise}): заменить можно только решением того же собственника; ничего не записано"),
                format!("decision {id} is not of «{owner}» (premise {premise}): only a decision of the same owner replaces it; nothing recorded"),
            ),
            StoreError::DecisionWithdrawn { id, by } => pick(
                ru,
                format!("решение {id} уже отозвано (отзыв {by}); ничего не записано"),
                format!("decision {id} is already withdrawn (withdrawal {by}); nothing recorded"),
            ),
            StoreError::NotOwnDecision { id, device } => pick(
                ru,
                format!("решение {id} внесено другим устройством ({device}): в группе его отзывает только оно само или устройство организатора (как акт счётной комиссии); ничего не записано"),
                format!("decision {id} was recorded by another device ({device}): in a group only that device or the organiser's (as the counting commission's act) withdraws it; nothing recorded"),
            ),
            StoreError::BallotConflict { file, line, premise, owner, earlier, id } => pick(
                ru,
                format!(
                    "{file}:{line}: в кампании уже есть другое решение собственника «{owner}» (помещение {premise}), из {earlier}; ничего не импортировано. Чтобы заменить его, отзовите его: obhod ballots withdraw {id}"
                ),
                format!(
                    "{file}:{line}: the campaign already has a different ballot of «{owner}» (premise {premise}), from {earlier}; nothing imported. To replace it, withdraw it first: obhod ballots withdraw {id}"
                ),
            ),
            StoreError::AlreadyInGroup => pick(
                ru,
                "это устройство уже в группе этой кампании (obhod group members)".into(),
                "this device is already in a group of this campaign (obhod group members)".into(),
            ),
            StoreError::KeySealed => pick(
                ru,
                "ключ группы запечатан паролем: введите пароль, когда obhod его спросит, или задайте его в переменной OBHOD_PASSPHRASE".into(),
                "the group's key is sealed with a passphrase: type it when obhod asks, or set OBHOD_PASSPHRASE".into(),
            ),
            StoreError::WrongPassphrase => pick(
                ru,
                "пароль не подходит к ключу группы; ничего не изменено".into(),
                "the passphrase does not open the group's key; nothing changed".into(),
            ),
            StoreError::PassphraseTooShort { least } => pick(
                ru,
                format!("пароль короче {least} знаков; ключ не запечатан"),
                format!("the passphrase is shorter than {least} characters; the key is not sealed"),
            ),
            StoreError::AlreadySealed => pick(
                ru,
                "ключ группы уже запечатан паролем".into(),
                "the group's key is already sealed with a passphrase".into(),
            ),
            StoreError::UnknownMember { member } => pick(
                ru,
                format!("в группе нет устройства «{member}» (список: obhod group members)"),
                format!("the group has no device «{member}» (see obhod group members)"),
            ),
            StoreError::StaleRevocations => pick(
                ru,
                "список отозванных устройств не новее того, что уже есть; ничего не изменено".into(),
                "the revocation list is not newer than the one already there; nothing changed".into(),
            ),
            StoreError::NoConflict { premise, owner } => pick(
                ru,
                format!(
                    "у собственника «{owner}» (помещение {premise}) нет разных решений; конфликты показывает obhod conflicts"
                ),
                format!("«{owner}» (premise {premise}) has no differing ballots; obhod conflicts lists the conflicts"),
            ),
            StoreError::NoSuchVariant { premise, owner, keep, variants } => pick(
                ru,
                format!(
                    "у собственника «{owner}» (помещение {premise}) нет варианта {keep}: укажите в --keep номер от 1 до {variants} (obhod conflicts)"
                ),
                format!(
                    "«{owner}» (premise {premise}) has no variant {keep}: give --keep a number from 1 to {variants} (obhod conflicts)"
                ),
            ),
            StoreError::ContactsOfAnotherCampaign { campaign } => pick(
                ru,
                format!("контакты пришли из другой кампании ({campaign}); ничего не принято"),
                format!("the contacts come from another campaign ({campaign}); nothing is taken"),
            ),
            StoreError::BadContacts { id } => pick(
                ru,
                format!("контакт {id} от другого устройства повреждён; ничего не принято"),
                format!("contact {id} from another device is malformed; nothing is taken"),
            ),
            StoreError::BadSyncMessage { detail } => pick(
                ru,
                format!("сообщение синхронизации от другого устройства повреждено ({detail}); ничего не принято"),
                format!("a sync message from another device is malformed ({detail}); nothing is taken"),
            ),
            StoreError::ChangeRefused { device, reason } => {
                let (ru_what, en_what) = reason.words();
                let (ru_who, en_who) = match device {
                    Some(device) => (format!(" (устройство {device})"), format!(" (device {device})")),
                    None => (String::new(), String::new()),
                };
                pick(
                    ru,
                    format!("другое устройство прислало изменение, которое группа не принимает{ru_who}: {ru_what}; ничего не принято"),
                    format!("another device sent a change the group does not accept{en_who}: {en_what}; nothing is taken"),
                )
            }
            StoreError::OrganiserOnly => pick(
                ru,
                "в группе это может только устройство организатора (остальные устройства не примут изменение); ничего не записано".into(),
                "in a group only the organiser's device can do this (the other devices would not take the change); nothing recorded".into(),
            ),
            StoreError::DeviceRevoked => pick(
                ru,
                "организатор отозвал это устройство: группа не примет того, что на нём записано теперь; ничего не записано".into(),
                "the organiser revoked this device: the group would not take what is recorded on it now; nothing recorded".into(),
            ),
            StoreError::SyncOfAnotherCampaign => pick(
                ru,
                "другое устройство синхронизирует другую кампанию; ничего не принято".into(),
                "the other device syncs another campaign; nothing is taken".into(),
            ),
            StoreError::MeetingRefused { file, refusal } => meeting_refused(file, refusal, lang),
            StoreError::RegistryRefused { file, refusal } => registry_refused(file, refusal, lang),
            StoreError::Damaged(detail) => {
                pick(ru, format!("хранилище повреждено: {detail}"), format!("the store is damaged: {detail}"))
            }
            StoreError::StoredFilesRefused(error) => pick(
                ru,
                format!(
                    "кампания создана из файлов, которые эта версия obhod не принимает: {}. Исправьте файл и создайте кампанию заново (obhod init) в новом хранилище",
                    error.message(lang)
                ),
                format!(
                    "the campaign was made from files this obhod refuses: {}. Fix the file and create the campaign again (obhod init) in a new store",
                    error.message(lang)
                ),
            ),
            StoreError::File { path, fault } => format!("{}: {}", path.display(), fault.message(lang)),
            StoreError::Vanished { path } => pick(
                ru,
                format!(
                    "{}: файл хранилища удалён или перемещён, пока obhod работал; последняя отметка НЕ записана. Перезапустите obhod",
                    path.display()
                ),
                format!(
                    "{}: the store file was deleted or moved while obhod ran; the last mark is NOT recorded. Restart obhod",
                    path.display()
                ),
            ),
            StoreError::Replaced { path } => pick(
                ru,
                format!(
                    "{}: файл хранилища заменён другим, пока obhod работал; последняя отметка НЕ записана. Перезапустите obhod",
                    path.display()
                ),
                format!(
                    "{}: the store file was replaced by another while obhod ran; the last mark is NOT recorded. Restart obhod",
                    path.display()
                ),
            ),
            StoreError::ReadOnly { path } => pick(
                ru,
                format!(
                    "{}: хранилище доступно только для чтения; ничего не записано. Проверьте права на файл и каталог",
                    path.display()
                ),
                format!(
                    "{}: the store is read-only; nothing is recorded. Check the permissions of the file and its directory",
                    path.display()
                ),
            ),
            StoreError::Corrupt { path, problems } => {
                let found = match (*problems, lang) {
                    (0, Lang::Ru) => "SQLite не может прочесть его страницы".to_string(),
                    (0, Lang::En) => "SQLite cannot read its pages".to_string(),
                    (n, _) => {
                        let n = lang.count(n as u64, ["ошибка", "ошибки", "ошибок"], ["problem", "problems"]);
                        lang.pick(&format!("проверка целостности: {n}"), &format!("the integrity check: {n}")).into()
                    }
                };
                pick(
                    ru,
                    format!(
                        "{}: файл кампании повреждён ({found}): возьмите кампанию заново с устройства группы: на \
                         устройстве организатора obhod group invite, здесь obhod --store НОВЫЙ_ФАЙЛ group join КОД; без \
                         группы верните этот файл из своей резервной копии. Повреждённый файл не изменён",
                        path.display()
                    ),
                    format!(
                        "{}: the campaign file is damaged ({found}): take the campaign again from a device of the \
                         group: obhod group invite on the organiser's device, here obhod --store NEW_FILE group join \
                         CODE; without a group, restore this file from your own backup. The damaged file is left as it is",
                        path.display()
                    ),
                )
            }
            StoreError::DiskFull { path } => pick(
                ru,
                format!("{}: на диске нет места; ничего не записано. Освободите место и повторите", path.display()),
                format!("{}: the disk is full; nothing is recorded. Free some space and try again", path.display()),
            ),
            StoreError::Locked { path } => pick(
                ru,
                format!("{}: хранилище занято другим процессом obhod; повторите позже", path.display()),
                format!("{}: another obhod process holds the store; try again later", path.display()),
            ),
            StoreError::Database { path, detail } => pick(
                ru,
                format!("{}: ошибка базы данных ({detail})", path.display()),
                format!("{}: database error ({detail})", path.display()),
            ),
            StoreError::Sqlite(error) => {
                pick(ru, format!("ошибка базы данных: {error}"), format!("database error: {error}"))
            }
        }
    }
}

/// Which rule of the group a refused change breaks.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Breach {
    /// It deletes or rewrites something already recorded.
    Overwrite,
    /// It changes the document's structure: the registry, the building, a new object, a list.
    Structure,
    /// A fact or ballot without a member's signature.
    Unsigned,
    /// A signature that does not match the record (forged, or moved under another key).
    BadSignature,
    /// Signed by a device that is not in the group.
    UnknownDevice,
    /// A group record not signed by the group's authority.
    GroupForged,
    /// A group record older than the one in force.
    StaleGroup,
    /// A meeting change without the organiser's signature over it.
    MeetingUnsigned,
    /// A registry change without the organiser's signature over it.
    RegistryUnsigned,
    /// A fact or ballot larger than any the write path makes, or a note over its limit.
    TooLarge,
}

impl Breach {
    /// The rule broken, in Russian and in English.
    pub fn words(self) -> (&'static str, &'static str) {
        match self {
            Breach::Overwrite => {
                ("оно удаляет или переписывает уже записанное", "it deletes or rewrites what is recorded")
            }
            Breach::Structure => (
                "оно меняет реестр, адрес дома или устройство документа",
                "it changes the registry, the building's address or the document's structure",
            ),
            Breach::Unsigned => ("запись без подписи устройства группы", "a record without a group device's signature"),
            Breach::BadSignature => {
                ("подпись записи не сходится: запись подделана", "the record's signature does not match: it was forged")
            }
            Breach::UnknownDevice => {
                ("запись подписана устройством не из группы", "the record is signed by a device outside the group")
            }
            Breach::GroupForged => (
                "состав группы изменён без подписи организатора",
                "the group's members were changed without the organiser's signature",
            ),
            Breach::StaleGroup => ("устаревший состав группы", "an outdated record of the group"),
            Breach::TooLarge => (
                "запись длиннее, чем бывает у отметок и бюллетеней (или заметка длиннее 500 знаков)",
                "a record longer than any fact or ballot (or a note over 500 characters)",
            ),
            Breach::MeetingUnsigned => (
                "собрание изменено без подписи устройства организатора",
                "the meeting was changed without the organiser's device's signature",
            ),
            Breach::RegistryUnsigned => (
                "реестр изменён без подписи устройства организатора",
                "the registry was changed without the organiser's device's signature",
            ),
        }
    }
}

/// Why a new meeting is not recorded, and what to do instead.
fn meeting_refused(file: &str, refusal: &Refusal, lang: Lang) -> String {
    let ru = lang == Lang::Ru;
    match refusal {
        Refusal::Registry { campaign, given, line } => pick(
            ru,
            format!(
                "{file}:{line}: building.registry = «{given}», а реестр кампании — «{campaign}»: эта команда меняет \
                 собрание, но не реестр; оставьте registry = «{campaign}»; ничего не записано"
            ),
            format!(
                "{file}:{line}: building.registry = «{given}», while the campaign's registry is «{campaign}»: this \
                 command changes the meeting, not the registry; keep registry = «{campaign}»; nothing recorded"
            ),
        ),
        Refusal::Address { campaign, given } => pick(
            ru,
            format!(
                "{file}: building.address = «{given}» — это другой дом, кампания ведётся по дому «{campaign}»; \
                 собрание другого дома — новая кампания (obhod init с другим --store); ничего не записано"
            ),
            format!(
                "{file}: building.address = «{given}» is another building; the campaign is for «{campaign}»; a \
                 meeting of another building is a new campaign (obhod init with another --store); nothing recorded"
            ),
        ),
        Refusal::Agenda { ballots, questions } => {
            let numbers = questions.iter().map(ToString::to_string).collect::<Vec<_>>().join(", ");
            let (ru_questions, en_questions) =
                if questions.len() == 1 { ("вопрос", "question") } else { ("вопросы", "questions") };
            let decisions = lang.count(*ballots as u64, ["решение", "решения", "решений"], ["decision", "decisions"]);
            pick(
                ru,
                format!(
                    "{file}: повестка другая ({ru_questions} {numbers}), а в кампании уже записаны решения собственников \
                     ({decisions}): они ответили на прежнюю повестку, и менять её нельзя; ничего не записано"
                ),
                format!(
                    "{file}: the agenda differs ({en_questions} {numbers}) while owners' decisions are recorded \
                     ({decisions}): they answered the agenda as it was, so it cannot change; nothing recorded"
                ),
            )
        }
    }
}

/// Why a new registry is not recorded.
fn registry_refused(file: &str, refusal: &obhod_core::registry::update::Refusal, lang: Lang) -> String {
    use obhod_core::registry::update::Refusal as R;
    let ru = lang == Lang::Ru;
    match refusal {
        R::VotingEnded { voting_ends, today } => pick(
            ru,
            format!(
                "{file}: приём решений окончен {} (сегодня {}): в протоколе реестр собственников на день окончания                  голосования, и менять его теперь нельзя; ничего не записано",
                voting_ends.format("%d.%m.%Y"),
                today.format("%d.%m.%Y")
            ),
            format!(
                "{file}: voting ended on {voting_ends} (today is {today}): the protocol's registry of owners is the one                  in force when voting ended, and it cannot change now; nothing recorded"
            ),
        ),
        R::Unchanged => pick(
            ru,
            format!(
                "{file}: помещения, площади, собственники и доли те же, что в реестре кампании; ничего не записано"
            ),
            format!(
                "{file}: the premises, areas, owners and shares are those of the campaign's registry; nothing recorded"
            ),
        ),
    }
}

fn pick(ru: bool, russian: String, english: String) -> String {
    if ru { russian } else { english }
}

/// The outcomes as a Russian reader types them, each with its code: `вручено (delivered)`.
fn outcome_words() -> String {
    let words = obhod_core::Outcome::ALL.iter().map(|o| format!("{} ({})", o.word(), o.code()));
    words.collect::<Vec<_>>().join(", ")
}

fn outcome_codes() -> String {
    obhod_core::Outcome::ALL.iter().map(|o| o.code()).collect::<Vec<_>>().join(", ")
}
