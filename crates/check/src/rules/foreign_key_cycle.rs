use model::{declare_rule, dependency_order, name_key, Diagnostic, Schema, Span};

declare_rule! {
    /// What it does: notes tables whose foreign keys reference each other in a cycle.
    /// With `a` referencing `b` and `b` referencing `a`, no creation order satisfies every key.
    /// Self-references are not cycles.
    ///
    /// Why it matters: the tables must be created first and at least one foreign key added
    /// afterwards (`ALTER TABLE … ADD FOREIGN KEY`), and rows may need deferred constraints to be
    /// inserted. It is a legitimate design, not an error; self-references are not cycles.
    ///
    /// Example:
    /// ```sql
    /// CREATE TABLE users (id INT PRIMARY KEY, team_id INT REFERENCES teams (id));
    /// CREATE TABLE teams (id INT PRIMARY KEY, owner_id INT REFERENCES users (id));
    /// ```
    pub RULE = "foreign-key-cycle", Info
}

pub fn run(schema: &Schema, out: &mut Vec<Diagnostic>) {
    for cycle in dependency_order(schema).cycles {
        let keys: Vec<String> = cycle.iter().map(|n| name_key(n)).collect();
        let Some(first) = cycle.first().and_then(|n| schema.table(n)) else { continue };
        let names = cycle.iter().map(|n| format!("`{n}`")).collect::<Vec<_>>().join(", ");
        let mut d =
            RULE.at(Span::from(&first.origin), format!("tables {names} reference each other in a cycle")).with_help(
                "create the tables first and add one of these foreign keys afterwards with \
                 `ALTER TABLE … ADD FOREIGN KEY`; inserting rows may need `DEFERRABLE INITIALLY DEFERRED` keys",
            );
        for name in &cycle {
            let Some(table) = schema.table(name) else { continue };
            for fk in &table.foreign_keys {
                let target = name_key(&fk.ref_table);
                if keys.contains(&target) && target != name_key(&table.name) {
                    d = d.with_related(
                        Span::from(&fk.origin),
                        format!("`{}.{}` references `{}`", table.qualified_name(), fk.columns.join(", "), fk.ref_table),
                    );
                }
            }
        }
        out.push(d);
    }
}

#[cfg(test)]
mod tests {
    use crate::fixtures::*;
    use model::Severity;

    #[test]
    fn trees_and_self_references_pass() {
        let s = schema(vec![
            table("teams", 1).col("id", int(), 2).col("parent_id", int(), 3).fk(&["parent_id"], "teams", &[], 3),
            table("users", 4).col("team_id", int(), 5).fk(&["team_id"], "teams", &[], 5),
        ]);
        assert!(findings(super::run, &s).is_empty());
    }

    #[test]
    fn cycles_are_noted() {
        let s = schema(vec![
            table("users", 1).col("team_id", int(), 2).fk(&["team_id"], "teams", &[], 2),
            table("teams", 4).col("owner_id", int(), 5).fk(&["owner_id"], "users", &[], 5),
        ]);
        let d = findings(super::run, &s);
        assert_eq!(d.len(), 1);
        assert_eq!((d[0].rule, d[0].severity, d[0].span.line), ("foreign-key-cycle", Severity::Info, 1));
        assert_eq!(d[0].message, "tables `users`, `teams` reference each other in a cycle");
        let lines: Vec<u32> = d[0].related.iter().map(|r| r.span.line).collect();
        assert_eq!(lines, [2, 5]);
    }
}
