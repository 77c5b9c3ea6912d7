//! HTML pages, through html5ever (scraper).

use super::{Format, ReadOutput};
use crate::diag::Diagnostic;

/// Read an HTML page: every table becomes a grid.
pub fn read(_bytes: &[u8], file: &str) -> Result<ReadOutput, Diagnostic> {
    Err(super::broken(
        file,
        Format::Html,
        "the HTML reader is not written yet",
    ))
}
