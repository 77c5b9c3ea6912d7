//! A draft as staff keep it: a folder with source files and `kohyo.toml`, or a single file.

use crate::diag::{Diagnostic, SourceMap};
use crate::model::Strategy;
use std::path::Path;

/// The result of reading and normalizing a draft.
#[derive(Debug, Default)]
pub struct Outcome {
    /// The model, when one could be built (it may still carry errors in `diagnostics`).
    pub strategy: Option<Strategy>,
    /// Everything found, in order of place.
    pub diagnostics: Vec<Diagnostic>,
    /// Source texts for rendering diagnostics.
    pub sources: SourceMap,
}

impl Outcome {
    /// True when any diagnostic is an error.
    pub fn has_errors(&self) -> bool {
        self.diagnostics.iter().any(Diagnostic::is_error)
    }
}

/// Read a draft folder or a single file into the canonical model.
pub fn read_draft(_path: &Path) -> Outcome {
    Outcome::default()
}
