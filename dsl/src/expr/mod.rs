//! Conditions and values in the expression language.
//!
//! Conditions decide a `choice` or `inclusive` branch (`when monument || bouwsom > 100000`);
//! values are what an auto step's `set field = EXPR` writes into the case data.
//!
//! # The language
//!
//! ```text
//! expr     = or
//! or       = and ("||" and)*
//! and      = compare ("&&" compare)*
//! compare  = sum (("==" | "!=" | "<" | "<=" | ">" | ">=" | "in") sum)*
//! sum      = product (("+" | "-") product)*
//! product  = unary (("*" | "/" | "%") unary)*
//! unary    = ("!" | "-")* primary
//! primary  = number | string | "true" | "false" | "null" | list | call | path | "(" expr ")"
//! list     = "[" (expr ("," expr)*)? "]"
//! call     = ("has" | "date" | "add_days" | "days_between") "(" args ")"
//! path     = field | "outcome" "." task
//! ```
//!
//! Values are null, true/false, numbers (64-bit floats; whole numbers are written back as
//! integers), text (`"..."` with `\"` and `\\` escapes) and lists (only on the right of `in`).
//!
//! Variables: every case data field by name ([`ProcessModel::all_fields`]), and
//! `outcome.<task>`, the outcome the task step last completed with.
//!
//! Dates are `YYYY-MM-DD` text in the case data. Because that form sorts the way time runs,
//! `<`, `<=`, `>` and `>=` compare two dates correctly as text, and the type check makes sure
//! a date is only compared with another date or with a text literal that is a valid date.
//! `date("2024-01-01")` is a checked date literal, `add_days(d, n)` moves a date by `n` calendar
//! days and `days_between(a, b)` gives the days from `a` to `b`.
//!
//! Unset fields: a field the case has no value for (or `outcome.<task>` for a task that has not
//! completed) is `null`. `has(field)` is true when it is set. `null` counts as false where
//! true/false is needed (`!`, `&&`, `||`, a condition), is equal only to `null`, is never
//! smaller or larger than anything (so `bouwsom > 100000` is false while `bouwsom` is unset),
//! and arithmetic with it gives `null`. A condition therefore never fails on missing data.
//!
//! We chose our own small grammar over CEL (`cel-interpreter`): its parser drops the byte
//! offsets of a successfully parsed expression, so type errors could not point at the part of
//! the expression that is wrong; our rules for dates and unset fields also differ from CEL's.
//!
//! The module is in four parts: `syntax` reads an expression into its tree, `eval` evaluates
//! the tree against a case's data, `check` type-checks it against a process's case data before
//! deployment, and `dates` does the date arithmetic, on dates read by [`crate::value`].

mod check;
mod dates;
mod eval;
mod syntax;

pub(crate) use check::{check, ExpectedType};

use serde_json::{Map, Value};
use std::collections::BTreeMap;
use syntax::Node;

/// The variables an expression sees: case data fields by name, and `outcome`, a map from task
/// step name to the outcome it completed with.
pub struct Vars<'a> {
    pub data: &'a Map<String, Value>,
    pub outcomes: &'a BTreeMap<String, String>,
}

#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[error("{message}")]
pub struct ExprError {
    pub message: String,
    /// Byte offset within the expression source, where known.
    pub offset: Option<usize>,
}

impl ExprError {
    fn at(offset: usize, message: impl Into<String>) -> ExprError {
        ExprError {
            message: message.into(),
            offset: Some(offset),
        }
    }
}

/// A parsed expression, ready to evaluate many times.
#[derive(Debug, Clone)]
pub struct Compiled {
    source: String,
    root: Node,
}

/// The longest expression we read; conditions and values are one line, and the bound keeps
/// recursion in parsing and evaluation far from the stack's limit.
pub const MAX_LEN: usize = 2000;
/// The deepest nesting of brackets we read, for the same reason.
pub const MAX_DEPTH: usize = 64;
/// The most operations nested inside each other (`a + a + ... + a` nests one per `+`).
pub const MAX_NESTING: usize = 100;

/// Parses an expression. The error's offset points at where the expression stops making sense.
pub fn compile(source: &str) -> Result<Compiled, ExprError> {
    Ok(Compiled {
        source: source.to_string(),
        root: syntax::parse(source)?,
    })
}

impl Compiled {
    pub fn source(&self) -> &str {
        &self.source
    }

    pub fn eval(&self, vars: &Vars<'_>) -> Result<Value, ExprError> {
        eval::eval(&self.root, vars)
    }

    /// Evaluates a condition: it must give a bool. An unset value (`null`) counts as false.
    pub fn holds(&self, vars: &Vars<'_>) -> Result<bool, ExprError> {
        match self.eval(vars)? {
            Value::Bool(b) => Ok(b),
            Value::Null => Ok(false),
            other => Err(ExprError {
                message: format!(
                    "condition `{}` gave {other}, not true or false",
                    self.source
                ),
                offset: None,
            }),
        }
    }

    /// The case data fields the expression reads, in the order written.
    pub fn fields(&self) -> Vec<&str> {
        let mut out = Vec::new();
        syntax::collect_fields(&self.root, &mut out);
        out
    }
}
