//! Generated documentation of a schema, tbls-style: an index page and one page per table, in
//! Korean or English. Pages are markdown; pictures are named by the caller (who draws them).

use model::{name_eq, Diagnostic, Schema, Table};
use std::fmt::Write as _;

/// The language generated pages are written in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Lang {
    En,
    Ko,
}

impl Lang {
    /// Korean when the text holds Hangul, English otherwise.
    pub fn of(text: &str) -> Lang {
        if text.chars().any(|c| ('\u{AC00}'..='\u{D7A3}').contains(&c)) {
            Lang::Ko
        } else {
            Lang::En
        }
    }

    fn pick(self, en: &'static str, ko: &'static str) -> &'static str {
        match self {
            Lang::En => en,
            Lang::Ko => ko,
        }
    }
}

/// The file a table's page is written to: its qualified name with characters that are unsafe
/// in file names replaced, plus `.md`.
pub fn page_name(table: &Table) -> String {
    let safe: String = table
        .qualified_name()
        .chars()
        .map(|c| if c.is_alphanumeric() || matches!(c, '_' | '-' | '.') { c } else { '_' })
        .collect();
    format!("{safe}.md")
}

/// The index page: every table with its column count and comment, linked to its page, and the
/// overview picture when `picture` names one (else a Mermaid ERD).
pub fn index(schema: &Schema, title: &str, lang: Lang, picture: Option<&str>) -> String {
    let mut out = format!("# {}\n\n", one_line(title));
    // The comment comes before the count: a catalog reads its first free column as the comment.
    let _ = writeln!(
        out,
        "| {} | {} | {} |\n|---|---|---|",
        lang.pick("table", "테이블"),
        lang.pick("comment", "설명"),
        lang.pick("column count", "컬럼 수")
    );
    for t in &schema.tables {
        let _ = writeln!(
            out,
            "| [{}]({}) | {} | {} |",
            one_line(&t.qualified_name()),
            link(&page_name(t)),
            one_line(t.comment.as_deref().unwrap_or("")),
            if t.columns.is_empty() && t.primary_key.is_none() { "-".to_string() } else { t.columns.len().to_string() }
        );
    }
    out.push('\n');
    crate::markdown::types(&mut out, schema, &format!("## {}", lang.pick("Types", "타입")));
    let _ = writeln!(out, "## {}\n", lang.pick("Diagram", "다이어그램"));
    match picture {
        Some(p) => {
            let _ = writeln!(out, "![ERD]({})", link(p));
        }
        None => {
            let _ = write!(out, "```mermaid\n{}```\n", crate::mermaid(schema));
        }
    }
    out
}

/// One table's page: its comment, fields, keys, indexes, references out and in, the findings
/// that concern it, and its neighbourhood picture (`picture`, else a Mermaid ERD).
pub fn table_page(
    schema: &Schema,
    table: &Table,
    findings: &[Diagnostic],
    lang: Lang,
    picture: Option<&str>,
) -> String {
    let mut out = format!("# {}\n\n", one_line(&table.qualified_name()));
    let _ = writeln!(out, "[{}](README.md)\n", lang.pick("← all tables", "← 전체 테이블"));
    if let Some(c) = table.comment.as_deref().filter(|c| !c.trim().is_empty()) {
        let _ = writeln!(out, "{}\n", c.trim());
    }
    // A table read from a live database has no line: its origin is the connection, which names
    // no file worth showing (and a page is shared: never a user, host or port).
    if table.origin.line > 0 {
        let _ =
            writeln!(out, "{}: `{}:{}`\n", lang.pick("Defined at", "정의 위치"), table.origin.file, table.origin.line);
    }
    // The heading names the table, so that the page reads back as the table it shows: its field
    // table, keys, indexes and checks are what `inspect --format markdown` writes (one reader for both).
    let shown = format!("`{}`", table.qualified_name().replace('`', ""));
    match lang {
        Lang::En => {
            let _ = writeln!(out, "## Columns of {shown}\n");
        }
        Lang::Ko => {
            let _ = writeln!(out, "## {shown} 컬럼\n");
        }
    }
    if table.columns.is_empty() {
        let _ = writeln!(
            out,
            "{}\n",
            lang.pick("The document does not state its columns.", "문서에 컬럼이 명시되지 않았다.")
        );
    } else {
        crate::markdown::table_body(&mut out, schema, table, "###", lang == Lang::Ko);
        out.push('\n');
    }
    let _ = writeln!(out, "## {}\n", lang.pick("References", "참조 관계"));
    let mut any = false;
    for fk in &table.foreign_keys {
        any = true;
        let target = schema.table(&fk.ref_table);
        let _ = writeln!(
            out,
            "- ({}) → {}{}",
            fk.columns.join(", "),
            target.map_or_else(
                || format!("`{}`", fk.ref_table),
                |t| format!("[{}]({})", one_line(&t.qualified_name()), link(&page_name(t)))
            ),
            fk.on_delete.map(|a| format!(" ON DELETE {}", a.as_sql())).unwrap_or_default()
        );
    }
    for other in &schema.tables {
        for fk in other.foreign_keys.iter().filter(|fk| name_eq(&fk.ref_table, &table.name)) {
            any = true;
            let _ = writeln!(
                out,
                "- [{}]({}) ({}) → {}",
                one_line(&other.qualified_name()),
                link(&page_name(other)),
                fk.columns.join(", "),
                lang.pick("this table", "이 테이블")
            );
        }
    }
    if !any {
        let _ = writeln!(out, "{}", lang.pick("None.", "없음."));
    }
    let concerning: Vec<&Diagnostic> = findings.iter().filter(|d| mentions(&d.message, &table.name)).collect();
    if !concerning.is_empty() {
        let _ = writeln!(out, "\n## {}\n", lang.pick("Findings", "점검 결과"));
        for d in concerning {
            let _ = writeln!(
                out,
                "- **{}** `{}` {} (`{}:{}`)",
                d.severity,
                d.rule,
                one_line(&d.message),
                d.span.file,
                d.span.line
            );
        }
    }
    let _ = writeln!(out, "\n## {}\n", lang.pick("Diagram", "다이어그램"));
    match picture {
        Some(p) => {
            let _ = writeln!(out, "![ERD]({})", link(p));
        }
        None => {
            let _ =
                write!(out, "```mermaid\n{}```\n", crate::mermaid(&schema.neighbourhood(&[table.qualified_name()], 1)));
        }
    }
    out
}

/// Whether `message` names `table` as a whole word (`users`, `users.id`, `` `users` ``).
fn mentions(message: &str, table: &str) -> bool {
    mentions_lower(&message.to_lowercase(), &table.to_lowercase())
}

/// [`mentions`] for a message and a table name already in lower case.
pub(crate) fn mentions_lower(lower: &str, name: &str) -> bool {
    lower.match_indices(name).any(|(i, _)| {
        let before = lower[..i].chars().next_back();
        let after = lower[i + name.len()..].chars().next();
        let boundary = |c: Option<char>| c.is_none_or(|c| !(c.is_alphanumeric() || c == '_'));
        boundary(before) && boundary(after)
    })
}

fn one_line(text: &str) -> String {
    text.replace('|', "\\|").split_whitespace().collect::<Vec<_>>().join(" ")
}

/// A link target: spaces and parentheses percent-encoded so markdown keeps it whole.
fn link(target: &str) -> String {
    target.replace('%', "%25").replace(' ', "%20").replace('(', "%28").replace(')', "%29")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn findings_belong_to_the_tables_they_name() {
        assert!(mentions("foreign key column `orders.user_id` is not indexed", "orders"));
        assert!(mentions("table users has no primary key", "users"));
        assert!(!mentions("table users_archive has no primary key", "users"));
        assert!(!mentions("column myorders.x", "orders"));
    }

    #[test]
    fn page_names_are_safe_file_names() {
        let t = Table::new("주문 내역/2024", model::Origin::new("d.md".into(), 1, 1, model::Notation::Sql));
        assert_eq!(page_name(&t), "주문_내역_2024.md");
        assert_eq!(Lang::of("# 설계"), Lang::Ko);
        assert_eq!(Lang::of("# Design"), Lang::En);
    }
}
