//! Types a document spells in its own engine's vocabulary that the engine it is applied to does
//! not have (`DATETIME` on PostgreSQL, `JSONB` on MySQL): said once per column, with what the
//! column becomes there.

use crate::{Engine, EngineKind, Note};
use model::{Notation, Schema, SqlDialect, TypeKind};

/// The columns of `schema`, written in SQL for `document`, whose type `engine` does not have, each
/// with the type it becomes. SQLite accepts every type name, so nothing is foreign to it; types
/// the model does not know are noted by the translation itself.
pub fn foreign_types(engine: &dyn Engine, schema: &Schema, document: SqlDialect) -> Vec<Note> {
    let target = match engine.kind() {
        EngineKind::Sqlite => return Vec::new(),
        EngineKind::Postgres => SqlDialect::Postgres,
        EngineKind::Mysql => SqlDialect::Mysql,
    };
    if target == document {
        return Vec::new();
    }
    let mut notes = Vec::new();
    for table in &schema.tables {
        for column in &table.columns {
            let spelling = column.ty.spelling.trim();
            let modelled = !matches!(column.ty.kind, TypeKind::Other { .. } | TypeKind::Enum { .. });
            if column.origin.notation != Notation::Sql || spelling.is_empty() || !modelled {
                continue;
            }
            if !document.knows_type(spelling) || target.knows_type(spelling) {
                continue;
            }
            let becomes = engine.column_type(&column.ty).sql;
            notes.push(Note {
                object: format!("column {}.{}", table.qualified_name(), column.name),
                note: format!("{} has no type `{spelling}`: it becomes `{becomes}`", target.label()),
                origin: column.origin.clone(),
            });
        }
    }
    notes
}

#[cfg(test)]
mod tests {
    use super::*;
    use model::{Column, DataType, Origin, Table};

    fn doc() -> Schema {
        let origin = |line| Origin::new("d.md".into(), line, 1, Notation::Sql);
        let mut t = Table::new("items", origin(1));
        let ty = |k, s: &str| DataType::new(k, s);
        t.columns.push(Column::new(
            "created",
            ty(TypeKind::Timestamp { tz: false, precision: None }, "DATETIME"),
            origin(2),
        ));
        t.columns.push(Column::new("body", ty(TypeKind::Text, "MEDIUMTEXT"), origin(3)));
        t.columns.push(Column::new("name", ty(TypeKind::Varchar { len: Some(9) }, "VARCHAR(9)"), origin(4)));
        Schema { tables: vec![t], ..Schema::default() }
    }

    #[test]
    fn each_column_of_a_type_the_target_lacks_is_said_once_with_what_it_becomes() {
        let notes = foreign_types(crate::engine(EngineKind::Postgres), &doc(), SqlDialect::Mysql);
        let got: Vec<String> = notes.iter().map(|n| format!("{}: {}", n.object, n.note)).collect();
        assert_eq!(
            got,
            [
                "column items.created: PostgreSQL has no type `DATETIME`: it becomes `timestamp`",
                "column items.body: PostgreSQL has no type `MEDIUMTEXT`: it becomes `text`",
            ]
        );
        assert!(foreign_types(crate::engine(EngineKind::Mysql), &doc(), SqlDialect::Mysql).is_empty());
        assert!(foreign_types(crate::engine(EngineKind::Sqlite), &doc(), SqlDialect::Mysql).is_empty());
    }
}
