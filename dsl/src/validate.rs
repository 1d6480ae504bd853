//! Checks on a model that the syntax cannot express: names, types, reachability.
//!
//! [`check`] reports every problem it finds, each with a stable code from the registry:
//! Z01xx for names (duplicates, unknown references, teams and messages never used), Z02xx for
//! types and expressions, Z03xx for the structure of the procedure (reachability, dead ends,
//! terms).
//!
//! When the source could not be read without errors, validation reports only what is wrong
//! with what is there (a name defined twice, an unknown name, a type that does not fit), not
//! what seems to be missing (a step no path reaches, a `then`, an `otherwise`, a team no task
//! names): what seems missing may stand on a line that could not be read, and a designer who
//! made one mistake should see one message. A name that an unreadable item was going to
//! define is not reported as unknown either.

use crate::expr::{self, ExpectedType};
use crate::model::{
    Action, DataField, DataType, DeadlineEffect, Expr, JoinMode, Name, Span, Step, StepKind,
    TimerWait,
};
use crate::suggest::did_you_mean;
use crate::{Code, Diagnostic, ProcessModel};
use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet, VecDeque};

/// What validation knows of how a model was read.
pub(crate) struct Reading<'a> {
    /// Whether the source was read without errors.
    pub(crate) complete: bool,
    /// Names that items or steps which could not be read were going to define.
    pub(crate) skipped: &'a [String],
}

/// Checks a model read from a source, knowing how the reading went, and returns every problem
/// found, in the order of the source.
pub(crate) fn check(model: &ProcessModel, reading: &Reading<'_>) -> Vec<Diagnostic> {
    fn names<'m>(names: impl Iterator<Item = &'m Name>) -> HashSet<&'m str> {
        names.map(Name::as_str).collect()
    }
    let mut fields: HashMap<&str, &DataField> = HashMap::new();
    for f in model.all_fields() {
        fields.entry(f.name.as_str()).or_insert(f);
    }
    let defined: HashMap<&'static str, HashSet<&str>> = HashMap::from([
        ("step", names(model.steps.iter().map(|s| &s.name))),
        ("status", names(model.statuses.iter().map(|s| &s.name))),
        ("result", names(model.results.iter().map(|r| &r.name))),
        ("team", names(model.teams.iter().map(|t| &t.name))),
        ("role", names(model.roles.iter().map(|r| &r.name))),
        ("message", names(model.messages.iter().map(|x| &x.name))),
        ("case data field", fields.keys().copied().collect()),
    ]);
    let mut v = Validator {
        model,
        skipped: reading.skipped,
        out: Vec::new(),
        defined,
        fields,
    };
    v.duplicates();
    v.references();
    v.data_types();
    v.expressions();
    if reading.complete {
        v.structure();
        v.reachability();
        v.unused();
    }
    v.out
}

/// Where a name is best shown: its own span, or the span of what holds it when the name has none.
fn at(name: &Name, fallback: Span) -> Span {
    if name.span.is_empty() {
        fallback
    } else {
        name.span
    }
}

struct Validator<'m> {
    model: &'m ProcessModel,
    skipped: &'m [String],
    out: Vec<Diagnostic>,
    /// The names defined in each namespace, by kind: a reference is checked with one lookup,
    /// so validating stays linear in the size of the process.
    defined: HashMap<&'static str, HashSet<&'m str>>,
    /// Every case data field by name, the first of a name where it is defined twice.
    fields: HashMap<&'m str, &'m DataField>,
}

impl<'m> Validator<'m> {
    fn push(&mut self, d: Diagnostic) {
        self.out.push(d);
    }

    // ---- Z01xx: names -------------------------------------------------------------------

    /// Reports every name defined a second time in one namespace, pointing at the first.
    /// `owner` names what the namespace belongs to, e.g. the task whose outcomes these are.
    fn unique<'a>(
        &mut self,
        kind: &str,
        owner: Option<&str>,
        names: impl IntoIterator<Item = (&'a Name, Span)>,
    ) {
        let of = owner.map(|o| format!(" of `{o}`")).unwrap_or_default();
        let mut seen: HashMap<&str, Span> = HashMap::new();
        for (name, fallback) in names {
            let here = at(name, fallback);
            match seen.get(name.as_str()) {
                Some(first) => {
                    let d = Diagnostic::new(
                        Code::DefinedTwice,
                        here,
                        format!("the {kind} `{name}`{of} is defined twice"),
                    )
                    .with_label(format!("second {kind} `{name}`"))
                    .with_help(format!("give one of the two {kind}s another name"))
                    .with_related(*first, format!("first {kind} `{name}` is here"));
                    self.push(d);
                }
                None => {
                    seen.insert(name.as_str(), here);
                }
            }
        }
    }

    fn duplicates(&mut self) {
        let m = self.model;
        self.unique("team", None, m.teams.iter().map(|t| (&t.name, t.span)));
        self.unique("role", None, m.roles.iter().map(|r| (&r.name, r.span)));
        let fields: Vec<&DataField> = m.all_fields().collect();
        self.unique(
            "case data field",
            None,
            fields.iter().map(|f| (&f.name, f.span)),
        );
        self.unique(
            "message",
            None,
            m.messages.iter().map(|x| (&x.name, x.span)),
        );
        self.unique("status", None, m.statuses.iter().map(|s| (&s.name, s.span)));
        self.unique("result", None, m.results.iter().map(|r| (&r.name, r.span)));
        self.unique("step", None, m.steps.iter().map(|s| (&s.name, s.span)));
        for step in &m.steps {
            if let StepKind::Task(t) = &step.kind {
                let outcomes = t.outcomes.iter().map(|o| (&o.name, o.span));
                self.unique("outcome", Some(step.name.as_str()), outcomes);
            }
        }
    }

    /// Reports a reference to a name that is not defined, with the nearest defined name.
    fn known<'a>(
        &mut self,
        code: Code,
        kind: &str,
        name: &Name,
        fallback: Span,
        defined: impl IntoIterator<Item = &'a str>,
    ) -> bool {
        if self
            .defined
            .get(kind)
            .is_some_and(|d| d.contains(name.as_str()))
        {
            return true;
        }
        let defined: Vec<&str> = defined.into_iter().collect();
        // A name left empty was reported when it was read; one that an unreadable item was
        // going to define is a consequence of that item's error.
        if name.as_str().is_empty() || self.skipped.iter().any(|s| s == name.as_str()) {
            return false;
        }
        let help = match did_you_mean(name.as_str(), defined.iter().copied()) {
            Some(s) => format!("did you mean `{s}`?"),
            None if defined.is_empty() => format!("this process defines no {kind}s"),
            None if defined.len() <= 8 => format!("the {kind}s are {}", defined.join(", ")),
            None => format!("define the {kind} `{name}`, or use one that exists"),
        };
        let d = Diagnostic::new(
            code,
            at(name, fallback),
            format!("there is no {kind} `{name}`"),
        )
        .with_label(format!("unknown {kind}"))
        .with_help(help);
        self.push(d);
        false
    }

    fn step_ref(&mut self, name: &Name, fallback: Span) -> bool {
        let steps = self.model.steps.iter().map(|s| s.name.as_str());
        self.known(Code::UnknownStep, "step", name, fallback, steps)
    }

    fn status_ref(&mut self, name: &Name, fallback: Span) {
        let all = self.model.statuses.iter().map(|s| s.name.as_str());
        self.known(Code::UnknownStatus, "status", name, fallback, all);
    }

    fn result_ref(&mut self, name: &Name, fallback: Span) {
        let all = self.model.results.iter().map(|s| s.name.as_str());
        self.known(Code::UnknownResult, "result", name, fallback, all);
    }

    fn field_ref(&mut self, name: &Name, fallback: Span) -> Option<&'m DataField> {
        let all = self.model.all_fields().map(|f| f.name.as_str());
        if self.known(Code::UnknownField, "case data field", name, fallback, all) {
            self.fields.get(name.as_str()).copied()
        } else {
            None
        }
    }

    fn references(&mut self) {
        let m = self.model;
        self.step_ref(&m.start, m.span);
        if let DeadlineEffect::VanRechtswege { result } = &m.on_deadline {
            self.result_ref(result, m.span);
        }
        for step in &m.steps {
            let here = step.span;
            match &step.kind {
                StepKind::Task(t) => {
                    let teams = m.teams.iter().map(|t| t.name.as_str());
                    self.known(Code::UnknownTeam, "team", &t.team, here, teams);
                    if let Some(role) = &t.role {
                        let roles = m.roles.iter().map(|r| r.name.as_str());
                        self.known(Code::UnknownRole, "role", role, here, roles);
                    }
                    for status in t.status_on_start.iter().chain(&t.status_on_end) {
                        self.status_ref(status, here);
                    }
                    for o in &t.outcomes {
                        if let Some(then) = &o.then {
                            self.step_ref(then, at(&o.name, here));
                        }
                    }
                    if let Some(then) = &t.then {
                        self.step_ref(then, here);
                    }
                }
                StepKind::Auto(a) => {
                    for action in &a.actions {
                        match action {
                            Action::Set { field, .. } => {
                                self.field_ref(field, here);
                            }
                            Action::Status(s) => self.status_ref(s, here),
                            Action::Result(r) => self.result_ref(r, here),
                            Action::Letter(_) | Action::Notify(_) => {}
                        }
                    }
                    self.step_ref(&a.then, here);
                }
                StepKind::Choice(c) | StepKind::Inclusive(c) => {
                    for b in &c.branches {
                        self.step_ref(&b.then, if b.span.is_empty() { here } else { b.span });
                    }
                    if let Some(o) = &c.otherwise {
                        self.step_ref(o, here);
                    }
                }
                StepKind::Parallel(p) => {
                    for b in &p.branches {
                        self.step_ref(b, here);
                    }
                }
                StepKind::Join(j) => {
                    if let Some(split) = &j.split {
                        self.step_ref(split, here);
                    }
                    self.step_ref(&j.then, here);
                }
                StepKind::Wait(w) => {
                    let messages = m.messages.iter().map(|x| x.name.as_str());
                    self.known(Code::UnknownMessage, "message", &w.message, here, messages);
                    if let Some(t) = &w.timeout {
                        self.step_ref(&t.then, here);
                    }
                    self.step_ref(&w.then, here);
                }
                StepKind::Timer(t) => {
                    if let TimerWait::Until(field) = &t.wait {
                        if let Some(f) = self.field_ref(field, here) {
                            if f.ty != DataType::Date {
                                let d = Diagnostic::new(
                                    Code::TimerNotDate,
                                    at(field, here),
                                    format!(
                                        "`timer until {field}` needs a date, but `{field}` is {}",
                                        f.ty
                                    ),
                                )
                                .with_label("not a date field")
                                .with_help(
                                    "wait until a field of type date, or wait `after` a duration",
                                )
                                .with_related(f.name.span, format!("`{field}` is declared here"));
                                self.push(d);
                            }
                        }
                    }
                    self.step_ref(&t.then, here);
                }
                StepKind::Subcase(s) => {
                    for field in &s.pass {
                        self.field_ref(field, here);
                    }
                    self.step_ref(&s.then, here);
                }
                StepKind::End(e) => {
                    if let Some(r) = &e.result {
                        self.result_ref(r, here);
                    }
                    if let Some(s) = &e.status {
                        self.status_ref(s, here);
                    }
                }
            }
        }
    }

    // ---- Z02xx: types and expressions ----------------------------------------------------

    fn data_types(&mut self) {
        for f in self.model.all_fields() {
            let DataType::Choice(values) = &f.ty else {
                continue;
            };
            let here = at(&f.name, f.span);
            if values.is_empty() {
                self.push(
                    Diagnostic::new(
                        Code::BadChoiceType,
                        here,
                        format!("the choice field `{}` has no values", f.name),
                    )
                    .with_label("empty choice")
                    .with_help("list the values it can take, e.g. [\"ja\", \"nee\"]"),
                );
            }
            let mut seen = BTreeSet::new();
            for v in values {
                if !seen.insert(v.as_str()) {
                    self.push(
                        Diagnostic::new(
                            Code::BadChoiceType,
                            here,
                            format!("the choice field `{}` lists \"{v}\" twice", f.name),
                        )
                        .with_label("value listed twice")
                        .with_help("remove one of the two"),
                    );
                }
            }
        }
    }

    /// Type-checks one expression and maps its problems onto the source.
    fn expression(&mut self, e: &Expr, fallback: Span, expected: ExpectedType) {
        for p in expr::check(&e.source, self.model, expected) {
            let named = e.source.get(p.range.clone()).unwrap_or("");
            if p.code == Code::UnknownVariable && self.skipped.iter().any(|s| s == named) {
                continue;
            }
            // The span maps offsets inside the expression only when it covers the expression
            // exactly; otherwise (YAML escapes, a model built in code) it points at the whole.
            let span = if e.span.is_empty() {
                fallback
            } else if e.span.len() == e.source.len() {
                Span::new(e.span.start + p.range.start, e.span.start + p.range.end)
            } else {
                e.span
            };
            let label = match p.code {
                Code::ExpressionSyntax => "cannot be read",
                Code::UnknownVariable => "unknown field",
                Code::NotAChoiceValue => "not one of the values",
                Code::NotACondition => "not true or false",
                Code::NotATaskWithOutcomes => "no such task",
                Code::UnknownOutcome => "not an outcome",
                Code::SetValueType => "wrong type",
                _ => "types do not fit",
            };
            let mut d = Diagnostic::new(p.code, span, p.message).with_label(label);
            if let Some(h) = p.help {
                d = d.with_help(h);
            }
            self.push(d);
        }
    }

    fn expressions(&mut self) {
        for step in &self.model.steps {
            match &step.kind {
                StepKind::Choice(c) | StepKind::Inclusive(c) => {
                    for b in &c.branches {
                        let fallback = if b.span.is_empty() { step.span } else { b.span };
                        self.expression(&b.when, fallback, ExpectedType::Condition);
                    }
                }
                StepKind::Auto(a) => {
                    for action in &a.actions {
                        if let Action::Set { field, value } = action {
                            let expected = match self.model.field(field.as_str()) {
                                Some(f) => ExpectedType::Value(f.ty.clone()),
                                None => ExpectedType::Any,
                            };
                            self.expression(value, at(field, step.span), expected);
                        }
                    }
                }
                _ => {}
            }
        }
    }

    // ---- Z03xx: structure ----------------------------------------------------------------

    fn structure(&mut self) {
        let m = self.model;
        if m.extension.is_some() && m.term.is_none() {
            self.push(
                Diagnostic::new(
                    Code::ExtensionWithoutTerm,
                    m.span,
                    "the process has an `extension` but no legal `term` to extend",
                )
                .with_label("extension without term")
                .with_help("add the legal term (e.g. `term 8 weeks`), or remove the extension"),
            );
        }
        if m.statuses.is_empty() {
            self.push(
                Diagnostic::new(Code::NoStatuses, m.span, "the process has no statuses")
                    .with_label("no statuses")
                    .with_help("add at least one status; citizens follow their case by its status"),
            );
        }
        if !m.steps.iter().any(|s| matches!(s.kind, StepKind::End(_))) {
            self.push(
                Diagnostic::new(Code::NoEnd, m.span, "the process has no end step")
                    .with_label("no end")
                    .with_help("add an `end` step so that cases can close"),
            );
        }
        for step in &m.steps {
            let here = at(&step.name, step.span);
            match &step.kind {
                StepKind::Task(t) => {
                    if t.outcomes.is_empty() && t.then.is_none() {
                        self.push(
                            Diagnostic::new(
                                Code::TaskLeadsNowhere,
                                here,
                                format!("the task `{}` has neither outcomes nor `then`", step.name),
                            )
                            .with_label("leads nowhere")
                            .with_help("add `then <step>`, or outcomes that each lead to a step"),
                        );
                    }
                    if t.then.is_none() {
                        for o in t.outcomes.iter().filter(|o| o.then.is_none()) {
                            self.push(
                                Diagnostic::new(
                                    Code::OutcomeLeadsNowhere,
                                    at(&o.name, here),
                                    format!(
                                        "the outcome `{}` of `{}` leads nowhere",
                                        o.name, step.name
                                    ),
                                )
                                .with_label("no next step")
                                .with_help(format!(
                                    "write `outcome {} -> <step>`, or give the task a `then`",
                                    o.name
                                )),
                            );
                        }
                    }
                }
                StepKind::Choice(c) | StepKind::Inclusive(c) => {
                    if c.branches.is_empty() {
                        self.no_branches(step, here);
                    } else if c.otherwise.is_none() && !self.exhaustive(c) {
                        let kind = step.kind_word();
                        self.push(
                            Diagnostic::new(
                                Code::NoOtherwise,
                                here,
                                format!(
                                    "the {kind} `{}` has no `otherwise`, and its conditions do not cover every case",
                                    step.name
                                ),
                            )
                            .with_label("a case can get stuck here")
                            .with_help("add `otherwise -> <step>` for when no condition holds"),
                        );
                    }
                }
                StepKind::Parallel(p) if p.branches.is_empty() => self.no_branches(step, here),
                StepKind::Join(j) => self.join(step, j, here),
                StepKind::Wait(w) if w.suspend.is_some() && !m.suspension_allowed => {
                    self.push(
                        Diagnostic::new(
                            Code::SuspensionNotAllowed,
                            here,
                            format!(
                                "`{}` suspends the legal term, but this process does not allow suspension",
                                step.name
                            ),
                        )
                        .with_label("suspension not allowed")
                        .with_help("add `suspension allowed` to the process, or remove `suspend`"),
                    );
                }
                StepKind::End(e)
                    if e.result.is_none() && !m.results.is_empty() && !sets_result(m) =>
                {
                    self.push(
                        Diagnostic::new(
                            Code::EndWithoutResult,
                            here,
                            format!("the end step `{}` closes the case without a result", step.name),
                        )
                        .with_label("no result")
                        .with_help(
                            "a case needs a result before it closes (ZGW); add `result <name>`, unless an earlier step sets one",
                        ),
                    );
                }
                _ => {}
            }
        }
    }

    fn no_branches(&mut self, step: &Step, here: Span) {
        self.push(
            Diagnostic::new(
                Code::NoBranches,
                here,
                format!("the {} `{}` has no branches", step.kind_word(), step.name),
            )
            .with_label("no branches")
            .with_help("add at least one branch"),
        );
    }

    fn join(&mut self, step: &Step, j: &crate::model::JoinStep, here: Span) {
        match (j.mode, &j.split) {
            (JoinMode::Some, None) => self.push(
                Diagnostic::new(
                    Code::JoinWithoutInclusiveSplit,
                    here,
                    format!("`join some` `{}` does not say which inclusive split it closes", step.name),
                )
                .with_label("split missing")
                .with_help("write `split <inclusive step>`"),
            ),
            (JoinMode::Some, Some(split)) => match self.model.step(split.as_str()) {
                Some(s) if !matches!(s.kind, StepKind::Inclusive(_)) => self.push(
                    Diagnostic::new(
                        Code::JoinWithoutInclusiveSplit,
                        at(split, here),
                        format!(
                            "`join some` closes `{split}`, which is a {} step, not an inclusive one",
                            s.kind_word()
                        ),
                    )
                    .with_label("not an inclusive split")
                    .with_help("name the inclusive step this join closes, or use `join all` for a parallel split")
                    .with_related(at(&s.name, s.span), format!("`{split}` is here")),
                ),
                // Unknown splits are reported as unknown steps.
                _ => {}
            },
            (JoinMode::All, Some(split)) => self.push(
                Diagnostic::new(
                    Code::SplitOnJoinAll,
                    at(split, here),
                    format!("`join all` `{}` names a split, which only `join some` uses", step.name),
                )
                .with_label("ignored")
                .with_help("remove the split, or write `join some`"),
            ),
            (JoinMode::All, None) => {}
        }
    }

    /// Whether the conditions of a choice cover every case, so that `otherwise` can never be
    /// taken. Recognised: `x == "v"` branches covering every value of a choice field (or every
    /// outcome of a task), `b` / `!b` / `b == true` / `b == false` covering a bool field, and a
    /// branch that is literally `true`. An unset field matches none of these, so the check only
    /// trusts required fields and task outcomes, which always have a value when read.
    fn exhaustive(&self, c: &crate::model::ChoiceStep) -> bool {
        let mut covered: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
        for b in &c.branches {
            let src = b.when.source.trim();
            if src == "true" {
                return true;
            }
            for part in src.split("||") {
                if let Some((var, value)) = simple_test(part.trim()) {
                    covered.entry(var).or_default().insert(value);
                }
            }
        }
        covered.iter().any(|(var, values)| {
            let all: Vec<String> = if let Some(task) = var.strip_prefix("outcome.") {
                match self.model.step(task).map(|s| &s.kind) {
                    Some(StepKind::Task(t)) => {
                        t.outcomes.iter().map(|o| o.name.name.clone()).collect()
                    }
                    _ => return false,
                }
            } else {
                match self.model.field(var) {
                    Some(f) if f.required => match &f.ty {
                        DataType::Choice(vs) => vs.clone(),
                        DataType::Bool => vec!["true".into(), "false".into()],
                        _ => return false,
                    },
                    _ => return false,
                }
            };
            !all.is_empty() && all.iter().all(|v| values.contains(v))
        })
    }

    // ---- Z03xx: reachability -------------------------------------------------------------

    fn reachability(&mut self) {
        let m = self.model;
        let index: HashMap<&str, usize> = m
            .steps
            .iter()
            .enumerate()
            .map(|(i, s)| (s.name.as_str(), i))
            .collect();
        let next: Vec<Vec<usize>> = m
            .steps
            .iter()
            .map(|s| {
                s.successors()
                    .into_iter()
                    .filter_map(|n| index.get(n.as_str()).copied())
                    .collect()
            })
            .collect();
        let Some(&start) = index.get(m.start.as_str()) else {
            // Without a start step everything would be unreachable; Z0102 already says why.
            return;
        };
        // A step with an arrow to a step that does not exist (reported as Z0102) may be where
        // the missing path was meant to go, so the arrows do not tell the whole way: then no
        // step is called unreachable, and such a step counts as one that can reach an end.
        // A step that leads nowhere (Z0303, Z0304, Z0312) is missing its arrow in the same way.
        let dangling: Vec<usize> = (0..m.steps.len())
            .filter(|&i| {
                let step = &m.steps[i];
                let leads_nowhere = match &step.kind {
                    StepKind::End(_) => false,
                    StepKind::Task(t) => {
                        t.then.is_none() && t.outcomes.iter().any(|o| o.then.is_none())
                            || step.successors().is_empty()
                    }
                    _ => step.successors().is_empty(),
                };
                leads_nowhere || step.successors().len() != next[i].len()
            })
            .collect();
        let reached = walk(&[start], &next);
        if dangling.is_empty() {
            for (i, step) in m.steps.iter().enumerate() {
                if !reached[i] {
                    self.push(
                        Diagnostic::new(
                            Code::Unreachable,
                            at(&step.name, step.span),
                            format!(
                                "no path from `{}` reaches the step `{}`",
                                m.start, step.name
                            ),
                        )
                        .with_label("unreachable")
                        .with_help("lead a step, outcome or branch to it, or remove it"),
                    );
                }
            }
        }
        // Steps from which no end step can be reached: walk the edges backwards from every end.
        let ends: Vec<usize> = m
            .steps
            .iter()
            .enumerate()
            .filter(|(_, s)| matches!(s.kind, StepKind::End(_)))
            .map(|(i, _)| i)
            .chain(dangling.iter().copied())
            .collect();
        if !m.steps.iter().any(|s| matches!(s.kind, StepKind::End(_))) {
            return;
        }
        let mut prev: Vec<Vec<usize>> = vec![Vec::new(); m.steps.len()];
        for (from, tos) in next.iter().enumerate() {
            for &to in tos {
                prev[to].push(from);
            }
        }
        let can_end = walk(&ends, &prev);
        for (i, step) in m.steps.iter().enumerate() {
            if reached[i] && !can_end[i] {
                self.push(
                    Diagnostic::new(
                        Code::NoWayToEnd,
                        at(&step.name, step.span),
                        format!("a case at `{}` can never reach an end step", step.name),
                    )
                    .with_label("no way out")
                    .with_help("every loop needs an exit that leads to an `end` step"),
                );
            }
        }
    }
}

impl Validator<'_> {
    // ---- Z01xx: names never used ---------------------------------------------------------

    /// Warns about teams no task names and messages no wait step waits for: usually a name
    /// misspelt where it is defined or left over from an earlier version.
    fn unused(&mut self) {
        let m = self.model;
        let mut teams = BTreeSet::new();
        let mut messages = BTreeSet::new();
        for step in &m.steps {
            match &step.kind {
                StepKind::Task(t) => {
                    teams.insert(t.team.as_str());
                }
                StepKind::Wait(w) => {
                    messages.insert(w.message.as_str());
                }
                _ => {}
            }
        }
        // A task that names an unknown team (Z0103) may mean one of the teams not named
        // elsewhere; the same holds for messages.
        let defined_team = |n: &&str| m.team(n).is_some();
        let defined_message = |n: &&str| m.messages.iter().any(|x| x.name.as_str() == *n);
        if !teams.iter().all(defined_team) {
            teams.clear();
            teams.extend(m.teams.iter().map(|t| t.name.as_str()));
        }
        if !messages.iter().all(defined_message) {
            messages.clear();
            messages.extend(m.messages.iter().map(|x| x.name.as_str()));
        }
        for team in m.teams.iter().filter(|t| !teams.contains(t.name.as_str())) {
            self.push(
                Diagnostic::new(
                    Code::UnusedTeam,
                    at(&team.name, team.span),
                    format!("no task is done by the team `{}`", team.name),
                )
                .with_label("never used")
                .with_help(format!(
                    "name it in a task (`team {}`), or remove it",
                    team.name
                )),
            );
        }
        for message in m
            .messages
            .iter()
            .filter(|x| !messages.contains(x.name.as_str()))
        {
            self.push(
                Diagnostic::new(
                    Code::UnusedMessage,
                    at(&message.name, message.span),
                    format!("no step waits for the message `{}`", message.name),
                )
                .with_label("never used")
                .with_help(format!(
                    "wait for it in a wait step (`wait NAME for {}`), or remove it",
                    message.name
                )),
            );
        }
    }
}

/// Whether some auto step sets the result; then an end step without one may be fine, and the
/// check leaves it to the engine's run-time rule that a case needs a result before it closes.
fn sets_result(m: &ProcessModel) -> bool {
    m.steps.iter().any(|s| match &s.kind {
        StepKind::Auto(a) => a.actions.iter().any(|x| matches!(x, Action::Result(_))),
        _ => false,
    })
}

fn walk(from: &[usize], edges: &[Vec<usize>]) -> Vec<bool> {
    let mut seen = vec![false; edges.len()];
    let mut queue: VecDeque<usize> = from.iter().copied().collect();
    for &i in from {
        seen[i] = true;
    }
    while let Some(i) = queue.pop_front() {
        for &j in &edges[i] {
            if !seen[j] {
                seen[j] = true;
                queue.push_back(j);
            }
        }
    }
    seen
}

/// Recognises `x == "v"`, `"v" == x`, `b`, `!b`, `b == true` and `b == false`, giving the
/// variable and the value it tests for.
fn simple_test(s: &str) -> Option<(String, String)> {
    let is_var = |v: &str| {
        !v.is_empty()
            && v.chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '.')
            && !v.starts_with(|c: char| c.is_ascii_digit())
    };
    if let Some((l, r)) = s.split_once("==") {
        let (l, r) = (l.trim(), r.trim());
        let literal = |v: &str| -> Option<String> {
            if v == "true" || v == "false" {
                return Some(v.to_string());
            }
            let inner = v.strip_prefix('"')?.strip_suffix('"')?;
            (!inner.contains('"') && !inner.contains('\\')).then(|| inner.to_string())
        };
        if is_var(l) {
            return literal(r).map(|v| (l.to_string(), v));
        }
        if is_var(r) {
            return literal(l).map(|v| (r.to_string(), v));
        }
        return None;
    }
    if let Some(v) = s.strip_prefix('!') {
        let v = v.trim();
        return is_var(v).then(|| (v.to_string(), "false".to_string()));
    }
    (is_var(s) && s != "true" && s != "false").then(|| (s.to_string(), "true".to_string()))
}

#[cfg(test)]
#[path = "validate_tests.rs"]
mod tests;
