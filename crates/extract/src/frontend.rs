//! What every notation front-end hands to the merge.

use model::{Diagnostic, Notation, Schema};
use std::collections::BTreeSet;

/// Everything one notation of a document says, before merging with the other notations.
#[derive(Debug, Clone)]
pub struct Partial {
    pub notation: Notation,
    /// The tables (and other objects) this notation describes. A table this notation only alters
    /// (`ALTER TABLE users ADD COLUMN …`, an index list under a heading) appears here too, with
    /// just what was said about it, and its name key is in `altered_only`.
    pub schema: Schema,
    /// `model::name_key`s of tables this notation mentions without defining them.
    pub altered_only: BTreeSet<String>,
    /// (table key, column key) of columns added with `ADD COLUMN IF NOT EXISTS` to a table this
    /// notation does not define: where the column exists, the addition is a no-op.
    pub if_not_exists: BTreeSet<(String, String)>,
    pub diagnostics: Vec<Diagnostic>,
}

impl Partial {
    pub fn new(notation: Notation) -> Self {
        Partial {
            notation,
            schema: Schema::default(),
            altered_only: BTreeSet::new(),
            if_not_exists: BTreeSet::new(),
            diagnostics: Vec::new(),
        }
    }
}
