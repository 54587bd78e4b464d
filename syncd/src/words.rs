//! Every failure of sync and joining worded for people, in Russian or English: what happened at an
//! address (nothing answered, a closed port, a refusal and its reason, a connection lost) and what
//! to do about it. Never a library's own text: those go to the log.

use std::net::SocketAddr;

use obhod_core::Lang;
use quinn::{ConnectError, ConnectionError, ReadError, WriteError};

use crate::cert::CertError;
use crate::daemon::DEFAULT_PORT;
use crate::frame::FrameError;
use crate::link::{CONNECT_TIMEOUT, DONE};
use crate::net::{NetError, PROTOCOL_ERROR, TIMED_OUT};
use crate::session::{Refusal, SyncError};

/// What a device was doing when it failed: a word like "another group" means a different thing
/// to a device joining by invite (the invite's fingerprint) than to a member syncing.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Context {
    Sync,
    Join,
}

impl SyncError {
    /// The error worded for people, with the address where it has one.
    pub fn message(&self, lang: Lang) -> String {
        match self {
            SyncError::Unreachable(addr) | SyncError::PortClosed(addr) | SyncError::NoRoute(addr) => {
                format!("{addr}: {}", self.reason(lang, Context::Sync))
            }
            _ => self.reason(lang, Context::Sync),
        }
    }

    /// What happened and what to do, without the address (the caller puts it before).
    pub fn reason(&self, lang: Lang, context: Context) -> String {
        match self {
            SyncError::Store(error) => error.message(lang),
            SyncError::RefusedByPeer(refusal) => refusal.by_peer(lang, context),
            SyncError::RefusedPeer(refusal) => refusal.by_us(lang, context),
            SyncError::MessageRefused(error) => match lang {
                Lang::Ru => format!("это устройство не приняло присланное устройством: {}", error.message(lang)),
                Lang::En => format!("this device refused what the device sent: {}", error.message(lang)),
            },
            SyncError::Protocol(_) => protocol(lang),
            SyncError::Cert(error) => cert(error, lang),
            SyncError::NoGroup => lang
                .pick(
                    "это устройство не состоит в группе: организатор создаёт её (obhod group create), остальные присоединяются по приглашению (obhod group join КОД)",
                    "this device is in no group: the organiser makes one (obhod group create), the others join by invite (obhod group join CODE)",
                )
                .into(),
            SyncError::NotOrganiser => lang
                .pick(
                    "это может только устройство организатора (у него ключ группы)",
                    "only the organiser's device (which holds the group's key) can do this",
                )
                .into(),
            SyncError::NoAddress => lang
                .pick(
                    "нет адреса, на котором можно ждать соединений: устройство не подключено к сети?",
                    "no address to listen on: is this device connected to a network?",
                )
                .into(),
            SyncError::NoPeers => lang
                .pick(
                    "адреса устройств группы ещё неизвестны: укажите адрес, например obhod sync --peer 192.168.1.10:47474 (адрес ноутбука в той же сети Wi-Fi); он запомнится",
                    "no address of the group's devices is known yet: give one, e.g. obhod sync --peer 192.168.1.10:47474 (the laptop's address on the same Wi-Fi); it is remembered",
                )
                .into(),
            SyncError::NoneReached => lang
                .pick(
                    "ни с одним устройством группы связаться не удалось (что случилось по каждому адресу — выше)",
                    "no device of the group was reached (what happened at each address is above)",
                )
                .into(),
            SyncError::JoinUnfinished => lang
                .pick(
                    "приглашение использовано, но устройство не завершило присоединение (связь прервалась): сделайте новое приглашение",
                    "the invite was used, but the device did not finish joining (the connection broke): make a new invite",
                )
                .into(),
            SyncError::Unreachable(addr) => no_answer(addr.port(), lang, context),
            SyncError::PortClosed(addr) => port_closed(addr.port(), lang, context),
            SyncError::NoRoute(_) => no_route(lang),
            SyncError::At { address, error } => format!("{address}: {}", error.reason(lang, context)),
            SyncError::Attempts(attempts) => {
                let mut text = lang
                    .pick("не удалось присоединиться к группе:", "could not join the group:")
                    .to_string();
                for attempt in attempts {
                    text += &format!("\n  {}: {}", attempt.address, attempt.error.reason(lang, Context::Join));
                }
                text
            }
            SyncError::Net(error) => net(error, lang, context),
        }
    }

    /// The kind of failure in a word, for `--json` and the log.
    pub fn code(&self) -> &'static str {
        match self {
            SyncError::Net(NetError::Io(_)) => "network",
            SyncError::Net(NetError::TimedOut(_)) => "timed_out",
            SyncError::Net(NetError::Frame(_)) | SyncError::Protocol(_) => "protocol",
            SyncError::Net(_) => "connection",
            SyncError::Store(error) | SyncError::MessageRefused(error) => error.code(),
            SyncError::RefusedByPeer(refusal) | SyncError::RefusedPeer(refusal) => refusal.word(),
            SyncError::Cert(_) => "certificate",
            SyncError::NoGroup => "no_group",
            SyncError::NotOrganiser => "not_organiser",
            SyncError::NoAddress => "no_address",
            SyncError::NoPeers => "no_peers",
            SyncError::Unreachable(_) => "no_answer",
            SyncError::PortClosed(_) => "port_closed",
            SyncError::NoRoute(_) => "no_route",
            SyncError::At { error, .. } => error.code(),
            SyncError::Attempts(_) => "join_failed",
            SyncError::NoneReached => "none_reached",
            SyncError::JoinUnfinished => "join_unfinished",
        }
    }
}

impl Refusal {
    /// The reason in a word, for `--json` and the log.
    pub fn word(self) -> &'static str {
        match self {
            Refusal::OtherGroup => "other_group",
            Refusal::OtherCampaign => "other_campaign",
            Refusal::Revoked => "revoked",
            Refusal::BadHello => "bad_hello",
            Refusal::InviteUsed => "invite_used",
            Refusal::InviteExpired => "invite_expired",
            Refusal::InviteUnknown => "invite_unknown",
            Refusal::NotOrganiser => "not_organiser",
            Refusal::CertificateRequired => "certificate_required",
            Refusal::OtherVersion => "other_version",
            Refusal::MessageRefused => "message_refused",
            Refusal::Busy => "busy",
            Refusal::KeySealed => "key_sealed",
        }
    }

    /// The other device refused this one, and why.
    pub fn by_peer(self, lang: Lang, context: Context) -> String {
        let (ru, en) = match self {
            Refusal::OtherGroup => (
                "устройство не признаёт это устройство членом своей группы (там другая группа): проверьте адрес",
                "the device does not take this one for a member of its group (it is another group's): check the address",
            ),
            Refusal::Revoked => (
                "организатор исключил это устройство из группы: устройства группы с ним больше не обмениваются; если это ошибка, организатор может пригласить его снова (obhod group invite, затем здесь obhod group join с новым файлом кампании, --store)",
                "the organiser shut this device out of the group: the group's devices no longer exchange with it; if that is a mistake, the organiser can invite it again (obhod group invite, then obhod group join here with a new store file, --store)",
            ),
            Refusal::BadHello => (
                "устройство отвергло приветствие этого устройства (его сертификат не сходится с его данными): присоединитесь к группе заново",
                "the device rejected this device's hello (its certificate does not match its data): join the group again",
            ),
            Refusal::MessageRefused => (
                "устройство не приняло присланное этим устройством (почему — записано в его журнале): обновите obhod на обоих устройствах; если не поможет, сообщите разработчикам",
                "the device refused what this device sent (its log says why): update obhod on both devices; if that does not help, tell the developers",
            ),
            Refusal::Busy => (
                "у устройства открыто столько соединений, сколько оно принимает: попробуйте через минуту",
                "the device has as many connections open as it takes: try again in a minute",
            ),
            _ => return self.either(lang, context),
        };
        lang.pick(ru, en).into()
    }

    /// This device refused the other, and why.
    pub fn by_us(self, lang: Lang, context: Context) -> String {
        let (ru, en) = match (self, context) {
            (Refusal::OtherGroup, Context::Join) => (
                "там устройство другой группы: отпечаток его группы не совпадает с приглашением; проверьте адрес (и что код — от организатора этой группы)",
                "a device of another group is there: its group's fingerprint is not the invite's; check the address (and that the code is from this group's organiser)",
            ),
            (Refusal::OtherGroup, Context::Sync) => (
                "там устройство не из этой группы (его сертификат подписан не ключом группы): проверьте адрес",
                "a device not of this group is there (its certificate was not signed by the group's key): check the address",
            ),
            (Refusal::Revoked, _) => (
                "это устройство организатор исключил из группы: obhod с ним не обменивается",
                "the organiser shut that device out of the group: obhod does not exchange with it",
            ),
            (Refusal::BadHello, _) => (
                "приветствие устройства не сходится с его сертификатом: соединение прервано",
                "the device's hello does not match its certificate: the connection was dropped",
            ),
            (Refusal::MessageRefused, _) => (
                "это устройство не приняло присланное устройством: соединение прервано (почему — в журнале)",
                "this device refused what the device sent: the connection was dropped (the log says why)",
            ),
            (Refusal::Busy, _) => (
                "у этого устройства открыто столько соединений, сколько оно принимает: попробуйте через минуту",
                "this device has as many connections open as it takes: try again in a minute",
            ),
            _ => return self.either(lang, context),
        };
        lang.pick(ru, en).into()
    }

    /// The reasons that read alike whichever side refused.
    fn either(self, lang: Lang, context: Context) -> String {
        let (ru, en) = match self {
            Refusal::OtherCampaign => (
                "у устройства другая кампания (другой дом или собрание): проверьте адрес",
                "the device keeps another campaign (another building or meeting): check the address",
            ),
            Refusal::InviteUsed => (
                "приглашение уже использовано другим устройством: попросите у организатора новое (obhod group invite)",
                "the invite was already used by another device: ask the organiser for a new one (obhod group invite)",
            ),
            Refusal::InviteExpired => (
                "срок приглашения истёк: попросите у организатора новое (obhod group invite)",
                "the invite expired: ask the organiser for a new one (obhod group invite)",
            ),
            Refusal::InviteUnknown => (
                "устройство не выдавало такого приглашения: проверьте, что код — от организатора этой группы и что obhod group invite и obhod syncd там работают с одним файлом кампании",
                "the device made no such invite: check that the code is from this group's organiser and that obhod group invite and obhod syncd there use the same store",
            ),
            Refusal::NotOrganiser => (
                "это устройство группы, но не организатора: присоединиться можно только через устройство организатора (где запущены obhod group invite или obhod syncd)",
                "this is a device of the group, but not the organiser's: a device joins only through the organiser's device (where obhod group invite or obhod syncd runs)",
            ),
            Refusal::CertificateRequired => (
                "устройство не принимает присоединение (на нём старая версия obhod): обновите там obhod или укажите адрес, который напечатала obhod group invite",
                "the device takes no joins (an older obhod runs there): update obhod there, or give the address obhod group invite printed",
            ),
            Refusal::OtherVersion => (
                "у устройства другая версия протокола obhod: обновите obhod на обоих устройствах",
                "the device speaks another version of obhod's protocol: update obhod on both devices",
            ),
            Refusal::KeySealed => (
                "ключ группы на устройстве организатора запечатан паролем, а obhod syncd там запущен без пароля: пусть организатор запустит obhod group invite (она спросит пароль) или перезапустит obhod syncd с паролем",
                "the group's key on the organiser's device is sealed with a passphrase and obhod syncd there runs without it: the organiser runs obhod group invite (it asks for the passphrase) or restarts obhod syncd with it",
            ),
            Refusal::OtherGroup | Refusal::Revoked | Refusal::BadHello | Refusal::MessageRefused | Refusal::Busy => {
                return self.by_us(lang, context);
            }
        };
        lang.pick(ru, en).into()
    }
}

fn listeners(context: Context, lang: Lang) -> &'static str {
    match context {
        Context::Join => lang.pick("obhod syncd или obhod group invite", "obhod syncd or obhod group invite"),
        Context::Sync => "obhod syncd",
    }
}

fn no_answer(port: u16, lang: Lang, context: Context) -> String {
    let seconds = CONNECT_TIMEOUT.as_secs();
    let running = listeners(context, lang);
    match lang {
        Lang::Ru => format!(
            "нет ответа за {seconds} с: проверьте адрес (устройство в той же сети Wi-Fi?), что там запущен {running} и что брандмауэр пропускает UDP-порт {port} (sudo ufw allow {port}/udp)"
        ),
        Lang::En => format!(
            "no answer within {seconds} s: check the address (is the device on the same Wi-Fi?), that {running} runs there, and that the firewall lets UDP port {port} in (sudo ufw allow {port}/udp)"
        ),
    }
}

fn port_closed(port: u16, lang: Lang, context: Context) -> String {
    let running = listeners(context, lang);
    match lang {
        Lang::Ru => format!(
            "устройство есть, но порт {port} закрыт: там не запущен {running}, или порт не тот (obhod syncd слушает {DEFAULT_PORT}), или брандмауэр отклоняет его (sudo ufw allow {port}/udp)"
        ),
        Lang::En => format!(
            "the device is there, but port {port} is closed: {running} does not run there, or the port is wrong (obhod syncd listens on {DEFAULT_PORT}), or a firewall rejects it (sudo ufw allow {port}/udp)"
        ),
    }
}

fn no_route(lang: Lang) -> String {
    lang.pick(
        "до этого адреса нет пути по сети: устройство в другой сети (подключите оба к одной Wi-Fi) или адрес неверен",
        "there is no way to this address from here: the device is on another network (join both to one Wi-Fi) or the address is wrong",
    )
    .into()
}

fn protocol(lang: Lang) -> String {
    lang.pick(
        "устройство нарушило протокол обмена obhod (другая версия?): обновите obhod на обоих устройствах",
        "the device broke obhod's protocol (another version?): update obhod on both devices",
    )
    .into()
}

fn net(error: &NetError, lang: Lang, context: Context) -> String {
    match error {
        NetError::Connection(error)
        | NetError::Read(ReadError::ConnectionLost(error))
        | NetError::Write(WriteError::ConnectionLost(error)) => connection(error, lang),
        NetError::Read(_) | NetError::Write(_) => lang
            .pick(
                "устройство прервало передачу посреди обмена: попробуйте ещё раз",
                "the device broke off the transfer midway: try again",
            )
            .into(),
        NetError::Connect(ConnectError::InvalidRemoteAddress(_)) => lang
            .pick(
                "этот адрес нельзя набрать (порт 0, или адрес IPv6, а у этого устройства IPv6 нет)",
                "this address cannot be dialled (port 0, or an IPv6 address where this device has no IPv6)",
            )
            .into(),
        NetError::Connect(_) => lang
            .pick("соединение не удалось начать: попробуйте ещё раз", "the connection could not be started: try again")
            .into(),
        NetError::Io(error) => io(error, lang, context),
        NetError::Frame(FrameError::MessageTooLong { max }) => match lang {
            Lang::Ru => format!(
                "устройство прислало сообщение больше {} МБ — больше любой настоящей кампании: соединение прервано; обновите obhod на обоих устройствах",
                max / (1024 * 1024)
            ),
            Lang::En => format!(
                "the device sent a message over {} MB, more than any real campaign: the connection was dropped; update obhod on both devices",
                max / (1024 * 1024)
            ),
        },
        NetError::Frame(FrameError::Busy) => lang
            .pick(
                "это устройство сейчас принимает слишком много больших сообщений сразу: попробуйте через минуту",
                "this device is receiving too many large messages at once: try again in a minute",
            )
            .into(),
        NetError::Frame(_) => protocol(lang),
        NetError::TimedOut(_) => lang
            .pick(
                "устройство замолчало посреди обмена (ушло из сети Wi-Fi или уснуло?): попробуйте ещё раз",
                "the device went silent midway (left the Wi-Fi or went to sleep?): try again",
            )
            .into(),
        NetError::Peer(error) => cert(error, lang),
        NetError::NoPeerCertificate => lang
            .pick("устройство не предъявило сертификат группы", "the device showed no certificate of the group")
            .into(),
        NetError::Tls(_) | NetError::NoExporter => lang
            .pick(
                "сертификат этого устройства не годится для защищённого соединения (файл кампании повреждён?)",
                "this device's certificate cannot be used for a secure connection (is the store damaged?)",
            )
            .into(),
    }
}

fn connection(error: &ConnectionError, lang: Lang) -> String {
    match error {
        ConnectionError::TimedOut => lang
            .pick(
                "связь прервалась: устройство перестало отвечать (ушло из сети Wi-Fi или уснуло?); попробуйте ещё раз",
                "the connection broke: the device stopped answering (left the Wi-Fi or went to sleep?); try again",
            )
            .into(),
        ConnectionError::Reset => lang
            .pick(
                "устройство сбросило соединение (оно перезапустилось?): попробуйте ещё раз",
                "the device reset the connection (did it restart?): try again",
            )
            .into(),
        ConnectionError::ApplicationClosed(close) if close.error_code == DONE.into() => lang
            .pick(
                "устройство закрыло соединение (его остановили?): попробуйте ещё раз",
                "the device closed the connection (was it stopped?): try again",
            )
            .into(),
        ConnectionError::ApplicationClosed(close) if close.error_code == PROTOCOL_ERROR => lang
            .pick(
                "устройство закрыло соединение: сообщения этого устройства для него — нарушение протокола (другая версия obhod?); обновите obhod на обоих устройствах",
                "the device closed the connection: this device's messages broke the protocol for it (another version of obhod?); update obhod on both devices",
            )
            .into(),
        ConnectionError::ApplicationClosed(close) if close.error_code == TIMED_OUT => lang
            .pick(
                "устройство закрыло соединение: это устройство замолчало посреди обмена (сеть слишком медленная?); попробуйте ещё раз",
                "the device closed the connection: this device went silent midway for it (is the network too slow?); try again",
            )
            .into(),
        ConnectionError::VersionMismatch => Refusal::OtherVersion.by_peer(lang, Context::Sync),
        ConnectionError::LocallyClosed => lang
            .pick("соединение закрыто на этом устройстве", "the connection was closed on this device")
            .into(),
        ConnectionError::ApplicationClosed(_)
        | ConnectionError::ConnectionClosed(_)
        | ConnectionError::TransportError(_)
        | ConnectionError::CidsExhausted => lang
            .pick(
                "соединение оборвано с ошибкой защищённого канала (другая версия obhod?): обновите obhod на обоих устройствах и попробуйте ещё раз",
                "the connection ended with an error of the secure channel (another version of obhod?): update obhod on both devices and try again",
            )
            .into(),
    }
}

fn io(error: &std::io::Error, lang: Lang, context: Context) -> String {
    use std::io::ErrorKind;
    match error.kind() {
        ErrorKind::AddrInUse => lang
            .pick(
                "порт уже занят: на этом устройстве уже работает obhod syncd или obhod group invite? (или укажите другой порт)",
                "the port is taken: does obhod syncd or obhod group invite already run on this device? (or give another port)",
            )
            .into(),
        ErrorKind::AddrNotAvailable => lang
            .pick(
                "у этого устройства нет такого адреса: укажите один из его адресов (или 0.0.0.0)",
                "this device has no such address: give one of its addresses (or 0.0.0.0)",
            )
            .into(),
        ErrorKind::PermissionDenied => lang
            .pick(
                "нет прав открыть этот порт (порты ниже 1024 — только для администратора): укажите другой",
                "no permission to open this port (ports below 1024 need an administrator): give another",
            )
            .into(),
        ErrorKind::NetworkUnreachable | ErrorKind::HostUnreachable => no_route(lang),
        ErrorKind::ConnectionRefused => match lang {
            Lang::Ru => format!("на том устройстве порт закрыт: там не запущен {}", listeners(context, lang)),
            Lang::En => format!("the port is closed there: {} does not run there", listeners(context, lang)),
        },
        _ => match (lang, error.raw_os_error()) {
            (Lang::Ru, Some(code)) => format!("ошибка сети (код системы {code})"),
            (Lang::En, Some(code)) => format!("a network error (system code {code})"),
            (Lang::Ru, None) => "ошибка сети".into(),
            (Lang::En, None) => "a network error".into(),
        },
    }
}

fn cert(error: &CertError, lang: Lang) -> String {
    let (ru, en) = match error {
        CertError::BadName { .. } => {
            ("недопустимое имя устройства или группы", "a name of a device or group that cannot be used")
        }
        CertError::Rcgen(_) => ("не удалось выпустить сертификат", "a certificate could not be made"),
        CertError::NotOurs(_) => ("сертификат — не от группы obhod", "the certificate is not of an obhod group"),
        CertError::WrongCa => {
            ("сертификат подписан не ключом этой группы", "the certificate was not signed by this group's key")
        }
        CertError::WrongKey => {
            ("сертификат выдан не для ключа этого устройства", "the certificate is not for this device's key")
        }
        CertError::Pem(_) => ("сертификат в файле кампании повреждён", "the certificate in the store is damaged"),
    };
    lang.pick(ru, en).into()
}

/// Where a failure happened, for a line of a report: "ADDRESS: what happened".
pub fn at(address: SocketAddr, error: &SyncError, lang: Lang, context: Context) -> String {
    format!("{address}: {}", error.reason(lang, context))
}
