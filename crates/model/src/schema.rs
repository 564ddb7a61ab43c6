use crate::names::{is_default_namespace, namespace_eq, qualified_name, reference_eq, split_qualified, table_key};
use crate::{name_eq, DataType, DefaultValue, Origin, ReferentialAction};
use serde::Serialize;

/// The canonical schema a document describes, or a live database holds.
///
/// Element order is the order of first definition; [`crate::dependency_order`] gives creation order.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Schema {
    pub tables: Vec<Table>,
    /// Indexes, each naming its table (an index may name a table that does not exist: a finding).
    pub indexes: Vec<Index>,
    pub enums: Vec<Enum>,
    pub extensions: Vec<Extension>,
    pub views: Vec<View>,
    /// Functions, procedures and triggers, kept whole.
    pub routines: Vec<Routine>,
    /// Connection settings the document asks for (`PRAGMA journal_mode = WAL`).
    pub settings: Vec<Setting>,
    /// Statements that change data, not schema (`UPDATE … SET`), kept for data migrations.
    pub data_statements: Vec<DataStatement>,
    /// How the document says tables are queried ("lists are read `created_at DESC`"), so that
    /// checks can ask whether an index supports it.
    pub query_hints: Vec<QueryHint>,
    /// Renames the document declares, so that migrations keep the data instead of dropping and adding.
    pub renames: Vec<Rename>,
    /// Database schemas (namespaces) the document creates (`CREATE SCHEMA orchard`).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub namespaces: Vec<Namespace>,
    /// Types the document defines other than enums (`CREATE DOMAIN`, composite `CREATE TYPE`):
    /// not modelled further, but columns may be of them.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub types: Vec<TypeDef>,
    /// The SQL dialect the document's SQL is spelled in, when its blocks say (a label, or words
    /// only one engine has): an engine keeps a column type written in its own dialect as written.
    #[serde(skip)]
    pub sql_dialect: Option<crate::SqlDialect>,
}

impl Schema {
    /// The table a reference names (`orchard.trees`, `public.trees`, `trees`).
    ///
    /// An unqualified name is a table of the default schema (`public`, `dbo`: see
    /// [`is_default_namespace`]); when the default schema has none, the one table of that name in
    /// another schema, if there is exactly one (a document that sets a search path).
    pub fn table(&self, name: &str) -> Option<&Table> {
        self.table_position(name).map(|i| &self.tables[i])
    }

    pub fn table_mut(&mut self, name: &str) -> Option<&mut Table> {
        self.table_position(name).map(|i| &mut self.tables[i])
    }

    /// The position in [`Schema::tables`] of the table `name` names, resolved as [`Schema::table`] does.
    pub fn table_position(&self, name: &str) -> Option<usize> {
        let (namespace, bare) = split_qualified(name);
        if let Some(i) = self.tables.iter().position(|t| t.is_named_parts(namespace, bare)) {
            return Some(i);
        }
        if namespace.is_some() {
            return None;
        }
        let mut elsewhere = self.tables.iter().enumerate().filter(|(_, t)| name_eq(&t.name, name));
        match (elsewhere.next(), elsewhere.next()) {
            (Some((i, _)), None) => Some(i),
            _ => None,
        }
    }

    /// The indexes declared on `table` (a reference, resolved as [`Schema::table`] does).
    pub fn indexes_of<'a>(&'a self, table: &str) -> impl Iterator<Item = &'a Index> + use<'a> {
        let target = self.table_position(table);
        let reference = table.to_string();
        self.indexes.iter().filter(move |i| match target {
            Some(t) => self.resolves_to(&i.table, t),
            None => reference_eq(&i.table, &reference),
        })
    }

    /// Whether `reference` resolves to the table at `position`, as [`Schema::table_position`] would
    /// resolve it; linear only for the references that name that table.
    fn resolves_to(&self, reference: &str, position: usize) -> bool {
        let table = &self.tables[position];
        if table.is_named(reference) {
            // The first table of a key wins: a later duplicate is never the one a reference names.
            return !self.tables[..position].iter().any(|t| t.is_named(reference));
        }
        let (namespace, bare) = split_qualified(reference);
        namespace.is_none() && name_eq(&table.name, bare) && self.table_position(reference) == Some(position)
    }

    /// Whether the document creates the database schema `namespace`, or places a table in it.
    pub fn has_namespace(&self, namespace: &str) -> bool {
        is_default_namespace(namespace)
            || self.namespaces.iter().any(|n| name_eq(&n.name, namespace))
            || self.tables.iter().any(|t| t.namespace.as_deref().is_some_and(|n| name_eq(n, namespace)))
    }

    pub fn enum_named(&self, name: &str) -> Option<&Enum> {
        self.enums.iter().find(|e| name_eq(&e.name, name))
    }

    pub fn has_extension(&self, name: &str) -> bool {
        self.extensions.iter().any(|e| name_eq(&e.name, name))
    }
}

/// Storage options of a table, as the engines that have them spell them. An engine without an
/// option skips it with a note; a change of one the engine cannot alter rebuilds the table.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct TableOptions {
    /// SQLite `STRICT`: every value must be of its column's declared type.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub strict: bool,
    /// SQLite `WITHOUT ROWID`: rows are stored in primary-key order, without a rowid.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub without_rowid: bool,
    /// The default character set of the table's text columns (MySQL `DEFAULT CHARSET=utf8mb4`),
    /// when stated; unstated, the server's default, never drift.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub charset: Option<String>,
    /// The default collation of the table's text columns (MySQL `COLLATE=utf8mb4_unicode_ci`),
    /// when stated.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub collation: Option<String>,
}

impl TableOptions {
    pub fn is_default(&self) -> bool {
        *self == TableOptions::default()
    }
}

/// A table with everything declared on it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Table {
    pub name: String,
    /// The database schema (namespace) it lives in, when the document names one (`public.users`).
    pub namespace: Option<String>,
    pub columns: Vec<Column>,
    /// False when the document declares the table by name only (a catalog of tables, a
    /// relationship line of an ERD): it is known to exist, but its columns are not stated, so
    /// `columns` is empty and says nothing about the table. Such a table is compared by existence
    /// only and never created.
    pub columns_stated: bool,
    pub primary_key: Option<PrimaryKey>,
    pub uniques: Vec<Unique>,
    pub checks: Vec<Check>,
    pub foreign_keys: Vec<ForeignKey>,
    pub comment: Option<String>,
    /// How the engine stores the table (SQLite `STRICT`, `WITHOUT ROWID`).
    #[serde(skip_serializing_if = "TableOptions::is_default")]
    pub options: TableOptions,
    /// The group the document puts the table in (a DBML `TableGroup`), for diagrams that draw
    /// each group apart. Not part of the database.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub group: Option<String>,
    pub origin: Origin,
}

impl Table {
    pub fn new(name: impl Into<String>, origin: Origin) -> Self {
        Table {
            name: name.into(),
            namespace: None,
            columns: Vec::new(),
            columns_stated: true,
            primary_key: None,
            uniques: Vec::new(),
            checks: Vec::new(),
            foreign_keys: Vec::new(),
            comment: None,
            options: TableOptions::default(),
            group: None,
            origin,
        }
    }

    /// The name messages show: `orchard.trees`, or `trees` in the default schema.
    pub fn qualified_name(&self) -> String {
        qualified_name(self.namespace.as_deref(), &self.name)
    }

    /// The key under which tables are told apart: schema and name (see [`table_key`]).
    pub fn key(&self) -> String {
        table_key(self.namespace.as_deref(), &self.name)
    }

    /// A table known by name only: its columns are not stated (see [`Table::columns_stated`]).
    pub fn declared(name: impl Into<String>, origin: Origin) -> Self {
        Table { columns_stated: false, ..Table::new(name, origin) }
    }

    /// Whether the document declares this table by name only, without its columns.
    pub fn is_declared_only(&self) -> bool {
        !self.columns_stated
    }

    /// Whether a reference (`orchard.trees`, `trees`) names this table exactly.
    pub fn is_named(&self, reference: &str) -> bool {
        let (namespace, name) = split_qualified(reference);
        self.is_named_parts(namespace, name)
    }

    /// [`Table::is_named`] for a reference already split into schema and name, without allocating.
    fn is_named_parts(&self, namespace: Option<&str>, name: &str) -> bool {
        if self.name.contains('.') {
            // A name that holds a dot compares as its whole key, as `orchard.trees` written unsplit.
            return table_key(namespace, name) == self.key();
        }
        name_eq(&self.name, name) && namespace_eq(self.namespace.as_deref(), namespace)
    }

    pub fn column(&self, name: &str) -> Option<&Column> {
        self.columns.iter().find(|c| name_eq(&c.name, name))
    }

    pub fn column_mut(&mut self, name: &str) -> Option<&mut Column> {
        self.columns.iter_mut().find(|c| name_eq(&c.name, name))
    }

    /// Whether `columns` (in this order) are the primary key or a unique constraint.
    pub fn is_unique_key(&self, columns: &[String]) -> bool {
        let same = |a: &[String]| a.len() == columns.len() && a.iter().zip(columns).all(|(x, y)| name_eq(x, y));
        self.primary_key.as_ref().is_some_and(|pk| same(&pk.columns)) || self.uniques.iter().any(|u| same(&u.columns))
    }
}

/// What a column's notation actually said: a Mermaid attribute states neither nullability nor a
/// default, so its silence is not a disagreement.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct Stated {
    pub nullable: bool,
    pub default: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Column {
    pub name: String,
    #[serde(rename = "type")]
    pub ty: DataType,
    pub nullable: bool,
    /// A default the database applies.
    pub default: Option<DefaultValue>,
    /// How the database generates values (`SERIAL`, `AUTO_INCREMENT`, `GENERATED … AS IDENTITY`).
    pub identity: Option<Identity>,
    /// A default only the client applies (Prisma `uuid()`, `cuid()`, `@updatedAt`; SQLAlchemy
    /// `default=`): not part of the database.
    pub client_default: Option<String>,
    /// `ON UPDATE …` (MySQL) or SQLAlchemy `onupdate=`, as written.
    pub on_update: Option<String>,
    pub comment: Option<String>,
    /// The expression the database computes the column from (`GENERATED ALWAYS AS (…)`), when
    /// the column is a generated one.
    pub generated: Option<Generated>,
    /// The column's character set (MySQL `CHARACTER SET utf8mb4`), when stated; unstated, the
    /// table's, never drift.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub charset: Option<String>,
    /// The column's collation (`COLLATE utf8mb4_unicode_ci`), when stated.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub collation: Option<String>,
    pub stated: Stated,
    pub origin: Origin,
}

impl Column {
    /// A nullable column without default, as most notations mean by a bare name and type.
    pub fn new(name: impl Into<String>, ty: DataType, origin: Origin) -> Self {
        Column {
            name: name.into(),
            ty,
            nullable: true,
            default: None,
            identity: None,
            client_default: None,
            on_update: None,
            comment: None,
            generated: None,
            charset: None,
            collation: None,
            stated: Stated { nullable: true, default: true },
            origin,
        }
    }
}

/// A generated (computed) column's definition: `GENERATED ALWAYS AS (expr) STORED` (PostgreSQL,
/// SQLite), `AS (expr) VIRTUAL` (MySQL/MariaDB).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Generated {
    /// The expression, as written (without the surrounding parentheses).
    pub expr: String,
    /// Whether the values are stored (`STORED`) rather than computed when read (`VIRTUAL`).
    pub stored: bool,
}

/// How a database generates a column's values.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Identity {
    /// PostgreSQL `SERIAL`/`BIGSERIAL`, Prisma `autoincrement()`.
    Serial,
    /// `GENERATED ALWAYS AS IDENTITY`.
    Always,
    /// `GENERATED BY DEFAULT AS IDENTITY`.
    ByDefault,
    /// MySQL `AUTO_INCREMENT`, SQLite `AUTOINCREMENT` or an `INTEGER PRIMARY KEY` rowid alias
    /// marked as auto-generated.
    AutoIncrement,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PrimaryKey {
    pub name: Option<String>,
    pub columns: Vec<String>,
    pub origin: Origin,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Unique {
    pub name: Option<String>,
    pub columns: Vec<String>,
    pub origin: Origin,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Check {
    pub name: Option<String>,
    /// The boolean expression, as written.
    pub expr: String,
    /// The columns the expression mentions (identifiers that are not keywords or functions).
    pub columns: Vec<String>,
    pub origin: Origin,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ForeignKey {
    pub name: Option<String>,
    /// The referencing columns. Empty when the document states only that the tables are related
    /// (a relationship line between tables whose columns are not stated): the relationship is
    /// kept for diagrams and docs, but no column name is invented and no constraint is created.
    pub columns: Vec<String>,
    pub ref_table: String,
    /// Empty means the referenced table's primary key.
    pub ref_columns: Vec<String>,
    pub on_delete: Option<ReferentialAction>,
    pub on_update: Option<ReferentialAction>,
    /// True when the target was guessed (from a column name or a relationship line), not written.
    pub inferred: bool,
    pub origin: Origin,
}

impl ForeignKey {
    /// The columns the key references: its own list, or the target's primary key when it names none.
    pub fn referenced_columns(&self, target: &Table) -> Vec<String> {
        if self.ref_columns.is_empty() {
            target.primary_key.as_ref().map(|pk| pk.columns.clone()).unwrap_or_default()
        } else {
            self.ref_columns.clone()
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Index {
    pub name: Option<String>,
    pub table: String,
    pub parts: Vec<IndexPart>,
    pub unique: bool,
    /// The access method (`btree`, `gin`, `ivfflat`), when one is named.
    pub method: Option<String>,
    /// A partial index's `WHERE` predicate, as written.
    pub predicate: Option<String>,
    /// `INCLUDE (…)` columns.
    pub include: Vec<String>,
    pub origin: Origin,
}

impl Index {
    /// The plain column names this index starts with, up to the first expression.
    pub fn leading_columns(&self) -> Vec<&str> {
        self.parts.iter().map_while(|p| p.column.as_deref()).collect()
    }
}

/// One key of an index: a column or an expression.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct IndexPart {
    /// The column, when the part is a plain column.
    pub column: Option<String>,
    /// The expression, when it is not (`lower(email)`, `to_tsvector('english', name)`).
    pub expr: Option<String>,
    pub descending: bool,
    /// An operator class (`vector_cosine_ops`).
    pub opclass: Option<String>,
}

impl IndexPart {
    pub fn column(name: impl Into<String>) -> Self {
        IndexPart { column: Some(name.into()), expr: None, descending: false, opclass: None }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Enum {
    pub name: String,
    pub values: Vec<String>,
    pub origin: Origin,
}

/// A type the document defines that is not an enum (a domain, a composite type): its name and where.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct TypeDef {
    pub name: String,
    pub origin: Origin,
}

/// A database schema (namespace) the document creates: `CREATE SCHEMA orchard`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Namespace {
    pub name: String,
    pub origin: Origin,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Extension {
    pub name: String,
    pub origin: Origin,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct View {
    pub name: String,
    /// The full `CREATE VIEW` statement as written.
    pub sql: String,
    pub materialized: bool,
    /// Tables the query names.
    pub tables: Vec<String>,
    pub origin: Origin,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum RoutineKind {
    Function,
    Procedure,
    Trigger,
}

/// A function, procedure or trigger, kept whole.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Routine {
    pub kind: RoutineKind,
    pub name: String,
    /// The full statement as written.
    pub sql: String,
    /// `plpgsql`, `sql`, … when stated.
    pub language: Option<String>,
    /// For a trigger: the table it is attached to.
    pub table: Option<String>,
    /// For a trigger: the function it executes.
    pub function: Option<String>,
    /// Tables the body reads or writes (best effort).
    pub tables: Vec<String>,
    pub origin: Origin,
}

/// A connection setting (`PRAGMA foreign_keys = ON`), to apply when connecting.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Setting {
    pub name: String,
    pub value: String,
    pub origin: Origin,
}

/// A statement that changes data (INSERT/UPDATE/DELETE), kept for data migrations.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct DataStatement {
    pub sql: String,
    pub origin: Origin,
}

/// A way the document says a table is queried.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct QueryHint {
    pub table: String,
    pub kind: QueryHintKind,
    pub columns: Vec<String>,
    /// For [`QueryHintKind::OrderBy`]: whether the order is descending.
    pub descending: bool,
    pub origin: Origin,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum QueryHintKind {
    /// Rows are read sorted by the columns.
    OrderBy,
    /// Rows are looked up by equality on the columns.
    Filter,
    /// Rows are searched with `LIKE` on the columns.
    Like,
}

/// A rename the document declares (`<!-- schemadoc:renamed from=users.name to=users.full_name -->`, or
/// `schemadoc:renamed from=name` in a column's comment).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Rename {
    /// For a column rename, the table (by its new name); `None` for a table rename.
    pub table: Option<String>,
    pub from: String,
    /// The new name; empty when the document gives only the old one
    /// (`<!-- schemadoc:renamed from=name -->`): then it is the one column the table gains.
    pub to: String,
    pub origin: Origin,
}
