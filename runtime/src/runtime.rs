//! The runtime: deploys processes, starts cases, applies commands and task actions, fires
//! timers, and answers queries.
//!
//! Every write goes through one committer task per runtime (see [`crate::commit`]): callers send
//! their work and wait for the answer, which comes only after the transaction that holds the
//! work has committed.

use crate::clock::{Clock, SystemClock};
use crate::commit::{self, Job, Reply, Work};
use crate::error::{Error, Result};
use crate::exec::{self, Compiled};
use crate::people::{rank, Viewer};
use crate::store::postgres::PgStore;
use crate::store::sqlite::SqliteStore;
use crate::store::{Store, VersionRow};
use crate::types::*;
use serde_json::Value;
use sha2::{Digest, Sha256};
use std::collections::HashMap;
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::sync::{Arc, RwLock};
use tokio::sync::{mpsc, oneshot};
use zaak_dsl::{ProcessModel, Syntax};
use zaak_engine::calendar::Calendar;
use zaak_engine::case::{Command, Data};

/// How hard SQLite works to keep a committed transaction through a power cut.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Durability {
    /// `synchronous=FULL`: a commit survives a power cut once acknowledged.
    #[default]
    Full,
    /// `synchronous=NORMAL`: survives a crash of the process, may lose the last commits on a
    /// power cut; faster.
    Normal,
}

/// How to run.
#[derive(Clone)]
pub struct RuntimeOptions {
    pub durability: Durability,
    pub clock: Arc<dyn Clock>,
    /// Holidays and closing days, for terms and due dates.
    pub calendar: Calendar,
    /// The most commands the committer puts in one transaction.
    pub max_batch: usize,
    /// How many committers write at once on PostgreSQL, each with its own queue; commands on
    /// one case, or actions on one task, always go to the same one. SQLite has one writer, so
    /// it always has one committer.
    pub postgres_committers: usize,
    /// The most markings the soundness check of a deployment explores before it gives up (and
    /// refuses the process). Whoever deploys cannot raise it; whoever runs the server can.
    pub soundness_limit: usize,
}

/// When a source that was deployed before becomes a new version.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Redeploy {
    /// A source equal to the latest version changes nothing; one equal to an older version
    /// becomes the newest again (a designer going back to it). For explicit deployments.
    UnlessLatest,
    /// A source equal to any stored version of its process changes nothing, so that the
    /// process files a server deploys at start never put an older version back on top of one
    /// deployed later through the API.
    UnlessStored,
}

impl Default for RuntimeOptions {
    fn default() -> RuntimeOptions {
        RuntimeOptions {
            durability: Durability::Full,
            clock: Arc::new(SystemClock),
            calendar: Calendar::netherlands(),
            max_batch: 256,
            postgres_committers: 4,
            soundness_limit: zaak_engine::soundness::DEFAULT_LIMIT,
        }
    }
}

/// Counts kept by the committer.
#[derive(Default)]
pub(crate) struct CommitCounters {
    pub transactions: AtomicU64,
    pub works: AtomicU64,
}

/// What the committer and the query side share.
pub(crate) struct Shared {
    pub store: Arc<dyn Store>,
    pub clock: Arc<dyn Clock>,
    pub calendar: Calendar,
    pub stats: CommitCounters,
    pub soundness_limit: usize,
    processes: RwLock<HashMap<(String, i64), Arc<Compiled>>>,
}

impl Shared {
    /// The compiled process version, from the cache or compiled from its stored source.
    pub async fn process(&self, key: &str, version: i64) -> Result<Arc<Compiled>> {
        if let Some(p) = self.cached(key, version) {
            return Ok(p);
        }
        let row = self
            .store
            .version(key, version)
            .await?
            .ok_or_else(|| Error::UnknownProcess(format!("{key} version {version}")))?;
        let compiled = Arc::new(compile_stored(&row)?);
        let mut cache = self.processes.write().unwrap_or_else(|e| e.into_inner());
        cache.insert((key.to_string(), version), compiled.clone());
        Ok(compiled)
    }

    fn cached(&self, key: &str, version: i64) -> Option<Arc<Compiled>> {
        let cache = self.processes.read().unwrap_or_else(|e| e.into_inner());
        cache.get(&(key.to_string(), version)).cloned()
    }
}

fn syntax_name(s: Syntax) -> &'static str {
    match s {
        Syntax::Text => "text",
        Syntax::Yaml => "yaml",
    }
}

fn compile_stored(row: &VersionRow) -> Result<Compiled> {
    let syntax = match row.syntax.as_str() {
        "text" => Syntax::Text,
        "yaml" => Syntax::Yaml,
        other => return Err(Error::Corrupt(format!("process syntax `{other}`"))),
    };
    let (model, _) = load_model(&row.source, syntax)?;
    exec::compile(model).map_err(Error::Invalid)
}

/// Reads and validates a source; the model and its content hash, or every diagnostic.
fn load_model(source: &str, syntax: Syntax) -> Result<(ProcessModel, String)> {
    let loaded = zaak_dsl::load(source, syntax);
    let has_errors = loaded.has_errors();
    match loaded.model {
        Some(model) if !has_errors => {
            let hash = content_hash(&model)?;
            Ok((model, hash))
        }
        _ => Err(Error::Invalid(loaded.diagnostics)),
    }
}

/// The identity of a process version's content.
fn content_hash(model: &ProcessModel) -> Result<String> {
    {
        {
            // The hash is taken over the model, not the text: a change of layout or comments,
            // or the same process written in the other syntax, is not a new version.
            let canonical = serde_json::to_string(model)
                .map_err(|e| Error::Corrupt(format!("process model: {e}")))?;
            let hash = Sha256::digest(canonical.as_bytes());
            Ok(hex(&hash))
        }
    }
}

pub(crate) fn hex(bytes: &[u8]) -> String {
    ::hex::encode(bytes)
}

/// A handle on durable cases in one database. Cheap to clone; all clones share one committer.
#[derive(Clone)]
pub struct Runtime {
    pub(crate) shared: Arc<Shared>,
    /// One queue per committer.
    committers: Arc<[mpsc::Sender<Job>]>,
    /// Spreads works without an order over the committers.
    next: Arc<AtomicUsize>,
}

impl Runtime {
    /// Opens `sqlite://path` (the file is created if missing) or `postgres://...`, brings the
    /// schema up to date and starts the committer. Must be called inside a tokio runtime.
    pub async fn open(url: &str, options: RuntimeOptions) -> Result<Runtime> {
        if url.starts_with("sqlite:") && url.contains(":memory:") {
            // Each pooled connection would get a database of its own: cases written by the
            // committer would be invisible to queries.
            return Err(Error::UnsupportedUrl(format!(
                "{url} (an in-memory database cannot be shared by the pool; use a file, e.g. in a temporary directory)"
            )));
        }
        let (store, committers): (Arc<dyn Store>, usize) = if url.starts_with("sqlite:") {
            let full = options.durability == Durability::Full;
            (Arc::new(SqliteStore::open(url, full).await?), 1)
        } else if url.starts_with("postgres:") || url.starts_with("postgresql:") {
            let committers = options.postgres_committers.clamp(1, 16);
            (Arc::new(PgStore::open(url, committers).await?), committers)
        } else {
            return Err(Error::UnsupportedUrl(url.to_string()));
        };
        let shared = Arc::new(Shared {
            store,
            clock: options.clock,
            calendar: options.calendar,
            stats: CommitCounters::default(),
            soundness_limit: options.soundness_limit.max(1),
            processes: RwLock::new(HashMap::new()),
        });
        classify_cases(&shared).await?;
        let max_batch = options.max_batch.max(1);
        let queues: Vec<mpsc::Sender<Job>> = (0..committers)
            .map(|_| {
                let (jobs, queue) = mpsc::channel(max_batch * 4);
                tokio::spawn(commit::run(shared.clone(), queue, max_batch));
                jobs
            })
            .collect();
        Ok(Runtime {
            shared,
            committers: queues.into(),
            next: Arc::new(AtomicUsize::new(0)),
        })
    }

    /// How many transactions the committer committed, and how many commands they held.
    pub fn commit_stats(&self) -> CommitStats {
        CommitStats {
            transactions: self.shared.stats.transactions.load(Ordering::Relaxed),
            commands: self.shared.stats.works.load(Ordering::Relaxed),
        }
    }

    /// The clock this runtime reads.
    pub fn clock(&self) -> &Arc<dyn Clock> {
        &self.shared.clock
    }

    /// The holidays, decreed days and closing days terms are counted with.
    pub fn calendar(&self) -> &Calendar {
        &self.shared.calendar
    }

    pub(crate) async fn submit(&self, work: Work) -> Result<Reply> {
        let (reply, answer) = oneshot::channel();
        let n = self.committers.len();
        let index = match work.shard_key() {
            Some(key) => key.rem_euclid(n as i64) as usize,
            None => self.next.fetch_add(1, Ordering::Relaxed) % n,
        };
        self.committers[index]
            .send(Job { work, reply })
            .await
            .map_err(|_| Error::Stopped)?;
        answer.await.map_err(|_| Error::Stopped)?
    }

    /// Deploys a process after the checks `zaak check` makes: names, types and soundness (within
    /// the runtime's soundness limit). A process with an error is refused with every diagnostic
    /// and nothing is stored. Whether a source deployed before becomes a new version is
    /// `redeploy`'s rule. Cases stay on the version they started under.
    pub async fn deploy(
        &self,
        source: &str,
        syntax: Syntax,
        redeploy: Redeploy,
    ) -> Result<Deployed> {
        let (model, hash) = load_model(source, syntax)?;
        // Deelzaken are not checked here yet: that needs the other deployed processes.
        let limits = zaak_engine::check::Limits {
            markings: self.shared.soundness_limit,
            refuse_unproven: true,
        };
        let findings = zaak_engine::check::check_model(&model, None, &limits);
        if findings.iter().any(zaak_dsl::Diagnostic::is_error) {
            return Err(Error::Invalid(findings));
        }
        let key = model.process.name.clone();
        let compiled = Arc::new(exec::compile(model).map_err(Error::Invalid)?);
        let mut tx = self.shared.store.begin().await?;
        let latest = tx.latest_version(&key).await?;
        let same = match (redeploy, &latest) {
            (_, Some(latest)) if latest.content_hash == hash => Some(latest.version),
            (Redeploy::UnlessStored, Some(_)) => tx.version_with_hash(&key, &hash).await?,
            _ => None,
        };
        if let Some(version) = same {
            return Ok(Deployed {
                key,
                version: version as u32,
                created: false,
            });
        }
        let version = latest.map_or(1, |l| l.version + 1);
        tx.insert_version(&VersionRow {
            process_key: key.clone(),
            version,
            content_hash: hash,
            source: source.to_string(),
            syntax: syntax_name(syntax).to_string(),
            deployed_at: self.shared.clock.now(),
        })
        .await?;
        tx.commit().await?;
        let mut cache = self
            .shared
            .processes
            .write()
            .unwrap_or_else(|e| e.into_inner());
        cache.insert((key.clone(), version), compiled);
        Ok(Deployed {
            key,
            version: version as u32,
            created: true,
        })
    }

    /// Every deployed version of a process, oldest first.
    pub async fn versions(&self, key: &str) -> Result<Vec<ProcessVersion>> {
        let rows = self.shared.store.versions(key).await?;
        Ok(rows.into_iter().map(VersionRow::into_view).collect())
    }

    /// The latest version of every deployed process, by key.
    pub async fn processes(&self) -> Result<Vec<ProcessVersion>> {
        let rows = self.shared.store.latest_versions().await?;
        Ok(rows.into_iter().map(VersionRow::into_view).collect())
    }

    /// The model of a deployed process version.
    pub async fn model(&self, key: &str, version: u32) -> Result<ProcessModel> {
        let p = self.shared.process(key, i64::from(version)).await?;
        Ok(p.model().clone())
    }

    /// Starts a case of the latest version of a process. With an idempotency key, a second
    /// start with the same key returns the first case (`created: false`) and starts nothing.
    pub async fn start_case(
        &self,
        process_key: &str,
        data: Data,
        actor: &str,
        idempotency_key: Option<&str>,
    ) -> Result<CaseRef> {
        let work = Work::Start {
            process_key: process_key.to_string(),
            data,
            actor: actor.to_string(),
            idempotency_key: idempotency_key.map(str::to_string),
        };
        match self.submit(work).await? {
            Reply::Case(c) => Ok(c),
            _ => Err(Error::Corrupt("unexpected reply".into())),
        }
    }

    /// Applies a command to a case. Task completion goes through [`Runtime::complete`] and timers
    /// through [`Runtime::fire_due_timers`], which check who may do it.
    pub async fn command(&self, case: CaseId, command: Command, actor: &str) -> Result<Applied> {
        let work = Work::Command {
            case: case.0,
            command,
            actor: actor.to_string(),
        };
        self.applied(work).await
    }

    async fn applied(&self, work: Work) -> Result<Applied> {
        match self.submit(work).await? {
            Reply::Applied(a) => Ok(a),
            _ => Err(Error::Corrupt("unexpected reply".into())),
        }
    }

    async fn task_reply(&self, work: Work) -> Result<TaskView> {
        match self.submit(work).await? {
            Reply::Task(t) => Ok(t),
            _ => Err(Error::Corrupt("unexpected reply".into())),
        }
    }

    /// Takes an open task from its team's queue. Only members of the task's team who hold the
    /// process role it names may ([`Error::NotEligible`]); a task someone else claimed first is
    /// a [`Error::Conflict`].
    pub async fn claim(&self, task: TaskId, user: &str) -> Result<TaskView> {
        self.task_reply(Work::Claim {
            task: task.0,
            user: user.to_string(),
        })
        .await
    }

    /// Puts a task the user claimed back in the queue.
    pub async fn release(&self, task: TaskId, user: &str) -> Result<TaskView> {
        self.task_reply(Work::Release {
            task: task.0,
            user: user.to_string(),
        })
        .await
    }

    /// Gives an open or claimed task to a member of its team who holds the process role it
    /// names (a coordinator distributing work). The reason is required and lands in the case
    /// history.
    pub async fn assign(
        &self,
        task: TaskId,
        to_user: &str,
        reason: &str,
        by: &str,
    ) -> Result<TaskView> {
        self.task_reply(Work::Assign {
            task: task.0,
            to: to_user.to_string(),
            reason: reason.to_string(),
            by: by.to_string(),
        })
        .await
    }

    /// Completes a task the user holds, with an outcome and form data, and moves the case on.
    /// A task completed before, or held by someone else, is a [`Error::Conflict`] and changes
    /// nothing; so is a task whose role the user no longer holds ([`Error::NotEligible`]).
    /// When this returns, the task is in no queue any more.
    pub async fn complete(
        &self,
        task: TaskId,
        user: &str,
        outcome: Option<&str>,
        data: Data,
    ) -> Result<Applied> {
        self.applied(Work::Complete {
            task: task.0,
            user: user.to_string(),
            outcome: outcome.map(str::to_string),
            data,
        })
        .await
    }

    /// Fires up to `limit` timers that are due by the clock, each exactly once, and moves their
    /// cases on; returns how many fired.
    pub async fn fire_due_timers(&self, limit: usize) -> Result<usize> {
        match self.submit(Work::FireTimers { limit }).await? {
            Reply::Fired(n) => Ok(n),
            _ => Err(Error::Corrupt("unexpected reply".into())),
        }
    }

    /// Fires due timers every `interval` until the returned handle is aborted.
    pub fn spawn_timer_loop(&self, interval: std::time::Duration) -> tokio::task::JoinHandle<()> {
        let runtime = self.clone();
        tokio::spawn(async move {
            let mut tick = tokio::time::interval(interval);
            tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
            loop {
                tick.tick().await;
                // Keep firing while full batches come back: a backlog drains at once.
                while let Ok(n) = runtime.fire_due_timers(256).await {
                    if n < 256 {
                        break;
                    }
                }
            }
        })
    }

    pub async fn case(&self, id: CaseId) -> Result<CaseView> {
        let row = self.shared.store.case(id.0).await?;
        row.map(|r| r.into_view()).ok_or(Error::UnknownCase(id.0))
    }

    pub async fn case_by_reference(&self, reference: &str) -> Result<Option<CaseView>> {
        let row = self.shared.store.case_by_reference(reference).await?;
        Ok(row.map(|r| r.into_view()))
    }

    /// The case a public token opens (the initiator's status view).
    pub async fn case_by_public_token(&self, token: &str) -> Result<Option<CaseView>> {
        let row = self.shared.store.case_by_public_token(token).await?;
        Ok(row.map(|r| r.into_view()))
    }

    /// Cases matching the filter, oldest first.
    pub async fn cases(&self, filter: &CaseFilter, page: Page) -> Result<Vec<CaseView>> {
        self.cases_for(&Viewer::everything(), filter, page).await
    }

    /// The cases matching the filter that the viewer may see, oldest first. The cases the
    /// viewer may not see are left out before paging, so a page is never short because of them.
    pub async fn cases_for(
        &self,
        viewer: &Viewer,
        filter: &CaseFilter,
        page: Page,
    ) -> Result<Vec<CaseView>> {
        let rows = self.shared.store.cases(viewer, filter, page).await?;
        Ok(rows.into_iter().map(|r| r.into_view()).collect())
    }

    /// A case, if the viewer may see it; `None` both when it does not exist and when it is
    /// hidden from the viewer, so that the answer tells nothing of a case they may not see.
    pub async fn case_for(&self, viewer: &Viewer, id: CaseId) -> Result<Option<CaseView>> {
        let row = self.shared.store.case_for(viewer, id.0).await?;
        Ok(row.map(|r| r.into_view()))
    }

    /// A case by its reference, if the viewer may see it.
    pub async fn case_by_reference_for(
        &self,
        viewer: &Viewer,
        reference: &str,
    ) -> Result<Option<CaseView>> {
        let row = self
            .shared
            .store
            .case_by_reference_for(viewer, reference)
            .await?;
        Ok(row.map(|r| r.into_view()))
    }

    /// A case's history, in order.
    pub async fn events(&self, case: CaseId) -> Result<Vec<Event>> {
        let rows = self.shared.store.events(case.0).await?;
        Ok(rows.into_iter().map(|r| r.into_view()).collect())
    }

    /// How many open cases of a process version wait at each place of its net.
    pub async fn step_counts(&self, key: &str, version: u32) -> Result<Vec<StepCount>> {
        self.step_counts_for(&Viewer::everything(), key, version)
            .await
    }

    /// How many open cases of a process version that the viewer may see wait at each place.
    pub async fn step_counts_for(
        &self,
        viewer: &Viewer,
        key: &str,
        version: u32,
    ) -> Result<Vec<StepCount>> {
        let rows = self
            .shared
            .store
            .step_counts(viewer, key, i64::from(version))
            .await?;
        Ok(rows
            .into_iter()
            .map(|r| StepCount {
                place: r.place,
                step: r.step,
                cases: r.cases,
                tokens: r.tokens,
            })
            .collect())
    }

    /// Where a case's tokens rest, by place name (empty once the case is closed).
    pub async fn case_tokens(&self, case: CaseId) -> Result<Vec<(String, i64)>> {
        self.shared.store.token_rows(case.0).await
    }

    pub async fn task(&self, id: TaskId) -> Result<TaskView> {
        let row = self.shared.store.task(id.0).await?;
        row.ok_or(Error::UnknownTask(id.0))?.into_view()
    }

    /// Every task a case ever had, in the order they were created.
    pub async fn case_tasks(&self, case: CaseId) -> Result<Vec<TaskView>> {
        let rows = self.shared.store.case_tasks(case.0).await?;
        rows.into_iter().map(|r| r.into_view()).collect()
    }

    pub async fn case_timers(&self, case: CaseId) -> Result<Vec<TimerView>> {
        let rows = self.shared.store.case_timers(case.0).await?;
        rows.into_iter().map(|r| r.into_view()).collect()
    }

    /// A team's queue of open tasks: earliest of due date and the case's legal deadline first,
    /// then higher priority, then older.
    pub async fn worklist(&self, team: &str, page: Page) -> Result<Vec<TaskView>> {
        let rows = self.shared.store.worklist(team, page).await?;
        rows.into_iter().map(|r| r.into_view()).collect()
    }

    /// The tasks a worker holds, in queue order.
    pub async fn my_tasks(&self, user: &str, page: Page) -> Result<Vec<TaskView>> {
        let rows = self.shared.store.held_by(user, page).await?;
        rows.into_iter().map(|r| r.into_view()).collect()
    }

    /// The tasks members of a team hold (who works on what), in queue order.
    pub async fn held_in_team(&self, team: &str, page: Page) -> Result<Vec<TaskView>> {
        let rows = self.shared.store.held_in_team(team, page).await?;
        rows.into_iter().map(|r| r.into_view()).collect()
    }

    /// The number of open tasks in every team's queue that has any, by team.
    pub async fn queue_lengths(&self) -> Result<Vec<(String, u64)>> {
        let rows = self.shared.store.open_per_team().await?;
        Ok(rows
            .into_iter()
            .map(|(team, n)| (team, u64::try_from(n).unwrap_or(0)))
            .collect())
    }
}

/// Records the confidentiality of cases stored before it was recorded, from their process
/// version (for imported history, the process's latest version; `openbaar` when it has none).
async fn classify_cases(shared: &Shared) -> Result<()> {
    let mut tx = shared.store.begin().await?;
    let versions = tx.unclassified_versions().await?;
    if versions.is_empty() {
        return Ok(());
    }
    for (key, version) in versions {
        let source = if version == 0 {
            tx.latest_version(&key).await?
        } else {
            shared.store.version(&key, version).await?
        };
        let confidentiality = match source {
            Some(row) => compile_stored(&row)?.model().confidentiality,
            None => zaak_dsl::Confidentiality::Openbaar,
        };
        tx.classify(&key, version, rank(confidentiality)).await?;
    }
    tx.commit().await
}

/// The JSON of a value that always serializes (engine types are plain data).
pub(crate) fn to_json<T: serde::Serialize>(value: &T) -> Value {
    serde_json::to_value(value).unwrap_or(Value::Null)
}
