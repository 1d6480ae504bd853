//! The registry of diagnostic codes: every code any part of Zaak reports, declared once.
//!
//! Each code has a stable name (`Z0101`), a severity, a short title and a page under
//! `docs/errors/` that explains its cause and fix. The language, the engine's compiler and
//! soundness check, and the PNML reader of the `zaak` command all write codes from here, so a
//! code cannot be misspelt, and the documentation test walks [`Code::ALL`] instead of the
//! sources. A code never changes meaning; a retired one is not reused.

use crate::diag::Severity;
use serde::Serialize;
use std::fmt;

/// Declares the codes: variant, code, severity and title, with a doc line saying what each is.
macro_rules! codes {
    ($( $(#[doc = $doc:literal])+ $variant:ident = $code:literal, $severity:ident, $title:literal; )+) => {
        /// A diagnostic code. Compares equal to its text (`Code::UnknownStep == "Z0102"`).
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub enum Code {
            $( $(#[doc = $doc])+ $variant, )+
        }

        impl Code {
            /// Every code, in the order of their numbers.
            pub const ALL: &'static [Code] = &[$(Code::$variant),+];

            /// The code as users see it, e.g. `Z0102`.
            pub const fn as_str(self) -> &'static str {
                match self { $(Code::$variant => $code),+ }
            }

            /// Whether a diagnostic with this code stops a process from being deployed.
            pub const fn severity(self) -> Severity {
                match self { $(Code::$variant => Severity::$severity),+ }
            }

            /// What the code is about, as its documentation page is titled.
            pub const fn title(self) -> &'static str {
                match self { $(Code::$variant => $title),+ }
            }

            /// The page that explains the code, relative to the root of the repository.
            pub const fn page(self) -> &'static str {
                match self { $(Code::$variant => concat!("docs/errors/", $code, ".md")),+ }
            }
        }
    };
}

codes! {
    /// The text does not follow the language at this point.
    Syntax = "Z0001", Error, "syntax error";
    /// A duration in a form the language does not know.
    BadDuration = "Z0010", Error, "not a duration";
    /// A version, priority or amount that does not fit.
    NumberTooLarge = "Z0011", Error, "number too large";
    /// A confidentiality level that ZGW does not have.
    UnknownConfidentiality = "Z0012", Error, "unknown confidentiality level";
    /// A single-valued item written twice.
    GivenTwice = "Z0013", Error, "given twice";
    /// Something the process cannot do without is left out.
    RequiredItemMissing = "Z0014", Error, "required item missing";
    /// A backslash in a string that escapes nothing.
    BadEscape = "Z0015", Error, "unknown escape in a string";
    /// Reading stopped after too many errors.
    TooManyErrors = "Z0016", Error, "too many errors";
    /// The file is not YAML at all.
    YamlSyntax = "Z0090", Error, "not valid YAML";
    /// The YAML does not fit the process model.
    NotAProcess = "Z0091", Error, "the YAML is not a process";
    /// A key the process model does not know.
    UnknownKey = "Z0092", Error, "unknown key";
    /// A name defined twice in one namespace.
    DefinedTwice = "Z0101", Error, "name defined twice";
    /// A step name that no step has.
    UnknownStep = "Z0102", Error, "unknown step";
    /// A team no `team` defines.
    UnknownTeam = "Z0103", Error, "unknown team";
    /// A role no `role` defines.
    UnknownRole = "Z0104", Error, "unknown role";
    /// A status no `status` defines.
    UnknownStatus = "Z0105", Error, "unknown status";
    /// A result no `result` defines.
    UnknownResult = "Z0106", Error, "unknown result";
    /// A message no `message` defines.
    UnknownMessage = "Z0107", Error, "unknown message";
    /// A case data field that is neither declared data nor a form field.
    UnknownField = "Z0108", Error, "unknown case data field";
    /// A team that no task names.
    UnusedTeam = "Z0109", Warning, "team without tasks";
    /// A message that no wait step waits for.
    UnusedMessage = "Z0110", Warning, "message no step waits for";
    /// An expression that cannot be read.
    ExpressionSyntax = "Z0201", Error, "expression cannot be read";
    /// An expression reads a name that is not a case data field.
    UnknownVariable = "Z0202", Error, "unknown variable";
    /// An operator gets values it cannot combine.
    TypeMismatch = "Z0203", Error, "types do not fit";
    /// A text that is not one of a choice field's values.
    NotAChoiceValue = "Z0204", Error, "not one of the choice's values";
    /// A `when` condition that does not give true or false.
    NotACondition = "Z0205", Error, "condition is not true or false";
    /// `outcome.X` where X is not a task with outcomes.
    NotATaskWithOutcomes = "Z0206", Error, "`outcome.X` where X is not a task with outcomes";
    /// A text that is not one of a task's outcomes.
    UnknownOutcome = "Z0207", Error, "not one of the task's outcomes";
    /// A `set` value whose type does not match the field.
    SetValueType = "Z0208", Error, "`set` value of the wrong type";
    /// `timer until` on a field that is not a date.
    TimerNotDate = "Z0209", Error, "`timer until` on a field that is not a date";
    /// A choice type with no values, or with a value twice.
    BadChoiceType = "Z0210", Error, "bad choice type";
    /// A step that no path from `start` reaches.
    Unreachable = "Z0301", Error, "unreachable step";
    /// A choice without `otherwise` whose conditions do not cover every case.
    NoOtherwise = "Z0302", Error, "choice without `otherwise`";
    /// A task outcome without a next step.
    OutcomeLeadsNowhere = "Z0303", Error, "outcome leads nowhere";
    /// A task with neither outcomes nor `then`.
    TaskLeadsNowhere = "Z0304", Error, "task leads nowhere";
    /// A `join some` that does not close an inclusive split.
    JoinWithoutInclusiveSplit = "Z0305", Error, "`join some` without an inclusive split";
    /// `extension` without a legal `term` to extend.
    ExtensionWithoutTerm = "Z0306", Error, "extension without a legal term";
    /// `suspend` while the process does not allow suspension.
    SuspensionNotAllowed = "Z0307", Error, "suspension not allowed";
    /// A process without statuses.
    NoStatuses = "Z0308", Error, "no statuses";
    /// An end step without a result in a process that has results.
    EndWithoutResult = "Z0309", Warning, "end step without a result";
    /// A process without an end step.
    NoEnd = "Z0310", Error, "no end step";
    /// A step from which no end step can be reached.
    NoWayToEnd = "Z0311", Error, "no way to an end step";
    /// A choice, inclusive or parallel step without branches.
    NoBranches = "Z0312", Error, "split without branches";
    /// A `split` on a `join all`, where it means nothing.
    SplitOnJoinAll = "Z0313", Warning, "`split` on `join all`";
    /// A term counted in working days but written in another unit.
    TermUnit = "Z0314", Error, "a working-day term written in another unit";
    /// A reachable state in which nothing can happen any more.
    Deadlock = "Z0401", Error, "a case can get stuck";
    /// A state from which the case can only go round a loop.
    NoWayOut = "Z0402", Error, "a loop without a way out";
    /// The case can end while another branch still runs.
    WorkLeftBehind = "Z0403", Error, "work left behind at the end";
    /// A step or transition that no reachable state lets happen.
    NeverRuns = "Z0404", Error, "a step that can never run";
    /// The soundness check stopped at its limit of states.
    LimitReached = "Z0405", Warning, "the check stopped at its limit";
    /// Work that piles up without limit.
    Unbounded = "Z0406", Error, "work piles up without limit";
    /// A deploy's search stopped before it proved the process sound.
    Unproven = "Z0407", Error, "not proven sound within the deploy limit";
    /// An inclusive step with more ways than the net can hold.
    InclusiveTooWide = "Z0410", Error, "an inclusive step with too many ways";
    /// Inclusive ways that reach their join through one step.
    InclusiveWayShared = "Z0411", Error, "an inclusive way that does not reach its join through a step of its own";
    /// Two joins that close one inclusive split.
    TwoJoins = "Z0412", Error, "two joins for one split";
    /// A `.pnml` file that is not a PNML net.
    NotPnml = "Z0420", Error, "not a PNML net";
    /// A PNML net that is not a workflow net.
    NotAWorkflowNet = "Z0421", Error, "not a workflow net";
    /// A `subcase` of a process that no known process is.
    UnknownSubcaseProcess = "Z0430", Error, "a deelzaak of a process that does not exist";
    /// A field passed to a deelzaak whose process does not declare it.
    SubcaseFieldUnknown = "Z0431", Error, "a passed field the deelzaak's process does not declare";
    /// A field passed to a deelzaak whose process declares it with a type refusing its values.
    SubcaseFieldType = "Z0432", Error, "a passed field of another type";
    /// A required field of the deelzaak's process that the `subcase` does not pass.
    SubcaseFieldMissing = "Z0433", Error, "a required field of the deelzaak not passed";
    /// A legal deadline that can fall in a year no known Royal Decree covers.
    TermPastDecrees = "Z0501", Warning, "the term can end after the known decrees";
}

impl Code {
    /// The code written as `text`, e.g. for `zaak check --explain Z0102`.
    pub fn parse(text: &str) -> Option<Code> {
        Code::ALL.iter().copied().find(|c| c.as_str() == text)
    }
}

impl fmt::Display for Code {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl Serialize for Code {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
    }
}

// Comparing with the written code keeps tests and callers that match on `"Z0102"` readable.
impl PartialEq<str> for Code {
    fn eq(&self, other: &str) -> bool {
        self.as_str() == other
    }
}

impl PartialEq<&str> for Code {
    fn eq(&self, other: &&str) -> bool {
        self.as_str() == *other
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_are_unique_sorted_and_well_formed() {
        for pair in Code::ALL.windows(2) {
            assert!(pair[0].as_str() < pair[1].as_str(), "{pair:?}");
        }
        for code in Code::ALL {
            let text = code.as_str();
            assert!(
                text.len() == 5
                    && text.starts_with('Z')
                    && text[1..].bytes().all(|b| b.is_ascii_digit()),
                "{text}"
            );
            assert_eq!(Code::parse(text), Some(*code));
            assert!(!code.title().is_empty());
        }
        assert_eq!(Code::parse("Z9999"), None);
    }
}
