//! The words catalogs are recognised by: names that look like tables, headings that say
//! "tables", descriptions that say "similar to" or "removed".

use crate::scan::Heading;

/// Splits `schema.table` into its parts (`None` for an unqualified name).
pub(super) fn split(name: &str) -> (Option<String>, String) {
    match model::split_qualified(name) {
        (Some(ns), bare) => (Some(ns.to_string()), bare.to_string()),
        (None, bare) => (None, bare.to_string()),
    }
}

/// One identifier: an ASCII letter or `_`, then letters, digits and `_`, at least two characters.
pub(super) fn is_ident(w: &str) -> bool {
    let mut chars = w.chars();
    w.len() >= 2
        && chars.next().is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '_')
}

/// A table name as catalogs write it: an identifier, optionally schema-qualified
/// (`loans.loan_item`), that is not a word of the catalog itself (`table`, `name`).
pub(super) fn is_table_name(w: &str) -> bool {
    let parts: Vec<&str> = w.split('.').collect();
    parts.len() <= 2
        && parts.iter().all(|p| is_ident(p))
        && !is_catalog_word(parts[parts.len() - 1])
        && !(parts.len() == 2 && is_file_extension(parts[1]))
}

/// `schema.md`, `init.sql`: a file name, not a schema-qualified table.
fn is_file_extension(w: &str) -> bool {
    matches!(
        w.to_ascii_lowercase().as_str(),
        "md" | "sql"
            | "txt"
            | "json"
            | "yaml"
            | "yml"
            | "toml"
            | "py"
            | "ts"
            | "js"
            | "rs"
            | "go"
            | "java"
            | "kt"
            | "rb"
            | "csv"
            | "png"
            | "svg"
            | "prisma"
            | "dbml"
            | "html"
            | "sh"
    )
}

/// A name as written in plain text, without markup: lower-case snake_case (`feeding_logs`,
/// `animals`); capitalised words are too often prose to be taken without backticks.
pub(super) fn is_plain_table_name(w: &str) -> bool {
    is_table_name(w) && w.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_' || c == '.')
}

/// Words that head or fill catalogs but never name a table.
fn is_catalog_word(w: &str) -> bool {
    matches!(
        w.to_ascii_lowercase().as_str(),
        "table"
            | "tables"
            | "name"
            | "names"
            | "entity"
            | "entities"
            | "schema"
            | "schemas"
            | "column"
            | "columns"
            | "description"
            | "role"
            | "purpose"
            | "note"
            | "notes"
            | "todo"
            | "tbd"
            | "etc"
            | "none"
            | "null"
            | "and"
            | "or"
            | "id"
    )
}

/// Whether a heading says that what follows is a list of tables: "Tables", "Table Structure",
/// "Animal care (3 tables)", "테이블 목록", "엔티티 목록", "Entities", "Catalog".
pub(super) fn is_catalog_heading(text: &str) -> bool {
    let lower = text.to_lowercase();
    let words: Vec<&str> =
        lower.split(|c: char| !(c.is_alphanumeric() || c == '_')).filter(|w| !w.is_empty()).collect();
    let english = words.iter().any(|w| matches!(*w, "tables" | "entities" | "catalog" | "catalogue"))
        || words.windows(2).any(|p| {
            matches!(p[0], "table" | "entity" | "data")
                && matches!(p[1], "structure" | "list" | "overview" | "summary" | "catalog" | "inventory" | "layout")
        });
    let korean = ["테이블", "엔티티", "스키마"].iter().any(|w| lower.contains(w))
        && ["목록", "구성", "개요", "일람", "요약", "리스트", "전체", "구조", "현황"].iter().any(|w| lower.contains(w));
    let bare = lower.trim_start_matches(|c: char| c.is_ascii_digit() || c == '.' || c.is_whitespace()).trim();
    english || korean || lower.contains("테이블들") || matches!(bare, "테이블" | "엔티티" | "엔티티 정의")
}

/// Whether a heading or lead-in says the block below lays out schemas or tables: a catalog
/// heading, or "schema layout", "스키마 구성", "namespaces".
pub(super) fn is_layout_heading(text: &str) -> bool {
    let lower = text.to_lowercase();
    is_catalog_heading(text)
        || (lower.contains("schema") || lower.contains("namespace") || lower.contains("스키마"))
            && ["layout", "overview", "structure", "list", "map", "구성", "개요", "구조", "목록"]
                .iter()
                .any(|w| lower.contains(w))
        || lower.contains("namespaces")
}

/// Whether the innermost heading (or a lead-in paragraph) says the items below are a catalog.
pub(super) fn under_catalog_heading(headings: &[Heading], lead_in: Option<&str>) -> bool {
    headings.last().is_some_and(|h| is_catalog_heading(&h.text))
        || lead_in.is_some_and(|t| {
            let t = t.trim_end();
            (t.ends_with(':') || t.ends_with('：')) && is_catalog_lead_in(t)
        })
}

/// "The service keeps these tables:", "다음 테이블로 구성된다:".
fn is_catalog_lead_in(text: &str) -> bool {
    let lower = text.to_lowercase();
    lower.contains("tables") || lower.contains("entities") || lower.contains("테이블")
}

/// The table a description says this one mirrors: "similar to `orders`", "same as orders",
/// "`orders`와 동일", "orders 테이블과 같은 구조".
pub(super) fn similar_to(text: &str) -> Option<String> {
    let clean = text.replace('`', "");
    let lower = clean.to_lowercase();
    for phrase in ["same structure as ", "similar to ", "same as ", "identical to ", "mirrors ", "copy of "] {
        if let Some(i) = lower.find(phrase) {
            let rest = &clean[i + phrase.len()..];
            let rest = rest.trim_start_matches(|c: char| c.is_whitespace() || c == '(');
            let rest = rest.strip_prefix("the ").unwrap_or(rest);
            let word: String =
                rest.chars().take_while(|c| c.is_ascii_alphanumeric() || *c == '_' || *c == '.').collect();
            let word = word.trim_end_matches('.').to_string();
            let deictic =
                matches!(word.to_ascii_lowercase().as_str(), "above" | "below" | "previous" | "this" | "that");
            if is_table_name(&word) && !deictic {
                return Some(word);
            }
        }
    }
    for marker in ["와 동일", "과 동일", "와 같은", "과 같은", "와 구조 동일", "과 구조 동일", "와 유사", "과 유사"]
    {
        if let Some(i) = clean.find(marker) {
            let before = clean[..i].trim_end();
            let before = before.strip_suffix("테이블").unwrap_or(before).trim_end();
            let word: String = before
                .chars()
                .rev()
                .take_while(|c| c.is_ascii_alphanumeric() || *c == '_' || *c == '.')
                .collect::<Vec<_>>()
                .into_iter()
                .rev()
                .collect();
            if is_table_name(&word) {
                return Some(word);
            }
        }
    }
    None
}

/// Whether a heading or a description says that what it lists will not exist: "Out of scope",
/// "Removed tables", "Deprecated", "제외", "생성하지 않음", "삭제됨", "미사용".
pub(crate) fn says_excluded(text: &str) -> bool {
    let lower = text.to_lowercase();
    [
        "out of scope",
        "out-of-scope",
        "not in scope",
        "removed",
        "deprecated",
        "dropped",
        "not created",
        "not be created",
        "will not exist",
        "won't be created",
        "no longer used",
        "unused",
        "excluded",
        "제외",
        "생성하지 않",
        "만들지 않",
        "삭제됨",
        "삭제 예정",
        "미사용",
        "사용하지 않",
        "사용 안 함",
        "폐기",
        "범위 밖",
    ]
    .iter()
    .any(|w| lower.contains(w))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn catalog_headings_say_tables_without_naming_one() {
        for yes in [
            "Tables",
            "Table Structure",
            "Animal care (3 tables)",
            "테이블 목록",
            "1. 엔티티 목록",
            "Entities",
            "2. 테이블",
        ] {
            assert!(is_catalog_heading(yes), "{yes}");
        }
        for no in ["users 테이블", "Table: users", "Design notes", "Indexes", "테이블 설계 원칙"] {
            assert!(!is_catalog_heading(no), "{no}");
        }
    }

    #[test]
    fn similar_to_names_the_model_table() {
        assert_eq!(similar_to("Same structure as `orders`.").as_deref(), Some("orders"));
        assert_eq!(similar_to("similar to the order_items table").as_deref(), Some("order_items"));
        assert_eq!(similar_to("`orders` 테이블과 동일").as_deref(), Some("orders"));
        assert_eq!(similar_to("orders와 동일한 구조").as_deref(), Some("orders"));
        assert_eq!(similar_to("주문 정보"), None);
        assert_eq!(similar_to("same as above"), None);
    }

    #[test]
    fn table_names_are_identifiers() {
        assert!(is_table_name("loans.loan_item"));
        assert!(is_table_name("SeedLot"));
        assert!(!is_table_name("회원"));
        assert!(!is_table_name("table"));
        assert!(!is_table_name("g4a_catalog_bullets.md"));
        assert!(!is_plain_table_name("Users"));
        assert!(is_plain_table_name("feeding_logs"));
    }
}
