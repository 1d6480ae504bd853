//! Case histories for the lead-time figures and the XES export, and historical cases imported
//! from other systems' event logs: the SQL side of [`crate::history`].
//!
//! A report reads every case a [`Filter`] selects with a fixed handful of set-based queries in
//! one snapshot, whatever the number of cases, with the filter applied in SQL. A closed case does
//! not change any more, so the first report that reads it (or the import that stored it) keeps
//! its history in `case_summaries`, in the compact form of [`compact`] with its names numbered in
//! `summary_names`; later reports read the summaries range by range of case ids and decode them
//! on all cores. The other cases are rebuilt from their rows. When a case changes, the trigger
//! `case_summaries_stale` removes its summary in the same transaction, and a summary is only
//! written while its case still has the row version it was read at.

use crate::analytics::{compact, CaseHistory, Filter, TaskSpan};
use crate::error::{Error, Result};
use crate::history::{ImportSummary, SkipReason, SkippedCase, HISTORICAL_VERSION};
use crate::runtime::hex;
use crate::store::postgres::PgStore;
use crate::store::sqlite::SqliteStore;
use async_trait::async_trait;
use chrono::{DateTime, NaiveDate, Utc};
use serde::Deserialize;
use std::collections::HashSet;
use zaak_engine::calendar::{local_date, start_of_day};
use zaak_engine::case::{CaseState, Closed, Closure, StatusReached};
use zaak_engine::net::Marking;
use zaak_engine::term::{Suspension, TermClock};

#[async_trait]
pub(crate) trait HistoryStore {
    /// The histories of the cases the filter selects whose confidentiality is at most
    /// `max_rank`; in no fixed order.
    async fn histories(&self, filter: &Filter, max_rank: i64) -> Result<Vec<CaseHistory>>;
    /// Stores cases of a log as closed historical cases of the process, in one transaction,
    /// with the given confidentiality.
    async fn import_history(
        &self,
        key: &str,
        cases: Vec<CaseHistory>,
        now: DateTime<Utc>,
        confidentiality: i64,
    ) -> Result<ImportSummary>;
}

/// One row of `cases.sql`.
#[derive(sqlx::FromRow)]
struct SummaryCaseRow {
    id: i64,
    row_version: i64,
    reference: String,
    process_key: String,
    process_version: i64,
    created_at: DateTime<Utc>,
    closed_at: Option<DateTime<Utc>>,
    result: Option<String>,
    deadline: Option<NaiveDate>,
    target: Option<NaiveDate>,
    statuses: Option<String>,
    suspensions: Option<String>,
}

/// One row of `tasks.sql`.
#[derive(sqlx::FromRow)]
struct SummaryTaskRow {
    case_id: i64,
    step: String,
    team: String,
    assignee: Option<String>,
    state: String,
    created_at: DateTime<Utc>,
    claimed_at: Option<DateTime<Utc>>,
    finished_at: Option<DateTime<Utc>>,
}

/// The parts of a stored suspension the figures read.
#[derive(Deserialize)]
struct StoredSuspension {
    from: NaiveDate,
    to: Option<NaiveDate>,
}

/// The parts of a stored status change the figures read.
#[derive(Deserialize)]
struct StoredStatus {
    status: String,
    at: DateTime<Utc>,
}

/// The start of a Dutch day: a suspension stored as days runs from the start of its first.
fn midnight(d: NaiveDate) -> DateTime<Utc> {
    start_of_day(d)
}

impl SummaryCaseRow {
    /// Suspensions are whole days in the term clock, so they run from the start of their
    /// first day to the start of the day the term ran again.
    fn into_history(self) -> Result<Read> {
        let corrupt = |what: &str, e: serde_json::Error| {
            Error::Corrupt(format!("case {}: {what}: {e}", self.reference))
        };
        let statuses: Vec<StoredStatus> = match self.statuses.as_deref() {
            Some(json) => serde_json::from_str(json).map_err(|e| corrupt("status history", e))?,
            None => Vec::new(),
        };
        let suspensions: Vec<StoredSuspension> = match self.suspensions.as_deref() {
            Some(json) => serde_json::from_str(json).map_err(|e| corrupt("suspensions", e))?,
            None => Vec::new(),
        };
        let version = u32::try_from(self.process_version)
            .map_err(|_| Error::Corrupt(format!("case {}: version", self.reference)))?;
        Ok(Read {
            id: self.id,
            row_version: self.row_version,
            case: CaseHistory {
                reference: self.reference,
                process: self.process_key.into(),
                version,
                started: self.created_at,
                ended: self.closed_at,
                result: self.result.map(Into::into),
                deadline: self.deadline,
                target: self.target,
                suspensions: suspensions
                    .into_iter()
                    .map(|s| (midnight(s.from), s.to.map(midnight)))
                    .collect(),
                statuses: statuses
                    .into_iter()
                    .map(|s| (s.status.into(), s.at))
                    .collect(),
                tasks: Vec::new(),
                historical: version == HISTORICAL_VERSION,
            },
        })
    }
}

impl SummaryTaskRow {
    fn into_span(self) -> TaskSpan {
        TaskSpan {
            step: self.step.into(),
            // Imported tasks without a team are stored with an empty one (the column is
            // required); the engine never creates a task without a team.
            team: Some(self.team).filter(|t| !t.is_empty()).map(Into::into),
            worker: self.assignee.map(Into::into),
            created: self.created_at,
            claimed: self.claimed_at,
            completed: (self.state == "done").then_some(self.finished_at).flatten(),
        }
    }
}

/// A case read from its rows.
struct Read {
    id: i64,
    row_version: i64,
    case: CaseHistory,
}

/// Puts each task with its case; both lists come sorted by case id.
fn join(cases: Vec<SummaryCaseRow>, tasks: Vec<SummaryTaskRow>) -> Result<Vec<Read>> {
    let mut out: Vec<Read> = cases
        .into_iter()
        .map(SummaryCaseRow::into_history)
        .collect::<Result<_>>()?;
    let mut i = 0;
    for task in tasks {
        while i < out.len() && out[i].id < task.case_id {
            i += 1;
        }
        // A task of a case that closed or appeared between the two queries has no case in
        // the list; the next report will show it.
        if let Some(read) = out.get_mut(i) {
            if read.id == task.case_id {
                read.case.tasks.push(task.into_span());
            }
        }
    }
    Ok(out)
}

/// The histories in chunks read by `summaries.sql`, each the compact records of the cases in
/// one range of ids; the records are decoded on all cores, in runs of about equal size.
fn parse_summaries(
    chunks: Vec<Vec<u8>>,
    dictionary: &compact::Dictionary,
) -> Result<Vec<CaseHistory>> {
    let corrupt = |e: compact::DecodeError| Error::Corrupt(format!("case summaries: {e}"));
    let threads = std::thread::available_parallelism().map_or(1, |n| n.get());
    let total: usize = chunks.iter().map(Vec::len).sum();
    let mut runs: Vec<&[u8]> = Vec::new();
    for chunk in &chunks {
        let parts = (chunk.len() * threads).div_ceil(total.max(1));
        runs.extend(compact::split(chunk, parts).map_err(corrupt)?);
    }
    let per_thread = runs.len().div_ceil(threads).max(1);
    let parts: Vec<Result<Vec<CaseHistory>>> = std::thread::scope(|scope| {
        let running: Vec<_> = runs
            .chunks(per_thread)
            .map(|group| {
                scope.spawn(move || {
                    let dictionary = dictionary.detached();
                    let mut out = Vec::new();
                    for run in group {
                        out.extend(compact::decode_all(run, &dictionary).map_err(corrupt)?);
                    }
                    Ok(out)
                })
            })
            .collect();
        running
            .into_iter()
            .map(|r| {
                r.join()
                    .unwrap_or_else(|_| Err(Error::Corrupt("case summaries".into())))
            })
            .collect()
    });
    let mut out = Vec::with_capacity(parts.iter().map(|p| p.as_ref().map_or(0, Vec::len)).sum());
    for part in parts {
        out.extend(part?);
    }
    Ok(out)
}

/// How many case ids one read of summaries covers: at about 420 bytes a case, blobs of up to
/// 10 MB, several of them to decode in parallel for a report over 100,000 cases.
const SUMMARY_IDS_PER_READ: i64 = 25_000;

/// How many summaries one INSERT writes: seven parameters each stays far below SQLite's
/// 32,766 and PostgreSQL's 65,535 parameters per statement.
const SUMMARIES_PER_STATEMENT: usize = 1000;

/// A closed case's summary, ready to write.
struct SummaryRow<'a> {
    id: i64,
    row_version: i64,
    case: &'a CaseHistory,
    ended: DateTime<Utc>,
    doc: Vec<u8>,
}

fn summary_rows<'a>(closed: &[&'a Read], dictionary: &compact::Dictionary) -> Vec<SummaryRow<'a>> {
    closed
        .iter()
        .filter_map(|r| {
            Some(SummaryRow {
                id: r.id,
                row_version: r.row_version,
                case: &r.case,
                ended: r.case.ended?,
                doc: compact::encode_one(&r.case, dictionary)?,
            })
        })
        .collect()
}

/// Turns the rows of `summary_names.sql` into a dictionary.
fn dictionary(rows: Vec<(i64, String)>) -> Result<compact::Dictionary> {
    let mut d = compact::Dictionary::default();
    for (id, name) in rows {
        let id = u64::try_from(id)
            .map_err(|_| Error::Corrupt(format!("summary name {name:?} has number {id}")))?;
        d.insert(id, &name);
    }
    Ok(d)
}

macro_rules! histories_on {
    ($db:ty, $read:expr, $write:expr, $dir:literal, $filter:expr, $max_rank:expr) => {{
        let f = $filter;
        let max_rank: i64 = $max_rank;
        let version = f.version.map(i64::from);
        // The reads share one snapshot, so that a case written meanwhile comes either
        // from its summary or from its rows, never from both or neither.
        let mut snapshot: sqlx::Transaction<'static, $db> = $read;
        let (closed, summarised): (i64, i64) = sqlx::query_as(crate::store::backend_query!("history", $dir, "coverage"))
        .bind(f.process.as_deref())
        .bind(version)
        .bind(f.from)
        .bind(f.to)
        .bind(max_rank)
        .fetch_one(&mut *snapshot)
        .await?;
        let all_summarised = closed == summarised;
        let names: Vec<(i64, String)> =
            sqlx::query_as(crate::store::query!("history/summary_names"))
                .fetch_all(&mut *snapshot)
                .await?;
        let (low, high): (Option<i64>, Option<i64>) =
            sqlx::query_as(crate::store::query!("history/summary_ids"))
                .fetch_one(&mut *snapshot)
                .await?;
        let mut chunks: Vec<Vec<u8>> = Vec::new();
        if let (Some(low), Some(high)) = (low, high) {
            let mut from = low;
            while from <= high {
                let to = from.saturating_add(SUMMARY_IDS_PER_READ);
                let (chunk,): (Option<Vec<u8>>,) = sqlx::query_as(crate::store::backend_query!("history", $dir, "summaries"))
                .bind(f.process.as_deref())
                .bind(version)
                .bind(f.team.as_deref())
                .bind(f.from)
                .bind(f.to)
                .bind(from)
                .bind(to)
                .bind(max_rank)
                .fetch_one(&mut *snapshot)
                .await?;
                chunks.extend(chunk);
                from = to;
            }
        }
        let cases: Vec<SummaryCaseRow> = sqlx::query_as(crate::store::backend_query!("history", $dir, "cases"))
        .bind(f.process.as_deref())
        .bind(version)
        .bind(f.team.as_deref())
        .bind(f.from)
        .bind(f.to)
        .bind(all_summarised)
        .bind(max_rank)
        .fetch_all(&mut *snapshot)
        .await?;
        let tasks: Vec<SummaryTaskRow> = sqlx::query_as(crate::store::backend_query!("history", $dir, "tasks"))
        .bind(f.process.as_deref())
        .bind(version)
        .bind(f.team.as_deref())
        .bind(f.from)
        .bind(f.to)
        .bind(all_summarised)
        .bind(max_rank)
        .fetch_all(&mut *snapshot)
        .await?;
        snapshot.rollback().await?;
        let mut histories = parse_summaries(chunks, &dictionary(names)?)?;
        let read = join(cases, tasks)?;
        let closed: Vec<&Read> = read.iter().filter(|r| r.case.ended.is_some()).collect();
        if !closed.is_empty() {
            // The summaries only make later reports faster: when they cannot be written now
            // (the database is busy or read-only), this report is still right.
            let _ = async {
                // First the names the summaries need, committed before any summary that
                // uses them, so that whoever reads a summary can read its names.
                let mut tx: sqlx::Transaction<'static, $db> = $write;
                let known: Vec<(i64, String)> =
                    sqlx::query_as(crate::store::query!("history/summary_names"))
                        .fetch_all(&mut *tx)
                        .await?;
                let mut names = dictionary(known)?;
                let mut new: Vec<&str> = closed
                    .iter()
                    .flat_map(|r| compact::names(&r.case))
                    .filter(|n| names.id(n).is_none())
                    .collect();
                new.sort_unstable();
                new.dedup();
                if !new.is_empty() {
                    for batch in new.chunks(SUMMARIES_PER_STATEMENT) {
                        let mut insert =
                            sqlx::QueryBuilder::<$db>::new("INSERT INTO summary_names (name) ");
                        insert.push_values(batch, |mut row, name| {
                            row.push_bind(*name);
                        });
                        insert.push(crate::store::query!("history/add_summary_names"));
                        insert.build().execute(&mut *tx).await?;
                    }
                    let all: Vec<(i64, String)> =
                        sqlx::query_as(crate::store::query!("history/summary_names"))
                            .fetch_all(&mut *tx)
                            .await?;
                    names = dictionary(all)?;
                }
                tx.commit().await?;
                let rows = summary_rows(&closed, &names);
                for batch in rows.chunks(SUMMARIES_PER_STATEMENT) {
                    // A statement per batch rather than per case: the first report over a
                    // hundred thousand closed cases writes them all. A transaction per batch
                    // lets the engine's own writes in between.
                    let mut tx: sqlx::Transaction<'static, $db> = $write;
                    let mut insert = sqlx::QueryBuilder::<$db>::new(
                        "INSERT INTO case_summaries \
                         (case_id, process_key, process_version, started, ended, doc, confidentiality) \
                         SELECT v.column1, v.column3, v.column4, v.column5, v.column6, v.column7, \
                         c.confidentiality FROM (",
                    );
                    insert.push_values(batch, |mut row, s| {
                        row.push_bind(s.id)
                            .push_bind(s.row_version)
                            .push_bind(&*s.case.process)
                            .push_bind(i64::from(s.case.version))
                            .push_bind(s.case.started)
                            .push_bind(s.ended)
                            .push_bind(s.doc.as_slice());
                    });
                    insert.push(crate::store::backend_query!("history", $dir, "save_summaries"));
                    insert.build().execute(&mut *tx).await?;
                    tx.commit().await?;
                }
                Ok::<(), Error>(())
            }
            .await;
        }
        histories.extend(read.into_iter().map(|r| r.case));
        Ok(histories)
    }};
}

/// The stored form of an imported case, ready to insert.
struct Prepared {
    state: serde_json::Value,
    status: Option<String>,
    ended: DateTime<Utc>,
}

/// The last moment an imported case records; it closes then when the log gave no end.
fn last_moment(case: &CaseHistory) -> DateTime<Utc> {
    let mut last = case.started;
    for (_, at) in &case.statuses {
        last = last.max(*at);
    }
    for (from, to) in &case.suspensions {
        last = last.max(to.unwrap_or(*from));
    }
    for t in &case.tasks {
        last = last.max(t.created);
        last = last.max(t.claimed.unwrap_or(t.created));
        last = last.max(t.completed.unwrap_or(t.created));
    }
    last
}

fn prepare(case: &CaseHistory) -> Prepared {
    let ended = case.ended.unwrap_or_else(|| last_moment(case));
    let status_history: Vec<StatusReached> = case
        .statuses
        .iter()
        .map(|(status, at)| StatusReached {
            status: status.to_string(),
            at: *at,
        })
        .collect();
    let state = CaseState {
        marking: Marking(Vec::new()),
        data: Default::default(),
        outcomes: Default::default(),
        status: status_history.last().map(|s| s.status.clone()),
        status_history,
        result: case.result.as_deref().map(str::to_string),
        open_tasks: Vec::new(),
        timers: Vec::new(),
        subcases: Vec::new(),
        term: TermClock {
            start: Some(local_date(case.started)),
            deadline: case.deadline,
            target: case.target,
            original_deadline: case.deadline,
            original_target: case.target,
            // A suspension still running in the log ends when the case ends here.
            suspensions: case
                .suspensions
                .iter()
                .map(|(from, to)| Suspension {
                    from: local_date(*from),
                    to: Some(local_date(to.unwrap_or(ended))),
                    reason: "imported".to_string(),
                })
                .collect(),
            ..TermClock::default()
        },
        closed: Some(Closed {
            at: ended,
            how: Closure::Completed,
        }),
        suspended_by: None,
        next_key: 1,
    };
    Prepared {
        status: state.status.clone(),
        state: serde_json::to_value(&state).unwrap_or(serde_json::Value::Null),
        ended,
    }
}

/// A token for the citizen's status page of an imported case; nobody holds it, but the column
/// requires one and it must not be guessable.
fn public_token() -> String {
    hex(&rand::random::<[u8; 16]>())
}

/// How many cases an import stores with one statement of each kind: with 14 parameters a case
/// row, far below SQLite's 32,766 and PostgreSQL's 65,535 parameters per statement. Tasks and
/// history events go in statements of up to [`IMPORT_ROWS_PER_STATEMENT`] rows.
const IMPORT_CASES_PER_BATCH: usize = 500;
const IMPORT_ROWS_PER_STATEMENT: usize = 2000;

/// A case of an import as first sorted: left out for a reason of its own, or a candidate whose
/// reference is still to be checked against the store.
enum Sorted {
    Skip(SkippedCase),
    Candidate(String, CaseHistory),
}

/// The history events of an imported case: imported at its start, its statuses and
/// suspensions, and its close, each at the time the log gives, in time order.
fn import_events(
    reference: &str,
    case: &CaseHistory,
    ended: DateTime<Utc>,
) -> Vec<(DateTime<Utc>, &'static str, serde_json::Value)> {
    let mut events = vec![(
        case.started,
        "historical_import",
        serde_json::json!({ "reference": reference, "process": &*case.process }),
    )];
    for (status, at) in &case.statuses {
        events.push((
            *at,
            "set_status",
            serde_json::json!({
                "effect": "set_status", "status": &**status, "notify": false, "citizen_text": ""
            }),
        ));
    }
    for (from, to) in &case.suspensions {
        events.push((
            *from,
            "suspend",
            serde_json::json!({ "command": "suspend" }),
        ));
        events.push((
            to.unwrap_or(ended),
            "resume",
            serde_json::json!({ "command": "resume" }),
        ));
    }
    events.push((
        ended,
        "close_case",
        serde_json::json!({
            "effect": "close_case", "how": "completed"
        }),
    ));
    events.sort_by_key(|e| e.0);
    events
}

/// Stores an import in batches: a statement per batch of cases to find the references others
/// hold, one to insert the cases, and statements of many rows for their tasks and history.
/// One statement per row made 100,000 cases take minutes.
macro_rules! import_on {
    ($db:ty, $begin:expr, $now:expr, $key:expr, $cases:expr, $confidentiality:expr) => {{
        let confidentiality: i64 = $confidentiality;
        let mut tx: sqlx::Transaction<'static, $db> = $begin;
        let now: DateTime<Utc> = $now;
        let key: &str = $key;
        let mut summary = ImportSummary {
            process: key.to_string(),
            ..ImportSummary::default()
        };
        sqlx::query(crate::store::query!("history/historical_version"))
            .bind(key)
            .bind(now)
            .execute(&mut *tx)
            .await?;
        let mut seen: HashSet<String> = HashSet::new();
        let mut cases = $cases.into_iter().peekable();
        while cases.peek().is_some() {
            let mut batch: Vec<Sorted> = Vec::with_capacity(IMPORT_CASES_PER_BATCH);
            for case in cases.by_ref().take(IMPORT_CASES_PER_BATCH) {
                let reference = case.reference.trim().to_string();
                let skip = |reason| {
                    Sorted::Skip(SkippedCase {
                        reference: reference.clone(),
                        reason,
                    })
                };
                batch.push(if reference.is_empty() {
                    skip(SkipReason::EmptyReference)
                } else if !seen.insert(reference.clone()) {
                    skip(SkipReason::DuplicateReference)
                } else {
                    Sorted::Candidate(reference, case)
                });
            }
            // Which of the candidates' references another case holds already.
            let wanted: Vec<&str> = batch
                .iter()
                .filter_map(|s| match s {
                    Sorted::Candidate(r, _) => Some(r.as_str()),
                    Sorted::Skip(_) => None,
                })
                .collect();
            let mut holders: std::collections::HashMap<String, (String, i64)> = Default::default();
            if !wanted.is_empty() {
                let mut q =
                    sqlx::QueryBuilder::<$db>::new(crate::store::query!("history/references_held"));
                q.push(" (");
                let mut list = q.separated(", ");
                for r in &wanted {
                    list.push_bind(*r);
                }
                list.push_unseparated(")");
                let rows: Vec<(String, String, i64)> =
                    q.build_query_as().fetch_all(&mut *tx).await?;
                for (reference, process, version) in rows {
                    holders.insert(reference, (process, version));
                }
            }
            let mut stored: Vec<(String, CaseHistory, Prepared)> = Vec::new();
            for sorted in batch {
                match sorted {
                    Sorted::Skip(skipped) => summary.skipped.push(skipped),
                    Sorted::Candidate(reference, case) => match holders.remove(&reference) {
                        Some((process, version)) => {
                            let version = u32::try_from(version).unwrap_or(u32::MAX);
                            let reason = if process == key && version == HISTORICAL_VERSION {
                                SkipReason::AlreadyImported
                            } else {
                                SkipReason::ReferenceInUse { process, version }
                            };
                            summary.skipped.push(SkippedCase { reference, reason });
                        }
                        None => {
                            let p = prepare(&case);
                            stored.push((reference, case, p));
                        }
                    },
                }
            }
            if stored.is_empty() {
                continue;
            }
            let mut insert =
                sqlx::QueryBuilder::<$db>::new(crate::store::query!("history/import_cases"));
            insert.push_values(&stored, |mut row, (reference, case, p)| {
                row.push_bind(reference.as_str())
                    .push_bind(key)
                    .push_bind(i64::from(HISTORICAL_VERSION))
                    .push_bind(sqlx::types::Json(&p.state))
                    .push_bind(p.status.as_deref())
                    .push_bind(case.result.as_deref())
                    .push_bind(false)
                    .push_bind(case.deadline)
                    .push_bind(case.target)
                    .push_bind(public_token())
                    .push_bind(1i64)
                    .push_bind(case.started)
                    .push_bind(Some(p.ended))
                    .push_bind(confidentiality)
                    .push_bind("import");
            });
            insert.push(" RETURNING id, reference");
            let ids: std::collections::HashMap<String, i64> = insert
                .build_query_as::<(i64, String)>()
                .fetch_all(&mut *tx)
                .await?
                .into_iter()
                .map(|(id, reference)| (reference, id))
                .collect();
            let id_of = |reference: &str| {
                ids.get(reference)
                    .copied()
                    .ok_or_else(|| Error::Corrupt(format!("imported case {reference} got no id")))
            };
            let mut tasks = Vec::new();
            let mut events = Vec::new();
            for (reference, case, p) in &stored {
                let id = id_of(reference)?;
                for (n, task) in case.tasks.iter().enumerate() {
                    tasks.push((id, n as i64 + 1, task, p.ended));
                }
                for (seq, (at, kind, data)) in import_events(reference, case, p.ended)
                    .into_iter()
                    .enumerate()
                {
                    events.push((id, seq as i64 + 1, at, kind, data));
                }
            }
            for rows in tasks.chunks(IMPORT_ROWS_PER_STATEMENT) {
                let mut insert =
                    sqlx::QueryBuilder::<$db>::new(crate::store::query!("history/import_tasks"));
                insert.push_values(rows, |mut row, (id, n, task, ended)| {
                    let state = if task.completed.is_some() {
                        "done"
                    } else {
                        "cancelled"
                    };
                    row.push_bind(*id)
                        .push_bind(*n)
                        .push_bind(&*task.step)
                        // The column is required; the engine never makes a task without a
                        // team, a log may.
                        .push_bind(task.team.as_deref().unwrap_or(""))
                        .push_bind(task.worker.as_deref())
                        .push_bind(state)
                        .push_bind(0i64)
                        .push_bind(task.created)
                        .push_bind(task.claimed)
                        .push_bind(task.completed.or(Some(*ended)));
                });
                insert.build().execute(&mut *tx).await?;
            }
            for rows in events.chunks(IMPORT_ROWS_PER_STATEMENT) {
                let mut insert =
                    sqlx::QueryBuilder::<$db>::new(crate::store::query!("history/import_events"));
                insert.push_values(rows, |mut row, (id, seq, at, kind, data)| {
                    row.push_bind(*id)
                        .push_bind(*seq)
                        .push_bind(*at)
                        .push_bind("import")
                        .push_bind(*kind)
                        .push_bind(sqlx::types::Json(data))
                        .push_bind(None::<&str>);
                });
                insert.build().execute(&mut *tx).await?;
            }
            summary.tasks += tasks.len();
            summary.events += events.len();
            summary.imported += stored.len();
        }
        tx.commit().await?;
        Ok(summary)
    }};
}

#[async_trait]
impl HistoryStore for SqliteStore {
    async fn histories(&self, filter: &Filter, max_rank: i64) -> Result<Vec<CaseHistory>> {
        let pool = &self.pool;
        histories_on!(
            sqlx::Sqlite,
            pool.begin().await?,
            pool.begin_with("BEGIN IMMEDIATE").await?,
            "sqlite",
            filter,
            max_rank
        )
    }

    async fn import_history(
        &self,
        key: &str,
        cases: Vec<CaseHistory>,
        now: DateTime<Utc>,
        confidentiality: i64,
    ) -> Result<ImportSummary> {
        let pool = &self.pool;
        import_on!(
            sqlx::Sqlite,
            pool.begin_with("BEGIN IMMEDIATE").await?,
            now,
            key,
            cases,
            confidentiality
        )
    }
}

#[async_trait]
impl HistoryStore for PgStore {
    async fn histories(&self, filter: &Filter, max_rank: i64) -> Result<Vec<CaseHistory>> {
        let pool = &self.pool;
        histories_on!(
            sqlx::Postgres,
            pool.begin_with("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY")
                .await?,
            pool.begin().await?,
            "postgres",
            filter,
            max_rank
        )
    }

    async fn import_history(
        &self,
        key: &str,
        cases: Vec<CaseHistory>,
        now: DateTime<Utc>,
        confidentiality: i64,
    ) -> Result<ImportSummary> {
        let pool = &self.pool;
        import_on!(
            sqlx::Postgres,
            pool.begin().await?,
            now,
            key,
            cases,
            confidentiality
        )
    }
}
