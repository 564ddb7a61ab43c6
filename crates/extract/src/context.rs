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

/// Whether `w` is a word that never names a table on its own (`table`, `index`, `v2`, `on`).
fn is_generic(w: &str) -> bool {
    let lower = w.to_ascii_lowercase();
    GENERIC_WORDS.contains(&lower.as_str())
        || STOP_WORDS.contains(&lower.as_str())
        || is_version_tag(&lower)
        || w.chars().count() < 2
}

/// Words of prose that are never names.
const STOP_WORDS: &[&str] = &[
    "on",
    "in",
    "for",
    "with",
    "by",
    "from",
    "per",
    "an",
    "all",
    "via",
    "at",
    "into",
    "csv",
    "import",
    "export",
    "optional",
    "draft",
    "deprecated",
    "legacy",
    "current",
    "planned",
    "class",
    "collection",
    "document",
];

/// `v2`, `v10`: a version tag.
fn is_version_tag(lower: &str) -> bool {
    lower.strip_prefix('v').is_some_and(|d| !d.is_empty() && d.chars().all(|c| c.is_ascii_digit()))
}

/// `order_items`: lower-case words joined by underscores, the way physical table names are written.
fn is_snake(w: &str) -> bool {
    w.contains('_')
        && w.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
        && w.chars().any(|c| c.is_ascii_lowercase())
        && !w.starts_with(|c: char| c.is_ascii_digit())
}

/// One identifier, as a table name is written (`users`, `SeedLot`, `_meta`).
fn is_identifier(w: &str) -> bool {
    let mut chars = w.chars();
    chars.next().is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '_')
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

/// A table name that a heading or a labelled paragraph gives, with the logical name written
/// beside it (`사용자 (users)` names `users`, labelled `사용자`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NamedTable {
    /// The physical name, as written.
    pub name: String,
    /// The logical name written beside it (a Korean word, an entity class, a description after a
    /// dash), to keep as the table's label.
    pub label: Option<String>,
}

/// The table a heading names among its other words (a section number, backticks, an entity name
/// in parentheses, a description after a dash, a version tag): a backticked identifier first
/// (a snake_case one before others), then a snake_case word, then a table in `known`, then (when
/// `guess`) the one identifier of the heading's title. Sub-document paths (`orders.items[]`) name
/// no table: see [`subdocument_path`].
pub fn heading_table(h: &Heading, known: &BTreeSet<String>, guess: bool) -> Option<NamedTable> {
    if subdocument_path(h).is_some() {
        return None;
    }
    name_in_text(&h.text, &h.code_spans, known, guess)
}

/// The table a short text names, by the rules of [`heading_table`]; `code_spans` are the texts it
/// wrote in backticks.
pub fn name_in_text(text: &str, code_spans: &[String], known: &BTreeSet<String>, guess: bool) -> Option<NamedTable> {
    let text = strip_section_number(text);
    let code: Vec<&str> = code_spans.iter().map(|c| c.trim()).filter(|c| is_identifier(c) && !is_generic(c)).collect();
    let words = identifiers(text);
    let name = code
        .iter()
        .find(|c| is_snake(c))
        .or_else(|| code.first())
        .map(|c| c.to_string())
        .or_else(|| words.iter().find(|w| is_snake(w) && !is_generic(w)).map(|w| w.to_string()))
        .or_else(|| words.iter().find_map(|w| resolve_known(w, known).map(|_| w.to_string())))
        .or_else(|| guess.then(|| title_word(text)).flatten())?;
    let label = label_beside(text, &name, code_spans);
    Some(NamedTable { name, label })
}

/// The heading's text without its leading section number (`2-1.`, `3.2`, `IV.`, `1)`).
fn strip_section_number(text: &str) -> &str {
    let t = text.trim_start();
    let end = t.find(|c: char| !(c.is_ascii_digit() || matches!(c, '.' | '-' | ')'))).unwrap_or(t.len());
    if end == 0 || !t[..end].starts_with(|c: char| c.is_ascii_digit()) {
        return t;
    }
    t[end..].trim_start()
}

/// Splits a title at a description dash (`users — accounts`, `users - accounts`, `users: accounts`).
fn split_description(text: &str) -> (&str, Option<&str>) {
    for sep in [" — ", " – ", " - ", " : ", ": ", " —", " –"] {
        if let Some(i) = text.find(sep) {
            return (&text[..i], Some(text[i + sep.len()..].trim()));
        }
    }
    (text, None)
}

/// The parts of `text` outside and inside parentheses.
fn split_parens(text: &str) -> (String, String) {
    let (mut outside, mut inside) = (String::new(), String::new());
    let mut depth = 0usize;
    for c in text.chars() {
        match c {
            '(' | '（' | '[' => {
                depth += 1;
                inside.push(' ');
            }
            ')' | '）' | ']' => {
                depth = depth.saturating_sub(1);
                inside.push(' ');
            }
            c if depth > 0 => inside.push(c),
            c => outside.push(c),
        }
    }
    (outside, inside)
}

/// The one identifier of a title that is not a generic word, outside parentheses first.
fn title_word(text: &str) -> Option<String> {
    let (title, _) = split_description(text);
    let (outside, inside) = split_parens(title);
    for part in [outside, inside] {
        let words: Vec<&str> = identifiers(&part).into_iter().filter(|w| !is_generic(w)).collect();
        match words.len() {
            0 => continue,
            1 => return Some(words[0].to_string()),
            _ => return None,
        }
    }
    None
}

/// Words of Korean headings that say what kind of section it is, not what the table is called.
const KOREAN_GENERIC: &[&str] =
    &["테이블", "엔티티", "정의", "상세", "구조", "명세", "스키마", "컬럼", "목록", "설계", "모델", "정보"];

/// The logical name written beside `name` in a title: its Korean (non-ASCII) words, else another
/// backticked or CamelCase identifier (an entity class), else the description after a dash.
fn label_beside(text: &str, name: &str, code_spans: &[String]) -> Option<String> {
    let (title, description) = split_description(text);
    let korean: Vec<&str> = title
        .split(|c: char| c.is_whitespace() || matches!(c, '(' | ')' | '（' | '）' | ',' | '/' | '`' | '[' | ']'))
        .filter(|w| !w.is_ascii() && w.chars().any(char::is_alphabetic))
        .filter(|w| !KOREAN_GENERIC.contains(w))
        .collect();
    if !korean.is_empty() {
        return Some(korean.join(" "));
    }
    let is_entity = |w: &str| {
        w != name
            && is_identifier(w)
            && !is_generic(w)
            && w.starts_with(|c: char| c.is_ascii_uppercase())
            && w.chars().any(|c| c.is_ascii_lowercase())
    };
    if let Some(entity) = code_spans.iter().map(|c| c.trim()).find(|c| is_entity(c)) {
        return Some(entity.to_string());
    }
    if let Some(entity) = identifiers(&split_parens(title).1).into_iter().find(|w| is_entity(w)) {
        return Some(entity.to_string());
    }
    description.map(|d| split_parens(d).0.trim().to_string()).filter(|d| d.chars().any(char::is_alphabetic))
}

/// A heading that names a path inside a document rather than a table (`` `playlists.tracks[]` ``,
/// `orders.items[].options`): the (parent, field) it names.
pub fn subdocument_path(h: &Heading) -> Option<(String, String)> {
    let candidates = h.code_spans.iter().map(String::as_str).chain(h.text.split_whitespace());
    for c in candidates {
        let c = c.trim().trim_matches(|ch: char| matches!(ch, '`' | '(' | ')' | ',' | ':'));
        if !c.contains('.') || !c.contains("[]") {
            continue;
        }
        let parts: Vec<&str> = c.split('.').map(|p| p.trim_end_matches("[]")).collect();
        if parts.len() >= 2 && parts.iter().all(|p| is_identifier(p)) {
            return Some((parts[0].to_string(), parts[1].to_string()));
        }
    }
    None
}

/// The table the nearest heading names, looking outwards from the innermost heading: a known table
/// wins; otherwise the innermost heading that names one (see [`heading_table`]).
pub fn table_from_headings(headings: &[Heading], known: &BTreeSet<String>) -> Option<String> {
    named_table_from_headings(headings, known).map(|(t, _)| t.name)
}

/// [`table_from_headings`], with the logical name beside it and the heading that gave it.
pub fn named_table_from_headings<'h>(
    headings: &'h [Heading],
    known: &BTreeSet<String>,
) -> Option<(NamedTable, &'h Heading)> {
    for h in headings.iter().rev() {
        if let Some(t) = table_in_text(&h.text, known, false) {
            let label = heading_table(h, known, true).and_then(|n| n.label);
            return Some((NamedTable { name: t, label }, h));
        }
    }
    // A level-1 heading is the document's title ("# Search"): it names a table only when the table
    // is known.
    headings.iter().rev().filter(|h| h.level > 1).find_map(|h| heading_table(h, known, true).map(|t| (t, h)))
}

/// What a `**Label**: value` line of a paragraph states about the table of its section.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Labelled {
    /// `**Table Name**: users`, `테이블명: users`, `**물리명**: users`: the physical name.
    TableName(NamedTable),
    /// `**논리명**: 사용자`, `**Entity**: User`: the logical name.
    LogicalName(String),
    /// `**Primary Key**: id`, `기본키: (a, b)`: the primary-key columns.
    PrimaryKey(Vec<String>),
    /// `**Foreign Keys**: studio_id → studios.id, …`: the text after the label.
    ForeignKeys(String),
}

/// The `Label: value` lines of a paragraph's raw markdown (emphasis and backticks removed), each
/// with its line offset in the paragraph. Lines with other labels are left out.
pub fn labelled_lines(raw: &str) -> Vec<(Labelled, u32)> {
    let mut out = Vec::new();
    for (n, line) in raw.lines().enumerate() {
        let clean: String = line.chars().filter(|c| !matches!(c, '*' | '`')).collect();
        let clean = clean.trim().trim_start_matches(['-', '+']).trim();
        let Some((label, value)) = clean.split_once([':', '：']) else { continue };
        let key: String = label.chars().filter(|c| !c.is_whitespace() && *c != '_').collect::<String>().to_lowercase();
        let value = value.trim();
        if value.is_empty() {
            continue;
        }
        let item = match key.as_str() {
            "tablename" | "table" | "테이블" | "테이블명" | "테이블이름" | "물리명" | "물리테이블명" | "물리이름"
            | "physicalname" | "physicaltablename" | "dbtable" | "collection" | "컬렉션" | "컬렉션명" => {
                let spans: Vec<String> = line.split('`').skip(1).step_by(2).map(str::to_string).collect();
                match name_in_text(value, &spans, &BTreeSet::new(), true) {
                    Some(t) => Labelled::TableName(t),
                    None => continue,
                }
            }
            "논리명" | "논리테이블명" | "논리이름" | "logicalname" | "entity" | "entityname" | "엔티티"
            | "엔티티명" => Labelled::LogicalName(value.to_string()),
            "primarykey" | "primarykeys" | "pk" | "기본키" | "주키" | "주식별자" => {
                let cols = key_columns(value);
                if cols.is_empty() {
                    continue;
                }
                Labelled::PrimaryKey(cols)
            }
            "foreignkey" | "foreignkeys" | "fk" | "fks" | "외래키" | "참조키" => {
                Labelled::ForeignKeys(value.to_string())
            }
            _ => continue,
        };
        out.push((item, n as u32));
    }
    out
}

/// The columns a key value names: `id`, `(order_id, product_id)`, `a + b`, `a, b (composite)`.
pub fn key_columns(value: &str) -> Vec<String> {
    let inner = match (value.find('('), value.rfind(')')) {
        (Some(o), Some(c)) if o < c && !value[..o].chars().any(|ch| ch.is_ascii_alphanumeric()) => {
            value[o + 1..c].to_string()
        }
        _ => split_parens(value).0,
    };
    inner
        .split([',', '+', '&', '/'])
        .filter_map(|part| {
            let w = part.split_whitespace().next()?;
            let w = w.trim_matches(|c: char| !(c.is_ascii_alphanumeric() || c == '_'));
            let lower = w.to_ascii_lowercase();
            let filler = matches!(lower.as_str(), "composite" | "auto" | "pk" | "key" | "and" | "none" | "n" | "a");
            (is_identifier(w) && !filler).then(|| w.to_string())
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn h(level: u8, text: &str) -> Heading {
        Heading { level, text: text.into(), line: 1, code_spans: Vec::new() }
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

    fn hc(text: &str, code: &[&str]) -> Heading {
        Heading { level: 3, text: text.into(), line: 1, code_spans: code.iter().map(|c| c.to_string()).collect() }
    }

    fn named(h: &Heading) -> Option<(String, Option<String>)> {
        heading_table(h, &BTreeSet::new(), true).map(|n| (n.name, n.label))
    }

    #[test]
    fn a_heading_names_its_table_among_other_words() {
        let seed = hc("2-1. seed_lots — stored lots (SeedLot entity, v3)", &["seed_lots", "SeedLot"]);
        assert_eq!(named(&seed), Some(("seed_lots".into(), Some("SeedLot".into()))));
        let tests = hc("2-2. germination_tests (CSV import)", &[]);
        assert_eq!(named(&tests), Some(("germination_tests".into(), None)));
        assert_eq!(named(&hc("3.1 사용자 (users)", &[])), Some(("users".into(), Some("사용자".into()))));
        assert_eq!(named(&hc("3.1 pottery_classes (도예 수업)", &[])).unwrap().1.as_deref(), Some("도예 수업"));
        assert_eq!(
            named(&hc("Invoices v2 - what we bill", &[])),
            Some(("Invoices".into(), Some("what we bill".into())))
        );
        // A backticked identifier wins over other words, even CamelCase ones.
        assert_eq!(named(&hc("Order (orders)", &["orders"])).unwrap().0, "orders");
        // Two candidate words and nothing to prefer: no guess.
        assert_eq!(named(&hc("Orders and Payments", &[])), None);
        // A sub-document path names no table.
        assert_eq!(named(&hc("playlists.tracks[]", &["playlists.tracks[]"])), None);
        assert_eq!(
            subdocument_path(&hc("playlists.tracks[]", &["playlists.tracks[]"])),
            Some(("playlists".into(), "tracks".into()))
        );
    }

    #[test]
    fn a_known_name_is_preferred_to_a_guess() {
        let known: BTreeSet<String> = ["accounts".to_string()].into();
        let h = hc("Account — login data (Member entity)", &[]);
        assert_eq!(heading_table(&h, &known, true).unwrap().name, "Account");
        assert_eq!(table_from_headings(&[h], &known).as_deref(), Some("accounts"));
    }

    #[test]
    fn labelled_lines_of_a_paragraph() {
        let raw = "**Table Name**: `gym_lockers`\n**논리명**: 사물함\n**Primary Key**: (zone, locker_no)\n\
**Foreign Keys**: member_id → members.id\n**Owner**: ops team";
        let lines = labelled_lines(raw);
        assert_eq!(lines.len(), 4);
        assert_eq!(lines[0], (Labelled::TableName(NamedTable { name: "gym_lockers".into(), label: None }), 0));
        assert_eq!(lines[1].0, Labelled::LogicalName("사물함".into()));
        assert_eq!(lines[2].0, Labelled::PrimaryKey(vec!["zone".into(), "locker_no".into()]));
        assert_eq!(lines[3], (Labelled::ForeignKeys("member_id → members.id".into()), 3));
        let ko = labelled_lines("- 테이블명: members (회원)");
        assert_eq!(ko[0].0, Labelled::TableName(NamedTable { name: "members".into(), label: Some("회원".into()) }));
        assert!(labelled_lines("테이블: 사용자 정보를 저장한다").is_empty());
    }

    #[test]
    fn key_columns_in_a_value() {
        assert_eq!(key_columns("id"), ["id"]);
        assert_eq!(key_columns("(order_id, product_id)"), ["order_id", "product_id"]);
        assert_eq!(key_columns("order_id + line_no (composite)"), ["order_id", "line_no"]);
        assert!(key_columns("-").is_empty());
    }
}
