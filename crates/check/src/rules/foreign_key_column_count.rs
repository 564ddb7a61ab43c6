use crate::support::{find_table, ticked};
use model::{declare_rule, Diagnostic, Schema};

declare_rule! {
    /// What it does: flags a foreign key with more or fewer columns than it references.
    /// The referenced columns are the listed ones, or the target's primary key when none are listed.
    ///
    /// Why it matters: the database rejects it ("number of referencing and referenced columns
    /// for foreign key disagree"); usually one column of a composite key was forgotten.
    ///
    /// Example:
    /// ```sql
    /// CREATE TABLE seats (room_id INT, seat_no INT, PRIMARY KEY (room_id, seat_no));
    /// CREATE TABLE tickets (seat_no INT REFERENCES seats);  -- seats' key has two columns
    /// ```
    pub RULE = "foreign-key-column-count", Error
}

pub fn run(schema: &Schema, out: &mut Vec<Diagnostic>) {
    for table in &schema.tables {
        for fk in &table.foreign_keys {
            let Some(target) = find_table(schema, &fk.ref_table) else { continue };
            let referenced = fk.referenced_columns(target);
            if fk.columns.is_empty() || referenced.is_empty() || referenced.len() == fk.columns.len() {
                continue;
            }
            let key = if fk.ref_columns.is_empty() { "primary key " } else { "" };
            let mut d = RULE
                .at(
                    (&fk.origin).into(),
                    format!(
                        "foreign key on `{}` has {} column(s) ({}) but references {} ({key}{})",
                        table.name,
                        fk.columns.len(),
                        ticked(&fk.columns),
                        referenced.len(),
                        ticked(&referenced)
                    ),
                )
                .with_help("list as many referencing columns as referenced ones, in the same order");
            let target_origin = target.primary_key.as_ref().filter(|_| fk.ref_columns.is_empty()).map(|pk| &pk.origin);
            d = d.with_related(
                target_origin.unwrap_or(&target.origin).into(),
                format!(
                    "`{}` {}is defined here",
                    target.qualified_name(),
                    if key.is_empty() { "" } else { "primary key " }
                ),
            );
            out.push(d);
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::fixtures::*;
    use model::Severity;

    #[test]
    fn matching_counts_pass() {
        let s = schema(vec![
            table("seats", 1).col("room_id", int(), 2).col("seat_no", int(), 3).pk(&["room_id", "seat_no"], 4),
            table("tickets", 6).col("room_id", int(), 7).col("seat_no", int(), 8).fk(
                &["room_id", "seat_no"],
                "seats",
                &[],
                9,
            ),
            table("nokey", 11).fk(&["a", "b"], "missing", &["x"], 12),
        ]);
        assert!(findings(super::run, &s).is_empty());
    }

    #[test]
    fn mismatched_counts_are_errors() {
        let s = schema(vec![
            table("seats", 1).col("room_id", int(), 2).col("seat_no", int(), 3).pk(&["room_id", "seat_no"], 4),
            table("tickets", 6).col("seat_no", int(), 8).fk(&["seat_no"], "seats", &[], 9),
        ]);
        let d = findings(super::run, &s);
        assert_eq!(d.len(), 1);
        assert_eq!((d[0].rule, d[0].severity, d[0].span.line), ("foreign-key-column-count", Severity::Error, 9));
        assert!(d[0].message.contains("has 1 column(s) (`seat_no`) but references 2"), "{}", d[0].message);
        assert_eq!(d[0].related[0].span.line, 4);
    }
}
