//! kohyo (公表): reads a municipality's policy draft (地方版総合戦略) in whatever form the
//! office keeps it, normalizes it into one canonical [`model::Strategy`], and publishes it.
//!
//! The pipeline has pandoc's shape: readers ([`read`]) → table grid ([`grid`]) →
//! normalizer ([`normalize`]) → canonical model ([`model`]) → writers. See ARCHITECTURE.md.

// A `Diagnostic` is large (it carries both languages and a full origin) but only travels on
// cold error paths, where boxing it would buy nothing measurable.
#![allow(clippy::result_large_err)]

pub mod build;
pub mod cli;
pub mod compare;
pub mod diag;
pub mod draft;
pub mod explain;
pub mod grid;
pub mod ids;
pub mod limits;
pub mod meta;
pub mod model;
pub mod normalize;
pub mod publish;
pub mod quantity;
pub mod read;
pub mod serve;
pub mod synth;
pub mod watch;
pub mod write;

pub use draft::{Outcome, read_draft};
