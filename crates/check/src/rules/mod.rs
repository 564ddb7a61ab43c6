//! The rules, one per file. Each declares its documented [`model::RuleInfo`] as `RULE` and a
//! `run(schema, out)` that appends its findings.

use model::{Diagnostic, RuleInfo, Schema};

pub mod columns_not_stated;
pub mod duplicate_index;
pub mod enum_like_comment;
pub mod external_table;
pub mod foreign_key_column_count;
pub mod foreign_key_cycle;
pub mod foreign_key_target_not_unique;
pub mod foreign_key_type_mismatch;
pub mod foreign_key_without_index;
pub mod inferred_foreign_key;
pub mod missing_extension;
pub mod missing_foreign_key;
pub mod missing_primary_key;
pub mod unindexed_query_pattern;
pub mod unknown_column;
pub mod unknown_table;
pub mod unknown_type;

/// A rule's entry point: appends its findings about the schema.
pub type Runner = fn(&Schema, &mut Vec<Diagnostic>);

macro_rules! registry {
    ($($module:ident),* $(,)?) => {
        /// Every rule's documentation, in registry order.
        pub static RULES: &[RuleInfo] = &[$($module::RULE),*];

        /// Every rule's entry point, in the order of [`RULES`].
        pub static RUNNERS: &[Runner] = &[$($module::run),*];
    };
}

registry!(
    unknown_table,
    external_table,
    unknown_column,
    unknown_type,
    foreign_key_column_count,
    foreign_key_target_not_unique,
    foreign_key_type_mismatch,
    missing_primary_key,
    foreign_key_without_index,
    missing_foreign_key,
    missing_extension,
    enum_like_comment,
    inferred_foreign_key,
    foreign_key_cycle,
    duplicate_index,
    unindexed_query_pattern,
    columns_not_stated,
);
