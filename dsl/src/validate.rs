//! Checks on a model that the syntax cannot express: names, types, reachability.

use crate::{Diagnostic, ProcessModel};

pub fn validate(_model: &ProcessModel) -> Vec<Diagnostic> {
    Vec::new()
}
