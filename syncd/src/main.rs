//! `obhod-syncd`: keeps this device's campaign in sync with the group's other devices until
//! SIGTERM or SIGINT, then closes its connections and its store. Logs to stderr (ids and counts,
//! never a name or a phone). Exit code 0 after a clean stop, 1 when it cannot run, 2 for bad usage.

use std::net::SocketAddr;
use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, ValueEnum};
use obhod_core::Lang;
use obhod_syncd::daemon::{DEFAULT_PORT, Daemon, Options};
use obhod_syncd::{Live, SyncError};
use tokio::sync::watch;

/// obhod-syncd: синхронизация кампании с устройствами группы, пока не остановят (SIGTERM, Ctrl-C).
/// Keeps the campaign in sync with the group's devices until stopped (SIGTERM, Ctrl-C).
#[derive(Debug, Parser)]
#[command(name = "obhod-syncd", version)]
struct Args {
    /// Где ждать соединений / where to listen (HOST:PORT) [по умолчанию / default: [::]:47474].
    #[arg(long, value_name = "HOST:PORT", value_parser = address)]
    listen: Option<SocketAddr>,
    /// Устройство, с которым связаться / a peer to dial (HOST:PORT); можно несколько / repeatable.
    #[arg(long, value_name = "HOST:PORT", value_parser = address)]
    peer: Vec<SocketAddr>,
    /// Файл кампании / the campaign store [$OBHOD_STORE, $XDG_DATA_HOME/obhod/obhod.db].
    #[arg(long, value_name = "PATH", env = "OBHOD_STORE")]
    store: Option<PathBuf>,
    /// Не объявлять себя и не искать устройства в локальной сети (mDNS) / no mDNS on the local network.
    #[arg(long)]
    no_mdns: bool,
    /// Язык сообщений / language of messages.
    #[arg(long, value_enum, default_value_t = LangArg::Ru)]
    lang: LangArg,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
enum LangArg {
    Ru,
    En,
}

fn address(text: &str) -> Result<SocketAddr, String> {
    use std::net::ToSocketAddrs;
    let found = text.trim().to_socket_addrs().ok().and_then(|mut addrs| addrs.next());
    found.ok_or_else(|| format!("«{text}»: не адрес АДРЕС:ПОРТ / not a HOST:PORT address"))
}

fn main() -> ExitCode {
    let args = Args::parse();
    let lang = match args.lang {
        LangArg::Ru => Lang::Ru,
        LangArg::En => Lang::En,
    };
    tracing_subscriber::fmt().with_writer(std::io::stderr).with_ansi(false).init();
    let runtime = match tokio::runtime::Builder::new_multi_thread().worker_threads(2).enable_all().build() {
        Ok(runtime) => runtime,
        Err(error) => return fail(&SyncError::Net(error.into()), lang),
    };
    match runtime.block_on(run(args)) {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => fail(&error, lang),
    }
}

fn fail(error: &SyncError, lang: Lang) -> ExitCode {
    eprintln!("obhod-syncd: {}", error.message(lang));
    ExitCode::from(1)
}

async fn run(args: Args) -> Result<(), SyncError> {
    let (stop, stopped) = watch::channel(false);
    let options = Options {
        listen: args.listen.unwrap_or_else(|| {
            let any = obhod_syncd::join::any_address();
            SocketAddr::new(any.ip(), DEFAULT_PORT)
        }),
        peers: args.peer,
        store: args.store.unwrap_or_else(default_store),
        live: Live::default(),
        mdns: !args.no_mdns,
    };
    let daemon = Daemon::bind(options, stopped)?;
    tokio::spawn(async move {
        signals().await;
        stop.send_replace(true);
    });
    daemon.run().await
}

/// SIGTERM or SIGINT.
async fn signals() {
    use tokio::signal::unix::{SignalKind, signal};
    match (signal(SignalKind::terminate()), signal(SignalKind::interrupt())) {
        (Ok(mut term), Ok(mut int)) => {
            tokio::select! {
                _ = term.recv() => {}
                _ = int.recv() => {}
            }
        }
        _ => {
            let _ = tokio::signal::ctrl_c().await;
        }
    }
}

/// obhod's default store: `$XDG_DATA_HOME/obhod/obhod.db` (`~/.local/share/obhod/obhod.db`).
fn default_store() -> PathBuf {
    let data = std::env::var_os("XDG_DATA_HOME")
        .filter(|d| !d.is_empty())
        .map(PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|home| PathBuf::from(home).join(".local/share")))
        .unwrap_or_default();
    data.join("obhod").join("obhod.db")
}
