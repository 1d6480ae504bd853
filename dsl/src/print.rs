//! Writes a model in the canonical text syntax.

use crate::ProcessModel;

pub fn to_text(model: &ProcessModel) -> String {
    format!("# {} (text printing not yet available)\n", model.process)
}
