//! `zaak report`, `zaak export xes` and `zaak import xes`: lead-time figures of the stored
//! cases, and event logs for process mining, read and written straight on the database.

use chrono::{DateTime, Utc};
use clap::{Args, Subcommand, ValueEnum};
use std::collections::BTreeMap;
use std::process::ExitCode;
use std::time::Instant;
use zaak_runtime::analytics::{
    compare, export, import_with, render_comparison, render_table, report, Filter, ImportOptions,
    ImportWarning, Report, WarningKind,
};
use zaak_runtime::history::{ImportSummary, SkipReason, HISTORICAL_VERSION};
use zaak_runtime::{Runtime, RuntimeOptions};

const DEFAULT_DB: &str = "sqlite://zaak.db";
/// How many examples of each kind of warning or skip an import prints.
const EXAMPLES: usize = 3;

#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ReportFormat {
    Table,
    Json,
}

/// Which cases a report covers and how to print it.
#[derive(Args)]
pub struct ReportArgs {
    /// Only cases of this process.
    #[arg(long)]
    process: Option<String>,
    /// Only cases of this version of the process; 0 is its imported history.
    #[arg(long)]
    version: Option<u32>,
    /// Start of the period: a date (YYYY-MM-DD, from midnight, Dutch time) or an RFC 3339 time.
    #[arg(long)]
    from: Option<String>,
    /// End of the period: a date (the whole day is included) or an RFC 3339 time (excluded).
    #[arg(long)]
    to: Option<String>,
    /// Only cases in which this team had a task; step figures count only its tasks.
    #[arg(long)]
    team: Option<String>,
    /// Two versions of --process side by side, e.g. `--compare 0 2` for the imported
    /// baseline against version 2.
    #[arg(long, num_args = 2, value_names = ["BEFORE", "AFTER"])]
    compare: Option<Vec<u32>>,
    #[arg(long, value_enum, default_value_t = ReportFormat::Table)]
    format: ReportFormat,
    /// The share of the legal term after which an open case counts as at risk.
    #[arg(long, default_value_t = 0.8)]
    at_risk: f64,
    /// sqlite://path or postgres://...
    #[arg(long, default_value = DEFAULT_DB)]
    db: String,
    /// The moment open cases are measured at (RFC 3339); now when left out.
    #[arg(long, hide = true)]
    now: Option<String>,
    /// Print to stderr how long reading the cases and computing the figures took.
    #[arg(long, hide = true)]
    timing: bool,
}

#[derive(Subcommand)]
pub enum ExportCommand {
    /// Write the stored cases as an XES event log to stdout.
    Xes {
        /// Only cases of this process.
        #[arg(long)]
        process: Option<String>,
        /// Only cases of this version of the process.
        #[arg(long)]
        version: Option<u32>,
        #[arg(long, default_value = DEFAULT_DB)]
        db: String,
    },
}

#[derive(Subcommand)]
pub enum ImportCommand {
    /// Store the cases of an XES log (plain or .xes.gz) as historical cases of a process.
    Xes {
        file: String,
        /// The process the cases belong to; they become its version 0.
        #[arg(long)]
        process: String,
        /// For logs that record only completions: a task waited since the trace's previous
        /// event, as process mining tools read it.
        #[arg(long)]
        wait_since_previous_event: bool,
        #[arg(long, default_value = DEFAULT_DB)]
        db: String,
    },
}

fn fail(message: impl std::fmt::Display) -> ExitCode {
    eprintln!("error: {message}");
    ExitCode::FAILURE
}

fn usage(message: impl std::fmt::Display) -> ExitCode {
    eprintln!("error: {message}");
    ExitCode::from(2)
}

/// Runs `work` on a tokio runtime with the database opened.
fn with_runtime<F, Fut>(db: &str, must_exist: bool, work: F) -> ExitCode
where
    F: FnOnce(Runtime) -> Fut,
    Fut: std::future::Future<Output = ExitCode>,
{
    if must_exist {
        if let Some(path) = db.strip_prefix("sqlite://").or(db.strip_prefix("sqlite:")) {
            let path = path.split('?').next().unwrap_or(path);
            if !path.is_empty()
                && !path.contains(":memory:")
                && !std::path::Path::new(path).exists()
            {
                return fail(format!("no database at {path}"));
            }
        }
    }
    let tokio = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(t) => t,
        Err(e) => return fail(format!("cannot start the async runtime: {e}")),
    };
    tokio.block_on(async {
        match Runtime::open(db, RuntimeOptions::default()).await {
            Ok(rt) => work(rt).await,
            Err(e) => fail(e),
        }
    })
}

fn parse_moment(flag: &str, text: &str, end: bool) -> Result<DateTime<Utc>, String> {
    zaak_app::parse_moment(text, end).ok_or_else(|| {
        format!("--{flag} `{text}` is neither a date (YYYY-MM-DD) nor an RFC 3339 time")
    })
}

impl ReportArgs {
    fn filter(&self) -> Result<Filter, String> {
        Ok(Filter {
            process: self.process.clone(),
            version: self.version,
            team: self.team.clone(),
            from: self
                .from
                .as_deref()
                .map(|t| parse_moment("from", t, false))
                .transpose()?,
            to: self
                .to
                .as_deref()
                .map(|t| parse_moment("to", t, true))
                .transpose()?,
        })
    }
}

/// `zaak report`.
pub fn run_report(args: ReportArgs) -> ExitCode {
    let filter = match args.filter() {
        Ok(f) => f,
        Err(e) => return usage(e),
    };
    let now = match args
        .now
        .as_deref()
        .map(|t| parse_moment("now", t, false))
        .transpose()
    {
        Ok(now) => now.unwrap_or_else(Utc::now),
        Err(e) => return usage(e),
    };
    if !(0.0..=1.0).contains(&args.at_risk) {
        return usage("--at-risk is a share between 0 and 1");
    }
    if args.compare.is_some() && args.process.is_none() {
        return usage("--compare needs --process");
    }
    if args.compare.is_some() && args.version.is_some() {
        return usage("--compare names the versions itself; leave out --version");
    }
    with_runtime(&args.db, true, |rt| async move {
        let figures = |filter: Filter| {
            let rt = rt.clone();
            async move {
                let read = Instant::now();
                let cases = rt.histories(&filter).await?;
                let computed = Instant::now();
                let r = report(&cases, &filter, now, args.at_risk);
                if args.timing {
                    eprintln!(
                        "{} cases: read {:.3} s, figures {:.3} s",
                        cases.len(),
                        (computed - read).as_secs_f64(),
                        computed.elapsed().as_secs_f64()
                    );
                }
                Ok::<Report, zaak_runtime::Error>(r)
            }
        };
        let out = match &args.compare {
            Some(versions) => {
                let (Some(&b), Some(&a)) = (versions.first(), versions.get(1)) else {
                    return usage("--compare takes two versions");
                };
                let before = figures(Filter {
                    version: Some(b),
                    ..filter.clone()
                });
                let before = match before.await {
                    Ok(r) => r,
                    Err(e) => return fail(e),
                };
                let after = match figures(Filter {
                    version: Some(a),
                    ..filter.clone()
                })
                .await
                {
                    Ok(r) => r,
                    Err(e) => return fail(e),
                };
                let comparison = compare(&before, &after);
                match args.format {
                    ReportFormat::Table => format!(
                        "{} version {b} ({} closed cases) against version {a} ({} closed cases)\n\n{}",
                        args.process.as_deref().unwrap_or_default(),
                        before.closed,
                        after.closed,
                        render_comparison(&comparison)
                    ),
                    ReportFormat::Json => json(&serde_json::json!({
                        "before": before,
                        "after": after,
                        "comparison": comparison,
                    })),
                }
            }
            None => match figures(filter).await {
                Ok(r) => match args.format {
                    ReportFormat::Table => render_table(&r),
                    ReportFormat::Json => json(&r),
                },
                Err(e) => return fail(e),
            },
        };
        println!("{}", out.trim_end());
        ExitCode::SUCCESS
    })
}

fn json<T: serde::Serialize>(value: &T) -> String {
    serde_json::to_string_pretty(value).unwrap_or_default()
}

/// `zaak export xes`.
pub fn run_export(command: ExportCommand) -> ExitCode {
    let ExportCommand::Xes {
        process,
        version,
        db,
    } = command;
    with_runtime(&db, true, |rt| async move {
        let filter = Filter {
            process,
            version,
            ..Filter::default()
        };
        match rt.histories(&filter).await {
            Ok(cases) => {
                print!("{}", export(&cases));
                ExitCode::SUCCESS
            }
            Err(e) => fail(e),
        }
    })
}

/// `zaak import xes`.
pub fn run_import(command: ImportCommand) -> ExitCode {
    let ImportCommand::Xes {
        file,
        process,
        wait_since_previous_event,
        db,
    } = command;
    let bytes = match std::fs::read(&file) {
        Ok(b) => b,
        Err(e) => return fail(format!("{file}: {e}")),
    };
    let options = ImportOptions {
        wait_since_previous_event,
    };
    let read = match import_with(&bytes, options) {
        Ok(read) => read,
        Err(e) => return fail(format!("{file}: {e}")),
    };
    with_runtime(&db, false, |rt| async move {
        let traces = read.cases.len() + read.skipped_traces;
        let events = read.events;
        let summary = match rt.import_history(&process, read.cases).await {
            Ok(s) => s,
            Err(e) => return fail(e),
        };
        let deployed = match rt.versions(&process).await {
            Ok(v) => v.iter().any(|v| v.version != HISTORICAL_VERSION),
            Err(e) => return fail(e),
        };
        if !deployed {
            println!(
                "note: no version of `{process}` is deployed; until one is, the process list of the server cannot show it"
            );
        }
        print!(
            "{}",
            render_import(
                &file,
                traces,
                events,
                read.skipped_traces,
                read.skipped_events,
                &read.warnings,
                &summary
            )
        );
        ExitCode::SUCCESS
    })
}

/// What an import did, for people: counts first, then every warning and skipped case grouped
/// by kind, with how many and the first few.
pub fn render_import(
    file: &str,
    traces: usize,
    events: usize,
    skipped_traces: usize,
    skipped_events: usize,
    warnings: &[ImportWarning],
    summary: &ImportSummary,
) -> String {
    use std::fmt::Write as _;
    let mut out = String::new();
    let _ = writeln!(
        out,
        "{file}: {traces} traces, {events} events read; {skipped_traces} traces and {skipped_events} events skipped"
    );
    let _ = writeln!(
        out,
        "imported {} cases ({} tasks, {} history events) into `{}` as historical cases (version 0)",
        summary.imported, summary.tasks, summary.events, summary.process
    );
    if !summary.skipped.is_empty() {
        let mut by_reason: BTreeMap<&SkipReason, Vec<&str>> = BTreeMap::new();
        for s in &summary.skipped {
            by_reason.entry(&s.reason).or_default().push(&s.reference);
        }
        let _ = writeln!(out, "skipped {} cases:", summary.skipped.len());
        for (reason, references) in by_reason {
            let shown: Vec<&str> = references.iter().take(EXAMPLES).copied().collect();
            let _ = writeln!(
                out,
                "  {} x {reason}: {}{}",
                references.len(),
                shown.join(", "),
                if references.len() > EXAMPLES {
                    ", ..."
                } else {
                    ""
                }
            );
        }
    }
    if warnings.is_empty() {
        let _ = writeln!(out, "no warnings");
    } else {
        let mut by_kind: BTreeMap<WarningKind, Vec<&ImportWarning>> = BTreeMap::new();
        for w in warnings {
            by_kind.entry(w.kind).or_default().push(w);
        }
        let _ = writeln!(out, "{} warnings:", warnings.len());
        for (kind, list) in by_kind {
            let _ = writeln!(out, "  {} x {}", list.len(), kind_name(kind));
            for w in list.iter().take(EXAMPLES) {
                let _ = writeln!(out, "    {}", w.message);
            }
            if list.len() > EXAMPLES {
                let _ = writeln!(out, "    ... and {} more", list.len() - EXAMPLES);
            }
        }
    }
    out
}

/// The stable name of a warning kind, as in the JSON form.
fn kind_name(kind: WarningKind) -> String {
    serde_json::to_value(kind)
        .ok()
        .and_then(|v| v.as_str().map(str::to_string))
        .unwrap_or_else(|| format!("{kind:?}"))
}
