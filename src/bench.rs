//! `zaak bench`: how many cases the durable runtime carries on this machine, measured against
//! the disk's own durable commit rate, and how fast a team's queue comes back at scale.
//!
//! Every run works in a database it creates itself and removes afterwards: a fresh SQLite file
//! (in a new temporary directory, or at a `--db sqlite://` path that must not exist yet) or, for
//! `--db postgres://...`, a new database `zaak_bench_<random>` on that server, dropped at the end.
//! The processes it runs are generated here, except `permit`, which is the library's
//! omgevingsvergunning.
//!
//! Each run prints one JSON line on stdout, so that scripts can collect the figures.

use miette::{miette, IntoDiagnostic, Result};
use rand::Rng;
use serde_json::{json, Value};
use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};
use zaak::server::{app, AppState};
use zaak_runtime::analytics::Filter;
use zaak_runtime::{
    CaseFilter, CaseId, Command, Data, Durability, Membership, NewUser, Page, Redeploy, Runtime,
    RuntimeOptions, Syntax, TaskId, TaskState, UserRole,
};

#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum Workload {
    /// Start -> one automatic step -> end: the shape peers publish.
    Straight,
    /// Ten automatic steps in sequence.
    TenSteps,
    /// Start -> a task for a team -> claim -> complete -> end.
    Human,
    /// The library's omgevingsvergunning with a mix of outcomes, completion requests and advice.
    Permit,
    /// A million open tasks over fifty teams: how fast the next page of one team's queue comes.
    Worklist,
    /// `--cases` closed cases imported as history: how fast the lead-time report over all of
    /// them comes, the first time and after.
    Report,
}

impl Workload {
    fn name(self) -> &'static str {
        match self {
            Workload::Straight => "straight",
            Workload::TenSteps => "ten-steps",
            Workload::Human => "human",
            Workload::Permit => "permit",
            Workload::Worklist => "worklist",
            Workload::Report => "report",
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum DurabilityArg {
    Full,
    Normal,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum Via {
    /// Call the runtime in this process.
    Inproc,
    /// Call the HTTP API: a server started here on the bench database, or the one at `--url`.
    Http,
}

/// The options of `zaak bench`.
#[derive(clap::Args, Debug)]
pub struct BenchArgs {
    #[arg(long, value_enum)]
    pub workload: Option<Workload>,
    /// How many cases the workload runs to their end.
    #[arg(long, default_value_t = 2000)]
    pub cases: u64,
    /// sqlite://path (must not exist yet) or postgres://... (a new database is created there);
    /// a fresh temporary SQLite file when left out.
    #[arg(long)]
    pub db: Option<String>,
    #[arg(long, value_enum, default_value_t = DurabilityArg::Full)]
    pub durability: DurabilityArg,
    /// How many cases are driven at the same time, so that group commit has work to batch.
    #[arg(long, default_value_t = 32)]
    pub concurrency: usize,
    #[arg(long, value_enum, default_value_t = Via::Inproc)]
    pub via: Via,
    /// A running server for `--via http` (token from ZAAK_TOKEN, with the admin role); without
    /// it, a server is started in this process on the bench database.
    #[arg(long)]
    pub url: Option<String>,
    /// Measure the backend's raw durable commit rate first: one-row commits, and rows per second
    /// in commits of 256 rows.
    #[arg(long)]
    pub ceiling: bool,
    /// How long each ceiling measurement runs.
    #[arg(long, default_value_t = 3.0)]
    pub ceiling_seconds: f64,
    /// Open tasks for the worklist workload.
    #[arg(long, default_value_t = 1_000_000)]
    pub tasks: u64,
    /// Teams the worklist's tasks are spread over.
    #[arg(long, default_value_t = 50)]
    pub teams: u64,
    /// How many times the worklist workload fetches a page of one team's queue; for the report
    /// workload, how many reports it makes (2 to 20).
    #[arg(long, default_value_t = 1000)]
    pub fetches: u64,
}

pub fn bench(args: BenchArgs) -> ExitCode {
    let rt = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(rt) => rt,
        Err(e) => {
            eprintln!("error: cannot start the async runtime: {e}");
            return ExitCode::FAILURE;
        }
    };
    match rt.block_on(run(args)) {
        Ok(line) => {
            println!("{line}");
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::FAILURE
        }
    }
}

async fn run(args: BenchArgs) -> Result<Value> {
    if args.workload.is_none() && !args.ceiling {
        return Err(miette!("give --workload, --ceiling or both"));
    }
    if args.cases == 0 || args.concurrency == 0 {
        return Err(miette!("--cases and --concurrency must be at least 1"));
    }
    let ceiling = if args.ceiling {
        let db = BenchDb::create(args.db.as_deref()).await?;
        let measured = measure_ceiling(&db, args.ceiling_seconds).await;
        db.remove().await;
        Some(measured?)
    } else {
        None
    };
    let Some(workload) = args.workload else {
        let mut line = ceiling.unwrap_or(Value::Null);
        line["what"] = json!("ceiling");
        return Ok(line);
    };
    let db = BenchDb::create(args.db.as_deref()).await?;
    let result = match workload {
        Workload::Worklist => worklist(&db, &args).await,
        Workload::Report => report(&db, &args).await,
        _ => cases(&db, workload, &args).await,
    };
    db.remove().await;
    let mut line = result?;
    if let Some(ceiling) = ceiling {
        if let (Some(ours), Some(batched), Some(single)) = (
            line["commands_per_second"].as_f64(),
            ceiling["batched_rows_per_second"].as_f64(),
            ceiling["single_commits_per_second"].as_f64(),
        ) {
            line["share_of_batched_ceiling"] = json!(round(ours / batched, 4));
            line["times_single_commit_rate"] = json!(round(ours / single, 2));
            if let Some(per_statement) =
                ceiling["batched_rows_per_second_one_statement_per_row"].as_f64()
            {
                line["share_of_statement_per_row_ceiling"] = json!(round(ours / per_statement, 4));
            }
        }
        line["ceiling"] = ceiling;
    }
    Ok(line)
}

fn round(x: f64, digits: i32) -> f64 {
    let f = 10f64.powi(digits);
    (x * f).round() / f
}

// ---------------------------------------------------------------------------------------------
// The database a run creates and removes.

enum Owned {
    /// A SQLite file and its WAL companions; the directory too when it was made for the run.
    Sqlite { file: PathBuf, dir: Option<PathBuf> },
    /// A database created on a PostgreSQL server, dropped through the server's URL.
    Postgres { server_url: String, name: String },
}

struct BenchDb {
    url: String,
    owned: Owned,
}

fn random_suffix() -> String {
    let mut rng = rand::thread_rng();
    (0..10)
        .map(|_| char::from(b'a' + rng.gen_range(0..26u8)))
        .collect()
}

/// The URL with its database name replaced; `postgres://u@h:5432/x?sslmode=y` keeps the rest.
fn with_database(url: &str, name: &str) -> Result<String> {
    let (base, query) = match url.split_once('?') {
        Some((b, q)) => (b, Some(q)),
        None => (url, None),
    };
    let scheme_end = base
        .find("://")
        .ok_or_else(|| miette!("`{url}` is not a postgres:// URL"))?
        + 3;
    let host_part = match base[scheme_end..].find('/') {
        Some(i) => &base[..scheme_end + i],
        None => base,
    };
    Ok(match query {
        Some(q) => format!("{host_part}/{name}?{q}"),
        None => format!("{host_part}/{name}"),
    })
}

impl BenchDb {
    async fn create(db: Option<&str>) -> Result<BenchDb> {
        match db {
            None => {
                let dir = std::env::temp_dir().join(format!("zaak-bench-{}", random_suffix()));
                std::fs::create_dir(&dir).into_diagnostic()?;
                let file = dir.join("bench.db");
                Ok(BenchDb {
                    url: format!("sqlite://{}", file.display()),
                    owned: Owned::Sqlite {
                        file,
                        dir: Some(dir),
                    },
                })
            }
            Some(url) if url.starts_with("sqlite:") => {
                let path = url
                    .trim_start_matches("sqlite:")
                    .trim_start_matches("//")
                    .split('?')
                    .next()
                    .unwrap_or_default();
                let file = PathBuf::from(path);
                if path.is_empty() || file.exists() {
                    return Err(miette!(
                        "{url}: the bench only works in a database it creates; name a file that does not exist yet"
                    ));
                }
                Ok(BenchDb {
                    url: format!("sqlite://{}", file.display()),
                    owned: Owned::Sqlite { file, dir: None },
                })
            }
            Some(url) if url.starts_with("postgres:") || url.starts_with("postgresql:") => {
                use sqlx::Connection;
                let name = format!("zaak_bench_{}", random_suffix());
                let mut conn = sqlx::PgConnection::connect(url).await.into_diagnostic()?;
                sqlx::query(&format!("CREATE DATABASE {name}"))
                    .execute(&mut conn)
                    .await
                    .into_diagnostic()?;
                let _ = conn.close().await;
                Ok(BenchDb {
                    url: with_database(url, &name)?,
                    owned: Owned::Postgres {
                        server_url: url.to_string(),
                        name,
                    },
                })
            }
            Some(url) => Err(miette!("{url}: give sqlite://path or postgres://...")),
        }
    }

    fn backend(&self) -> &'static str {
        match self.owned {
            Owned::Sqlite { .. } => "sqlite",
            Owned::Postgres { .. } => "postgres",
        }
    }

    /// Deletes what [`BenchDb::create`] made.
    async fn remove(self) {
        match self.owned {
            Owned::Sqlite { file, dir } => {
                for suffix in ["", "-wal", "-shm", "-journal"] {
                    let mut p = file.clone().into_os_string();
                    p.push(suffix);
                    let _ = std::fs::remove_file(PathBuf::from(p));
                }
                if let Some(dir) = dir {
                    let _ = std::fs::remove_dir_all(dir);
                }
            }
            Owned::Postgres { server_url, name } => {
                use sqlx::Connection;
                match sqlx::PgConnection::connect(&server_url).await {
                    Ok(mut conn) => {
                        let dropped =
                            sqlx::query(&format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
                                .execute(&mut conn)
                                .await;
                        if let Err(e) = dropped {
                            eprintln!("warning: could not drop database {name}: {e}");
                        }
                        let _ = conn.close().await;
                    }
                    Err(e) => eprintln!("warning: could not drop database {name}: {e}"),
                }
            }
        }
    }
}

// ---------------------------------------------------------------------------------------------
// The ceiling: what the disk (or server) commits durably with nothing of ours in the way.

const CEILING_BATCH: usize = 256;

/// One-row commits for `limit`; then commits of [`CEILING_BATCH`] rows written by one
/// multi-row statement (the disk's ceiling for batched commits); then commits of as many rows
/// written one statement each (what a store that sends a statement per row can reach).
/// A macro, since the two backends' connections share no trait that binds a `&str` simply.
macro_rules! ceiling_loops {
    ($conn:expr, $insert:expr, $insert_many:expr, $payload:expr, $limit:expr) => {{
        let started = Instant::now();
        let mut commits = 0u64;
        while started.elapsed() < $limit {
            sqlx::query($insert)
                .bind($payload)
                .execute(&mut $conn)
                .await
                .into_diagnostic()?;
            commits += 1;
        }
        let single = commits as f64 / started.elapsed().as_secs_f64();
        let started = Instant::now();
        let mut rows = 0u64;
        while started.elapsed() < $limit {
            sqlx::query($insert_many)
                .bind($payload)
                .execute(&mut $conn)
                .await
                .into_diagnostic()?;
            rows += CEILING_BATCH as u64;
        }
        let batched = rows as f64 / started.elapsed().as_secs_f64();
        let started = Instant::now();
        let mut rows = 0u64;
        while started.elapsed() < $limit {
            sqlx::query("BEGIN")
                .execute(&mut $conn)
                .await
                .into_diagnostic()?;
            for _ in 0..CEILING_BATCH {
                sqlx::query($insert)
                    .bind($payload)
                    .execute(&mut $conn)
                    .await
                    .into_diagnostic()?;
            }
            sqlx::query("COMMIT")
                .execute(&mut $conn)
                .await
                .into_diagnostic()?;
            rows += CEILING_BATCH as u64;
        }
        (
            single,
            batched,
            rows as f64 / started.elapsed().as_secs_f64(),
        )
    }};
}

async fn measure_ceiling(db: &BenchDb, seconds: f64) -> Result<Value> {
    let limit = Duration::from_secs_f64(seconds.max(0.1));
    let payload = "x".repeat(200);
    let many = |placeholder: &str| {
        let rows = vec![format!("({placeholder})"); CEILING_BATCH];
        format!("INSERT INTO ceiling (payload) VALUES {}", rows.join(", "))
    };
    let (single, batched, per_statement) = match db.owned {
        Owned::Sqlite { .. } => {
            use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqliteSynchronous};
            use sqlx::ConnectOptions;
            use std::str::FromStr;
            let mut conn = SqliteConnectOptions::from_str(&db.url)
                .into_diagnostic()?
                .create_if_missing(true)
                .journal_mode(SqliteJournalMode::Wal)
                .synchronous(SqliteSynchronous::Full)
                .connect()
                .await
                .into_diagnostic()?;
            sqlx::query("CREATE TABLE ceiling (id INTEGER PRIMARY KEY, payload TEXT NOT NULL)")
                .execute(&mut conn)
                .await
                .into_diagnostic()?;
            ceiling_loops!(
                conn,
                "INSERT INTO ceiling (payload) VALUES (?)",
                &many("?1"),
                &payload,
                limit
            )
        }
        Owned::Postgres { .. } => {
            use sqlx::Connection;
            let mut conn = sqlx::PgConnection::connect(&db.url)
                .await
                .into_diagnostic()?;
            sqlx::query("CREATE TABLE ceiling (id BIGSERIAL PRIMARY KEY, payload TEXT NOT NULL)")
                .execute(&mut conn)
                .await
                .into_diagnostic()?;
            ceiling_loops!(
                conn,
                "INSERT INTO ceiling (payload) VALUES ($1)",
                &many("$1"),
                &payload,
                limit
            )
        }
    };
    Ok(json!({
        "backend": db.backend(),
        "durability": "full",
        "single_commits_per_second": round(single, 1),
        "batch_rows": CEILING_BATCH,
        "batched_rows_per_second": round(batched, 1),
        "batched_commits_per_second": round(batched / CEILING_BATCH as f64, 1),
        "batched_rows_per_second_one_statement_per_row": round(per_statement, 1),
    }))
}

// ---------------------------------------------------------------------------------------------
// The processes the workloads run.

const STRAIGHT: &str = r#"process bench_straight version 1 {
    title "Bench: one automatic step"
    start registreren
    status ontvangen "Wij hebben uw aanvraag ontvangen."
    result afgehandeld "Afgehandeld" destroy after 1 years
    auto registreren "Registreren" {
        status ontvangen
        then einde
    }
    end einde result afgehandeld
}
"#;

const HUMAN: &str = r#"process bench_human version 1 {
    title "Bench: one task for a team"
    start registreren
    status ontvangen "Wij hebben uw aanvraag ontvangen."
    result afgehandeld "Afgehandeld" destroy after 1 years
    team behandeling "Behandeling"
    auto registreren "Registreren" {
        status ontvangen
        then behandelen
    }
    task behandelen "Behandelen" {
        team behandeling
        then einde
    }
    end einde result afgehandeld
}
"#;

const PERMIT: &str = include_str!("../processes/omgevingsvergunning.zaak");

/// Ten automatic steps in a row.
fn ten_steps() -> String {
    let mut src = String::from(
        "process bench_ten_steps version 1 {\n    title \"Bench: ten automatic steps\"\n    start stap1\n    status ontvangen \"Wij hebben uw aanvraag ontvangen.\"\n    result afgehandeld \"Afgehandeld\" destroy after 1 years\n",
    );
    for i in 1..=10 {
        let next = if i == 10 {
            "einde".to_string()
        } else {
            format!("stap{}", i + 1)
        };
        let status = if i == 1 {
            "        status ontvangen\n"
        } else {
            ""
        };
        src.push_str(&format!(
            "    auto stap{i} \"Stap {i}\" {{\n{status}        then {next}\n    }}\n"
        ));
    }
    src.push_str("    end einde result afgehandeld\n}\n");
    src
}

/// Every team a bench user must be in to claim the workloads' tasks.
const TEAMS: [&str; 5] = [
    "behandeling",
    "intake",
    "vergunningen",
    "welstand",
    "brandveiligheid",
];

/// The mix of permit cases, case `i` taking entry `i % 10`.
#[derive(Clone, Copy, Debug)]
enum Permit {
    /// A monument: incomplete first, completed after the request, advice in parallel, granted.
    MonumentWithCompletion,
    /// Felling a tree: complete, no advice, refused.
    TreeRefused,
    /// A large building: advice in parallel, granted.
    LargeBuildingGranted,
    /// The applicant withdraws during the completeness check.
    Withdrawn,
}

const PERMIT_MIX: [Permit; 10] = [
    Permit::MonumentWithCompletion,
    Permit::TreeRefused,
    Permit::LargeBuildingGranted,
    Permit::TreeRefused,
    Permit::MonumentWithCompletion,
    Permit::LargeBuildingGranted,
    Permit::TreeRefused,
    Permit::LargeBuildingGranted,
    Permit::MonumentWithCompletion,
    Permit::Withdrawn,
];

fn object(v: Value) -> Data {
    match v {
        Value::Object(m) => m,
        _ => Data::new(),
    }
}

fn permit_start(kind: Permit) -> Data {
    object(match kind {
        Permit::MonumentWithCompletion => {
            json!({"aanvrager": "Jan", "adres": "Kerkstraat 1", "activiteit": "bouwen", "monument": true})
        }
        Permit::LargeBuildingGranted => {
            json!({"aanvrager": "Ans", "adres": "Dorpsweg 4", "activiteit": "bouwen", "bouwsom": 250000.0})
        }
        Permit::TreeRefused | Permit::Withdrawn => {
            json!({"aanvrager": "Piet", "adres": "Laan 9", "activiteit": "kappen"})
        }
    })
}

/// What a worker does with the task of `step` the `visit`-th time the case comes by.
fn permit_work(kind: Permit, step: &str, visit: u32) -> (Option<&'static str>, Data) {
    match (step, kind) {
        ("volledigheid", Permit::MonumentWithCompletion) if visit == 0 => (
            Some("onvolledig"),
            object(json!({"ontbrekende_stukken": "constructietekening"})),
        ),
        ("volledigheid", Permit::Withdrawn) => (Some("ingetrokken"), Data::new()),
        ("volledigheid", _) => (Some("volledig"), Data::new()),
        ("welstandsadvies", _) => (None, object(json!({"welstandsadvies": "positief"}))),
        ("brandveiligheidsadvies", _) => (None, object(json!({"brandveiligheid_akkoord": true}))),
        ("beoordelen", Permit::TreeRefused) => (
            Some("weigeren"),
            object(json!({"motivering": "De boom is beschermd"})),
        ),
        ("beoordelen", _) => (
            Some("verlenen"),
            object(json!({"motivering": "Past in het omgevingsplan"})),
        ),
        _ => (None, Data::new()),
    }
}

// ---------------------------------------------------------------------------------------------
// Drivers: the same workload through the runtime or through HTTP.

const BENCH_USER: &str = "bench";

#[derive(Clone)]
struct Http {
    agent: ureq::Agent,
    base: String,
    token: String,
}

impl Http {
    fn call(&self, method: &str, path: &str, body: Option<Value>) -> Result<Value> {
        let request = self
            .agent
            .request(method, &format!("{}{path}", self.base))
            .set("Authorization", &format!("Bearer {}", self.token));
        let response = match body {
            Some(b) => request.send_json(b),
            None => request.call(),
        };
        match response {
            Ok(r) => r.into_json::<Value>().into_diagnostic(),
            Err(ureq::Error::Status(code, r)) => {
                let text = r.into_string().unwrap_or_default();
                Err(miette!("{method} {path}: {code} {text}"))
            }
            Err(e) => Err(miette!("{method} {path}: {e}")),
        }
    }

    /// Runs a blocking call on tokio's blocking threads, so the tasks driving cases keep going.
    async fn send(&self, method: &'static str, path: String, body: Option<Value>) -> Result<Value> {
        let http = self.clone();
        tokio::task::spawn_blocking(move || http.call(method, &path, body))
            .await
            .into_diagnostic()?
    }
}

#[derive(Clone)]
enum Driver {
    Inproc(Runtime),
    Http(Http),
}

fn bench_teams() -> Vec<String> {
    TEAMS.iter().map(|t| t.to_string()).collect()
}

impl Driver {
    async fn deploy(&self, source: &str) -> Result<()> {
        match self {
            Driver::Inproc(rt) => {
                rt.deploy(source, Syntax::Text, Redeploy::UnlessLatest)
                    .await
                    .map_err(|e| miette!("deploy: {e}"))?;
            }
            Driver::Http(h) => {
                h.send(
                    "POST",
                    "/api/processes".into(),
                    Some(json!({"source": source, "syntax": "text"})),
                )
                .await?;
            }
        }
        Ok(())
    }

    async fn start(&self, process: &str, data: Data) -> Result<i64> {
        match self {
            Driver::Inproc(rt) => Ok(rt
                .start_case(process, data, BENCH_USER, None)
                .await
                .map_err(|e| miette!("start: {e}"))?
                .id
                .0),
            Driver::Http(h) => {
                let created = h
                    .send(
                        "POST",
                        "/api/cases".into(),
                        Some(json!({"process": process, "data": data})),
                    )
                    .await?;
                created["id"]
                    .as_i64()
                    .ok_or_else(|| miette!("start: no case id in {created}"))
            }
        }
    }

    /// The open tasks of a case: task id and step. A read, not a command.
    async fn open_tasks(&self, case: i64) -> Result<Vec<(i64, String)>> {
        match self {
            Driver::Inproc(rt) => Ok(rt
                .case_tasks(CaseId(case))
                .await
                .map_err(|e| miette!("tasks: {e}"))?
                .into_iter()
                .filter(|t| t.state == TaskState::Open)
                .map(|t| (t.id.0, t.step))
                .collect()),
            Driver::Http(h) => {
                let case = h.send("GET", format!("/api/cases/{case}"), None).await?;
                Ok(case["open_tasks"]
                    .as_array()
                    .map(|tasks| {
                        tasks
                            .iter()
                            .filter(|t| t["state"] == "open")
                            .filter_map(|t| {
                                Some((t["id"].as_i64()?, t["step"].as_str()?.to_string()))
                            })
                            .collect()
                    })
                    .unwrap_or_default())
            }
        }
    }

    async fn claim(&self, task: i64) -> Result<()> {
        match self {
            Driver::Inproc(rt) => {
                rt.claim(TaskId(task), BENCH_USER)
                    .await
                    .map_err(|e| miette!("claim: {e}"))?;
            }
            Driver::Http(h) => {
                h.send("POST", format!("/api/tasks/{task}/claim"), None)
                    .await?;
            }
        }
        Ok(())
    }

    /// Completes a held task; whether the case is still open afterwards.
    async fn complete(&self, task: i64, outcome: Option<&str>, data: Data) -> Result<bool> {
        match self {
            Driver::Inproc(rt) => Ok(rt
                .complete(TaskId(task), BENCH_USER, outcome, data)
                .await
                .map_err(|e| miette!("complete: {e}"))?
                .open),
            Driver::Http(h) => {
                let done = h
                    .send(
                        "POST",
                        format!("/api/tasks/{task}/complete"),
                        Some(json!({"outcome": outcome, "data": data})),
                    )
                    .await?;
                Ok(done["open"].as_bool().unwrap_or(true))
            }
        }
    }

    /// Delivers a message; whether the case is still open afterwards.
    async fn deliver(&self, case: i64, message: &str) -> Result<bool> {
        match self {
            Driver::Inproc(rt) => Ok(rt
                .command(
                    CaseId(case),
                    Command::DeliverMessage {
                        name: message.to_string(),
                        data: Data::new(),
                    },
                    BENCH_USER,
                )
                .await
                .map_err(|e| miette!("message: {e}"))?
                .open),
            Driver::Http(h) => {
                let done = h
                    .send(
                        "POST",
                        format!("/api/cases/{case}/messages"),
                        Some(json!({"name": message, "data": {}})),
                    )
                    .await?;
                Ok(done["open"].as_bool().unwrap_or(true))
            }
        }
    }

    async fn worklist(&self, team: &str) -> Result<usize> {
        match self {
            Driver::Inproc(rt) => Ok(rt
                .worklist(
                    team,
                    Page {
                        limit: 50,
                        offset: 0,
                    },
                )
                .await
                .map_err(|e| miette!("worklist: {e}"))?
                .len()),
            Driver::Http(h) => Ok(h
                .send("GET", format!("/api/tasks?team={team}&limit=50"), None)
                .await?
                .as_array()
                .map_or(0, Vec::len)),
        }
    }
}

/// Command latencies, in microseconds.
#[derive(Default)]
struct Timings {
    latencies: Vec<u64>,
}

impl Timings {
    async fn time<T>(&mut self, f: impl std::future::Future<Output = Result<T>>) -> Result<T> {
        let started = Instant::now();
        let out = f.await?;
        self.latencies.push(started.elapsed().as_micros() as u64);
        Ok(out)
    }

    /// The p-th percentile, in milliseconds, of sorted latencies.
    fn percentile(sorted: &[u64], p: f64) -> f64 {
        if sorted.is_empty() {
            return 0.0;
        }
        let rank = ((p / 100.0) * sorted.len() as f64).ceil() as usize;
        let i = rank.clamp(1, sorted.len()) - 1;
        round(sorted[i] as f64 / 1000.0, 3)
    }
}

/// Runs case number `i` of the workload to its end; whether it closed.
async fn drive_case(driver: &Driver, workload: Workload, i: u64, t: &mut Timings) -> Result<bool> {
    match workload {
        Workload::Straight => {
            t.time(driver.start("bench_straight", Data::new())).await?;
            Ok(true)
        }
        Workload::TenSteps => {
            t.time(driver.start("bench_ten_steps", Data::new())).await?;
            Ok(true)
        }
        Workload::Human => {
            let case = t.time(driver.start("bench_human", Data::new())).await?;
            let tasks = driver.open_tasks(case).await?;
            let (task, _) = tasks
                .first()
                .ok_or_else(|| miette!("case {case} has no open task"))?;
            t.time(driver.claim(*task)).await?;
            let open = t.time(driver.complete(*task, None, Data::new())).await?;
            Ok(!open)
        }
        Workload::Permit => {
            let kind = PERMIT_MIX[(i % PERMIT_MIX.len() as u64) as usize];
            let case = t
                .time(driver.start("omgevingsvergunning", permit_start(kind)))
                .await?;
            let mut visits: std::collections::HashMap<String, u32> = Default::default();
            // A permit case needs at most a dozen commands; the bound guards a changed process.
            for _ in 0..50 {
                let tasks = driver.open_tasks(case).await?;
                let open = match tasks.first() {
                    Some((task, step)) => {
                        let visit = visits.entry(step.clone()).or_insert(0);
                        let (outcome, data) = permit_work(kind, step, *visit);
                        *visit += 1;
                        t.time(driver.claim(*task)).await?;
                        t.time(driver.complete(*task, outcome, data)).await?
                    }
                    // No task and still open: the case waits for the applicant's completion.
                    None => t.time(driver.deliver(case, "aanvulling_ontvangen")).await?,
                };
                if !open {
                    return Ok(true);
                }
            }
            Ok(false)
        }
        Workload::Worklist | Workload::Report => {
            Err(miette!("the {} workload drives no cases", workload.name()))
        }
    }
}

/// The process roles the workloads' tasks name: the bench user holds them all.
fn bench_roles() -> Vec<String> {
    [PERMIT, HUMAN]
        .into_iter()
        .filter_map(|source| zaak_dsl::load(source, Syntax::Text).model)
        .flat_map(|model| model.roles.into_iter().map(|r| r.name.name))
        .collect()
}

/// The bench user: an admin who is a member of every team the workloads use, holding every
/// process role they name, so that they may claim every task; returns their token.
async fn add_bench_user(runtime: &Runtime, teams: &[String]) -> Result<String> {
    runtime
        .add_user(&NewUser {
            name: BENCH_USER.to_string(),
            role: UserRole::Admin,
            clearance: None,
            memberships: teams
                .iter()
                .map(|team| Membership {
                    team: team.clone(),
                    roles: bench_roles(),
                    receives_work: true,
                })
                .collect(),
        })
        .await
        .map_err(|e| miette!("users: {e}"))
}

/// A server for `--via http` on the bench database, acting as the bench user.
async fn local_server(runtime: Runtime, token: String) -> Result<Http> {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .into_diagnostic()?;
    let addr = listener.local_addr().into_diagnostic()?;
    let router = app(AppState::new(zaak_app::App::new(runtime)));
    tokio::spawn(async move {
        let _ = axum::serve(listener, router).await;
    });
    Ok(Http {
        agent: ureq::AgentBuilder::new().build(),
        base: format!("http://{addr}"),
        token,
    })
}

fn remote_server(url: &str) -> Result<Http> {
    let token = std::env::var("ZAAK_TOKEN")
        .map_err(|_| miette!("--url needs an admin's token in ZAAK_TOKEN"))?;
    Ok(Http {
        agent: ureq::AgentBuilder::new().build(),
        base: url.trim_end_matches('/').to_string(),
        token,
    })
}

fn options(args: &BenchArgs) -> RuntimeOptions {
    RuntimeOptions {
        durability: match args.durability {
            DurabilityArg::Full => Durability::Full,
            DurabilityArg::Normal => Durability::Normal,
        },
        ..RuntimeOptions::default()
    }
}

async fn cases(db: &BenchDb, workload: Workload, args: &BenchArgs) -> Result<Value> {
    let runtime = Runtime::open(&db.url, options(args))
        .await
        .map_err(|e| miette!("{}: {e}", db.url))?;
    let driver = match (args.via, &args.url) {
        (Via::Inproc, _) => {
            add_bench_user(&runtime, &bench_teams()).await?;
            Driver::Inproc(runtime.clone())
        }
        (Via::Http, None) => {
            let token = add_bench_user(&runtime, &bench_teams()).await?;
            Driver::Http(local_server(runtime.clone(), token).await?)
        }
        (Via::Http, Some(url)) => Driver::Http(remote_server(url)?),
    };
    let source = match workload {
        Workload::Straight => STRAIGHT.to_string(),
        Workload::TenSteps => ten_steps(),
        Workload::Human => HUMAN.to_string(),
        _ => PERMIT.to_string(),
    };
    driver.deploy(&source).await?;

    let before = runtime.commit_stats();
    let next = Arc::new(AtomicU64::new(0));
    let started = Instant::now();
    let mut workers = Vec::new();
    for _ in 0..args.concurrency.min(args.cases as usize) {
        let driver = driver.clone();
        let next = next.clone();
        let total = args.cases;
        workers.push(tokio::spawn(async move {
            let mut timings = Timings::default();
            let mut completed = 0u64;
            loop {
                let i = next.fetch_add(1, Ordering::Relaxed);
                if i >= total {
                    break;
                }
                if drive_case(&driver, workload, i, &mut timings).await? {
                    completed += 1;
                }
            }
            Ok::<_, miette::Report>((completed, timings.latencies))
        }));
    }
    let mut completed = 0;
    let mut latencies = Vec::new();
    for w in workers {
        let (c, l) = w.await.into_diagnostic()??;
        completed += c;
        latencies.extend(l);
    }
    let wall = started.elapsed().as_secs_f64();
    let after = runtime.commit_stats();

    // Automatic workloads close at the start; check that they did, through the runtime.
    if matches!(workload, Workload::Straight | Workload::TenSteps) {
        let still_open = runtime
            .cases(
                &CaseFilter {
                    open: Some(true),
                    ..CaseFilter::default()
                },
                Page {
                    limit: 1,
                    offset: 0,
                },
            )
            .await
            .map_err(|e| miette!("cases: {e}"))?;
        if !still_open.is_empty() {
            return Err(miette!("a {} case did not close", workload.name()));
        }
    }
    latencies.sort_unstable();
    let commands = latencies.len() as f64;
    let transactions = after.transactions - before.transactions;
    let committed = after.commands - before.commands;
    Ok(json!({
        "workload": workload.name(),
        "backend": db.backend(),
        "durability": match args.durability { DurabilityArg::Full => "full", DurabilityArg::Normal => "normal" },
        "via": match args.via { Via::Inproc => "inproc", Via::Http => "http" },
        "concurrency": args.concurrency,
        "cases": args.cases,
        "cases_completed": completed,
        "commands": latencies.len(),
        "wall_seconds": round(wall, 3),
        "cases_per_second": round(completed as f64 / wall, 1),
        "commands_per_second": round(commands / wall, 1),
        "p50_ms": Timings::percentile(&latencies, 50.0),
        "p99_ms": Timings::percentile(&latencies, 99.0),
        "transactions": transactions,
        "commands_per_transaction": if transactions == 0 { 0.0 } else { round(committed as f64 / transactions as f64, 2) },
    }))
}

// ---------------------------------------------------------------------------------------------
// The worklist at scale.

/// Fills the runtime's `tasks` table with `n` open tasks over `teams` teams in one statement.
/// The runtime has no bulk path, so this is SQL on its own table, in a database of this run:
/// due dates over a year, a third of the tasks with a case deadline, priorities 0-3.
async fn fill_tasks(db: &BenchDb, case: i64, n: u64, teams: u64) -> Result<()> {
    match db.owned {
        Owned::Sqlite { .. } => {
            use sqlx::ConnectOptions;
            use std::str::FromStr;
            let mut conn = sqlx::sqlite::SqliteConnectOptions::from_str(&db.url)
                .into_diagnostic()?
                .connect()
                .await
                .into_diagnostic()?;
            sqlx::query(
                "WITH RECURSIVE seq(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM seq WHERE n < ?1),
                 rows AS (SELECT n,
                     date('2026-01-01', '+' || ((n * 7919) % 365) || ' days') AS due,
                     CASE WHEN n % 3 = 0 THEN date('2026-01-01', '+' || ((n * 104729) % 400) || ' days') END AS deadline
                   FROM seq)
                 INSERT INTO tasks (case_id, task_key, step, team, state, due, case_deadline,
                                    queue_date, priority, created_at)
                 SELECT ?2, 1000 + n, 'behandelen', 'team' || (n % ?3), 'open', due, deadline,
                        CASE WHEN deadline IS NOT NULL AND deadline < due THEN deadline ELSE due END,
                        n % 4,
                        strftime('%Y-%m-%dT%H:%M:%SZ', '2025-06-01', '+' || (n % 15000000) || ' seconds')
                 FROM rows",
            )
            .bind(n as i64)
            .bind(case)
            .bind(teams as i64)
            .execute(&mut conn)
            .await
            .into_diagnostic()?;
        }
        Owned::Postgres { .. } => {
            use sqlx::Connection;
            let mut conn = sqlx::PgConnection::connect(&db.url)
                .await
                .into_diagnostic()?;
            sqlx::query(
                "INSERT INTO tasks (case_id, task_key, step, team, state, due, case_deadline,
                                    queue_date, priority, created_at)
                 SELECT $2, 1000 + n, 'behandelen', 'team' || (n % $3), 'open', due, deadline,
                        LEAST(due, deadline), n % 4,
                        timestamptz '2025-06-01 00:00:00+00' + (n % 15000000) * interval '1 second'
                 FROM (SELECT n,
                         date '2026-01-01' + ((n * 7919) % 365)::int AS due,
                         CASE WHEN n % 3 = 0 THEN date '2026-01-01' + ((n * 104729) % 400)::int END AS deadline
                       FROM generate_series(1::bigint, $1) AS n) AS rows",
            )
            .bind(n as i64)
            .bind(case)
            .bind(teams as i64)
            .execute(&mut conn)
            .await
            .into_diagnostic()?;
            sqlx::query("ANALYZE tasks")
                .execute(&mut conn)
                .await
                .into_diagnostic()?;
        }
    }
    Ok(())
}

async fn fetch_times(driver: &Driver, team: &str, fetches: u64) -> Result<(Vec<u64>, usize)> {
    let mut t = Timings::default();
    let mut got = 0;
    for _ in 0..fetches {
        got = t.time(driver.worklist(team)).await?;
    }
    t.latencies.sort_unstable();
    Ok((t.latencies, got))
}

async fn worklist(db: &BenchDb, args: &BenchArgs) -> Result<Value> {
    let runtime = Runtime::open(&db.url, options(args))
        .await
        .map_err(|e| miette!("{}: {e}", db.url))?;
    runtime
        .deploy(HUMAN, Syntax::Text, Redeploy::UnlessLatest)
        .await
        .map_err(|e| miette!("deploy: {e}"))?;
    // One real case holds the tasks, so that every row points at a case as the schema demands.
    let case = runtime
        .start_case("bench_human", Data::new(), BENCH_USER, None)
        .await
        .map_err(|e| miette!("start: {e}"))?;
    let teams = args.teams.max(1);
    let started = Instant::now();
    fill_tasks(db, case.id.0, args.tasks, teams).await?;
    let fill = started.elapsed().as_secs_f64();

    let team = format!("team{}", teams / 2);
    let inproc = Driver::Inproc(runtime.clone());
    let (runtime_ms, got) = fetch_times(&inproc, &team, args.fetches).await?;
    let mut all_teams = bench_teams();
    all_teams.push(team.clone());
    let token = add_bench_user(&runtime, &all_teams).await?;
    let http = Driver::Http(local_server(runtime.clone(), token).await?);
    let (http_ms, http_got) = fetch_times(&http, &team, args.fetches).await?;
    if got != http_got {
        return Err(miette!(
            "the runtime gave {got} tasks and HTTP {http_got} for the same page"
        ));
    }
    Ok(json!({
        "workload": "worklist",
        "backend": db.backend(),
        "tasks": args.tasks,
        "teams": teams,
        "fill": "one INSERT ... SELECT into the runtime's tasks table (the runtime has no bulk path)",
        "fill_seconds": round(fill, 2),
        "page": 50,
        "tasks_on_page": got,
        "fetches": args.fetches,
        "runtime_p50_ms": Timings::percentile(&runtime_ms, 50.0),
        "runtime_p99_ms": Timings::percentile(&runtime_ms, 99.0),
        "http_p50_ms": Timings::percentile(&http_ms, 50.0),
        "http_p99_ms": Timings::percentile(&http_ms, 99.0),
    }))
}

// ---------------------------------------------------------------------------------------------
// The lead-time report at scale.

async fn report(db: &BenchDb, args: &BenchArgs) -> Result<Value> {
    let runtime = Runtime::open(&db.url, options(args))
        .await
        .map_err(|e| miette!("{}: {e}", db.url))?;
    let histories = zaak_runtime::analytics::synthetic::histories(args.cases, 7);
    let started = Instant::now();
    let imported = runtime
        .import_history("bench", histories)
        .await
        .map_err(|e| miette!("import: {e}"))?;
    let import = started.elapsed().as_secs_f64();
    let now = chrono::Utc::now();
    let filter = Filter::default();
    let mut runs = Vec::new();
    let mut closed = 0;
    let mut first_figures = None;
    for _ in 0..args.fetches.clamp(2, 20) {
        let started = Instant::now();
        let cases = runtime
            .histories(&filter)
            .await
            .map_err(|e| miette!("histories: {e}"))?;
        let read = started.elapsed().as_secs_f64();
        let figures = zaak_runtime::analytics::report(&cases, &filter, now, 0.8);
        let total = started.elapsed().as_secs_f64();
        closed = figures.closed;
        runs.push((read, total - read, total));
        // The first report reads the cases' rows, the later ones their summaries: the same
        // figures either way.
        match &first_figures {
            None => first_figures = Some(figures),
            Some(first) if *first != figures => {
                return Err(miette!(
                    "a report from the summaries differs from the first"
                ));
            }
            Some(_) => {}
        }
    }
    if closed as u64 != args.cases {
        return Err(miette!(
            "the report counted {closed} closed cases of {}",
            args.cases
        ));
    }
    let (first, rest) = runs.split_first().expect("at least two runs");
    let median = |i: usize| {
        let mut v: Vec<f64> = rest.iter().map(|r| [r.0, r.1, r.2][i]).collect();
        v.sort_by(f64::total_cmp);
        round(v[v.len() / 2], 3)
    };
    Ok(json!({
        "workload": "report",
        "backend": db.backend(),
        "cases": args.cases,
        "tasks": imported.tasks,
        "import_seconds": round(import, 2),
        "first_report_seconds": round(first.2, 3),
        "runs_after_first": rest.len(),
        "report_seconds_p50": median(2),
        "read_seconds_p50": median(0),
        "figures_seconds_p50": median(1),
    }))
}
