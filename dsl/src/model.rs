//! The process model: what a process designer wrote, independent of the syntax it was written in.
//!
//! Both the text syntax and the YAML syntax produce a [`ProcessModel`]; everything downstream
//! (validation, the engine's net compiler, the runtime) reads only this model. The serde
//! derives define the YAML form directly, so a field added here is a field in YAML too.
//!
//! Spans point into the source a model was read from. They are not part of a model's identity:
//! [`Span`] compares equal to every other span, so the same process read from text and from YAML
//! compares equal.

use serde::{Deserialize, Serialize};
use std::fmt;

/// A byte range in the source a model was read from. Models built in code have an empty span.
#[derive(Debug, Clone, Copy, Default, Eq, Serialize)]
pub struct Span {
    pub start: usize,
    pub end: usize,
}

impl Span {
    pub fn new(start: usize, end: usize) -> Span {
        Span { start, end }
    }

    pub fn is_empty(&self) -> bool {
        self.start == self.end
    }

    pub fn len(&self) -> usize {
        self.end - self.start
    }
}

/// Spans say where a thing was written, not what it is: two models that differ only in where
/// their parts stand in the source are the same model.
impl PartialEq for Span {
    fn eq(&self, _other: &Span) -> bool {
        true
    }
}

// Hashing and ordering agree with equality: a span adds nothing to them.
impl std::hash::Hash for Span {
    fn hash<H: std::hash::Hasher>(&self, _state: &mut H) {}
}

impl PartialOrd for Span {
    fn partial_cmp(&self, other: &Span) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for Span {
    fn cmp(&self, _other: &Span) -> std::cmp::Ordering {
        std::cmp::Ordering::Equal
    }
}

/// A name written in a process (a step, team, status, data field...), with where it was written.
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[serde(transparent)]
pub struct Name {
    pub name: String,
    #[serde(skip)]
    pub span: Span,
}

impl Name {
    pub fn new(name: impl Into<String>) -> Name {
        Name {
            name: name.into(),
            span: Span::default(),
        }
    }

    pub fn spanned(name: impl Into<String>, span: Span) -> Name {
        Name {
            name: name.into(),
            span,
        }
    }

    pub fn as_str(&self) -> &str {
        &self.name
    }
}

impl fmt::Display for Name {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.name)
    }
}

/// A condition or value in the expression language, kept as written. The source text is the
/// model's identity; the span says where it stands.
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq, Eq)]
#[serde(transparent)]
pub struct Expr {
    pub source: String,
    #[serde(skip)]
    pub span: Span,
}

impl Expr {
    pub fn new(source: impl Into<String>) -> Expr {
        Expr {
            source: source.into(),
            span: Span::default(),
        }
    }
}

/// A length of time as designers say it: "8 weeks", "6 months", "5 working days".
///
/// Written as text ("8 weeks") or as an ISO 8601 duration ("P8W", as in the ZGW Catalogi API);
/// always written back as text. Working days have no ISO form.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Duration {
    pub amount: u32,
    pub unit: DurationUnit,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DurationUnit {
    Hours,
    Days,
    WorkingDays,
    Weeks,
    Months,
    Years,
}

impl DurationUnit {
    fn word(self, amount: u32) -> &'static str {
        let one = amount == 1;
        match self {
            DurationUnit::Hours if one => "hour",
            DurationUnit::Hours => "hours",
            DurationUnit::Days if one => "day",
            DurationUnit::Days => "days",
            DurationUnit::WorkingDays if one => "working day",
            DurationUnit::WorkingDays => "working days",
            DurationUnit::Weeks if one => "week",
            DurationUnit::Weeks => "weeks",
            DurationUnit::Months if one => "month",
            DurationUnit::Months => "months",
            DurationUnit::Years if one => "year",
            DurationUnit::Years => "years",
        }
    }
}

impl Duration {
    pub fn new(amount: u32, unit: DurationUnit) -> Duration {
        Duration { amount, unit }
    }

    /// The ISO 8601 form used by the ZGW APIs, where one exists.
    pub fn to_iso8601(&self) -> Option<String> {
        let n = self.amount;
        Some(match self.unit {
            DurationUnit::Hours => format!("PT{n}H"),
            DurationUnit::Days => format!("P{n}D"),
            DurationUnit::Weeks => format!("P{n}W"),
            DurationUnit::Months => format!("P{n}M"),
            DurationUnit::Years => format!("P{n}Y"),
            DurationUnit::WorkingDays => return None,
        })
    }
}

impl fmt::Display for Duration {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} {}", self.amount, self.unit.word(self.amount))
    }
}

/// Why a duration could not be read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("`{0}` is not a duration; write it as `8 weeks`, `5 working days` or `P8W`")]
pub struct DurationError(pub String);

impl std::str::FromStr for Duration {
    type Err = DurationError;

    fn from_str(s: &str) -> Result<Duration, DurationError> {
        let err = || DurationError(s.to_string());
        let t = s.trim();
        if let Some(rest) = t.strip_prefix("PT").or_else(|| t.strip_prefix("pt")) {
            let (num, unit) = rest.split_at(rest.len().saturating_sub(1));
            let amount: u32 = num.parse().map_err(|_| err())?;
            return match unit {
                "H" | "h" => Ok(Duration::new(amount, DurationUnit::Hours)),
                _ => Err(err()),
            };
        }
        if let Some(rest) = t.strip_prefix('P').or_else(|| t.strip_prefix('p')) {
            let (num, unit) = rest.split_at(rest.len().saturating_sub(1));
            let amount: u32 = num.parse().map_err(|_| err())?;
            let unit = match unit {
                "D" | "d" => DurationUnit::Days,
                "W" | "w" => DurationUnit::Weeks,
                "M" | "m" => DurationUnit::Months,
                "Y" | "y" => DurationUnit::Years,
                _ => return Err(err()),
            };
            return Ok(Duration::new(amount, unit));
        }
        let mut words = t.split_whitespace();
        let amount: u32 = words.next().ok_or_else(err)?.parse().map_err(|_| err())?;
        let unit_words: Vec<&str> = words.collect();
        let unit = match unit_words.as_slice() {
            ["hour"] | ["hours"] => DurationUnit::Hours,
            ["day"] | ["days"] => DurationUnit::Days,
            ["working", "day"] | ["working", "days"] | ["working_days"] => {
                DurationUnit::WorkingDays
            }
            ["week"] | ["weeks"] => DurationUnit::Weeks,
            ["month"] | ["months"] => DurationUnit::Months,
            ["year"] | ["years"] => DurationUnit::Years,
            _ => return Err(err()),
        };
        Ok(Duration::new(amount, unit))
    }
}

/// Reads a duration as a designer wrote it in either syntax, or says why it does not read: an
/// amount too large for a duration (Z0011) or a form the language does not know (Z0010).
pub(crate) fn read_duration(text: &str, span: Span) -> Result<Duration, crate::Diagnostic> {
    use crate::{Code, Diagnostic};
    text.parse::<Duration>().map_err(|err| {
        let digits: String = text
            .trim()
            .trim_start_matches(['P', 'p', 'T', 't'])
            .chars()
            .take_while(char::is_ascii_digit)
            .collect();
        if !digits.is_empty() && digits.parse::<u32>().is_err() {
            Diagnostic::new(
                Code::NumberTooLarge,
                span,
                format!("the duration `{text}` is too long"),
            )
            .with_label("out of range")
            .with_help("the amount of a duration is at most 4294967295")
        } else {
            Diagnostic::new(Code::BadDuration, span, err.to_string())
                .with_label("not a duration")
                .with_help(
                    "the units are hours, days, working days, weeks, months and years (`1 week`, `5 working days`); ISO 8601 `P8W`, `P3M`, `PT4H` also works",
                )
        }
    })
}

/// A legal term counted in working days must be written in working days: the engine counts such
/// a term by its number alone, so `2 weeks working_days` would silently be two working days.
/// `span` is where the term's duration is written.
pub(crate) fn check_term(term: &LegalTerm, span: Span) -> Option<crate::Diagnostic> {
    use crate::{Code, Diagnostic};
    let d = term.duration;
    if term.counting != TermCounting::WorkingDays || d.unit == DurationUnit::WorkingDays {
        return None;
    }
    let unit = d.unit.word(d.amount);
    Some(
        Diagnostic::new(
            Code::TermUnit,
            span,
            format!("the term is counted in working days, but `{d}` is written in {unit}"),
        )
        .with_label(format!("{unit}, not working days"))
        .with_help(format!(
            "write the number of working days (`{} working days`), or count the term by the calendar (`calendar`)",
            d.amount
        )),
    )
}

impl Serialize for Duration {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for Duration {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Duration, D::Error> {
        let s = String::deserialize(d)?;
        s.parse().map_err(serde::de::Error::custom)
    }
}

/// One municipal process (zaaktype) in one version.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ProcessModel {
    /// Stable key, e.g. `omgevingsvergunning`; versions of one process share it.
    pub process: Name,
    pub version: u32,
    pub title: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// The law that sets the procedure and its term, e.g. "Awb 4:13; Omgevingswet art. 16.64".
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub legal_basis: Option<String>,
    /// How the initiator starts the case: aanvragen, indienen, melden (ZGW handelingInitiator).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub initiator_action: Option<String>,
    /// The legal term (doorlooptijd); none when no law sets one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub term: Option<LegalTerm>,
    /// The organisation's own target (servicenorm), shorter than the legal term.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub service_norm: Option<Duration>,
    /// Whether the legal term may be suspended (opschortingEnAanhoudingMogelijk).
    #[serde(default, skip_serializing_if = "is_false")]
    pub suspension_allowed: bool,
    /// The longest extension of the legal term (verlengingstermijn); none when it cannot be extended.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub extension: Option<Duration>,
    #[serde(default, skip_serializing_if = "Confidentiality::is_default")]
    pub confidentiality: Confidentiality,
    /// What happens when the legal term passes without a decision.
    #[serde(default, skip_serializing_if = "DeadlineEffect::is_default")]
    pub on_deadline: DeadlineEffect,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub teams: Vec<Team>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub roles: Vec<Role>,
    /// Case data (eigenschappen) supplied at the start or set on the way.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub data: Vec<DataField>,
    /// Messages the case can wait for, e.g. `aanvulling_ontvangen`.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub messages: Vec<MessageDef>,
    /// Statuses in the order a case passes them; the last is the end status.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub statuses: Vec<StatusDef>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub results: Vec<ResultDef>,
    /// The step a new case starts at.
    pub start: Name,
    pub steps: Vec<Step>,
    #[serde(skip)]
    pub span: Span,
}

fn is_false(b: &bool) -> bool {
    !*b
}

impl ProcessModel {
    pub fn step(&self, name: &str) -> Option<&Step> {
        self.steps.iter().find(|s| s.name.name == name)
    }

    pub fn status(&self, name: &str) -> Option<&StatusDef> {
        self.statuses.iter().find(|s| s.name.name == name)
    }

    pub fn result(&self, name: &str) -> Option<&ResultDef> {
        self.results.iter().find(|r| r.name.name == name)
    }

    pub fn team(&self, name: &str) -> Option<&Team> {
        self.teams.iter().find(|t| t.name.name == name)
    }

    /// A case data field, whether declared in `data` or as a task's form field.
    pub fn field(&self, name: &str) -> Option<&DataField> {
        self.all_fields().find(|f| f.name.name == name)
    }

    /// Every case data field: the declared ones first, then the form fields of each task.
    pub fn all_fields(&self) -> impl Iterator<Item = &DataField> {
        self.data
            .iter()
            .chain(self.steps.iter().flat_map(|s| match &s.kind {
                StepKind::Task(t) => t.fields.as_slice(),
                _ => &[],
            }))
    }
}

/// The legal term and how it is counted.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LegalTerm {
    pub duration: Duration,
    #[serde(default)]
    pub counting: TermCounting,
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TermCounting {
    /// Calendar days from the day after receipt, with the Algemene termijnenwet (weekends and
    /// holidays at the end move the deadline). How Awb and Woo terms are counted.
    #[default]
    Calendar,
    /// Working days (Monday to Friday, not a holiday or a closing day of the municipality).
    WorkingDays,
}

/// Vertrouwelijkheidaanduiding, in ZGW's order from open to most secret.
#[derive(
    Debug, Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize,
)]
#[serde(rename_all = "snake_case")]
pub enum Confidentiality {
    #[default]
    Openbaar,
    BeperktOpenbaar,
    Intern,
    Zaakvertrouwelijk,
    Vertrouwelijk,
    Confidentieel,
    Geheim,
    ZeerGeheim,
}

impl Confidentiality {
    pub const ALL: [Confidentiality; 8] = [
        Confidentiality::Openbaar,
        Confidentiality::BeperktOpenbaar,
        Confidentiality::Intern,
        Confidentiality::Zaakvertrouwelijk,
        Confidentiality::Vertrouwelijk,
        Confidentiality::Confidentieel,
        Confidentiality::Geheim,
        Confidentiality::ZeerGeheim,
    ];

    fn is_default(&self) -> bool {
        *self == Confidentiality::Openbaar
    }

    pub fn as_str(&self) -> &'static str {
        match self {
            Confidentiality::Openbaar => "openbaar",
            Confidentiality::BeperktOpenbaar => "beperkt_openbaar",
            Confidentiality::Intern => "intern",
            Confidentiality::Zaakvertrouwelijk => "zaakvertrouwelijk",
            Confidentiality::Vertrouwelijk => "vertrouwelijk",
            Confidentiality::Confidentieel => "confidentieel",
            Confidentiality::Geheim => "geheim",
            Confidentiality::ZeerGeheim => "zeer_geheim",
        }
    }

    pub fn parse(s: &str) -> Option<Confidentiality> {
        Confidentiality::ALL.into_iter().find(|c| c.as_str() == s)
    }
}

/// What the engine does when the legal term passes and the case is still open.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", deny_unknown_fields)]
pub enum DeadlineEffect {
    /// Record that the term was exceeded and warn the teams involved.
    #[default]
    Warning,
    /// The requested decision counts as given by operation of law (Awb 4:20a-f): the case gets
    /// this result and continues, so that the decision can still be sent.
    VanRechtswege { result: Name },
    /// A penalty for not deciding in time applies (Awb 4:17): once the initiator gives notice of
    /// default, the dwangsom clock starts two weeks later.
    Dwangsom,
}

impl DeadlineEffect {
    fn is_default(&self) -> bool {
        *self == DeadlineEffect::Warning
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Team {
    pub name: Name,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub label: Option<String>,
    #[serde(skip)]
    pub span: Span,
}

/// A role within a team (behandelaar, beslisser, adviseur, ...). A task that names a role can
/// only be claimed by members who hold it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Role {
    pub name: Name,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub label: Option<String>,
    #[serde(skip)]
    pub span: Span,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DataType {
    Text,
    Number,
    Bool,
    Date,
    /// One of a fixed list of values.
    Choice(Vec<String>),
}

impl fmt::Display for DataType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            DataType::Text => f.write_str("text"),
            DataType::Number => f.write_str("number"),
            DataType::Bool => f.write_str("bool"),
            DataType::Date => f.write_str("date"),
            DataType::Choice(values) => {
                f.write_str("choice [")?;
                for (i, v) in values.iter().enumerate() {
                    if i > 0 {
                        f.write_str(", ")?;
                    }
                    write!(f, "{v:?}")?;
                }
                f.write_str("]")
            }
        }
    }
}

/// A typed piece of case data (eigenschap), or a form field a worker fills in.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DataField {
    pub name: Name,
    #[serde(rename = "type")]
    pub ty: DataType,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub label: Option<String>,
    #[serde(default, skip_serializing_if = "is_false")]
    pub required: bool,
    /// Shown to the citizen in the public status view ("openbaar tenzij" is decided per field).
    #[serde(default, skip_serializing_if = "is_false")]
    pub citizen: bool,
    #[serde(skip)]
    pub span: Span,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MessageDef {
    pub name: Name,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub label: Option<String>,
    #[serde(skip)]
    pub span: Span,
}

/// A status (statustype). Its place in the list is its order (volgnummer).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct StatusDef {
    pub name: Name,
    /// What the citizen reads (statustekst), in plain Dutch.
    pub citizen_text: String,
    /// Whether the initiator is told when the case reaches this status (informeren).
    #[serde(default, skip_serializing_if = "is_false")]
    pub notify: bool,
    #[serde(skip)]
    pub span: Span,
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ArchiveNomination {
    /// Blijvend bewaren: transferred to the archive, never destroyed.
    #[default]
    Keep,
    /// Vernietigen: destroyed after the retention term.
    Destroy,
}

/// A result (resultaattype) with its archive nomination.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ResultDef {
    pub name: Name,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub label: Option<String>,
    pub archive: ArchiveNomination,
    /// How long after the case closes the archive action happens (archiefactietermijn).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub retention: Option<Duration>,
    #[serde(skip)]
    pub span: Span,
}

/// One step of the procedure.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Step {
    pub name: Name,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub label: Option<String>,
    #[serde(flatten)]
    pub kind: StepKind,
    #[serde(skip)]
    pub span: Span,
}

impl Step {
    /// The names of the steps this step can lead to, in the order written.
    pub fn successors(&self) -> Vec<&Name> {
        match &self.kind {
            StepKind::Task(t) => t
                .outcomes
                .iter()
                .filter_map(|o| o.then.as_ref())
                .chain(t.then.as_ref())
                .collect(),
            StepKind::Auto(a) => vec![&a.then],
            StepKind::Choice(c) | StepKind::Inclusive(c) => c
                .branches
                .iter()
                .map(|b| &b.then)
                .chain(c.otherwise.as_ref())
                .collect(),
            StepKind::Parallel(p) => p.branches.iter().collect(),
            StepKind::Join(j) => vec![&j.then],
            StepKind::Wait(w) => std::iter::once(&w.then)
                .chain(w.timeout.as_ref().map(|t| &t.then))
                .collect(),
            StepKind::Timer(t) => vec![&t.then],
            StepKind::Subcase(s) => vec![&s.then],
            StepKind::End(_) => vec![],
        }
    }

    pub fn kind_word(&self) -> &'static str {
        match &self.kind {
            StepKind::Task(_) => "task",
            StepKind::Auto(_) => "auto",
            StepKind::Choice(_) => "choice",
            StepKind::Parallel(_) => "parallel",
            StepKind::Inclusive(_) => "inclusive",
            StepKind::Join(_) => "join",
            StepKind::Wait(_) => "wait",
            StepKind::Timer(_) => "timer",
            StepKind::Subcase(_) => "subcase",
            StepKind::End(_) => "end",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum StepKind {
    /// Work for a person in a team.
    Task(TaskStep),
    /// Done by the engine at once: set data, status or result, send a letter or notification.
    Auto(AutoStep),
    /// Exactly one branch: the first whose condition holds, else `otherwise`.
    Choice(ChoiceStep),
    /// All branches at once (AND split).
    Parallel(ParallelStep),
    /// Every branch whose condition holds, at least one (OR split); `otherwise` when none holds.
    Inclusive(ChoiceStep),
    /// Waits for branches to arrive: all of them (AND join), or those an inclusive split started.
    Join(JoinStep),
    /// Waits for a message, optionally with a timeout; may suspend the legal term meanwhile.
    Wait(WaitStep),
    /// Waits for a duration or until a date in the case data.
    Timer(TimerStep),
    /// Starts a deelzaak of another process.
    Subcase(SubcaseStep),
    /// Ends the case, optionally with a result.
    End(EndStep),
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TaskStep {
    pub team: Name,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub role: Option<Name>,
    /// Due this long after the task is created, usually in working days.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub due: Option<Duration>,
    /// Higher comes first in the queue among tasks due at the same time.
    #[serde(default, skip_serializing_if = "is_zero")]
    pub priority: i32,
    /// The outcomes a worker chooses from; each may lead to its own next step.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub outcomes: Vec<Outcome>,
    /// Form fields the worker fills in; they become case data.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub fields: Vec<DataField>,
    /// Status set when the task is created.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status_on_start: Option<Name>,
    /// Status set when the task is completed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status_on_end: Option<Name>,
    /// Next step for outcomes that do not name their own (or for a task without outcomes).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub then: Option<Name>,
}

fn is_zero(n: &i32) -> bool {
    *n == 0
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Outcome {
    pub name: Name,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub label: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub then: Option<Name>,
    #[serde(skip)]
    pub span: Span,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AutoStep {
    pub actions: Vec<Action>,
    pub then: Name,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", deny_unknown_fields)]
pub enum Action {
    /// Set a case data field to the value of an expression.
    Set {
        field: Name,
        value: Expr,
    },
    Status(Name),
    Result(Name),
    /// Send the letter with this template name to the initiator.
    Letter(Name),
    /// Send the notification with this name (e-mail, message box).
    Notify(Name),
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ChoiceStep {
    pub branches: Vec<Branch>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub otherwise: Option<Name>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Branch {
    pub when: Expr,
    pub then: Name,
    #[serde(skip)]
    pub span: Span,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ParallelStep {
    pub branches: Vec<Name>,
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum JoinMode {
    /// Wait for every incoming branch (closes a `parallel` split).
    #[default]
    All,
    /// Wait for the branches the named inclusive split started (closes an `inclusive` split).
    Some,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct JoinStep {
    #[serde(default)]
    pub mode: JoinMode,
    /// For `some`: the inclusive split this join closes.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub split: Option<Name>,
    pub then: Name,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct WaitStep {
    pub message: Name,
    /// Suspend the legal term while waiting, with this reason (Awb 4:15).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub suspend: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub timeout: Option<Timeout>,
    pub then: Name,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Timeout {
    pub after: Duration,
    pub then: Name,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", deny_unknown_fields)]
pub enum TimerWait {
    /// This long after the timer step is reached.
    After(Duration),
    /// Until the date in this case data field.
    Until(Name),
}

// No `deny_unknown_fields` here: serde does not support it together with `flatten`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TimerStep {
    #[serde(flatten)]
    pub wait: TimerWait,
    pub then: Name,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SubcaseStep {
    /// The key of the process the deelzaak runs.
    pub process: Name,
    /// Case data fields copied into the deelzaak at its start.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub pass: Vec<Name>,
    /// Whether this case waits for the deelzaak to close before it goes on.
    #[serde(default, skip_serializing_if = "is_false")]
    pub wait: bool,
    pub then: Name,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EndStep {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub result: Option<Name>,
    /// Status set at the end; the last status when left out.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status: Option<Name>,
}
