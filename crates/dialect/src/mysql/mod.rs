//! MySQL 8 and MariaDB 10.11: every statement emitted here runs on both.

mod apply;
pub(crate) mod backup;
mod data;
mod inspect;
mod normalize;
mod plan;
mod types;

pub(crate) use apply::connect;

use crate::common::{quote_with, string_literal};
use crate::{Engine, EngineKind, Mapped};
use model::{DataType, DefaultValue, Schema};

/// The MySQL/MariaDB engine.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Mysql;

impl Engine for Mysql {
    fn kind(&self) -> EngineKind {
        EngineKind::Mysql
    }

    fn quote_ident(&self, name: &str) -> String {
        quote_with(name, '`')
    }

    fn quote_string(&self, value: &str) -> String {
        // NOTE: backslash escapes characters in MySQL strings unless NO_BACKSLASH_ESCAPES is set.
        string_literal(value, true)
    }

    fn column_type(&self, ty: &DataType) -> Mapped {
        types::map_type(&ty.kind, false, None)
    }

    fn default_sql(&self, ty: &DataType, value: &DefaultValue) -> Result<Mapped, String> {
        let mapped = types::map_type(&ty.kind, false, None);
        types::default_sql(&ty.kind, &mapped.sql, value)
    }

    fn translate(&self, schema: &Schema) -> crate::Translated {
        crate::translate_stated(schema, plan::translate)
    }

    fn hooks(&self) -> &dyn diff::DiffHooks {
        &normalize::Hooks
    }

    fn plan(&self, changes: &diff::ChangeSet, from: &Schema, to: &Schema, options: &crate::PlanOptions) -> crate::Plan {
        plan::plan(changes, from, to, options)
    }
}

pub(crate) use data::connect_data;
