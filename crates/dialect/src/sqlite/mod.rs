//! SQLite 3.35 or later.

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

/// The SQLite engine.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Sqlite;

impl Engine for Sqlite {
    fn kind(&self) -> EngineKind {
        EngineKind::Sqlite
    }

    fn quote_ident(&self, name: &str) -> String {
        quote_with(name, '"')
    }

    fn quote_string(&self, value: &str) -> String {
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
        &normalize::SqliteHooks
    }

    fn plan(&self, changes: &diff::ChangeSet, from: &Schema, to: &Schema, options: &crate::PlanOptions) -> crate::Plan {
        plan::plan(changes, from, to, options)
    }
}

/// Opens a SQLite database (`sqlite://path`, `sqlite:path`, `sqlite::memory:`): the file is created
/// when missing, with WAL and foreign keys on, and the document's PRAGMAs applied.
pub(crate) fn connect(url: &str, options: &crate::ConnectOptions) -> Result<Box<dyn crate::Session>, crate::DbError> {
    Ok(Box::new(apply::connect(url, options)?))
}

pub(crate) use data::{connect_data, connect_reader};
