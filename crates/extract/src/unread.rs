//! No silent drop: the markdown items that look like schema but that no front-end read.
//!
//! Every front-end marks the items it read or reported ([`crate::frontend::Partial::read`]).
//! After all of them ran, [`report`] looks at every item nobody marked and, when it looks like
//! schema (DDL, DBML, Prisma or an ERD in a block, a table or bullets with column-like rows, a
//! box diagram), says so at its line with the reason it was skipped. A document from which
//! nothing was read gets a warning naming those candidates, or, when nothing in it looks like
//! schema either, an info saying that no schema was found, so that "no schema here" and "schema
//! not understood" can be told apart.

use crate::scan::{BlockLang, CodeBlock, Document, Item, MdTable, TextItem};
use crate::types::parse_sql_type;
use model::{Diagnostic, RuleInfo, Schema, Span, TypeKind};
use std::collections::BTreeSet;
use std::sync::Arc;

model::declare_rule! {
    /// What it does: reports a block, table or list that looks like schema (SQL DDL, DBML,
    /// Prisma, an ERD, column-like rows, a box diagram) but that no reader took.
    ///
    /// Why it matters: what the document says there is not in the schema; the message says why,
    /// so the author can label the block, fix its shape or mark it `<!-- schemadoc:ignore -->`.
    ///
    /// Example: a ```` ```text ```` block holding `CREATE TABLE users (…)`.
    pub SCHEMA_NOT_READ = "schema-not-read", Info
}

model::declare_rule! {
    /// What it does: flags a document from which nothing could be read although parts of it look
    /// like schema; the message names each of them (file:line).
    ///
    /// Why it matters: the document yields no table at all, which is almost never what its author
    /// meant: the schema is written in a form schemadoc did not understand.
    ///
    /// Example: a design note whose only schema is an unlabelled block of `Table users { … }`
    /// that no reader understood.
    pub NOTHING_READ = "nothing-read", Warning
}

model::declare_rule! {
    /// What it does: says that a document holds no schema at all: no SQL, Prisma, DBML, ERD,
    /// field table, catalog or column list, and nothing that looks like one.
    ///
    /// Why it matters: a document checked without findings might have been misread; this tells
    /// "no schema here" apart from "schema not understood".
    ///
    /// Example: a README that only describes how to run the service.
    pub NO_SCHEMA_FOUND = "no-schema-found", Info
}

/// The diagnostics this stage can report.
pub const RULES: &[RuleInfo] = &[SCHEMA_NOT_READ, NOTHING_READ, NO_SCHEMA_FOUND];

/// An item that looks like schema and that no front-end read.
struct Candidate {
    line: u32,
    /// What it looks like, for messages (`a ```text block with SQL DDL`).
    what: String,
    /// Why nothing read it.
    why: &'static str,
    help: &'static str,
}

/// Reports the unread schema-looking items of `docs`; `read` holds what the front-ends marked
/// and `schema` is what they yielded together.
pub fn report(docs: &[Document], read: &BTreeSet<(Arc<str>, u32)>, schema: &Schema) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    for doc in docs {
        let is_read = |line: u32| read.contains(&(doc.file.clone(), line));
        let candidates = candidates(doc, &is_read);
        for c in &candidates {
            out.push(
                SCHEMA_NOT_READ
                    .at(span(&doc.file, c.line), format!("{} was not read: {}; it is skipped", c.what, c.why))
                    .with_help(c.help),
            );
        }
        let anything_read = doc.items.iter().any(|i| is_read(i.line())) || yields(schema, &doc.file);
        if anything_read {
            continue;
        }
        if candidates.is_empty() {
            out.push(NO_SCHEMA_FOUND.at(
                span(&doc.file, 1),
                format!(
                    "no schema found in {}: no SQL, Prisma, DBML, Mermaid erDiagram, field table, table catalog or column list",
                    doc.file
                ),
            ));
            continue;
        }
        let lines: Vec<String> = candidates.iter().map(|c| format!("{}:{}", doc.file, c.line)).collect();
        let mut d = NOTHING_READ.at(
            span(&doc.file, candidates[0].line),
            format!("nothing could be read from {}, but it looks like schema at {}", doc.file, lines.join(", ")),
        );
        for c in &candidates {
            d = d.with_related(span(&doc.file, c.line), format!("{} ({})", c.what, c.why));
        }
        out.push(d.with_help(
            "write the schema as a ```sql, ```prisma, ```dbml or ```mermaid erDiagram block, or as a field table (`column | type`)",
        ));
    }
    out
}

fn span(file: &Arc<str>, line: u32) -> Span {
    Span::new(file.clone(), line, 1, 0)
}

/// Whether anything of `schema` comes from `file`.
fn yields(schema: &Schema, file: &Arc<str>) -> bool {
    schema.tables.iter().any(|t| t.origin.file == *file)
        || schema.indexes.iter().any(|i| i.origin.file == *file)
        || schema.enums.iter().any(|e| e.origin.file == *file)
        || schema.views.iter().any(|v| v.origin.file == *file)
}

/// The unread items of `doc` that look like schema, in document order. Consecutive column-like
/// bullets count as one list.
fn candidates(doc: &Document, is_read: &dyn Fn(u32) -> bool) -> Vec<Candidate> {
    let mut out = Vec::new();
    let mut bullets: Vec<u32> = Vec::new();
    let flush = |bullets: &mut Vec<u32>, out: &mut Vec<Candidate>| {
        // One bullet that happens to read `name: date` is not a list of columns.
        if bullets.len() >= 2 {
            out.push(Candidate {
                line: bullets[0],
                what: format!("a list of {} column-like bullets", bullets.len()),
                why: "no reader recognised the table they describe",
                help: "put the table's name in the heading above the list, or write the columns as a field table",
            });
        }
        bullets.clear();
    };
    let mut under_columns = false;
    for item in &doc.items {
        let read = is_read(item.line());
        if let Item::ListItem(li) = item {
            if !read && column_like_bullet(li, under_columns) {
                bullets.push(li.line);
            }
            continue;
        }
        flush(&mut bullets, &mut out);
        under_columns = matches!(item, Item::Paragraph(p) if announces_columns(p));
        if read {
            continue;
        }
        let found = match item {
            Item::Block(b) => block_candidate(b),
            Item::Table(t) => table_candidate(t),
            Item::Paragraph(p) => paragraph_candidate(p),
            _ => None,
        };
        out.extend(found);
    }
    flush(&mut bullets, &mut out);
    out
}

/// What a block's content looks like, when it looks like schema.
fn content_kind(content: &str) -> Option<&'static str> {
    let lower = content.to_lowercase();
    if lower.contains("create table") {
        return Some("SQL DDL");
    }
    if lower.contains("erdiagram") {
        return Some("a Mermaid erDiagram");
    }
    let lines = || content.lines().map(str::trim);
    let opens = |l: &str, kw: &str| {
        l.split_whitespace().next().is_some_and(|w| w.eq_ignore_ascii_case(kw))
            && l.ends_with('{')
            && l.split_whitespace().count() >= 3
    };
    if lines().any(|l| opens(l, "model")) {
        return Some("Prisma models");
    }
    if lines().any(|l| opens(l, "table") || l.starts_with("Ref:") || l.starts_with("Ref ")) {
        return Some("DBML");
    }
    if lower.contains("@entity") || lower.contains("models.model") {
        return Some("ORM entity classes");
    }
    if box_diagram(content) {
        return Some("a box diagram of tables");
    }
    if lines().filter(|l| relational_line(l)).count() >= 2 {
        return Some("relational notation (`table(a, b, …)`)");
    }
    if lines().filter(|l| relationship_line(l)).count() >= 2 {
        return Some("relationship lines between tables");
    }
    None
}

fn block_candidate(b: &CodeBlock) -> Option<Candidate> {
    let fence = match &b.lang {
        BlockLang::Unlabelled => "an unlabelled block".to_string(),
        _ => format!("a ```{} block", b.info.split_whitespace().next().unwrap_or("")),
    };
    let (kind, why): (&str, &'static str) = match &b.lang {
        BlockLang::Sql(_) => ("SQL", "no SQL reader took it"),
        BlockLang::Prisma => ("Prisma", "no Prisma reader took it"),
        BlockLang::Dbml => ("DBML", "no reader understood its DBML"),
        BlockLang::Mermaid => {
            // Flowcharts and sequence diagrams are not schema.
            let k = content_kind(&b.content).filter(|k| k.contains("erDiagram"))?;
            (k, "no reader understood the diagram")
        }
        BlockLang::Unlabelled => (content_kind(&b.content)?, "no reader recognised its content"),
        BlockLang::TypeScript | BlockLang::Python | BlockLang::Other(_) => {
            (content_kind(&b.content)?, "its label is not a notation schemadoc reads as schema")
        }
    };
    Some(Candidate {
        line: b.fence_line,
        what: format!("{fence} with {kind}"),
        why,
        help: "label the fence with its notation (```sql, ```prisma, ```dbml, ```mermaid), or put `<!-- schemadoc:ignore -->` before it if it is not part of the design",
    })
}

fn table_candidate(t: &MdTable) -> Option<Candidate> {
    // Rows whose first cell is a name and another cell a column type.
    let typed_rows = t
        .rows
        .iter()
        .filter(|row| {
            row.first().is_some_and(|c| identifier(c.text.trim_matches('`')))
                && row.iter().skip(1).any(|c| sql_type(&c.text))
        })
        .count();
    if t.rows.is_empty() || typed_rows < 2 || typed_rows * 2 < t.rows.len() {
        return None;
    }
    Some(Candidate {
        line: t.line,
        what: format!("a table with {typed_rows} column-like rows"),
        why: "its header names no column and type, or no table is named for it",
        help: "head it `column | type | …` (`컬럼 | 타입 | …`) under a heading that names the table",
    })
}

fn paragraph_candidate(p: &TextItem) -> Option<Candidate> {
    let kind = content_kind(&p.raw)?;
    Some(Candidate {
        line: p.line,
        what: format!("a paragraph with {kind}"),
        why: "schema written outside a fenced block is not recognised here",
        help: "put it in a fenced block labelled with its notation",
    })
}

/// `name TYPE …`, `` `name`: TYPE ``, `name (TYPE)`, `name - TYPE`, `name: primary key`,
/// `PK: id`, `` `t`: `a`, `b` varchar(40) ``; any `name: …` bullet under a paragraph that
/// announces columns (`under_columns`).
fn column_like_bullet(li: &TextItem, under_columns: bool) -> bool {
    let t = li.text.trim();
    let end = t.find(|c: char| !(c.is_alphanumeric() || c == '_')).unwrap_or(t.len());
    let (name, rest) = t.split_at(end);
    let labelled = rest.trim_start().starts_with(':');
    if labelled && COLUMN_LABELS.iter().any(|l| name.eq_ignore_ascii_case(l)) {
        return true;
    }
    if !identifier(name) {
        return false;
    }
    if under_columns && (labelled || rest.trim_start().starts_with(['-', '–', '—'])) {
        return true;
    }
    let rest = rest.trim_start_matches([':', ' ', '-', '(', '–', '—', '\t']);
    let lower = rest.to_lowercase();
    if KEY_WORDS.iter().any(|k| lower.contains(k)) || lower.split([' ', ',', '(', ')']).any(|w| w == "pk" || w == "fk")
    {
        return true;
    }
    // `genres: id, title varchar(40), sort_key smallint`: one bullet listing a table's columns.
    if rest.split(',').count() >= 2 && rest.split(',').any(|part| part.split_whitespace().skip(1).any(sql_type)) {
        return true;
    }
    let word: String = rest.chars().take_while(|c| c.is_alphanumeric() || *c == '_').collect();
    let with_args = match rest[word.len()..].strip_prefix('(') {
        Some(after) => after.find(')').map_or(word.clone(), |i| format!("{word}({})", &after[..i])),
        None => word.clone(),
    };
    !word.is_empty() && (sql_type(&with_args) || LOOSE_TYPES.contains(&word.as_str()))
}

/// Labels of bullets that list a table's keys or columns (`PK: id`, `컬럼: name, city`).
const COLUMN_LABELS: &[&str] = &[
    "pk",
    "fk",
    "uk",
    "columns",
    "column",
    "fields",
    "컬럼",
    "칼럼",
    "필드",
    "속성",
    "attributes",
    "기본키",
    "외래키",
];

/// Words that make a bullet about a column.
const KEY_WORDS: &[&str] =
    &["primary key", "foreign key", "not null", "references ", "기본키", "외래키", "기본 키", "외래 키"];

/// Type words of programming languages that design notes use for columns.
const LOOSE_TYPES: &[&str] =
    &["str", "string", "number", "Optional", "List", "ForeignKey", "Mapped", "Decimal", "Date", "DateTime"];

/// Whether a paragraph announces the columns listed below it (`**Key Columns**:`, `컬럼:`).
fn announces_columns(p: &TextItem) -> bool {
    let t = p.text.to_lowercase();
    t.chars().count() <= 40
        && ["column", "field", "attribute", "컬럼", "칼럼", "필드", "속성"].iter().any(|w| t.contains(w))
}

/// Whether `text` is a column type (not prose that happens to start with a type word).
fn sql_type(text: &str) -> bool {
    let t = text.trim().trim_matches('`');
    if t.is_empty() || t.split_whitespace().count() > 3 {
        return false;
    }
    !matches!(parse_sql_type(t).kind, TypeKind::Other { .. })
}

fn identifier(s: &str) -> bool {
    let mut chars = s.chars();
    chars.next().is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '_')
}

/// `orders(id, user_id, total)`: a name, then at least two names in parentheses.
fn relational_line(l: &str) -> bool {
    let Some((name, rest)) = l.split_once('(') else { return false };
    let Some(inner) = rest.trim_end().strip_suffix(')') else { return false };
    let parts: Vec<&str> = inner.split(',').map(|p| p.trim().trim_matches('`')).collect();
    identifier(name.trim().trim_matches('`'))
        && parts.len() >= 2
        && parts.iter().all(|p| p.split_whitespace().next().is_some_and(identifier))
}

/// `users (1) ──── (N) posts`, `users 1:N posts`, `users ||--o{ posts`: two names joined by a line
/// that carries a cardinality (a flowchart's `a --> b` carries none).
fn relationship_line(l: &str) -> bool {
    let words: Vec<&str> = l.split_whitespace().collect();
    let (Some(first), Some(last)) = (words.first(), words.last()) else { return false };
    let middle: String = words.get(1..words.len().saturating_sub(1)).unwrap_or_default().concat();
    let cardinality = |c: char| matches!(c, '1' | 'N' | 'n' | 'M' | 'm' | '*' | '{' | '}');
    let link = |c: char| matches!(c, '─' | '━' | '-' | '—' | '=' | ':' | '.');
    words.len() >= 3
        && identifier(first.trim_matches('`'))
        && identifier(last.trim_matches('`'))
        && middle.chars().all(|c| cardinality(c) || link(c) || "()[]|o<>0".contains(c))
        && middle.chars().any(cardinality)
        && middle.chars().any(link)
}

/// Boxes drawn with `┌─┐│└┘` or `+--+` and `|`, holding column-like lines.
fn box_diagram(content: &str) -> bool {
    let boxed = content
        .lines()
        .filter(|l| l.contains(['┌', '└', '╔', '╚', '├']) || (l.trim_start().starts_with('+') && l.contains("--")))
        .count();
    if boxed < 2 {
        return false;
    }
    let columns = content
        .lines()
        .filter(|l| {
            l.split(['│', '|', '║']).any(|cell| {
                let cell = cell.trim().trim_start_matches(['-', '*', '+', '•', '·']).trim_start();
                let end = cell.find(|c: char| !(c.is_ascii_alphanumeric() || c == '_')).unwrap_or(cell.len());
                let (name, rest) = cell.split_at(end);
                if !identifier(name) {
                    return false;
                }
                let snake = name.contains('_') && name.chars().all(|c| !c.is_ascii_uppercase());
                snake
                    || rest
                        .split(|c: char| c.is_whitespace() || matches!(c, '(' | ')' | ',' | '[' | ']' | ':'))
                        .any(|w| matches!(w, "PK" | "FK" | "UK") || sql_type(w))
            })
        })
        .count();
    columns >= 2
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scan::scan;

    fn run(md: &str, read_lines: &[u32]) -> Vec<Diagnostic> {
        let doc = scan("d.md".into(), md);
        let read = read_lines.iter().map(|&l| (doc.file.clone(), l)).collect();
        report(&[doc], &read, &Schema::default())
    }

    fn rules(ds: &[Diagnostic]) -> Vec<(&str, u32)> {
        ds.iter().map(|d| (d.rule, d.span.line)).collect()
    }

    #[test]
    fn an_unread_ddl_block_is_reported_and_the_document_warned() {
        let ds = run("# Notes\n\n```text\nCREATE TABLE users (id int);\n```\n", &[]);
        assert_eq!(rules(&ds), [("schema-not-read", 3), ("nothing-read", 3)]);
        assert!(ds[0].message.contains("```text block with SQL DDL"), "{}", ds[0].message);
        assert!(ds[1].message.contains("d.md:3"), "{}", ds[1].message);
    }

    #[test]
    fn a_read_item_is_not_reported_and_nothing_is_warned() {
        let ds = run("```text\nCREATE TABLE users (id int);\n```\n\n```text\nTable x {\n  id int\n}\n```\n", &[1]);
        assert_eq!(rules(&ds), [("schema-not-read", 5)]);
        assert!(ds[0].message.contains("DBML"));
    }

    #[test]
    fn a_document_without_schema_says_so() {
        let ds = run("# How to run\n\n- `cargo run`\n- open the browser\n\n```bash\nnpm start\n```\n", &[]);
        assert_eq!(rules(&ds), [("no-schema-found", 1)]);
        assert!(ds[0].message.contains("no schema found in d.md"));
    }

    #[test]
    fn column_like_bullets_and_tables_are_candidates() {
        let md = "## 회원\n\n- id: BIGINT\n- email: VARCHAR(255)\n- name – text\n\n| a | b |\n|---|---|\n| id | bigint |\n| name | varchar(20) |\n";
        let ds = run(md, &[]);
        assert_eq!(rules(&ds), [("schema-not-read", 3), ("schema-not-read", 7), ("nothing-read", 3)]);
        assert!(ds[0].message.contains("3 column-like bullets"), "{}", ds[0].message);
    }

    #[test]
    fn bullets_in_the_shapes_people_write_columns_are_candidates() {
        for md in [
            "**Greenhouse**\n- id: str (UUID)\n- label: str\n",
            "- `genres`: `id`, `title` varchar(40) UNIQUE NOT NULL, `sort_key` smallint\n- `book_genres`: `(book_id, genre_id)` composite PK, each an FK\n",
            "**Key Columns**:\n- `id`: Primary key (SERIAL)\n- `call_sign, region`: Unique station identity\n- `datum`: Enum\n",
            "### `harbors`\n- PK: `id`\n- 컬럼: `name`, `country_code`\n",
        ] {
            assert_eq!(rules(&run(md, &[]))[0].0, "schema-not-read", "{md}");
        }
    }

    #[test]
    fn relationship_lines_without_columns_are_candidates_and_flowcharts_are_not() {
        let md = "# 블로그\n\n```\nusers (1) ──── (N) posts\nposts 1:N comments\n```\n\n```\nclient --> api\napi --> db\n```\n";
        let d = run(md, &[]);
        let lines: Vec<u32> = d.iter().filter(|d| d.rule == SCHEMA_NOT_READ.name).map(|d| d.span.line).collect();
        assert_eq!(lines, [3], "{d:#?}");
        assert!(d.iter().any(|d| d.message.contains("relationship lines")), "{d:#?}");
    }

    #[test]
    fn prose_bullets_and_flowcharts_are_not_candidates() {
        let md = "- Date: 2024-01-01\n- Status: draft\n- Owner: data team\n\n```mermaid\nflowchart LR\n  a --> b\n```\n\n```\n┌──────┐\n│ API  │\n└──────┘\n```\n";
        assert_eq!(rules(&run(md, &[])), [("no-schema-found", 1)]);
    }

    #[test]
    fn box_diagrams_relational_lines_and_unfenced_prisma_are_candidates() {
        let boxes =
            "```\n+-----------+\n| users     |\n+-----------+\n| id PK     |\n| email varchar |\n+-----------+\n```\n";
        assert!(run(boxes, &[])[0].message.contains("box diagram"));
        let rel = "```text\nusers(id, email)\norders(id, user_id, total)\n```\n";
        assert!(run(rel, &[])[0].message.contains("relational"));
        let labelled =
            "```\n┌──────────────┐\n│  patrons     │\n│ - id (PK)    │\n│ - card_no    │\n└──────────────┘\n```\n";
        assert!(run(labelled, &[])[0].message.contains("box diagram"));
        let prisma = "model Hive {\n  id Int @id\n}\n";
        assert!(run(prisma, &[])[0].message.contains("paragraph with Prisma"));
    }
}
