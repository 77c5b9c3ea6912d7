//! Writers of the 新旧対照表 (the comparison of two versions of a draft): each starts from a
//! [`crate::compare::Comparison`] alone.

pub mod csv;
pub mod html;
pub mod text;

/// The file-name stem of a draft's 新旧対照表 files.
pub const STEM: &str = "shinkyu_taishohyo";
