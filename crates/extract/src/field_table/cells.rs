//! Reading the name and type cells of a field-table row.

use crate::scan::Cell;
use crate::types::{familiar_type, looks_like_type, parse_loose_type, parse_written_type};
use model::{DataType, TypeKind};

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

/// The names of several columns written in one row (`` `a` / `b` / `c` ``, `a, b`), which share
/// its type and split its other cells the same way. `None` for a cell naming one column.
pub(super) fn packed_names(text: &str) -> Option<Vec<String>> {
    let sep = if text.contains('/') { '/' } else { ',' };
    let parts: Vec<&str> = text.split(sep).map(|p| p.trim().trim_matches(['`', '"', '\'', ' '])).collect();
    let names =
        parts.len() >= 2 && parts.iter().all(|p| super::words::is_ident(p) && !super::words::is_constraint_word(p));
    names.then(|| parts.iter().map(|p| p.to_string()).collect())
}

/// A cell of a packed row split into one text per column (`NN / null / null`), when it holds
/// exactly `n` parts; otherwise every column shares it.
pub(super) fn packed_part(text: &str, n: usize, i: usize) -> String {
    let parts: Vec<&str> = text.split('/').map(str::trim).collect();
    if parts.len() == n {
        parts[i].to_string()
    } else {
        text.to_string()
    }
}

/// Whether a type cell reads as a type (not prose).
pub(super) fn recognized_type(text: &str) -> bool {
    split_type_cell(text).is_some()
}

/// Reads a type cell: SQLAlchemy spelling first, then SQL; a trailing constraint text
/// (`VARCHAR(255) NOT NULL`) is returned separately.
pub(super) fn split_type_cell(text: &str) -> Option<(DataType, String)> {
    let t = text.trim();
    if t.is_empty() {
        return None;
    }
    // NOTE: Prisma's `String?` is an optional (nullable) field and `Int[]` a list: the marks
    // belong to the column, not the type name.
    if let Some(inner) = t.strip_suffix('?').filter(|i| !i.ends_with(char::is_whitespace)) {
        if let Some((ty, rest)) = split_type_cell(inner).filter(|(_, rest)| rest.is_empty()) {
            return Some((ty, if rest.is_empty() { "NULL".to_string() } else { rest }));
        }
    }
    if let Some(inner) = t.strip_suffix("[]").filter(|i| !i.contains(char::is_whitespace)) {
        if let Some(ty) = read_type(inner) {
            let kind = TypeKind::Array { of: Box::new(ty.kind) };
            return Some((DataType { kind, spelling: t.to_string(), exact: ty.exact }, String::new()));
        }
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

pub(super) fn read_type(t: &str) -> Option<DataType> {
    let t = t.trim().trim_end_matches(',');
    if t.is_empty() {
        return None;
    }
    // Words that only name a family (as in a TypeScript-minded table).
    if t.eq_ignore_ascii_case("date_time") {
        return Some(parse_loose_type(t));
    }
    // Every vocabulary: SQLAlchemy, Prisma, Java, TypeScript, Python, MongoDB, SQL (see `types`).
    familiar_type(t)
}

/// Reads a type cell as [`split_type_cell`] does, and keeps a type no vocabulary knows as written
/// when the cell has the shape of one type name (`Address`, `Money(2)`): call it only in a table
/// already judged a field table, where the type column holds types.
pub(super) fn type_cell_as_written(text: &str) -> Option<(DataType, String)> {
    split_type_cell(text).or_else(|| looks_like_type(text).then(|| (parse_written_type(text), String::new())))
}

pub(super) fn cell(row: &[Cell], i: Option<usize>) -> Option<&Cell> {
    i.and_then(|i| row.get(i))
}

/// Reads `Y`/`N`, `O`/`X`, `✓`, `yes`/`no`, `true`/`false`; `None` for anything else.
pub(super) fn yes_no(text: &str) -> Option<bool> {
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

pub(super) fn strip_keyword<'a>(text: &'a str, kw: &str) -> Option<&'a str> {
    let head = text.get(..kw.len())?;
    head.eq_ignore_ascii_case(kw).then(|| &text[kw.len()..])
}
