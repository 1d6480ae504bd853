//! The Zaak process language.
//!
//! A process is written in the text syntax (`.zaak`, parsed with pest) or in YAML (`.yaml`,
//! `.yml`); both give the same [`ProcessModel`]. The public surface is small:
//!
//! - [`load`] reads either syntax and validates names, types and reachability, returning the
//!   model it understood together with every diagnostic ([`Loaded`]); [`parse`] only reads;
//! - [`to_text`], [`to_yaml`] and [`format_source`] write a model or a source back;
//! - the model's types ([`ProcessModel`] and what it holds);
//! - [`expr::compile`]`(..).eval(..)` for conditions and values at run time;
//! - [`SourceFile::render`] and [`SourceFile::to_json`] show a [`Diagnostic`], whose [`Code`]
//!   comes from the registry of diagnostic codes;
//! - [`value`], the one strict reader of typed values (dates, numbers) for every front end.
//!
//! Everything else is private to the crate. This crate knows nothing about nets, storage or
//! HTTP.

#![warn(unreachable_pub)]

mod codes;
mod diag;
pub mod expr;
mod keywords;
mod model;
mod print;
mod suggest;
mod text;
mod validate;
pub mod value;
mod yaml;

pub use codes::Code;
pub use diag::{Diagnostic, Related, Severity, SourceFile};
pub use model::*;

/// The two ways to write a process.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Syntax {
    Text,
    Yaml,
}

impl Syntax {
    /// The syntax a file's extension says it is written in.
    pub fn from_path(path: &str) -> Option<Syntax> {
        let ext = std::path::Path::new(path).extension()?.to_str()?;
        match ext {
            "zaak" => Some(Syntax::Text),
            "yaml" | "yml" => Some(Syntax::Yaml),
            _ => None,
        }
    }
}

/// What reading a source gave: the model if the syntax allowed one, and every problem found.
#[derive(Debug, Clone)]
pub struct Loaded {
    pub model: Option<ProcessModel>,
    pub diagnostics: Vec<Diagnostic>,
}

impl Loaded {
    pub fn has_errors(&self) -> bool {
        self.diagnostics.iter().any(Diagnostic::is_error)
    }
}

/// Reads a process source in the given syntax. Never panics, whatever the input.
pub fn parse(source: &str, syntax: Syntax) -> Loaded {
    match syntax {
        Syntax::Text => text::parse(source),
        Syntax::Yaml => yaml::parse(source),
    }
}

/// Reads and validates a process source: syntax first, then names, types and reachability.
/// After a syntax error only what is wrong with what was read is reported, not what seems
/// missing because of it.
pub fn load(source: &str, syntax: Syntax) -> Loaded {
    let (mut loaded, skipped) = match syntax {
        Syntax::Text => text::read(source),
        Syntax::Yaml => (yaml::parse(source), Vec::new()),
    };
    if let Some(model) = &loaded.model {
        let reading = validate::Reading {
            complete: !loaded.has_errors(),
            skipped: &skipped,
        };
        loaded.diagnostics.extend(validate::check(model, &reading));
    }
    loaded
}

/// The model in the canonical text syntax.
pub fn to_text(model: &ProcessModel) -> String {
    print::to_text(model)
}

/// A text source in the canonical layout, keeping its comments; the diagnostics when it has
/// errors, since formatting would drop what could not be read.
pub fn format_source(source: &str) -> Result<String, Vec<Diagnostic>> {
    print::format_source(source)
}

/// The model in the YAML syntax.
pub fn to_yaml(model: &ProcessModel) -> String {
    yaml::print(model)
}
