//! Evaluating an expression against a case's data.

use super::dates::{date_text, day_number};
use super::syntax::{BinOp, Func, Kind, Node};
use super::{ExprError, Vars};
use serde_json::Value;

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

pub(super) fn eval(node: &Node, vars: &Vars<'_>) -> Result<Value, ExprError> {
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
        Value::String(s) => day_number(s).map(Some).ok_or_else(|| {
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
                    Value::String(date_text(d + days as i64))
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
