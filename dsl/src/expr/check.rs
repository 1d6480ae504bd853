//! Type checking an expression against the case data of a process, before deployment.

use super::compile;
use super::dates::day_number;
use super::syntax::{BinOp, Func, Kind, Node};
use crate::model::{DataType, ProcessModel, StepKind};
use crate::suggest::did_you_mean;
use crate::Code;
use std::ops::Range;

/// What an expression must give where it is used.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum ExpectedType {
    /// A `when` condition: true or false.
    Condition,
    /// The value of `set field = ...`: the field's type.
    Value(DataType),
    /// Anything.
    Any,
}

/// One problem the type check found, with where it is inside the expression.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct ExprProblem {
    /// The stable diagnostic code (Z02xx), documented in `docs/errors.md`.
    pub(crate) code: Code,
    pub(crate) message: String,
    /// Byte range within the expression source.
    pub(crate) range: Range<usize>,
    pub(crate) help: Option<String>,
}

#[derive(Debug, Clone, PartialEq)]
enum Ty {
    Null,
    Bool,
    Number,
    Text,
    Date,
    /// A choice field: its name and values.
    Choice(String, Vec<String>),
    /// `outcome.<task>`: the task and its outcomes.
    Outcome(String, Vec<String>),
    List(Vec<Ty>),
    /// Unknown after an earlier problem; fits everywhere so one mistake is reported once.
    Any,
}

impl Ty {
    fn of(ty: &DataType, name: &str) -> Ty {
        match ty {
            DataType::Text => Ty::Text,
            DataType::Number => Ty::Number,
            DataType::Bool => Ty::Bool,
            DataType::Date => Ty::Date,
            DataType::Choice(values) => Ty::Choice(name.to_string(), values.clone()),
        }
    }

    fn word(&self) -> String {
        match self {
            Ty::Null => "null".into(),
            Ty::Bool => "true/false".into(),
            Ty::Number => "a number".into(),
            Ty::Text => "text".into(),
            Ty::Date => "a date".into(),
            Ty::Choice(name, _) => format!("a value of the choice `{name}`"),
            Ty::Outcome(task, _) => format!("an outcome of `{task}`"),
            Ty::List(_) => "a list".into(),
            Ty::Any => "anything".into(),
        }
    }

    fn is_textual(&self) -> bool {
        matches!(self, Ty::Text | Ty::Choice(..) | Ty::Outcome(..))
    }
}

fn quoted_list(values: &[String]) -> String {
    values
        .iter()
        .map(|v| format!("{v:?}"))
        .collect::<Vec<_>>()
        .join(", ")
}

struct Checker<'m> {
    model: &'m ProcessModel,
    problems: Vec<ExprProblem>,
}

impl Checker<'_> {
    fn problem(&mut self, code: Code, range: Range<usize>, message: String, help: Option<String>) {
        self.problems.push(ExprProblem {
            code,
            message,
            range,
            help,
        });
    }

    fn infer(&mut self, node: &Node) -> Ty {
        match &node.kind {
            Kind::Null => Ty::Null,
            Kind::Bool(_) => Ty::Bool,
            Kind::Number(_) => Ty::Number,
            Kind::Text(_) => Ty::Text,
            Kind::List(items) => Ty::List(items.iter().map(|n| self.infer(n)).collect()),
            Kind::Field(name) => match self.model.field(name) {
                Some(f) => Ty::of(&f.ty, name),
                None => {
                    let names: Vec<&str> =
                        self.model.all_fields().map(|f| f.name.as_str()).collect();
                    let help = did_you_mean(name, names.iter().copied())
                        .map(|s| format!("did you mean `{s}`?"))
                        .or_else(|| {
                            Some(if names.is_empty() {
                                "declare it under `data`, or as a task's form field".to_string()
                            } else {
                                format!("the case data fields are {}", names.join(", "))
                            })
                        });
                    self.problem(
                        Code::UnknownVariable,
                        node.range.clone(),
                        format!("`{name}` is not a case data field"),
                        help,
                    );
                    Ty::Any
                }
            },
            Kind::Outcome(task) => self.outcome_type(task, node),
            Kind::Not(inner) => {
                let t = self.infer(inner);
                self.want_bool(&t, inner, "!");
                Ty::Bool
            }
            Kind::Neg(inner) => {
                let t = self.infer(inner);
                if !matches!(t, Ty::Number | Ty::Null | Ty::Any) {
                    self.problem(
                        Code::TypeMismatch,
                        inner.range.clone(),
                        format!("`-` needs a number, but this is {}", t.word()),
                        None,
                    );
                }
                Ty::Number
            }
            Kind::Binary(op, l, r) => self.binary(*op, l, r, node),
            Kind::Call(func, args) => self.call(*func, args),
        }
    }

    fn outcome_type(&mut self, task: &str, node: &Node) -> Ty {
        let step = self.model.step(task);
        match step.map(|s| &s.kind) {
            Some(StepKind::Task(t)) if !t.outcomes.is_empty() => Ty::Outcome(
                task.to_string(),
                t.outcomes.iter().map(|o| o.name.name.clone()).collect(),
            ),
            Some(StepKind::Task(_)) => {
                self.problem(
                    Code::NotATaskWithOutcomes,
                    node.range.clone(),
                    format!("the task `{task}` has no outcomes"),
                    Some(format!(
                        "give `{task}` outcomes, or test a field it fills in"
                    )),
                );
                Ty::Any
            }
            Some(_) => {
                self.problem(
                    Code::NotATaskWithOutcomes,
                    node.range.clone(),
                    format!("`{task}` is not a task, so it has no outcome"),
                    None,
                );
                Ty::Any
            }
            None => {
                let tasks = self
                    .model
                    .steps
                    .iter()
                    .filter(|s| matches!(s.kind, StepKind::Task(_)))
                    .map(|s| s.name.as_str());
                let help = did_you_mean(task, tasks).map(|s| format!("did you mean `{s}`?"));
                self.problem(
                    Code::NotATaskWithOutcomes,
                    node.range.clone(),
                    format!("there is no task `{task}`"),
                    help,
                );
                Ty::Any
            }
        }
    }

    fn want_bool(&mut self, t: &Ty, node: &Node, op: &str) {
        if !matches!(t, Ty::Bool | Ty::Null | Ty::Any) {
            self.problem(
                Code::TypeMismatch,
                node.range.clone(),
                format!("`{op}` needs true or false, but this is {}", t.word()),
                None,
            );
        }
    }

    /// Checks a text literal against a choice field or a task's outcomes.
    fn check_member(&mut self, ty: &Ty, other: &Node) {
        let Kind::Text(value) = &other.kind else {
            return;
        };
        let (code, what, values) = match ty {
            Ty::Choice(name, values) => (
                Code::NotAChoiceValue,
                format!("the choice `{name}`"),
                values,
            ),
            Ty::Outcome(task, values) => (
                Code::UnknownOutcome,
                format!("the outcomes of `{task}`"),
                values,
            ),
            _ => return,
        };
        if values.iter().any(|v| v == value) {
            return;
        }
        let help = did_you_mean(value, values.iter().map(String::as_str))
            .map(|s| format!("did you mean \"{s}\"?"))
            .or_else(|| Some("use one of the values listed".to_string()));
        self.problem(
            code,
            other.range.clone(),
            format!("\"{value}\" is not one of {what}: {}", quoted_list(values)),
            help,
        );
    }

    /// Whether two types can be compared with `==`, reporting a mismatch when not.
    fn comparable(&mut self, op: BinOp, lt: &Ty, rt: &Ty, l: &Node, r: &Node, whole: &Node) {
        self.check_member(lt, r);
        self.check_member(rt, l);
        let ok = match (lt, rt) {
            (Ty::Any, _) | (_, Ty::Any) | (Ty::Null, _) | (_, Ty::Null) => true,
            (Ty::Date, Ty::Date) => true,
            (Ty::Date, _) => self.date_literal(r, rt),
            (_, Ty::Date) => self.date_literal(l, lt),
            (a, b) if a.is_textual() && b.is_textual() => true,
            (Ty::Number, Ty::Number) | (Ty::Bool, Ty::Bool) => true,
            (Ty::List(_), Ty::List(_)) => true,
            _ => false,
        };
        if !ok {
            self.problem(
                Code::TypeMismatch,
                whole.range.clone(),
                format!(
                    "`{}` compares {} with {}; they can never be equal",
                    op.symbol(),
                    lt.word(),
                    rt.word()
                ),
                Some(
                    "compare values of one type: numbers without quotes, text and dates in double quotes"
                        .into(),
                ),
            );
        }
    }

    /// A text literal standing in for a date must be a real `YYYY-MM-DD` date.
    fn date_literal(&mut self, node: &Node, ty: &Ty) -> bool {
        match (&node.kind, ty) {
            (Kind::Text(t), _) if day_number(t).is_some() => true,
            (Kind::Text(t), _) => {
                self.problem(
                    Code::TypeMismatch,
                    node.range.clone(),
                    format!("\"{t}\" is not a date"),
                    Some("write dates as \"YYYY-MM-DD\", e.g. \"2024-07-01\"".into()),
                );
                // Reported here; do not report the comparison as well.
                true
            }
            _ => false,
        }
    }

    fn binary(&mut self, op: BinOp, l: &Node, r: &Node, whole: &Node) -> Ty {
        let lt = self.infer(l);
        let rt = self.infer(r);
        match op {
            BinOp::Or | BinOp::And => {
                self.want_bool(&lt, l, op.symbol());
                self.want_bool(&rt, r, op.symbol());
                Ty::Bool
            }
            BinOp::Eq | BinOp::Ne => {
                self.comparable(op, &lt, &rt, l, r, whole);
                Ty::Bool
            }
            BinOp::Lt | BinOp::Le | BinOp::Gt | BinOp::Ge => {
                let ok = match (&lt, &rt) {
                    (Ty::Any, _) | (_, Ty::Any) => true,
                    (Ty::Number, Ty::Number) | (Ty::Date, Ty::Date) | (Ty::Text, Ty::Text) => true,
                    (Ty::Date, _) => self.date_literal(r, &rt),
                    (_, Ty::Date) => self.date_literal(l, &lt),
                    _ => false,
                };
                if !ok {
                    let help = match (&lt, &rt) {
                        (Ty::Choice(..), _) | (_, Ty::Choice(..)) => {
                            Some("the values of a choice have no order; use `==` or `in`".into())
                        }
                        (Ty::Null, _) | (_, Ty::Null) => {
                            Some("use `has(field)` to test whether a field is set".into())
                        }
                        _ => None,
                    };
                    self.problem(
                        Code::TypeMismatch,
                        whole.range.clone(),
                        format!(
                            "`{}` cannot order {} against {}",
                            op.symbol(),
                            lt.word(),
                            rt.word()
                        ),
                        help,
                    );
                }
                Ty::Bool
            }
            BinOp::In => {
                match (&rt, &r.kind) {
                    (Ty::List(items), Kind::List(nodes)) => {
                        for (t, n) in items.iter().zip(nodes) {
                            self.comparable(BinOp::Eq, &lt, t, l, n, n);
                        }
                    }
                    (Ty::Any, _) => {}
                    _ => self.problem(
                        Code::TypeMismatch,
                        r.range.clone(),
                        format!("`in` needs a list on its right, but this is {}", rt.word()),
                        Some("write the values in brackets: `activiteit in [\"bouwen\", \"slopen\"]`".into()),
                    ),
                }
                Ty::Bool
            }
            BinOp::Add => match (&lt, &rt) {
                (Ty::Number, Ty::Number) => Ty::Number,
                (a, b) if a.is_textual() && b.is_textual() => Ty::Text,
                (Ty::Any, t) | (t, Ty::Any) => {
                    if t.is_textual() {
                        Ty::Text
                    } else {
                        Ty::Any
                    }
                }
                _ => {
                    self.problem(
                        Code::TypeMismatch,
                        whole.range.clone(),
                        format!("`+` cannot add {} and {}", lt.word(), rt.word()),
                        match (&lt, &rt) {
                            (Ty::Date, Ty::Number) => {
                                Some("use `add_days(date, days)` to move a date".into())
                            }
                            _ => None,
                        },
                    );
                    Ty::Any
                }
            },
            BinOp::Sub | BinOp::Mul | BinOp::Div | BinOp::Rem => {
                for (t, n) in [(&lt, l), (&rt, r)] {
                    if !matches!(t, Ty::Number | Ty::Any | Ty::Null) {
                        let help = (*t == Ty::Date && op == BinOp::Sub)
                            .then(|| "use `days_between(a, b)` for the days between dates".into());
                        self.problem(
                            Code::TypeMismatch,
                            n.range.clone(),
                            format!("`{}` needs numbers, but this is {}", op.symbol(), t.word()),
                            help,
                        );
                    }
                }
                Ty::Number
            }
        }
    }

    fn call(&mut self, func: Func, args: &[Node]) -> Ty {
        let types: Vec<Ty> = args.iter().map(|a| self.infer(a)).collect();
        match func {
            Func::Has => Ty::Bool,
            Func::Date => Ty::Date,
            Func::AddDays | Func::DaysBetween => {
                let wanted: [Ty; 2] = if func == Func::AddDays {
                    [Ty::Date, Ty::Number]
                } else {
                    [Ty::Date, Ty::Date]
                };
                for ((t, n), w) in types.iter().zip(args).zip(wanted.iter()) {
                    let fits = t == w
                        || matches!(t, Ty::Any | Ty::Null)
                        || (*w == Ty::Date
                            && matches!(&n.kind, Kind::Text(s) if day_number(s).is_some()));
                    if !fits {
                        self.problem(
                            Code::TypeMismatch,
                            n.range.clone(),
                            format!(
                                "`{}` needs {} here, but this is {}",
                                func.name(),
                                w.word(),
                                t.word()
                            ),
                            None,
                        );
                    }
                }
                if func == Func::AddDays {
                    Ty::Date
                } else {
                    Ty::Number
                }
            }
        }
    }

    fn expect(&mut self, node: &Node, ty: &Ty, expected: &ExpectedType) {
        match expected {
            ExpectedType::Any => {}
            ExpectedType::Condition => {
                if !matches!(ty, Ty::Bool | Ty::Any) {
                    self.problem(
                        Code::NotACondition,
                        node.range.clone(),
                        format!("this condition gives {}, not true or false", ty.word()),
                        Some("compare it with something, e.g. `bouwsom > 100000`".into()),
                    );
                }
            }
            ExpectedType::Value(field_ty) => {
                let want = Ty::of(field_ty, "");
                let fits = match (&want, ty) {
                    (_, Ty::Any) | (_, Ty::Null) => true,
                    (Ty::Choice(_, values), _) => match &node.kind {
                        Kind::Text(t) if !values.contains(t) => {
                            let help = did_you_mean(t, values.iter().map(String::as_str))
                                .map(|s| format!("did you mean \"{s}\"?"));
                            self.problem(
                                Code::NotAChoiceValue,
                                node.range.clone(),
                                format!(
                                    "\"{t}\" is not one of the choice's values: {}",
                                    quoted_list(values)
                                ),
                                help,
                            );
                            return;
                        }
                        Kind::Text(_) => true,
                        _ => match ty {
                            Ty::Choice(_, other) => other.iter().all(|v| values.contains(v)),
                            Ty::Outcome(..) | Ty::Text => true,
                            _ => false,
                        },
                    },
                    (Ty::Text, t) => t.is_textual(),
                    (Ty::Date, Ty::Date) => true,
                    (Ty::Date, _) => {
                        matches!(&node.kind, Kind::Text(s) if day_number(s).is_some())
                    }
                    (w, t) => w == t,
                };
                if !fits {
                    self.problem(
                        Code::SetValueType,
                        node.range.clone(),
                        format!("this value is {}, but the field is {field_ty}", ty.word()),
                        None,
                    );
                }
            }
        }
    }
}

/// Type-checks an expression against the case data of a process.
pub(crate) fn check(
    source: &str,
    model: &ProcessModel,
    expected: ExpectedType,
) -> Vec<ExprProblem> {
    let compiled = match compile(source) {
        Ok(c) => c,
        Err(e) => {
            let at = e.offset.unwrap_or(0).min(source.len());
            let end = source
                .get(at..)
                .and_then(|rest| rest.chars().next())
                .map(|c| at + c.len_utf8())
                .unwrap_or(at);
            return vec![ExprProblem {
                code: Code::ExpressionSyntax,
                message: e.message,
                range: at..end,
                help: Some(
                    "write conditions like `bouwsom > 100000 && activiteit == \"bouwen\"`".into(),
                ),
            }];
        }
    };
    let mut checker = Checker {
        model,
        problems: Vec::new(),
    };
    let ty = checker.infer(&compiled.root);
    checker.expect(&compiled.root, &ty, &expected);
    checker.problems
}

#[cfg(test)]
#[path = "check_tests.rs"]
mod tests;
