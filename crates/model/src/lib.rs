//! The dialect-neutral model every stage of schemadoc speaks: the canonical [`Schema`], where each
//! element came from ([`Origin`]), and the [`Diagnostic`]s reported about it.
//!
//! This crate only describes; it never parses, prints SQL or does I/O.

mod diagnostic;
mod names;
mod order;
mod origin;
mod rule;
mod schema;
mod select;
mod types;
mod value;
mod vocabulary;

pub use diagnostic::{Diagnostic, Related, Severity, Span};
pub use names::{
    edit_distance, glob, is_default_namespace, name_eq, name_key, namespace_eq, qualified_name, reference_eq,
    reference_key, singular_plural_variants, split_qualified, suggest_name, table_key,
};
pub use order::{dependency_order, DependencyOrder};
pub use origin::{Notation, Origin};
pub use rule::RuleInfo;
pub use schema::{
    Check, Column, DataStatement, Enum, Extension, ForeignKey, Generated, Identity, Index, IndexPart, Namespace,
    PrimaryKey, QueryHint, QueryHintKind, Rename, Routine, RoutineKind, Schema, Setting, Stated, Table, TableOptions,
    TypeDef, Unique, View,
};
pub use types::{is_sql_type, sql_type_base, DataType, TypeKind, SQL_TYPE_NAMES};
pub use value::{DefaultValue, ReferentialAction};
pub use vocabulary::{misspelt_type, type_key, SqlDialect};
