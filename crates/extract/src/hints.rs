//! Foreign keys schemadoc guessed (a target taken from a column name such as `route_id`) are hints:
//! a guess that names no defined table is left out of the schema and said as information, never
//! an error about the document.

use model::{suggest_name, Diagnostic, Notation, Origin, PrimaryKey, RuleInfo, Schema, Span};

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

model::declare_rule! {
    /// What it does: notes a table described in a field table, bullets, a catalog row, relational
    /// notation or a diagram that states no primary key, whose key schemadoc takes by convention: its column named `id`, else its only
    /// auto-generated column (`SERIAL`, `auto`, `auto-increment`).
    ///
    /// Why it matters: design notes often leave the key unsaid (`- id: int`); taking `id` as the
    /// key lets references to the table resolve. SQL, Prisma and DBML say their keys exactly, so
    /// their tables are never given one.
    ///
    /// Example:
    /// ```markdown
    /// **Greenhouse**
    /// - id: str (UUID)
    /// - label: str
    /// ```
    /// (`Greenhouse.id` becomes the primary key; write `id (PK)` to say so.)
    pub INFERRED_PRIMARY_KEY = "inferred-primary-key", Info
}

pub const RULES: &[RuleInfo] = &[INFERRED_REFERENCE_UNRESOLVED, INFERRED_PRIMARY_KEY];

/// Gives each table a descriptive notation defines without a primary key the key its columns
/// imply by convention (see [`INFERRED_PRIMARY_KEY`]), reporting each one.
pub fn conventional_keys(schema: &mut Schema) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    for table in &mut schema.tables {
        let descriptive = matches!(
            table.origin.notation,
            Notation::FieldTable
                | Notation::List
                | Notation::Mermaid
                | Notation::Catalog
                | Notation::BoxDiagram
                | Notation::Relational
        );
        if !descriptive || table.primary_key.is_some() {
            continue;
        }
        let generated: Vec<usize> = (0..table.columns.len()).filter(|&i| table.columns[i].identity.is_some()).collect();
        let by_name = table.columns.iter().position(|c| c.name.eq_ignore_ascii_case("id"));
        let Some(i) = by_name.or(match generated.as_slice() {
            [one] => Some(*one),
            _ => None,
        }) else {
            continue;
        };
        let column = &mut table.columns[i];
        column.nullable = false;
        let why = if by_name.is_some() { "it is named `id`" } else { "it is the table's only generated column" };
        let origin = Origin::inferred_from(&column.origin);
        out.push(
            INFERRED_PRIMARY_KEY
                .at(
                    Span { len: column.name.chars().count() as u32, ..Span::from(&column.origin) },
                    format!(
                        "`{}` states no primary key; `{}` is taken as its key because {why}",
                        table.name, column.name
                    ),
                )
                .with_help(format!("say so where the column is written: `{} (PK)`", column.name)),
        );
        table.primary_key = Some(PrimaryKey { name: None, columns: vec![column.name.clone()], origin });
    }
    out
}

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
    use model::{Column, DataType, ForeignKey, Identity, Table, TypeKind};

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

    #[test]
    fn tables_described_without_a_key_take_id_or_their_only_generated_column() {
        let at = |n: Notation| Origin::new("t.md".into(), 1, 1, n);
        let col = |name: &str, serial: bool, n: Notation| {
            let mut c = Column::new(name, DataType::new(TypeKind::Int { bytes: 4 }, "int"), at(n));
            c.identity = serial.then_some(Identity::Serial);
            c
        };
        let mut greenhouse = Table::new("Greenhouse", at(Notation::List));
        greenhouse.columns = vec![col("label", false, Notation::List), col("Id", false, Notation::List)];
        let mut kennels = Table::new("kennels", at(Notation::FieldTable));
        kennels.columns = vec![col("kennel_no", true, Notation::FieldTable), col("size", false, Notation::FieldTable)];
        let mut audit = Table::new("audit", at(Notation::FieldTable));
        audit.columns = vec![col("a", true, Notation::FieldTable), col("b", true, Notation::FieldTable)];
        let mut log = Table::new("log", at(Notation::Sql));
        log.columns = vec![col("id", false, Notation::Sql)];
        let mut s = Schema { tables: vec![greenhouse, kennels, audit, log], ..Schema::default() };
        let d = conventional_keys(&mut s);
        assert_eq!(d.len(), 2, "{d:#?}");
        assert!(d.iter().all(|d| d.severity == model::Severity::Info));
        let pk = |t: &str| s.table(t).and_then(|t| t.primary_key.as_ref()).map(|p| p.columns.clone());
        assert_eq!(pk("Greenhouse"), Some(vec!["Id".to_string()]));
        assert!(!s.table("Greenhouse").unwrap().columns[1].nullable);
        assert_eq!(pk("kennels"), Some(vec!["kennel_no".to_string()]));
        assert_eq!(pk("audit"), None, "two generated columns: no guess");
        assert_eq!(pk("log"), None, "SQL states its keys exactly");
    }
}
