//! Catalogs written as markdown tables: one row per table, `| 테이블 | 역할 |`, `| table |
//! purpose |`, or with the table's main columns and keys (`| table | main columns | keys |`).

use super::bullets::{declare_entry, Entry};
use super::names::{is_ident, is_table_name, says_excluded, under_catalog_heading};
use super::{origin, Catalog};
use crate::scan::{Cell, Document, Item, MdTable};
use model::{name_eq, Check, Column, DataType, ForeignKey, PrimaryKey, Span, Stated, Unique};

/// What a header cell of a table catalog holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Role {
    /// The physical table name.
    Name,
    /// A word for the name that needs a catalog heading to mean "table" (`name`, `이름`).
    WeakName,
    /// The table's (main) columns, listed.
    Columns,
    /// Keys and constraints (`PK id; FK a→t`).
    Keys,
    /// What the table is for, a logical name, an owner: kept as its comment.
    Description,
    /// A header that makes the table something else: a field table (`type`, `column`).
    Disqualifying,
}

fn role(header: &str) -> Role {
    let h = header.trim().to_lowercase().replace(['`', '*'], "");
    let h = h.trim();
    match h {
        "table"
        | "tables"
        | "table name"
        | "table_name"
        | "tablename"
        | "테이블"
        | "테이블명"
        | "테이블 이름"
        | "테이블 명"
        | "물리명"
        | "물리 테이블명"
        | "물리 이름"
        | "physical name"
        | "entity"
        | "엔티티"
        | "엔티티명"
        | "collection"
        | "컬렉션" => Role::Name,
        "name" | "이름" | "명칭" => Role::WeakName,
        "columns" | "main columns" | "key columns" | "주요 컬럼" | "주요컬럼" | "주요 필드" | "컬럼 목록"
        | "컬럼들" | "main fields" | "columns (main)" | "attributes" | "주요 속성" => Role::Columns,
        "keys"
        | "keys and constraints"
        | "keys & constraints"
        | "key"
        | "constraints"
        | "제약조건"
        | "제약 조건"
        | "키"
        | "pk/fk"
        | "pk / fk"
        | "keys/constraints"
        | "relations"
        | "관계" => Role::Keys,
        "type" | "types" | "타입" | "자료형" | "데이터 타입" | "data type" | "datatype" | "column" | "column name"
        | "컬럼" | "컬럼명" | "field" | "필드" | "필드명" | "references" | "참조" | "default" | "기본값"
        | "nullable" | "null" => Role::Disqualifying,
        _ => Role::Description,
    }
}

/// Reads the table catalogs of `doc`.
pub(super) fn read(doc: &Document, unread: &dyn Fn(u32) -> bool, out: &mut Catalog) {
    for item in &doc.items {
        if let Item::Table(t) = item {
            if unread(t.line) {
                read_table(doc, t, out);
            }
        }
    }
}

fn read_table(doc: &Document, t: &MdTable, out: &mut Catalog) {
    let roles: Vec<Role> = t.header.iter().map(|c| role(&c.text)).collect();
    if roles.contains(&Role::Disqualifying) || t.rows.is_empty() {
        return;
    }
    let catalog_heading = under_catalog_heading(&t.headings, t.preceding_text.as_deref());
    let name_at = roles
        .iter()
        .position(|r| *r == Role::Name)
        .or_else(|| catalog_heading.then(|| roles.iter().position(|r| *r == Role::WeakName)).flatten());
    let Some(name_at) = name_at else { return };
    // A lone name column is a list of names only under a catalog heading.
    if roles.len() < 2 && !catalog_heading {
        return;
    }
    let names: Vec<Option<String>> = t.rows.iter().map(|r| r.get(name_at).and_then(|c| name_of(&c.text))).collect();
    // Most rows must name a table: a table of prose that happens to have a `table` header is not a catalog.
    let named = names.iter().filter(|n| n.is_some()).count();
    if named == 0 || named * 2 < t.rows.len() {
        // A column headed `table` that holds no table names (logical names only) is a catalog
        // whose physical names are missing: say so rather than pass over it.
        if roles[name_at] == Role::Name && roles.contains(&Role::Description) && catalog_heading {
            out.mark_read(&doc.file, t.line);
            let header = &t.header[name_at];
            out.note(
                Span::new(doc.file.clone(), header.line, header.column, header.text.chars().count() as u32),
                format!(
                    "the `{}` column of this catalog holds no table names (only {named} of {} rows); nothing is declared",
                    header.text.trim(),
                    t.rows.len()
                ),
            );
        }
        return;
    }
    out.mark_read(&doc.file, t.line);
    let columns_at = roles.iter().position(|r| *r == Role::Columns);
    let keys_at = roles.iter().position(|r| *r == Role::Keys);
    let description_at = roles.iter().position(|r| *r == Role::Description);
    for (row, name) in t.rows.iter().zip(names) {
        let Some(cell) = row.get(name_at) else { continue };
        let Some(name) = name else {
            if !cell.text.trim().is_empty() {
                let span = Span::new(doc.file.clone(), cell.line, cell.column, cell.text.chars().count() as u32);
                out.note(span, format!("`{}` is not a table name; the catalog row is skipped", cell.text.trim()));
            }
            continue;
        };
        let text_of = |at: Option<usize>| at.and_then(|i| row.get(i)).map(|c| c.text.trim().to_string());
        let description = text_of(description_at).filter(|d| !d.is_empty() && d != "-");
        // The whole row may say the table is not made (`| legacy | 미사용 |`).
        let all: String = row.iter().skip(1).map(|c| c.text.as_str()).collect::<Vec<_>>().join(" ");
        let entry = Entry {
            name: name.clone(),
            description: if says_excluded(&all) && description.as_deref().is_none_or(|d| !says_excluded(d)) {
                Some(all.trim().to_string())
            } else {
                description
            },
            marked: true,
        };
        let Some(ti) = declare_entry(out, &doc.file, cell.line, cell.column, &entry) else { continue };
        let columns = columns_at.and_then(|i| row.get(i));
        if let Some(c) = columns {
            state_columns(doc, ti, c, out);
        }
        if let Some(k) = keys_at.and_then(|i| row.get(i)) {
            read_keys(doc, ti, k, out);
        }
    }
}

/// The table name a cell gives: an identifier (`kilns`, `loans.loan_item`) first in the cell,
/// the rest being a label (`users (회원)`).
fn name_of(text: &str) -> Option<String> {
    let t = text.trim().trim_matches('`');
    let end = t.find(|c: char| !(c.is_ascii_alphanumeric() || c == '_' || c == '.')).unwrap_or(t.len());
    let name = t[..end].trim_end_matches('.');
    let rest = t[end..].trim_start_matches('`').trim();
    let label_like = rest.is_empty() || rest.starts_with(['(', '（', '/', '-', '—', ':', '[']) || !rest.is_ascii();
    (is_table_name(name) && label_like).then(|| name.to_string())
}

/// States the columns a row lists (`` `id`, `name`, `city` ``): untyped, since a catalog gives no
/// types. Trailing `…`, `etc.`, `등` say the list is partial, which a catalog of main columns is anyway.
fn state_columns(doc: &Document, ti: usize, cell: &Cell, out: &mut Catalog) {
    let mut names = Vec::new();
    let mut unread = Vec::new();
    for part in cell.text.split([',', '/', '·', '、', ';', '\n']) {
        let p = part.trim().trim_matches('`').trim();
        let p = p.split(['(', ' ']).next().unwrap_or("").trim_matches('`');
        if p.is_empty() || matches!(p, "…" | "..." | "etc" | "etc." | "등" | "-") {
            continue;
        }
        if is_ident(p) {
            names.push(p.to_string());
        } else {
            unread.push(part.trim().to_string());
        }
    }
    let span = Span::new(doc.file.clone(), cell.line, cell.column, cell.text.chars().count() as u32);
    if !unread.is_empty() {
        out.note(
            span.clone(),
            format!("{} in the columns cell is not a column name; it is skipped", unread.join(", ")),
        );
    }
    if names.is_empty() {
        return;
    }
    let table = &mut out.partial.schema.tables[ti];
    table.columns_stated = true;
    for n in names {
        if table.column(&n).is_none() {
            let mut c = Column::new(n, DataType::unstated(), origin(&doc.file, cell.line, cell.column));
            // A catalog names columns; it says nothing of their nullability or defaults.
            c.stated = Stated { nullable: false, default: false };
            table.columns.push(c);
        }
    }
}

/// Reads a keys cell: `PK id`, `FK bakery_id→bakeries`, `UNIQUE (a, b)`, `CHECK x > 0` or a bare
/// comparison, separated by `;` or line breaks.
fn read_keys(doc: &Document, ti: usize, cell: &Cell, out: &mut Catalog) {
    let at = origin(&doc.file, cell.line, cell.column);
    let span = Span::new(doc.file.clone(), cell.line, cell.column, cell.text.chars().count() as u32);
    let stated = out.partial.schema.tables[ti].columns_stated;
    let table_name = out.partial.schema.tables[ti].qualified_name();
    let mut skipped = Vec::new();
    for part in cell.text.split([';', '\n']).map(|p| p.trim().replace('`', "")).filter(|p| !p.is_empty()) {
        if !stated {
            skipped.push(part);
            continue;
        }
        let table = &mut out.partial.schema.tables[ti];
        match key(&part) {
            Some(Key::Primary(cols)) if table.primary_key.is_none() && known_columns(table, &cols) => {
                for c in table.columns.iter_mut().filter(|c| cols.iter().any(|k| name_eq(k, &c.name))) {
                    c.nullable = false;
                    c.stated.nullable = true;
                }
                table.primary_key = Some(PrimaryKey { name: None, columns: cols, origin: at.clone() });
            }
            Some(Key::Unique(cols)) if known_columns(table, &cols) => {
                table.uniques.push(Unique { name: None, columns: cols, origin: at.clone() })
            }
            Some(Key::Foreign(cols, ref_table, ref_columns)) if known_columns(table, &cols) => {
                table.foreign_keys.push(ForeignKey {
                    name: None,
                    columns: cols,
                    ref_table,
                    ref_columns,
                    on_delete: None,
                    on_update: None,
                    inferred: false,
                    origin: at.clone(),
                })
            }
            Some(Key::Check(expr)) => {
                let columns: Vec<String> = crate::context::identifiers(&expr)
                    .into_iter()
                    .filter(|w| table.column(w).is_some())
                    .map(str::to_string)
                    .collect();
                if columns.is_empty() {
                    skipped.push(part);
                } else {
                    table.checks.push(Check { name: None, expr, columns, origin: at.clone() });
                }
            }
            _ => skipped.push(part),
        }
    }
    if !skipped.is_empty() {
        let why = if stated { "names no column the row lists" } else { "the row lists no columns" };
        out.note(span, format!("`{}` of `{table_name}` is not read: {why}", skipped.join("; ")));
    }
}

fn known_columns(table: &model::Table, cols: &[String]) -> bool {
    !cols.is_empty() && cols.iter().all(|c| table.column(c).is_some())
}

#[derive(Debug, PartialEq, Eq)]
enum Key {
    Primary(Vec<String>),
    Unique(Vec<String>),
    Foreign(Vec<String>, String, Vec<String>),
    Check(String),
}

/// One key written the way catalogs write them.
fn key(part: &str) -> Option<Key> {
    let (word, rest) = part.split_once(|c: char| c.is_whitespace() || c == ':').unwrap_or((part, ""));
    let rest = rest.trim().trim_start_matches(':').trim();
    match word.to_ascii_uppercase().as_str() {
        "PK" | "PRIMARY" | "기본키" => Some(Key::Primary(column_list(rest.trim_start_matches("KEY").trim())?)),
        "UK" | "UQ" | "UNIQUE" | "유니크" => Some(Key::Unique(column_list(rest)?)),
        "FK" | "외래키" => {
            let (from, to) = rest.split_once("→").or_else(|| rest.split_once("->"))?;
            let cols = column_list(from.trim())?;
            let to = to.trim();
            let (table, ref_cols) = match to.split_once('(') {
                Some((t, c)) => (t.trim(), column_list(c.trim_end_matches(')'))?),
                None => match to.rsplit_once('.') {
                    // `t.id`, unless the dot is a schema's (`loans.loan_request`).
                    Some((t, c)) if is_ident(c) && c.ends_with("id") => (t.trim(), vec![c.to_string()]),
                    _ => (to, Vec::new()),
                },
            };
            is_table_name(table).then(|| Key::Foreign(cols, table.to_string(), ref_cols))
        }
        "CHECK" => Some(Key::Check(rest.trim_matches(['(', ')']).trim().to_string())),
        _ if [">=", "<=", "<>", "!=", ">", "<", "=", " IN ", " in ", " BETWEEN ", " between "]
            .iter()
            .any(|op| part.contains(op)) =>
        {
            Some(Key::Check(part.to_string()))
        }
        _ => None,
    }
}

/// `id`, `(a, b)`, `a, b`: identifiers only.
fn column_list(text: &str) -> Option<Vec<String>> {
    let t = text.trim().trim_start_matches('(').trim_end_matches(')');
    let cols: Vec<String> = t.split(',').map(|c| c.trim().to_string()).collect();
    let column =
        |c: &str| c.starts_with(|ch: char| ch.is_ascii_alphabetic() || ch == '_') && (c.len() == 1 || is_ident(c));
    (!cols.is_empty() && cols.iter().all(|c| column(c))).then_some(cols)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_read_as_catalogs_write_them() {
        assert_eq!(key("PK id"), Some(Key::Primary(vec!["id".into()])));
        assert_eq!(key("PK (a, b)"), Some(Key::Primary(vec!["a".into(), "b".into()])));
        assert_eq!(
            key("FK bakery_id→bakeries"),
            Some(Key::Foreign(vec!["bakery_id".into()], "bakeries".into(), vec![]))
        );
        assert_eq!(
            key("FK: owner_id -> users(id)"),
            Some(Key::Foreign(vec!["owner_id".into()], "users".into(), vec!["id".into()]))
        );
        assert_eq!(key("flour_kg > 0"), Some(Key::Check("flour_kg > 0".into())));
        assert_eq!(key("indexed often"), None);
    }

    #[test]
    fn names_come_first_in_their_cell() {
        assert_eq!(name_of("`kilns`").as_deref(), Some("kilns"));
        assert_eq!(name_of("users (회원)").as_deref(), Some("users"));
        assert_eq!(name_of("loans.loan_item").as_deref(), Some("loans.loan_item"));
        assert_eq!(name_of("회원"), None);
        assert_eq!(name_of("Holds the kiln data"), None);
    }
}
