use crate::support::{find_table, same_columns, ticked};
use model::{declare_rule, name_key, Diagnostic, Schema, Table};

declare_rule! {
    /// What it does: flags a foreign key that references columns which are not a key of the target table.
    /// The referenced columns must be the primary key, a unique constraint or a full unique index
    /// (in any order); a foreign key naming no columns needs the target to have a primary key.
    ///
    /// Why it matters: PostgreSQL rejects the constraint ("there is no unique constraint matching
    /// given keys for referenced table") and SQLite fails every later write with "foreign key
    /// mismatch"; a referenced row must be identified by a key.
    ///
    /// Example:
    /// ```sql
    /// CREATE TABLE sessions (id INTEGER PRIMARY KEY, session_id TEXT NOT NULL);
    /// CREATE TABLE messages (session_id TEXT REFERENCES sessions (session_id));  -- not unique
    /// ```
    pub RULE = "foreign-key-target-not-unique", Error
}

pub fn run(schema: &Schema, out: &mut Vec<Diagnostic>) {
    for table in &schema.tables {
        for fk in &table.foreign_keys {
            // NOTE: a guessed target is reported by `inferred-foreign-key`; a guess must not
            // raise an error of its own.
            if fk.inferred {
                continue;
            }
            let Some(target) = find_table(schema, &fk.ref_table) else { continue };
            if target.columns.is_empty() {
                continue;
            }
            let referenced = fk.referenced_columns(target);
            let local = ticked(&fk.columns);
            if referenced.is_empty() {
                out.push(
                    RULE.at(
                        (&fk.origin).into(),
                        format!(
                            "foreign key {local} of `{}` references the primary key of `{}`, which has none",
                            table.name, target.name
                        ),
                    )
                    .with_related((&target.origin).into(), format!("`{}` is defined here", target.qualified_name()))
                    .with_help("name the referenced columns, or give the referenced table a primary key"),
                );
                continue;
            }
            let all_exist = referenced.iter().all(|c| target.column(c).is_some());
            if !all_exist || referenced.len() != fk.columns.len() || is_key(schema, target, &referenced) {
                continue;
            }
            let cols = referenced.iter().map(|c| c.as_str()).collect::<Vec<_>>().join(", ");
            let mut d = RULE
                .at(
                    (&fk.origin).into(),
                    format!(
                        "foreign key {local} of `{}` references `{}` ({}), which is neither its primary key nor unique",
                        table.name,
                        target.name,
                        ticked(&referenced)
                    ),
                )
                .with_help(format!(
                    "add `UNIQUE ({cols})` to `{}`, or reference its primary key",
                    target.qualified_name()
                ));
            if let Some(c) = target.column(&referenced[0]) {
                d = d.with_related(
                    (&c.origin).into(),
                    format!("`{}.{}` is defined here", target.qualified_name(), c.name),
                );
            }
            out.push(d);
        }
    }
}

/// Whether the columns, in any order, are the table's primary key, a unique constraint or a full
/// unique index on plain columns.
// NOTE: PostgreSQL accepts any unique constraint with the same set of columns, whatever the order.
fn is_key(schema: &Schema, table: &Table, columns: &[String]) -> bool {
    let mut want: Vec<String> = columns.iter().map(|c| name_key(c)).collect();
    want.sort();
    let same_set = |cols: &[String]| {
        let mut have: Vec<String> = cols.iter().map(|c| name_key(c)).collect();
        have.sort();
        same_columns(&have, &want)
    };
    table.primary_key.as_ref().is_some_and(|pk| same_set(&pk.columns))
        || table.uniques.iter().any(|u| same_set(&u.columns))
        || crate::support::indexes_on(schema, table).into_iter().any(|i| {
            let lead: Vec<String> = i.leading_columns().into_iter().map(str::to_string).collect();
            i.unique && i.predicate.is_none() && lead.len() == i.parts.len() && same_set(&lead)
        })
}

#[cfg(test)]
mod tests {
    use crate::fixtures::*;
    use model::Severity;

    #[test]
    fn keys_and_unique_indexes_pass() {
        let mut s = schema(vec![
            table("sessions", 1).col("id", int(), 2).col("session_id", text(), 3).col("code", text(), 4).pk(&["id"], 2),
            table("messages", 6)
                .col("session_id", text(), 7)
                .col("s", int(), 8)
                .col("code", text(), 9)
                .fk(&["session_id"], "sessions", &["session_id"], 7)
                .fk(&["s"], "sessions", &[], 8)
                .inferred_fk(&["code"], "sessions", &["code"], 9),
        ]);
        let mut u = index("u", "sessions", &["session_id"], 5);
        u.unique = true;
        s.indexes.push(u);
        assert!(findings(super::run, &s).is_empty());
    }

    #[test]
    fn non_unique_targets_are_errors() {
        let s = schema(vec![
            table("sessions", 1).col("id", int(), 2).col("session_id", text(), 3).pk(&["id"], 2),
            table("logs", 4).col("x", int(), 5),
            table("messages", 6)
                .col("session_id", text(), 7)
                .col("log_id", int(), 8)
                .fk(&["session_id"], "sessions", &["session_id"], 7)
                .fk(&["log_id"], "logs", &[], 8),
        ]);
        let d = findings(super::run, &s);
        assert_eq!(d.len(), 2, "{d:#?}");
        assert_eq!((d[0].rule, d[0].severity, d[0].span.line), ("foreign-key-target-not-unique", Severity::Error, 7));
        assert!(d[0].message.contains("neither its primary key nor unique"));
        assert_eq!(d[0].help.as_deref(), Some("add `UNIQUE (session_id)` to `sessions`, or reference its primary key"));
        assert_eq!(d[0].related[0].span.line, 3);
        assert!(d[1].message.contains("references the primary key of `logs`, which has none"));
    }
}
