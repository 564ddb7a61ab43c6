//! Reading a SQLite catalog: four queries over `sqlite_schema` joined with the `pragma_*`
//! table-valued functions, whatever the number of tables, and a pure [`interpret`] of their rows.
//! CHECK constraints, constraint names, `AUTOINCREMENT`, column comments and index expressions
//! exist only in the stored `CREATE` text, which a small tokenizer reads.

use super::plan::REBUILD_PREFIX;
use super::types::{declared_kind, parse_default, strip_outer_parens};
use crate::common::HISTORY_TABLE;
use crate::session::InspectFilter;
use model::{
    name_eq, name_key, Check, Column, DataType, ForeignKey, Generated, Identity, Index, IndexPart, Origin, PrimaryKey,
    ReferentialAction, Routine, RoutineKind, Schema, Table, TableOptions, Unique, View,
};
use std::collections::BTreeMap;

pub(super) const OBJECTS_SQL: &str = "SELECT type, name, tbl_name, sql FROM sqlite_schema ORDER BY rowid";

pub(super) const COLUMNS_SQL: &str =
    "SELECT m.name, c.cid, c.name, c.type, c.\"notnull\", c.dflt_value, c.pk, c.hidden \
     FROM sqlite_schema AS m JOIN pragma_table_xinfo(m.name) AS c \
     WHERE m.type = 'table' AND m.name NOT LIKE 'sqlite!_%' ESCAPE '!' ORDER BY m.rowid, c.cid";

pub(super) const FOREIGN_KEYS_SQL: &str =
    "SELECT m.name, f.id, f.seq, f.\"table\", f.\"from\", f.\"to\", f.on_update, f.on_delete \
     FROM sqlite_schema AS m JOIN pragma_foreign_key_list(m.name) AS f \
     WHERE m.type = 'table' AND m.name NOT LIKE 'sqlite!_%' ESCAPE '!' ORDER BY m.rowid, f.id, f.seq";

pub(super) const INDEX_COLUMNS_SQL: &str =
    "SELECT m.name, il.name, il.\"unique\", il.origin, il.partial, ix.seqno, ix.cid, ix.name, ix.\"desc\" \
     FROM sqlite_schema AS m JOIN pragma_index_list(m.name) AS il JOIN pragma_index_xinfo(il.name) AS ix \
     WHERE m.type = 'table' AND m.name NOT LIKE 'sqlite!_%' ESCAPE '!' AND ix.key = 1 \
     ORDER BY m.rowid, il.name, ix.seqno";

/// A row of `sqlite_schema`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct ObjectRow {
    /// `table`, `index`, `view` or `trigger`.
    pub kind: String,
    pub name: String,
    pub table: String,
    pub sql: Option<String>,
}

/// A row of `pragma_table_xinfo`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct ColumnRow {
    pub table: String,
    pub cid: i64,
    pub name: String,
    pub declared: String,
    pub not_null: bool,
    pub default: Option<String>,
    /// Position in the primary key (1-based), 0 when not part of it.
    pub pk: i64,
    /// 0 normal, 1 hidden (virtual tables), 2 and 3 generated.
    pub hidden: i64,
}

/// A row of `pragma_foreign_key_list`: one column of one foreign key.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct ForeignKeyRow {
    pub table: String,
    pub id: i64,
    pub seq: i64,
    pub ref_table: String,
    pub from: String,
    /// NULL when the key references the parent's primary key implicitly.
    pub to: Option<String>,
    pub on_update: String,
    pub on_delete: String,
}

/// A key column of an index (`pragma_index_list` joined with `pragma_index_xinfo`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct IndexColumnRow {
    pub table: String,
    pub index: String,
    pub unique: bool,
    /// `c` (CREATE INDEX), `u` (UNIQUE constraint) or `pk`.
    pub origin: String,
    pub partial: bool,
    pub seqno: i64,
    /// -2 for an expression, -1 for the rowid.
    pub cid: i64,
    pub column: Option<String>,
    pub desc: bool,
}

/// Everything the catalog queries return.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(super) struct Catalog {
    pub objects: Vec<ObjectRow>,
    pub columns: Vec<ColumnRow>,
    pub foreign_keys: Vec<ForeignKeyRow>,
    pub index_columns: Vec<IndexColumnRow>,
}

fn is_internal(name: &str) -> bool {
    let key = name_key(name);
    key.starts_with("sqlite_") || key == HISTORY_TABLE || key.starts_with(REBUILD_PREFIX)
}

/// The schema the catalog rows describe.
pub(super) fn interpret(cat: &Catalog, origin: &Origin, filter: &InspectFilter) -> Schema {
    let mut schema = Schema::default();
    let tables: Vec<&ObjectRow> =
        cat.objects.iter().filter(|o| o.kind == "table" && !is_internal(&o.name) && filter.wants(&o.name)).collect();
    let all_tables: Vec<&str> =
        cat.objects.iter().filter(|o| o.kind == "table" && !is_internal(&o.name)).map(|o| o.name.as_str()).collect();
    for obj in &tables {
        schema.tables.push(interpret_table(cat, obj, origin));
    }
    let known = |w: &str| all_tables.iter().find(|t| name_eq(t, w)).map(|t| t.to_string());
    for obj in cat.objects.iter().filter(|o| o.kind == "index" && filter.wants(&o.table) && !is_internal(&o.table)) {
        if let Some(ix) = interpret_index(cat, obj, origin) {
            schema.indexes.push(ix);
        }
    }
    for obj in cat.objects.iter().filter(|o| o.kind == "view") {
        let sql = obj.sql.clone().unwrap_or_default();
        let read: Vec<String> = dedup(words(&sql).iter().filter_map(|w| known(w)).collect());
        if !filter.tables.is_empty() && !read.iter().any(|t| filter.wants(t)) && !filter.wants(&obj.name) {
            continue;
        }
        schema.views.push(View {
            name: obj.name.clone(),
            sql,
            materialized: false,
            tables: read,
            origin: origin.clone(),
        });
    }
    for obj in cat.objects.iter().filter(|o| o.kind == "trigger" && filter.wants(&o.table)) {
        let sql = obj.sql.clone().unwrap_or_default();
        let tables = dedup(words(&sql).iter().filter_map(|w| known(w)).collect());
        schema.routines.push(Routine {
            kind: RoutineKind::Trigger,
            name: obj.name.clone(),
            sql,
            language: None,
            table: Some(obj.table.clone()),
            function: None,
            tables,
            origin: origin.clone(),
        });
    }
    schema
}

fn dedup(mut v: Vec<String>) -> Vec<String> {
    let mut seen = Vec::new();
    v.retain(|x| {
        let k = name_key(x);
        if seen.contains(&k) {
            false
        } else {
            seen.push(k);
            true
        }
    });
    v
}

fn interpret_table(cat: &Catalog, obj: &ObjectRow, origin: &Origin) -> Table {
    let text = obj.sql.as_deref().map(parse_create_table).unwrap_or_default();
    let mut t = Table::new(obj.name.clone(), origin.clone());
    t.options = text.options.clone();
    let rows: Vec<&ColumnRow> = cat.columns.iter().filter(|c| c.table == obj.name && c.hidden != 1).collect();
    for r in &rows {
        let mut c =
            Column::new(r.name.clone(), DataType::new(declared_kind(&r.declared), r.declared.clone()), origin.clone());
        c.nullable = !r.not_null;
        c.default = r.default.as_deref().map(parse_default);
        if text.autoincrement.as_deref().is_some_and(|a| name_eq(a, &r.name)) {
            c.identity = Some(Identity::AutoIncrement);
        }
        c.comment = text.comments.get(&name_key(&r.name)).cloned();
        // NOTE: `hidden` is 2 for a VIRTUAL and 3 for a STORED generated column; the expression
        // exists only in the CREATE TABLE text.
        if r.hidden == 2 || r.hidden == 3 {
            let expr = text.generated.get(&name_key(&r.name)).cloned().unwrap_or_default();
            c.generated = Some(Generated { expr, stored: r.hidden == 3 });
            c.default = None;
        }
        t.columns.push(c);
    }
    let mut pk: Vec<&ColumnRow> = rows.iter().copied().filter(|r| r.pk > 0).collect();
    pk.sort_by_key(|r| r.pk);
    if !pk.is_empty() {
        t.primary_key = Some(PrimaryKey {
            name: text.pk_name.clone(),
            columns: pk.iter().map(|r| r.name.clone()).collect(),
            origin: origin.clone(),
        });
    }
    // UNIQUE constraints are the indexes SQLite made for them.
    let mut unique_indexes: Vec<&str> = Vec::new();
    for r in cat.index_columns.iter().filter(|r| r.table == obj.name && r.origin == "u") {
        if !unique_indexes.contains(&r.index.as_str()) {
            unique_indexes.push(&r.index);
        }
    }
    // NOTE: autoindexes are numbered in declaration order (sqlite_autoindex_t_1, _2, …).
    unique_indexes.sort_by_key(|n| n.rsplit('_').next().and_then(|x| x.parse::<u64>().ok()).unwrap_or(u64::MAX));
    for ix in unique_indexes {
        let columns: Vec<String> = cat
            .index_columns
            .iter()
            .filter(|r| r.table == obj.name && r.index == ix)
            .filter_map(|r| r.column.clone())
            .collect();
        let name = text.uniques.iter().find(|(_, c)| same_columns(c, &columns)).and_then(|(n, _)| n.clone());
        t.uniques.push(Unique { name, columns, origin: origin.clone() });
    }
    for (name, expr) in &text.checks {
        let columns = dedup(words(expr).iter().filter(|w| t.column(w).is_some()).cloned().collect());
        t.checks.push(Check { name: name.clone(), expr: expr.clone(), columns, origin: origin.clone() });
    }
    let mut fk_rows: BTreeMap<i64, Vec<&ForeignKeyRow>> = BTreeMap::new();
    for r in cat.foreign_keys.iter().filter(|r| r.table == obj.name) {
        fk_rows.entry(r.id).or_default().push(r);
    }
    // NOTE: SQLite numbers foreign keys from the last declared one; reversed, they read in
    // declaration order.
    for rows in fk_rows.values().rev() {
        let mut rows = rows.clone();
        rows.sort_by_key(|r| r.seq);
        let Some(first) = rows.first() else { continue };
        let columns: Vec<String> = rows.iter().map(|r| r.from.clone()).collect();
        let mut ref_columns: Vec<String> = rows.iter().filter_map(|r| r.to.clone()).collect();
        if ref_columns.len() != columns.len() {
            // The parent's primary key, implicitly.
            let mut parent: Vec<&ColumnRow> =
                cat.columns.iter().filter(|c| name_eq(&c.table, &first.ref_table) && c.pk > 0).collect();
            parent.sort_by_key(|c| c.pk);
            ref_columns = parent.iter().map(|c| c.name.clone()).collect();
        }
        let name = text
            .foreign_keys
            .iter()
            .find(|(_, c, target)| same_columns(c, &columns) && name_eq(target, &first.ref_table))
            .and_then(|(n, _, _)| n.clone());
        t.foreign_keys.push(ForeignKey {
            name,
            columns,
            ref_table: first.ref_table.clone(),
            ref_columns,
            on_delete: action(&first.on_delete),
            on_update: action(&first.on_update),
            inferred: false,
            origin: origin.clone(),
        });
    }
    t
}

fn same_columns(a: &[String], b: &[String]) -> bool {
    a.len() == b.len() && a.iter().zip(b).all(|(x, y)| name_eq(x, y))
}

fn action(s: &str) -> Option<ReferentialAction> {
    match ReferentialAction::parse(s) {
        Some(ReferentialAction::NoAction) | None => None,
        other => other,
    }
}

fn interpret_index(cat: &Catalog, obj: &ObjectRow, origin: &Origin) -> Option<Index> {
    let rows: Vec<&IndexColumnRow> = cat.index_columns.iter().filter(|r| r.index == obj.name).collect();
    let first = rows.first()?;
    if first.origin != "c" {
        return None;
    }
    let text = obj.sql.as_deref().map(parse_create_index).unwrap_or_default();
    let parts = rows
        .iter()
        .map(|r| {
            let expr = if r.cid == -2 {
                let at = usize::try_from(r.seqno).ok();
                Some(at.and_then(|i| text.parts.get(i)).cloned().unwrap_or_default())
            } else {
                None
            };
            IndexPart {
                column: if r.cid == -2 { None } else { r.column.clone() },
                expr,
                descending: r.desc,
                opclass: None,
            }
        })
        .collect();
    Some(Index {
        name: Some(obj.name.clone()),
        table: obj.table.clone(),
        parts,
        unique: first.unique,
        method: None,
        predicate: if first.partial { text.predicate } else { None },
        include: Vec::new(),
        origin: origin.clone(),
    })
}

// ---------------------------------------------------------------------------------------------
// Reading CREATE text

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    /// A bare word or a quoted identifier (value unquoted).
    Ident {
        quoted: bool,
    },
    Str,
    Number,
    Punct(char),
    Comment,
}

#[derive(Debug, Clone, PartialEq, Eq)]
struct Token {
    kind: Kind,
    value: String,
    start: usize,
    end: usize,
}

impl Token {
    fn is_word(&self, w: &str) -> bool {
        self.kind == Kind::Ident { quoted: false } && self.value.eq_ignore_ascii_case(w)
    }

    fn is(&self, c: char) -> bool {
        self.kind == Kind::Punct(c)
    }
}

/// SQLite's tokens of `sql` (identifiers quoted with `"`, `` ` `` or `[]`, strings, comments).
/// An unterminated quote or comment runs to the end.
fn tokenize(sql: &str) -> Vec<Token> {
    let bytes = sql.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        let c = bytes[i];
        let start = i;
        if c.is_ascii_whitespace() {
            i += 1;
        } else if c == b'-' && bytes.get(i + 1) == Some(&b'-') {
            let end = sql[i..].find('\n').map_or(sql.len(), |n| i + n);
            out.push(Token { kind: Kind::Comment, value: sql[i + 2..end].trim().to_string(), start, end });
            i = end;
        } else if c == b'/' && bytes.get(i + 1) == Some(&b'*') {
            let end = sql[i + 2..].find("*/").map_or(sql.len(), |n| i + 2 + n + 2);
            let inner = sql.get(i + 2..end.saturating_sub(2).max(i + 2)).unwrap_or("");
            out.push(Token { kind: Kind::Comment, value: inner.trim().to_string(), start, end });
            i = end;
        } else if matches!(c, b'\'' | b'"' | b'`' | b'[') {
            let close = if c == b'[' { b']' } else { c };
            let mut value = String::new();
            let mut j = i + 1;
            let mut seg = j;
            loop {
                match bytes.get(j) {
                    None => {
                        value.push_str(&sql[seg..]);
                        j = bytes.len();
                        break;
                    }
                    Some(&b) if b == close => {
                        value.push_str(&sql[seg..j]);
                        if close != b']' && bytes.get(j + 1) == Some(&close) {
                            value.push(close as char);
                            j += 2;
                            seg = j;
                        } else {
                            j += 1;
                            break;
                        }
                    }
                    Some(_) => j += 1,
                }
            }
            let kind = if c == b'\'' { Kind::Str } else { Kind::Ident { quoted: true } };
            out.push(Token { kind, value, start, end: j });
            i = j;
        } else if c.is_ascii_digit() || (c == b'.' && bytes.get(i + 1).is_some_and(u8::is_ascii_digit)) {
            let mut j = i;
            while j < bytes.len() && (bytes[j].is_ascii_alphanumeric() || bytes[j] == b'.') {
                j += 1;
            }
            out.push(Token { kind: Kind::Number, value: sql[i..j].to_string(), start, end: j });
            i = j;
        } else if c.is_ascii_alphabetic() || c == b'_' || c >= 0x80 {
            let mut j = i;
            while j < bytes.len()
                && (bytes[j].is_ascii_alphanumeric() || bytes[j] == b'_' || bytes[j] == b'$' || bytes[j] >= 0x80)
            {
                j += 1;
            }
            out.push(Token { kind: Kind::Ident { quoted: false }, value: sql[i..j].to_string(), start, end: j });
            i = j;
        } else {
            // One punctuation character (a whole UTF-8 sequence never starts below 0x80).
            out.push(Token { kind: Kind::Punct(c as char), value: (c as char).to_string(), start, end: i + 1 });
            i += 1;
        }
    }
    out
}

/// The identifiers and words of `sql`, unquoted, outside strings and comments.
pub(super) fn words(sql: &str) -> Vec<String> {
    tokenize(sql).into_iter().filter(|t| matches!(t.kind, Kind::Ident { .. })).map(|t| t.value).collect()
}

/// Index of the token closing the parenthesis opened at `open`.
fn closing(toks: &[Token], open: usize) -> Option<usize> {
    let mut depth = 0usize;
    for (i, t) in toks.iter().enumerate().skip(open) {
        if t.is('(') {
            depth += 1;
        } else if t.is(')') {
            depth = depth.saturating_sub(1);
            if depth == 0 {
                return Some(i);
            }
        }
    }
    None
}

/// Splits `toks` at commas outside parentheses.
fn split_commas(toks: &[Token]) -> Vec<&[Token]> {
    let mut out = Vec::new();
    let mut depth = 0usize;
    let mut start = 0;
    for (i, t) in toks.iter().enumerate() {
        if t.is('(') {
            depth += 1;
        } else if t.is(')') {
            depth = depth.saturating_sub(1);
        } else if t.is(',') && depth == 0 {
            out.push(&toks[start..i]);
            start = i + 1;
        }
    }
    out.push(&toks[start..]);
    out
}

/// The identifiers inside the parenthesised list starting at `toks[at]`.
fn ident_list(toks: &[Token], at: usize) -> (Vec<String>, usize) {
    if !toks.get(at).is_some_and(|t| t.is('(')) {
        return (Vec::new(), at);
    }
    let end = closing(toks, at).unwrap_or(toks.len());
    let names = toks[at + 1..end.min(toks.len())]
        .iter()
        .filter(|t| matches!(t.kind, Kind::Ident { .. }))
        .filter(|t| !["asc", "desc", "collate"].iter().any(|w| t.is_word(w)))
        .map(|t| t.value.clone())
        .collect();
    (names, end + 1)
}

/// What the `CREATE TABLE` text says beyond the pragmas.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(super) struct TableText {
    /// (constraint name, expression) of every CHECK, table- and column-level, in order.
    pub checks: Vec<(Option<String>, String)>,
    /// The column declared `AUTOINCREMENT`.
    pub autoincrement: Option<String>,
    pub pk_name: Option<String>,
    /// (constraint name, columns) of each UNIQUE.
    pub uniques: Vec<(Option<String>, Vec<String>)>,
    /// (constraint name, columns, referenced table) of each foreign key.
    pub foreign_keys: Vec<(Option<String>, Vec<String>, String)>,
    /// `--` or `/* */` comments beside a column definition, by column name key.
    pub comments: BTreeMap<String, String>,
    /// The expression of each generated column (`GENERATED ALWAYS AS (…)` or `AS (…)`), by
    /// column name key.
    pub generated: BTreeMap<String, String>,
    /// `STRICT` and `WITHOUT ROWID`, written after the closing parenthesis.
    pub options: TableOptions,
}

/// Reads constraints, names and comments out of a `CREATE TABLE` statement.
pub(super) fn parse_create_table(sql: &str) -> TableText {
    let mut out = TableText::default();
    let all = tokenize(sql);
    let Some(open) = all.iter().position(|t| t.is('(')) else { return out };
    let close = closing(&all, open).unwrap_or(all.len());
    let body = &all[open + 1..close.min(all.len())];
    let tail = all.get(close + 1..).unwrap_or_default();
    for (k, t) in tail.iter().enumerate() {
        if t.is_word("strict") {
            out.options.strict = true;
        } else if t.is_word("without") && tail.get(k + 1).is_some_and(|n| n.is_word("rowid")) {
            out.options.without_rowid = true;
        }
    }
    // Comments go to the definition they trail on the same line, otherwise to the next one.
    let mut items: Vec<(Vec<Token>, Vec<String>)> = vec![(Vec::new(), Vec::new())];
    let mut pending: Vec<String> = Vec::new();
    let mut depth = 0usize;
    let mut last_end: Option<(usize, usize)> = None; // (byte end, item index) of the last token
    for t in body {
        match t.kind {
            Kind::Comment => {
                let same_line = last_end.is_some_and(|(end, _)| !sql[end..t.start].contains('\n'));
                match last_end {
                    Some((_, item)) if same_line => items[item].1.push(t.value.clone()),
                    _ => pending.push(t.value.clone()),
                }
            }
            _ => {
                let current = items.len() - 1;
                if t.is(',') && depth == 0 {
                    last_end = Some((t.end, current));
                    items.push((Vec::new(), std::mem::take(&mut pending)));
                    continue;
                }
                if t.is('(') {
                    depth += 1;
                } else if t.is(')') {
                    depth = depth.saturating_sub(1);
                }
                if items[current].0.is_empty() {
                    items[current].1.append(&mut pending);
                }
                items[current].0.push(t.clone());
                last_end = Some((t.end, current));
            }
        }
    }
    for (toks, comments) in &items {
        let Some(first) = toks.first() else { continue };
        let constraint = ["constraint", "primary", "unique", "check", "foreign"].iter().any(|w| first.is_word(w));
        if constraint {
            table_constraint(sql, toks, &mut out);
        } else {
            column_definition(sql, toks, &mut out);
            if !comments.is_empty() {
                out.comments.insert(name_key(&first.value), comments.join(" "));
            }
        }
    }
    out
}

/// The text between the parenthesis at `toks[open]` and its match.
fn group_text<'a>(sql: &'a str, toks: &[Token], open: usize) -> Option<(&'a str, usize)> {
    let close = closing(toks, open)?;
    Some((sql[toks[open].end..toks[close].start].trim(), close))
}

fn table_constraint(sql: &str, toks: &[Token], out: &mut TableText) {
    let mut i = 0;
    let mut name = None;
    if toks[0].is_word("constraint") {
        name = toks.get(1).map(|t| t.value.clone());
        i = 2;
    }
    let Some(kind) = toks.get(i) else { return };
    if kind.is_word("check") {
        if let Some((expr, _)) = group_text(sql, toks, i + 1) {
            out.checks.push((name, expr.to_string()));
        }
    } else if kind.is_word("primary") {
        out.pk_name = name;
    } else if kind.is_word("unique") {
        out.uniques.push((name, ident_list(toks, i + 1).0));
    } else if kind.is_word("foreign") {
        let (columns, next) = ident_list(toks, i + 2);
        if toks.get(next).is_some_and(|t| t.is_word("references")) {
            if let Some(target) = toks.get(next + 1) {
                out.foreign_keys.push((name, columns, target.value.clone()));
            }
        }
    }
}

fn column_definition(sql: &str, toks: &[Token], out: &mut TableText) {
    let column = toks[0].value.clone();
    let mut name: Option<String> = None;
    let mut i = 1;
    while i < toks.len() {
        let t = &toks[i];
        if t.is('(') {
            i = closing(toks, i).unwrap_or(toks.len()) + 1;
            continue;
        }
        if t.is_word("constraint") {
            name = toks.get(i + 1).map(|t| t.value.clone());
            i += 2;
            continue;
        }
        if t.is_word("check") {
            if let Some((expr, close)) = group_text(sql, toks, i + 1) {
                out.checks.push((name.take(), expr.to_string()));
                i = close + 1;
                continue;
            }
        } else if t.is_word("as") {
            if let Some((expr, close)) = group_text(sql, toks, i + 1) {
                out.generated.insert(name_key(&column), expr.to_string());
                i = close + 1;
                continue;
            }
        } else if t.is_word("autoincrement") {
            out.autoincrement = Some(column.clone());
        } else if t.is_word("primary") {
            out.pk_name = name.take();
        } else if t.is_word("unique") {
            out.uniques.push((name.take(), vec![column.clone()]));
        } else if t.is_word("references") {
            if let Some(target) = toks.get(i + 1) {
                out.foreign_keys.push((name.take(), vec![column.clone()], target.value.clone()));
            }
        }
        i += 1;
    }
}

/// What the `CREATE INDEX` text says beyond the pragmas.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(super) struct IndexText {
    /// Each key as written, without ordering or collation, outer parentheses removed.
    pub parts: Vec<String>,
    pub predicate: Option<String>,
}

/// Reads the keys and `WHERE` predicate of a `CREATE INDEX` statement.
pub(super) fn parse_create_index(sql: &str) -> IndexText {
    let toks: Vec<Token> = tokenize(sql).into_iter().filter(|t| t.kind != Kind::Comment).collect();
    let mut out = IndexText::default();
    let Some(on) = toks.iter().position(|t| t.is_word("on")) else { return out };
    let Some(open) = toks.iter().skip(on).position(|t| t.is('(')).map(|p| p + on) else { return out };
    let Some(close) = closing(&toks, open) else { return out };
    for part in split_commas(&toks[open + 1..close]) {
        let mut end = part.len();
        if let Some(c) = part.iter().position(|t| t.is_word("collate")) {
            end = end.min(c);
        }
        if end > 0 && (part[end - 1].is_word("asc") || part[end - 1].is_word("desc")) {
            end -= 1;
        }
        if end == 0 {
            out.parts.push(String::new());
            continue;
        }
        out.parts.push(strip_outer_parens(&sql[part[0].start..part[end - 1].end]).to_string());
    }
    if let Some(w) = toks.get(close + 1).filter(|t| t.is_word("where")) {
        let pred = sql[w.end..].trim().trim_end_matches(';').trim();
        out.predicate = Some(pred.to_string());
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use model::{DefaultValue, Notation, TypeKind};

    fn origin() -> Origin {
        Origin::new("sqlite://x.db".into(), 0, 0, Notation::Sql)
    }

    fn col(table: &str, cid: i64, name: &str, decl: &str, not_null: bool, default: Option<&str>, pk: i64) -> ColumnRow {
        ColumnRow {
            table: table.into(),
            cid,
            name: name.into(),
            declared: decl.into(),
            not_null,
            default: default.map(String::from),
            pk,
            hidden: 0,
        }
    }

    fn object(kind: &str, name: &str, table: &str, sql: &str) -> ObjectRow {
        ObjectRow { kind: kind.into(), name: name.into(), table: table.into(), sql: Some(sql.into()) }
    }

    fn ixcol(table: &str, index: &str, origin: &str, seqno: i64, cid: i64, column: Option<&str>) -> IndexColumnRow {
        IndexColumnRow {
            table: table.into(),
            index: index.into(),
            unique: origin != "c",
            origin: origin.into(),
            partial: false,
            seqno,
            cid,
            column: column.map(String::from),
            desc: false,
        }
    }

    #[test]
    fn create_table_text_gives_checks_names_and_comments() {
        let t = parse_create_table(
            "CREATE TABLE \"order\" (\n  id INTEGER PRIMARY KEY AUTOINCREMENT, -- the id\n  -- what it costs\n  \
             amount NUMERIC CHECK (amount >= 0) DEFAULT (0),\n  kind TEXT CONSTRAINT kind_ok CHECK (kind IN ('a', 'b,c')),\n  \
             CONSTRAINT \"pos\" CHECK ((amount) < 100),\n  CONSTRAINT u1 UNIQUE (kind, amount),\n  \
             CONSTRAINT fk_x FOREIGN KEY (\"kind\") REFERENCES kinds (name)\n)",
        );
        assert_eq!(t.autoincrement.as_deref(), Some("id"));
        assert_eq!(
            t.checks,
            vec![
                (None, "amount >= 0".to_string()),
                (Some("kind_ok".to_string()), "kind IN ('a', 'b,c')".to_string()),
                (Some("pos".to_string()), "(amount) < 100".to_string()),
            ]
        );
        assert_eq!(t.comments.get("id").map(String::as_str), Some("the id"));
        assert_eq!(t.comments.get("amount").map(String::as_str), Some("what it costs"));
        assert_eq!(t.uniques, vec![(Some("u1".to_string()), vec!["kind".to_string(), "amount".to_string()])]);
        assert_eq!(t.foreign_keys, vec![(Some("fk_x".to_string()), vec!["kind".to_string()], "kinds".to_string())]);
    }

    #[test]
    fn index_text_gives_expressions_and_predicate() {
        let ix = parse_create_index(
            "CREATE UNIQUE INDEX \"e\" ON \"user\" ((lower(email)), \"name\" COLLATE NOCASE DESC) WHERE status = 'active'",
        );
        assert_eq!(ix.parts, ["lower(email)", "\"name\""]);
        assert_eq!(ix.predicate.as_deref(), Some("status = 'active'"));
    }

    #[test]
    fn table_options_are_read_after_the_closing_parenthesis() {
        let t = parse_create_table("CREATE TABLE c (name TEXT PRIMARY KEY, v INT) strict ,\n WITHOUT  ROWID");
        assert_eq!(t.options, TableOptions { strict: true, without_rowid: true, ..TableOptions::default() });
        let t = parse_create_table("CREATE TABLE r (id INTEGER PRIMARY KEY) WITHOUT ROWID");
        assert_eq!(t.options, TableOptions { strict: false, without_rowid: true, ..TableOptions::default() });
        // A column named `strict` is not the option.
        let t = parse_create_table("CREATE TABLE s (\"strict\" INT, without TEXT, rowid INT)");
        assert_eq!(t.options, TableOptions::default());
    }

    #[test]
    fn hostile_text_does_not_panic() {
        for sql in [
            "CREATE TABLE t (",
            "CREATE TABLE t (a 'unterminated",
            "CREATE INDEX i ON t ((",
            "",
            "(((",
            "사용자 (이름)",
        ] {
            let _ = parse_create_table(sql);
            let _ = parse_create_index(sql);
        }
    }

    #[test]
    fn rows_become_a_schema() {
        let cat = Catalog {
            objects: vec![
                object("table", "users", "users", "CREATE TABLE users (id INTEGER PRIMARY KEY AUTOINCREMENT, email TEXT NOT NULL UNIQUE, age int CHECK (age >= 0), team_id INTEGER REFERENCES teams ON DELETE CASCADE)"),
                object("table", "teams", "teams", "CREATE TABLE teams (id INTEGER NOT NULL, PRIMARY KEY (id))"),
                object("table", "schemadoc_history", "schemadoc_history", "CREATE TABLE schemadoc_history (id INTEGER)"),
                object("table", "sqlite_sequence", "sqlite_sequence", "CREATE TABLE sqlite_sequence(name,seq)"),
                ObjectRow { kind: "index".into(), name: "sqlite_autoindex_users_1".into(), table: "users".into(), sql: None },
                object("index", "users_lower", "users", "CREATE INDEX users_lower ON users (lower(email) DESC)"),
                object("view", "adults", "adults", "CREATE VIEW adults AS SELECT * FROM users WHERE age > 17"),
            ],
            columns: vec![
                col("users", 0, "id", "INTEGER", false, None, 1),
                col("users", 1, "email", "TEXT", true, Some("'x'"), 0),
                col("users", 2, "age", "int", false, Some("CURRENT_TIMESTAMP"), 0),
                col("users", 3, "team_id", "INTEGER", false, None, 0),
                col("teams", 0, "id", "INTEGER", true, None, 1),
                col("schemadoc_history", 0, "id", "INTEGER", false, None, 0),
            ],
            foreign_keys: vec![ForeignKeyRow {
                table: "users".into(),
                id: 0,
                seq: 0,
                ref_table: "teams".into(),
                from: "team_id".into(),
                to: None,
                on_update: "NO ACTION".into(),
                on_delete: "CASCADE".into(),
            }],
            index_columns: vec![
                ixcol("users", "sqlite_autoindex_users_1", "u", 0, 1, Some("email")),
                IndexColumnRow { desc: true, ..ixcol("users", "users_lower", "c", 0, -2, None) },
            ],
        };
        let s = interpret(&cat, &origin(), &InspectFilter::default());
        assert_eq!(s.tables.iter().map(|t| t.name.as_str()).collect::<Vec<_>>(), ["users", "teams"]);
        let users = &s.tables[0];
        assert_eq!(users.columns[0].identity, Some(Identity::AutoIncrement));
        assert_eq!(users.columns[1].default, Some(DefaultValue::String("x".into())));
        assert_eq!(users.columns[2].ty.kind, TypeKind::Int { bytes: 4 });
        assert_eq!(users.columns[2].default, Some(DefaultValue::CurrentTimestamp));
        assert_eq!(users.uniques[0].columns, ["email"]);
        assert_eq!(users.checks[0].expr, "age >= 0");
        assert_eq!(users.checks[0].columns, ["age"]);
        let fk = &users.foreign_keys[0];
        assert_eq!((fk.ref_table.as_str(), fk.ref_columns.clone()), ("teams", vec!["id".to_string()]));
        assert_eq!(fk.on_delete, Some(ReferentialAction::Cascade));
        assert_eq!(fk.on_update, None);
        assert_eq!(s.indexes.len(), 1);
        assert_eq!(s.indexes[0].parts[0].expr.as_deref(), Some("lower(email)"));
        assert!(s.indexes[0].parts[0].descending);
        assert_eq!(s.views[0].tables, ["users"]);

        let only_teams = InspectFilter { schemas: vec![], tables: vec!["teams".into()] };
        let s = interpret(&cat, &origin(), &only_teams);
        assert_eq!(s.tables.len(), 1);
        assert!(s.indexes.is_empty() && s.views.is_empty());
    }

    #[test]
    fn generated_columns_take_their_expression_from_the_create_text() {
        let sql = "CREATE TABLE items (\n  id INTEGER PRIMARY KEY,\n  price REAL,\n  total REAL GENERATED ALWAYS AS (price * (1 + 0.1)) STORED,\n  label TEXT AS ('#' || id)\n)";
        let mut total = col("items", 2, "total", "REAL", false, None, 0);
        total.hidden = 3;
        let mut label = col("items", 3, "label", "TEXT", false, None, 0);
        label.hidden = 2;
        let cat = Catalog {
            objects: vec![object("table", "items", "items", sql)],
            columns: vec![
                col("items", 0, "id", "INTEGER", false, None, 1),
                col("items", 1, "price", "REAL", false, None, 0),
                total,
                label,
            ],
            ..Catalog::default()
        };
        let s = interpret(&cat, &origin(), &InspectFilter::default());
        let g = |c: &str| s.tables[0].column(c).and_then(|c| c.generated.clone()).map(|g| (g.expr, g.stored));
        assert_eq!(g("total"), Some(("price * (1 + 0.1)".to_string(), true)));
        assert_eq!(g("label"), Some(("'#' || id".to_string(), false)));
        assert_eq!(g("price"), None);
    }
}
