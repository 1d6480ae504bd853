//! Conditions and values in the expression language.
//!
//! API (stable for the engine): `compile(source) -> Result<Compiled, ExprError>`,
//! `Compiled::eval(&Vars) -> Result<serde_json::Value, ExprError>`, and a type check against the
//! case data in `validate`.

use serde_json::{Map, Value};

/// The variables an expression sees: case data fields by name, and `outcome`, a map from task
/// step name to the outcome it completed with.
pub struct Vars<'a> {
    pub data: &'a Map<String, Value>,
    pub outcomes: &'a std::collections::BTreeMap<String, String>,
}

#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[error("{message}")]
pub struct ExprError {
    pub message: String,
    /// Byte offset within the expression source, where known.
    pub offset: Option<usize>,
}

/// A parsed expression, ready to evaluate many times.
#[derive(Debug, Clone)]
pub struct Compiled {
    source: String,
}

pub fn compile(source: &str) -> Result<Compiled, ExprError> {
    Ok(Compiled {
        source: source.to_string(),
    })
}

impl Compiled {
    pub fn source(&self) -> &str {
        &self.source
    }

    pub fn eval(&self, _vars: &Vars<'_>) -> Result<Value, ExprError> {
        Err(ExprError {
            message: "expressions are not available in this build".into(),
            offset: None,
        })
    }

    /// Evaluates a condition: it must give a bool.
    pub fn holds(&self, vars: &Vars<'_>) -> Result<bool, ExprError> {
        match self.eval(vars)? {
            Value::Bool(b) => Ok(b),
            other => Err(ExprError {
                message: format!(
                    "condition `{}` gave {other}, not true or false",
                    self.source
                ),
                offset: None,
            }),
        }
    }
}
