//! The YAML syntax: the serde form of [`ProcessModel`].

use crate::diag::Diagnostic;
use crate::model::{ProcessModel, Span};
use crate::Loaded;

/// Reads a process from YAML.
pub fn parse(source: &str) -> Loaded {
    match serde_yaml::from_str::<ProcessModel>(source) {
        Ok(model) => Loaded {
            model: Some(model),
            diagnostics: Vec::new(),
        },
        Err(e) => {
            let at = e.location().map(|l| l.index()).unwrap_or(0);
            Loaded {
                model: None,
                diagnostics: vec![Diagnostic::error(
                    "Z0002",
                    Span::new(at, at),
                    format!("this YAML is not a process: {e}"),
                )
                .with_label("here")],
            }
        }
    }
}

/// Writes a process as YAML.
pub fn print(model: &ProcessModel) -> String {
    serde_yaml::to_string(model).expect("a process model always serializes")
}
