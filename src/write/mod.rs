//! Writers: each starts from the canonical model ([`crate::model::Strategy`]) alone and never
//! sees which reader made it.

pub mod pdf;
