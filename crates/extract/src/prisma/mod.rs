//! Prisma schema front-end: all ```prisma blocks of all documents form one schema (a schema is
//! often split over many blocks, with `datasource` in one of them), lowered to tables as Prisma
//! Migrate would create them for the datasource's provider.

mod syntax;
mod types;
mod unfenced;

use crate::frontend::Partial;
use crate::scan::{BlockLang, Document, Item};
use model::{
    edit_distance, Column, DataType, Diagnostic, Enum, ForeignKey, Index, IndexPart, Notation, Origin, PrimaryKey,
    ReferentialAction, RuleInfo, Span, Stated, Table, TypeKind, Unique,
};
use std::collections::{BTreeMap, BTreeSet};
use std::sync::Arc;
use syntax::{Attr, Decl, DeclKind, Expr, ExprKind, Field, Member, Pos};
pub use types::Provider;

model::declare_rule! {
    /// What it does: flags Prisma text that cannot be read: a line that is not a field or
    /// attribute, an unclosed `{` or string, an unmatched `}`.
    ///
    /// Why it matters: `prisma generate` rejects the schema, and schemadoc cannot know what the
    /// unreadable line meant, so it is left out of the model.
    ///
    /// Example: `model User { id String @id` with no closing `}`.
    pub PRISMA_SYNTAX_ERROR = "prisma-syntax-error", Error
}

model::declare_rule! {
    /// What it does: flags attributes Prisma does not know (`@primary`, `@@indexes`) and native
    /// types written without the `@db.` prefix.
    ///
    /// Why it matters: Prisma rejects the schema; the constraint the author meant is not in the
    /// model.
    ///
    /// Example: `email String @uniqe` — write `@unique`.
    pub PRISMA_UNKNOWN_ATTRIBUTE = "prisma-unknown-attribute", Warning
}

model::declare_rule! {
    /// What it does: flags a field whose type is neither a Prisma scalar nor a model, enum or
    /// composite type defined in the documents.
    ///
    /// Why it matters: a relation to a model that does not exist has no table to reference, so
    /// no foreign key or column can be made for it.
    ///
    /// Example: `author Autor @relation(fields: [authorId], references: [id])`.
    pub PRISMA_UNKNOWN_MODEL = "prisma-unknown-model", Error
}

model::declare_rule! {
    /// What it does: flags a field name in `@relation(fields:/references:)`, `@@id`,
    /// `@@unique` or `@@index` that is not a field of the model.
    ///
    /// Why it matters: the key or index cannot be built; Prisma rejects the schema.
    ///
    /// Example: `@@index([userID])` in a model whose field is `userId`.
    pub PRISMA_UNKNOWN_FIELD = "prisma-unknown-field", Error
}

model::declare_rule! {
    /// What it does: flags relations that cannot be turned into a foreign key: `fields:` and
    /// `references:` of different lengths, a relation without an opposite field, or a one-to-one
    /// relation where neither side says which fields hold the key.
    ///
    /// Why it matters: Prisma rejects the schema, and the documents do not say which column
    /// references which.
    ///
    /// Example: `@relation(fields: [a, b], references: [id])`.
    pub PRISMA_INVALID_RELATION = "prisma-invalid-relation", Error
}

model::declare_rule! {
    /// What it does: flags a model, enum, field or datasource defined twice across the Prisma
    /// blocks of the documents.
    ///
    /// Why it matters: the blocks form one schema; Prisma rejects duplicates, and only the first
    /// definition is used.
    ///
    /// Example: two blocks each holding `model User { … }`.
    pub PRISMA_DUPLICATE_DEFINITION = "prisma-duplicate-definition", Error
}

model::declare_rule! {
    /// What it does: notes Prisma blocks that create no table: `view`s, composite `type`s
    /// (MongoDB), models marked `@@ignore` and fields of composite types.
    ///
    /// Why it matters: they are left out of the schema on purpose; this says so, so that a
    /// missing table is not a surprise.
    ///
    /// Example: `view UserInfo { … }`.
    pub PRISMA_SKIPPED = "prisma-skipped", Info
}

/// The rules this front-end reports.
pub const RULES: &[RuleInfo] = &[
    PRISMA_SYNTAX_ERROR,
    PRISMA_UNKNOWN_ATTRIBUTE,
    PRISMA_UNKNOWN_MODEL,
    PRISMA_UNKNOWN_FIELD,
    PRISMA_INVALID_RELATION,
    PRISMA_DUPLICATE_DEFINITION,
    PRISMA_SKIPPED,
];

const FIELD_ATTRIBUTES: &[&str] = &["id", "default", "unique", "map", "updatedAt", "relation", "ignore", "shardKey"];

/// The `@@` attributes a model may carry.
const MODEL_ATTRIBUTES: &[&str] = &["id", "unique", "index", "fulltext", "schema", "map", "ignore", "shardKey"];

/// The `@@` attributes an enum may carry.
const ENUM_ATTRIBUTES: &[&str] = &["map", "schema"];

/// A declaration with the file it came from.
struct Src {
    file: Arc<str>,
    decl: Decl,
}

impl Src {
    fn origin(&self, pos: Pos) -> Origin {
        Origin::new(self.file.clone(), pos.line, pos.column, Notation::Prisma)
    }

    fn span(&self, pos: Pos, len: usize) -> Span {
        Span::new(self.file.clone(), pos.line, pos.column, len as u32)
    }

    fn fields(&self) -> impl Iterator<Item = &Field> {
        self.decl.members.iter().filter_map(|m| if let Member::Field(f) = m { Some(f) } else { None })
    }

    fn block_attrs(&self) -> impl Iterator<Item = &Attr> {
        self.decl.members.iter().filter_map(|m| if let Member::Attr(a) = m { Some(a) } else { None })
    }

    fn block_attr(&self, name: &str) -> Option<&Attr> {
        self.block_attrs().find(|a| a.name == name)
    }

    /// The `@@map`ped name, else the declared one.
    fn db_name(&self) -> String {
        self.block_attr("map")
            .and_then(|a| a.arg("name", Some(0)))
            .and_then(Expr::as_str)
            .unwrap_or(&self.decl.name)
            .to_string()
    }
}

fn field_attr<'a>(f: &'a Field, name: &str) -> Option<&'a Attr> {
    f.attrs.iter().find(|a| a.name == name)
}

/// The `@map`ped column name of a field, else its name.
fn column_name(f: &Field) -> String {
    field_attr(f, "map").and_then(|a| a.arg("name", Some(0))).and_then(Expr::as_str).unwrap_or(&f.name).to_string()
}

/// What a model looks like from the outside: its table and the columns of its scalar fields.
struct ModelInfo {
    src: usize,
    table: String,
    /// Field name → column name, for scalar fields.
    columns: BTreeMap<String, String>,
    /// The id fields (`@id` or `@@id`), as field names.
    id_fields: Vec<String>,
    ignored: bool,
}

/// What a field's type names.
enum FieldKind<'a> {
    Scalar(&'a str),
    Unsupported(&'a str),
    Enum(usize),
    Relation(usize),
    Composite,
    View,
    Unknown,
}

struct Ctx {
    srcs: Vec<Src>,
    provider: Provider,
    models: BTreeMap<String, usize>,
    enums: BTreeMap<String, usize>,
    composites: BTreeSet<String>,
    views: BTreeSet<String>,
    infos: BTreeMap<usize, ModelInfo>,
    diagnostics: Vec<Diagnostic>,
}

/// Reads every ```prisma block of `docs`, and Prisma written outside a fence, as one schema.
pub fn extract(docs: &[Document]) -> Partial {
    let mut partial = Partial::new(Notation::Prisma);
    let mut ctx = Ctx {
        srcs: Vec::new(),
        provider: Provider::Postgres,
        models: BTreeMap::new(),
        enums: BTreeMap::new(),
        composites: BTreeSet::new(),
        views: BTreeSet::new(),
        infos: BTreeMap::new(),
        diagnostics: Vec::new(),
    };
    for doc in docs {
        for item in &doc.items {
            let Item::Block(block) = item else { continue };
            if block.lang != BlockLang::Prisma {
                continue;
            }
            let parsed = syntax::parse(block);
            partial.mark_read(&doc.file, block.fence_line);
            for e in parsed.errors {
                ctx.diagnostics
                    .push(PRISMA_SYNTAX_ERROR.at(Span::new(doc.file.clone(), e.pos.line, e.pos.column, 0), e.message));
            }
            ctx.srcs.extend(parsed.decls.into_iter().map(|decl| Src { file: doc.file.clone(), decl }));
        }
        for run in unfenced::runs(doc) {
            let parsed = syntax::parse(&run.block);
            if parsed.decls.is_empty() {
                continue;
            }
            for line in run.lines {
                partial.mark_read(&doc.file, line);
            }
            for e in parsed.errors {
                ctx.diagnostics
                    .push(PRISMA_SYNTAX_ERROR.at(Span::new(doc.file.clone(), e.pos.line, e.pos.column, 0), e.message));
            }
            ctx.srcs.extend(parsed.decls.into_iter().map(|decl| Src { file: doc.file.clone(), decl }));
        }
    }
    ctx.index();
    ctx.read_provider();
    ctx.model_infos();
    let enums = ctx.lower_enums();
    partial.schema.enums = enums;
    let model_ids: Vec<usize> = ctx.infos.keys().copied().collect();
    let mut order: Vec<usize> = model_ids;
    order.sort();
    let mut tables = Vec::new();
    let mut indexes = Vec::new();
    for i in order {
        if ctx.infos.get(&i).is_some_and(|m| !m.ignored) {
            let (table, idx) = ctx.lower_model(i);
            tables.push(table);
            indexes.extend(idx);
        }
    }
    let (join_tables, join_indexes) = ctx.relations(&mut tables);
    tables.extend(join_tables);
    indexes.extend(join_indexes);
    partial.schema.tables = tables;
    partial.schema.indexes = indexes;
    partial.diagnostics = ctx.diagnostics;
    partial
}

impl Ctx {
    /// Names every model, enum, view and composite type; reports duplicates.
    fn index(&mut self) {
        let mut seen: BTreeMap<String, usize> = BTreeMap::new();
        for (i, src) in self.srcs.iter().enumerate() {
            let d = &src.decl;
            if matches!(d.kind, DeclKind::Generator) {
                continue;
            }
            let key = if d.kind == DeclKind::Datasource { "datasource".to_string() } else { d.name.clone() };
            if let Some(&first) = seen.get(&key) {
                let f = &self.srcs[first];
                self.diagnostics.push(
                    PRISMA_DUPLICATE_DEFINITION
                        .at(
                            src.span(d.name_pos, d.name.chars().count()),
                            format!("{} `{}` is defined twice; the first definition is used", d.kind.keyword(), d.name),
                        )
                        .with_related(f.span(f.decl.name_pos, f.decl.name.chars().count()), "first defined here"),
                );
                continue;
            }
            seen.insert(key, i);
            match d.kind {
                DeclKind::Model => {
                    self.models.insert(d.name.clone(), i);
                }
                DeclKind::Enum => {
                    self.enums.insert(d.name.clone(), i);
                }
                DeclKind::View => {
                    self.views.insert(d.name.clone());
                    self.diagnostics.push(PRISMA_SKIPPED.at(
                        src.span(d.name_pos, d.name.chars().count()),
                        format!(
                            "view `{}` is not a table: Prisma Migrate does not create views; it is skipped",
                            d.name
                        ),
                    ));
                }
                DeclKind::Type => {
                    self.composites.insert(d.name.clone());
                    self.diagnostics.push(PRISMA_SKIPPED.at(
                        src.span(d.name_pos, d.name.chars().count()),
                        format!("composite type `{}` (MongoDB) is not a table; it is skipped", d.name),
                    ));
                }
                DeclKind::Datasource | DeclKind::Generator => {}
            }
        }
    }

    fn read_provider(&mut self) {
        let Some(src) = self.srcs.iter().find(|s| s.decl.kind == DeclKind::Datasource) else { return };
        for m in &src.decl.members {
            let Member::Assign { key, value } = m else { continue };
            if key != "provider" {
                continue;
            }
            match value.as_str().and_then(Provider::parse) {
                Some(p) => self.provider = p,
                None => {
                    let d = PRISMA_SYNTAX_ERROR.at(
                        src.span(value.pos, value.text.chars().count()),
                        format!("unknown datasource provider {}; PostgreSQL is assumed", value.text),
                    );
                    self.diagnostics.push(d.with_help("use postgresql, mysql, sqlite, sqlserver or cockroachdb"));
                }
            }
        }
    }

    fn kind_of<'a>(&self, ty: &'a syntax::FieldType) -> FieldKind<'a> {
        if let Some(sql) = &ty.unsupported {
            return FieldKind::Unsupported(sql);
        }
        if types::is_scalar(&ty.name) {
            return FieldKind::Scalar(&ty.name);
        }
        if let Some(&i) = self.enums.get(&ty.name) {
            return FieldKind::Enum(i);
        }
        if let Some(&i) = self.models.get(&ty.name) {
            return FieldKind::Relation(i);
        }
        if self.composites.contains(&ty.name) {
            return FieldKind::Composite;
        }
        if self.views.contains(&ty.name) {
            return FieldKind::View;
        }
        FieldKind::Unknown
    }

    fn is_column(&self, f: &Field) -> bool {
        f.ty.as_ref().is_some_and(|t| {
            matches!(self.kind_of(t), FieldKind::Scalar(_) | FieldKind::Unsupported(_) | FieldKind::Enum(_))
        })
    }

    fn model_infos(&mut self) {
        let ids: Vec<usize> = self.models.values().copied().collect();
        for i in ids {
            let src = &self.srcs[i];
            let columns: BTreeMap<String, String> =
                src.fields().filter(|f| self.is_column(f)).map(|f| (f.name.clone(), column_name(f))).collect();
            let mut id_fields: Vec<String> =
                src.fields().filter(|f| field_attr(f, "id").is_some()).map(|f| f.name.clone()).collect();
            if id_fields.is_empty() {
                if let Some(a) = src.block_attr("id") {
                    id_fields = field_list(a.arg("fields", Some(0))).into_iter().map(|(n, _)| n).collect();
                }
            }
            let ignored = src.block_attr("ignore").is_some();
            if ignored {
                let d = PRISMA_SKIPPED.at(
                    src.span(src.decl.name_pos, src.decl.name.chars().count()),
                    format!("model `{}` is marked `@@ignore`; it and relations to it are skipped", src.decl.name),
                );
                self.diagnostics.push(d);
            }
            self.infos.insert(i, ModelInfo { src: i, table: src.db_name(), columns, id_fields, ignored });
        }
    }

    fn lower_enums(&mut self) -> Vec<Enum> {
        let mut ids: Vec<usize> = self.enums.values().copied().collect();
        ids.sort();
        let mut out = Vec::new();
        for i in ids {
            let src = &self.srcs[i];
            let values = src.fields().map(column_name).collect();
            out.push(Enum { name: src.db_name(), values, origin: src.origin(src.decl.name_pos) });
            for a in src.block_attrs() {
                if !ENUM_ATTRIBUTES.contains(&a.name.as_str()) {
                    self.diagnostics.push(unknown_attr(src, a, "on an enum", ENUM_ATTRIBUTES));
                }
            }
        }
        out
    }

    /// The enum's database value for `value` (its `@map`, else the value itself).
    fn enum_value(&self, enum_src: usize, value: &str) -> String {
        self.srcs[enum_src].fields().find(|f| f.name == value).map(column_name).unwrap_or_else(|| value.to_string())
    }

    fn lower_model(&mut self, i: usize) -> (Table, Vec<Index>) {
        let src = &self.srcs[i];
        let info = &self.infos[&i];
        let mut diags = Vec::new();
        let mut table = Table::new(info.table.clone(), src.origin(src.decl.name_pos));
        table.comment = src.decl.doc.clone();
        let mut indexes = Vec::new();
        let mut seen_fields: BTreeMap<&str, Pos> = BTreeMap::new();
        for f in src.fields() {
            if let Some(first) = seen_fields.insert(&f.name, f.pos) {
                diags.push(
                    PRISMA_DUPLICATE_DEFINITION
                        .at(
                            src.span(f.pos, f.name.chars().count()),
                            format!("field `{}.{}` is defined twice", src.decl.name, f.name),
                        )
                        .with_related(src.span(first, f.name.chars().count()), "first defined here"),
                );
                continue;
            }
            let Some(ty) = &f.ty else { continue };
            let kind = self.kind_of(ty);
            for a in &f.attrs {
                let known = FIELD_ATTRIBUTES.contains(&a.name.as_str()) || a.name.starts_with("db.");
                if !known {
                    diags.push(unknown_attr(src, a, "on a field", FIELD_ATTRIBUTES));
                }
            }
            match kind {
                FieldKind::Relation(_) => continue,
                FieldKind::Composite => {
                    diags.push(PRISMA_SKIPPED.at(
                        src.span(f.pos, f.name.chars().count()),
                        format!("field `{}.{}` has composite type `{}`; it is skipped", src.decl.name, f.name, ty.name),
                    ));
                    continue;
                }
                FieldKind::View => {
                    diags.push(PRISMA_SKIPPED.at(
                        src.span(f.pos, f.name.chars().count()),
                        format!("field `{}.{}` relates to view `{}`; it is skipped", src.decl.name, f.name, ty.name),
                    ));
                    continue;
                }
                FieldKind::Unknown => {
                    diags.push(PRISMA_UNKNOWN_MODEL.at(
                        src.span(ty.pos, ty.name.chars().count()),
                        format!(
                            "field `{}.{}` has type `{}`, which is not a scalar, model or enum",
                            src.decl.name, f.name, ty.name
                        ),
                    ));
                    continue;
                }
                FieldKind::Scalar(_) | FieldKind::Unsupported(_) | FieldKind::Enum(_) => {}
            }
            let column = self.lower_field(src, f, ty, &kind, &mut diags);
            let name = column.name.clone();
            if let Some(a) = field_attr(f, "id") {
                let map = a.arg("map", None).and_then(Expr::as_str).map(str::to_string);
                table.primary_key =
                    Some(PrimaryKey { name: map, columns: vec![name.clone()], origin: src.origin(f.pos) });
            }
            if let Some(a) = field_attr(f, "unique") {
                let map = a.arg("map", None).and_then(Expr::as_str).map(str::to_string);
                table.uniques.push(Unique { name: map, columns: vec![name], origin: src.origin(a.pos) });
            }
            table.columns.push(column);
        }
        for a in src.block_attrs() {
            let origin = src.origin(a.pos);
            match a.name.as_str() {
                "id" => {
                    let cols = self.columns_of(i, a.arg("fields", Some(0)), &mut diags);
                    let name = a.arg("map", None).and_then(Expr::as_str).map(str::to_string);
                    table.primary_key =
                        Some(PrimaryKey { name, columns: cols.into_iter().map(|p| p.0).collect(), origin });
                }
                "unique" => {
                    let cols = self.columns_of(i, a.arg("fields", Some(0)), &mut diags);
                    let name = a.arg("map", None).and_then(Expr::as_str).map(str::to_string);
                    table.uniques.push(Unique { name, columns: cols.into_iter().map(|p| p.0).collect(), origin });
                }
                "index" | "fulltext" => {
                    let parts = self
                        .columns_of(i, a.arg("fields", Some(0)), &mut diags)
                        .into_iter()
                        .map(|(c, desc, ops)| IndexPart { column: Some(c), expr: None, descending: desc, opclass: ops })
                        .collect();
                    let name =
                        a.arg("map", None).or_else(|| a.arg("name", None)).and_then(Expr::as_str).map(str::to_string);
                    let method = if a.name == "fulltext" {
                        Some("fulltext".to_string())
                    } else {
                        a.arg("type", None).and_then(Expr::as_ident).map(|t| t.to_ascii_lowercase())
                    };
                    indexes.push(Index {
                        name,
                        table: table.name.clone(),
                        parts,
                        unique: false,
                        method,
                        predicate: None,
                        include: Vec::new(),
                        origin,
                    });
                }
                "schema" => table.namespace = a.arg("name", Some(0)).and_then(Expr::as_str).map(str::to_string),
                "map" | "ignore" | "shardKey" => {}
                _ => diags.push(unknown_attr(src, a, "on a model", MODEL_ATTRIBUTES)),
            }
        }
        self.diagnostics.extend(diags);
        (table, indexes)
    }

    fn lower_field(
        &self,
        src: &Src,
        f: &Field,
        ty: &syntax::FieldType,
        kind: &FieldKind,
        diags: &mut Vec<Diagnostic>,
    ) -> Column {
        let native = f.attrs.iter().find(|a| a.name.starts_with("db."));
        let base = match kind {
            FieldKind::Scalar(name) => match native {
                Some(a) => types::native_kind(&a.name["db.".len()..], &a.args),
                None => types::scalar_kind(self.provider, name),
            },
            FieldKind::Unsupported(sql) => crate::types::parse_sql_type(sql).kind,
            FieldKind::Enum(e) => TypeKind::Enum { name: self.srcs[*e].db_name() },
            _ => TypeKind::Other { raw: ty.name.clone() },
        };
        let kind_out = if ty.list { TypeKind::Array { of: Box::new(base) } } else { base };
        let spelling = match native {
            Some(a) => format!("{} {}", ty.text, a.text),
            None => ty.text.clone(),
        };
        let mut col = Column::new(column_name(f), DataType::new(kind_out, spelling), src.origin(f.pos));
        // NOTE: Prisma Migrate emits scalar lists (`String[]`) without NOT NULL on PostgreSQL.
        col.nullable = ty.optional || ty.list;
        col.stated = Stated { nullable: true, default: true };
        col.comment = f.comment.clone();
        if field_attr(f, "updatedAt").is_some() {
            col.client_default = Some("@updatedAt".to_string());
        }
        if let Some(a) = field_attr(f, "default") {
            match a.arg("value", Some(0)) {
                Some(value) => self.apply_default(&mut col, value, kind),
                None => diags
                    .push(PRISMA_SYNTAX_ERROR.at(src.span(a.pos, a.text.chars().count()), "`@default` needs a value")),
            }
        }
        col
    }

    fn apply_default(&self, col: &mut Column, value: &Expr, kind: &FieldKind) {
        use model::DefaultValue as D;
        match &value.kind {
            ExprKind::Call { name, args } => match name.as_str() {
                "autoincrement" | "sequence" => col.identity = Some(self.provider.autoincrement()),
                "now" => col.default = Some(D::CurrentTimestamp),
                "dbgenerated" => {
                    col.default = Some(match args.first().and_then(|a| a.value.as_str()) {
                        Some(sql) => crate::types::parse_sql_default(sql),
                        None => D::Raw(value.text.clone()),
                    })
                }
                // NOTE: uuid(), cuid(), nanoid(), ulid() and auto() are generated by Prisma Client;
                // the database column has no default.
                _ => col.client_default = Some(value.text.clone()),
            },
            ExprKind::Str(s) => col.default = Some(D::String(s.clone())),
            ExprKind::Num(n) => col.default = Some(D::Number(n.clone())),
            ExprKind::Ident(word) => {
                col.default = Some(match (word.as_str(), kind) {
                    ("true", _) => D::Bool(true),
                    ("false", _) => D::Bool(false),
                    (_, FieldKind::Enum(e)) => D::String(self.enum_value(*e, word)),
                    _ => D::String(word.clone()),
                })
            }
            ExprKind::Array(items) => {
                // NOTE: a list default is a PostgreSQL array literal: `@default([])` is `'{}'`.
                let parts: Vec<String> = items
                    .iter()
                    .map(|e| match &e.kind {
                        ExprKind::Str(s) | ExprKind::Num(s) | ExprKind::Ident(s) => match kind {
                            FieldKind::Enum(en) => self.enum_value(*en, s),
                            _ => s.clone(),
                        },
                        _ => e.text.clone(),
                    })
                    .collect();
                col.default = Some(D::String(format!("{{{}}}", parts.join(","))));
            }
        }
    }

    /// The columns a field list (`[a, b(sort: Desc)]`) names in model `i`, with sort order and
    /// operator class; unknown fields are reported.
    fn columns_of(
        &self,
        i: usize,
        list: Option<&Expr>,
        diags: &mut Vec<Diagnostic>,
    ) -> Vec<(String, bool, Option<String>)> {
        let info = &self.infos[&i];
        let src = &self.srcs[info.src];
        let mut out = Vec::new();
        for (field, expr) in field_list(list) {
            let desc = attr_args(expr).iter().any(|a| {
                a.name.as_deref() == Some("sort") && a.value.as_ident().is_some_and(|v| v.eq_ignore_ascii_case("desc"))
            });
            let ops = attr_args(expr).iter().find(|a| a.name.as_deref() == Some("ops")).map(|a| match &a.value.kind {
                ExprKind::Call { name, args } if name == "raw" => {
                    args.first().and_then(|x| x.value.as_str()).unwrap_or_default().to_string()
                }
                _ => types::ops_name(&a.value.text),
            });
            match info.columns.get(&field) {
                Some(c) => out.push((c.clone(), desc, ops)),
                None => diags.push(PRISMA_UNKNOWN_FIELD.at(
                    src.span(expr.pos, field.chars().count()),
                    format!("`{field}` is not a scalar field of model `{}`", src.decl.name),
                )),
            }
        }
        out
    }

    /// Foreign keys from `@relation(fields:, references:)`, join tables of implicit many-to-many
    /// relations, and reports of relations that say nothing usable.
    fn relations(&mut self, tables: &mut [Table]) -> (Vec<Table>, Vec<Index>) {
        let mut join_tables = Vec::new();
        let mut join_indexes = Vec::new();
        let mut made_joins: BTreeSet<String> = BTreeSet::new();
        let ids: Vec<usize> = self.infos.keys().copied().collect();
        let mut diags = Vec::new();
        for i in ids {
            let info = &self.infos[&i];
            if info.ignored {
                continue;
            }
            let src = &self.srcs[i];
            for f in src.fields() {
                let Some(ty) = &f.ty else { continue };
                let FieldKind::Relation(target) = self.kind_of(ty) else { continue };
                let tinfo = &self.infos[&target];
                let rel = field_attr(f, "relation");
                let rel_name = rel.and_then(|a| a.arg("name", Some(0))).and_then(Expr::as_str);
                let fields = rel.and_then(|a| a.arg("fields", None));
                if tinfo.ignored {
                    continue;
                }
                if let (Some(rel), Some(fields)) = (rel, fields) {
                    let refs = rel.arg("references", None);
                    let cols = self.columns_of(i, Some(fields), &mut diags);
                    let ref_cols = self.columns_of(target, refs, &mut diags);
                    let (nf, nr) = (field_list(Some(fields)).len(), field_list(refs).len());
                    if nf != nr || nf == 0 {
                        diags.push(PRISMA_INVALID_RELATION.at(
                            src.span(rel.pos, rel.text.chars().count()),
                            format!(
                                "relation `{}.{}` lists {nf} field(s) but {nr} reference(s); no foreign key is made",
                                src.decl.name, f.name
                            ),
                        ));
                        continue;
                    }
                    if cols.len() != nf || ref_cols.len() != nr {
                        continue;
                    }
                    let action =
                        |key: &str| rel.arg(key, None).and_then(Expr::as_ident).and_then(ReferentialAction::parse);
                    // NOTE: Prisma Migrate writes its implicit actions into the database: ON UPDATE
                    // CASCADE, and ON DELETE SET NULL for an optional relation, RESTRICT for a required one.
                    let on_delete = action("onDelete").or(Some(if ty.optional {
                        ReferentialAction::SetNull
                    } else {
                        ReferentialAction::Restrict
                    }));
                    let on_update = action("onUpdate").or(Some(ReferentialAction::Cascade));
                    let fk = ForeignKey {
                        name: rel.arg("map", None).and_then(Expr::as_str).map(str::to_string),
                        columns: cols.into_iter().map(|c| c.0).collect(),
                        ref_table: tinfo.table.clone(),
                        ref_columns: ref_cols.into_iter().map(|c| c.0).collect(),
                        on_delete,
                        on_update,
                        inferred: false,
                        origin: src.origin(f.pos),
                    };
                    if let Some(t) = tables.iter_mut().find(|t| t.name == info.table) {
                        t.foreign_keys.push(fk);
                    }
                    continue;
                }
                // No `fields:` here: the other side must hold the key, or this is an implicit
                // many-to-many relation.
                let tsrc = &self.srcs[target];
                let opposite: Vec<&Field> = tsrc
                    .fields()
                    .filter(|g| !(target == i && g.name == f.name))
                    .filter(|g| g.ty.as_ref().is_some_and(|t| t.name == src.decl.name))
                    .filter(|g| {
                        field_attr(g, "relation").and_then(|a| a.arg("name", Some(0))).and_then(Expr::as_str)
                            == rel_name
                    })
                    .collect();
                let holds_key = |g: &&Field| field_attr(g, "relation").and_then(|a| a.arg("fields", None)).is_some();
                if opposite.iter().any(holds_key) {
                    continue;
                }
                let list_opposite = opposite.iter().find(|g| g.ty.as_ref().is_some_and(|t| t.list));
                match (ty.list, list_opposite) {
                    (true, Some(_)) => {
                        let (a, b) = if src.decl.name <= tsrc.decl.name { (i, target) } else { (target, i) };
                        let name = match rel_name {
                            Some(n) => format!("_{n}"),
                            None => format!("_{}To{}", self.srcs[a].decl.name, self.srcs[b].decl.name),
                        };
                        if made_joins.insert(name.clone()) {
                            if let Some((t, idx)) = self.join_table(&name, a, b, src.origin(f.pos)) {
                                join_tables.push(t);
                                join_indexes.push(idx);
                            }
                        }
                    }
                    _ => {
                        let what = if opposite.is_empty() {
                            format!("model `{}` has no field relating back to `{}`", tsrc.decl.name, src.decl.name)
                        } else {
                            "neither side says which fields hold the key (`fields:`/`references:`)".to_string()
                        };
                        diags.push(PRISMA_INVALID_RELATION.at(
                            src.span(f.pos, f.name.chars().count()),
                            format!(
                                "relation `{}.{}` cannot be made into a foreign key: {what}",
                                src.decl.name, f.name
                            ),
                        ));
                    }
                }
            }
        }
        self.diagnostics.extend(diags);
        (join_tables, join_indexes)
    }

    /// The table Prisma Migrate makes for an implicit many-to-many relation: columns `A` and `B`
    /// referencing the id of each model (in alphabetical order of the model names).
    fn join_table(&self, name: &str, a: usize, b: usize, origin: Origin) -> Option<(Table, Index)> {
        let mut table = Table::new(name, origin.clone());
        for (col, m) in [("A", a), ("B", b)] {
            let info = &self.infos[&m];
            let [id] = info.id_fields.as_slice() else { return None };
            let src = &self.srcs[m];
            let field = src.fields().find(|f| &f.name == id)?;
            let ty = field.ty.as_ref()?;
            let mut c = self.lower_field(src, field, ty, &self.kind_of(ty), &mut Vec::new());
            c.name = col.to_string();
            c.nullable = false;
            c.default = None;
            c.identity = None;
            c.client_default = None;
            c.comment = None;
            c.origin = origin.clone();
            table.columns.push(c);
            table.foreign_keys.push(ForeignKey {
                name: None,
                columns: vec![col.to_string()],
                ref_table: info.table.clone(),
                ref_columns: vec![column_name(field)],
                on_delete: Some(ReferentialAction::Cascade),
                on_update: Some(ReferentialAction::Cascade),
                inferred: false,
                origin: origin.clone(),
            });
        }
        table.primary_key =
            Some(PrimaryKey { name: None, columns: vec!["A".to_string(), "B".to_string()], origin: origin.clone() });
        let index = Index {
            name: None,
            table: name.to_string(),
            parts: vec![IndexPart::column("B")],
            unique: false,
            method: None,
            predicate: None,
            include: Vec::new(),
            origin,
        };
        Some((table, index))
    }
}

/// The field names of a list argument (`[a, b(sort: Desc)]`), with the expression of each.
fn field_list(list: Option<&Expr>) -> Vec<(String, &Expr)> {
    let Some(list) = list else { return Vec::new() };
    list.elements()
        .into_iter()
        .filter_map(|e| match &e.kind {
            ExprKind::Ident(n) => Some((n.clone(), e)),
            ExprKind::Call { name, .. } => Some((name.clone(), e)),
            _ => None,
        })
        .collect()
}

fn attr_args(e: &Expr) -> &[syntax::Arg] {
    match &e.kind {
        ExprKind::Call { args, .. } => args,
        _ => &[],
    }
}

/// Reports attribute `a`, which is not among the `known` attributes of its `place`.
fn unknown_attr(src: &Src, a: &Attr, place: &str, known: &[&str]) -> Diagnostic {
    let prefix = if a.text.starts_with("@@") { "@@" } else { "@" };
    let d = PRISMA_UNKNOWN_ATTRIBUTE.at(
        src.span(a.pos, a.text.chars().count()),
        format!("unknown attribute `{prefix}{}` {place} in `{}`; it is ignored", a.name, src.decl.name),
    );
    if types::looks_native(&a.name) {
        d.with_help(format!("native types are written `@db.{}`", a.name))
    } else if let Some(near) = nearest(&a.name, known) {
        d.with_help(format!("did you mean `{prefix}{near}`?"))
    } else {
        d
    }
}

/// The name of `known` that `name` is most likely a misspelling of: at most two edits away (any
/// case), and fewer than a third of its characters.
fn nearest<'k>(name: &str, known: &[&'k str]) -> Option<&'k str> {
    let lower = name.to_lowercase();
    let (best, d) = known.iter().map(|k| (*k, edit_distance(&lower, &k.to_lowercase()))).min_by_key(|(_, d)| *d)?;
    (d <= 2 && d * 3 <= lower.chars().count()).then_some(best)
}

#[cfg(test)]
mod tests;
