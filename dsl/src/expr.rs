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

use crate::model::{DataType, ProcessModel, StepKind};
use crate::suggest::did_you_mean;
use crate::Code;
use pest::iterators::{Pair, Pairs};
use pest::pratt_parser::{Assoc, Op, PrattParser};
use pest::Parser as _;
use serde_json::{Map, Value};
use std::collections::BTreeMap;
use std::ops::Range;
use std::sync::OnceLock;

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

/// One node of a parsed expression, with its byte range in the expression source.
#[derive(Debug, Clone, PartialEq)]
struct Node {
    kind: Kind,
    range: Range<usize>,
}

#[derive(Debug, Clone, PartialEq)]
enum Kind {
    Null,
    Bool(bool),
    Number(f64),
    Text(String),
    List(Vec<Node>),
    Field(String),
    /// `outcome.<task>`; the range of the node covers the whole path.
    Outcome(String),
    Not(Box<Node>),
    Neg(Box<Node>),
    Binary(BinOp, Box<Node>, Box<Node>),
    Call(Func, Vec<Node>),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum BinOp {
    Or,
    And,
    Eq,
    Ne,
    Lt,
    Le,
    Gt,
    Ge,
    In,
    Add,
    Sub,
    Mul,
    Div,
    Rem,
}

impl BinOp {
    fn symbol(self) -> &'static str {
        match self {
            BinOp::Or => "||",
            BinOp::And => "&&",
            BinOp::Eq => "==",
            BinOp::Ne => "!=",
            BinOp::Lt => "<",
            BinOp::Le => "<=",
            BinOp::Gt => ">",
            BinOp::Ge => ">=",
            BinOp::In => "in",
            BinOp::Add => "+",
            BinOp::Sub => "-",
            BinOp::Mul => "*",
            BinOp::Div => "/",
            BinOp::Rem => "%",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Func {
    Has,
    Date,
    AddDays,
    DaysBetween,
}

impl Func {
    fn from_name(name: &str) -> Option<Func> {
        Some(match name {
            "has" => Func::Has,
            "date" => Func::Date,
            "add_days" => Func::AddDays,
            "days_between" => Func::DaysBetween,
            _ => return None,
        })
    }

    fn name(self) -> &'static str {
        match self {
            Func::Has => "has",
            Func::Date => "date",
            Func::AddDays => "add_days",
            Func::DaysBetween => "days_between",
        }
    }

    fn arity(self) -> usize {
        match self {
            Func::Has | Func::Date => 1,
            Func::AddDays | Func::DaysBetween => 2,
        }
    }
}

const FUNCTIONS: [&str; 4] = ["has", "date", "add_days", "days_between"];

mod grammar {
    #[derive(pest_derive::Parser)]
    #[grammar_inline = r#"
WHITESPACE = _{ " " | "\t" | "\r" | "\n" }
expression = { SOI ~ expr ~ EOI }
expr = { prefix* ~ primary ~ (infix ~ prefix* ~ primary)* }
infix = _{ or | and | eq | ne | le | ge | lt | gt | in_op | add | sub | mul | div | rem }
or = { "||" }
and = { "&&" }
eq = { "==" }
ne = { "!=" }
le = { "<=" }
ge = { ">=" }
lt = { "<" }
gt = { ">" }
in_op = @{ "in" ~ !(ASCII_ALPHANUMERIC | "_") }
add = { "+" }
sub = { "-" }
mul = { "*" }
div = { "/" }
rem = { "%" }
prefix = _{ not | neg }
not = { "!" ~ !"=" }
neg = { "-" }
primary = _{ "(" ~ expr ~ ")" | list | number | string | call | path }
call = { ident ~ "(" ~ (expr ~ ("," ~ expr)*)? ~ ")" }
path = ${ ident ~ ("." ~ ident)* }
list = { "[" ~ (expr ~ ("," ~ expr)*)? ~ "]" }
number = @{ ASCII_DIGIT+ ~ ("." ~ ASCII_DIGIT+)? }
string = ${ "\"" ~ inner ~ "\"" }
inner = @{ (!("\"" | "\\") ~ ANY | "\\" ~ ANY)* }
ident = @{ (ASCII_ALPHA | "_") ~ (ASCII_ALPHANUMERIC | "_")* }
"#]
    pub struct ExprParser;
}

use grammar::{ExprParser, Rule};

fn pratt() -> &'static PrattParser<Rule> {
    static PRATT: OnceLock<PrattParser<Rule>> = OnceLock::new();
    PRATT.get_or_init(|| {
        PrattParser::new()
            .op(Op::infix(Rule::or, Assoc::Left))
            .op(Op::infix(Rule::and, Assoc::Left))
            .op(Op::infix(Rule::eq, Assoc::Left)
                | Op::infix(Rule::ne, Assoc::Left)
                | Op::infix(Rule::lt, Assoc::Left)
                | Op::infix(Rule::le, Assoc::Left)
                | Op::infix(Rule::gt, Assoc::Left)
                | Op::infix(Rule::ge, Assoc::Left)
                | Op::infix(Rule::in_op, Assoc::Left))
            .op(Op::infix(Rule::add, Assoc::Left) | Op::infix(Rule::sub, Assoc::Left))
            .op(Op::infix(Rule::mul, Assoc::Left)
                | Op::infix(Rule::div, Assoc::Left)
                | Op::infix(Rule::rem, Assoc::Left))
            .op(Op::prefix(Rule::not) | Op::prefix(Rule::neg))
    })
}

/// The words users see instead of grammar rule names in a syntax error.
fn rule_word(rule: &Rule) -> String {
    match rule {
        Rule::EOI => "the end of the expression",
        Rule::expression | Rule::expr | Rule::primary => "an expression",
        Rule::infix => "an operator",
        Rule::prefix => "`!` or `-`",
        Rule::or => "`||`",
        Rule::and => "`&&`",
        Rule::eq => "`==`",
        Rule::ne => "`!=`",
        Rule::le => "`<=`",
        Rule::ge => "`>=`",
        Rule::lt => "`<`",
        Rule::gt => "`>`",
        Rule::in_op => "`in`",
        Rule::add => "`+`",
        Rule::sub => "`-`",
        Rule::mul => "`*`",
        Rule::div => "`/`",
        Rule::rem => "`%`",
        Rule::not => "`!`",
        Rule::neg => "`-`",
        Rule::call => "a function call",
        Rule::path => "a field name",
        Rule::list => "a list",
        Rule::number => "a number",
        Rule::string => "a text in double quotes",
        Rule::inner => "text",
        Rule::ident => "a name",
        Rule::WHITESPACE => "a space",
    }
    .to_string()
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
    if source.len() > MAX_LEN {
        return Err(ExprError::at(
            MAX_LEN,
            format!("this expression is longer than {MAX_LEN} characters; split it up"),
        ));
    }
    let mut depth = 0usize;
    for (i, c) in source.char_indices() {
        match c {
            '(' | '[' => depth += 1,
            ')' | ']' => depth = depth.saturating_sub(1),
            _ => {}
        }
        if depth > MAX_DEPTH {
            return Err(ExprError::at(
                i,
                format!("brackets are nested deeper than {MAX_DEPTH} levels"),
            ));
        }
    }
    let mut pairs = ExprParser::parse(Rule::expression, source).map_err(|e| {
        let offset = match e.location {
            pest::error::InputLocation::Pos(p) => p,
            pest::error::InputLocation::Span((s, _)) => s,
        };
        let expected = match &e.variant {
            pest::error::ErrorVariant::ParsingError { positives, .. } => {
                // Everything that can start an operand is "a value" to the reader.
                let operand = |r: &Rule| {
                    matches!(
                        r,
                        Rule::expr
                            | Rule::primary
                            | Rule::prefix
                            | Rule::not
                            | Rule::neg
                            | Rule::list
                            | Rule::number
                            | Rule::string
                            | Rule::call
                            | Rule::path
                            | Rule::ident
                    )
                };
                let mut words: Vec<String> = Vec::new();
                if positives.iter().any(operand) {
                    words.push("a value".to_string());
                }
                for w in positives.iter().filter(|r| !operand(r)).map(rule_word) {
                    if !words.contains(&w) {
                        words.push(w);
                    }
                }
                words
            }
            pest::error::ErrorVariant::CustomError { .. } => Vec::new(),
        };
        let found = source
            .get(offset..)
            .and_then(|rest| rest.chars().next())
            .map(|c| format!("`{c}`"))
            .unwrap_or_else(|| "the end".to_string());
        let message = if expected.is_empty() {
            format!("this expression cannot be read at {found}")
        } else {
            format!("expected {} but found {found}", join_or(&expected))
        };
        ExprError::at(offset, message)
    })?;
    let expr = pairs
        .next()
        .and_then(|p| p.into_inner().next())
        .ok_or_else(|| ExprError::at(0, "an empty expression"))?;
    let root = build(expr)?;
    if let Some(at) = too_deep(&root) {
        return Err(ExprError::at(
            at,
            format!("this expression nests more than {MAX_NESTING} operations; split it up"),
        ));
    }
    Ok(Compiled {
        source: source.to_string(),
        root,
    })
}

/// Where the tree gets deeper than [`MAX_NESTING`], found without recursion.
fn too_deep(root: &Node) -> Option<usize> {
    let mut stack = vec![(root, 1usize)];
    while let Some((node, depth)) = stack.pop() {
        if depth > MAX_NESTING {
            return Some(node.range.start);
        }
        match &node.kind {
            Kind::List(items) | Kind::Call(_, items) => {
                stack.extend(items.iter().map(|n| (n, depth + 1)))
            }
            Kind::Not(n) | Kind::Neg(n) => stack.push((n, depth + 1)),
            Kind::Binary(_, l, r) => {
                stack.push((l, depth + 1));
                stack.push((r, depth + 1));
            }
            Kind::Null
            | Kind::Bool(_)
            | Kind::Number(_)
            | Kind::Text(_)
            | Kind::Field(_)
            | Kind::Outcome(_) => {}
        }
    }
    None
}

fn join_or(words: &[String]) -> String {
    match words {
        [] => String::new(),
        [one] => one.clone(),
        [rest @ .., last] => format!("{} or {last}", rest.join(", ")),
    }
}

fn range_of(pair: &Pair<'_, Rule>) -> Range<usize> {
    let s = pair.as_span();
    s.start()..s.end()
}

fn build(expr: Pair<'_, Rule>) -> Result<Node, ExprError> {
    build_pairs(expr.into_inner())
}

fn build_pairs(pairs: Pairs<'_, Rule>) -> Result<Node, ExprError> {
    pratt()
        .map_primary(build_primary)
        .map_prefix(|op, rhs| {
            let rhs = rhs?;
            let range = op.as_span().start()..rhs.range.end;
            let kind = match op.as_rule() {
                Rule::not => Kind::Not(Box::new(rhs)),
                _ => Kind::Neg(Box::new(rhs)),
            };
            Ok(Node { kind, range })
        })
        .map_infix(|lhs, op, rhs| {
            let (lhs, rhs) = (lhs?, rhs?);
            let op = match op.as_rule() {
                Rule::or => BinOp::Or,
                Rule::and => BinOp::And,
                Rule::eq => BinOp::Eq,
                Rule::ne => BinOp::Ne,
                Rule::lt => BinOp::Lt,
                Rule::le => BinOp::Le,
                Rule::gt => BinOp::Gt,
                Rule::ge => BinOp::Ge,
                Rule::in_op => BinOp::In,
                Rule::add => BinOp::Add,
                Rule::sub => BinOp::Sub,
                Rule::mul => BinOp::Mul,
                Rule::div => BinOp::Div,
                _ => BinOp::Rem,
            };
            let range = lhs.range.start..rhs.range.end;
            Ok(Node {
                kind: Kind::Binary(op, Box::new(lhs), Box::new(rhs)),
                range,
            })
        })
        .parse(pairs)
}

fn build_primary(pair: Pair<'_, Rule>) -> Result<Node, ExprError> {
    let range = range_of(&pair);
    let start = range.start;
    let kind = match pair.as_rule() {
        Rule::expr => return build(pair),
        Rule::number => {
            let n: f64 = pair.as_str().parse().map_err(|_| {
                ExprError::at(start, format!("`{}` is not a number", pair.as_str()))
            })?;
            Kind::Number(n)
        }
        Rule::string => {
            let inner = pair.into_inner().next().map(|p| p.as_str()).unwrap_or("");
            Kind::Text(unescape(inner))
        }
        Rule::list => Kind::List(pair.into_inner().map(build).collect::<Result<_, _>>()?),
        Rule::call => {
            let mut inner = pair.into_inner();
            let name = inner.next().map(|p| p.as_str()).unwrap_or("");
            let func = Func::from_name(name).ok_or_else(|| {
                let hint = did_you_mean(name, FUNCTIONS.iter().copied())
                    .map(|s| format!("; did you mean `{s}`?"))
                    .unwrap_or_default();
                ExprError::at(
                    start,
                    format!(
                        "there is no function `{name}`; the functions are {}{hint}",
                        FUNCTIONS.join(", ")
                    ),
                )
            })?;
            let args: Vec<Node> = inner.map(build).collect::<Result<_, _>>()?;
            if args.len() != func.arity() {
                return Err(ExprError::at(
                    start,
                    format!(
                        "`{}` takes {} argument{}, not {}",
                        func.name(),
                        func.arity(),
                        if func.arity() == 1 { "" } else { "s" },
                        args.len()
                    ),
                ));
            }
            match func {
                Func::Has => {
                    if !matches!(args[0].kind, Kind::Field(_) | Kind::Outcome(_)) {
                        return Err(ExprError::at(
                            args[0].range.start,
                            "`has` takes a field name or `outcome.<task>`",
                        ));
                    }
                }
                Func::Date => match &args[0].kind {
                    Kind::Text(t) if parse_date(t).is_some() => {}
                    _ => {
                        return Err(ExprError::at(
                            args[0].range.start,
                            "`date` takes a date in double quotes, written YYYY-MM-DD",
                        ))
                    }
                },
                Func::AddDays | Func::DaysBetween => {}
            }
            Kind::Call(func, args)
        }
        Rule::path => {
            let parts: Vec<Pair<'_, Rule>> = pair.into_inner().collect();
            let names: Vec<&str> = parts.iter().map(|p| p.as_str()).collect();
            match names.as_slice() {
                ["true"] => Kind::Bool(true),
                ["false"] => Kind::Bool(false),
                ["null"] => Kind::Null,
                ["outcome"] => {
                    return Err(ExprError::at(
                        start,
                        "`outcome` needs the name of a task, e.g. `outcome.volledigheid`",
                    ))
                }
                ["outcome", task] => Kind::Outcome((*task).to_string()),
                [field] => Kind::Field((*field).to_string()),
                [first, ..] => {
                    let at = parts.get(1).map(|p| p.as_span().start()).unwrap_or(start);
                    return Err(ExprError::at(
                        at.saturating_sub(1),
                        format!(
                            "`{first}` has no parts; only `outcome.<task>` is written with a dot"
                        ),
                    ));
                }
                [] => return Err(ExprError::at(start, "a name is missing")),
            }
        }
        _ => return Err(ExprError::at(start, "this expression cannot be read here")),
    };
    Ok(Node { kind, range })
}

fn unescape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut chars = s.chars();
    while let Some(c) = chars.next() {
        if c == '\\' {
            match chars.next() {
                Some('n') => out.push('\n'),
                Some('t') => out.push('\t'),
                Some(other) => out.push(other),
                None => {}
            }
        } else {
            out.push(c);
        }
    }
    out
}

/// Days since 1970-01-01 of a `YYYY-MM-DD` date, or `None` when it is not a real date. The
/// reading is [`crate::value::parse_date`]'s, as everywhere else.
pub fn parse_date(s: &str) -> Option<i64> {
    crate::value::parse_date(s)
        .ok()
        .map(crate::value::CivilDate::days_since_epoch)
}

/// The `YYYY-MM-DD` form of a day count since 1970-01-01.
pub fn format_date(days: i64) -> String {
    crate::value::CivilDate::from_days_since_epoch(days).to_string()
}

impl Compiled {
    pub fn source(&self) -> &str {
        &self.source
    }

    pub fn eval(&self, vars: &Vars<'_>) -> Result<Value, ExprError> {
        eval(&self.root, vars)
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
        collect_fields(&self.root, &mut out);
        out
    }
}

fn collect_fields<'a>(node: &'a Node, out: &mut Vec<&'a str>) {
    match &node.kind {
        Kind::Field(f) => {
            if !out.contains(&f.as_str()) {
                out.push(f)
            }
        }
        Kind::List(items) | Kind::Call(_, items) => {
            items.iter().for_each(|n| collect_fields(n, out))
        }
        Kind::Not(n) | Kind::Neg(n) => collect_fields(n, out),
        Kind::Binary(_, l, r) => {
            collect_fields(l, out);
            collect_fields(r, out);
        }
        Kind::Null | Kind::Bool(_) | Kind::Number(_) | Kind::Text(_) | Kind::Outcome(_) => {}
    }
}

fn describe(v: &Value) -> String {
    match v {
        Value::Null => "nothing (unset)".to_string(),
        Value::Bool(b) => format!("{b}"),
        Value::Number(n) => format!("the number {n}"),
        Value::String(s) => format!("the text {s:?}"),
        Value::Array(_) => "a list".to_string(),
        Value::Object(_) => "an object".to_string(),
    }
}

fn number(n: f64, at: usize) -> Result<Value, ExprError> {
    // Whole numbers stay integers in the case data, so `set aantal = aantal + 1` writes `3`.
    if n.is_finite() && n.fract() == 0.0 && n.abs() < 9_007_199_254_740_992.0 {
        return Ok(Value::from(n as i64));
    }
    serde_json::Number::from_f64(n)
        .map(Value::Number)
        .ok_or_else(|| ExprError::at(at, "the result is not a finite number"))
}

fn truthy(v: &Value, node: &Node, op: &str) -> Result<bool, ExprError> {
    match v {
        Value::Bool(b) => Ok(*b),
        Value::Null => Ok(false),
        other => Err(ExprError::at(
            node.range.start,
            format!("`{op}` needs true or false, not {}", describe(other)),
        )),
    }
}

fn values_equal(a: &Value, b: &Value) -> bool {
    match (a, b) {
        (Value::Number(x), Value::Number(y)) => x.as_f64() == y.as_f64(),
        (Value::Array(x), Value::Array(y)) => {
            x.len() == y.len() && x.iter().zip(y).all(|(a, b)| values_equal(a, b))
        }
        _ => a == b,
    }
}

fn eval(node: &Node, vars: &Vars<'_>) -> Result<Value, ExprError> {
    let at = node.range.start;
    Ok(match &node.kind {
        Kind::Null => Value::Null,
        Kind::Bool(b) => Value::Bool(*b),
        Kind::Number(n) => number(*n, at)?,
        Kind::Text(t) => Value::String(t.clone()),
        Kind::List(items) => Value::Array(
            items
                .iter()
                .map(|n| eval(n, vars))
                .collect::<Result<_, _>>()?,
        ),
        Kind::Field(f) => vars.data.get(f).cloned().unwrap_or(Value::Null),
        Kind::Outcome(t) => vars
            .outcomes
            .get(t)
            .map(|o| Value::String(o.clone()))
            .unwrap_or(Value::Null),
        Kind::Not(inner) => Value::Bool(!truthy(&eval(inner, vars)?, inner, "!")?),
        Kind::Neg(inner) => match eval(inner, vars)? {
            Value::Null => Value::Null,
            Value::Number(n) => number(-n.as_f64().unwrap_or(0.0), at)?,
            other => {
                return Err(ExprError::at(
                    at,
                    format!("`-` needs a number, not {}", describe(&other)),
                ))
            }
        },
        Kind::Binary(BinOp::And, l, r) => {
            let ok = truthy(&eval(l, vars)?, l, "&&")? && truthy(&eval(r, vars)?, r, "&&")?;
            Value::Bool(ok)
        }
        Kind::Binary(BinOp::Or, l, r) => {
            let ok = truthy(&eval(l, vars)?, l, "||")? || truthy(&eval(r, vars)?, r, "||")?;
            Value::Bool(ok)
        }
        Kind::Binary(op, l, r) => binary(*op, eval(l, vars)?, eval(r, vars)?, node)?,
        Kind::Call(func, args) => call(*func, args, vars, node)?,
    })
}

fn binary(op: BinOp, a: Value, b: Value, node: &Node) -> Result<Value, ExprError> {
    let at = node.range.start;
    let mismatch = |a: &Value, b: &Value| {
        ExprError::at(
            at,
            format!(
                "`{}` cannot combine {} with {}",
                op.symbol(),
                describe(a),
                describe(b)
            ),
        )
    };
    Ok(match op {
        BinOp::Eq => Value::Bool(values_equal(&a, &b)),
        BinOp::Ne => Value::Bool(!values_equal(&a, &b)),
        BinOp::Lt | BinOp::Le | BinOp::Gt | BinOp::Ge => {
            let ord = match (&a, &b) {
                (Value::Null, _) | (_, Value::Null) => return Ok(Value::Bool(false)),
                (Value::Number(x), Value::Number(y)) => x
                    .as_f64()
                    .partial_cmp(&y.as_f64())
                    .unwrap_or(std::cmp::Ordering::Equal),
                // ISO dates sort as text, so this also orders dates.
                (Value::String(x), Value::String(y)) => x.cmp(y),
                _ => return Err(mismatch(&a, &b)),
            };
            Value::Bool(match op {
                BinOp::Lt => ord.is_lt(),
                BinOp::Le => ord.is_le(),
                BinOp::Gt => ord.is_gt(),
                _ => ord.is_ge(),
            })
        }
        BinOp::In => match &b {
            Value::Array(items) => Value::Bool(items.iter().any(|i| values_equal(&a, i))),
            Value::Null => Value::Bool(false),
            _ => return Err(mismatch(&a, &b)),
        },
        BinOp::Add => match (&a, &b) {
            (Value::Null, _) | (_, Value::Null) => Value::Null,
            (Value::String(x), Value::String(y)) => Value::String(format!("{x}{y}")),
            (Value::Number(x), Value::Number(y)) => {
                number(x.as_f64().unwrap_or(0.0) + y.as_f64().unwrap_or(0.0), at)?
            }
            _ => return Err(mismatch(&a, &b)),
        },
        BinOp::Sub | BinOp::Mul | BinOp::Div | BinOp::Rem => match (&a, &b) {
            (Value::Null, _) | (_, Value::Null) => Value::Null,
            (Value::Number(x), Value::Number(y)) => {
                let (x, y) = (x.as_f64().unwrap_or(0.0), y.as_f64().unwrap_or(0.0));
                if matches!(op, BinOp::Div | BinOp::Rem) && y == 0.0 {
                    return Err(ExprError::at(at, "division by zero"));
                }
                number(
                    match op {
                        BinOp::Sub => x - y,
                        BinOp::Mul => x * y,
                        BinOp::Div => x / y,
                        _ => x % y,
                    },
                    at,
                )?
            }
            _ => return Err(mismatch(&a, &b)),
        },
        // `eval` short-circuits `&&` and `||` before it gets here; this is the same rule
        // without the short cut.
        BinOp::And => Value::Bool(truthy(&a, node, "&&")? && truthy(&b, node, "&&")?),
        BinOp::Or => Value::Bool(truthy(&a, node, "||")? || truthy(&b, node, "||")?),
    })
}

fn date_arg(v: &Value, node: &Node, func: Func) -> Result<Option<i64>, ExprError> {
    match v {
        Value::Null => Ok(None),
        Value::String(s) => parse_date(s).map(Some).ok_or_else(|| {
            ExprError::at(
                node.range.start,
                format!("`{}` needs a date (YYYY-MM-DD), not {s:?}", func.name()),
            )
        }),
        other => Err(ExprError::at(
            node.range.start,
            format!("`{}` needs a date, not {}", func.name(), describe(other)),
        )),
    }
}

fn call(func: Func, args: &[Node], vars: &Vars<'_>, node: &Node) -> Result<Value, ExprError> {
    let arg = |i: usize| -> Result<(Value, &Node), ExprError> {
        let n = args
            .get(i)
            .ok_or_else(|| ExprError::at(node.range.start, "an argument is missing"))?;
        Ok((eval(n, vars)?, n))
    };
    Ok(match func {
        Func::Has => Value::Bool(!arg(0)?.0.is_null()),
        Func::Date => arg(0)?.0,
        Func::AddDays => {
            let (d, dn) = arg(0)?;
            let (n, nn) = arg(1)?;
            let days = match n {
                Value::Null => return Ok(Value::Null),
                Value::Number(n) => n.as_f64().unwrap_or(0.0),
                other => {
                    return Err(ExprError::at(
                        nn.range.start,
                        format!(
                            "`add_days` needs a number of days, not {}",
                            describe(&other)
                        ),
                    ))
                }
            };
            match date_arg(&d, dn, func)? {
                None => Value::Null,
                Some(d) if days.fract() == 0.0 && days.abs() < 10_000_000.0 => {
                    Value::String(format_date(d + days as i64))
                }
                Some(_) => {
                    return Err(ExprError::at(
                        nn.range.start,
                        "`add_days` needs a whole number of days",
                    ))
                }
            }
        }
        Func::DaysBetween => {
            let (a, an) = arg(0)?;
            let (b, bn) = arg(1)?;
            match (date_arg(&a, an, func)?, date_arg(&b, bn, func)?) {
                (Some(a), Some(b)) => Value::from(b - a),
                _ => Value::Null,
            }
        }
    })
}

// ---------------------------------------------------------------------------------------------
// Type checking against the case data.

/// What an expression must give where it is used.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ExpectedType {
    /// A `when` condition: true or false.
    Condition,
    /// The value of `set field = ...`: the field's type.
    Value(DataType),
    /// Anything.
    Any,
}

/// One problem the type check found, with where it is inside the expression.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExprProblem {
    /// The stable diagnostic code (Z02xx), documented in `docs/errors.md`.
    pub code: Code,
    pub message: String,
    /// Byte range within the expression source.
    pub range: Range<usize>,
    pub help: Option<String>,
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
            (Kind::Text(t), _) if parse_date(t).is_some() => true,
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
                            && matches!(&n.kind, Kind::Text(s) if parse_date(s).is_some()));
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
                        matches!(&node.kind, Kind::Text(s) if parse_date(s).is_some())
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
pub fn check(source: &str, model: &ProcessModel, expected: ExpectedType) -> Vec<ExprProblem> {
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
