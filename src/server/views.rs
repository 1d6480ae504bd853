//! What the API sends and receives. These types, not the runtime's, are the contract: they
//! decide which fields leave the server, and the OpenAPI schemas are derived from them.

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use serde_json::Value;
use utoipa::{IntoParams, ToSchema};
use zaak_app::RawData;
use zaak_dsl::{DataField, DataType};
use zaak_runtime::{CaseView, Data, Event, TaskView};

/// Case data: field name to value (text, number, bool, or a date as `YYYY-MM-DD`).
pub type Fields = Data;

#[derive(Debug, Serialize, ToSchema)]
pub struct ProcessSummary {
    pub key: String,
    pub title: String,
    pub latest_version: u32,
    /// Vertrouwelijkheidaanduiding, e.g. `openbaar` or `vertrouwelijk`.
    pub confidentiality: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct VersionInfo {
    pub version: u32,
    pub content_hash: String,
    /// `text` or `yaml`.
    pub syntax: String,
    pub deployed_at: DateTime<Utc>,
}

/// A case data field or a form field, as a client must fill it in.
#[derive(Debug, Serialize, ToSchema)]
pub struct FieldInfo {
    pub name: String,
    /// `text`, `number`, `bool`, `date` or `choice`.
    #[serde(rename = "type")]
    pub ty: String,
    pub required: bool,
    /// For a `choice`: the values allowed.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub allowed_values: Option<Vec<String>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub label: Option<String>,
}

impl From<&DataField> for FieldInfo {
    fn from(f: &DataField) -> FieldInfo {
        let (ty, allowed_values) = match &f.ty {
            DataType::Text => ("text", None),
            DataType::Number => ("number", None),
            DataType::Bool => ("bool", None),
            DataType::Date => ("date", None),
            DataType::Choice(values) => ("choice", Some(values.clone())),
        };
        FieldInfo {
            name: f.name.name.clone(),
            ty: ty.to_string(),
            required: f.required,
            allowed_values,
            label: f.label.clone(),
        }
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ProcessDetail {
    pub key: String,
    pub title: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    pub confidentiality: String,
    pub current_version: u32,
    /// Every deployed version, oldest first.
    pub versions: Vec<VersionInfo>,
    /// The case data a client supplies to start a case of the current version.
    pub start_fields: Vec<FieldInfo>,
    /// The messages a case of the current version can receive.
    pub messages: Vec<String>,
}

#[derive(Debug, Clone, Copy, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum SourceSyntax {
    /// The text syntax of `.zaak` files.
    Text,
    /// The YAML syntax.
    Yaml,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct DeployRequest {
    /// The process source.
    #[schema(min_length = 1)]
    pub source: String,
    pub syntax: SourceSyntax,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct DeployResponse {
    pub key: String,
    pub version: u32,
    /// False when the source was the same process as the latest version: nothing changed.
    pub created: bool,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct StartCaseRequest {
    /// The key of the process.
    #[schema(pattern = r"^[a-z][a-z0-9_]*$")]
    pub process: String,
    /// The case data: field name to value, checked against the process's fields.
    #[serde(default)]
    #[schema(value_type = Object)]
    pub data: RawData,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct CaseCreated {
    pub id: i64,
    /// The readable reference, e.g. `ZAAK-2026-000123`.
    pub reference: String,
    /// Give this to the initiator: it opens `GET /api/status/{public_token}`.
    pub public_token: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct CaseSummary {
    pub id: i64,
    pub reference: String,
    pub process: String,
    pub version: u32,
    pub status: Option<String>,
    pub result: Option<String>,
    pub open: bool,
    /// Uiterlijke einddatum afdoening: the last day of the legal term.
    pub deadline: Option<NaiveDate>,
    /// Einddatum gepland: the target date from the service norm.
    pub target: Option<NaiveDate>,
    pub created_at: DateTime<Utc>,
    pub closed_at: Option<DateTime<Utc>>,
    /// For a deelzaak: the id of the case that started it (hoofdzaak).
    pub parent: Option<i64>,
}

impl From<&CaseView> for CaseSummary {
    fn from(c: &CaseView) -> CaseSummary {
        CaseSummary {
            id: c.id.0,
            reference: c.reference.clone(),
            process: c.process_key.clone(),
            version: c.process_version,
            status: c.status.clone(),
            result: c.result.clone(),
            open: c.open,
            deadline: c.deadline,
            target: c.target,
            created_at: c.created_at,
            closed_at: c.closed_at,
            parent: c.parent.map(|p| p.0),
        }
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct SuspensionInfo {
    pub from: NaiveDate,
    /// None while the suspension lasts.
    pub to: Option<NaiveDate>,
    pub reason: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ExtensionInfo {
    /// E.g. `6 weeks`.
    pub duration: String,
    pub reason: String,
    pub on: NaiveDate,
}

/// The term clock: dates and what moved them.
#[derive(Debug, Serialize, ToSchema)]
pub struct TermInfo {
    pub received: Option<NaiveDate>,
    pub deadline: Option<NaiveDate>,
    pub target: Option<NaiveDate>,
    pub original_deadline: Option<NaiveDate>,
    pub original_target: Option<NaiveDate>,
    pub suspended: bool,
    pub suspensions: Vec<SuspensionInfo>,
    pub extension: Option<ExtensionInfo>,
}

impl TermInfo {
    pub fn of(case: &CaseView) -> TermInfo {
        let term = &case.state.term;
        let suspensions: Vec<SuspensionInfo> = term
            .suspensions
            .iter()
            .map(|s| SuspensionInfo {
                from: s.from,
                to: s.to,
                reason: s.reason.clone(),
            })
            .collect();
        TermInfo {
            received: term.start,
            deadline: case.deadline.or(term.deadline),
            target: case.target.or(term.target),
            original_deadline: term.original_deadline,
            original_target: term.original_target,
            suspended: suspensions.last().is_some_and(|s| s.to.is_none()),
            suspensions,
            extension: term.extension.as_ref().map(|e| ExtensionInfo {
                duration: e.duration.to_string(),
                reason: e.reason.clone(),
                on: e.on,
            }),
        }
    }
}

/// Where tokens of the case rest in its net.
#[derive(Debug, Serialize, ToSchema)]
pub struct TokenCount {
    pub node: String,
    pub count: i64,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct StatusEntry {
    pub status: String,
    pub at: DateTime<Utc>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct CaseDetail {
    #[serde(flatten)]
    pub summary: CaseSummary,
    /// Vertrouwelijkheidaanduiding of the case.
    pub confidentiality: String,
    /// Who started the case.
    pub started_by: Option<String>,
    #[schema(value_type = Object)]
    pub data: Fields,
    pub status_history: Vec<StatusEntry>,
    pub term: TermInfo,
    pub tokens: Vec<TokenCount>,
    pub open_tasks: Vec<TaskSummary>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct EventInfo {
    pub seq: i64,
    pub at: DateTime<Utc>,
    pub actor: String,
    pub kind: String,
    #[schema(value_type = Object)]
    pub data: Value,
    pub reason: Option<String>,
}

impl From<Event> for EventInfo {
    fn from(e: Event) -> EventInfo {
        EventInfo {
            seq: e.seq,
            at: e.at,
            actor: e.actor,
            kind: e.kind,
            data: e.data,
            reason: e.reason,
        }
    }
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct MessageRequest {
    /// The message's name as the process declares it.
    #[schema(pattern = r"^[a-z][a-z0-9_]*$")]
    pub name: String,
    #[serde(default)]
    #[schema(value_type = Object)]
    pub data: RawData,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ReasonRequest {
    /// Why, for colleagues and the case history (never shown to the citizen).
    #[schema(pattern = r"\S")]
    pub reason: String,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ExtendRequest {
    /// Why, for colleagues and the case history (never shown to the citizen).
    #[schema(pattern = r"\S")]
    pub reason: String,
    /// E.g. `6 weeks` or `P6W`; at most the process's maximum extension.
    #[schema(pattern = r"^(P[0-9]{1,9}[DWMY]|[0-9]{1,9} (days?|weeks?|months?|years?))$")]
    pub duration: String,
}

/// What a command did to a case.
#[derive(Debug, Serialize, ToSchema)]
pub struct CommandResult {
    pub case: i64,
    pub status: Option<String>,
    pub result: Option<String>,
    pub open: bool,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct TaskSummary {
    pub id: i64,
    pub case_id: i64,
    pub step: String,
    pub label: Option<String>,
    pub team: String,
    pub role: Option<String>,
    pub assignee: Option<String>,
    /// `open`, `claimed`, `done` or `cancelled`.
    pub state: String,
    pub due: Option<NaiveDate>,
    pub case_deadline: Option<NaiveDate>,
    pub priority: i32,
    pub created_at: DateTime<Utc>,
    /// Why you may not take this task (not a member of its team, or without the process role
    /// it names); null when you may.
    pub not_yours: Option<String>,
}

impl TaskSummary {
    pub fn not_yours(mut self, why: Option<String>) -> TaskSummary {
        self.not_yours = why;
        self
    }
}

impl From<&TaskView> for TaskSummary {
    fn from(t: &TaskView) -> TaskSummary {
        TaskSummary {
            id: t.id.0,
            case_id: t.case_id.0,
            step: t.step.clone(),
            label: t.label.clone(),
            team: t.team.clone(),
            role: t.role.clone(),
            assignee: t.assignee.clone(),
            state: t.state.as_str().to_string(),
            due: t.due,
            case_deadline: t.case_deadline,
            priority: t.priority,
            created_at: t.created_at,
            not_yours: None,
        }
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct OutcomeInfo {
    pub name: String,
    pub label: Option<String>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct TaskDetail {
    #[serde(flatten)]
    pub summary: TaskSummary,
    pub case_reference: String,
    /// The outcome it was completed with.
    pub outcome: Option<String>,
    /// The outcomes to choose from when completing it.
    pub outcomes: Vec<OutcomeInfo>,
    /// The form fields to fill in when completing it.
    pub fields: Vec<FieldInfo>,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AssignRequest {
    /// The name of the worker who gets the task: a member of its team who holds the process
    /// role it names.
    #[schema(pattern = r"^[A-Za-z0-9._-]{1,64}$")]
    pub user: String,
    /// Why, for the case history.
    #[schema(pattern = r"\S")]
    pub reason: String,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CompleteRequest {
    /// One of the task's outcomes; required when it has any.
    #[schema(pattern = r"^[a-z][a-z0-9_]*$")]
    pub outcome: Option<String>,
    /// The form fields: field name to value, checked against the task's fields.
    #[serde(default)]
    #[schema(value_type = Object)]
    pub data: RawData,
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct CaseQuery {
    pub process: Option<String>,
    /// Only the deelzaken of this case.
    pub parent: Option<i64>,
    pub status: Option<String>,
    pub open: Option<bool>,
    /// 1 to 200; 50 when left out.
    #[param(minimum = 1, maximum = 200)]
    pub limit: Option<u32>,
    #[param(minimum = 0, maximum = 2147483647)]
    pub offset: Option<u32>,
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct TaskQuery {
    /// One of your teams; all of them when left out.
    pub team: Option<String>,
    /// `me` for the tasks you hold; a coordinator may name a member of their teams.
    pub assignee: Option<String>,
    /// `open` (the queue, the default) or `claimed` (the tasks held, by whom).
    #[param(inline)]
    pub state: Option<TaskListState>,
    /// 1 to 200; 50 when left out.
    #[param(minimum = 1, maximum = 200)]
    pub limit: Option<u32>,
    #[param(minimum = 0, maximum = 2147483647)]
    pub offset: Option<u32>,
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct GraphQuery {
    /// `mermaid` when left out.
    #[param(inline)]
    pub format: Option<GraphFormat>,
    /// The version to draw; the latest when left out.
    #[param(value_type = Option<i64>, minimum = 0, maximum = 4294967295_i64)]
    pub version: Option<u32>,
}

/// Which tasks a list holds.
#[derive(Debug, Clone, Copy, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum TaskListState {
    /// The queue: tasks nobody holds.
    Open,
    /// The tasks members hold: who works on what.
    Claimed,
}

/// The notation of a diagram.
#[derive(Debug, Clone, Copy, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum GraphFormat {
    Mermaid,
    /// Graphviz.
    Dot,
}

/// A status the case reached, as the citizen reads it.
#[derive(Debug, Serialize, ToSchema)]
pub struct CitizenStatusEntry {
    pub text: String,
    pub reached_on: NaiveDate,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct CitizenSuspension {
    pub from: NaiveDate,
    pub to: Option<NaiveDate>,
    /// A fixed sentence: the reason a worker wrote is for colleagues, never shown here.
    pub text: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct CitizenExtension {
    pub duration: String,
    /// A fixed sentence: the reason a worker wrote is for colleagues, never shown here.
    pub text: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct CitizenResult {
    pub result: String,
    pub label: Option<String>,
}

/// What the initiator of a case may see, and nothing more.
#[derive(Debug, Serialize, ToSchema)]
pub struct CitizenView {
    pub reference: String,
    /// The kind of case (zaaktype), in words.
    pub case_type: String,
    pub statuses: Vec<CitizenStatusEntry>,
    /// Einddatum gepland.
    pub expected_end_date: Option<NaiveDate>,
    /// Uiterlijke einddatum afdoening.
    pub legal_deadline: Option<NaiveDate>,
    pub suspended: bool,
    pub suspensions: Vec<CitizenSuspension>,
    pub extension: Option<CitizenExtension>,
    pub open: bool,
    pub closed_on: Option<NaiveDate>,
    /// Whether the case was decided within the legal term; none while it is open or has no term.
    pub term_met: Option<bool>,
    pub result: Option<CitizenResult>,
    /// Only the case data fields the process marks as visible to the citizen.
    #[schema(value_type = Object)]
    pub data: Fields,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct Health {
    pub status: String,
}
