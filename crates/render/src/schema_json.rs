use model::{
    Column, DataStatement, Enum, Extension, ForeignKey, Identity, Index, IndexPart, Notation, Origin, QueryHint,
    QueryHintKind, Routine, RoutineKind, Schema, Setting, Table, View,
};
use serde::Serialize;

/// Renders a schema as the JSON other tools read (`schemadoc show --format json`):
/// `{"tables":[{"name","columns":[{"name","type","nullable","default",…}],"primary_key":[…],
/// "indexes":[{"name","columns","unique",…}],"foreign_keys":[{"columns","ref_table","ref_columns",
/// "on_delete",…}],…}],"enums",…}`, pretty-printed with keys in a fixed order.
///
/// `type` is the canonical spelling (`varchar(255)`), `spelling` the one written; `default` is the
/// portable default (`now()`, `'draft'`) or `null`. A table's `indexes` are every index of the
/// schema naming it, expression keys written as the expression; indexes naming no known table are
/// listed in `indexes_without_table`. When the model leaves an FK's referenced columns implicit,
/// `ref_columns` holds the referenced table's primary key if the schema knows it, and
/// `ref_columns_implied` says so. `columns_stated` is false for a table the document names without
/// stating its columns (its `columns` are then empty). Tables keep the model's order.
pub fn schema_json(schema: &Schema) -> String {
    let doc = Document {
        tables: schema.tables.iter().map(|t| JsonTable::new(t, schema)).collect(),
        enums: schema.enums.iter().map(JsonEnum::from).collect(),
        extensions: schema.extensions.iter().map(JsonExtension::from).collect(),
        views: schema.views.iter().map(JsonView::from).collect(),
        routines: schema.routines.iter().map(JsonRoutine::from).collect(),
        settings: schema.settings.iter().map(JsonSetting::from).collect(),
        indexes_without_table: schema
            .indexes
            .iter()
            .filter(|i| schema.table(&i.table).is_none())
            .map(|i| JsonIndex::new(i, true))
            .collect(),
        data_statements: schema.data_statements.iter().map(JsonDataStatement::from).collect(),
        query_hints: schema.query_hints.iter().map(JsonQueryHint::from).collect(),
        renames: &schema.renames,
    };
    crate::to_pretty_json(&doc)
}

#[derive(Serialize)]
struct Document<'a> {
    tables: Vec<JsonTable<'a>>,
    enums: Vec<JsonEnum<'a>>,
    extensions: Vec<JsonExtension<'a>>,
    views: Vec<JsonView<'a>>,
    routines: Vec<JsonRoutine<'a>>,
    settings: Vec<JsonSetting<'a>>,
    indexes_without_table: Vec<JsonIndex<'a>>,
    data_statements: Vec<JsonDataStatement<'a>>,
    query_hints: Vec<JsonQueryHint<'a>>,
    renames: &'a [model::Rename],
}

/// Where an element was written.
#[derive(Serialize)]
struct JsonOrigin<'a> {
    file: &'a str,
    line: u32,
    column: u32,
    notation: Notation,
}

impl<'a> From<&'a Origin> for JsonOrigin<'a> {
    fn from(o: &'a Origin) -> Self {
        JsonOrigin { file: &o.file, line: o.line, column: o.column, notation: o.notation }
    }
}

#[derive(Serialize)]
struct JsonTable<'a> {
    name: &'a str,
    namespace: Option<&'a str>,
    comment: Option<&'a str>,
    /// The table group the document puts the table in (DBML `TableGroup`), when it does.
    #[serde(skip_serializing_if = "Option::is_none")]
    group: Option<&'a str>,
    columns: Vec<JsonColumn<'a>>,
    /// False when the document names the table without stating its columns.
    columns_stated: bool,
    primary_key: Vec<&'a str>,
    primary_key_name: Option<&'a str>,
    uniques: Vec<JsonUnique<'a>>,
    checks: Vec<JsonCheck<'a>>,
    indexes: Vec<JsonIndex<'a>>,
    foreign_keys: Vec<JsonForeignKey<'a>>,
    origin: JsonOrigin<'a>,
}

impl<'a> JsonTable<'a> {
    fn new(t: &'a Table, schema: &'a Schema) -> Self {
        JsonTable {
            name: &t.name,
            namespace: t.namespace.as_deref(),
            comment: t.comment.as_deref(),
            group: t.group.as_deref(),
            columns: t.columns.iter().map(JsonColumn::from).collect(),
            columns_stated: t.columns_stated,
            primary_key: t.primary_key.iter().flat_map(|pk| pk.columns.iter().map(String::as_str)).collect(),
            primary_key_name: t.primary_key.as_ref().and_then(|pk| pk.name.as_deref()),
            uniques: t
                .uniques
                .iter()
                .map(|u| JsonUnique {
                    name: u.name.as_deref(),
                    columns: u.columns.iter().map(String::as_str).collect(),
                    origin: (&u.origin).into(),
                })
                .collect(),
            checks: t
                .checks
                .iter()
                .map(|c| JsonCheck {
                    name: c.name.as_deref(),
                    expr: &c.expr,
                    columns: c.columns.iter().map(String::as_str).collect(),
                    origin: (&c.origin).into(),
                })
                .collect(),
            indexes: schema.indexes_of(&t.qualified_name()).map(|i| JsonIndex::new(i, false)).collect(),
            foreign_keys: t.foreign_keys.iter().map(|fk| JsonForeignKey::new(fk, schema)).collect(),
            origin: (&t.origin).into(),
        }
    }
}

#[derive(Serialize)]
struct JsonColumn<'a> {
    name: &'a str,
    #[serde(rename = "type")]
    ty: String,
    nullable: bool,
    default: Option<String>,
    spelling: &'a str,
    /// False when the notation only named the type's family.
    exact_type: bool,
    identity: Option<Identity>,
    client_default: Option<&'a str>,
    on_update: Option<&'a str>,
    comment: Option<&'a str>,
    /// The generation expression of a generated (computed) column, null otherwise.
    generated: Option<JsonGenerated<'a>>,
    origin: JsonOrigin<'a>,
}

#[derive(Serialize)]
struct JsonGenerated<'a> {
    expr: &'a str,
    stored: bool,
}

impl<'a> From<&'a Column> for JsonColumn<'a> {
    fn from(c: &'a Column) -> Self {
        JsonColumn {
            name: &c.name,
            ty: c.ty.kind.to_string(),
            nullable: c.nullable,
            default: c.default.as_ref().map(ToString::to_string),
            spelling: &c.ty.spelling,
            exact_type: c.ty.exact,
            identity: c.identity,
            client_default: c.client_default.as_deref(),
            on_update: c.on_update.as_deref(),
            comment: c.comment.as_deref(),
            generated: c.generated.as_ref().map(|g| JsonGenerated { expr: &g.expr, stored: g.stored }),
            origin: (&c.origin).into(),
        }
    }
}

#[derive(Serialize)]
struct JsonUnique<'a> {
    name: Option<&'a str>,
    columns: Vec<&'a str>,
    origin: JsonOrigin<'a>,
}

#[derive(Serialize)]
struct JsonCheck<'a> {
    name: Option<&'a str>,
    expr: &'a str,
    columns: Vec<&'a str>,
    origin: JsonOrigin<'a>,
}

#[derive(Serialize)]
struct JsonIndex<'a> {
    name: Option<&'a str>,
    /// Only in `indexes_without_table`, where the table is not implied by nesting.
    #[serde(skip_serializing_if = "Option::is_none")]
    table: Option<&'a str>,
    columns: Vec<&'a str>,
    unique: bool,
    method: Option<&'a str>,
    #[serde(rename = "where")]
    predicate: Option<&'a str>,
    include: Vec<&'a str>,
    parts: Vec<JsonIndexPart<'a>>,
    origin: JsonOrigin<'a>,
}

impl<'a> JsonIndex<'a> {
    fn new(i: &'a Index, with_table: bool) -> Self {
        JsonIndex {
            name: i.name.as_deref(),
            table: with_table.then_some(i.table.as_str()),
            columns: i.parts.iter().map(part_text).collect(),
            unique: i.unique,
            method: i.method.as_deref(),
            predicate: i.predicate.as_deref(),
            include: i.include.iter().map(String::as_str).collect(),
            parts: i
                .parts
                .iter()
                .map(|p| JsonIndexPart {
                    column: p.column.as_deref(),
                    expr: p.expr.as_deref(),
                    descending: p.descending,
                    opclass: p.opclass.as_deref(),
                })
                .collect(),
            origin: (&i.origin).into(),
        }
    }
}

/// An index key as written: the column, or else the expression.
fn part_text(p: &IndexPart) -> &str {
    p.column.as_deref().or(p.expr.as_deref()).unwrap_or("")
}

#[derive(Serialize)]
struct JsonIndexPart<'a> {
    column: Option<&'a str>,
    expr: Option<&'a str>,
    descending: bool,
    opclass: Option<&'a str>,
}

#[derive(Serialize)]
struct JsonForeignKey<'a> {
    name: Option<&'a str>,
    columns: Vec<&'a str>,
    ref_table: &'a str,
    ref_columns: Vec<&'a str>,
    /// True when `ref_columns` were not written but taken from the referenced primary key.
    ref_columns_implied: bool,
    on_delete: Option<&'static str>,
    on_update: Option<&'static str>,
    inferred: bool,
    origin: JsonOrigin<'a>,
}

impl<'a> JsonForeignKey<'a> {
    fn new(fk: &'a ForeignKey, schema: &'a Schema) -> Self {
        let implied: Option<Vec<&'a str>> = if fk.ref_columns.is_empty() {
            schema
                .table(&fk.ref_table)
                .and_then(|t| t.primary_key.as_ref())
                .map(|pk| pk.columns.iter().map(String::as_str).collect())
        } else {
            None
        };
        JsonForeignKey {
            name: fk.name.as_deref(),
            columns: fk.columns.iter().map(String::as_str).collect(),
            ref_table: &fk.ref_table,
            ref_columns_implied: implied.is_some(),
            ref_columns: implied.unwrap_or_else(|| fk.ref_columns.iter().map(String::as_str).collect()),
            on_delete: fk.on_delete.map(|a| a.as_sql()),
            on_update: fk.on_update.map(|a| a.as_sql()),
            inferred: fk.inferred,
            origin: (&fk.origin).into(),
        }
    }
}

#[derive(Serialize)]
struct JsonEnum<'a> {
    name: &'a str,
    values: Vec<&'a str>,
    origin: JsonOrigin<'a>,
}

impl<'a> From<&'a Enum> for JsonEnum<'a> {
    fn from(e: &'a Enum) -> Self {
        JsonEnum { name: &e.name, values: e.values.iter().map(String::as_str).collect(), origin: (&e.origin).into() }
    }
}

#[derive(Serialize)]
struct JsonExtension<'a> {
    name: &'a str,
    origin: JsonOrigin<'a>,
}

impl<'a> From<&'a Extension> for JsonExtension<'a> {
    fn from(e: &'a Extension) -> Self {
        JsonExtension { name: &e.name, origin: (&e.origin).into() }
    }
}

#[derive(Serialize)]
struct JsonView<'a> {
    name: &'a str,
    materialized: bool,
    tables: Vec<&'a str>,
    sql: &'a str,
    origin: JsonOrigin<'a>,
}

impl<'a> From<&'a View> for JsonView<'a> {
    fn from(v: &'a View) -> Self {
        JsonView {
            name: &v.name,
            materialized: v.materialized,
            tables: v.tables.iter().map(String::as_str).collect(),
            sql: &v.sql,
            origin: (&v.origin).into(),
        }
    }
}

#[derive(Serialize)]
struct JsonRoutine<'a> {
    name: &'a str,
    kind: RoutineKind,
    table: Option<&'a str>,
    function: Option<&'a str>,
    language: Option<&'a str>,
    tables: Vec<&'a str>,
    sql: &'a str,
    origin: JsonOrigin<'a>,
}

impl<'a> From<&'a Routine> for JsonRoutine<'a> {
    fn from(r: &'a Routine) -> Self {
        JsonRoutine {
            name: &r.name,
            kind: r.kind,
            table: r.table.as_deref(),
            function: r.function.as_deref(),
            language: r.language.as_deref(),
            tables: r.tables.iter().map(String::as_str).collect(),
            sql: &r.sql,
            origin: (&r.origin).into(),
        }
    }
}

#[derive(Serialize)]
struct JsonSetting<'a> {
    name: &'a str,
    value: &'a str,
    origin: JsonOrigin<'a>,
}

impl<'a> From<&'a Setting> for JsonSetting<'a> {
    fn from(s: &'a Setting) -> Self {
        JsonSetting { name: &s.name, value: &s.value, origin: (&s.origin).into() }
    }
}

#[derive(Serialize)]
struct JsonDataStatement<'a> {
    sql: &'a str,
    origin: JsonOrigin<'a>,
}

impl<'a> From<&'a DataStatement> for JsonDataStatement<'a> {
    fn from(d: &'a DataStatement) -> Self {
        JsonDataStatement { sql: &d.sql, origin: (&d.origin).into() }
    }
}

#[derive(Serialize)]
struct JsonQueryHint<'a> {
    table: &'a str,
    kind: QueryHintKind,
    columns: Vec<&'a str>,
    descending: bool,
    origin: JsonOrigin<'a>,
}

impl<'a> From<&'a QueryHint> for JsonQueryHint<'a> {
    fn from(q: &'a QueryHint) -> Self {
        JsonQueryHint {
            table: &q.table,
            kind: q.kind,
            columns: q.columns.iter().map(String::as_str).collect(),
            descending: q.descending,
            origin: (&q.origin).into(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use model::{DataType, Generated, Notation, Origin, Table, TypeKind};

    #[test]
    fn generated_columns_carry_their_expression() {
        let origin = Origin::new("t.md".into(), 1, 1, Notation::Sql);
        let mut t = Table::new("items", origin.clone());
        t.columns.push(Column::new(
            "price",
            DataType::new(TypeKind::Decimal { precision: None, scale: None }, "numeric"),
            origin.clone(),
        ));
        let mut total =
            Column::new("total", DataType::new(TypeKind::Decimal { precision: None, scale: None }, "numeric"), origin);
        total.generated = Some(Generated { expr: "price * 1.1".into(), stored: true });
        t.columns.push(total);
        let schema = Schema { tables: vec![t], ..Schema::default() };
        let value: serde_json::Value = serde_json::from_str(&schema_json(&schema)).expect("valid JSON");
        let cols = &value["tables"][0]["columns"];
        assert_eq!(cols[0]["generated"], serde_json::Value::Null);
        assert_eq!(cols[1]["generated"], serde_json::json!({"expr": "price * 1.1", "stored": true}));
    }
}
