use dialect::{Engine, Translation};
use std::fmt::Write as _;

/// `text` made safe to place after `--` in SQL: line breaks and other control characters (and the
/// Unicode line separators some tools honour) are written as escapes, so that nothing a name or a
/// message holds can end the comment and run as SQL (`plan | psql`).
pub fn sql_comment(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push('\t'),
            c if c.is_control() || matches!(c, '\u{2028}' | '\u{2029}') => {
                let _ = write!(out, "\\u{{{:x}}}", u32::from(c));
            }
            c => out.push(c),
        }
    }
    out
}

/// `sql` ended by `;`: on a line of its own when the statement's last line holds a `--` or `#`
/// comment that would otherwise swallow the semicolon.
pub fn terminated(sql: &str) -> String {
    let last = sql.rsplit('\n').next().unwrap_or(sql);
    if last.contains("--") || last.contains('#') {
        format!("{sql}\n;")
    } else {
        format!("{sql};")
    }
}

/// A translation as a SQL script for `engine`: a header naming the engine, each statement ended by
/// `;` under a comment saying why it is there, then `-- note:` lines for what was carried with a
/// loss and `-- skipped:` lines for what the engine cannot carry.
pub fn sql_script(translation: &Translation, engine: &dyn Engine) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "-- schemadoc: {} DDL in dependency order", engine.kind());
    for note in &translation.notes {
        let line = format!("{}: {} ({})", note.object, note.note, note.origin);
        let _ = writeln!(out, "-- note: {}", sql_comment(&line));
    }
    for skipped in &translation.skipped {
        let line = format!("{}: {} ({})", skipped.object, skipped.reason, skipped.origin);
        let _ = writeln!(out, "-- skipped: {}", sql_comment(&line));
    }
    for statement in &translation.statements {
        let _ = writeln!(out, "\n-- {}\n{}", sql_comment(&statement.reason), terminated(&statement.sql));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nothing_ends_a_comment_early() {
        assert_eq!(sql_comment("create table a\nDROP TABLE victim; --"), "create table a\\nDROP TABLE victim; --");
        assert_eq!(sql_comment("x\r\ny\u{2028}z\u{b}"), "x\\r\\ny\\u{2028}z\\u{b}");
        assert_eq!(sql_comment("사용자 테이블"), "사용자 테이블");
        assert!(!sql_comment("a\u{85}b").contains('\u{85}'));
    }

    #[test]
    fn a_trailing_line_comment_keeps_its_semicolon_apart() {
        assert_eq!(terminated("CREATE TABLE t (a int)"), "CREATE TABLE t (a int);");
        assert_eq!(terminated("CREATE VIEW v AS SELECT 1 -- one"), "CREATE VIEW v AS SELECT 1 -- one\n;");
    }

    #[test]
    fn hostile_names_stay_inside_comments() {
        let engine = dialect::engine(EngineKind::Postgres);
        let origin = Origin::new("doc.md".into(), 1, 1, Notation::Sql);
        let mut schema = model::Schema::default();
        let mut t = model::Table::new("a\nDROP TABLE victim; --", origin.clone());
        t.columns.push(model::Column::new(
            "x\r\nDELETE FROM victim;",
            model::DataType::new(model::TypeKind::Int { bytes: 4 }, "INTEGER"),
            origin,
        ));
        schema.tables.push(t);
        let script = sql_script(&engine.create_schema(&schema), engine);
        // Outside quoted names, every line is a comment or starts a statement schemadoc wrote.
        let outside: String = script.split('"').step_by(2).collect::<Vec<_>>().join("\"\"");
        for line in outside.lines().filter(|l| !l.is_empty()) {
            assert!(
                line.starts_with("--") || line.starts_with("CREATE TABLE") || line.starts_with("  ") || line == ");",
                "a name escaped its comment: {line:?}\n{script}"
            );
        }
        assert!(script.contains("-- create table a\\nDROP TABLE victim; --\n"), "{script}");
    }
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
