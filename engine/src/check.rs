//! The one check of a process source, which every way into the system runs: `zaak check`,
//! `zaak deploy`, `POST /api/processes` and `zaak serve --processes`.
//!
//! In order: syntax, names and types ([`zaak_dsl::load`]); deelzaken against the other
//! processes the caller knows (a [`Library`]); and, when the process has no errors so far that
//! would make its net meaningless, the soundness of its workflow net. The cost is bounded by
//! [`Limits`]: the structural steps grow linearly with the source, and the soundness search
//! stops at a number of markings, its memory following from that number.
//!
//! Codes: Z0407 a process whose soundness could not be proven within the limits of a deploy;
//! Z0430 a deelzaak of a process the library does not have; Z0431 a field passed to a
//! deelzaak whose process does not declare it; Z0432 a field passed to a deelzaak whose process
//! declares it with another type; Z0433 a required field of the deelzaak's process that is not
//! passed.

use crate::compile;
use crate::soundness;
use std::borrow::Cow;
use std::collections::{BTreeMap, HashMap};
use zaak_dsl::{
    Code, DataField, DataType, Diagnostic, ProcessModel, Step, StepKind, SubcaseStep, Syntax,
};

/// How much work a check may do.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    /// The most markings the soundness search explores.
    pub markings: usize,
    /// Whether a process whose soundness was not proven within `markings` is refused (Z0407)
    /// rather than only warned about (Z0405).
    pub refuse_unproven: bool,
}

impl Limits {
    /// What a deploy may spend, whoever asks for it: the default search, and a process that
    /// cannot be proven sound within it is refused. A deploy over HTTP uses exactly this, so a
    /// designer cannot make the server search longer.
    pub const DEPLOY: Limits = Limits {
        markings: soundness::DEFAULT_LIMIT,
        refuse_unproven: true,
    };

    /// An offline check (`zaak check --limit N`): any number of markings, and a search that
    /// stops at it is a warning, since the designer can try again with more.
    pub const fn offline(markings: usize) -> Limits {
        Limits {
            markings,
            refuse_unproven: false,
        }
    }
}

impl Default for Limits {
    fn default() -> Limits {
        Limits::offline(soundness::DEFAULT_LIMIT)
    }
}

/// The processes a process may start as deelzaken, by key.
///
/// A deelzaak starts the latest version of its process, so a library answers with that one.
pub trait Library {
    /// The process with key `key`, if there is one.
    fn process(&self, key: &str) -> Option<Cow<'_, ProcessModel>>;
}

/// No other processes: every deelzaak names an unknown process.
#[derive(Debug, Clone, Copy, Default)]
pub struct NoLibrary;

impl Library for NoLibrary {
    fn process(&self, _key: &str) -> Option<Cow<'_, ProcessModel>> {
        None
    }
}

impl Library for HashMap<String, ProcessModel> {
    fn process(&self, key: &str) -> Option<Cow<'_, ProcessModel>> {
        self.get(key).map(Cow::Borrowed)
    }
}

impl Library for BTreeMap<String, ProcessModel> {
    fn process(&self, key: &str) -> Option<Cow<'_, ProcessModel>> {
        self.get(key).map(Cow::Borrowed)
    }
}

/// A library that looks processes up as it is asked, e.g. in a store of deployed versions.
impl<F> Library for F
where
    F: Fn(&str) -> Option<ProcessModel>,
{
    fn process(&self, key: &str) -> Option<Cow<'_, ProcessModel>> {
        self(key).map(Cow::Owned)
    }
}

/// What the check found: the model as read (when the source could be read at all) and every
/// diagnostic, errors and warnings, in the order found.
#[derive(Debug, Clone)]
pub struct Checked {
    pub model: Option<ProcessModel>,
    pub diagnostics: Vec<Diagnostic>,
}

impl Checked {
    /// Whether any diagnostic is an error: then the process must not be deployed.
    pub fn has_errors(&self) -> bool {
        self.diagnostics.iter().any(Diagnostic::is_error)
    }

    /// The model when it may be deployed, else every diagnostic.
    pub fn deployable(self) -> Result<ProcessModel, Vec<Diagnostic>> {
        match self.model {
            Some(model) if !self.diagnostics.iter().any(Diagnostic::is_error) => Ok(model),
            _ => Err(self.diagnostics),
        }
    }
}

/// Checks a process source: syntax, names and types, deelzaken against `library`, and
/// soundness within `limits`. Never panics, whatever the input.
pub fn check(source: &str, syntax: Syntax, library: &dyn Library, limits: &Limits) -> Checked {
    let loaded = zaak_dsl::load(source, syntax);
    let mut diagnostics = loaded.diagnostics;
    let Some(model) = loaded.model else {
        return Checked {
            model: None,
            diagnostics,
        };
    };
    // Soundness is only meaningful for a process whose names and types are right; checking a
    // broken one would repeat the same mistakes as net findings.
    if diagnostics.iter().any(Diagnostic::is_error) {
        diagnostics.extend(subcases(&model, library));
    } else {
        diagnostics.extend(check_model(&model, Some(library), limits));
    }
    Checked {
        model: Some(model),
        diagnostics,
    }
}

/// The checks after reading, for a model that was read and validated without errors (as
/// [`zaak_dsl::load`] gives it): deelzaken against `library`, and soundness within `limits`.
///
/// With `library` `None` the deelzaken are not checked; that is for a caller that cannot list
/// the other processes yet, and it must say so, since a deelzaak of an unknown process then
/// goes unnoticed until a case reaches it.
pub fn check_model(
    model: &ProcessModel,
    library: Option<&dyn Library>,
    limits: &Limits,
) -> Vec<Diagnostic> {
    let mut out = library.map(|l| subcases(model, l)).unwrap_or_default();
    out.extend(sound(model, limits));
    out
}

/// The soundness findings of a model whose names and types are right, within `limits`; the
/// compiler's diagnostics when it cannot be compiled.
pub(crate) fn sound(model: &ProcessModel, limits: &Limits) -> Vec<Diagnostic> {
    let net = match compile::compile(model) {
        Ok(net) => net,
        Err(diagnostics) => return diagnostics,
    };
    let report = soundness::check(&net, limits.markings);
    let mut out = soundness::explain(model, &net, &report);
    if report.limit_hit && limits.refuse_unproven {
        out.retain(|d| d.code != Code::LimitReached);
        out.push(
            Diagnostic::new(
                Code::Unproven,
                model.start.span,
                format!(
                    "this process cannot be deployed: the soundness check stopped after {} markings of the net without proving that every case can finish",
                    report.states
                ),
            )
            .with_label("not proven sound")
            .with_help("the process has very many combinations of parallel work; split it into smaller processes or deelzaken, or fewer parallel branches"),
        );
    }
    out
}

/// Every deelzaak of `model` checked against the process it starts.
fn subcases(model: &ProcessModel, library: &dyn Library) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    for step in &model.steps {
        let StepKind::Subcase(sub) = &step.kind else {
            continue;
        };
        let key = sub.process.as_str();
        // A process may start a deelzaak of itself: of the version being checked.
        let other = if key == model.process.as_str() {
            Some(Cow::Borrowed(model))
        } else {
            library.process(key)
        };
        match other {
            Some(other) => out.extend(passed_fields(model, step, sub, &other)),
            None => out.push(
                Diagnostic::new(
                Code::UnknownSubcaseProcess,
                    span_or(sub.process.span, step),
                    format!("the deelzaak `{}` starts the process `{key}`, which does not exist", step.name),
                )
                .with_label("unknown process")
                .with_help("name the key of a process that is deployed, or that is checked in the same directory"),
            ),
        }
    }
    out
}

/// The fields `step` passes to a deelzaak of `other`: each declared there, with a type that
/// takes every value it can hold here, and every field the deelzaak requires among them.
/// The deelzaak is started with them as its start data, which must pass its data validation.
fn passed_fields(
    model: &ProcessModel,
    step: &Step,
    sub: &SubcaseStep,
    other: &ProcessModel,
) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    let key = other.process.as_str();
    for name in &sub.pass {
        let Some(there) = other.data.iter().find(|f| f.name.as_str() == name.as_str()) else {
            out.push(
                Diagnostic::new(
                Code::SubcaseFieldUnknown,
                    span_or(name.span, step),
                    format!("the process `{key}` has no data field `{name}`, so its deelzaak cannot receive it"),
                )
                .with_label("not a field of the deelzaak")
                .with_help(format!(
                    "pass only fields that `{key}` declares with `data`{}",
                    fields_hint(&other.data)
                )),
            );
            continue;
        };
        // Validation already reported a field this process does not have.
        let Some(here) = model.field(name.as_str()) else {
            continue;
        };
        if !fits(&here.ty, &there.ty) {
            out.push(
                Diagnostic::new(
                    Code::SubcaseFieldType,
                    span_or(name.span, step),
                    format!(
                        "`{name}` is {} here, but {} in the process `{key}`",
                        here.ty, there.ty
                    ),
                )
                .with_label("the deelzaak would refuse this value")
                .with_related(here.name.span, format!("`{name}` is declared here"))
                .with_help(format!(
                    "give `{name}` the same type in both processes, or pass another field"
                )),
            );
        }
    }
    for required in other.data.iter().filter(|f| f.required) {
        if !sub
            .pass
            .iter()
            .any(|n| n.as_str() == required.name.as_str())
        {
            out.push(
                Diagnostic::new(
                Code::SubcaseFieldMissing,
                    span_or(sub.process.span, step),
                    format!(
                        "the process `{key}` requires the field `{}`, which the deelzaak `{}` does not pass",
                        required.name, step.name
                    ),
                )
                .with_label("required field not passed")
                .with_help(format!(
                    "add `{}` to `pass`, or make it optional in `{key}`: a deelzaak without it cannot start",
                    required.name
                )),
            );
        }
    }
    out
}

/// Whether every value a field of type `here` can hold is a valid value of type `there`.
fn fits(here: &DataType, there: &DataType) -> bool {
    match (here, there) {
        (DataType::Choice(ours), DataType::Choice(theirs)) => {
            ours.iter().all(|v| theirs.contains(v))
        }
        // A choice's values are text.
        (DataType::Choice(_), DataType::Text) => true,
        _ => here == there,
    }
}

fn fields_hint(fields: &[DataField]) -> String {
    match fields.len() {
        0 => " (it declares none)".to_string(),
        1..=8 => {
            let names: Vec<String> = fields.iter().map(|f| format!("`{}`", f.name)).collect();
            format!(": {}", names.join(", "))
        }
        _ => String::new(),
    }
}

/// A name's span, or the step's where the source did not give the name one.
fn span_or(span: zaak_dsl::Span, step: &Step) -> zaak_dsl::Span {
    if span.is_empty() {
        step.span
    } else {
        span
    }
}
