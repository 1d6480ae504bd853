//! Tasks: the team queues with, for each task, whether the reader may take it and why not;
//! and the task lifecycle (claim, release, assign, complete) for those who may.

use crate::error::{AppError, AppResult, ErrorKind};
use crate::input::{reason, RawData};
use crate::policy::{require, require_in, Action};
use crate::App;
use zaak_dsl::{StepKind, TaskStep};
use zaak_runtime::people::eligibility;
use zaak_runtime::{Applied, Page, TaskId, TaskView, User, UserRole};

/// Which list of tasks.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum WorklistState {
    /// The queue: tasks nobody holds.
    Open,
    /// The tasks members hold: who works on what.
    Claimed,
}

/// What a worklist shows.
#[derive(Debug, Clone)]
pub struct WorklistQuery {
    /// One of the reader's teams; all of them when left out.
    pub team: Option<String>,
    /// `me`, or a member of the reader's teams (coordinators): the tasks they hold.
    pub assignee: Option<String>,
    /// The queue unless an assignee is named.
    pub state: Option<WorklistState>,
    pub page: Page,
}

/// A task in a list, with whether the reader may take it.
#[derive(Debug, Clone)]
pub struct WorkItem {
    pub task: TaskView,
    /// Why the reader may not hold this task (not a member, without the role it names); none
    /// when they may.
    pub not_yours: Option<String>,
}

/// A task with what its form needs.
#[derive(Debug, Clone)]
pub struct TaskDetail {
    pub task: TaskView,
    pub case_reference: String,
    /// The step of the process the task belongs to: its outcomes and form fields.
    pub step: Option<TaskStep>,
    pub not_yours: Option<String>,
}

/// The order of the queues: the earliest of due date and legal deadline, then higher priority,
/// then older. Used to merge the queues of several teams the way the database orders one.
fn queue_order(
    t: &TaskView,
) -> (
    bool,
    Option<chrono::NaiveDate>,
    i32,
    chrono::DateTime<chrono::Utc>,
    i64,
) {
    let date = match (t.due, t.case_deadline) {
        (Some(a), Some(b)) => Some(a.min(b)),
        (a, b) => a.or(b),
    };
    (date.is_none(), date, -t.priority, t.created_at, t.id.0)
}

fn not_yours(user: &User, task: &TaskView) -> Option<String> {
    eligibility(user, &task.team, task.role.as_deref())
        .err()
        .map(|e| e.to_string())
}

fn unknown_task(id: TaskId) -> AppError {
    AppError::not_found("unknown_task", format!("no task {id}"))
}

/// Merges the first pages of several lists into one page in queue order.
fn merge(lists: Vec<Vec<TaskView>>, page: Page) -> Vec<TaskView> {
    let mut all: Vec<TaskView> = lists.into_iter().flatten().collect();
    all.sort_by_key(queue_order);
    all.into_iter()
        .skip(page.offset as usize)
        .take(page.limit as usize)
        .collect()
}

impl App {
    /// The teams a list covers: the one named, which must be one of the reader's, or all of
    /// the reader's teams.
    fn listed_teams(&self, user: &User, team: Option<&String>) -> AppResult<Vec<String>> {
        match team {
            Some(team) => {
                require_in(user, Action::WorkTasks, std::iter::once(team.as_str()))?;
                Ok(vec![team.clone()])
            }
            None if user.memberships.is_empty() => Err(AppError::bad_query(
                "team",
                "you are in no team: name the team whose tasks you want",
            )),
            None => Ok(user.teams().map(str::to_string).collect()),
        }
    }

    /// A worklist: the queue of the reader's teams in queue order, or the tasks members hold.
    /// Each task says whether the reader may take it.
    pub async fn worklist(&self, user: &User, q: &WorklistQuery) -> AppResult<Vec<WorkItem>> {
        require(user, Action::WorkTasks)?;
        let state = q.state.unwrap_or(match q.assignee {
            Some(_) => WorklistState::Claimed,
            None => WorklistState::Open,
        });
        // Each list's first `offset + limit` tasks hold the merged page.
        let each = Page {
            limit: q.page.limit.saturating_add(q.page.offset),
            offset: 0,
        };
        let tasks = match (q.assignee.as_deref(), state) {
            (Some(who), WorklistState::Claimed) => {
                let name = if who == "me" { user.name.as_str() } else { who };
                if name != user.name
                    && !matches!(user.role, UserRole::Coordinator | UserRole::Admin)
                {
                    return Err(AppError::forbidden(
                        "only coordinators see the tasks of others",
                    ));
                }
                let mut tasks = self.runtime.my_tasks(name, each).await?;
                if name != user.name && !user.is_admin() {
                    tasks.retain(|t| user.in_team(&t.team));
                }
                if let Some(team) = &q.team {
                    tasks.retain(|t| &t.team == team);
                }
                merge(vec![tasks], q.page)
            }
            (Some(_), WorklistState::Open) => return Err(AppError::bad_query(
                "state",
                "open tasks are held by nobody: leave out the assignee, or ask for state=claimed",
            )),
            (None, WorklistState::Claimed) => {
                let mut lists = Vec::new();
                for team in self.listed_teams(user, q.team.as_ref())? {
                    lists.push(self.runtime.held_in_team(&team, each).await?);
                }
                merge(lists, q.page)
            }
            (None, WorklistState::Open) => {
                let teams = self.listed_teams(user, q.team.as_ref())?;
                if let [team] = teams.as_slice() {
                    self.runtime.worklist(team, q.page).await?
                } else {
                    let mut lists = Vec::new();
                    for team in &teams {
                        lists.push(self.runtime.worklist(team, each).await?);
                    }
                    merge(lists, q.page)
                }
            }
        };
        Ok(tasks
            .into_iter()
            .map(|task| WorkItem {
                not_yours: not_yours(user, &task),
                task,
            })
            .collect())
    }

    /// A task of one of the user's teams (any team for an admin). A task of another team is
    /// answered as unknown, so that its existence tells nothing.
    async fn team_task(&self, user: &User, id: TaskId, action: Action) -> AppResult<TaskView> {
        require(user, action)?;
        let task = match self.runtime.task(id).await {
            Ok(t) => t,
            Err(zaak_runtime::Error::UnknownTask(_)) => return Err(unknown_task(id)),
            Err(e) => return Err(e.into()),
        };
        if require_in(user, action, std::iter::once(task.team.as_str())).is_err() {
            return Err(unknown_task(id));
        }
        Ok(task)
    }

    /// A task with its outcomes and form fields.
    pub async fn task(&self, user: &User, id: TaskId) -> AppResult<TaskDetail> {
        let task = self.team_task(user, id, Action::WorkTasks).await?;
        let case = self.runtime.case(task.case_id).await?;
        let model = self
            .runtime
            .model(&case.process_key, case.process_version)
            .await?;
        let step = model.step(&task.step).and_then(|s| match &s.kind {
            StepKind::Task(t) => Some(t.clone()),
            _ => None,
        });
        Ok(TaskDetail {
            not_yours: not_yours(user, &task),
            task,
            case_reference: case.reference,
            step,
        })
    }

    /// Takes an open task from the queue.
    pub async fn claim(&self, user: &User, id: TaskId) -> AppResult<TaskView> {
        self.team_task(user, id, Action::WorkTasks).await?;
        Ok(self.runtime.claim(id, &user.name).await?)
    }

    /// Puts a task the user holds back in its team's queue.
    pub async fn release(&self, user: &User, id: TaskId) -> AppResult<TaskView> {
        self.team_task(user, id, Action::WorkTasks).await?;
        Ok(self.runtime.release(id, &user.name).await?)
    }

    /// Gives a task to a member of its team who holds the role it names, with a reason that
    /// lands in the case history.
    pub async fn assign(
        &self,
        user: &User,
        id: TaskId,
        to: &str,
        why: &str,
    ) -> AppResult<TaskView> {
        self.team_task(user, id, Action::AssignTasks).await?;
        let why = reason(why)?;
        self.runtime
            .assign(id, to, &why, &user.name)
            .await
            .map_err(|e| match e {
                // The member given is the caller's input: it names the field, it is no
                // refusal of the caller.
                zaak_runtime::Error::NotEligible(n) => {
                    AppError::new(ErrorKind::Invalid, "not_eligible", n.to_string())
                        .with_field("user")
                }
                zaak_runtime::Error::BadRequest(m) => AppError::invalid("user", m),
                other => other.into(),
            })
    }

    /// Completes a task the user holds, with an outcome and the form data, and moves the case
    /// on. The engine checks the outcome and the fields; a mistake names its field.
    pub async fn complete(
        &self,
        user: &User,
        id: TaskId,
        outcome: Option<&str>,
        data: &RawData,
    ) -> AppResult<Applied> {
        self.team_task(user, id, Action::WorkTasks).await?;
        let data = data.read("data")?;
        let applied = self.runtime.complete(id, &user.name, outcome, data).await?;
        tracing::info!(task = id.0, "task completed");
        Ok(applied)
    }
}
