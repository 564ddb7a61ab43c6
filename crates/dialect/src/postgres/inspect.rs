//! Reading a PostgreSQL catalog into the canonical model: a fixed set of catalog queries, each
//! returning rows for every table of the inspected schemas at once (never one query per table),
//! kept apart from [`interpret`], which turns those rows into a [`Schema`].

use super::normalize::{FINGERPRINT_MARK, VIEW_COMMENT_PREFIX};
use super::types::{parse_default, parse_type, unquote_ident};
use crate::common::HISTORY_TABLE;
use crate::InspectFilter;
use model::{
    name_key, Check, Column, DataType, Enum, Extension, ForeignKey, Generated, Identity, Index, IndexPart, Notation,
    Origin, PrimaryKey, ReferentialAction, Routine, RoutineKind, Schema, Table, Unique, View,
};
use std::collections::{BTreeMap, BTreeSet};
use std::sync::Arc;

/// A table (`pg_class` relkind r/p).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(super) struct TableRow {
    pub schema: String,
    pub name: String,
    pub comment: Option<String>,
}

/// A column (`pg_attribute`, `pg_attrdef`, `format_type`).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(super) struct ColumnRow {
    pub schema: String,
    pub table: String,
    pub name: String,
    /// `format_type(atttypid, atttypmod)`.
    pub type_sql: String,
    pub not_null: bool,
    /// `pg_get_expr(adbin, adrelid)`.
    pub default: Option<String>,
    /// `attidentity`: empty, `a` (always) or `d` (by default).
    pub identity: String,
    /// `attgenerated`: empty or `s` (stored generated column).
    pub generated: String,
    /// Whether a sequence is owned by the column (serial).
    pub owns_sequence: bool,
    pub comment: Option<String>,
}

/// A primary key, unique, check or foreign key constraint (`pg_constraint`).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(super) struct ConstraintRow {
    pub schema: String,
    pub table: String,
    pub name: String,
    /// `p`, `u`, `c` or `f`.
    pub kind: String,
    pub columns: Vec<String>,
    /// For a check: `pg_get_expr(conbin, conrelid)`.
    pub check: Option<String>,
    pub ref_table: Option<String>,
    pub ref_columns: Vec<String>,
    /// `confdeltype` / `confupdtype`: a, r, c, n, d.
    pub on_delete: String,
    pub on_update: String,
}

/// An index (`pg_index`, `pg_get_indexdef` per key).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(super) struct IndexRow {
    pub schema: String,
    pub table: String,
    pub name: String,
    pub unique: bool,
    /// Whether a constraint (primary key, unique, exclusion) owns the index.
    pub constraint: bool,
    pub method: String,
    /// Key columns; the rest of `defs` are INCLUDE columns.
    pub key_count: i16,
    /// `indkey`: attribute numbers, 0 for an expression.
    pub keys: Vec<i16>,
    /// `pg_get_indexdef(indexrelid, k, true)` for every column k.
    pub defs: Vec<String>,
    /// `indoption`: bit 1 is DESC.
    pub options: Vec<i16>,
    /// Operator class names, empty where the class is the type's default.
    pub opclasses: Vec<String>,
    pub predicate: Option<String>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(super) struct EnumRow {
    pub schema: String,
    pub name: String,
    pub values: Vec<String>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(super) struct ViewRow {
    pub schema: String,
    pub name: String,
    /// `pg_get_viewdef(oid)`.
    pub definition: String,
    /// `md5(pg_get_viewdef(oid))`.
    pub md5: String,
    pub materialized: bool,
    pub comment: Option<String>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(super) struct RoutineRow {
    pub schema: String,
    pub name: String,
    /// `pg_get_functiondef(oid)`.
    pub definition: String,
    pub language: String,
    /// `prokind`: `f` or `p`.
    pub kind: String,
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(super) struct TriggerRow {
    pub schema: String,
    pub table: String,
    pub name: String,
    /// `pg_get_triggerdef(oid)`.
    pub definition: String,
    pub function: String,
}

/// Everything the catalog queries return.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(super) struct Catalog {
    pub tables: Vec<TableRow>,
    pub columns: Vec<ColumnRow>,
    pub constraints: Vec<ConstraintRow>,
    pub indexes: Vec<IndexRow>,
    pub enums: Vec<EnumRow>,
    pub extensions: Vec<String>,
    pub views: Vec<ViewRow>,
    pub routines: Vec<RoutineRow>,
    pub triggers: Vec<TriggerRow>,
}

/// NOTE: objects an extension installed (pgcrypto's functions in `public`) are excluded: they
/// belong to the extension, not to the schema.
const NOT_EXTENSION_MEMBER: &str =
    "NOT EXISTS (SELECT 1 FROM pg_depend dep WHERE dep.classid = {class}::regclass AND dep.objid = {oid} AND dep.deptype = 'e')";

pub(super) const TABLES: &str = "SELECT n.nspname::text, c.relname::text, obj_description(c.oid, 'pg_class')
FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
WHERE c.relkind IN ('r', 'p') AND n.nspname = ANY($1) AND NOT c.relispartition
ORDER BY n.nspname, c.relname";

pub(super) const COLUMNS: &str = "SELECT n.nspname::text, c.relname::text, a.attname::text,
  format_type(a.atttypid, a.atttypmod), a.attnotnull, pg_get_expr(d.adbin, d.adrelid),
  a.attidentity::text, a.attgenerated::text,
  EXISTS (SELECT 1 FROM pg_depend dep JOIN pg_class s ON s.oid = dep.objid AND s.relkind = 'S'
          WHERE dep.refclassid = 'pg_class'::regclass AND dep.refobjid = c.oid AND dep.refobjsubid = a.attnum
            AND dep.classid = 'pg_class'::regclass AND dep.deptype = 'a'),
  col_description(c.oid, a.attnum)
FROM pg_attribute a
JOIN pg_class c ON c.oid = a.attrelid
JOIN pg_namespace n ON n.oid = c.relnamespace
LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum
WHERE c.relkind IN ('r', 'p') AND n.nspname = ANY($1) AND a.attnum > 0 AND NOT a.attisdropped
ORDER BY n.nspname, c.relname, a.attnum";

pub(super) const CONSTRAINTS: &str = "SELECT n.nspname::text, c.relname::text, con.conname::text, con.contype::text,
  ARRAY(SELECT a.attname::text FROM unnest(con.conkey) WITH ORDINALITY k(num, ord)
        JOIN pg_attribute a ON a.attrelid = con.conrelid AND a.attnum = k.num ORDER BY k.ord),
  CASE WHEN con.contype = 'c' THEN pg_get_expr(con.conbin, con.conrelid) END,
  CASE WHEN con.contype = 'f' THEN (SELECT CASE WHEN rn.nspname = n.nspname THEN r.relname::text
                                               ELSE rn.nspname || '.' || r.relname END
                                    FROM pg_class r JOIN pg_namespace rn ON rn.oid = r.relnamespace
                                    WHERE r.oid = con.confrelid) END,
  ARRAY(SELECT a.attname::text FROM unnest(con.confkey) WITH ORDINALITY k(num, ord)
        JOIN pg_attribute a ON a.attrelid = con.confrelid AND a.attnum = k.num ORDER BY k.ord),
  con.confdeltype::text, con.confupdtype::text
FROM pg_constraint con
JOIN pg_class c ON c.oid = con.conrelid
JOIN pg_namespace n ON n.oid = c.relnamespace
WHERE con.contype IN ('p', 'u', 'c', 'f') AND n.nspname = ANY($1) AND con.conislocal
ORDER BY n.nspname, c.relname, con.contype, con.conname";

pub(super) const INDEXES: &str = "SELECT n.nspname::text, c.relname::text, ic.relname::text, i.indisunique,
  EXISTS (SELECT 1 FROM pg_constraint con WHERE con.conindid = i.indexrelid AND con.contype IN ('p', 'u', 'x')),
  am.amname::text, i.indnkeyatts,
  ARRAY(SELECT k FROM unnest(i.indkey) WITH ORDINALITY u(k, ord) ORDER BY ord),
  ARRAY(SELECT pg_get_indexdef(i.indexrelid, k, true) FROM generate_series(1, i.indnatts) k ORDER BY k),
  ARRAY(SELECT o FROM unnest(i.indoption) WITH ORDINALITY u(o, ord) ORDER BY ord),
  ARRAY(SELECT CASE WHEN oc.opcdefault THEN '' ELSE oc.opcname::text END
        FROM unnest(i.indclass) WITH ORDINALITY u(cls, ord) JOIN pg_opclass oc ON oc.oid = u.cls ORDER BY u.ord),
  pg_get_expr(i.indpred, i.indrelid)
FROM pg_index i
JOIN pg_class ic ON ic.oid = i.indexrelid
JOIN pg_class c ON c.oid = i.indrelid
JOIN pg_namespace n ON n.oid = c.relnamespace
JOIN pg_am am ON am.oid = ic.relam
WHERE c.relkind IN ('r', 'p') AND n.nspname = ANY($1)
ORDER BY n.nspname, c.relname, ic.relname";

/// Indexes PostgreSQL does not use (`indisvalid` false): an interrupted or failed
/// `CREATE INDEX CONCURRENTLY` leaves one behind, which blocks creating it again under its name.
pub(super) const INVALID_INDEXES: &str = "SELECT ic.relname::text FROM pg_index i
JOIN pg_class ic ON ic.oid = i.indexrelid
JOIN pg_namespace n ON n.oid = ic.relnamespace
WHERE NOT i.indisvalid AND n.nspname = ANY($1)
ORDER BY 1";

pub(super) const ENUMS: &str = "SELECT n.nspname::text, t.typname::text,
  ARRAY(SELECT e.enumlabel::text FROM pg_enum e WHERE e.enumtypid = t.oid ORDER BY e.enumsortorder)
FROM pg_type t JOIN pg_namespace n ON n.oid = t.typnamespace
WHERE t.typtype = 'e' AND n.nspname = ANY($1)
ORDER BY n.nspname, t.typname";

pub(super) const EXTENSIONS: &str =
    "SELECT extname::text FROM pg_extension WHERE extname <> 'plpgsql' ORDER BY extname";

pub(super) const AVAILABLE_EXTENSIONS: &str = "SELECT name::text FROM pg_available_extensions ORDER BY name";

/// The statements of the view, routine and trigger queries (extension members left out).
pub(super) fn views_query() -> String {
    format!(
        "SELECT n.nspname::text, c.relname::text, pg_get_viewdef(c.oid), md5(pg_get_viewdef(c.oid)),
  c.relkind = 'm', obj_description(c.oid, 'pg_class')
FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
WHERE c.relkind IN ('v', 'm') AND n.nspname = ANY($1) AND {}
ORDER BY n.nspname, c.relname",
        NOT_EXTENSION_MEMBER.replace("{oid}", "c.oid").replace("{class}", "'pg_class'")
    )
}

pub(super) fn routines_query() -> String {
    format!(
        "SELECT n.nspname::text, p.proname::text, pg_get_functiondef(p.oid), l.lanname::text, p.prokind::text
FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace JOIN pg_language l ON l.oid = p.prolang
WHERE p.prokind IN ('f', 'p') AND n.nspname = ANY($1) AND {}
ORDER BY n.nspname, p.proname, p.oid",
        NOT_EXTENSION_MEMBER.replace("{oid}", "p.oid").replace("{class}", "'pg_proc'")
    )
}

pub(super) const TRIGGERS: &str = "SELECT n.nspname::text, c.relname::text, t.tgname::text, pg_get_triggerdef(t.oid),
  p.proname::text
FROM pg_trigger t
JOIN pg_class c ON c.oid = t.tgrelid
JOIN pg_namespace n ON n.oid = c.relnamespace
JOIN pg_proc p ON p.oid = t.tgfoid
WHERE NOT t.tgisinternal AND n.nspname = ANY($1)
ORDER BY n.nspname, c.relname, t.tgname";

fn action(code: &str) -> Option<ReferentialAction> {
    match code {
        "r" => Some(ReferentialAction::Restrict),
        "c" => Some(ReferentialAction::Cascade),
        "n" => Some(ReferentialAction::SetNull),
        "d" => Some(ReferentialAction::SetDefault),
        // `a` (no action) is what an FK declared without an action gets.
        _ => None,
    }
}

/// The namespace recorded on a table: none for `public`, the default.
fn namespace(schema: &str) -> Option<String> {
    (schema != "public").then(|| schema.to_string())
}

/// The schema the catalog rows describe. `source` names the database in origins (a redacted URL).
pub(super) fn interpret(catalog: &Catalog, filter: &InspectFilter, source: &str) -> Schema {
    let file: Arc<str> = Arc::from(source);
    let origin = || Origin::new(file.clone(), 0, 0, Notation::Sql);
    let wanted = |schema: &str, table: &str| !(schema == "public" && table == HISTORY_TABLE) && filter.wants(table);
    let key = |schema: &str, table: &str| (schema.to_string(), table.to_string());

    let enum_names: BTreeSet<String> = catalog.enums.iter().map(|e| name_key(&e.name)).collect();
    let is_enum = |n: &str| enum_names.contains(&name_key(n.rsplit('.').next().unwrap_or(n)));

    let mut tables: BTreeMap<(String, String), Table> = BTreeMap::new();
    let mut order: Vec<(String, String)> = Vec::new();
    for row in catalog.tables.iter().filter(|r| wanted(&r.schema, &r.name)) {
        let mut t = Table::new(row.name.clone(), origin());
        t.namespace = namespace(&row.schema);
        t.comment = row.comment.clone();
        order.push(key(&row.schema, &row.name));
        tables.insert(key(&row.schema, &row.name), t);
    }

    for row in &catalog.columns {
        let Some(t) = tables.get_mut(&key(&row.schema, &row.table)) else { continue };
        let kind = parse_type(&row.type_sql, &is_enum);
        let mut c = Column::new(row.name.clone(), DataType::new(kind, row.type_sql.clone()), origin());
        c.nullable = !row.not_null;
        c.comment = row.comment.clone();
        let serial =
            row.owns_sequence && row.default.as_deref().is_some_and(|d| d.trim_start().starts_with("nextval("));
        c.identity = match row.identity.as_str() {
            "a" => Some(Identity::Always),
            "d" => Some(Identity::ByDefault),
            _ if serial => Some(Identity::Serial),
            _ => None,
        };
        // NOTE: a stored generated column's expression is kept in pg_attrdef like a default;
        // `attgenerated = 's'` tells them apart.
        if row.generated == "s" {
            let expr = row.default.as_deref().map(|d| d.trim().to_string()).unwrap_or_default();
            c.generated = Some(Generated { expr, stored: true });
        } else if c.identity.is_none() && row.generated.is_empty() {
            c.default = row.default.as_deref().map(parse_default);
        }
        t.columns.push(c);
    }

    for row in &catalog.constraints {
        let Some(t) = tables.get_mut(&key(&row.schema, &row.table)) else { continue };
        match row.kind.as_str() {
            "p" => {
                t.primary_key =
                    Some(PrimaryKey { name: Some(row.name.clone()), columns: row.columns.clone(), origin: origin() })
            }
            "u" => {
                t.uniques.push(Unique { name: Some(row.name.clone()), columns: row.columns.clone(), origin: origin() })
            }
            "c" => t.checks.push(Check {
                name: Some(row.name.clone()),
                expr: row.check.clone().unwrap_or_default(),
                columns: row.columns.clone(),
                origin: origin(),
            }),
            "f" => t.foreign_keys.push(ForeignKey {
                name: Some(row.name.clone()),
                columns: row.columns.clone(),
                // The catalog names a target in the referencing table's schema bare: references
                // name a table outside `public` with its schema, as documents do.
                ref_table: match row.ref_table.as_deref().map(|r| r.split_once('.')) {
                    Some(Some((ns, t))) => model::qualified_name(Some(ns), t),
                    Some(None) => {
                        model::qualified_name(namespace(&row.schema).as_deref(), row.ref_table.as_deref().unwrap_or(""))
                    }
                    None => String::new(),
                },
                ref_columns: row.ref_columns.clone(),
                on_delete: action(&row.on_delete),
                on_update: action(&row.on_update),
                inferred: false,
                origin: origin(),
            }),
            _ => {}
        }
    }

    let mut indexes = Vec::new();
    for row in catalog.indexes.iter().filter(|r| !r.constraint) {
        if !tables.contains_key(&key(&row.schema, &row.table)) {
            continue;
        }
        let key_count = usize::try_from(row.key_count).unwrap_or(0).min(row.defs.len());
        let mut parts = Vec::with_capacity(key_count);
        for (k, def) in row.defs.iter().enumerate().take(key_count) {
            let is_column = row.keys.get(k).is_some_and(|&a| a != 0);
            parts.push(IndexPart {
                column: is_column.then(|| unquote_ident(def)),
                expr: (!is_column).then(|| def.clone()),
                descending: row.options.get(k).is_some_and(|o| o & 1 == 1),
                opclass: row.opclasses.get(k).filter(|o| !o.is_empty()).cloned(),
            });
        }
        indexes.push(Index {
            name: Some(row.name.clone()),
            table: model::qualified_name(namespace(&row.schema).as_deref(), &row.table),
            parts,
            unique: row.unique,
            method: Some(row.method.clone()),
            predicate: row.predicate.clone(),
            include: row.defs.iter().skip(key_count).map(|d| unquote_ident(d)).collect(),
            origin: origin(),
        });
    }

    let tables_wanted = !filter.tables.is_empty();
    let enums = catalog
        .enums
        .iter()
        .map(|e| Enum { name: e.name.clone(), values: e.values.clone(), origin: origin() })
        .collect();
    let extensions = catalog.extensions.iter().map(|e| Extension { name: e.clone(), origin: origin() }).collect();
    // With a table filter, views and routines are left out: they are not tables.
    let views = if tables_wanted { Vec::new() } else { catalog.views.iter().map(|v| view(v, origin())).collect() };
    let mut routines = Vec::new();
    if !tables_wanted {
        for r in &catalog.routines {
            routines.push(Routine {
                kind: if r.kind == "p" { RoutineKind::Procedure } else { RoutineKind::Function },
                name: r.name.clone(),
                sql: r.definition.trim().to_string(),
                language: Some(r.language.clone()),
                table: None,
                function: None,
                tables: Vec::new(),
                origin: origin(),
            });
        }
    }
    for t in &catalog.triggers {
        if !tables.contains_key(&key(&t.schema, &t.table)) {
            continue;
        }
        routines.push(Routine {
            kind: RoutineKind::Trigger,
            name: t.name.clone(),
            sql: t.definition.clone(),
            language: None,
            table: Some(t.table.clone()),
            function: Some(t.function.clone()),
            tables: vec![t.table.clone()],
            origin: origin(),
        });
    }

    Schema {
        tables: order.iter().filter_map(|k| tables.remove(k)).collect(),
        indexes,
        enums,
        extensions,
        views,
        routines,
        ..Schema::default()
    }
}

/// A view as read, with the fingerprint schemadoc left in its comment when the server's
/// definition is still the one it created.
fn view(row: &ViewRow, origin: Origin) -> View {
    let kind = if row.materialized { "MATERIALIZED VIEW" } else { "VIEW" };
    let mut sql = format!("CREATE {kind} {} AS {}", super::plan::q(&row.name), row.definition.trim());
    let marked = row
        .comment
        .as_deref()
        .and_then(|c| c.strip_prefix(VIEW_COMMENT_PREFIX))
        .and_then(|rest| rest.split_once(':'))
        .filter(|(_, md5)| *md5 == row.md5);
    if let Some((fingerprint, _)) = marked {
        sql.push('\n');
        sql.push_str(FINGERPRINT_MARK);
        sql.push_str(fingerprint);
    }
    View { name: row.name.clone(), sql, materialized: row.materialized, tables: Vec::new(), origin }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn s(v: &str) -> String {
        v.to_string()
    }

    fn column(table: &str, name: &str, ty: &str, not_null: bool, default: Option<&str>) -> ColumnRow {
        ColumnRow {
            schema: s("public"),
            table: s(table),
            name: s(name),
            type_sql: s(ty),
            not_null,
            default: default.map(s),
            ..ColumnRow::default()
        }
    }

    fn catalog() -> Catalog {
        let mut id = column("posts", "id", "bigint", true, Some("nextval('posts_id_seq'::regclass)"));
        id.owns_sequence = true;
        let mut n = column("tags", "n", "integer", true, None);
        n.identity = s("a");
        Catalog {
            tables: vec![
                TableRow { schema: s("public"), name: s("posts"), comment: Some(s("글")) },
                TableRow { schema: s("public"), name: s("tags"), comment: None },
                TableRow { schema: s("public"), name: s(HISTORY_TABLE), comment: None },
            ],
            columns: vec![
                id,
                column("posts", "status", "character varying(20)", true, Some("'draft'::character varying")),
                column("posts", "mood", "\"Mood\"", false, None),
                column("posts", "labels", "text[]", false, Some("'{}'::text[]")),
                column("posts", "tag_id", "integer", false, None),
                column("posts", "at", "timestamp(3) without time zone", false, Some("now()")),
                column("posts", "title", "text", false, None),
                n,
                column(HISTORY_TABLE, "id", "bigint", true, None),
            ],
            constraints: vec![
                ConstraintRow {
                    schema: s("public"),
                    table: s("posts"),
                    name: s("posts_pkey"),
                    kind: s("p"),
                    columns: vec![s("id")],
                    ..ConstraintRow::default()
                },
                ConstraintRow {
                    schema: s("public"),
                    table: s("posts"),
                    name: s("posts_status_check"),
                    kind: s("c"),
                    columns: vec![s("status")],
                    check: Some(s("((status)::text = ANY ((ARRAY['draft'::character varying])::text[]))")),
                    ..ConstraintRow::default()
                },
                ConstraintRow {
                    schema: s("public"),
                    table: s("posts"),
                    name: s("posts_tag_id_fkey"),
                    kind: s("f"),
                    columns: vec![s("tag_id")],
                    ref_table: Some(s("tags")),
                    ref_columns: vec![s("n")],
                    on_delete: s("c"),
                    on_update: s("a"),
                    ..ConstraintRow::default()
                },
            ],
            indexes: vec![
                IndexRow {
                    schema: s("public"),
                    table: s("posts"),
                    name: s("posts_pkey"),
                    unique: true,
                    constraint: true,
                    method: s("btree"),
                    key_count: 1,
                    keys: vec![1],
                    defs: vec![s("id")],
                    options: vec![0],
                    opclasses: vec![s("")],
                    predicate: None,
                },
                IndexRow {
                    schema: s("public"),
                    table: s("posts"),
                    name: s("posts_recent"),
                    unique: false,
                    constraint: false,
                    method: s("btree"),
                    key_count: 2,
                    keys: vec![0, 6, 7],
                    defs: vec![s("lower(title)"), s("at"), s("\"Title\"")],
                    options: vec![0, 3, 0],
                    opclasses: vec![s("text_pattern_ops"), s(""), s("")],
                    predicate: Some(s("((status)::text = 'draft'::text)")),
                },
            ],
            enums: vec![EnumRow { schema: s("public"), name: s("Mood"), values: vec![s("happy"), s("sad")] }],
            extensions: vec![s("pgcrypto")],
            views: vec![ViewRow {
                schema: s("public"),
                name: s("drafts"),
                definition: s(" SELECT posts.id\n   FROM posts;"),
                md5: s("abc"),
                materialized: false,
                comment: Some(format!("{VIEW_COMMENT_PREFIX}0123:abc")),
            }],
            routines: vec![],
            triggers: vec![TriggerRow {
                schema: s("public"),
                table: s("posts"),
                name: s("posts_touch"),
                definition: s(
                    "CREATE TRIGGER posts_touch BEFORE UPDATE ON public.posts FOR EACH ROW EXECUTE FUNCTION touch()",
                ),
                function: s("touch"),
            }],
        }
    }

    #[test]
    fn catalog_rows_become_the_schema() {
        let schema = interpret(&catalog(), &InspectFilter::default(), "postgres://u:***@h/db");
        let names: Vec<&str> = schema.tables.iter().map(|t| t.name.as_str()).collect();
        assert_eq!(names, ["posts", "tags"], "the history table is never inspected");
        let posts = &schema.tables[0];
        assert_eq!(posts.comment.as_deref(), Some("글"));
        assert_eq!(posts.column("id").and_then(|c| c.identity), Some(Identity::Serial));
        assert_eq!(posts.column("id").and_then(|c| c.default.clone()), None);
        let status = posts.column("status").expect("status");
        assert_eq!(status.ty.kind, model::TypeKind::Varchar { len: Some(20) });
        assert_eq!(status.default, Some(model::DefaultValue::String(s("draft"))));
        assert!(!status.nullable);
        assert_eq!(posts.column("mood").map(|c| c.ty.kind.clone()), Some(model::TypeKind::Enum { name: s("Mood") }));
        assert_eq!(
            posts.column("at").map(|c| c.ty.kind.clone()),
            Some(model::TypeKind::Timestamp { tz: false, precision: Some(3) })
        );
        assert_eq!(posts.primary_key.as_ref().map(|p| p.columns.clone()), Some(vec![s("id")]));
        assert_eq!(posts.checks.len(), 1);
        assert_eq!(posts.foreign_keys[0].on_delete, Some(ReferentialAction::Cascade));
        assert_eq!(posts.foreign_keys[0].on_update, None);
        assert_eq!(schema.tables[1].column("n").and_then(|c| c.identity), Some(Identity::Always));
        assert_eq!(schema.indexes.len(), 1, "constraint indexes are keys, not indexes");
        let ix = &schema.indexes[0];
        assert_eq!(ix.parts[0].expr.as_deref(), Some("lower(title)"));
        assert_eq!(ix.parts[0].opclass.as_deref(), Some("text_pattern_ops"));
        assert_eq!((ix.parts[1].column.as_deref(), ix.parts[1].descending), (Some("at"), true));
        assert_eq!(ix.include, [s("Title")]);
        assert!(ix.predicate.is_some());
        assert_eq!(schema.extensions[0].name, "pgcrypto");
        assert!(schema.views[0].sql.ends_with(&format!("{FINGERPRINT_MARK}0123")));
        assert_eq!(schema.routines[0].table.as_deref(), Some("posts"));
        assert_eq!(posts.origin.file.as_ref(), "postgres://u:***@h/db");
    }

    #[test]
    fn a_stale_view_fingerprint_is_ignored() {
        let mut c = catalog();
        c.views[0].md5 = s("changed since");
        let schema = interpret(&c, &InspectFilter::default(), "x");
        assert!(!schema.views[0].sql.contains(FINGERPRINT_MARK));
    }

    #[test]
    fn a_table_filter_keeps_only_those_tables() {
        let filter = InspectFilter { schemas: vec![], tables: vec![s("TAGS")] };
        let schema = interpret(&catalog(), &filter, "x");
        assert_eq!(schema.tables.len(), 1);
        assert!(schema.indexes.is_empty());
        assert!(schema.routines.is_empty());
    }

    #[test]
    fn stored_generated_columns_are_not_defaults() {
        let mut c = catalog();
        let mut total = column("tags", "total", "numeric", false, Some("((n)::numeric * 1.1)"));
        total.generated = s("s");
        c.columns.push(total);
        let schema = interpret(&c, &InspectFilter::default(), "x");
        let total = schema.tables[1].column("total").expect("total");
        assert_eq!(total.default, None);
        assert_eq!(total.generated.as_ref().map(|g| (g.expr.as_str(), g.stored)), Some(("((n)::numeric * 1.1)", true)));
    }
}
