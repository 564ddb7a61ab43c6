//! Markdown field-table front-end.
//!
//! A GFM table whose header has a name column (`필드명`, `column`, …) and a type column (`타입`,
//! `type`, …) lists the columns of one table: the one a `테이블`/`table` column names, else the one
//! the nearest heading names (`### 3.1 users 테이블` → `users`). Constraint words (`PK`,
//! `FK(users.id)`, `UNIQUE`, `NOT NULL`, `INDEX`, `DEFAULT=…`, `ON UPDATE=now()`, Korean `필수`,
//! `고유`, `기본키`, `외래키`) and optional nullable/default/key columns are read per row.

use crate::context::{resolve_known, table_from_headings};
use crate::frontend::Partial;
use crate::scan::{Cell, Document, Heading, MdTable};
use crate::types::{is_serial, parse_loose_default, parse_loose_type, parse_sql_type, parse_sqlalchemy_type};
use model::{
    name_eq, name_key, Check, Column, DataType, ForeignKey, Identity, Index, IndexPart, Notation, Origin, PrimaryKey,
    ReferentialAction, RuleInfo, Span, Stated, Table, TypeKind, Unique,
};
use std::collections::BTreeSet;
use std::sync::Arc;

model::declare_rule! {
    /// What it does: reports a field table (name and type columns) for which no table name can be
    /// found: no `테이블`/`table` column and no heading that names a table.
    ///
    /// Why it matters: its columns cannot be attached anywhere, so they are left out of the schema.
    ///
    /// Example: `## 필드 목록` followed by `| 필드명 | 타입 |` — put the table name in the heading
    /// (`## users 테이블`).
    pub UNATTACHED_FIELD_TABLE = "unattached-field-table", Info
}

model::declare_rule! {
    /// What it does: reports a table whose header looks like a field table but whose rows do not
    /// read as column definitions (names that are not identifiers, types that are not types).
    ///
    /// Why it matters: the table is skipped; if it was meant to define columns, they are missing.
    ///
    /// Example: `| 이름 | 타입 |` with rows `| 홍길동 | 관리자 |`.
    pub FIELD_TABLE_UNRECOGNIZED = "field-table-unrecognized", Info
}

model::declare_rule! {
    /// What it does: flags a row of a field table that cannot be read as a column (the name is not
    /// an identifier or the type is missing).
    ///
    /// Why it matters: the row is skipped, so the column is missing from the schema.
    ///
    /// Example: `| user name | String(50) |` — write the column name as one identifier (`user_name`).
    pub FIELD_TABLE_UNREADABLE_ROW = "field-table-unreadable-row", Warning
}

model::declare_rule! {
    /// What it does: flags a column listed twice for the same table in field tables.
    ///
    /// Why it matters: a table cannot have two columns of one name; one of the rows is outdated.
    /// The first row is kept.
    ///
    /// Example: two `| email | … |` rows under `### users 테이블`.
    pub FIELD_TABLE_DUPLICATE_COLUMN = "field-table-duplicate-column", Warning
}

model::declare_rule! {
    /// What it does: flags a bare `FK` in a field table whose target cannot be guessed from the
    /// column name (`owner` rather than `user_id`).
    ///
    /// Why it matters: the foreign key cannot be created without knowing what it references.
    ///
    /// Example: `| owner | String(36) | FK |` — write `FK(users.id)`.
    pub FIELD_TABLE_FOREIGN_KEY_WITHOUT_TARGET = "field-table-foreign-key-without-target", Warning
}

/// The diagnostics this front-end can report.
pub const RULES: &[RuleInfo] = &[
    UNATTACHED_FIELD_TABLE,
    FIELD_TABLE_UNRECOGNIZED,
    FIELD_TABLE_UNREADABLE_ROW,
    FIELD_TABLE_DUPLICATE_COLUMN,
    FIELD_TABLE_FOREIGN_KEY_WITHOUT_TARGET,
];

/// What a header cell says its column holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Role {
    Name,
    Type,
    /// Free constraint words (`PK, NOT NULL`).
    Constraint,
    /// `Y`/`N` for "may be NULL".
    Nullable,
    /// `Y`/`N` for "required" (NOT NULL).
    Required,
    Default,
    /// `PK`/`FK`/`UK` words.
    Key,
    Description,
    Table,
}

/// Reads the field tables of `docs`.
pub fn extract(docs: &[Document]) -> Partial {
    let mut out = Partial::new(Notation::FieldTable);
    let mut bare_fks: Vec<BareFk> = Vec::new();
    for doc in docs {
        for item in &doc.items {
            if let crate::scan::Item::Table(t) = item {
                read_table(&doc.file, t, &mut out, &mut bare_fks);
            }
        }
    }
    resolve_bare_fks(&mut out, bare_fks);
    out
}

/// A `FK` without a target, resolved once every table of the notation is known.
struct BareFk {
    table: String,
    column: String,
    /// Where the cell that says `FK` starts.
    origin: Origin,
    /// That cell's text.
    cell: String,
}

fn normalize_header(text: &str) -> String {
    text.chars()
        .filter(|c| !c.is_whitespace() && !matches!(c, '*' | '`' | '_' | '-' | '?'))
        .collect::<String>()
        .to_lowercase()
}

fn role_of(header: &str) -> Option<Role> {
    let parts: Vec<String> = std::iter::once(header)
        .chain(header.split(['(', ')', '/', '[', ']']))
        .map(normalize_header)
        .filter(|p| !p.is_empty())
        .collect();
    parts.iter().find_map(|p| role_of_word(p))
}

fn role_of_word(w: &str) -> Option<Role> {
    Some(match w {
        "필드명" | "컬럼명" | "칼럼명" | "컬럼" | "칼럼" | "이름" | "필드" | "필드이름" | "컬럼이름" | "column"
        | "field" | "name" | "columnname" | "fieldname" | "속성" | "속성명" | "attribute" => Role::Name,
        "타입" | "자료형" | "데이터타입" | "데이터형" | "type" | "datatype" | "sqltype" | "dbtype" | "columntype" => {
            Role::Type
        }
        "제약조건" | "제약" | "제약사항" | "constraints" | "constraint" | "options" | "옵션" => {
            Role::Constraint
        }
        "nullable" | "null" | "null허용" | "널허용" | "nullable여부" | "null여부" => Role::Nullable,
        "notnull" | "필수" | "required" | "필수여부" => Role::Required,
        "default" | "기본값" | "defaultvalue" | "디폴트" | "초기값" => Role::Default,
        "key" | "키" | "pk" | "pk/fk" | "pkfk" | "keys" => Role::Key,
        "설명" | "비고" | "description" | "comment" | "comments" | "note" | "notes" | "remarks" | "메모" | "desc" => {
            Role::Description
        }
        "테이블" | "table" | "테이블명" | "tablename" => Role::Table,
        _ => return None,
    })
}

/// Column indexes of each role (the first column of a role wins).
#[derive(Default)]
struct Layout {
    name: Option<usize>,
    ty: Option<usize>,
    constraint: Option<usize>,
    nullable: Option<usize>,
    required: Option<usize>,
    default: Option<usize>,
    key: Option<usize>,
    description: Option<usize>,
    table: Option<usize>,
}

fn layout(header: &[Cell]) -> Layout {
    let mut l = Layout::default();
    for (i, cell) in header.iter().enumerate() {
        let slot = match role_of(&cell.text) {
            Some(Role::Name) => &mut l.name,
            Some(Role::Type) => &mut l.ty,
            Some(Role::Constraint) => &mut l.constraint,
            Some(Role::Nullable) => &mut l.nullable,
            Some(Role::Required) => &mut l.required,
            Some(Role::Default) => &mut l.default,
            Some(Role::Key) => &mut l.key,
            Some(Role::Description) => &mut l.description,
            Some(Role::Table) => &mut l.table,
            None => continue,
        };
        if slot.is_none() {
            *slot = Some(i);
        }
    }
    l
}

/// Splits a name cell into the column name and what follows it (`id (PK)` → `id`, `(PK)`).
/// `None` when the cell does not start with one identifier.
pub(crate) fn split_name_cell(text: &str) -> Option<(String, String)> {
    let t = text.trim().trim_start_matches(|c: char| !(c.is_alphanumeric() || c == '_' || c == '"'));
    let t = t.trim_start_matches('"');
    let end = t.find(|c: char| !(c.is_alphanumeric() || c == '_')).unwrap_or(t.len());
    let name = &t[..end];
    let rest = t[end..].trim_start_matches('"');
    let first = name.chars().next()?;
    if first.is_numeric() {
        return None;
    }
    let rest_trim = rest.trim_start();
    // `user name` is two words and `users.id` a qualified name: not one column name.
    if rest_trim.starts_with('.') || rest_trim.chars().next().is_some_and(|c| c.is_alphanumeric()) {
        return None;
    }
    Some((name.to_string(), rest_trim.to_string()))
}

/// Whether a type cell reads as a type (not prose).
fn recognized_type(text: &str) -> bool {
    split_type_cell(text).is_some()
}

/// Reads a type cell: SQLAlchemy spelling first, then SQL; a trailing constraint text
/// (`VARCHAR(255) NOT NULL`) is returned separately.
fn split_type_cell(text: &str) -> Option<(DataType, String)> {
    let t = text.trim();
    if t.is_empty() {
        return None;
    }
    if let Some(ty) = read_type(t) {
        return Some((ty, String::new()));
    }
    // The longest prefix of words that reads as a type.
    let words: Vec<(usize, &str)> =
        t.split_whitespace().map(|w| (w.as_ptr() as usize - t.as_ptr() as usize, w)).collect();
    for &(start, _) in words.iter().skip(1).rev() {
        let prefix = t[..start].trim();
        if let Some(ty) = read_type(prefix) {
            return Some((ty, t[start..].to_string()));
        }
    }
    None
}

fn read_type(t: &str) -> Option<DataType> {
    let t = t.trim().trim_end_matches(',');
    if t.is_empty() {
        return None;
    }
    // A SQLAlchemy spelling is one word with an optional argument list (`String(36)`).
    let one_word = match t.find('(') {
        Some(open) => t.ends_with(')') && !t[..open].contains(char::is_whitespace),
        None => !t.contains(char::is_whitespace),
    };
    if one_word {
        if let Some(ty) = parse_sqlalchemy_type(t) {
            return Some(ty);
        }
    }
    let lower = t.to_ascii_lowercase();
    // Words that only name a family (as in a TypeScript-minded table).
    if matches!(lower.as_str(), "string" | "str" | "number" | "long" | "bool" | "date_time") {
        return Some(parse_loose_type(t));
    }
    let ty = parse_sql_type(t);
    match &ty.kind {
        TypeKind::Other { .. } => {
            let known_other = lower.starts_with("enum") || lower.starts_with("set(") || lower == "geometry";
            known_other.then_some(ty)
        }
        _ => Some(ty),
    }
}

/// A table's name from the headings near it (at most three levels up).
fn heading_table(headings: &[Heading]) -> Option<(String, Option<&Heading>)> {
    let near = &headings[headings.len().saturating_sub(3)..];
    let name = table_from_headings(near, &BTreeSet::new())?;
    let key = name_key(&name);
    let heading = near.iter().rev().find(|h| h.text.to_lowercase().contains(&key));
    Some((name, heading))
}

fn heading_origin(file: &Arc<str>, h: &Heading, name: &str) -> Origin {
    let lower = h.text.to_lowercase();
    let idx = lower.find(&name.to_lowercase()).map(|b| lower[..b].chars().count()).unwrap_or(0);
    Origin::new(file.clone(), h.line, u32::from(h.level) + 2 + idx as u32, Notation::FieldTable)
}

fn cell_origin(file: &Arc<str>, c: &Cell) -> Origin {
    Origin::new(file.clone(), c.line, c.column, Notation::FieldTable)
}

/// The span of `text` written at `o`, the start of a cell's text (pulldown-cmark trims cells).
fn span(o: &Origin, text: &str) -> Span {
    Span { len: text.trim().chars().count() as u32, ..Span::from(o) }
}

fn read_table(file: &Arc<str>, t: &MdTable, out: &mut Partial, bare_fks: &mut Vec<BareFk>) {
    let l = layout(&t.header);
    let (Some(name_col), Some(type_col)) = (l.name, l.ty) else { return };
    if name_col == type_col {
        return;
    }
    let table_span = Span::new(file.clone(), t.line, 1, 0);
    // Judge the rows: names must be identifiers and types must be types.
    let mut nonempty = 0usize;
    let mut good = 0usize;
    for row in &t.rows {
        let name = cell(row, Some(name_col)).map(|c| c.text.as_str()).unwrap_or("");
        if name.trim().is_empty() {
            continue;
        }
        nonempty += 1;
        let ty = cell(row, Some(type_col)).map(|c| c.text.as_str()).unwrap_or("");
        if split_name_cell(name).is_some() && recognized_type(ty) {
            good += 1;
        }
    }
    if nonempty == 0 {
        return;
    }
    if good == 0 || good * 2 < nonempty {
        out.diagnostics.push(FIELD_TABLE_UNRECOGNIZED.at(
            table_span,
            format!(
                "table with field-table headers has rows that do not read as columns ({good} of {nonempty} rows readable); it is skipped"
            ),
        ));
        return;
    }
    let fallback = if l.table.is_none() {
        match heading_table(&t.headings) {
            Some((name, h)) => {
                let origin = match h {
                    Some(h) => heading_origin(file, h, &name),
                    None => Origin::new(file.clone(), t.line, 1, Notation::FieldTable),
                };
                Some((name, origin))
            }
            None => {
                out.diagnostics.push(
                    UNATTACHED_FIELD_TABLE
                        .at(table_span, format!("field table with {nonempty} fields names no table; it is skipped"))
                        .with_help(
                            "name the table in the heading above it (`### users 테이블`) or add a `테이블` column",
                        ),
                );
                return;
            }
        }
    } else {
        None
    };
    let mut current: Option<(String, Origin)> = fallback.clone();
    for row in &t.rows {
        let Some(name_cell) = cell(row, Some(name_col)) else { continue };
        if name_cell.text.trim().is_empty() {
            continue;
        }
        if let Some(tc) = l.table.and_then(|i| row.get(i)) {
            if let Some((tname, _)) = split_name_cell(&tc.text) {
                current = Some((tname, cell_origin(file, tc)));
            }
        }
        let Some((table_name, table_origin)) = current.clone() else {
            let name = split_name_cell(&name_cell.text).map_or(name_cell.text.clone(), |(n, _)| n);
            out.diagnostics.push(UNATTACHED_FIELD_TABLE.at(
                span(&cell_origin(file, name_cell), &name),
                format!("field `{}` has no table name in its row; it is skipped", name_cell.text),
            ));
            continue;
        };
        let Some((col_name, name_rest)) = split_name_cell(&name_cell.text) else {
            out.diagnostics.push(FIELD_TABLE_UNREADABLE_ROW.at(
                span(&cell_origin(file, name_cell), &name_cell.text),
                format!("`{}` is not a column name; the row is skipped", name_cell.text),
            ));
            continue;
        };
        let type_cell = cell(row, Some(type_col));
        let Some((ty, type_rest)) = type_cell.and_then(|c| split_type_cell(&c.text)) else {
            let what = type_cell.map(|c| c.text.trim()).unwrap_or("");
            let o = type_cell.map(|c| cell_origin(file, c)).unwrap_or_else(|| cell_origin(file, name_cell));
            out.diagnostics.push(FIELD_TABLE_UNREADABLE_ROW.at(
                span(&o, if what.is_empty() { &col_name } else { what }),
                if what.is_empty() {
                    format!("field `{col_name}` has no type; the row is skipped")
                } else {
                    format!("`{what}` is not a column type (field `{col_name}`); the row is skipped")
                },
            ));
            continue;
        };
        let origin = cell_origin(file, name_cell);
        let table_idx = match out.schema.tables.iter().position(|x| name_eq(&x.name, &table_name)) {
            Some(i) => i,
            None => {
                out.schema.tables.push(Table::new(table_name.clone(), table_origin.clone()));
                out.schema.tables.len() - 1
            }
        };
        if let Some(existing) = out.schema.tables[table_idx].column(&col_name) {
            let d = FIELD_TABLE_DUPLICATE_COLUMN
                .at(span(&origin, &col_name), format!("field `{col_name}` of table `{table_name}` is listed again"))
                .with_related(span(&existing.origin, &existing.name), "first listed here");
            out.diagnostics.push(d);
            continue;
        }

        // Gather every constraint word the row states, with the cell it came from.
        let mut words = Constraints::default();
        let mut word_cell = name_cell;
        for (text, c) in [(name_rest.as_str(), Some(name_cell)), (type_rest.as_str(), type_cell)] {
            if !text.is_empty() {
                words.read(text);
                if let Some(c) = c {
                    word_cell = c;
                }
            }
        }
        for idx in [l.constraint, l.key] {
            if let Some(c) = cell(row, idx) {
                if !c.text.trim().is_empty() {
                    words.read(&c.text);
                    word_cell = c;
                }
            }
        }
        if let Some(c) = cell(row, l.nullable) {
            match yes_no(&c.text) {
                Some(true) => words.nullable = true,
                Some(false) => words.not_null = true,
                None => {}
            }
        }
        if let Some(c) = cell(row, l.required) {
            match yes_no(&c.text) {
                Some(true) => words.not_null = true,
                Some(false) => words.nullable = true,
                None => {}
            }
        }
        if let Some(c) = cell(row, l.default) {
            let text = c.text.trim();
            let text = strip_keyword(text, "default").unwrap_or(text);
            let text = text.trim_start_matches(['=', ':']).trim();
            if !text.is_empty() && !matches!(text, "-" | "—" | "–" | "없음" | "N/A" | "n/a") {
                words.default = Some(text.to_string());
            }
        }
        let word_origin = cell_origin(file, word_cell);

        let mut col = Column::new(col_name.clone(), ty, origin.clone());
        col.stated = Stated { nullable: words.pk || words.not_null || words.nullable, default: true };
        col.nullable = !(words.pk || words.not_null);
        col.default = words.default.as_deref().map(parse_loose_default);
        col.on_update = words.on_update.clone();
        if words.auto {
            col.identity = Some(Identity::AutoIncrement);
        } else if is_serial(&col.ty.spelling) {
            col.identity = Some(Identity::Serial);
        }
        col.comment = cell(row, l.description)
            .map(|c| c.text.trim().to_string())
            .filter(|s| !s.is_empty() && !matches!(s.as_str(), "-" | "—"));
        let table = &mut out.schema.tables[table_idx];
        table.columns.push(col);
        if words.pk {
            match table.primary_key.as_mut() {
                Some(pk) => pk.columns.push(col_name.clone()),
                None => {
                    table.primary_key =
                        Some(PrimaryKey { name: None, columns: vec![col_name.clone()], origin: word_origin.clone() })
                }
            }
        }
        if words.unique {
            table.uniques.push(Unique { name: None, columns: vec![col_name.clone()], origin: word_origin.clone() });
        }
        if let Some(expr) = &words.check {
            table.checks.push(Check {
                name: None,
                expr: expr.clone(),
                columns: vec![col_name.clone()],
                origin: word_origin.clone(),
            });
        }
        match &words.fk {
            Some(fk) => table.foreign_keys.push(ForeignKey {
                name: None,
                columns: vec![col_name.clone()],
                ref_table: fk.table.clone(),
                ref_columns: fk.columns.clone(),
                on_delete: fk.on_delete,
                on_update: fk.on_update,
                inferred: false,
                origin: word_origin.clone(),
            }),
            None if words.bare_fk => bare_fks.push(BareFk {
                table: table.name.clone(),
                column: col_name.clone(),
                origin: word_origin.clone(),
                cell: word_cell.text.clone(),
            }),
            None => {}
        }
        // NOTE: a primary key or unique constraint is already backed by an index: `PK, INDEX` and
        // `UNIQUE, INDEX` describe that index, not a second one.
        if words.index && !words.pk && !words.unique {
            let table_name = table.name.clone();
            out.schema.indexes.push(Index {
                name: None,
                table: table_name,
                parts: vec![IndexPart::column(col_name.clone())],
                unique: words.unique,
                method: None,
                predicate: None,
                include: Vec::new(),
                origin: word_origin,
            });
        }
    }
}

fn cell(row: &[Cell], i: Option<usize>) -> Option<&Cell> {
    i.and_then(|i| row.get(i))
}

/// Reads `Y`/`N`, `O`/`X`, `✓`, `yes`/`no`, `true`/`false`; `None` for anything else.
fn yes_no(text: &str) -> Option<bool> {
    let t = text.trim().to_lowercase();
    match t.as_str() {
        "y" | "yes" | "o" | "✓" | "✔" | "✔️" | "✅" | "true" | "t" | "1" | "예" | "허용" | "null" | "nullable" => {
            Some(true)
        }
        "n" | "no" | "x" | "✗" | "✘" | "❌" | "false" | "f" | "0" | "아니오" | "불가" | "not null" | "notnull" => {
            Some(false)
        }
        _ => None,
    }
}

fn strip_keyword<'a>(text: &'a str, kw: &str) -> Option<&'a str> {
    let head = text.get(..kw.len())?;
    head.eq_ignore_ascii_case(kw).then(|| &text[kw.len()..])
}

/// What one row's constraint words say.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub(crate) struct Constraints {
    pub pk: bool,
    pub fk: Option<FkTarget>,
    /// `FK` without a target.
    pub bare_fk: bool,
    pub unique: bool,
    pub not_null: bool,
    pub nullable: bool,
    pub index: bool,
    /// The default as written (`True`, `"google"`, `now()`).
    pub default: Option<String>,
    pub auto: bool,
    pub on_update: Option<String>,
    pub check: Option<String>,
}

/// A foreign-key target as written (`users.id`, `users(id)`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct FkTarget {
    pub table: String,
    pub columns: Vec<String>,
    pub on_delete: Option<ReferentialAction>,
    pub on_update: Option<ReferentialAction>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
enum Tok {
    Word(String),
    /// The text inside `( … )`.
    Group(String),
    /// A quoted string with its quote character.
    Quoted(String, char),
    Sep,
    Eq,
    Colon,
    Arrow,
}

fn tokenize(s: &str) -> Vec<Tok> {
    let chars: Vec<char> = s.chars().collect();
    let mut out = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        match c {
            c if c.is_whitespace() => i += 1,
            ',' | ';' | '|' => {
                out.push(Tok::Sep);
                i += 1;
            }
            '=' => {
                out.push(Tok::Eq);
                i += 1;
            }
            ':' | '：' => {
                out.push(Tok::Colon);
                i += 1;
            }
            '→' | '⇒' | '➔' => {
                out.push(Tok::Arrow);
                i += 1;
            }
            '-' if chars.get(i + 1) == Some(&'>') => {
                out.push(Tok::Arrow);
                i += 2;
            }
            '\'' | '"' => {
                let q = c;
                let mut j = i + 1;
                let mut text = String::new();
                while j < chars.len() && chars[j] != q {
                    text.push(chars[j]);
                    j += 1;
                }
                out.push(Tok::Quoted(text, q));
                i = j + 1;
            }
            '(' => {
                let mut depth = 1;
                let mut j = i + 1;
                let mut text = String::new();
                while j < chars.len() {
                    match chars[j] {
                        '(' => depth += 1,
                        ')' => {
                            depth -= 1;
                            if depth == 0 {
                                break;
                            }
                        }
                        _ => {}
                    }
                    text.push(chars[j]);
                    j += 1;
                }
                out.push(Tok::Group(text.trim().to_string()));
                i = j + 1;
            }
            ')' => i += 1,
            _ => {
                let mut j = i;
                let mut text = String::new();
                while j < chars.len() {
                    let d = chars[j];
                    if d.is_whitespace()
                        || matches!(d, ',' | ';' | '|' | '=' | ':' | '：' | '(' | ')' | '\'' | '"' | '→' | '⇒' | '➔')
                        || (d == '-' && chars.get(j + 1) == Some(&'>'))
                    {
                        break;
                    }
                    text.push(d);
                    j += 1;
                }
                out.push(Tok::Word(text));
                i = j;
            }
        }
    }
    out
}

fn is_ident(s: &str) -> bool {
    let mut chars = s.chars();
    chars.next().is_some_and(|c| c.is_alphabetic() || c == '_') && chars.all(|c| c.is_alphanumeric() || c == '_')
}

/// Reads `users.id`, `users(id)`, `public.users.id`, `users` into a target.
pub(crate) fn parse_ref(table_part: &str, group: Option<&str>) -> Option<FkTarget> {
    let t = table_part.trim().trim_matches('`');
    let (table, columns) = match group {
        Some(g) => {
            let cols: Vec<String> = g.split(',').map(|c| c.trim().trim_matches(['`', '"']).to_string()).collect();
            if !cols.iter().all(|c| is_ident(c)) {
                return None;
            }
            let table = t.rsplit('.').next().unwrap_or(t);
            (table.to_string(), cols)
        }
        None => match t.rsplit_once('.') {
            Some((tbl, col)) => (tbl.rsplit('.').next().unwrap_or(tbl).to_string(), vec![col.to_string()]),
            None => (t.to_string(), Vec::new()),
        },
    };
    (is_ident(&table) && columns.iter().all(|c| is_ident(c))).then_some(FkTarget {
        table,
        columns,
        on_delete: None,
        on_update: None,
    })
}

fn action(words: &[String]) -> Option<(ReferentialAction, usize)> {
    let w0 = words.first().map(|s| s.to_uppercase()).unwrap_or_default();
    let w1 = words.get(1).map(|s| s.to_uppercase()).unwrap_or_default();
    match (w0.as_str(), w1.as_str()) {
        ("CASCADE", _) => Some((ReferentialAction::Cascade, 1)),
        ("RESTRICT", _) => Some((ReferentialAction::Restrict, 1)),
        ("SET", "NULL") => Some((ReferentialAction::SetNull, 2)),
        ("SET", "DEFAULT") => Some((ReferentialAction::SetDefault, 2)),
        ("NO", "ACTION") => Some((ReferentialAction::NoAction, 2)),
        _ => None,
    }
}

impl Constraints {
    /// Reads the constraint words of `text` into `self`; unknown words are ignored.
    pub(crate) fn read(&mut self, text: &str) {
        let toks = tokenize(text);
        let word = |i: usize| match toks.get(i) {
            Some(Tok::Word(w)) => Some(w.to_uppercase()),
            _ => None,
        };
        let mut i = 0;
        while i < toks.len() {
            let Some(w) = word(i) else {
                i += 1;
                continue;
            };
            i += 1;
            match w.as_str() {
                "PK" | "기본키" | "주키" | "PRIMARY_KEY" | "PRIMARYKEY" => self.pk = true,
                "PRIMARY" if word(i).as_deref() == Some("KEY") => {
                    self.pk = true;
                    i += 1;
                }
                "FK" | "외래키" | "REFERENCES" | "REF" | "참조" | "FOREIGN" => {
                    if w == "FOREIGN" {
                        if word(i).as_deref() != Some("KEY") {
                            continue;
                        }
                        i += 1;
                    }
                    let explicit = w == "REFERENCES" || w == "REF" || w == "참조";
                    let mut j = i;
                    let mut pointed = explicit;
                    while matches!(toks.get(j), Some(Tok::Eq | Tok::Colon | Tok::Arrow)) {
                        pointed = true;
                        j += 1;
                    }
                    let target = match (toks.get(j), toks.get(j + 1)) {
                        (Some(Tok::Group(g)), _) => {
                            let g = g.trim();
                            match g.find('(') {
                                Some(p) => parse_ref(&g[..p], Some(g[p + 1..].trim_end_matches(')'))).map(|t| (t, 1)),
                                None => parse_ref(g, None).filter(|t| !t.columns.is_empty() || pointed).map(|t| (t, 1)),
                            }
                        }
                        (Some(Tok::Word(t)), Some(Tok::Group(g))) => parse_ref(t, Some(g)).map(|t| (t, 2)),
                        (Some(Tok::Word(t)), _) if t.contains('.') || (pointed && !is_keyword(t)) => {
                            parse_ref(t, None).map(|t| (t, 1))
                        }
                        _ => None,
                    };
                    match target {
                        Some((t, n)) => {
                            self.fk = Some(t);
                            i = j + n;
                        }
                        None => self.bare_fk = true,
                    }
                }
                "UNIQUE" | "UK" | "UQ" | "고유" | "유니크" | "UNIQUE_KEY" | "중복불가" => {
                    self.unique = true;
                    match word(i).as_deref() {
                        Some("KEY" | "CONSTRAINT") => i += 1,
                        Some("INDEX") => {
                            self.index = true;
                            i += 1;
                        }
                        _ => {}
                    }
                }
                "NOT" if word(i).as_deref() == Some("NULL") => {
                    self.not_null = true;
                    i += 1;
                }
                "NN" | "NOTNULL" | "NOT_NULL" | "필수" | "REQUIRED" => self.not_null = true,
                "NULLABLE" | "NULL" | "OPTIONAL" | "선택" | "NULL허용" | "널허용" => self.nullable = true,
                "INDEX" | "INDEXED" | "IDX" | "인덱스" => self.index = true,
                "DEFAULT" | "기본값" | "디폴트" | "DEFAULT_VALUE" => {
                    while matches!(toks.get(i), Some(Tok::Eq | Tok::Colon)) {
                        i += 1;
                    }
                    if let Some((v, n)) = value_at(&toks, i) {
                        self.default = Some(v);
                        i += n;
                    }
                }
                "AUTO" | "AUTO_INCREMENT" | "AUTOINCREMENT" | "IDENTITY" | "SERIAL" | "자동증가" | "AI" => {
                    self.auto = true;
                    if word(i).as_deref() == Some("INCREMENT") {
                        i += 1;
                    }
                }
                "ON" => {
                    let which = word(i);
                    if !matches!(which.as_deref(), Some("UPDATE" | "DELETE")) {
                        continue;
                    }
                    i += 1;
                    while matches!(toks.get(i), Some(Tok::Eq | Tok::Colon)) {
                        i += 1;
                    }
                    let rest: Vec<String> = toks[i.min(toks.len())..]
                        .iter()
                        .take(2)
                        .map(|t| if let Tok::Word(w) = t { w.clone() } else { String::new() })
                        .collect();
                    if let Some((a, n)) = action(&rest) {
                        if let Some(fk) = self.fk.as_mut() {
                            if which.as_deref() == Some("DELETE") {
                                fk.on_delete = Some(a);
                            } else {
                                fk.on_update = Some(a);
                            }
                        }
                        i += n;
                    } else if which.as_deref() == Some("UPDATE") {
                        if let Some((v, n)) = value_at(&toks, i) {
                            self.on_update = Some(v);
                            i += n;
                        }
                    }
                }
                "CHECK" => {
                    if let Some(Tok::Group(g)) = toks.get(i) {
                        self.check = Some(g.clone());
                        i += 1;
                    }
                }
                _ => {}
            }
        }
    }
}

fn is_keyword(w: &str) -> bool {
    matches!(
        w.to_uppercase().as_str(),
        "NOT" | "NULL" | "NULLABLE" | "UNIQUE" | "INDEX" | "PK" | "DEFAULT" | "ON" | "PRIMARY" | "KEY" | "CHECK"
    )
}

/// A value written after `DEFAULT`/`ON UPDATE`: a quoted string, a call (`now()`) or a word.
fn value_at(toks: &[Tok], i: usize) -> Option<(String, usize)> {
    match (toks.get(i)?, toks.get(i + 1)) {
        (Tok::Quoted(s, q), _) => Some((format!("{q}{s}{q}"), 1)),
        (Tok::Word(w), Some(Tok::Group(g))) => Some((format!("{w}({g})"), 2)),
        (Tok::Word(w), _) => Some((w.clone(), 1)),
        (Tok::Group(g), _) => Some((format!("({g})"), 1)),
        _ => None,
    }
}

/// The table a column name like `user_id`/`userId` points at, by convention: `users`.
pub(crate) fn fk_target_from_column(column: &str, known: &BTreeSet<String>) -> Option<String> {
    let stem = column
        .strip_suffix("_id")
        .or_else(|| column.strip_suffix("_ID"))
        .or_else(|| column.strip_suffix("Id").filter(|s| s.chars().last().is_some_and(|c| c.is_lowercase())))?;
    if stem.is_empty() || !is_ident(stem) {
        return None;
    }
    let snake = to_snake(stem);
    if let Some(hit) = resolve_known(&snake, known) {
        return Some(hit);
    }
    Some(plural(&snake))
}

/// `UserProfile` → `user_profile`.
pub(crate) fn to_snake(s: &str) -> String {
    let mut out = String::new();
    let chars: Vec<char> = s.chars().collect();
    for (i, &c) in chars.iter().enumerate() {
        if c.is_uppercase() {
            let prev_lower = i > 0 && (chars[i - 1].is_lowercase() || chars[i - 1].is_ascii_digit());
            let next_lower = chars.get(i + 1).is_some_and(|n| n.is_lowercase());
            if i > 0 && (prev_lower || (next_lower && chars[i - 1].is_uppercase())) && !out.ends_with('_') {
                out.push('_');
            }
            out.extend(c.to_lowercase());
        } else {
            out.push(c);
        }
    }
    out
}

/// The English plural of a table stem (`user` → `users`, `category` → `categories`).
pub(crate) fn plural(s: &str) -> String {
    if s.ends_with('s') || s.ends_with('x') || s.ends_with("ch") || s.ends_with("sh") {
        format!("{s}es")
    } else if let Some(stem) = s.strip_suffix('y').filter(|st| !st.ends_with(['a', 'e', 'i', 'o', 'u'])) {
        format!("{stem}ies")
    } else {
        format!("{s}s")
    }
}

fn resolve_bare_fks(out: &mut Partial, bare: Vec<BareFk>) {
    let known: BTreeSet<String> = out.schema.tables.iter().map(|t| name_key(&t.name)).collect();
    for fk in bare {
        let Some(table) = out.schema.table_mut(&fk.table) else { continue };
        match fk_target_from_column(&fk.column, &known) {
            Some(target) => table.foreign_keys.push(ForeignKey {
                name: None,
                columns: vec![fk.column],
                ref_table: target,
                ref_columns: Vec::new(),
                on_delete: None,
                on_update: None,
                inferred: true,
                origin: Origin::inferred_from(&fk.origin),
            }),
            None => out.diagnostics.push(
                FIELD_TABLE_FOREIGN_KEY_WITHOUT_TARGET
                    .at(
                        span(&fk.origin, &fk.cell),
                        format!("`{}.{}` is marked FK but names no target", fk.table, fk.column),
                    )
                    .with_help("write the target: `FK(users.id)`"),
            ),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scan::scan;
    use model::DefaultValue;

    fn run(md: &str) -> Partial {
        extract(&[scan("t.md".into(), md)])
    }

    const USERS: &str = "## 3. 테이블 상세\n\n### 3.1 users 테이블\n\n#### 스키마\n\n\
| 필드명 | 타입 | 제약조건 | 설명 |\n|---|---|---|---|\n\
| `id` | String(36) | PK, INDEX | UUID 문자열 |\n\
| `email` | String(100) | UNIQUE, NOT NULL, INDEX | 이메일 |\n\
| `username` | String(50) | NULLABLE | 이름 |\n\
| `is_active` | Boolean | DEFAULT=True | 활성 |\n\
| `provider` | String(20) | DEFAULT=\"google\" | OAuth |\n\
| `status` | VARCHAR(20) | DEFAULT='pending' | 작업 상태 ('pending', 'failed') |\n\
| `created_at` | DateTime(timezone=True) | DEFAULT=now() | 생성 |\n\
| `updated_at` | DateTime(timezone=True) | ON UPDATE=now() | 수정 |\n";

    #[test]
    fn korean_field_table_under_a_table_heading() {
        let p = run(USERS);
        assert!(p.diagnostics.is_empty(), "{:?}", p.diagnostics);
        let t = p.schema.table("users").unwrap();
        assert_eq!(t.columns.len(), 8);
        assert_eq!((t.origin.line, t.origin.column), (3, 9));
        assert_eq!(t.primary_key.as_ref().unwrap().columns, ["id"]);
        let id = t.column("id").unwrap();
        assert!(!id.nullable && id.stated.nullable);
        assert_eq!(id.ty.kind, TypeKind::Varchar { len: Some(36) });
        assert_eq!(id.origin.line, 9);
        let email = t.column("email").unwrap();
        assert!(!email.nullable);
        assert_eq!(t.uniques[0].columns, ["email"]);
        let username = t.column("username").unwrap();
        assert!(username.nullable && username.stated.nullable);
        let active = t.column("is_active").unwrap();
        assert_eq!(active.default, Some(DefaultValue::Bool(true)));
        assert!(!active.stated.nullable && active.nullable && active.stated.default);
        assert_eq!(t.column("provider").unwrap().default, Some(DefaultValue::String("google".into())));
        let status = t.column("status").unwrap();
        assert_eq!(status.default, Some(DefaultValue::String("pending".into())));
        assert_eq!(status.comment.as_deref(), Some("작업 상태 ('pending', 'failed')"));
        assert_eq!(t.column("created_at").unwrap().default, Some(DefaultValue::CurrentTimestamp));
        assert_eq!(t.column("created_at").unwrap().ty.kind, TypeKind::Timestamp { tz: true, precision: None });
        assert_eq!(t.column("updated_at").unwrap().on_update.as_deref(), Some("now()"));
        assert!(p.schema.indexes.is_empty(), "PK and UNIQUE columns are indexed already: {:?}", p.schema.indexes);
    }

    #[test]
    fn foreign_keys_written_and_inferred() {
        let md = "### posts\n\n| column | type | constraints |\n|---|---|---|\n\
| id | INTEGER | PK, AUTO_INCREMENT |\n\
| author_id | String(36) | FK(users.id), NOT NULL |\n\
| user_id | UUID | FK |\n\
| category_id | INT | FK → categories.id ON DELETE CASCADE |\n\
| tag_id | INT | REFERENCES tags(id) |\n\
| owner | INT | FK |\n";
        let p = run(md);
        let t = p.schema.table("posts").unwrap();
        assert_eq!(t.column("id").unwrap().identity, Some(Identity::AutoIncrement));
        let fks: Vec<_> =
            t.foreign_keys.iter().map(|f| (f.columns[0].as_str(), f.ref_table.as_str(), f.inferred)).collect();
        assert_eq!(
            fks,
            [
                ("author_id", "users", false),
                ("category_id", "categories", false),
                ("tag_id", "tags", false),
                ("user_id", "users", true),
            ]
        );
        assert_eq!(t.foreign_keys[1].on_delete, Some(ReferentialAction::Cascade));
        assert_eq!(t.foreign_keys[3].origin.notation, Notation::Inferred);
        assert_eq!(p.diagnostics.len(), 1);
        assert_eq!(p.diagnostics[0].rule, "field-table-foreign-key-without-target");
        let span = &p.diagnostics[0].span;
        assert_eq!((span.line, span.column, span.len), (10, 17, 2));
    }

    #[test]
    fn comparison_and_storage_tables_are_not_field_tables() {
        let md = "### 4.2.1 users 테이블\n\n| 필드 | 문서 | 실제 구현 | 상태 |\n|---|---|---|---|\n\
| `id` | UUID | String(36) | ✅ 일치 |\n\n\
## 4. 저장소\n\n| 데이터 유형 | 저장소 | 이유 |\n|---|---|---|\n| 사용자 | JSON | 빠름 |\n\n\
## 용어\n\n| 이름 | 설명 |\n|---|---|\n| WAL | 로그 |\n";
        let p = run(md);
        assert!(p.schema.tables.is_empty());
        assert!(p.diagnostics.is_empty());
    }

    #[test]
    fn prose_rows_under_field_headers_are_reported_not_read() {
        let md = "### members\n\n| 이름 | 타입 |\n|---|---|\n| 홍길동 | 관리자 |\n| 김철수 | 일반 |\n";
        let p = run(md);
        assert!(p.schema.tables.is_empty());
        assert_eq!(p.diagnostics[0].rule, "field-table-unrecognized");
    }

    #[test]
    fn table_column_groups_rows_and_yes_no_columns_work() {
        let md = "## 스키마\n\n| Table | Column | Data Type | Nullable | Default | Key |\n|---|---|---|---|---|---|\n\
| orders | id | BIGINT | N | | PK |\n\
| | total | DECIMAL(10,2) | N | 0 | |\n\
| items | id | BIGINT | N | | PK |\n\
| | note | TEXT | Y | | |\n";
        let p = run(md);
        assert!(p.diagnostics.is_empty(), "{:?}", p.diagnostics);
        let orders = p.schema.table("orders").unwrap();
        assert_eq!(orders.columns.len(), 2);
        let total = orders.column("total").unwrap();
        assert!(!total.nullable && total.stated.nullable);
        assert_eq!(total.default, Some(DefaultValue::Number("0".into())));
        assert_eq!(total.ty.kind, TypeKind::Decimal { precision: Some(10), scale: Some(2) });
        let items = p.schema.table("items").unwrap();
        assert!(items.column("note").unwrap().nullable);
        assert_eq!(items.primary_key.as_ref().unwrap().columns, ["id"]);
    }

    #[test]
    fn unattached_tables_and_duplicates_are_reported() {
        let md = "| 필드명 | 타입 |\n|---|---|\n| id | INT |\n\n### users\n\n| 필드명 | 타입 |\n|---|---|\n\
| id | INT |\n| id | BIGINT |\n| user name | TEXT |\n";
        let p = run(md);
        let rules: Vec<_> = p.diagnostics.iter().map(|d| d.rule).collect();
        assert_eq!(rules, ["unattached-field-table", "field-table-duplicate-column", "field-table-unreadable-row"]);
        assert_eq!(p.diagnostics[1].related[0].span.line, 9);
        let spans: Vec<(u32, u32, u32)> =
            p.diagnostics.iter().map(|d| (d.span.line, d.span.column, d.span.len)).collect();
        assert_eq!(spans, [(1, 1, 0), (10, 3, 2), (11, 3, 9)]);
        assert_eq!(p.diagnostics[1].related[0].span.len, 2);
        assert_eq!(p.schema.table("users").unwrap().columns.len(), 1);
    }

    #[test]
    fn type_cells_with_trailing_constraints_and_korean_words() {
        let md = "### accounts\n\n| 컬럼명 | 자료형 | 제약 |\n|---|---|---|\n\
| id | SERIAL | 기본키 |\n| email | VARCHAR(255) NOT NULL | 고유 |\n| plan | TEXT | 필수, 기본값: 'free' |\n";
        let p = run(md);
        let t = p.schema.table("accounts").unwrap();
        assert_eq!(t.column("id").unwrap().identity, Some(Identity::Serial));
        let email = t.column("email").unwrap();
        assert_eq!(email.ty.kind, TypeKind::Varchar { len: Some(255) });
        assert!(!email.nullable);
        assert_eq!(t.uniques.len(), 1);
        let plan = t.column("plan").unwrap();
        assert!(!plan.nullable);
        assert_eq!(plan.default, Some(DefaultValue::String("free".into())));
    }

    #[test]
    fn garbled_input_never_panics() {
        let inputs = [
            "### t\n| 필드명 | 타입 | 제약조건 |\n|---|---|---|\n| a | String( | FK(( DEFAULT= 'x |\n",
            "### t\n| 필드명 | 타입 | 제약조건 |\n|---|---|---|\n| 🔑 | ( | ON UPDATE |\n| b | INT | FK → |\n",
            "### t\n| name | type |\n|---|\n| x |\n",
            "| 필드명 | 타입 |\n",
        ];
        for md in inputs {
            let _ = run(md);
        }
    }

    #[test]
    fn names_and_plurals() {
        assert_eq!(to_snake("UserProfile"), "user_profile");
        assert_eq!(to_snake("HTTPLog"), "http_log");
        assert_eq!(plural("category"), "categories");
        assert_eq!(plural("box"), "boxes");
        assert_eq!(plural("day"), "days");
        assert_eq!(fk_target_from_column("authorId", &BTreeSet::new()).as_deref(), Some("authors"));
        let known: BTreeSet<String> = ["person".to_string()].into();
        assert_eq!(fk_target_from_column("person_id", &known).as_deref(), Some("person"));
        assert_eq!(fk_target_from_column("owner", &known), None);
    }
}
