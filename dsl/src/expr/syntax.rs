//! Reading an expression: the grammar, the operators and functions, and the tree it gives.

use super::{ExprError, MAX_DEPTH, MAX_LEN, MAX_NESTING};
use crate::suggest::did_you_mean;
use pest::iterators::{Pair, Pairs};
use pest::pratt_parser::{Assoc, Op, PrattParser};
use pest::Parser as _;
use std::ops::Range;
use std::sync::OnceLock;

/// One node of a parsed expression, with its byte range in the expression source.
#[derive(Debug, Clone, PartialEq)]
pub(super) struct Node {
    pub(super) kind: Kind,
    pub(super) range: Range<usize>,
}

#[derive(Debug, Clone, PartialEq)]
pub(super) enum Kind {
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
pub(super) enum BinOp {
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
    pub(super) fn symbol(self) -> &'static str {
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
pub(super) enum Func {
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

    pub(super) fn name(self) -> &'static str {
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
    pub(super) struct ExprParser;
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

/// Parses an expression into its tree, within the limits of [`super::MAX_LEN`],
/// [`super::MAX_DEPTH`] and [`super::MAX_NESTING`]. The error's offset points at where the
/// expression stops making sense.
pub(super) fn parse(source: &str) -> Result<Node, ExprError> {
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
    Ok(root)
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
                    Kind::Text(t) if super::dates::day_number(t).is_some() => {}
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

pub(super) fn collect_fields<'a>(node: &'a Node, out: &mut Vec<&'a str>) {
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
