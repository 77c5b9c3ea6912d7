//! kohyo (公表): reads a municipality's policy draft (地方版総合戦略) in whatever form the
//! office keeps it, normalizes it into one canonical [`model::Strategy`], and publishes it.
//!
//! The pipeline has pandoc's shape: readers ([`read`]) → table grid ([`grid`]) →
//! normalizer ([`normalize`]) → canonical model ([`model`]) → writers. See ARCHITECTURE.md.

pub mod diag;
pub mod grid;
pub mod model;
pub mod read;
pub mod draft;

pub use draft::{Outcome, read_draft};
