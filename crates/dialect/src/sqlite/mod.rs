//! SQLite 3.35 or later.

mod plan;
mod types;

use crate::common::{quote_with, string_literal};
use crate::{Engine, EngineKind, Mapped, Translation};
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

    fn create_schema(&self, schema: &Schema) -> Translation {
        plan::create_schema(schema)
    }

    fn translate(&self, _schema: &Schema) -> crate::Translated {
        unimplemented!("Sqlite translate: being written")
    }

    fn hooks(&self) -> &dyn diff::DiffHooks {
        unimplemented!("Sqlite hooks: being written")
    }

    fn plan(
        &self,
        _changes: &diff::ChangeSet,
        _from: &Schema,
        _to: &Schema,
        _options: &crate::PlanOptions,
    ) -> crate::Plan {
        unimplemented!("Sqlite plan: being written")
    }
}

/// Opens a Sqlite database.
pub(crate) fn connect(_url: &str, _options: &crate::ConnectOptions) -> Result<Box<dyn crate::Session>, crate::DbError> {
    unimplemented!("Sqlite connect: being written")
}
