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
use crate::history::Pool;
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
}

impl Default for RuntimeOptions {
    fn default() -> RuntimeOptions {
        RuntimeOptions {
            durability: Durability::Full,
            clock: Arc::new(SystemClock),
            calendar: Calendar::netherlands(),
            max_batch: 256,
            postgres_committers: 4,
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
            // The hash is taken over the model, not the text: a change of layout or comments,
            // or the same process written in the other syntax, is not a new version.
            let canonical = serde_json::to_string(&model)
                .map_err(|e| Error::Corrupt(format!("process model: {e}")))?;
            let hash = Sha256::digest(canonical.as_bytes());
            Ok((model, hex(&hash)))
        }
        _ => Err(Error::Invalid(loaded.diagnostics)),
    }
}

pub(crate) fn hex(bytes: &[u8]) -> String {
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    let mut s = String::with_capacity(bytes.len() * 2);
    for b in bytes {
        s.push(DIGITS[(b >> 4) as usize] as char);
        s.push(DIGITS[(b & 15) as usize] as char);
    }
    s
}

/// A handle on durable cases in one database. Cheap to clone; all clones share one committer.
#[derive(Clone)]
pub struct Runtime {
    shared: Arc<Shared>,
    /// The backend's pool, for the history queries and imports in [`crate::history`].
    pub(crate) pool: Pool,
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
        let (store, committers, pool): (Arc<dyn Store>, usize, Pool) = if url.starts_with("sqlite:")
        {
            let full = options.durability == Durability::Full;
            let store = SqliteStore::open(url, full).await?;
            let pool = Pool::Sqlite(store.pool.clone());
            (Arc::new(store), 1, pool)
        } else if url.starts_with("postgres:") || url.starts_with("postgresql:") {
            let committers = options.postgres_committers.clamp(1, 16);
            let store = PgStore::open(url, committers).await?;
            let pool = Pool::Postgres(store.pool.clone());
            (Arc::new(store), committers, pool)
        } else {
            return Err(Error::UnsupportedUrl(url.to_string()));
        };
        let shared = Arc::new(Shared {
            store,
            clock: options.clock,
            calendar: options.calendar,
            stats: CommitCounters::default(),
            processes: RwLock::new(HashMap::new()),
        });
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
            pool,
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

    async fn submit(&self, work: Work) -> Result<Reply> {
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

    /// Deploys a process. Changed source becomes the next version; the same process as the
    /// latest version changes nothing. Cases stay on the version they started under.
    pub async fn deploy(&self, source: &str, syntax: Syntax) -> Result<Deployed> {
        let (model, hash) = load_model(source, syntax)?;
        let key = model.process.name.clone();
        let compiled = Arc::new(exec::compile(model).map_err(Error::Invalid)?);
        let mut tx = self.shared.store.begin().await?;
        let latest = tx.latest_version(&key).await?;
        if let Some(latest) = &latest {
            if latest.content_hash == hash {
                return Ok(Deployed {
                    key,
                    version: latest.version as u32,
                    created: false,
                });
            }
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

    /// Takes an open task from its team's queue. Only members of the task's team may; a task
    /// someone else claimed first is a [`Error::Conflict`].
    pub async fn claim(&self, task: TaskId, user: &str, user_teams: &[String]) -> Result<TaskView> {
        self.task_reply(Work::Claim {
            task: task.0,
            user: user.to_string(),
            teams: user_teams.to_vec(),
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

    /// Gives an open or claimed task to a worker (a coordinator distributing work). The reason
    /// is required and lands in the case history.
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
    /// nothing. When this returns, the task is in no queue any more.
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
        let rows = self.shared.store.cases(filter, page).await?;
        Ok(rows.into_iter().map(|r| r.into_view()).collect())
    }

    /// A case's history, in order.
    pub async fn events(&self, case: CaseId) -> Result<Vec<Event>> {
        let rows = self.shared.store.events(case.0).await?;
        Ok(rows.into_iter().map(|r| r.into_view()).collect())
    }

    /// How many open cases of a process version wait at each place of its net.
    pub async fn step_counts(&self, key: &str, version: u32) -> Result<Vec<StepCount>> {
        let rows = self
            .shared
            .store
            .step_counts(key, i64::from(version))
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
        let rows = self.shared.store.my_tasks(user, page).await?;
        rows.into_iter().map(|r| r.into_view()).collect()
    }
}

/// Automatic assignment: how each team's new tasks find a worker, and who the team's members
/// are. These write at once, outside the committer: they touch no case.
impl Runtime {
    /// Sets how a team's new tasks are assigned from now on; tasks already created stay as
    /// they are. Round robin goes on after the member who got the team's last task.
    pub async fn set_team_policy(&self, team: &str, policy: AssignmentPolicy) -> Result<()> {
        let team = plain_name("team", team)?;
        let mut tx = self.shared.store.begin().await?;
        tx.set_team_policy(team, policy.as_str()).await?;
        tx.commit().await
    }

    /// How a team's new tasks are assigned ([`AssignmentPolicy::Manual`] when never set).
    pub async fn team_policy(&self, team: &str) -> Result<AssignmentPolicy> {
        match self.shared.store.team_policy(team).await? {
            Some(row) => row.policy(),
            None => Ok(AssignmentPolicy::Manual),
        }
    }

    /// Makes these users the whole membership of a team (an empty list leaves it without
    /// members, so its tasks stay in the queue).
    pub async fn set_team_members(&self, team: &str, members: &[String]) -> Result<()> {
        let team = plain_name("team", team)?;
        let members = members
            .iter()
            .map(|m| plain_name("member", m))
            .collect::<Result<Vec<_>>>()?;
        let mut tx = self.shared.store.begin().await?;
        tx.clear_team_members(team).await?;
        for member in members {
            tx.add_team_member(team, member).await?;
        }
        tx.commit().await
    }

    /// Adds a user to a team; adding a member twice changes nothing.
    pub async fn add_team_member(&self, team: &str, member: &str) -> Result<()> {
        let team = plain_name("team", team)?;
        let member = plain_name("member", member)?;
        let mut tx = self.shared.store.begin().await?;
        tx.add_team_member(team, member).await?;
        tx.commit().await
    }

    /// Takes a user out of a team; whether they were a member. Tasks they hold stay theirs.
    pub async fn remove_team_member(&self, team: &str, member: &str) -> Result<bool> {
        let mut tx = self.shared.store.begin().await?;
        let removed = tx.remove_team_member(team, member).await?;
        tx.commit().await?;
        Ok(removed > 0)
    }

    /// A team's members, sorted by name.
    pub async fn team_members(&self, team: &str) -> Result<Vec<String>> {
        self.shared.store.team_members(team).await
    }
}

/// A team or member name without surrounding blanks; an empty one is refused.
fn plain_name<'a>(what: &str, name: &'a str) -> Result<&'a str> {
    let name = name.trim();
    if name.is_empty() {
        return Err(Error::BadRequest(format!("a {what} needs a name")));
    }
    Ok(name)
}

/// The JSON of a value that always serializes (engine types are plain data).
pub(crate) fn to_json<T: serde::Serialize>(value: &T) -> Value {
    serde_json::to_value(value).unwrap_or(Value::Null)
}
