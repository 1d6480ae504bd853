//! The YAML syntax: the serde form of [`ProcessModel`].

use crate::diag::Diagnostic;
use crate::model::{ProcessModel, Span};
use crate::Loaded;
use serde::Deserialize;

/// Reads a process from YAML.
pub fn parse(source: &str) -> Loaded {
    let de = serde_yaml::Deserializer::from_str(source);
    match serde_yaml::with::singleton_map_recursive::deserialize::<ProcessModel, _>(de) {
        Ok(model) => Loaded {
            model: Some(model),
            diagnostics: Vec::new(),
        },
        Err(e) => {
            let at = e.location().map(|l| l.index()).unwrap_or(0);
            Loaded {
                model: None,
                diagnostics: vec![Diagnostic::error(
                    "Z0090",
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
    let mut out = Vec::new();
    let mut ser = serde_yaml::Serializer::new(&mut out);
    match serde_yaml::with::singleton_map_recursive::serialize(model, &mut ser) {
        Ok(()) => String::from_utf8(out).unwrap_or_default(),
        Err(e) => format!("# this process could not be written as YAML: {e}\n"),
    }
}

#[allow(dead_code)]
fn _unused<'de, T: Deserialize<'de>>() {}
