//! Reads markdown documents: scanning, one front-end per notation, and the merge of everything
//! they say into one canonical [`model::Schema`], with merge conflicts as diagnostics.

pub mod context;
pub mod frontend;
pub mod scan;
pub mod types;
