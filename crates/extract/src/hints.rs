//! Foreign keys schemadoc guessed (a target taken from a column name such as `route_id`) are hints:
//! a guess that names no defined table is left out of the schema and said as information, never
//! an error about the document.

use model::{suggest_name, Diagnostic, RuleInfo, Schema, Span};

model::declare_rule! {
    /// What it does: notes a column marked as a foreign key whose target schemadoc guessed from its
    /// name (`route_id` → `routes`) when no such table is defined; no foreign key is made.
    ///
    /// Why it matters: the document says the column refers to something but not to what. A guess
    /// that names no table cannot be enforced, and enforcing a wrong guess would reject valid rows.
    ///
    /// Example:
    /// ```markdown
    /// ### ferry_routes
    /// | 컬럼 | 타입 |
    /// | id | INTEGER PK |
    ///
    /// ### route_stops
    /// | 컬럼 | 타입 |
    /// | route_id | INTEGER FK |   <!-- no table `routes`: write `FK(ferry_routes.id)` -->
    /// ```
    pub INFERRED_REFERENCE_UNRESOLVED = "inferred-reference-unresolved", Info
}

pub const RULES: &[RuleInfo] = &[INFERRED_REFERENCE_UNRESOLVED];

/// Removes every inferred foreign key whose target table is not defined, reporting each one.
pub fn settle(schema: &mut Schema) -> Vec<Diagnostic> {
    let names: Vec<String> = schema.tables.iter().map(|t| t.name.clone()).collect();
    let defined = |name: &str| {
        schema_has(&names, name) || name.rsplit_once('.').is_some_and(|(_, last)| schema_has(&names, last))
    };
    let mut unresolved = Vec::new();
    for table in &schema.tables {
        for fk in table.foreign_keys.iter().filter(|fk| fk.inferred && !defined(&fk.ref_table)) {
            unresolved.push((table.name.clone(), fk.clone()));
        }
    }
    let mut out = Vec::new();
    for (table, fk) in unresolved {
        if let Some(t) = schema.table_mut(&table) {
            t.foreign_keys.retain(|x| x != &fk);
        }
        let columns = fk.columns.iter().map(|c| format!("{table}.{c}")).collect::<Vec<_>>().join("`, `");
        let mut d = INFERRED_REFERENCE_UNRESOLVED.at(
            Span::from(&fk.origin),
            format!(
                "`{columns}` is marked as a foreign key; its name suggests table `{}`, which is not defined, \
                 so no foreign key is made",
                fk.ref_table
            ),
        );
        let column = fk.columns.first().cloned().unwrap_or_default();
        d = match suggest_name(&fk.ref_table, names.iter().map(String::as_str)) {
            Some(s) => d.with_help(format!("if it refers to `{s}`, say so: `FK({s}.id)` or `{column} → {s}.id`")),
            None => d.with_help(format!("name the target: `FK(table.column)` or `{column} → table.column`")),
        };
        out.push(d);
    }
    out
}

fn schema_has(names: &[String], name: &str) -> bool {
    names.iter().any(|n| model::name_eq(n, name))
}

#[cfg(test)]
mod tests {
    use super::*;
    use model::{ForeignKey, Notation, Origin, Table};

    fn table(name: &str, fks: &[(&str, &str, bool)]) -> Table {
        let origin = Origin::new("t.md".into(), 1, 1, Notation::FieldTable);
        let mut t = Table::new(name, origin.clone());
        for (col, target, inferred) in fks {
            t.foreign_keys.push(ForeignKey {
                name: None,
                columns: vec![col.to_string()],
                ref_table: target.to_string(),
                ref_columns: vec![],
                on_delete: None,
                on_update: None,
                inferred: *inferred,
                origin: origin.clone(),
            });
        }
        t
    }

    #[test]
    fn guesses_naming_no_table_are_left_out_with_a_note() {
        let mut s = Schema {
            tables: vec![
                table("ferry_routes", &[]),
                table("route_stops", &[("route_id", "routes", true), ("ferry_id", "ferry_routes", true)]),
                table("tickets", &[("stop_id", "stops", false)]),
            ],
            ..Schema::default()
        };
        let d = settle(&mut s);
        assert_eq!(d.len(), 1);
        assert_eq!(d[0].severity, model::Severity::Info);
        assert!(d[0].message.contains("`route_stops.route_id`"), "{}", d[0].message);
        assert!(d[0].help.as_deref().is_some_and(|h| h.contains("ferry_routes")));
        let stops = s.table("route_stops").unwrap();
        assert_eq!(stops.foreign_keys.len(), 1, "a guess naming a defined table stays");
        assert_eq!(s.table("tickets").unwrap().foreign_keys.len(), 1, "a stated reference is never dropped");
    }
}
