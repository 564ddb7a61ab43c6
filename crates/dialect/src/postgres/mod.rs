//! PostgreSQL 15.

mod apply;
pub(crate) mod backup;
mod data;
mod inspect;
mod normalize;
mod plan;
mod types;

use crate::common::{quote_with, string_literal};
use crate::{Engine, EngineKind, Mapped};
use model::{DataType, DefaultValue, Schema};

pub(crate) use apply::connect;

/// The PostgreSQL engine.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Postgres;

impl Engine for Postgres {
    fn kind(&self) -> EngineKind {
        EngineKind::Postgres
    }

    fn quote_ident(&self, name: &str) -> String {
        quote_with(name, '"')
    }

    fn quote_string(&self, value: &str) -> String {
        // NOTE: with standard_conforming_strings on (the default since 9.1) backslashes are literal.
        string_literal(value, false)
    }

    fn column_type(&self, ty: &DataType) -> Mapped {
        types::map_type(&ty.kind)
    }

    fn default_sql(&self, ty: &DataType, value: &DefaultValue) -> Result<Mapped, String> {
        types::default_sql(&ty.kind, value)
    }

    fn translate(&self, schema: &Schema) -> crate::Translated {
        crate::translate_stated(schema, plan::translate)
    }

    fn hooks(&self) -> &dyn diff::DiffHooks {
        &normalize::PgHooks
    }

    fn plan(&self, changes: &diff::ChangeSet, from: &Schema, to: &Schema, options: &crate::PlanOptions) -> crate::Plan {
        plan::plan(changes, from, to, options)
    }
}

pub(crate) use data::connect_data;
