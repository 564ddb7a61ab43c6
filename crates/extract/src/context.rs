//! Which table a piece of a document is about, judged from the headings and prose around it.

use crate::scan::Heading;
use model::{name_key, singular_plural_variants};
use std::collections::BTreeSet;

/// Words that appear in headings but never name a table.
const GENERIC_WORDS: &[&str] = &[
    "table",
    "tables",
    "schema",
    "schemas",
    "sql",
    "ddl",
    "erd",
    "er",
    "index",
    "indexes",
    "indices",
    "db",
    "database",
    "model",
    "models",
    "prisma",
    "mermaid",
    "json",
    "api",
    "id",
    "as",
    "is",
    "to",
    "be",
    "fk",
    "pk",
    "sqlite",
    "postgresql",
    "postgres",
    "mysql",
    "mariadb",
    "supabase",
    "phase",
    "the",
    "and",
    "or",
    "of",
    "new",
    "old",
    "v1",
    "v2",
    "mvp",
    "todo",
    "note",
    "notes",
    "example",
    "foreign",
    "key",
    "keys",
    "primary",
    "unique",
    "constraint",
    "constraints",
    "column",
    "columns",
    "field",
    "fields",
    "type",
    "types",
    "enum",
    "view",
    "views",
    "trigger",
    "triggers",
    "function",
    "functions",
    "migration",
    "migrations",
    "orm",
    "sqlalchemy",
    "create",
    "alter",
    "add",
    "drop",
    "update",
    "entity",
    "relationship",
    "relationships",
    "overview",
    "summary",
    "wal",
];

/// The table a name refers to among `known` (name keys): itself, or its singular/plural when
/// exactly one such spelling is known.
pub fn resolve_known(name: &str, known: &BTreeSet<String>) -> Option<String> {
    let key = name_key(name);
    if known.contains(&key) {
        return Some(key);
    }
    let hits: Vec<String> = singular_plural_variants(&key).into_iter().filter(|v| known.contains(v)).collect();
    (hits.len() == 1).then(|| hits[0].clone())
}

/// Identifier-like words of a text (`users`, `chat_messages`, `UserProfile`), in order.
pub fn identifiers(text: &str) -> Vec<&str> {
    text.split(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
        .filter(|w| w.chars().next().is_some_and(|c| c.is_ascii_alphabetic() || c == '_'))
        .collect()
}

/// The table a text names: a known table if one is mentioned (the first), else, when `guess`, the
/// only identifier that is not a generic word.
pub fn table_in_text(text: &str, known: &BTreeSet<String>, guess: bool) -> Option<String> {
    let words = identifiers(text);
    if let Some(hit) = words.iter().find_map(|w| resolve_known(w, known)) {
        return Some(hit);
    }
    if !guess {
        return None;
    }
    let candidates: Vec<&str> = words
        .into_iter()
        .filter(|w| w.len() > 1 && !GENERIC_WORDS.contains(&w.to_ascii_lowercase().as_str()))
        .collect();
    (candidates.len() == 1).then(|| candidates[0].to_string())
}

/// The table the nearest heading names, looking outwards from the innermost heading: a known table
/// wins; otherwise the innermost heading with exactly one non-generic identifier.
pub fn table_from_headings(headings: &[Heading], known: &BTreeSet<String>) -> Option<String> {
    for h in headings.iter().rev() {
        if let Some(t) = table_in_text(&h.text, known, false) {
            return Some(t);
        }
    }
    // A level-1 heading is the document's title ("# Search"): it names a table only when the table
    // is known.
    headings.iter().rev().filter(|h| h.level > 1).find_map(|h| table_in_text(&h.text, known, true))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn h(level: u8, text: &str) -> Heading {
        Heading { level, text: text.into(), line: 1 }
    }

    #[test]
    fn nearest_heading_names_the_table() {
        let known = BTreeSet::new();
        let hs = [h(2, "3. 테이블 상세"), h(3, "3.1 users 테이블"), h(4, "스키마")];
        assert_eq!(table_from_headings(&hs, &known).as_deref(), Some("users"));
    }

    #[test]
    fn known_tables_win_and_plurals_match() {
        let known: BTreeSet<String> = ["workflows".to_string()].into();
        let hs = [h(5, "3.2.1 workflow 테이블 구조 개선")];
        assert_eq!(table_from_headings(&hs, &known).as_deref(), Some("workflows"));
    }

    #[test]
    fn a_document_title_is_not_guessed_as_a_table() {
        let known = BTreeSet::new();
        assert_eq!(table_from_headings(&[h(1, "Search"), h(2, "Indexes")], &known), None);
        let known: BTreeSet<String> = ["search".to_string()].into();
        assert_eq!(table_from_headings(&[h(1, "Search"), h(2, "Indexes")], &known).as_deref(), Some("search"));
    }

    #[test]
    fn generic_headings_name_nothing() {
        let known = BTreeSet::new();
        assert_eq!(table_from_headings(&[h(2, "7. 외래 키 제약 (SQLite)")], &known), None);
    }
}
