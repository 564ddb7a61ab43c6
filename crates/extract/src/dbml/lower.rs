//! From DBML elements to model tables: partial injection, column settings, indexes, checks,
//! relationships turned into foreign keys, enums, table groups and the project's database type.

use super::syntax::{self, Element, Endpoint, IndexKey, Member, QName, RefDecl, RelOp, Setting, TableDecl, Value};
use super::{
    DBML_DUPLICATE_DEFINITION, DBML_INVALID_REFERENCE, DBML_MANY_TO_MANY, DBML_SKIPPED, DBML_SYNTAX_ERROR,
    DBML_UNKNOWN_SETTING,
};
use crate::frontend::Partial;
use crate::scan::SqlFlavor;
use crate::types::{parse_sql_default, parse_sql_type};
use model::{
    edit_distance, name_key, Check, Column, DataType, DefaultValue, Diagnostic, Enum, ForeignKey, Identity, Index,
    IndexPart, Notation, Origin, PrimaryKey, ReferentialAction, Span, Table, TypeKind, Unique,
};
use std::collections::{BTreeMap, BTreeSet};
use std::sync::Arc;

use super::lex::Pos;

/// An element with the file it was written in.
pub(super) struct Src {
    pub file: Arc<str>,
    pub element: Element,
}

/// A relationship waiting for every table to be known: a `Ref` or an inline `ref:`.
struct PendingRef {
    file: Arc<str>,
    decl: RefDecl,
}

struct Cx {
    diagnostics: Vec<Diagnostic>,
    tables: Vec<Table>,
    indexes: Vec<Index>,
    /// Table key (`schema.name`, without `public`) → index in `tables`.
    by_key: BTreeMap<String, usize>,
    /// Alias key → index in `tables`.
    aliases: BTreeMap<String, usize>,
    /// Enum key → (name as written, file, position), for column types.
    enums: BTreeMap<String, String>,
    refs: Vec<PendingRef>,
}

fn span(file: &Arc<str>, pos: Pos, len: u32) -> Span {
    Span::new(file.clone(), pos.line, pos.column, len)
}

fn origin(file: &Arc<str>, pos: Pos) -> Origin {
    Origin::new(file.clone(), pos.line, pos.column, Notation::Dbml)
}

/// The lookup key of a possibly qualified name; `public` is the default schema.
fn key(schema: Option<&str>, name: &str) -> String {
    match schema.filter(|s| !s.eq_ignore_ascii_case("public")) {
        Some(s) => format!("{}.{}", name_key(s), name_key(name)),
        None => name_key(name),
    }
}

fn qkey(q: &QName) -> String {
    key(q.schema.as_deref(), &q.name.text)
}

fn qdisplay(q: &QName) -> String {
    match &q.schema {
        Some(s) => format!("{s}.{}", q.name.text),
        None => q.name.text.clone(),
    }
}

/// Lowers every element of the documents' DBML into `partial`; returns the database type the
/// `Project` names, when it names one schemadoc reads.
pub(super) fn lower(srcs: Vec<Src>, partial: &mut Partial) -> Option<SqlFlavor> {
    let mut cx = Cx {
        diagnostics: Vec::new(),
        tables: Vec::new(),
        indexes: Vec::new(),
        by_key: BTreeMap::new(),
        aliases: BTreeMap::new(),
        enums: BTreeMap::new(),
        refs: Vec::new(),
    };
    let mut dialect = None;
    let mut project_seen: Option<(Arc<str>, Pos)> = None;
    let mut partials: BTreeMap<String, (Arc<str>, TableDecl)> = BTreeMap::new();
    let mut enums: Vec<Enum> = Vec::new();
    let mut enum_seen: BTreeMap<String, (Arc<str>, Pos, u32)> = BTreeMap::new();

    // Names first: partials, enums, the project; tables are lowered in order after.
    for src in &srcs {
        let file = &src.file;
        match &src.element {
            Element::Partial(decl) => {
                let k = name_key(&decl.name.name.text);
                if let Some((f, first)) = partials.get(&k) {
                    let d = duplicate(file, &decl.name, "table partial", (f, &first.name));
                    cx.diagnostics.push(d);
                } else {
                    partials.insert(k, (file.clone(), decl.clone()));
                }
            }
            Element::Enum { name, values } => {
                let k = qkey(name);
                if let Some((f, pos, len)) = enum_seen.get(&k) {
                    cx.diagnostics.push(
                        DBML_DUPLICATE_DEFINITION
                            .at(
                                span(file, name.name.pos, name.name.len),
                                format!("enum `{}` is defined twice; the first definition is used", qdisplay(name)),
                            )
                            .with_related(span(f, *pos, *len), "first defined here"),
                    );
                    continue;
                }
                enum_seen.insert(k.clone(), (file.clone(), name.name.pos, name.name.len));
                cx.enums.insert(k, name.name.text.clone());
                let mut seen = BTreeSet::new();
                let mut vals = Vec::new();
                for v in values {
                    if !seen.insert(v.name.text.clone()) {
                        cx.diagnostics.push(DBML_DUPLICATE_DEFINITION.at(
                            span(file, v.name.pos, v.name.len),
                            format!("enum `{}` lists `{}` twice", qdisplay(name), v.name.text),
                        ));
                        continue;
                    }
                    for s in &v.settings {
                        if s.key != "note" {
                            cx.unknown_setting(file, s, "an enum value", &["note"]);
                        }
                    }
                    vals.push(v.name.text.clone());
                }
                enums.push(Enum { name: name.name.text.clone(), values: vals, origin: origin(file, name.name.pos) });
            }
            Element::Project { name, props } => {
                let pos = name.as_ref().map(|n| n.pos).unwrap_or_default();
                if let Some((f, first)) = &project_seen {
                    cx.diagnostics.push(
                        DBML_DUPLICATE_DEFINITION
                            .at(span(file, pos, 0), "a second `Project`; the first one is used")
                            .with_related(span(f, *first, 0), "first defined here"),
                    );
                    continue;
                }
                project_seen = Some((file.clone(), pos));
                for (k, v) in props {
                    if k.text.eq_ignore_ascii_case("database_type") {
                        let named: String = v.text().unwrap_or("").chars().filter(|c| !c.is_whitespace()).collect();
                        dialect = SqlFlavor::parse(&named);
                    }
                }
            }
            Element::Skipped(word) => cx.diagnostics.push(DBML_SKIPPED.at(
                span(file, word.pos, word.len),
                format!("`{}` holds sample data, not schema; it is skipped", word.text),
            )),
            Element::Table(_) | Element::Ref(_) | Element::Group { .. } => {}
        }
    }

    for src in srcs {
        match src.element {
            Element::Table(decl) => cx.table(&src.file, decl, &partials),
            Element::Ref(decl) => cx.refs.push(PendingRef { file: src.file, decl }),
            Element::Group { name, tables } => cx.group(&src.file, &name, &tables),
            _ => {}
        }
    }
    for r in std::mem::take(&mut cx.refs) {
        cx.relationship(&r.file, &r.decl);
    }
    partial.schema.tables = cx.tables;
    partial.schema.indexes = cx.indexes;
    partial.schema.enums = enums;
    partial.diagnostics.extend(cx.diagnostics);
    dialect
}

fn duplicate(file: &Arc<str>, name: &QName, what: &str, first: (&Arc<str>, &QName)) -> Diagnostic {
    DBML_DUPLICATE_DEFINITION
        .at(
            span(file, name.name.pos, name.name.len),
            format!("{what} `{}` is defined twice; the first definition is used", qdisplay(name)),
        )
        .with_related(span(first.0, first.1.name.pos, first.1.name.len), "first defined here")
}

/// A column of a table being built, with where its definition came from.
struct ColumnSrc {
    file: Arc<str>,
    decl: syntax::Column,
}

impl Cx {
    fn unknown_setting(&mut self, file: &Arc<str>, s: &Setting, on: &str, known: &[&str]) {
        let list = known.iter().map(|k| format!("`{k}`")).collect::<Vec<_>>().join(", ");
        self.diagnostics.push(
            DBML_UNKNOWN_SETTING
                .at(span(file, s.pos, s.len), format!("`{}` is not a setting of {on}; it is ignored", s.key))
                .with_help(format!("settings of {on}: {list}")),
        );
    }

    fn needs_value(&mut self, file: &Arc<str>, s: &Setting) {
        self.diagnostics.push(
            DBML_SYNTAX_ERROR.at(span(file, s.pos, s.len), format!("`{}` needs a value (`{}: …`)", s.key, s.key)),
        );
    }

    fn table(&mut self, file: &Arc<str>, decl: TableDecl, partials: &BTreeMap<String, (Arc<str>, TableDecl)>) {
        let k = qkey(&decl.name);
        if let Some(&first) = self.by_key.get(&k) {
            let f = self.tables[first].origin.clone();
            self.diagnostics.push(
                DBML_DUPLICATE_DEFINITION
                    .at(
                        span(file, decl.name.name.pos, decl.name.name.len),
                        format!("table `{}` is defined twice; the first definition is used", qdisplay(&decl.name)),
                    )
                    .with_related(Span::from(&f), "first defined here"),
            );
            return;
        }
        let mut table = Table::new(decl.name.name.text.clone(), origin(file, decl.name.name.pos));
        table.namespace = decl.name.schema.clone();
        let ti = self.tables.len();
        self.by_key.insert(k, ti);
        if let Some(a) = &decl.alias {
            let ak = name_key(&a.text);
            if self.aliases.contains_key(&ak) || self.by_key.contains_key(&ak) {
                self.diagnostics.push(DBML_DUPLICATE_DEFINITION.at(
                    span(file, a.pos, a.len),
                    format!("alias `{}` is already the name or alias of another table; it is ignored", a.text),
                ));
            } else {
                self.aliases.insert(ak, ti);
            }
        }
        self.table_settings(file, &decl.settings, &mut table);

        // Columns in order, partials injected where `~name` stands: the table's own columns win over
        // a partial's, a later partial's over an earlier one's.
        let own: BTreeSet<String> = decl
            .members
            .iter()
            .filter_map(|m| if let Member::Column(c) = m { Some(name_key(&c.name.text)) } else { None })
            .collect();
        let mut columns: Vec<ColumnSrc> = Vec::new();
        // (file, member, from a partial)
        let mut extra: Vec<(Arc<str>, Member, bool)> = Vec::new();
        for m in &decl.members {
            match m {
                Member::Column(c) => columns.push(ColumnSrc { file: file.clone(), decl: c.clone() }),
                Member::Inject(name) => {
                    let Some((pf, pdecl)) = partials.get(&name_key(&name.text)) else {
                        self.diagnostics.push(DBML_INVALID_REFERENCE.at(
                            span(file, name.pos, name.len),
                            format!("no `TablePartial {}` is defined; nothing is injected", name.text),
                        ));
                        continue;
                    };
                    for pm in &pdecl.members {
                        match pm {
                            Member::Column(c) => {
                                let ck = name_key(&c.name.text);
                                if own.contains(&ck) {
                                    continue;
                                }
                                let col = ColumnSrc { file: pf.clone(), decl: c.clone() };
                                match columns.iter().position(|x| name_key(&x.decl.name.text) == ck) {
                                    Some(i) => columns[i] = col,
                                    None => columns.push(col),
                                }
                            }
                            Member::Inject(_) => {}
                            other => extra.push((pf.clone(), other.clone(), true)),
                        }
                    }
                    if table.comment.is_none() {
                        let mut t = Table::new("", table.origin.clone());
                        self.table_settings(pf, &pdecl.settings, &mut t);
                        table.comment = t.comment;
                    }
                }
                other => extra.push((file.clone(), other.clone(), false)),
            }
        }

        let mut pk: Vec<(String, Origin)> = Vec::new();
        for c in &columns {
            if table.column(&c.decl.name.text).is_some() {
                self.diagnostics.push(DBML_DUPLICATE_DEFINITION.at(
                    span(&c.file, c.decl.name.pos, c.decl.name.len),
                    format!(
                        "column `{}` is defined twice in table `{}`; the first is used",
                        c.decl.name.text, table.name
                    ),
                ));
                continue;
            }
            let col = self.column(&c.file, &c.decl, &mut table, &mut pk);
            table.columns.push(col);
        }
        if !pk.is_empty() {
            let origin = pk[0].1.clone();
            table.primary_key =
                Some(PrimaryKey { name: None, columns: pk.into_iter().map(|(c, _)| c).collect(), origin });
        }
        for (f, m, from_partial) in extra {
            match m {
                // The table's own `Note` says more than its `note:` setting or a partial's note.
                Member::Note(n) => {
                    if !from_partial || table.comment.is_none() {
                        table.comment = Some(n);
                    }
                }
                Member::Indexes(defs) => {
                    for d in defs {
                        self.index(&f, &d, &mut table);
                    }
                }
                Member::Checks(defs) => {
                    for d in defs {
                        let mut name = None;
                        for s in &d.settings {
                            match (s.key.as_str(), &s.value) {
                                ("name", Some(v)) => name = v.text().map(str::to_string),
                                ("name", None) => self.needs_value(&f, s),
                                _ => self.unknown_setting(&f, s, "a check", &["name"]),
                            }
                        }
                        let columns = mentioned_columns(&d.expr, &table);
                        table.checks.push(Check { name, expr: d.expr.clone(), columns, origin: origin(&f, d.pos) });
                    }
                }
                Member::Column(_) | Member::Inject(_) => {}
            }
        }
        self.tables.push(table);
    }

    fn table_settings(&mut self, file: &Arc<str>, settings: &[Setting], table: &mut Table) {
        for s in settings {
            match (s.key.as_str(), &s.value) {
                ("note", Some(v)) => table.comment = v.text().map(str::to_string),
                ("headercolor" | "color", Some(_)) => {}
                ("note" | "headercolor" | "color", None) => self.needs_value(file, s),
                _ => self.unknown_setting(file, s, "a table", &["note", "headercolor"]),
            }
        }
    }

    fn column(
        &mut self,
        file: &Arc<str>,
        decl: &syntax::Column,
        table: &mut Table,
        pk: &mut Vec<(String, Origin)>,
    ) -> Column {
        let name = decl.name.text.clone();
        let at = origin(file, decl.name.pos);
        let mut col = Column::new(name.clone(), self.column_type(&decl.ty.text), at.clone());
        for s in &decl.settings {
            let so = origin(file, s.pos);
            match (s.key.as_str(), &s.value) {
                ("pk" | "primary key", _) => {
                    pk.push((name.clone(), so));
                    col.nullable = false;
                }
                ("increment", _) => col.identity = Some(Identity::Serial),
                ("not null", _) => col.nullable = false,
                ("null", _) => col.nullable = true,
                ("unique", _) => table.uniques.push(Unique { name: None, columns: vec![name.clone()], origin: so }),
                ("default", Some(v)) => col.default = Some(default_value(v)),
                ("note", Some(v)) => col.comment = v.text().map(str::to_string),
                ("check", Some(v)) => {
                    let expr = v.text().unwrap_or_default().to_string();
                    let mut columns = vec![name.clone()];
                    for c in mentioned_columns(&expr, table) {
                        if !columns.iter().any(|x| name_key(x) == name_key(&c)) {
                            columns.push(c);
                        }
                    }
                    table.checks.push(Check { name: None, expr, columns, origin: so });
                }
                ("ref", Some(Value::Ref(op, target))) => {
                    let here = Endpoint {
                        table: QName {
                            schema: table.namespace.clone(),
                            name: syntax::Ident { text: table.name.clone(), pos: decl.name.pos, len: 0 },
                        },
                        columns: vec![decl.name.clone()],
                        pos: s.pos,
                        len: s.len,
                    };
                    let decl = RefDecl {
                        name: None,
                        left: here,
                        op: *op,
                        op_pos: s.pos,
                        right: target.clone(),
                        settings: vec![],
                    };
                    self.refs.push(PendingRef { file: file.clone(), decl });
                }
                ("default" | "note" | "check" | "ref", _) => self.needs_value(file, s),
                _ => self.unknown_setting(
                    file,
                    s,
                    "a column",
                    &[
                        "pk",
                        "primary key",
                        "increment",
                        "not null",
                        "null",
                        "unique",
                        "default",
                        "note",
                        "ref",
                        "check",
                    ],
                ),
            }
        }
        col
    }

    /// A column type: an enum the DBML defines, else a SQL type of any dialect.
    fn column_type(&self, spelling: &str) -> DataType {
        let base = spelling.trim_end_matches("[]");
        let (schema, name) = match base.rsplit_once('.') {
            Some((s, n)) => (Some(s), n),
            None => (None, base),
        };
        if let Some(e) = self.enums.get(&key(schema, name)) {
            let mut kind = TypeKind::Enum { name: e.clone() };
            for _ in 0..(spelling.len() - base.len()) / 2 {
                kind = TypeKind::Array { of: Box::new(kind) };
            }
            return DataType::new(kind, spelling);
        }
        parse_sql_type(spelling)
    }

    fn index(&mut self, file: &Arc<str>, d: &syntax::IndexDef, table: &mut Table) {
        let mut index = Index {
            name: None,
            table: table.name.clone(),
            parts: Vec::new(),
            unique: false,
            method: None,
            predicate: None,
            include: Vec::new(),
            origin: origin(file, d.pos),
        };
        for k in &d.keys {
            match k {
                IndexKey::Column(c) => match table.column(&c.text) {
                    Some(col) => index.parts.push(IndexPart::column(col.name.clone())),
                    None => {
                        self.diagnostics.push(DBML_INVALID_REFERENCE.at(
                            span(file, c.pos, c.len),
                            format!("table `{}` has no column `{}`; the index is left out", table.name, c.text),
                        ));
                        return;
                    }
                },
                IndexKey::Expr(e) => index.parts.push(IndexPart {
                    column: None,
                    expr: Some(e.text.clone()),
                    descending: false,
                    opclass: None,
                }),
            }
        }
        let mut is_pk = false;
        for s in &d.settings {
            match (s.key.as_str(), &s.value) {
                ("unique", _) => index.unique = true,
                ("pk" | "primary key", _) => is_pk = true,
                ("type", Some(v)) => index.method = v.text().map(str::to_ascii_lowercase),
                ("name", Some(v)) => index.name = v.text().map(str::to_string),
                ("note", Some(_)) => {}
                ("type" | "name" | "note", None) => self.needs_value(file, s),
                _ => self.unknown_setting(file, s, "an index", &["unique", "pk", "type", "name", "note"]),
            }
        }
        if !is_pk {
            self.indexes.push(index);
            return;
        }
        let columns: Vec<String> = index.parts.iter().filter_map(|p| p.column.clone()).collect();
        if columns.len() != index.parts.len() {
            self.diagnostics.push(
                DBML_INVALID_REFERENCE
                    .at(span(file, d.pos, 1), "a primary key cannot hold an expression; it is left out".to_string()),
            );
            return;
        }
        if let Some(existing) = &table.primary_key {
            self.diagnostics.push(
                DBML_DUPLICATE_DEFINITION
                    .at(
                        span(file, d.pos, 1),
                        format!("table `{}` already has a primary key; this one is left out", table.name),
                    )
                    .with_related(Span::from(&existing.origin), "primary key defined here"),
            );
            return;
        }
        for c in &columns {
            if let Some(col) = table.column_mut(c) {
                col.nullable = false;
            }
        }
        table.primary_key = Some(PrimaryKey { name: index.name, columns, origin: index.origin });
    }

    fn group(&mut self, file: &Arc<str>, name: &syntax::Ident, tables: &[QName]) {
        for q in tables {
            let Some(i) = self.resolve(q) else {
                let d = DBML_INVALID_REFERENCE.at(
                    span(file, q.name.pos, q.name.len),
                    format!("table group `{}` names table `{}`, which no `Table` defines", name.text, qdisplay(q)),
                );
                let guess = suggest(&q.name.text, self.tables.iter().map(|t| t.name.as_str()));
                self.diagnostics.push(with_guess(d, guess));
                continue;
            };
            let t = &mut self.tables[i];
            match &t.group {
                Some(g) if g != &name.text => {
                    let message =
                        format!("table `{}` is already in table group `{g}`; a table belongs to one group", t.name);
                    self.diagnostics.push(DBML_DUPLICATE_DEFINITION.at(span(file, q.name.pos, q.name.len), message));
                }
                _ => t.group = Some(name.text.clone()),
            }
        }
    }

    /// The table a name (or alias) refers to. Without a schema, a table of the default schema, else
    /// the only table of that name in any schema.
    fn resolve(&self, q: &QName) -> Option<usize> {
        if let Some(&i) = self.by_key.get(&qkey(q)) {
            return Some(i);
        }
        if q.schema.is_none() {
            if let Some(&i) = self.aliases.get(&name_key(&q.name.text)) {
                return Some(i);
            }
            let mut same = self.tables.iter().enumerate().filter(|(_, t)| name_key(&t.name) == name_key(&q.name.text));
            if let (Some((i, _)), None) = (same.next(), same.next()) {
                return Some(i);
            }
        }
        None
    }

    /// The table and its column names an endpoint names; reports what does not exist.
    fn endpoint(&mut self, file: &Arc<str>, e: &Endpoint) -> Option<(usize, Vec<String>)> {
        let Some(ti) = self.resolve(&e.table) else {
            let d = DBML_INVALID_REFERENCE.at(
                span(file, e.table.name.pos, e.table.name.len),
                format!("`{}` names no table a `Table` defines; the reference is left out", qdisplay(&e.table)),
            );
            let guess = suggest(&e.table.name.text, self.tables.iter().map(|t| t.name.as_str()));
            self.diagnostics.push(with_guess(d, guess));
            return None;
        };
        let mut cols = Vec::new();
        for c in &e.columns {
            match self.tables[ti].column(&c.text) {
                Some(col) => cols.push(col.name.clone()),
                None => {
                    let t = &self.tables[ti];
                    let d = DBML_INVALID_REFERENCE.at(
                        span(file, c.pos, c.len),
                        format!("table `{}` has no column `{}`; the reference is left out", t.name, c.text),
                    );
                    let guess = suggest(&c.text, t.columns.iter().map(|c| c.name.as_str()));
                    self.diagnostics.push(with_guess(d, guess));
                    return None;
                }
            }
        }
        Some((ti, cols))
    }

    fn relationship(&mut self, file: &Arc<str>, r: &RefDecl) {
        let left = self.endpoint(file, &r.left);
        let right = self.endpoint(file, &r.right);
        let (Some((lt, lc)), Some((rt, rc))) = (left, right) else { return };
        if lc.len() != rc.len() {
            self.diagnostics.push(DBML_INVALID_REFERENCE.at(
                span(file, r.left.pos, r.left.len),
                format!(
                    "the two ends of the reference name {} and {} columns; the reference is left out",
                    lc.len(),
                    rc.len()
                ),
            ));
            return;
        }
        let (holder, cols, target, ref_cols) = match r.op {
            RelOp::ManyToOne => (lt, lc, rt, rc),
            RelOp::OneToMany => (rt, rc, lt, lc),
            // One-to-one: the end that is its table's key is the one referenced.
            RelOp::OneToOne => {
                if self.tables[lt].is_unique_key(&lc) && !self.tables[rt].is_unique_key(&rc) {
                    (rt, rc, lt, lc)
                } else {
                    (lt, lc, rt, rc)
                }
            }
            RelOp::ManyToMany => {
                let (a, b) = (&self.tables[lt].name, &self.tables[rt].name);
                self.diagnostics.push(
                    DBML_MANY_TO_MANY
                        .at(
                            span(file, r.op_pos, 2),
                            format!(
                                "`{a}.{}` <> `{b}.{}` is many-to-many: no foreign key can hold it, so none is made",
                                lc.join(", "),
                                rc.join(", ")
                            ),
                        )
                        .with_help(format!(
                            "add a junction table (`{a}_{b}`) with a `>` reference to each side to model it"
                        )),
                );
                return;
            }
        };
        let mut fk = ForeignKey {
            name: r.name.as_ref().map(|n| n.text.clone()),
            columns: cols,
            // Qualified, as SQL names a table in another schema (`orchard.trees`).
            ref_table: self.tables[target].qualified_name(),
            ref_columns: ref_cols,
            on_delete: None,
            on_update: None,
            inferred: false,
            origin: origin(file, r.left.pos),
        };
        for s in &r.settings {
            match (s.key.as_str(), &s.value) {
                ("delete" | "update", Some(v)) => {
                    let Some(action) = v.text().and_then(ReferentialAction::parse) else {
                        self.diagnostics.push(
                            DBML_UNKNOWN_SETTING
                                .at(
                                    span(file, s.pos, s.len),
                                    format!("`{}` is not a referential action; it is ignored", v.text().unwrap_or("")),
                                )
                                .with_help("use cascade, restrict, set null, set default or no action"),
                        );
                        continue;
                    };
                    if s.key == "delete" {
                        fk.on_delete = Some(action);
                    } else {
                        fk.on_update = Some(action);
                    }
                }
                ("color", _) => {}
                ("delete" | "update", None) => self.needs_value(file, s),
                _ => self.unknown_setting(file, s, "a reference", &["delete", "update", "color"]),
            }
        }
        let t = &mut self.tables[holder];
        let same =
            |a: &[String], b: &[String]| a.len() == b.len() && a.iter().zip(b).all(|(x, y)| name_key(x) == name_key(y));
        match t
            .foreign_keys
            .iter_mut()
            .find(|f| same(&f.columns, &fk.columns) && name_key(&f.ref_table) == name_key(&fk.ref_table))
        {
            // The same reference written twice (inline and as a `Ref`): one foreign key.
            Some(existing) => {
                existing.on_delete = existing.on_delete.or(fk.on_delete);
                existing.on_update = existing.on_update.or(fk.on_update);
                existing.name = existing.name.take().or(fk.name);
            }
            None => t.foreign_keys.push(fk),
        }
    }
}

/// The one of `candidates` a misspelt `name` most likely meant.
fn suggest<'a>(name: &str, candidates: impl Iterator<Item = &'a str>) -> Option<String> {
    let key = name_key(name);
    let max = (key.chars().count() / 3).clamp(1, 2);
    candidates
        .map(|c| (edit_distance(&key, &name_key(c)), c))
        .filter(|(d, _)| *d <= max)
        .min_by_key(|(d, _)| *d)
        .map(|(_, c)| c.to_string())
}

fn with_guess(d: Diagnostic, guess: Option<String>) -> Diagnostic {
    match guess {
        Some(g) => d.with_help(format!("did you mean `{g}`?")),
        None => d,
    }
}

/// A DBML default: `'text'`, `123`, `true`, `null` or a `` `expression` ``.
fn default_value(v: &Value) -> DefaultValue {
    match v {
        Value::Str(s) => DefaultValue::String(s.clone()),
        Value::Num(n) => DefaultValue::Number(n.clone()),
        Value::Expr(e) => parse_sql_default(e),
        Value::Words(w) => match w.to_ascii_lowercase().as_str() {
            "true" => DefaultValue::Bool(true),
            "false" => DefaultValue::Bool(false),
            "null" => DefaultValue::Null,
            _ => DefaultValue::Raw(w.clone()),
        },
        Value::Color(c) => DefaultValue::String(c.clone()),
        Value::Ref(..) => DefaultValue::Raw(String::new()),
    }
}

/// The columns of `table` an expression names.
fn mentioned_columns(expr: &str, table: &Table) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for word in expr.split(|c: char| !(c.is_alphanumeric() || c == '_')) {
        if let Some(c) = table.column(word) {
            if !out.iter().any(|x| x == &c.name) {
                out.push(c.name.clone());
            }
        }
    }
    out
}
