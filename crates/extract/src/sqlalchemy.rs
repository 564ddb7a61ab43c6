//! SQLAlchemy declarative-class front-end.
//!
//! Reads python blocks for declarative models (`class User(Base): __tablename__ = "users"` with
//! `Column(...)` or SQLAlchemy 2.0 `Mapped[...] = mapped_column(...)` attributes and
//! `__table_args__`), Core tables (`users = Table("users", metadata, Column(...), …)`) and
//! module-level `Index(...)` calls. Code that is not a model (engine setup, FastAPI routes) gives
//! nothing.

mod enums;

use crate::field_table::to_snake;
use crate::frontend::Partial;
use crate::scan::{BlockLang, CodeBlock, Document, Item};
use crate::types::{parse_sql_default, parse_sql_type, parse_sqlalchemy_type};
use model::{
    name_key, Check, Column, DataType, DefaultValue, ForeignKey, Identity, Index, IndexPart, Notation, Origin,
    PrimaryKey, ReferentialAction, RuleInfo, Span, Stated, Table, TypeKind, Unique,
};
use std::collections::BTreeMap;
use std::sync::Arc;

model::declare_rule! {
    /// What it does: flags a line of a SQLAlchemy model that looks like a column or constraint
    /// but cannot be read (unbalanced brackets, a `Column(` call that is cut off).
    ///
    /// Why it matters: the column or constraint is missing from the schema.
    ///
    /// Example: `email = Column(String(100), nullable=False` — the closing parenthesis is missing.
    pub SQLALCHEMY_UNREADABLE_LINE = "sqlalchemy-unreadable-line", Warning
}

model::declare_rule! {
    /// What it does: flags two model classes that map the same `__tablename__`, or two attributes
    /// of one model that map the same column.
    ///
    /// Why it matters: SQLAlchemy refuses a second definition of a table in one `MetaData`, and a
    /// repeated attribute silently replaces the first. The first class is kept; for attributes the
    /// later one wins, as in Python.
    ///
    /// Example: `class User(Base): __tablename__ = "users"` twice in the document.
    pub SQLALCHEMY_DUPLICATE_DEFINITION = "sqlalchemy-duplicate-definition", Warning
}

/// The diagnostics this front-end can report.
pub const RULES: &[RuleInfo] = &[SQLALCHEMY_UNREADABLE_LINE, SQLALCHEMY_DUPLICATE_DEFINITION];

/// Reads the SQLAlchemy models of `docs`.
pub fn extract(docs: &[Document]) -> Partial {
    let mut out = Partial::new(Notation::SqlAlchemy);
    let mut pending = Pending::default();
    for doc in docs {
        let blocks: Vec<&CodeBlock> = doc
            .items
            .iter()
            .filter_map(|i| match i {
                Item::Block(b) if is_python(b) => Some(b),
                _ => None,
            })
            .collect();
        for b in &blocks {
            if is_sqlalchemy(b) {
                out.mark_read(&doc.file, b.fence_line);
            }
        }
        read_doc(&doc.file, &blocks, &mut out, &mut pending);
    }
    pending.resolve(&mut out);
    out
}

fn is_python(b: &CodeBlock) -> bool {
    match &b.lang {
        BlockLang::Python => true,
        BlockLang::Unlabelled => is_sqlalchemy(b),
        _ => false,
    }
}

/// Whether a block's content is SQLAlchemy models (other python is not this front-end's).
fn is_sqlalchemy(b: &CodeBlock) -> bool {
    b.content.contains("__tablename__")
        || (b.content.contains("class ") && (b.content.contains("Column(") || b.content.contains("mapped_column(")))
}

// ---------------------------------------------------------------------------------------------
// Lexing: logical lines with comments blanked out.

/// One logical python line (a statement, possibly spanning several physical lines).
struct Line {
    /// Byte offset of its first character in the block content.
    start: usize,
    end: usize,
    /// Leading whitespace width of its first physical line.
    indent: usize,
    /// `#` comments on its physical lines, in order.
    comments: Vec<String>,
    /// Brackets or a string left open.
    unbalanced: bool,
}

/// The block content with comments replaced by spaces (byte for byte), and its logical lines.
fn logical_lines(content: &str) -> (String, Vec<Line>) {
    let b = content.as_bytes();
    let mut masked = b.to_vec();
    let mut lines = Vec::new();
    let mut cur: Option<Line> = None;
    let mut indent = 0usize;
    let mut depth: i32 = 0;
    let mut i = 0;
    while i < b.len() {
        let c = b[i];
        if cur.is_none() {
            match c {
                b' ' | b'\t' => {
                    indent += 1;
                    i += 1;
                    continue;
                }
                b'\n' | b'\r' => {
                    indent = 0;
                    i += 1;
                    continue;
                }
                b'#' => {
                    let end = content[i..].find('\n').map(|e| e + i).unwrap_or(b.len());
                    masked[i..end].fill(b' ');
                    i = end;
                    continue;
                }
                _ => cur = Some(Line { start: i, end: i, indent, comments: Vec::new(), unbalanced: false }),
            }
        }
        let Some(line) = cur.as_mut() else { continue };
        match c {
            b'#' => {
                let end = content[i..].find('\n').map(|e| e + i).unwrap_or(b.len());
                line.comments.push(content[i + 1..end].trim().to_string());
                masked[i..end].fill(b' ');
                i = end;
                continue;
            }
            b'\'' | b'"' => {
                let triple = b.get(i + 1) == Some(&c) && b.get(i + 2) == Some(&c);
                let mut j = if triple { i + 3 } else { i + 1 };
                let mut closed = false;
                while j < b.len() {
                    if b[j] == b'\\' {
                        j += 2;
                        continue;
                    }
                    if !triple && b[j] == b'\n' {
                        break;
                    }
                    if b[j] == c && (!triple || (b.get(j + 1) == Some(&c) && b.get(j + 2) == Some(&c))) {
                        j += if triple { 3 } else { 1 };
                        closed = true;
                        break;
                    }
                    j += 1;
                }
                if !closed {
                    line.unbalanced = true;
                }
                i = j.min(b.len());
                continue;
            }
            b'(' | b'[' | b'{' => depth += 1,
            b')' | b']' | b'}' => {
                depth -= 1;
                if depth < 0 {
                    line.unbalanced = true;
                    depth = 0;
                }
            }
            b'\\' if b.get(i + 1) == Some(&b'\n') => {
                i += 2;
                continue;
            }
            // A bracket left open would swallow the rest of the block: a next line that starts a
            // statement at this statement's indentation (or less) ends it instead.
            b'\n' if depth > 0 && starts_statement(&content[i + 1..], line.indent) => {
                line.end = i;
                line.unbalanced = true;
                if let Some(l) = cur.take() {
                    lines.push(l);
                }
                depth = 0;
                indent = 0;
                i += 1;
                continue;
            }
            b'\n' if depth == 0 => {
                line.end = i;
                if let Some(l) = cur.take() {
                    lines.push(l);
                }
                indent = 0;
                i += 1;
                continue;
            }
            _ => {}
        }
        i += 1;
    }
    if let Some(mut l) = cur.take() {
        l.end = b.len();
        if depth > 0 {
            l.unbalanced = true;
        }
        lines.push(l);
    }
    // NOTE: only whole comments (up to a newline) were blanked, so the text stays valid UTF-8.
    let masked = String::from_utf8(masked).unwrap_or_else(|_| content.to_string());
    (masked, lines)
}

/// Whether the first line of `rest`, indented at most `indent`, starts a statement (`class`, `def`,
/// a decorator, an assignment `name = …` or `name: T = …`) rather than continuing an open bracket:
/// it must not close more brackets than it opens (`nullable=False)` continues a call).
fn starts_statement(rest: &str, indent: usize) -> bool {
    let line = rest.split('\n').next().unwrap_or("");
    let body = line.trim_start_matches([' ', '\t']);
    if line.len() - body.len() > indent {
        return false;
    }
    let body = body.trim_end();
    let keyword = ["class ", "def ", "async def ", "@"].iter().any(|k| body.starts_with(k));
    let name_len = body.find(|c: char| !(c.is_alphanumeric() || c == '_')).unwrap_or(body.len());
    let after = body[name_len..].trim_start();
    let assignment = is_ident(&body[..name_len])
        && ((after.starts_with('=') && !after.starts_with("==")) || (after.starts_with(':') && after.len() > 1));
    (keyword || assignment) && bracket_balance(body) >= 0
}

/// Opened minus closed brackets of one line, outside strings and comments.
fn bracket_balance(line: &str) -> i32 {
    let mut balance = 0;
    let mut quote: Option<char> = None;
    let mut escaped = false;
    for c in line.chars() {
        match quote {
            Some(q) => {
                if escaped {
                    escaped = false;
                } else if c == '\\' {
                    escaped = true;
                } else if c == q {
                    quote = None;
                }
            }
            None => match c {
                '\'' | '"' => quote = Some(c),
                '#' => break,
                '(' | '[' | '{' => balance += 1,
                ')' | ']' | '}' => balance -= 1,
                _ => {}
            },
        }
    }
    balance
}

// ---------------------------------------------------------------------------------------------
// Small python expression helpers.

/// The index of the quote closing the python string that starts at `open` (`b.len()` when it is
/// not closed), skipping backslash escapes.
fn string_end(b: &[u8], open: usize) -> usize {
    let quote = b[open];
    let mut i = open + 1;
    while i < b.len() && b[i] != quote {
        if b[i] == b'\\' {
            i += 1;
        }
        i += 1;
    }
    i
}

/// Splits `s` at top-level occurrences of `sep` (outside strings and brackets).
fn split_top(s: &str, sep: u8) -> Vec<(usize, &str)> {
    let b = s.as_bytes();
    let mut out = Vec::new();
    let mut depth = 0i32;
    let mut start = 0;
    let mut i = 0;
    while i < b.len() {
        match b[i] {
            b'\'' | b'"' => i = string_end(b, i),
            b'(' | b'[' | b'{' => depth += 1,
            b')' | b']' | b'}' => depth -= 1,
            c if c == sep && depth == 0 => {
                out.push((start, &s[start..i]));
                start = i + 1;
            }
            _ => {}
        }
        i += 1;
    }
    out.push((start, &s[start.min(s.len())..]));
    out
}

/// The top-level arguments of a call's argument text, trimmed, with their offsets.
fn args(s: &str) -> Vec<(usize, &str)> {
    split_top(s, b',')
        .into_iter()
        .filter_map(|(o, a)| {
            let lead = a.len() - a.trim_start().len();
            let t = a.trim();
            (!t.is_empty()).then_some((o + lead, t))
        })
        .collect()
}

/// `key=value` (not `==`).
fn kwarg(a: &str) -> Option<(&str, &str)> {
    let eq = a.find('=')?;
    let key = a[..eq].trim();
    if a[eq + 1..].starts_with('=') || !is_ident(key) {
        return None;
    }
    Some((key, a[eq + 1..].trim()))
}

fn is_ident(s: &str) -> bool {
    let mut c = s.chars();
    c.next().is_some_and(|c| c.is_alphabetic() || c == '_') && c.all(|c| c.is_alphanumeric() || c == '_')
}

/// A python string literal's value (`"x"`, `'x'`, `r"x"`, `"""x"""`); `None` for f-strings and
/// anything else.
fn py_string(s: &str) -> Option<String> {
    let s = s.trim();
    let s = s.strip_prefix(['r', 'R', 'u', 'U']).unwrap_or(s);
    for q in ["\"\"\"", "'''", "\"", "'"] {
        if let Some(inner) = s.strip_prefix(q).and_then(|r| r.strip_suffix(q)) {
            if s.len() >= 2 * q.len() {
                return Some(inner.replace("\\'", "'").replace("\\\"", "\""));
            }
        }
    }
    None
}

/// `callee(args)` → (callee, args, offset of args); the call must span all of `s`, except a
/// trailing attribute chain (`.desc()`), which is returned in the callee's place as a suffix.
fn call(s: &str) -> Option<(&str, &str, usize)> {
    let s_trim = s.trim_end();
    let open = s_trim.find('(')?;
    let callee = s_trim[..open].trim();
    if callee.is_empty() || !callee.split('.').all(is_ident) {
        return None;
    }
    let close = matching(s_trim, open)?;
    Some((callee, &s_trim[open + 1..close], open + 1))
}

/// The index of the bracket closing the one at `open`.
fn matching(s: &str, open: usize) -> Option<usize> {
    let b = s.as_bytes();
    let mut depth = 0i32;
    let mut i = open;
    while i < b.len() {
        match b[i] {
            b'\'' | b'"' => i = string_end(b, i),
            b'(' | b'[' | b'{' => depth += 1,
            b')' | b']' | b'}' => {
                depth -= 1;
                if depth == 0 {
                    return Some(i);
                }
            }
            _ => {}
        }
        i += 1;
    }
    None
}

fn last_segment(callee: &str) -> &str {
    callee.rsplit('.').next().unwrap_or(callee)
}

/// Finds a call to one of `names` (by last path segment) inside `s`: (offset of the callee,
/// callee, args, offset of args). `Err(offset)` when the call is there but never closed.
fn find_call<'a>(s: &'a str, names: &[&str]) -> Option<Result<(usize, &'a str, usize), usize>> {
    for name in names {
        let pat = format!("{name}(");
        let mut from = 0;
        while let Some(i) = s[from..].find(&pat).map(|i| i + from) {
            let before = s[..i].chars().next_back();
            if before.is_some_and(|c| c.is_alphanumeric() || c == '_') {
                from = i + pat.len();
                continue;
            }
            let mut start = i;
            while start > 0
                && (s.as_bytes()[start - 1].is_ascii_alphanumeric() || matches!(s.as_bytes()[start - 1], b'_' | b'.'))
            {
                start -= 1;
            }
            let open = i + name.len();
            return Some(match matching(s, open) {
                Some(close) => Ok((start, &s[open + 1..close], open + 1)),
                None => Err(start),
            });
        }
    }
    None
}

// ---------------------------------------------------------------------------------------------
// What a model says, before it becomes a `Table`.

/// A column attribute as written.
struct ColDef {
    name: String,
    origin: Origin,
    ty: Option<DataType>,
    nullable: Option<bool>,
    /// From a `Mapped[...]` annotation: `Optional[...]`/`| None` or not.
    annotated_optional: Option<bool>,
    pk: bool,
    unique: bool,
    index: bool,
    server_default: Option<DefaultValue>,
    client_default: Option<String>,
    on_update: Option<String>,
    comment: Option<String>,
    identity: Option<Identity>,
    autoincrement: Option<bool>,
    /// Its `ForeignKey(...)` arguments (`columns` left empty: the column itself).
    fks: Vec<FkSpec>,
}

/// A foreign-key target: `"users.id"` or `User.id` (resolved once every class is known).
#[derive(Clone)]
enum FkRef {
    Named { table: String, column: Option<String> },
    Class { class: String, attr: String },
}

/// A table-level constraint or index from `__table_args__`, a Core `Table(...)` or `Index(...)`.
enum TableArg {
    Unique { name: Option<String>, columns: Vec<String>, origin: Origin },
    Index(Index),
    Check(Check),
    Fk(FkSpec),
    Pk { name: Option<String>, columns: Vec<String>, origin: Origin },
}

/// A foreign key as written, its targets not yet resolved to tables.
#[derive(Clone)]
struct FkSpec {
    columns: Vec<String>,
    target: Vec<FkRef>,
    on_delete: Option<ReferentialAction>,
    on_update: Option<ReferentialAction>,
    name: Option<String>,
    origin: Origin,
}

/// A class of the document.
struct ClassDef {
    name: String,
    bases: Vec<String>,
    tablename: Option<String>,
    is_abstract: bool,
    origin: Origin,
    columns: Vec<ColDef>,
    args: Vec<TableArg>,
    namespace: Option<String>,
    /// The members of a python enum class, as (name, value).
    members: Vec<(String, String)>,
}

/// Cross-class lookups done after every document is read.
#[derive(Default)]
struct Pending {
    /// Class name → table name, for `ForeignKey(User.id)` and `Index("ix", User.email)`.
    classes: BTreeMap<String, String>,
    /// Foreign keys to resolve, with the index of their table in the partial.
    fks: Vec<(usize, FkSpec)>,
    /// Columns declared without a type (typed by their foreign key): (table index, column).
    untyped: Vec<(usize, String, FkRef)>,
    /// Module-level `Index("name", User.email)`: (class or table variable, index).
    indexes: Vec<(String, Index)>,
}

impl Pending {
    fn resolve(self, out: &mut Partial) {
        let target = |r: &FkRef| -> (String, Vec<String>) {
            match r {
                FkRef::Named { table, column } => (table.clone(), column.iter().cloned().collect()),
                FkRef::Class { class, attr } => {
                    (self.classes.get(class).cloned().unwrap_or_else(|| class.clone()), vec![attr.clone()])
                }
            }
        };
        for (ti, fk) in &self.fks {
            let Some(first) = fk.target.first() else { continue };
            let (ref_table, _) = target(first);
            let ref_columns: Vec<String> = fk.target.iter().flat_map(|r| target(r).1).collect();
            if let Some(t) = out.schema.tables.get_mut(*ti) {
                t.foreign_keys.push(ForeignKey {
                    name: fk.name.clone(),
                    columns: fk.columns.clone(),
                    ref_table,
                    ref_columns,
                    on_delete: fk.on_delete,
                    on_update: fk.on_update,
                    inferred: false,
                    origin: fk.origin.clone(),
                });
            }
        }
        for (ti, column, r) in &self.untyped {
            let (ref_table, ref_cols) = target(r);
            let ty = out
                .schema
                .table(&ref_table)
                .and_then(|t| match ref_cols.first() {
                    Some(c) => t.column(c),
                    None => t.primary_key.as_ref().and_then(|pk| pk.columns.first()).and_then(|c| t.column(c)),
                })
                .map(|c| c.ty.clone());
            if let (Some(ty), Some(col)) = (ty, out.schema.tables.get_mut(*ti).and_then(|t| t.column_mut(column))) {
                // NOTE: SQLAlchemy gives a `Column(ForeignKey(...))` without a type the type of the
                // column it references.
                col.ty = ty;
            }
        }
        for (owner, mut index) in self.indexes {
            index.table = self.classes.get(&owner).cloned().unwrap_or(owner);
            out.schema.indexes.push(index);
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Reading.

struct BlockCx<'a> {
    file: &'a Arc<str>,
    block: &'a CodeBlock,
    masked: String,
    lines: Vec<Line>,
}

impl BlockCx<'_> {
    fn origin(&self, offset: usize) -> Origin {
        let (line, column) = self.block.position(offset);
        Origin::new(self.file.clone(), line, column, Notation::SqlAlchemy)
    }

    fn text(&self, l: &Line) -> &str {
        &self.masked[l.start..l.end]
    }
}

fn read_doc(file: &Arc<str>, blocks: &[&CodeBlock], out: &mut Partial, pending: &mut Pending) {
    let mut classes: Vec<ClassDef> = Vec::new();
    let mut cores: Vec<ClassDef> = Vec::new();
    let mut module_indexes: Vec<(String, Index)> = Vec::new();
    for block in blocks {
        let (masked, lines) = logical_lines(&block.content);
        let cx = BlockCx { file, block, masked, lines };
        let mut i = 0;
        while i < cx.lines.len() {
            let line = &cx.lines[i];
            let text = cx.text(line);
            if let Some(header) = text.strip_prefix("class ") {
                let body_end =
                    (i + 1..cx.lines.len()).find(|&j| cx.lines[j].indent <= line.indent).unwrap_or(cx.lines.len());
                if let Some(class) = read_class(&cx, i, header, i + 1..body_end, out) {
                    classes.push(class);
                }
                i = body_end;
                continue;
            }
            if line.indent == 0 {
                read_module_line(&cx, line, &mut cores, &mut module_indexes, out);
            }
            i += 1;
        }
    }
    let enum_classes: Vec<enums::EnumClass> = classes
        .iter()
        .filter(|c| !c.members.is_empty())
        .map(|c| enums::EnumClass { name: c.name.clone(), members: c.members.clone(), origin: c.origin.clone() })
        .collect();
    enums::resolve(&enum_classes, classes.iter_mut().chain(cores.iter_mut()), out);
    // `parent: Mapped[Parent]` names another class of the document: a relationship, not a column.
    let class_names: Vec<String> = classes.iter().map(|c| c.name.clone()).collect();
    for c in &mut classes {
        c.columns.retain(
            |col| !matches!(&col.ty, Some(DataType { kind: TypeKind::Other { raw }, .. }) if class_names.contains(raw)),
        );
    }
    // Which classes are tables, and the mixins they take columns from.
    let model_names: Vec<String> =
        classes.iter().filter(|c| c.tablename.is_some() && !c.is_abstract).map(|c| c.name.clone()).collect();
    let mut tables: Vec<(ClassDef, Vec<usize>)> = Vec::new();
    let mut mixins: BTreeMap<String, usize> = BTreeMap::new();
    for (idx, c) in classes.iter().enumerate() {
        if c.tablename.is_none() || c.is_abstract {
            mixins.insert(c.name.clone(), idx);
        }
    }
    for idx in 0..classes.len() {
        let c = &classes[idx];
        let declarative = c.bases.iter().any(|b| {
            let last = last_segment(b);
            (last == "Model" || last.ends_with("Base")) && last != "BaseModel"
        });
        let inherits_model = c.bases.iter().any(|b| model_names.contains(&last_segment(b).to_string()));
        let is_table =
            !c.is_abstract && (c.tablename.is_some() || (declarative && !inherits_model && !c.columns.is_empty()));
        if !is_table {
            continue;
        }
        // Mixin columns: bases (and their bases) that are non-table classes of the document.
        let mut from = Vec::new();
        let mut stack: Vec<String> = c.bases.iter().map(|b| last_segment(b).to_string()).collect();
        let mut seen = 0;
        while let Some(b) = stack.pop() {
            seen += 1;
            if seen > 32 {
                break;
            }
            if let Some(&m) = mixins.get(&b) {
                if m != idx && !from.contains(&m) {
                    from.push(m);
                    stack.extend(classes[m].bases.iter().map(|x| last_segment(x).to_string()));
                }
            }
        }
        tables.push((
            ClassDef {
                name: c.name.clone(),
                bases: c.bases.clone(),
                tablename: c.tablename.clone(),
                is_abstract: false,
                origin: c.origin.clone(),
                columns: Vec::new(),
                args: Vec::new(),
                namespace: c.namespace.clone(),
                members: Vec::new(),
            },
            std::iter::once(idx).chain(from).collect(),
        ));
    }
    let mut owned: Vec<Option<ClassDef>> = classes.into_iter().map(Some).collect();
    for (shell, sources) in tables {
        // Flask-SQLAlchemy names a model without `__tablename__` by its class name in snake_case
        // (`UserProfile` → `user_profile`); plain declarative would refuse it, so this is the
        // only reading that gives a table.
        let table_name = shell.tablename.clone().unwrap_or_else(|| to_snake(&shell.name));
        pending.classes.insert(shell.name.clone(), table_name.clone());
        let mut parts: Vec<(Vec<ColDef>, Vec<TableArg>)> = Vec::new();
        for (k, s) in sources.iter().enumerate() {
            // The model's own definitions are moved; mixins are shared, so they are re-read.
            if k == 0 {
                if let Some(c) = owned[*s].take() {
                    parts.push((c.columns, c.args));
                }
            } else if let Some(c) = owned[*s].as_ref() {
                parts.push((c.columns.iter().map(clone_col).collect(), Vec::new()));
            }
        }
        let mut columns = Vec::new();
        let mut args = Vec::new();
        for (c, a) in parts {
            columns.extend(c);
            args.extend(a);
        }
        build_table(table_name, shell, columns, args, out, pending);
    }
    for core in cores {
        let name = core.tablename.clone().unwrap_or_default();
        pending.classes.insert(core.name.clone(), name.clone());
        let ClassDef { columns, args, .. } = core;
        let shell = ClassDef {
            name: String::new(),
            bases: Vec::new(),
            tablename: Some(name.clone()),
            is_abstract: false,
            origin: core.origin,
            columns: Vec::new(),
            args: Vec::new(),
            namespace: core.namespace,
            members: Vec::new(),
        };
        build_table(name, shell, columns, args, out, pending);
    }
    pending.indexes.extend(module_indexes);
}

fn clone_col(c: &ColDef) -> ColDef {
    ColDef {
        name: c.name.clone(),
        origin: c.origin.clone(),
        ty: c.ty.clone(),
        nullable: c.nullable,
        annotated_optional: c.annotated_optional,
        pk: c.pk,
        unique: c.unique,
        index: c.index,
        server_default: c.server_default.clone(),
        client_default: c.client_default.clone(),
        on_update: c.on_update.clone(),
        comment: c.comment.clone(),
        identity: c.identity,
        autoincrement: c.autoincrement,
        fks: c.fks.clone(),
    }
}

/// Reports an unreadable line, marking its first physical line from `offset`.
fn unreadable(cx: &BlockCx, offset: usize, what: &str, out: &mut Partial) {
    let rest = cx.block.content.get(offset..).unwrap_or("");
    let len = rest.split('\n').next().unwrap_or("").trim_end().chars().count() as u32;
    let origin = cx.origin(offset);
    let span = Span::new(origin.file.clone(), origin.line, origin.column, len);
    out.diagnostics.push(SQLALCHEMY_UNREADABLE_LINE.at(span, what.to_string()));
}

/// What skipping logical line `l` loses: `it is skipped`, or the markdown lines it spans.
fn skipped(cx: &BlockCx, l: &Line) -> String {
    let text = cx.masked.get(l.start..l.end).unwrap_or("").trim_end();
    let (first, _) = cx.block.position(l.start);
    let (last, _) = cx.block.position(l.start + text.len().saturating_sub(1));
    if last > first {
        format!("lines {first}–{last} are skipped")
    } else {
        "it is skipped".to_string()
    }
}

/// Reads `class Name(Bases):` and its body lines.
fn read_class(
    cx: &BlockCx,
    at: usize,
    header: &str,
    body: std::ops::Range<usize>,
    out: &mut Partial,
) -> Option<ClassDef> {
    let line = &cx.lines[at];
    let name_len = header.find(|c: char| !(c.is_alphanumeric() || c == '_')).unwrap_or(header.len());
    let name = &header[..name_len];
    if !is_ident(name) {
        return None;
    }
    let rest = header[name_len..].trim_start();
    let bases: Vec<String> = match rest.strip_prefix('(') {
        Some(r) => {
            let close = matching(rest, 0).unwrap_or(rest.len());
            let inner = &r[..close.saturating_sub(1).min(r.len())];
            args(inner).into_iter().filter(|(_, a)| kwarg(a).is_none()).map(|(_, a)| a.to_string()).collect()
        }
        None => Vec::new(),
    };
    let mut class = ClassDef {
        name: name.to_string(),
        bases,
        tablename: None,
        is_abstract: false,
        origin: cx.origin(line.start + "class ".len()),
        columns: Vec::new(),
        args: Vec::new(),
        namespace: None,
        members: Vec::new(),
    };
    let is_enum = enums::is_enum_class(&class.bases);
    let body_indent = body.clone().next().map(|j| cx.lines[j].indent);
    let mut table_args_lines = Vec::new();
    let mut problems: Vec<(usize, String)> = Vec::new();
    for j in body {
        let l = &cx.lines[j];
        if Some(l.indent) != body_indent {
            continue;
        }
        let text = cx.text(l).trim_end();
        if text.starts_with("def ")
            || text.starts_with("async ")
            || text.starts_with('@')
            || text.starts_with("class ")
            || text.starts_with('"')
            || text.starts_with('\'')
        {
            continue;
        }
        if let Some(v) = dunder_value(text, "__tablename__") {
            if let Some(s) = py_string(v) {
                class.tablename = Some(s);
            }
            continue;
        }
        if let Some(v) = dunder_value(text, "__abstract__") {
            class.is_abstract = v.trim() == "True";
            continue;
        }
        if dunder_value(text, "__table_args__").is_some() {
            table_args_lines.push(j);
            continue;
        }
        if text.starts_with("__") {
            continue;
        }
        if is_enum {
            class.members.extend(enums::member(text));
            continue;
        }
        match read_attribute(cx, l, text) {
            Attr::Column(c) => {
                if let Some(pos) = class.columns.iter().position(|x| name_key(&x.name) == name_key(&c.name)) {
                    let first = class.columns.remove(pos);
                    out.diagnostics.push(
                        SQLALCHEMY_DUPLICATE_DEFINITION
                            .at(
                                Span::from(&c.origin),
                                format!(
                                    "column `{}` of class `{}` is defined again; this one wins",
                                    c.name, class.name
                                ),
                            )
                            .with_related(Span::from(&first.origin), "first defined here"),
                    );
                }
                class.columns.push(*c);
            }
            Attr::Unreadable(offset, what) => problems.push((offset, what)),
            Attr::Other => {}
        }
    }
    // Table arguments after the columns, so checks can name the columns.
    for j in table_args_lines {
        let l = &cx.lines[j];
        let text = cx.text(l);
        if l.unbalanced {
            problems.push((l.start, format!("`__table_args__` has unbalanced brackets; {}", skipped(cx, l))));
            continue;
        }
        let Some(eq) = text.find('=') else { continue };
        let value_off = l.start + eq + 1;
        let value = &text[eq + 1..];
        read_table_args(cx, value_off, value, &mut class, &mut problems);
    }
    // Lines are judged only in classes that map a table: elsewhere odd code is none of our business.
    let maps_table = class.tablename.is_some() || !class.columns.is_empty();
    if maps_table {
        for (offset, what) in problems {
            unreadable(cx, offset, &what, out);
        }
    }
    Some(class)
}

/// The value of `__name__ = value` (also `__name__: str = value`).
fn dunder_value<'a>(text: &'a str, name: &str) -> Option<&'a str> {
    let rest = text.strip_prefix(name)?.trim_start();
    let rest = match rest.strip_prefix(':') {
        Some(r) => r.split_once('=').map(|(_, v)| v)?,
        None => rest.strip_prefix('=')?,
    };
    Some(rest.trim())
}

enum Attr {
    Column(Box<ColDef>),
    /// (offset in block, message).
    Unreadable(usize, String),
    Other,
}

/// Reads `name = Column(...)`, `name: Mapped[T] = mapped_column(...)`, `name: Mapped[T]`.
fn read_attribute(cx: &BlockCx, l: &Line, text: &str) -> Attr {
    let name_len = text.find(|c: char| !(c.is_alphanumeric() || c == '_')).unwrap_or(text.len());
    let name = &text[..name_len];
    if !is_ident(name) {
        return Attr::Other;
    }
    let rest = text[name_len..].trim_start();
    let (annotation, rhs, rhs_off) = if let Some(r) = rest.strip_prefix(':') {
        match split_top(r, b'=').into_iter().collect::<Vec<_>>().as_slice() {
            [(_, ann)] => (Some(ann.trim()), None, 0),
            [(_, ann), (o, v), ..] => (Some(ann.trim()), Some(*v), text.len() - r.len() + o),
            _ => (None, None, 0),
        }
    } else if let Some(r) = rest.strip_prefix('=').filter(|r| !r.starts_with('=')) {
        (None, Some(r), text.len() - r.len())
    } else {
        return Attr::Other;
    };
    let mapped = annotation.and_then(mapped_inner);
    let looks_like_column = rhs.is_some_and(|r| r.contains("Column(") || r.contains("mapped_column("));
    if l.unbalanced && (looks_like_column || mapped.is_some()) {
        return Attr::Unreadable(
            l.start,
            format!("column `{name}` cannot be read (unbalanced brackets); {}", skipped(cx, l)),
        );
    }
    let origin = cx.origin(l.start);
    let comment = (!l.comments.is_empty()).then(|| l.comments.join(" "));
    let mut col = ColDef {
        name: name.to_string(),
        origin,
        ty: None,
        nullable: None,
        annotated_optional: None,
        pk: false,
        unique: false,
        index: false,
        server_default: None,
        client_default: None,
        on_update: None,
        comment,
        identity: None,
        autoincrement: None,
        fks: Vec::new(),
    };
    if let Some((optional, inner)) = &mapped {
        col.annotated_optional = Some(*optional);
        // An annotation no map knows (an enum class, a custom type) is kept as written.
        col.ty = python_type(inner).or_else(|| {
            let plain = inner.chars().all(|c| c.is_alphanumeric() || c == '_' || c == '.');
            plain.then(|| DataType::new(TypeKind::Other { raw: inner.clone() }, inner.clone()))
        });
    }
    match rhs {
        Some(r) => match find_call(r, &["mapped_column", "Column"]) {
            Some(Ok((_, call_args, args_off))) => {
                let is_mapped = r.contains("mapped_column(");
                if !is_mapped {
                    col.annotated_optional = None;
                }
                // An explicit type wins over the annotation's.
                let annotated = col.ty.take();
                read_column_args(cx, l.start + rhs_off + args_off, call_args, &mut col);
                if col.ty.is_none() {
                    col.ty = annotated;
                }
                if col.ty.is_none() && col.fks.is_empty() {
                    return Attr::Unreadable(
                        l.start,
                        format!("column `{name}` has no type that can be read; it is skipped"),
                    );
                }
                Attr::Column(Box::new(col))
            }
            Some(Err(_)) => Attr::Unreadable(l.start, format!("column `{name}` cannot be read; it is skipped")),
            None => Attr::Other,
        },
        None if mapped.is_some() => {
            if col.ty.is_none() {
                let ann = annotation.unwrap_or("");
                // `Mapped[List["Address"]]` without `relationship()` is a relationship too.
                if ann.contains("List[") || ann.contains("list[") || ann.contains('"') || ann.contains('\'') {
                    return Attr::Other;
                }
                return Attr::Unreadable(l.start, format!("the type of `{name}: {ann}` cannot be read; it is skipped"));
            }
            Attr::Column(Box::new(col))
        }
        None => Attr::Other,
    }
}

/// `Mapped[Optional[str]]` → (true, `str`); `Mapped[int]` → (false, `int`).
fn mapped_inner(annotation: &str) -> Option<(bool, String)> {
    let a = annotation.trim();
    let open = a.find('[')?;
    if last_segment(a[..open].trim()) != "Mapped" {
        return None;
    }
    let inner = a[open + 1..].strip_suffix(']')?.trim();
    let inner = inner.trim_matches(['"', '\'']);
    if let Some(x) = inner.strip_prefix("Optional[").and_then(|x| x.strip_suffix(']')) {
        return Some((true, x.trim().to_string()));
    }
    if let Some(x) = inner.strip_prefix("Union[").and_then(|x| x.strip_suffix(']')) {
        let parts: Vec<&str> = x.split(',').map(str::trim).filter(|p| *p != "None").collect();
        return Some((x.contains("None"), parts.join(", ")));
    }
    let parts: Vec<&str> = split_top(inner, b'|').into_iter().map(|(_, p)| p.trim()).collect();
    if parts.len() > 1 {
        let rest: Vec<&str> = parts.iter().copied().filter(|p| *p != "None").collect();
        return Some((parts.contains(&"None"), rest.join(" | ")));
    }
    Some((false, inner.to_string()))
}

/// The type SQLAlchemy 2.0's default annotation map gives a python type.
fn python_type(t: &str) -> Option<DataType> {
    let kind = match last_segment(t.trim()) {
        "str" => TypeKind::Varchar { len: None },
        "int" => TypeKind::Int { bytes: 4 },
        "bool" => TypeKind::Bool,
        "float" => TypeKind::Float { bytes: 8 },
        "Decimal" => TypeKind::Decimal { precision: None, scale: None },
        "datetime" => TypeKind::Timestamp { tz: false, precision: None },
        "date" => TypeKind::Date,
        "time" => TypeKind::Time { tz: false },
        "timedelta" => TypeKind::Interval,
        "bytes" => TypeKind::Bytes,
        "UUID" => TypeKind::Uuid,
        // NOTE: dict/list need a `type_annotation_map` entry; JSON is what projects map them to.
        x if x.starts_with("dict") || x.starts_with("Dict") => return Some(DataType::loose(TypeKind::Json, t.trim())),
        _ => return None,
    };
    Some(DataType::new(kind, t.trim()))
}

/// A SQLAlchemy type expression (`String(36)`, `sa.DateTime(timezone=True)`, `postgresql.UUID(as_uuid=True)`).
fn sa_type(expr: &str) -> DataType {
    let e = expr.trim();
    let (callee, rest) = match e.find('(') {
        Some(i) => (&e[..i], &e[i..]),
        None => (e, ""),
    };
    let short = format!("{}{}", last_segment(callee.trim()), rest);
    if let Some(mut t) = parse_sqlalchemy_type(&short) {
        t.spelling = e.to_string();
        return t;
    }
    let t = parse_sql_type(&short);
    match t.kind {
        TypeKind::Other { .. } => DataType::new(TypeKind::Other { raw: e.to_string() }, e),
        kind => DataType::new(kind, e),
    }
}

fn is_true(v: &str) -> Option<bool> {
    match v.trim() {
        "True" => Some(true),
        "False" => Some(false),
        _ => None,
    }
}

/// A `server_default=` value: `func.now()`, `text("'pending'")`, `"literal"`, `sa.true()`.
fn server_default(v: &str) -> DefaultValue {
    let v = v.trim();
    if let Some(s) = py_string(v) {
        // NOTE: SQLAlchemy renders a plain string server default as a quoted SQL literal.
        let t = s.trim();
        if t.parse::<f64>().is_ok() {
            return DefaultValue::Number(t.to_string());
        }
        return match t.to_ascii_lowercase().as_str() {
            "true" => DefaultValue::Bool(true),
            "false" => DefaultValue::Bool(false),
            _ => DefaultValue::String(s),
        };
    }
    if let Some((callee, inner, _)) = call(v) {
        let last = last_segment(callee);
        match last {
            "text" | "literal_column" => {
                if let Some(sql) = args(inner).first().and_then(|(_, a)| py_string(a)) {
                    return parse_sql_default(&sql);
                }
            }
            "true" => return DefaultValue::Bool(true),
            "false" => return DefaultValue::Bool(false),
            "null" => return DefaultValue::Null,
            _ if callee.contains("func.") || callee == "func" => return parse_sql_default(&format!("{last}({inner})")),
            _ => {}
        }
    }
    DefaultValue::Raw(v.to_string())
}

/// `ForeignKey("users.id")`, `ForeignKey(User.id)`, `ForeignKey("public.users.id")`.
fn fk_ref(arg: &str) -> Option<FkRef> {
    if let Some(s) = py_string(arg) {
        let parts: Vec<&str> = s.split('.').collect();
        return match parts.as_slice() {
            [t] => Some(FkRef::Named { table: t.to_string(), column: None }),
            // `orchard.trees.id`: the table keeps its schema (`public` is the default one).
            [.., ns, t, c] => {
                Some(FkRef::Named { table: model::qualified_name(Some(ns), t), column: Some(c.to_string()) })
            }
            [t, c] => Some(FkRef::Named { table: t.to_string(), column: Some(c.to_string()) }),
            [] => None,
        };
    }
    let parts: Vec<&str> = arg.trim().split('.').collect();
    match parts.as_slice() {
        // `users.c.id` (a Core table variable).
        [t, "c", col] => Some(FkRef::Class { class: t.to_string(), attr: col.to_string() }),
        [.., class, attr] if parts.iter().all(|p| is_ident(p)) => {
            Some(FkRef::Class { class: class.to_string(), attr: attr.to_string() })
        }
        _ => None,
    }
}

fn action_kw(v: &str) -> Option<ReferentialAction> {
    py_string(v).and_then(|s| ReferentialAction::parse(&s))
}

/// Reads the arguments of `Column(...)`/`mapped_column(...)` into `col`.
fn read_column_args(cx: &BlockCx, off: usize, text: &str, col: &mut ColDef) {
    let mut positional = 0;
    for (o, a) in args(text) {
        if let Some((k, v)) = kwarg(a) {
            match k {
                "primary_key" => col.pk = is_true(v).unwrap_or(false),
                "nullable" => col.nullable = is_true(v),
                "unique" => col.unique = is_true(v).unwrap_or(false),
                "index" => col.index = is_true(v).unwrap_or(false),
                "default" | "insert_default" => col.client_default = Some(v.to_string()),
                "server_default" => col.server_default = Some(server_default(v)),
                "onupdate" => col.on_update = Some(v.to_string()),
                "server_onupdate" if col.on_update.is_none() => col.on_update = Some(v.to_string()),
                "comment" => {
                    if let Some(s) = py_string(v) {
                        col.comment = Some(s);
                    }
                }
                "autoincrement" => col.autoincrement = is_true(v),
                "name" => {
                    if let Some(s) = py_string(v) {
                        col.name = s;
                    }
                }
                "type_" => col.ty = Some(sa_type(v)),
                _ => {}
            }
            continue;
        }
        let first = positional == 0;
        positional += 1;
        if first {
            if let Some(s) = py_string(a) {
                col.name = s;
                continue;
            }
        }
        match call(a).map(|(c, inner, io)| (last_segment(c), inner, io)) {
            Some(("ForeignKey", inner, io)) => {
                let fargs = args(inner);
                let target = fargs.iter().find(|(_, x)| kwarg(x).is_none()).and_then(|(_, x)| fk_ref(x));
                let mut on_delete = None;
                let mut on_update = None;
                let mut name = None;
                for (_, x) in &fargs {
                    match kwarg(x) {
                        Some(("ondelete", v)) => on_delete = action_kw(v),
                        Some(("onupdate", v)) => on_update = action_kw(v),
                        Some(("name", v)) => name = py_string(v),
                        _ => {}
                    }
                }
                if let Some(t) = target {
                    let origin = cx.origin(off + o + io - "ForeignKey(".len());
                    col.fks.push(FkSpec { columns: Vec::new(), target: vec![t], on_delete, on_update, name, origin });
                }
            }
            Some(("Identity", inner, _)) => {
                let always = args(inner).iter().any(|(_, x)| matches!(kwarg(x), Some(("always", "True"))));
                col.identity = Some(if always { Identity::Always } else { Identity::ByDefault });
            }
            Some(("Sequence" | "Computed" | "FetchedValue" | "CheckConstraint", _, _)) => {}
            _ if col.ty.is_none() && !a.starts_with(['"', '\'']) => col.ty = Some(sa_type(a)),
            _ => {}
        }
    }
}

/// `__table_args__ = (UniqueConstraint(...), Index(...), {...})`.
fn read_table_args(cx: &BlockCx, off: usize, value: &str, class: &mut ClassDef, problems: &mut Vec<(usize, String)>) {
    let v = value.trim();
    let lead = value.len() - value.trim_start().len();
    let (inner, inner_off) = match v.chars().next() {
        Some('(') | Some('[') => match matching(v, 0) {
            Some(close) => (&v[1..close], off + lead + 1),
            None => {
                problems.push((off, "`__table_args__` cannot be read; it is skipped".to_string()));
                return;
            }
        },
        Some('{') => (v, off + lead),
        _ => {
            // A function call like `get_args()`: nothing to read.
            return;
        }
    };
    for (o, item) in args(inner) {
        if item.starts_with('{') {
            read_dict_args(item, class);
            continue;
        }
        let Some(arg) = table_arg(cx, inner_off + o, item, &class.columns) else {
            if item.contains('(') {
                problems.push((inner_off + o, format!("`{}` in `__table_args__` cannot be read", first_line(item))));
            }
            continue;
        };
        class.args.push(arg);
    }
}

fn first_line(s: &str) -> &str {
    s.lines().next().unwrap_or(s).trim()
}

fn read_dict_args(item: &str, class: &mut ClassDef) {
    let inner = item.trim().trim_start_matches('{').trim_end_matches('}');
    for (_, kv) in args(inner) {
        if let Some((k, v)) = kv.split_once(':') {
            if py_string(k).as_deref() == Some("schema") {
                class.namespace = py_string(v);
            }
        }
    }
}

/// The column an index/constraint argument names: `"email"`, `User.email`, `email`,
/// `User.email.desc()`, `desc("email")`; with its descending flag.
fn column_arg(a: &str) -> Option<(String, bool)> {
    if let Some(s) = py_string(a) {
        return Some((s, false));
    }
    let a = a.trim();
    if let Some((callee, inner, _)) = call(a) {
        let last = last_segment(callee);
        if matches!(last, "desc" | "asc") {
            // `desc("email")`, `User.email.desc()`.
            if inner.trim().is_empty() {
                let base = callee.rsplit_once('.').map(|(b, _)| b)?;
                return column_arg(base).map(|(c, _)| (c, last == "desc"));
            }
            return column_arg(inner).map(|(c, _)| (c, last == "desc"));
        }
        return None;
    }
    let last = last_segment(a);
    (a.split('.').all(is_ident)).then(|| (last.to_string(), false))
}

/// One constraint or index call.
fn table_arg(cx: &BlockCx, off: usize, item: &str, columns: &[ColDef]) -> Option<TableArg> {
    let (callee, inner, _) = call(item)?;
    let origin = cx.origin(off);
    let a = args(inner);
    let positional: Vec<&str> = a.iter().filter(|(_, x)| kwarg(x).is_none()).map(|(_, x)| *x).collect();
    let kw = |key: &str| a.iter().find_map(|(_, x)| kwarg(x).filter(|(k, _)| *k == key).map(|(_, v)| v));
    let name = kw("name").and_then(py_string);
    match last_segment(callee) {
        "UniqueConstraint" => {
            let cols: Vec<String> = positional.iter().filter_map(|p| column_arg(p).map(|c| c.0)).collect();
            (!cols.is_empty()).then_some(TableArg::Unique { name, columns: cols, origin })
        }
        "PrimaryKeyConstraint" => {
            let cols: Vec<String> = positional.iter().filter_map(|p| column_arg(p).map(|c| c.0)).collect();
            (!cols.is_empty()).then_some(TableArg::Pk { name, columns: cols, origin })
        }
        "Index" => {
            let (name, rest) = match positional.split_first() {
                Some((n, rest)) => (py_string(n), rest.to_vec()),
                None => (None, Vec::new()),
            };
            let mut parts = Vec::new();
            for p in rest {
                if let Some((c, inner, _)) = call(p) {
                    if matches!(last_segment(c), "text" | "literal_column") {
                        let expr = args(inner).first().and_then(|(_, s)| py_string(s)).unwrap_or_default();
                        parts.push(IndexPart { column: None, expr: Some(expr), descending: false, opclass: None });
                        continue;
                    }
                    if c.starts_with("func.") {
                        parts.push(IndexPart {
                            column: None,
                            expr: Some(p.to_string()),
                            descending: false,
                            opclass: None,
                        });
                        continue;
                    }
                }
                let (col, desc) = column_arg(p)?;
                parts.push(IndexPart { column: Some(col), expr: None, descending: desc, opclass: None });
            }
            if parts.is_empty() {
                return None;
            }
            let method = ["postgresql_using", "mysql_using"].iter().find_map(|k| kw(k).and_then(py_string));
            let predicate = ["postgresql_where", "sqlite_where"].iter().find_map(|k| {
                kw(k).map(|v| match call(v) {
                    Some((c, inner, _)) if last_segment(c) == "text" => {
                        args(inner).first().and_then(|(_, s)| py_string(s)).unwrap_or_else(|| v.to_string())
                    }
                    _ => v.to_string(),
                })
            });
            let include = kw("postgresql_include")
                .map(|v| {
                    let v = v.trim().trim_start_matches(['[', '(']).trim_end_matches([']', ')']);
                    args(v).into_iter().filter_map(|(_, x)| py_string(x)).collect()
                })
                .unwrap_or_default();
            Some(TableArg::Index(Index {
                name,
                table: String::new(),
                parts,
                unique: kw("unique").and_then(is_true).unwrap_or(false),
                method,
                predicate,
                include,
                origin,
            }))
        }
        "CheckConstraint" => {
            let expr = positional.first().and_then(|p| {
                py_string(p).or_else(|| {
                    call(p)
                        .filter(|(c, _, _)| last_segment(c) == "text")
                        .and_then(|(_, i, _)| args(i).first().and_then(|(_, s)| py_string(s)))
                })
            })?;
            let cols: Vec<String> = crate::context::identifiers(&expr)
                .into_iter()
                .filter(|w| columns.iter().any(|c| name_key(&c.name) == name_key(w)))
                .map(str::to_string)
                .fold(Vec::new(), |mut v, w| {
                    if !v.contains(&w) {
                        v.push(w);
                    }
                    v
                });
            Some(TableArg::Check(Check { name, expr, columns: cols, origin }))
        }
        "ForeignKeyConstraint" => {
            let list = |s: &str| -> Vec<String> {
                let s = s.trim().trim_start_matches(['[', '(']).trim_end_matches([']', ')']);
                args(s).into_iter().filter_map(|(_, x)| py_string(x).or_else(|| column_arg(x).map(|c| c.0))).collect()
            };
            let cols = list(positional.first()?);
            let targets: Vec<FkRef> = {
                let s = positional.get(1)?.trim().trim_start_matches(['[', '(']).trim_end_matches([']', ')']);
                args(s).into_iter().filter_map(|(_, x)| fk_ref(x)).collect()
            };
            if cols.is_empty() || targets.is_empty() {
                return None;
            }
            Some(TableArg::Fk(FkSpec {
                columns: cols,
                target: targets,
                on_delete: kw("ondelete").and_then(action_kw),
                on_update: kw("onupdate").and_then(action_kw),
                name,
                origin,
            }))
        }
        _ => None,
    }
}

/// Module-level statements: `users = Table("users", metadata, ...)` and `Index("ix", User.email)`.
fn read_module_line(
    cx: &BlockCx,
    l: &Line,
    cores: &mut Vec<ClassDef>,
    module_indexes: &mut Vec<(String, Index)>,
    out: &mut Partial,
) {
    let text = cx.text(l);
    let (var, rhs, rhs_off) = match text.split_once('=') {
        Some((lhs, rhs)) if is_ident(lhs.trim()) && !rhs.starts_with('=') => (lhs.trim(), rhs, text.len() - rhs.len()),
        _ => ("", text, 0),
    };
    let lead = rhs.len() - rhs.trim_start().len();
    let Some((callee, inner, io)) = call(rhs.trim()) else {
        if l.unbalanced && (rhs.trim_start().starts_with("Table(") || rhs.contains(".Table(")) {
            let what = format!("`Table(...)` cannot be read (unbalanced brackets); {}", skipped(cx, l));
            unreadable(cx, l.start, &what, out);
        }
        return;
    };
    let base = l.start + rhs_off + lead + io;
    match last_segment(callee) {
        "Table" => {
            let a = args(inner);
            let Some(name) = a.first().and_then(|(_, n)| py_string(n)) else { return };
            let mut t = ClassDef {
                name: if var.is_empty() { name.clone() } else { var.to_string() },
                bases: Vec::new(),
                tablename: Some(name),
                is_abstract: false,
                origin: cx.origin(base + a[0].0 + 1),
                columns: Vec::new(),
                args: Vec::new(),
                namespace: None,
                members: Vec::new(),
            };
            for (o, item) in a.iter().skip(1) {
                if let Some(("schema", v)) = kwarg(item) {
                    t.namespace = py_string(v);
                    continue;
                }
                match call(item) {
                    Some((c, cargs, cio)) if last_segment(c) == "Column" => {
                        let mut col = ColDef {
                            name: String::new(),
                            origin: cx.origin(base + o),
                            ty: None,
                            nullable: None,
                            annotated_optional: None,
                            pk: false,
                            unique: false,
                            index: false,
                            server_default: None,
                            client_default: None,
                            on_update: None,
                            comment: None,
                            identity: None,
                            autoincrement: None,
                            fks: Vec::new(),
                        };
                        read_column_args(cx, base + o + cio, cargs, &mut col);
                        if col.name.is_empty() {
                            unreadable(
                                cx,
                                base + o,
                                "a `Column(...)` without a name cannot be read; it is skipped",
                                out,
                            );
                            continue;
                        }
                        t.columns.push(col);
                    }
                    Some(_) => {
                        if let Some(arg) = table_arg(cx, base + o, item, &t.columns) {
                            t.args.push(arg);
                        }
                    }
                    None => {}
                }
            }
            cores.push(t);
        }
        "Index" => {
            let a = args(inner);
            // The owner: the class or table variable of the first column argument.
            let owner = a.iter().skip(1).find_map(|(_, x)| {
                let x = x.trim();
                let parts: Vec<&str> = x.split(['.', '(']).collect();
                (parts.len() >= 2 && is_ident(parts[0]) && !x.starts_with(['"', '\''])).then(|| parts[0].to_string())
            });
            let Some(owner) = owner else { return };
            if let Some(TableArg::Index(index)) = table_arg(cx, l.start + rhs_off + lead, rhs.trim(), &[]) {
                module_indexes.push((owner, index));
            }
        }
        _ => {}
    }
}

/// Turns one model's definitions into a table of the partial.
fn build_table(
    name: String,
    shell: ClassDef,
    columns: Vec<ColDef>,
    args: Vec<TableArg>,
    out: &mut Partial,
    pending: &mut Pending,
) {
    if let Some(existing) = out.schema.table(&name) {
        let d = SQLALCHEMY_DUPLICATE_DEFINITION
            .at(Span::from(&shell.origin), format!("table `{name}` is mapped again; the first definition is kept"))
            .with_related(Span::from(&existing.origin), "first mapped here");
        out.diagnostics.push(d);
        return;
    }
    let mut table = Table::new(name.clone(), shell.origin.clone());
    table.namespace = shell.namespace.clone();
    let ti = out.schema.tables.len();
    let pk_cols: Vec<&ColDef> = columns.iter().filter(|c| c.pk).collect();
    let single_pk = pk_cols.len() == 1;
    if !pk_cols.is_empty() {
        table.primary_key = Some(PrimaryKey {
            name: None,
            columns: pk_cols.iter().map(|c| c.name.clone()).collect(),
            origin: pk_cols[0].origin.clone(),
        });
    }
    for c in columns {
        let nullable = match (c.nullable, c.annotated_optional) {
            (Some(n), _) => n && !c.pk,
            _ if c.pk => false,
            (None, Some(optional)) => optional,
            (None, None) => true,
        };
        let ty = match c.ty.clone() {
            Some(t) => t,
            None => {
                if let Some(r) = c.fks.first().and_then(|f| f.target.first()) {
                    pending.untyped.push((ti, c.name.clone(), r.clone()));
                }
                DataType::loose(TypeKind::Other { raw: String::new() }, "")
            }
        };
        let mut col = Column::new(c.name.clone(), ty, c.origin.clone());
        col.nullable = nullable;
        col.stated = Stated { nullable: true, default: true };
        col.default = c.server_default.clone();
        col.client_default = c.client_default.clone();
        col.on_update = c.on_update.clone();
        col.comment = c.comment.clone();
        col.identity = c.identity;
        // NOTE: SQLAlchemy makes a lone integer primary key without a foreign key autoincrement
        // (SERIAL on PostgreSQL, AUTO_INCREMENT on MySQL, the rowid alias on SQLite) unless told not to.
        let int = matches!(col.ty.kind, TypeKind::Int { .. });
        if col.identity.is_none()
            && (c.autoincrement == Some(true)
                || (c.autoincrement.is_none() && c.pk && single_pk && int && c.fks.is_empty()))
            && int
        {
            col.identity = Some(Identity::AutoIncrement);
        }
        if c.unique && !c.index {
            table.uniques.push(Unique { name: None, columns: vec![c.name.clone()], origin: c.origin.clone() });
        }
        if c.index {
            // NOTE: `index=True` makes `ix_<table>_<column>`; with `unique=True` it is a unique
            // index and no separate constraint.
            out.schema.indexes.push(Index {
                name: Some(format!("ix_{name}_{}", c.name)),
                table: name.clone(),
                parts: vec![IndexPart::column(c.name.clone())],
                unique: c.unique,
                method: None,
                predicate: None,
                include: Vec::new(),
                origin: c.origin.clone(),
            });
        }
        for mut fk in c.fks {
            fk.columns = vec![c.name.clone()];
            pending.fks.push((ti, fk));
        }
        table.columns.push(col);
    }
    for a in args {
        match a {
            TableArg::Unique { name, columns, origin } => table.uniques.push(Unique { name, columns, origin }),
            TableArg::Index(mut i) => {
                i.table = name.clone();
                out.schema.indexes.push(i);
            }
            TableArg::Check(c) => table.checks.push(c),
            TableArg::Fk(fk) => pending.fks.push((ti, fk)),
            TableArg::Pk { name, columns, origin } => {
                for c in &columns {
                    if let Some(col) = table.column_mut(c) {
                        col.nullable = false;
                    }
                }
                table.primary_key = Some(PrimaryKey { name, columns, origin });
            }
        }
    }
    out.schema.tables.push(table);
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scan::scan;

    fn run(md: &str) -> Partial {
        extract(&[scan("t.md".into(), md)])
    }

    const CLASSIC: &str = r#"## 8.1 chat_sessions

```python
class ChatSession(Base):
    __tablename__ = "chat_sessions"
    
    id = Column(String(36), primary_key=True)
    user_id = Column(String(36), ForeignKey("users.id", ondelete="CASCADE"), nullable=False, index=True)
    email = Column(String(100), unique=True)
    scenario = Column(Text, nullable=True)  # JSON 문자열
    started_at = Column(DateTime(timezone=True), server_default=func.now())
    status = Column(String(20), server_default=text("'pending'"), default="pending")
    turn_count = Column(Integer, default=0)
    updated_at = Column(DateTime, onupdate=func.now())
    owner = relationship("User", back_populates="sessions")

    def __repr__(self):
        return f"<ChatSession {self.id}>"
```
"#;

    #[test]
    fn classic_declarative_columns() {
        let p = run(CLASSIC);
        assert!(p.diagnostics.is_empty(), "{:?}", p.diagnostics);
        let t = p.schema.table("chat_sessions").unwrap();
        assert_eq!((t.origin.line, t.origin.column), (4, 7));
        let names: Vec<_> = t.columns.iter().map(|c| c.name.as_str()).collect();
        assert_eq!(names, ["id", "user_id", "email", "scenario", "started_at", "status", "turn_count", "updated_at"]);
        let id = t.column("id").unwrap();
        assert!(!id.nullable && id.stated.nullable && id.identity.is_none());
        assert_eq!((id.origin.line, id.origin.column), (7, 5));
        assert_eq!(t.primary_key.as_ref().unwrap().columns, ["id"]);
        assert!(!t.column("user_id").unwrap().nullable);
        assert!(t.column("scenario").unwrap().nullable);
        assert_eq!(t.column("scenario").unwrap().comment.as_deref(), Some("JSON 문자열"));
        assert_eq!(t.column("started_at").unwrap().default, Some(DefaultValue::CurrentTimestamp));
        let status = t.column("status").unwrap();
        assert_eq!(status.default, Some(DefaultValue::String("pending".into())));
        assert_eq!(status.client_default.as_deref(), Some("\"pending\""));
        let turns = t.column("turn_count").unwrap();
        assert_eq!((turns.default.clone(), turns.client_default.as_deref()), (None, Some("0")));
        assert_eq!(t.column("updated_at").unwrap().on_update.as_deref(), Some("func.now()"));
        assert_eq!(t.foreign_keys.len(), 1);
        let fk = &t.foreign_keys[0];
        assert_eq!(
            (fk.ref_table.as_str(), fk.ref_columns.clone(), fk.on_delete),
            ("users", vec!["id".to_string()], Some(ReferentialAction::Cascade))
        );
        assert_eq!((fk.origin.line, fk.origin.column), (8, 34));
        assert_eq!(t.uniques[0].columns, ["email"]);
        assert_eq!(p.schema.indexes[0].name.as_deref(), Some("ix_chat_sessions_user_id"));
    }

    #[test]
    fn mapped_columns_table_args_and_mixins() {
        let md = r#"```python
class TimestampMixin:
    created_at: Mapped[datetime] = mapped_column(server_default=func.now())

class User(TimestampMixin, Base):
    __tablename__ = 'users'
    __table_args__ = (
        UniqueConstraint("email", "tenant", name="uq_users_email"),
        Index("ix_users_name", "name", postgresql_using="gin"),
        CheckConstraint("age >= 0", name="ck_age"),
        {"schema": "app"},
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(255))
    tenant: Mapped[Optional[str]]
    name: Mapped[str | None] = mapped_column(Text, comment="표시 이름")
    age: Mapped[int] = mapped_column(default=0)
    posts: Mapped[List["Post"]] = relationship(back_populates="author")

class Post(Base):
    __tablename__ = "posts"
    id = Column(Integer, primary_key=True, autoincrement=False)
    author_id = Column(ForeignKey(User.id))
```
"#;
        let p = run(md);
        assert!(p.diagnostics.is_empty(), "{:?}", p.diagnostics);
        let u = p.schema.table("users").unwrap();
        assert_eq!(u.namespace.as_deref(), Some("app"));
        let names: Vec<_> = u.columns.iter().map(|c| c.name.as_str()).collect();
        assert_eq!(names, ["id", "email", "tenant", "name", "age", "created_at"]);
        let id = u.column("id").unwrap();
        assert_eq!((id.identity, id.nullable), (Some(Identity::AutoIncrement), false));
        assert!(!u.column("email").unwrap().nullable);
        assert_eq!(u.column("email").unwrap().ty.kind, TypeKind::Varchar { len: Some(255) });
        assert!(u.column("tenant").unwrap().nullable);
        assert!(u.column("name").unwrap().nullable);
        assert_eq!(u.column("name").unwrap().comment.as_deref(), Some("표시 이름"));
        assert_eq!(u.column("age").unwrap().client_default.as_deref(), Some("0"));
        assert_eq!(u.column("created_at").unwrap().default, Some(DefaultValue::CurrentTimestamp));
        assert_eq!(u.uniques[0].name.as_deref(), Some("uq_users_email"));
        assert_eq!(u.checks[0].columns, ["age"]);
        let ix = p.schema.indexes.iter().find(|i| i.name.as_deref() == Some("ix_users_name")).unwrap();
        assert_eq!((ix.table.as_str(), ix.method.as_deref()), ("users", Some("gin")));
        let post = p.schema.table("posts").unwrap();
        assert_eq!(post.column("id").unwrap().identity, None);
        assert_eq!(post.foreign_keys[0].ref_table, "users");
        assert_eq!(post.column("author_id").unwrap().ty.kind, TypeKind::Int { bytes: 4 });
    }

    #[test]
    fn core_tables_and_module_indexes() {
        let md = r#"```python
metadata = MetaData()
events = Table(
    "events", metadata,
    Column("id", BigInteger, primary_key=True),
    Column("kind", String(20), nullable=False),
    Column("payload", JSONB),
    Index("ix_events_kind", "kind"),
)
Index("ix_events_payload", events.c.payload, postgresql_using="gin")
```
"#;
        let p = run(md);
        assert!(p.diagnostics.is_empty(), "{:?}", p.diagnostics);
        let t = p.schema.table("events").unwrap();
        assert_eq!(t.columns.len(), 3);
        assert!(!t.column("kind").unwrap().nullable);
        assert_eq!(t.column("payload").unwrap().ty.kind, TypeKind::Jsonb);
        let idx: Vec<_> = p.schema.indexes.iter().map(|i| (i.name.clone().unwrap(), i.table.clone())).collect();
        assert_eq!(idx, [("ix_events_kind".into(), "events".into()), ("ix_events_payload".into(), "events".into())]);
    }

    #[test]
    fn non_model_code_gives_nothing() {
        let md = r#"```python
engine = create_async_engine(
    settings.DATABASE_URL,
    echo=False,
)

@asynccontextmanager
async def lifespan(app: FastAPI):
    yield

class UserIn(BaseModel):
    email: str
    name: Optional[str] = None
```
"#;
        let p = run(md);
        assert!(p.schema.tables.is_empty());
        assert!(p.diagnostics.is_empty());
    }

    #[test]
    fn unreadable_lines_and_duplicates_are_reported() {
        let md = r#"```python
class A(Base):
    __tablename__ = "a"
    id = Column(Integer, primary_key=True)
    id = Column(BigInteger, primary_key=True)
    weird: Mapped[Something]
    name = Column(String(10)
```

```python
class B(Base):
    __tablename__ = "a"
    x = Column(Integer)
```
"#;
        let p = run(md);
        let rules: Vec<_> = p.diagnostics.iter().map(|d| (d.rule, d.span.line)).collect();
        assert_eq!(
            rules,
            [
                ("sqlalchemy-duplicate-definition", 5),
                ("sqlalchemy-unreadable-line", 7),
                ("sqlalchemy-duplicate-definition", 11),
            ]
        );
        let a = p.schema.table("a").unwrap();
        assert_eq!(a.column("id").unwrap().ty.kind, TypeKind::Int { bytes: 8 });
        // An annotation no map knows keeps its type as written.
        assert_eq!(a.column("weird").unwrap().ty.kind, TypeKind::Other { raw: "Something".into() });
    }

    #[test]
    fn enum_classes_of_the_block_type_their_columns() {
        let md = r#"```python
class Mood(str, enum.Enum):
    CALM = "calm"
    STORMY = "stormy"

class Grade(enum.IntEnum):
    LOW = 1
    HIGH = 2

class Voyage(Base):
    __tablename__ = "voyages"
    id: Mapped[int] = mapped_column(primary_key=True)
    mood: Mapped[Mood] = mapped_column(default=Mood.CALM)
    grade = Column(Enum(Grade, name="grade_kind", values_callable=lambda e: [m.value for m in e]))
    ship: Mapped[Ship]

class Ship(Base):
    __tablename__ = "ships"
    id: Mapped[int] = mapped_column(primary_key=True)
```
"#;
        let p = run(md);
        assert!(p.diagnostics.is_empty(), "{:#?}", p.diagnostics);
        let v = p.schema.table("voyages").unwrap();
        assert_eq!(v.column("mood").unwrap().ty.kind, TypeKind::Enum { name: "mood".into() });
        assert_eq!(v.column("grade").unwrap().ty.kind, TypeKind::Enum { name: "grade_kind".into() });
        assert!(v.column("ship").is_none(), "a mapped class is a relationship, not a column");
        let names: Vec<(&str, Vec<&str>)> =
            p.schema.enums.iter().map(|e| (e.name.as_str(), e.values.iter().map(String::as_str).collect())).collect();
        // NOTE: SQLAlchemy stores member names unless `values_callable` says values.
        assert_eq!(names, [("mood", vec!["CALM", "STORMY"]), ("grade_kind", vec!["1", "2"])]);
    }

    #[test]
    fn an_unclosed_bracket_loses_only_its_own_line() {
        let md = r#"```python
class Customer(Base):
    __tablename__ = "customers"

    id = Column(Integer, primary_key=True)
    email = Column(String(100), nullable=False
    name = Column(String(80))
    phone = Column(
        String(20),
        nullable=True)
    note = Column(Text,
        comment="x"
    created_at: Mapped[datetime] = mapped_column(DateTime)


class Order(Base):
    __tablename__ = "orders"

    id = Column(Integer, primary_key=True)
```
"#;
        let p = run(md);
        let found: Vec<_> =
            p.diagnostics.iter().map(|d| (d.rule, d.span.line, d.span.len, d.message.as_str())).collect();
        assert_eq!(
            found,
            [
                (
                    "sqlalchemy-unreadable-line",
                    6,
                    42,
                    "column `email` cannot be read (unbalanced brackets); it is skipped"
                ),
                (
                    "sqlalchemy-unreadable-line",
                    11,
                    19,
                    "column `note` cannot be read (unbalanced brackets); lines 11–12 are skipped"
                ),
            ]
        );
        let columns: Vec<&str> = p.schema.table("customers").unwrap().columns.iter().map(|c| c.name.as_str()).collect();
        assert_eq!(columns, ["id", "name", "phone", "created_at"]);
        assert!(p.schema.table("orders").is_some_and(|t| t.column("id").is_some()));
    }

    #[test]
    fn garbled_input_never_panics() {
        for md in [
            "```python\nclass A(Base:\n    __tablename__ = \"\n    x = Column(\n```\n",
            "```python\nclass (\n  __tablename__ = 1\n  = Column()\n  y: Mapped[\n  z = mapped_column(ForeignKey(), server_default=text())\n```\n",
            "```python\nclass T(Base):\n    __tablename__ = 't'\n    __table_args__ = (Index(), UniqueConstraint(), ForeignKeyConstraint([], []), CheckConstraint(),\n```\n",
            "```python\nx = Table(\nIndex(\"a\", b.c.\n'''\n```\n",
        ] {
            let _ = run(md);
        }
    }
}
