//! The `zaak` command: check, format and convert process files offline; serve the engine;
//! add users; and work cases and tasks on a running server.

mod bench;
mod check;
mod client;
mod people;
mod pnml;
mod report;
mod serve;

use clap::{Parser, Subcommand, ValueEnum};
use std::process::ExitCode;

#[derive(Parser)]
#[command(name = "zaak", version, about = "Engine for zaakgericht werken")]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

/// Where a running server is, for the commands that talk to one.
#[derive(clap::Args)]
struct Server {
    /// The server's base URL. The token is read from ZAAK_TOKEN.
    #[arg(
        long,
        global = true,
        env = "ZAAK_URL",
        default_value = "http://127.0.0.1:8080"
    )]
    url: String,
}

#[derive(Subcommand)]
enum Command {
    /// Check process files and directories (.zaak, .yaml, .yml) and PNML nets (.pnml): syntax,
    /// names, types and soundness. Exit 1 when any has an error.
    Check {
        #[arg(required = true)]
        paths: Vec<String>,
        #[arg(long, value_enum, default_value_t = Format::Human)]
        format: Format,
        /// The most markings the soundness check explores per process before it gives up.
        #[arg(long, default_value_t = zaak_engine::soundness::DEFAULT_LIMIT)]
        limit: usize,
    },
    /// Rewrite text process files in the canonical layout.
    Fmt {
        #[arg(required = true)]
        files: Vec<String>,
        /// Only report files that are not formatted; exit 1 if any.
        #[arg(long)]
        check: bool,
    },
    /// Draw a process as a diagram (Graphviz DOT or Mermaid).
    Graph {
        file: String,
        #[arg(long, value_enum, default_value_t = GraphFormat::Mermaid)]
        format: GraphFormat,
    },
    /// Print a process in the other syntax; a PNML net becomes a process skeleton.
    Convert {
        file: String,
        #[arg(long, value_enum)]
        to: Target,
    },
    /// Serve the HTTP API, deploying the process files of a directory at start.
    Serve {
        /// sqlite://path (created if missing) or postgres://...
        #[arg(long, default_value = "sqlite://zaak.db")]
        db: String,
        #[arg(long, default_value = "127.0.0.1:8080")]
        addr: String,
        /// Process files deployed at start [default: ./processes, skipped when missing].
        #[arg(long)]
        processes: Option<String>,
        /// The municipality's calendar file (TOML): days set equal to holidays by a Royal
        /// Decree not yet shipped with Zaak, and the municipality's closing days. See
        /// docs/calendar.md.
        #[arg(long)]
        calendar: Option<String>,
    },
    /// Manage the users who may call the API (in the database, without a token).
    User {
        #[command(subcommand)]
        command: people::UserCommand,
    },
    /// Start, show and list cases on a running server.
    Case {
        #[command(subcommand)]
        command: CaseCommand,
        #[command(flatten)]
        server: Server,
    },
    /// List, claim and complete tasks on a running server.
    Task {
        #[command(subcommand)]
        command: TaskCommand,
        #[command(flatten)]
        server: Server,
    },
    /// A team's members, their process roles, and how its new tasks are assigned (in the
    /// database, like `user add`).
    Team {
        #[command(subcommand)]
        command: people::TeamCommand,
    },
    /// Measure throughput and latency on a database of its own; prints one JSON line.
    Bench(bench::BenchArgs),
    /// Deploy a process file to a running server.
    Deploy {
        file: String,
        #[command(flatten)]
        server: Server,
    },
    /// Lead-time figures of the stored cases, as a table or JSON.
    Report(report::ReportArgs),
    /// Write the stored cases as an event log.
    Export {
        #[command(subcommand)]
        command: report::ExportCommand,
    },
    /// Store the cases of an event log as historical cases.
    Import {
        #[command(subcommand)]
        command: report::ImportCommand,
    },
}

#[derive(Subcommand)]
enum CaseCommand {
    /// Start a case of a process.
    Start {
        process: String,
        /// The case data as a JSON object.
        #[arg(long)]
        data: Option<String>,
    },
    Show {
        id: i64,
    },
    List {
        #[arg(long)]
        process: Option<String>,
        #[arg(long)]
        status: Option<String>,
        /// Only open (true) or closed (false) cases.
        #[arg(long)]
        open: Option<bool>,
    },
}

#[derive(Subcommand)]
enum TaskCommand {
    /// Your teams' queue, or with --mine the tasks you hold.
    List {
        #[arg(long)]
        team: Option<String>,
        #[arg(long)]
        mine: bool,
    },
    Claim {
        id: i64,
    },
    Complete {
        id: i64,
        #[arg(long)]
        outcome: Option<String>,
        /// The form data as a JSON object.
        #[arg(long)]
        data: Option<String>,
    },
}

#[derive(Clone, Copy, ValueEnum)]
pub enum Format {
    Human,
    Json,
}

#[derive(Clone, Copy, ValueEnum)]
pub enum GraphFormat {
    Dot,
    Mermaid,
}

#[derive(Clone, Copy, ValueEnum)]
pub enum Target {
    Zaak,
    Yaml,
}

/// A command whose output goes to a pipe that closes early (`zaak report | head`) stops quietly,
/// as Unix tools do, instead of panicking in `println!`: Rust ignores SIGPIPE, so every write
/// to the closed pipe would fail. Only for the commands that work offline and print: the
/// others talk over sockets, where a peer that went away must be an error, not the end.
#[cfg(unix)]
fn stop_quietly_on_closed_pipe() {
    // SAFETY: `signal` with SIG_DFL only resets the action of SIGPIPE; it runs first thing in
    // `main`, before any other thread exists, so nothing races with it.
    unsafe {
        libc::signal(libc::SIGPIPE, libc::SIG_DFL);
    }
}

#[cfg(not(unix))]
fn stop_quietly_on_closed_pipe() {}

/// Runs an async command on the one tokio runtime a `zaak` process builds.
pub fn block_on<F: std::future::Future<Output = ExitCode>>(work: F) -> ExitCode {
    match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(rt) => rt.block_on(work),
        Err(e) => {
            eprintln!("error: cannot start the async runtime: {e}");
            ExitCode::FAILURE
        }
    }
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    if matches!(
        cli.command,
        Command::Check { .. }
            | Command::Fmt { .. }
            | Command::Convert { .. }
            | Command::Graph { .. }
            | Command::Report(_)
            | Command::Export { .. }
    ) {
        stop_quietly_on_closed_pipe();
    }
    match cli.command {
        Command::Check {
            paths,
            format,
            limit,
        } => check::check(&paths, format, limit),
        Command::Fmt { files, check } => check::fmt(&files, check),
        Command::Convert { file, to } => check::convert(&file, to),
        Command::Graph { file, format } => check::graph(&file, format),
        Command::Serve {
            db,
            addr,
            processes,
            calendar,
        } => serve::serve(&db, &addr, processes.as_deref(), calendar.as_deref()),
        Command::User { command } => people::run_user(command),
        Command::Case { command, server } => {
            let c = client::Client::new(&server.url);
            match command {
                CaseCommand::Start { process, data } => c.case_start(&process, data.as_deref()),
                CaseCommand::Show { id } => c.case_show(id),
                CaseCommand::List {
                    process,
                    status,
                    open,
                } => c.case_list(process.as_deref(), status.as_deref(), open),
            }
        }
        Command::Task { command, server } => {
            let c = client::Client::new(&server.url);
            match command {
                TaskCommand::List { team, mine } => c.task_list(team.as_deref(), mine),
                TaskCommand::Claim { id } => c.task_claim(id),
                TaskCommand::Complete { id, outcome, data } => {
                    c.task_complete(id, outcome.as_deref(), data.as_deref())
                }
            }
        }
        Command::Team { command } => people::run_team(command),
        Command::Bench(args) => bench::bench(args),
        Command::Deploy { file, server } => client::Client::new(&server.url).deploy(&file),
        Command::Report(args) => report::run_report(args),
        Command::Export { command } => report::run_export(command),
        Command::Import { command } => report::run_import(command),
    }
}
