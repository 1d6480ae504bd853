//! `zaak serve`: the HTTP API on a database, with the process files of a directory deployed.

use crate::check::check_file_with;
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Duration;
use tokio::net::TcpListener;
use zaak::server::{app, AppState};
use zaak_app::App;
use zaak_dsl::{Diagnostic, Syntax};
use zaak_runtime::{Calendar, Redeploy, Runtime, RuntimeOptions};

/// How often due timers are looked for.
const TIMER_INTERVAL: Duration = Duration::from_secs(5);

pub const DEFAULT_PROCESSES: &str = "./processes";

/// Logs to stderr; `RUST_LOG` chooses what, `info` when unset.
fn init_logs() {
    let filter = tracing_subscriber::EnvFilter::try_from_default_env()
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info"));
    let _ = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr)
        .with_ansi(std::io::IsTerminal::is_terminal(&std::io::stderr()))
        .try_init();
}

/// Every process file under a directory, sorted, so that start-up deploys in a fixed order.
fn process_files(dir: &Path) -> std::io::Result<Vec<PathBuf>> {
    let mut out = Vec::new();
    for entry in std::fs::read_dir(dir)? {
        let path = entry?.path();
        if path.is_dir() {
            out.extend(process_files(&path)?);
        } else if Syntax::from_path(&path.to_string_lossy()).is_some() {
            out.push(path);
        }
    }
    out.sort();
    Ok(out)
}

/// Checks every process file in the directory and deploys them all, or none when any has an
/// error (whose diagnostics are printed). A file is deployed when its content differs from
/// every stored version of its process: a file equal to an older version never puts that
/// version back on top of one deployed later through the API.
async fn deploy_directory(runtime: &Runtime, dir: &Path, explicit: bool) -> Result<(), ExitCode> {
    if !dir.is_dir() {
        if explicit {
            eprintln!("error: {}: no such directory", dir.display());
            return Err(ExitCode::from(2));
        }
        tracing::info!(dir = %dir.display(), "no process directory; nothing deployed at start");
        return Ok(());
    }
    let files = process_files(dir).map_err(|e| {
        eprintln!("error: {}: {e}", dir.display());
        ExitCode::from(2)
    })?;
    let mut checked = Vec::new();
    let mut failed = false;
    for path in &files {
        let (file, diags) =
            check_file_with(path, zaak_engine::soundness::DEFAULT_LIMIT).map_err(|e| {
                eprintln!("error: {e}");
                ExitCode::from(2)
            })?;
        for d in &diags {
            eprintln!("{}", file.render(d));
        }
        failed |= diags.iter().any(Diagnostic::is_error);
        checked.push((path, file));
    }
    if failed {
        eprintln!(
            "error: a process in {} has errors; the server does not start",
            dir.display()
        );
        return Err(ExitCode::from(1));
    }
    for (path, file) in checked {
        let syntax = Syntax::from_path(&file.path).unwrap_or(Syntax::Yaml);
        match runtime
            .deploy(&file.text, syntax, Redeploy::UnlessStored)
            .await
        {
            Ok(d) if d.created => {
                tracing::info!(process = %d.key, version = d.version, file = %path.display(), "deployed")
            }
            Ok(d) => {
                tracing::info!(process = %d.key, version = d.version, file = %path.display(), "already deployed as this version")
            }
            Err(zaak_runtime::Error::Invalid(diags)) => {
                for d in &diags {
                    eprintln!("{}", file.render(d));
                }
                eprintln!(
                    "error: {} cannot be deployed; the server does not start",
                    path.display()
                );
                return Err(ExitCode::from(1));
            }
            Err(e) => {
                eprintln!("error: {}: {e}", path.display());
                return Err(ExitCode::FAILURE);
            }
        }
    }
    Ok(())
}

/// Waits for Ctrl-C or SIGTERM.
async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        _ = ctrl_c => {},
        _ = terminate => {},
    }
    tracing::info!("shutting down: finishing the requests in flight");
}

/// The calendar terms are counted with: the Awt's holidays and the shipped decrees, and the
/// municipality's own file when one is given. A file with any mistake stops the start, every
/// mistake printed with its line.
fn calendar(file: Option<&str>) -> Result<Calendar, ExitCode> {
    let calendar = Calendar::netherlands();
    let Some(path) = file else {
        return Ok(calendar);
    };
    let text = std::fs::read_to_string(path).map_err(|e| {
        eprintln!("error: {path}: {e}");
        ExitCode::from(2)
    })?;
    match zaak_engine::calendar::file::parse(&text) {
        Ok(parsed) => Ok(calendar.with_file(parsed)),
        Err(errors) => {
            for e in errors {
                eprintln!(
                    "{path}:{}:{}: error: {}: {}",
                    e.line, e.column, e.field, e.message
                );
            }
            eprintln!("error: {path} has mistakes; the server does not start");
            Err(ExitCode::from(2))
        }
    }
}

pub fn serve(
    db: &str,
    addr: &str,
    processes: Option<&str>,
    calendar_file: Option<&str>,
) -> ExitCode {
    init_logs();
    let calendar = match calendar(calendar_file) {
        Ok(c) => c,
        Err(code) => return code,
    };
    if let Some(year) = calendar.last_decreed_year() {
        tracing::info!(
            last_decreed_year = year,
            "days set equal to holidays are known up to this year"
        );
    }
    crate::block_on(async {
        let options = RuntimeOptions {
            calendar,
            ..RuntimeOptions::default()
        };
        let runtime = match Runtime::open(db, options).await {
            Ok(r) => r,
            Err(e) => {
                eprintln!("error: cannot open {db}: {e}");
                return ExitCode::FAILURE;
            }
        };
        let dir = Path::new(processes.unwrap_or(DEFAULT_PROCESSES));
        if let Err(code) = deploy_directory(&runtime, dir, processes.is_some()).await {
            return code;
        }
        let addr: SocketAddr = match addr.parse() {
            Ok(a) => a,
            Err(_) => {
                eprintln!("error: `{addr}` is not an address like 127.0.0.1:8080");
                return ExitCode::from(2);
            }
        };
        let listener = match TcpListener::bind(addr).await {
            Ok(l) => l,
            Err(e) => {
                eprintln!("error: cannot listen on {addr}: {e}");
                return ExitCode::FAILURE;
            }
        };
        let bound = listener.local_addr().unwrap_or(addr);
        // The first line on stdout is the address, so that scripts can bind to port 0.
        println!("zaak listening on http://{bound}");
        tracing::info!(addr = %bound, "listening");
        let timers = runtime.spawn_timer_loop(TIMER_INTERVAL);
        let served = axum::serve(listener, app(AppState::new(App::new(runtime))))
            .with_graceful_shutdown(shutdown_signal())
            .await;
        timers.abort();
        match served {
            Ok(()) => ExitCode::SUCCESS,
            Err(e) => {
                eprintln!("error: {e}");
                ExitCode::FAILURE
            }
        }
    })
}
