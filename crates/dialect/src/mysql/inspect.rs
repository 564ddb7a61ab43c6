//! Reading a MySQL/MariaDB database into the canonical model: one information_schema query per
//! catalog table for the whole database ([`read`]), kept apart from turning the rows into a
//! [`Schema`] ([`interpret`]), which unit tests feed with hand-written rows.

use super::types::{kind_of, normalize_type, parse_default};
use crate::common::HISTORY_TABLE;
use crate::session::InspectFilter;
use model::{
    name_eq, name_key, Check, Column, DataType, ForeignKey, Generated, Identity, Index, IndexPart, Notation, Origin,
    PrimaryKey, ReferentialAction, Routine, RoutineKind, Schema, Table, TypeKind, Unique, View,
};
use sqlx::{MySqlConnection, Row};
use std::collections::BTreeMap;
use std::sync::Arc;

/// A row of `information_schema.TABLES`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(super) struct TableRow {
    pub schema: String,
    pub name: String,
    /// `BASE TABLE` or `VIEW`.
    pub kind: String,
    pub comment: String,
    /// `TABLE_COLLATION`: the table's default collation (its character set is the name's first part).
    pub collation: Option<String>,
}

/// A row of `information_schema.COLUMNS`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(super) struct ColumnRow {
    pub schema: String,
    pub table: String,
    pub name: String,
    pub column_type: String,
    pub nullable: bool,
    pub default: Option<String>,
    pub extra: String,
    pub comment: String,
    /// `GENERATION_EXPRESSION`: the expression of a generated column (empty or NULL otherwise).
    pub generation: Option<String>,
    /// `CHARACTER_SET_NAME` and `COLLATION_NAME`, for text columns.
    pub charset: Option<String>,
    pub collation: Option<String>,
}

/// A row of `information_schema.STATISTICS`: one column (or expression) of one index.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(super) struct IndexRow {
    pub schema: String,
    pub table: String,
    pub name: String,
    pub unique: bool,
    pub column: Option<String>,
    /// MySQL 8 functional key parts.
    pub expression: Option<String>,
    pub descending: bool,
    /// `BTREE`, `FULLTEXT`, `SPATIAL`, `HASH`.
    pub index_type: String,
}

/// A foreign key column: `KEY_COLUMN_USAGE` joined in Rust with `REFERENTIAL_CONSTRAINTS`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(super) struct ForeignKeyRow {
    pub schema: String,
    pub table: String,
    pub name: String,
    pub column: String,
    pub ref_table: String,
    pub ref_column: String,
}

/// A row of `information_schema.REFERENTIAL_CONSTRAINTS`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(super) struct ActionRow {
    pub schema: String,
    pub table: String,
    pub name: String,
    pub on_update: String,
    pub on_delete: String,
}

/// A CHECK constraint. MariaDB names the table in `CHECK_CONSTRAINTS`; MySQL 8 only in
/// `TABLE_CONSTRAINTS`, so `table` may be empty and is then found by name there.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(super) struct CheckRow {
    pub schema: String,
    pub table: String,
    pub name: String,
    pub clause: String,
}

/// A row of `information_schema.TABLE_CONSTRAINTS` (for CHECKs on MySQL 8).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(super) struct ConstraintRow {
    pub schema: String,
    pub table: String,
    pub name: String,
    pub kind: String,
}

/// A row of `information_schema.VIEWS`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(super) struct ViewRow {
    pub schema: String,
    pub name: String,
    pub definition: String,
}

/// A routine or trigger (`ROUTINES`, `TRIGGERS`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct RoutineRow {
    pub schema: String,
    pub kind: RoutineKind,
    pub name: String,
    /// For a trigger: its table.
    pub table: Option<String>,
    pub sql: String,
}

/// Everything read from the catalog.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(super) struct Catalog {
    /// `VERSION()`: MariaDB says so in it.
    pub version: String,
    pub tables: Vec<TableRow>,
    pub columns: Vec<ColumnRow>,
    pub indexes: Vec<IndexRow>,
    pub foreign_keys: Vec<ForeignKeyRow>,
    pub actions: Vec<ActionRow>,
    pub checks: Vec<CheckRow>,
    pub constraints: Vec<ConstraintRow>,
    pub views: Vec<ViewRow>,
    pub routines: Vec<RoutineRow>,
}

impl Catalog {
    pub fn is_mariadb(&self) -> bool {
        self.version.to_ascii_lowercase().contains("mariadb")
    }
}

type Rows = Vec<Vec<Option<String>>>;

/// The number of queries [`read`] sends, whatever the number of tables.
pub(super) const CATALOG_QUERIES: u64 = 11;

/// Runs `sql` and returns every column of every row as text.
async fn rows(conn: &mut MySqlConnection, sql: String) -> Result<Rows, String> {
    let fetched = sqlx::query(sqlx::AssertSqlSafe(sql)).fetch_all(conn).await.map_err(|e| e.to_string())?;
    Ok(fetched
        .iter()
        .map(|row| {
            (0..row.len())
                .map(|i| {
                    row.try_get::<Option<String>, _>(i).ok().flatten().or_else(|| {
                        row.try_get::<Option<Vec<u8>>, _>(i).ok().flatten().map(|b| String::from_utf8_lossy(&b).into())
                    })
                })
                .collect()
        })
        .collect())
}

fn text(row: &[Option<String>], i: usize) -> String {
    row.get(i).cloned().flatten().unwrap_or_default()
}

fn opt(row: &[Option<String>], i: usize) -> Option<String> {
    row.get(i).cloned().flatten()
}

/// `s` as a MySQL string literal.
fn literal(s: &str) -> String {
    crate::common::string_literal(s, true)
}

/// Reads the catalog of the databases `filter` names (the current one when none): a fixed number
/// of queries, whatever the number of tables.
pub(super) async fn read(conn: &mut MySqlConnection, filter: &InspectFilter) -> Result<Catalog, (String, String)> {
    let fail = |what: &str| {
        let what = what.to_string();
        move |e: String| (what, e)
    };
    let version = rows(conn, "SELECT CAST(VERSION() AS CHAR)".into()).await.map_err(fail("reading the version"))?;
    let version = version.first().map(|r| text(r, 0)).unwrap_or_default();
    let mariadb = version.to_ascii_lowercase().contains("mariadb");
    let schemas = if filter.schemas.is_empty() {
        "(DATABASE())".to_string()
    } else {
        format!("({})", filter.schemas.iter().map(|s| literal(s)).collect::<Vec<_>>().join(", "))
    };
    let c = |x: &str| format!("CAST({x} AS CHAR)");
    let tables = rows(
        conn,
        format!(
            "SELECT {}, {}, {}, {}, {} FROM information_schema.TABLES WHERE TABLE_SCHEMA IN {schemas} \
             ORDER BY TABLE_SCHEMA, TABLE_NAME",
            c("TABLE_SCHEMA"),
            c("TABLE_NAME"),
            c("TABLE_TYPE"),
            c("TABLE_COMMENT"),
            c("TABLE_COLLATION")
        ),
    )
    .await
    .map_err(fail("reading tables"))?;
    let columns = rows(
        conn,
        format!(
            "SELECT {}, {}, {}, {}, {}, {}, {}, {}, {}, {}, {} FROM information_schema.COLUMNS WHERE TABLE_SCHEMA IN \
             {schemas} ORDER BY TABLE_SCHEMA, TABLE_NAME, ORDINAL_POSITION",
            c("TABLE_SCHEMA"),
            c("TABLE_NAME"),
            c("COLUMN_NAME"),
            c("COLUMN_TYPE"),
            c("IS_NULLABLE"),
            c("COLUMN_DEFAULT"),
            c("EXTRA"),
            c("COLUMN_COMMENT"),
            c("GENERATION_EXPRESSION"),
            c("CHARACTER_SET_NAME"),
            c("COLLATION_NAME")
        ),
    )
    .await
    .map_err(fail("reading columns"))?;
    // NOTE: STATISTICS.EXPRESSION (functional key parts) exists on MySQL 8 only.
    let expression = if mariadb { "NULL".to_string() } else { c("EXPRESSION") };
    let indexes = rows(
        conn,
        format!(
            "SELECT {}, {}, {}, {}, {}, {expression}, {}, {} FROM information_schema.STATISTICS \
             WHERE TABLE_SCHEMA IN {schemas} ORDER BY TABLE_SCHEMA, TABLE_NAME, INDEX_NAME, SEQ_IN_INDEX",
            c("TABLE_SCHEMA"),
            c("TABLE_NAME"),
            c("INDEX_NAME"),
            c("NON_UNIQUE"),
            c("COLUMN_NAME"),
            c("COLLATION"),
            c("INDEX_TYPE")
        ),
    )
    .await
    .map_err(fail("reading indexes"))?;
    let keys = rows(
        conn,
        format!(
            "SELECT {}, {}, {}, {}, {}, {} FROM information_schema.KEY_COLUMN_USAGE \
             WHERE TABLE_SCHEMA IN {schemas} AND REFERENCED_TABLE_NAME IS NOT NULL \
             ORDER BY TABLE_SCHEMA, TABLE_NAME, CONSTRAINT_NAME, ORDINAL_POSITION",
            c("TABLE_SCHEMA"),
            c("TABLE_NAME"),
            c("CONSTRAINT_NAME"),
            c("COLUMN_NAME"),
            c("REFERENCED_TABLE_NAME"),
            c("REFERENCED_COLUMN_NAME")
        ),
    )
    .await
    .map_err(fail("reading foreign keys"))?;
    let actions = rows(
        conn,
        format!(
            "SELECT {}, {}, {}, {}, {} FROM information_schema.REFERENTIAL_CONSTRAINTS \
             WHERE CONSTRAINT_SCHEMA IN {schemas} ORDER BY CONSTRAINT_SCHEMA, TABLE_NAME, CONSTRAINT_NAME",
            c("CONSTRAINT_SCHEMA"),
            c("TABLE_NAME"),
            c("CONSTRAINT_NAME"),
            c("UPDATE_RULE"),
            c("DELETE_RULE")
        ),
    )
    .await
    .map_err(fail("reading foreign key actions"))?;
    // NOTE: MariaDB's CHECK_CONSTRAINTS names the table; MySQL 8's does not.
    let check_table = if mariadb { c("TABLE_NAME") } else { "NULL".to_string() };
    let checks = rows(
        conn,
        format!(
            "SELECT {}, {check_table}, {}, {} FROM information_schema.CHECK_CONSTRAINTS \
             WHERE CONSTRAINT_SCHEMA IN {schemas} ORDER BY CONSTRAINT_SCHEMA, CONSTRAINT_NAME",
            c("CONSTRAINT_SCHEMA"),
            c("CONSTRAINT_NAME"),
            c("CHECK_CLAUSE")
        ),
    )
    .await
    .map_err(fail("reading checks"))?;
    let constraints = rows(
        conn,
        format!(
            "SELECT {}, {}, {}, {} FROM information_schema.TABLE_CONSTRAINTS \
             WHERE TABLE_SCHEMA IN {schemas} ORDER BY TABLE_SCHEMA, TABLE_NAME, CONSTRAINT_NAME",
            c("TABLE_SCHEMA"),
            c("TABLE_NAME"),
            c("CONSTRAINT_NAME"),
            c("CONSTRAINT_TYPE")
        ),
    )
    .await
    .map_err(fail("reading constraints"))?;
    let views = rows(
        conn,
        format!(
            "SELECT {}, {}, {} FROM information_schema.VIEWS WHERE TABLE_SCHEMA IN {schemas} \
             ORDER BY TABLE_SCHEMA, TABLE_NAME",
            c("TABLE_SCHEMA"),
            c("TABLE_NAME"),
            c("VIEW_DEFINITION")
        ),
    )
    .await
    .map_err(fail("reading views"))?;
    let routines = rows(
        conn,
        format!(
            "SELECT {}, {}, {}, {} FROM information_schema.ROUTINES WHERE ROUTINE_SCHEMA IN {schemas} \
             ORDER BY ROUTINE_SCHEMA, ROUTINE_TYPE, ROUTINE_NAME",
            c("ROUTINE_SCHEMA"),
            c("ROUTINE_TYPE"),
            c("ROUTINE_NAME"),
            c("ROUTINE_DEFINITION")
        ),
    )
    .await
    .map_err(fail("reading routines"))?;
    let triggers = rows(
        conn,
        format!(
            "SELECT {}, {}, {}, {}, {}, {} FROM information_schema.TRIGGERS WHERE TRIGGER_SCHEMA IN {schemas} \
             ORDER BY TRIGGER_SCHEMA, TRIGGER_NAME",
            c("TRIGGER_SCHEMA"),
            c("TRIGGER_NAME"),
            c("EVENT_OBJECT_TABLE"),
            c("ACTION_TIMING"),
            c("EVENT_MANIPULATION"),
            c("ACTION_STATEMENT")
        ),
    )
    .await
    .map_err(fail("reading triggers"))?;

    let mut catalog = Catalog { version, ..Catalog::default() };
    catalog.tables = tables
        .iter()
        .map(|r| TableRow {
            schema: text(r, 0),
            name: text(r, 1),
            kind: text(r, 2),
            comment: text(r, 3),
            collation: opt(r, 4).filter(|c| !c.is_empty()),
        })
        .collect();
    catalog.columns = columns
        .iter()
        .map(|r| ColumnRow {
            schema: text(r, 0),
            table: text(r, 1),
            name: text(r, 2),
            column_type: text(r, 3),
            nullable: text(r, 4).eq_ignore_ascii_case("yes"),
            default: opt(r, 5),
            extra: text(r, 6),
            comment: text(r, 7),
            generation: opt(r, 8),
            charset: opt(r, 9).filter(|c| !c.is_empty()),
            collation: opt(r, 10).filter(|c| !c.is_empty()),
        })
        .collect();
    catalog.indexes = indexes
        .iter()
        .map(|r| IndexRow {
            schema: text(r, 0),
            table: text(r, 1),
            name: text(r, 2),
            unique: text(r, 3) == "0",
            column: opt(r, 4),
            expression: opt(r, 5),
            descending: text(r, 6) == "D",
            index_type: text(r, 7),
        })
        .collect();
    catalog.foreign_keys = keys
        .iter()
        .map(|r| ForeignKeyRow {
            schema: text(r, 0),
            table: text(r, 1),
            name: text(r, 2),
            column: text(r, 3),
            ref_table: text(r, 4),
            ref_column: text(r, 5),
        })
        .collect();
    catalog.actions = actions
        .iter()
        .map(|r| ActionRow {
            schema: text(r, 0),
            table: text(r, 1),
            name: text(r, 2),
            on_update: text(r, 3),
            on_delete: text(r, 4),
        })
        .collect();
    catalog.checks = checks
        .iter()
        .map(|r| CheckRow { schema: text(r, 0), table: text(r, 1), name: text(r, 2), clause: text(r, 3) })
        .collect();
    catalog.constraints = constraints
        .iter()
        .map(|r| ConstraintRow { schema: text(r, 0), table: text(r, 1), name: text(r, 2), kind: text(r, 3) })
        .collect();
    catalog.views =
        views.iter().map(|r| ViewRow { schema: text(r, 0), name: text(r, 1), definition: text(r, 2) }).collect();
    for r in &routines {
        let kind =
            if text(r, 1).eq_ignore_ascii_case("procedure") { RoutineKind::Procedure } else { RoutineKind::Function };
        catalog.routines.push(RoutineRow { schema: text(r, 0), kind, name: text(r, 2), table: None, sql: text(r, 3) });
    }
    for r in &triggers {
        let sql = format!(
            "CREATE TRIGGER `{}` {} {} ON `{}` FOR EACH ROW {}",
            text(r, 1),
            text(r, 3),
            text(r, 4),
            text(r, 2),
            text(r, 5)
        );
        catalog.routines.push(RoutineRow {
            schema: text(r, 0),
            kind: RoutineKind::Trigger,
            name: text(r, 1),
            table: Some(text(r, 2)),
            sql,
        });
    }
    Ok(catalog)
}

fn action(rule: &str) -> Option<ReferentialAction> {
    ReferentialAction::parse(rule)
}

/// The column a MariaDB `json_valid(`col`)` check validates, if that is all the check does.
fn json_valid_column(clause: &str) -> Option<String> {
    let t: String = clause.chars().filter(|c| !c.is_whitespace()).collect();
    let lower = t.to_ascii_lowercase();
    let inner = lower.strip_prefix("json_valid(")?.strip_suffix(')')?;
    let start = "json_valid(".len();
    let original = &t[start..start + inner.len()];
    Some(original.trim_matches('`').replace("``", "`"))
}

/// The names of `table`'s columns that `expr` mentions.
fn mentioned_columns(expr: &str, table: &Table) -> Vec<String> {
    let mut found = Vec::new();
    let mut word = String::new();
    let mut in_string = false;
    for ch in expr.chars().chain(std::iter::once(' ')) {
        if ch == '\'' {
            in_string = !in_string;
            word.clear();
            continue;
        }
        if in_string {
            continue;
        }
        if ch.is_alphanumeric() || ch == '_' || ch == '$' {
            word.push(ch);
        } else {
            if let Some(c) = table.column(&word) {
                if !found.iter().any(|f: &String| name_eq(f, &c.name)) {
                    found.push(c.name.clone());
                }
            }
            word.clear();
        }
    }
    found
}

/// Drops `schema.` qualifiers of the current database from a view definition.
fn unqualified(definition: &str, schema: &str) -> String {
    definition.replace(&format!("`{schema}`."), "")
}

/// The schema the catalog rows describe, filtered by `filter`. `source` (the redacted URL) is the
/// origin file of every element.
pub(super) fn interpret(catalog: &Catalog, filter: &InspectFilter, source: &str) -> Schema {
    let origin = Origin::new(Arc::from(source), 0, 0, Notation::Sql);
    let mariadb = catalog.is_mariadb();
    let several = filter.schemas.len() > 1;
    let key = |schema: &str, table: &str| (schema.to_string(), name_key(table));
    let wanted = |name: &str| !name.eq_ignore_ascii_case(HISTORY_TABLE) && filter.wants(name);
    let mut schema = Schema::default();
    let mut at: BTreeMap<(String, String), usize> = BTreeMap::new();
    for t in catalog.tables.iter().filter(|t| t.kind.eq_ignore_ascii_case("BASE TABLE") && wanted(&t.name)) {
        let mut table = Table::new(t.name.clone(), origin.clone());
        table.namespace = several.then(|| t.schema.clone());
        table.comment = Some(t.comment.clone()).filter(|c| !c.is_empty());
        table.options.collation = t.collation.clone();
        table.options.charset = t.collation.as_deref().map(|c| c.split('_').next().unwrap_or(c).to_string());
        at.insert(key(&t.schema, &t.name), schema.tables.len());
        schema.tables.push(table);
    }

    // Checks first: on MariaDB a `json_valid` check marks a JSON column.
    let check_table: BTreeMap<(String, String), String> = catalog
        .constraints
        .iter()
        .filter(|c| c.kind.eq_ignore_ascii_case("CHECK"))
        .map(|c| ((c.schema.clone(), c.name.clone()), c.table.clone()))
        .collect();
    let mut json_columns: BTreeMap<(String, String), Vec<String>> = BTreeMap::new();
    let mut checks: Vec<(usize, &CheckRow)> = Vec::new();
    for c in &catalog.checks {
        let table = if c.table.is_empty() {
            check_table.get(&(c.schema.clone(), c.name.clone())).cloned().unwrap_or_default()
        } else {
            c.table.clone()
        };
        let Some(&i) = at.get(&key(&c.schema, &table)) else { continue };
        match json_valid_column(&c.clause) {
            // NOTE: MariaDB's JSON is LONGTEXT with a column CHECK named after the column.
            Some(col) if mariadb && name_eq(&col, &c.name) => {
                json_columns.entry(key(&c.schema, &table)).or_default().push(name_key(&col))
            }
            _ => checks.push((i, c)),
        }
    }

    for c in &catalog.columns {
        let k = key(&c.schema, &c.table);
        let Some(&i) = at.get(&k) else { continue };
        let is_json = json_columns.get(&k).is_some_and(|cols| cols.contains(&name_key(&c.name)))
            && normalize_type(&c.column_type) == "longtext";
        let kind = if is_json { TypeKind::Json } else { kind_of(&c.column_type) };
        let extra = c.extra.to_ascii_lowercase();
        let mut col = Column::new(c.name.clone(), DataType::new(kind.clone(), c.column_type.clone()), origin.clone());
        col.nullable = c.nullable;
        col.charset = c.charset.clone();
        col.collation = c.collation.clone();
        if extra.contains("auto_increment") {
            col.identity = Some(Identity::AutoIncrement);
        }
        // NOTE: MySQL 8 reports a literal default bare (`x` for 'x') and marks expressions
        // DEFAULT_GENERATED; MariaDB quotes literals and reports `NULL` for "no default".
        col.default = match &c.default {
            None => None,
            Some(d) if !mariadb && !extra.contains("default_generated") && !is_current_time(d) => {
                parse_default(d, true, &kind)
            }
            Some(d) => parse_default(d, false, &kind),
        };
        if extra.contains("on update") {
            col.on_update = Some("CURRENT_TIMESTAMP".to_string());
        }
        // NOTE: EXTRA says `VIRTUAL GENERATED` or `STORED GENERATED` (MySQL 8 and MariaDB alike).
        if extra.contains("virtual generated") || extra.contains("stored generated") {
            let expr = c.generation.as_deref().map(str::trim).unwrap_or_default().to_string();
            col.generated = Some(Generated { expr, stored: extra.contains("stored") });
            col.default = None;
        }
        col.comment = Some(c.comment.clone()).filter(|x| !x.is_empty());
        schema.tables[i].columns.push(col);
    }

    for (i, c) in checks {
        let table = &schema.tables[i];
        let columns = mentioned_columns(&c.clause, table);
        schema.tables[i].checks.push(Check {
            name: Some(c.name.clone()),
            expr: c.clause.clone(),
            columns,
            origin: origin.clone(),
        });
    }

    // Foreign keys, grouped by constraint.
    let mut fks: BTreeMap<(String, String, String), ForeignKey> = BTreeMap::new();
    let mut fk_order = Vec::new();
    for f in &catalog.foreign_keys {
        if !at.contains_key(&key(&f.schema, &f.table)) {
            continue;
        }
        let k = (f.schema.clone(), name_key(&f.table), f.name.clone());
        let entry = fks.entry(k.clone()).or_insert_with(|| {
            fk_order.push(k.clone());
            let act = catalog
                .actions
                .iter()
                .find(|a| a.schema == f.schema && name_eq(&a.table, &f.table) && a.name == f.name);
            ForeignKey {
                name: Some(f.name.clone()),
                columns: Vec::new(),
                ref_table: f.ref_table.clone(),
                ref_columns: Vec::new(),
                on_delete: act.and_then(|a| action(&a.on_delete)),
                on_update: act.and_then(|a| action(&a.on_update)),
                inferred: false,
                origin: origin.clone(),
            }
        });
        entry.columns.push(f.column.clone());
        entry.ref_columns.push(f.ref_column.clone());
    }
    for k in &fk_order {
        if let (Some(&i), Some(fk)) = (at.get(&(k.0.clone(), k.1.clone())), fks.remove(k)) {
            schema.tables[i].foreign_keys.push(fk);
        }
    }

    // Indexes, grouped by name.
    // (schema, table key, index name) and the index's rows, in catalog order.
    type Group<'a> = ((String, String, String), Vec<&'a IndexRow>);
    let mut groups: Vec<Group> = Vec::new();
    for r in &catalog.indexes {
        let k = (r.schema.clone(), name_key(&r.table), r.name.clone());
        match groups.iter_mut().find(|(g, _)| *g == k) {
            Some((_, rows)) => rows.push(r),
            None => groups.push((k, vec![r])),
        }
    }
    for ((s, t, name), parts) in groups {
        let Some(&i) = at.get(&(s, t)) else { continue };
        let table = &schema.tables[i];
        let Some(first) = parts.first() else { continue };
        let columns: Vec<String> = parts.iter().filter_map(|p| p.column.clone()).collect();
        let plain = parts.iter().all(|p| p.column.is_some() && p.expression.is_none());
        if name == "PRIMARY" {
            schema.tables[i].primary_key = Some(PrimaryKey { name: None, columns, origin: origin.clone() });
            continue;
        }
        let btree = first.index_type.eq_ignore_ascii_case("BTREE");
        if first.unique && plain && btree && parts.iter().all(|p| !p.descending) {
            schema.tables[i].uniques.push(Unique { name: Some(name), columns, origin: origin.clone() });
            continue;
        }
        // NOTE: InnoDB creates an index for a foreign key that has none, named after the
        // constraint (or its first column); it is part of the foreign key, not of the document.
        let implicit = !first.unique
            && plain
            && table.foreign_keys.iter().any(|fk| {
                fk.columns.len() == columns.len()
                    && fk.columns.iter().zip(&columns).all(|(a, b)| name_eq(a, b))
                    && (fk.name.as_deref().is_some_and(|n| name_eq(n, &name))
                        || fk.columns.first().is_some_and(|c| name_eq(c, &name)))
            });
        if implicit {
            continue;
        }
        let method = match first.index_type.to_ascii_uppercase().as_str() {
            "BTREE" | "" => None,
            other => Some(other.to_ascii_lowercase()),
        };
        schema.indexes.push(Index {
            name: Some(name),
            table: table.name.clone(),
            parts: parts
                .iter()
                .map(|p| IndexPart {
                    column: p.column.clone(),
                    expr: p.expression.clone().filter(|_| p.column.is_none()),
                    descending: p.descending,
                    opclass: None,
                })
                .collect(),
            unique: first.unique,
            method,
            predicate: None,
            include: Vec::new(),
            origin: origin.clone(),
        });
    }

    for v in catalog.views.iter().filter(|v| wanted(&v.name)) {
        let body = unqualified(&v.definition, &v.schema);
        let tables =
            schema.tables.iter().filter(|t| body.contains(&format!("`{}`", t.name))).map(|t| t.name.clone()).collect();
        schema.views.push(View {
            name: v.name.clone(),
            sql: format!("CREATE VIEW `{}` AS {}", v.name.replace('`', "``"), body),
            materialized: false,
            tables,
            origin: origin.clone(),
        });
    }
    for r in &catalog.routines {
        if let Some(t) = &r.table {
            if !wanted(t) {
                continue;
            }
        }
        schema.routines.push(Routine {
            kind: r.kind,
            name: r.name.clone(),
            sql: r.sql.clone(),
            language: Some("sql".to_string()),
            table: r.table.clone(),
            function: None,
            tables: r.table.iter().cloned().collect(),
            origin: origin.clone(),
        });
    }
    schema
}

/// Whether a MySQL 8 `COLUMN_DEFAULT` is the current time, which older servers report without
/// the `DEFAULT_GENERATED` mark.
fn is_current_time(d: &str) -> bool {
    let l = d.trim().to_ascii_lowercase();
    l.starts_with("current_timestamp") || l.starts_with("now(")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn column(table: &str, name: &str, ty: &str, nullable: bool, default: Option<&str>, extra: &str) -> ColumnRow {
        ColumnRow {
            schema: "db".into(),
            table: table.into(),
            name: name.into(),
            column_type: ty.into(),
            nullable,
            default: default.map(String::from),
            extra: extra.into(),
            comment: String::new(),
            generation: None,
            charset: None,
            collation: None,
        }
    }

    fn index(table: &str, name: &str, unique: bool, column: &str) -> IndexRow {
        IndexRow {
            schema: "db".into(),
            table: table.into(),
            name: name.into(),
            unique,
            column: Some(column.into()),
            expression: None,
            descending: false,
            index_type: "BTREE".into(),
        }
    }

    fn table(name: &str) -> TableRow {
        TableRow {
            schema: "db".into(),
            name: name.into(),
            kind: "BASE TABLE".into(),
            comment: String::new(),
            collation: None,
        }
    }

    fn mariadb_catalog() -> Catalog {
        Catalog {
            version: "10.11.19-MariaDB".into(),
            tables: vec![table("users"), table("posts"), table(HISTORY_TABLE)],
            columns: vec![
                column("users", "id", "bigint(20)", false, None, "auto_increment"),
                column("users", "email", "varchar(255)", false, None, ""),
                column("users", "active", "tinyint(1)", false, Some("1"), ""),
                column("users", "settings", "longtext", true, Some("'{}'"), ""),
                column("users", "created_at", "datetime(6)", true, Some("current_timestamp(6)"), ""),
                column("users", "bio", "text", true, Some("NULL"), ""),
                column("posts", "id", "int(11)", false, None, "auto_increment"),
                column("posts", "user_id", "bigint(20)", false, None, ""),
                column("posts", "status", "enum('draft','live')", false, Some("'draft'"), ""),
                column(HISTORY_TABLE, "id", "bigint(20)", false, None, "auto_increment"),
            ],
            indexes: vec![
                index("users", "PRIMARY", true, "id"),
                index("users", "email", true, "email"),
                index("posts", "PRIMARY", true, "id"),
                index("posts", "posts_user_fk", false, "user_id"),
                IndexRow { descending: true, ..index("posts", "posts_recent", false, "id") },
            ],
            foreign_keys: vec![ForeignKeyRow {
                schema: "db".into(),
                table: "posts".into(),
                name: "posts_user_fk".into(),
                column: "user_id".into(),
                ref_table: "users".into(),
                ref_column: "id".into(),
            }],
            actions: vec![ActionRow {
                schema: "db".into(),
                table: "posts".into(),
                name: "posts_user_fk".into(),
                on_update: "RESTRICT".into(),
                on_delete: "CASCADE".into(),
            }],
            checks: vec![
                CheckRow {
                    schema: "db".into(),
                    table: "users".into(),
                    name: "settings".into(),
                    clause: "json_valid(`settings`)".into(),
                },
                CheckRow {
                    schema: "db".into(),
                    table: "posts".into(),
                    name: "CONSTRAINT_1".into(),
                    clause: "`status` <> 'gone'".into(),
                },
            ],
            constraints: Vec::new(),
            views: vec![ViewRow {
                schema: "db".into(),
                name: "live_posts".into(),
                definition: "select `db`.`posts`.`id` AS `id` from `db`.`posts`".into(),
            }],
            routines: Vec::new(),
        }
    }

    #[test]
    fn mariadb_rows_become_a_schema() {
        let s = interpret(&mariadb_catalog(), &InspectFilter::default(), "mysql://root@h/db");
        let names: Vec<&str> = s.tables.iter().map(|t| t.name.as_str()).collect();
        assert_eq!(names, ["users", "posts"], "the history table is never inspected");
        let users = &s.tables[0];
        assert_eq!(users.columns[0].identity, Some(Identity::AutoIncrement));
        assert_eq!(users.columns[0].ty.kind, TypeKind::Int { bytes: 8 });
        assert_eq!(users.columns[2].ty.kind, TypeKind::Bool);
        assert_eq!(users.columns[2].default, Some(model::DefaultValue::Number("1".into())));
        assert_eq!(users.columns[3].ty.kind, TypeKind::Json, "longtext with json_valid is JSON");
        assert_eq!(users.columns[3].default, Some(model::DefaultValue::String("{}".into())));
        assert_eq!(users.columns[4].default, Some(model::DefaultValue::CurrentTimestamp));
        assert_eq!(users.columns[5].default, None, "MariaDB's NULL means no default");
        assert!(users.checks.is_empty(), "the json_valid check belongs to the JSON type");
        assert_eq!(users.primary_key.as_ref().map(|p| p.columns.clone()), Some(vec!["id".to_string()]));
        assert_eq!(users.uniques.len(), 1);
        let posts = &s.tables[1];
        assert_eq!(posts.columns[2].ty.kind, TypeKind::Other { raw: "enum('draft','live')".into() });
        assert_eq!(posts.foreign_keys.len(), 1);
        assert_eq!(posts.foreign_keys[0].on_delete, Some(ReferentialAction::Cascade));
        assert_eq!(posts.checks.len(), 1);
        assert_eq!(posts.checks[0].columns, ["status"]);
        let idx: Vec<&str> = s.indexes.iter().filter_map(|i| i.name.as_deref()).collect();
        assert_eq!(idx, ["posts_recent"], "the foreign key's own index is not listed");
        assert!(s.indexes[0].parts[0].descending);
        assert_eq!(s.views.len(), 1);
        assert_eq!(s.views[0].sql, "CREATE VIEW `live_posts` AS select `posts`.`id` AS `id` from `posts`");
        assert_eq!(s.tables[0].origin.file.as_ref(), "mysql://root@h/db");
    }

    #[test]
    fn mysql8_literal_defaults_are_bare() {
        let catalog = Catalog {
            version: "8.0.36".into(),
            tables: vec![table("t")],
            columns: vec![
                column("t", "a", "varchar(10)", true, Some("x"), ""),
                column("t", "b", "int", true, Some("5"), ""),
                column("t", "c", "datetime(3)", true, Some("CURRENT_TIMESTAMP(3)"), "DEFAULT_GENERATED"),
                column("t", "d", "char(36)", true, Some("uuid()"), "DEFAULT_GENERATED"),
                column("t", "e", "json", true, Some("_utf8mb4\\'[]\\'"), "DEFAULT_GENERATED"),
            ],
            checks: vec![CheckRow {
                schema: "db".into(),
                table: String::new(),
                name: "t_chk_1".into(),
                clause: "(`b` > 0)".into(),
            }],
            constraints: vec![ConstraintRow {
                schema: "db".into(),
                table: "t".into(),
                name: "t_chk_1".into(),
                kind: "CHECK".into(),
            }],
            ..Catalog::default()
        };
        let s = interpret(&catalog, &InspectFilter::default(), "mysql://h/db");
        let d: Vec<Option<model::DefaultValue>> = s.tables[0].columns.iter().map(|c| c.default.clone()).collect();
        use model::DefaultValue as D;
        assert_eq!(
            d,
            [
                Some(D::String("x".into())),
                Some(D::Number("5".into())),
                Some(D::CurrentTimestamp),
                Some(D::GeneratedUuid),
                Some(D::String("[]".into()))
            ]
        );
        assert_eq!(s.tables[0].checks.len(), 1, "the check is found through TABLE_CONSTRAINTS");
        assert_eq!(s.tables[0].columns[4].ty.kind, TypeKind::Json);
    }

    #[test]
    fn filters_and_odd_rows_do_not_panic() {
        let filter = InspectFilter { schemas: vec![], tables: vec!["posts".into()] };
        let s = interpret(&mariadb_catalog(), &filter, "x");
        assert_eq!(s.tables.len(), 1);
        let odd = Catalog {
            version: String::new(),
            tables: vec![table("t")],
            columns: vec![column("t", "", "", true, Some("'"), "")],
            indexes: vec![IndexRow { column: None, ..index("t", "", false, "") }],
            checks: vec![CheckRow {
                schema: "db".into(),
                table: "t".into(),
                name: "x".into(),
                clause: "json_valid(".into(),
            }],
            ..Catalog::default()
        };
        let s = interpret(&odd, &InspectFilter::default(), "x");
        assert_eq!(s.tables[0].columns[0].ty.kind, TypeKind::Other { raw: String::new() });
    }

    #[test]
    fn generated_columns_come_from_extra_and_their_expression() {
        let mut stored = column("t", "total", "decimal(12,2)", true, None, "STORED GENERATED");
        stored.generation = Some("`qty` * `price`".into());
        let mut virt = column("t", "k", "varchar(20)", true, Some("NULL"), "VIRTUAL GENERATED");
        virt.generation = Some("lcase(`sku`)".into());
        let catalog = Catalog {
            version: "10.11.6-MariaDB".into(),
            tables: vec![table("t")],
            columns: vec![
                column("t", "at", "datetime", true, Some("current_timestamp()"), "DEFAULT_GENERATED"),
                stored,
                virt,
            ],
            ..Catalog::default()
        };
        let s = interpret(&catalog, &InspectFilter::default(), "mysql://h/db");
        let g = |c: &str| s.tables[0].column(c).and_then(|c| c.generated.clone()).map(|g| (g.expr, g.stored));
        assert_eq!(g("at"), None);
        assert_eq!(g("total"), Some(("`qty` * `price`".to_string(), true)));
        assert_eq!(g("k"), Some(("lcase(`sku`)".to_string(), false)));
        assert_eq!(s.tables[0].column("k").and_then(|c| c.default.clone()), None);
    }
}
