use dialect::{Engine, Translation};
use std::fmt::Write as _;

/// A translation as a SQL script for `engine`: a header naming the engine, each statement ended by
/// `;` under a comment saying why it is there, then `-- note:` lines for what was carried with a
/// loss and `-- skipped:` lines for what the engine cannot carry.
pub fn sql_script(translation: &Translation, engine: &dyn Engine) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "-- schemadoc: {} DDL in dependency order", engine.kind());
    for note in &translation.notes {
        let _ = writeln!(out, "-- note: {}: {} ({})", note.object, note.note, note.origin);
    }
    for skipped in &translation.skipped {
        let _ = writeln!(out, "-- skipped: {}: {} ({})", skipped.object, skipped.reason, skipped.origin);
    }
    for statement in &translation.statements {
        let _ = writeln!(out, "\n-- {}\n{};", statement.reason, statement.sql);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use dialect::{EngineKind, Note, Skipped, Statement};
    use model::{Notation, Origin};

    #[test]
    fn statements_end_with_semicolons_and_losses_are_comments() {
        let origin = Origin::new("doc.md".into(), 12, 3, Notation::Sql);
        let translation = Translation {
            statements: vec![Statement {
                sql: "CREATE TABLE \"t\" (\n  \"a\" INTEGER\n)".into(),
                reason: "create table t".into(),
            }],
            skipped: vec![Skipped {
                object: "index idx_t_gin".into(),
                reason: "GIN needs PostgreSQL".into(),
                origin: origin.clone(),
            }],
            notes: vec![Note { object: "t.tags".into(), note: "text[] is stored as JSON text".into(), origin }],
        };
        let sql = sql_script(&translation, dialect::engine(EngineKind::Sqlite));
        insta::assert_snapshot!(sql);
    }
}
