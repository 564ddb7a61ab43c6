//! Relational notation: `trees(id, row_no, cultivar)` — a table name and its columns in
//! parentheses, one table a line, in a text block, a paragraph or bullets. Keys as textbooks
//! mark them: `PK`/`FK` words, an underlined (`<u>id</u>`, `_id_`) or `*`-marked primary key,
//! a `#`-marked foreign key (Merise). Columns stay untyped unless a type is written; foreign
//! keys come from column names and are marked inferred.
//!
//! Prose is not read: a block, paragraph or run of bullets is read only when its lines are
//! mostly such tuples, or when a heading above it says it is a schema.

use crate::frontend::Partial;
use crate::scan::{BlockLang, Document, Heading, Item};
use crate::sketch::{self, is_name, read_marks, Known, Sketch, SketchColumn};
use model::{Notation, RuleInfo};
use std::collections::BTreeSet;
use std::sync::Arc;

model::declare_rule! {
    /// What it does: notes a column of relational notation marked as a foreign key (`#owner`,
    /// `owner FK`) whose name says nothing about the table it references.
    ///
    /// Why it matters: no foreign key can be made, so the reference is not enforced.
    ///
    /// Example: `pets(id PK, #owner)` — write `owner_id`, or `owner → people`.
    pub RELATIONAL_FOREIGN_KEY_WITHOUT_TARGET = "relational-foreign-key-without-target", Info
}

/// The rules this front-end reports.
pub const RULES: &[RuleInfo] = &[RELATIONAL_FOREIGN_KEY_WITHOUT_TARGET];

const SKETCH_RULES: sketch::Rules = sketch::Rules {
    fk_without_target: RELATIONAL_FOREIGN_KEY_WITHOUT_TARGET,
    link_without_fk: RELATIONAL_FOREIGN_KEY_WITHOUT_TARGET,
};

/// Reads the relational notation of `docs`, leaving alone the items in `read` (another front-end
/// took them); `known` holds the tables other notations define.
pub fn extract(docs: &[Document], known: &Known, read: &BTreeSet<(Arc<str>, u32)>) -> Partial {
    let mut partial = Partial::new(Notation::Relational);
    let mut sketches = Vec::new();
    for doc in docs {
        let taken = |line: u32| read.contains(&(doc.file.clone(), line));
        let mut i = 0;
        while i < doc.items.len() {
            let item = &doc.items[i];
            i += 1;
            if taken(item.line()) {
                continue;
            }
            match item {
                Item::Block(b) if text_block(&b.lang) => {
                    let lines: Vec<(u32, u32, &str)> = b
                        .content
                        .split('\n')
                        .enumerate()
                        .map(|(k, l)| (b.first_line + k as u32, b.indent + 1, l))
                        .collect();
                    if let Some(found) = read_lines(&doc.file, &lines, schema_heading(&b.headings), 2) {
                        partial.mark_read(&doc.file, b.fence_line);
                        sketches.extend(found);
                    }
                }
                Item::Paragraph(p) => {
                    let lines: Vec<(u32, u32, &str)> = p
                        .raw
                        .split('\n')
                        .enumerate()
                        .map(|(k, l)| (p.line + k as u32, if k == 0 { p.column } else { 1 }, l))
                        .collect();
                    if let Some(found) = read_lines(&doc.file, &lines, schema_heading(&p.headings), 2) {
                        partial.mark_read(&doc.file, p.line);
                        sketches.extend(found);
                    }
                }
                Item::ListItem(_) => {
                    // A run of bullets: read when most of them are tuples.
                    let start = i - 1;
                    let mut end = start;
                    while matches!(doc.items.get(end), Some(Item::ListItem(_))) && !taken(doc.items[end].line()) {
                        end += 1;
                    }
                    i = end.max(i);
                    let run: Vec<(u32, u32, &str)> = doc.items[start..end]
                        .iter()
                        .filter_map(|x| match x {
                            Item::ListItem(li) => Some((li.line, li.column, li.raw.as_str())),
                            _ => None,
                        })
                        .collect();
                    let schema = schema_heading(item.headings());
                    let tuples: Vec<(u32, Option<Sketch>)> =
                        run.iter().map(|&(l, c, raw)| (l, tuple(&doc.file, l, c, raw))).collect();
                    let count = tuples.iter().filter(|(_, s)| s.is_some()).count();
                    if count == 0 || !(schema || (count >= 2 && count * 2 >= run.len())) {
                        continue;
                    }
                    for (line, s) in tuples {
                        if let Some(s) = s {
                            partial.mark_read(&doc.file, line);
                            sketches.push(s);
                        }
                    }
                }
                _ => {}
            }
        }
    }
    sketch::lower(sketches, Vec::new(), Notation::Relational, known, &SKETCH_RULES, &mut partial);
    partial
}

/// Blocks whose label says nothing of a notation: unlabelled, `text`, `txt`, `plain`.
fn text_block(lang: &BlockLang) -> bool {
    match lang {
        BlockLang::Unlabelled => true,
        BlockLang::Other(l) => matches!(l.as_str(), "text" | "txt" | "plain" | "plaintext" | "none"),
        _ => false,
    }
}

/// Whether a heading above says what follows is a schema (`Schema`, `Relations`, `스키마`).
fn schema_heading(headings: &[Heading]) -> bool {
    const WORDS: &[&str] = &[
        "schema",
        "relation",
        "relational",
        "tables",
        "data model",
        "database",
        "logical model",
        "스키마",
        "릴레이션",
        "관계형",
        "관계 스키마",
        "테이블",
        "데이터 모델",
        "논리 모델",
        "데이터베이스",
    ];
    headings.last().is_some_and(|h| {
        let t = h.text.to_lowercase();
        WORDS.iter().any(|w| t.contains(w))
    })
}

/// The tables of `lines` ((line, column of the first character, text)) when they are mostly
/// tuples: at least `min` of them and half the non-blank lines, or any under a schema heading
/// when every non-blank line is one.
fn read_lines(file: &Arc<str>, lines: &[(u32, u32, &str)], schema: bool, min: usize) -> Option<Vec<Sketch>> {
    let written: Vec<&(u32, u32, &str)> =
        lines.iter().filter(|(_, _, l)| !l.trim().is_empty() && !comment(l.trim())).collect();
    let found: Vec<Sketch> = written.iter().filter_map(|&&(l, c, t)| tuple(file, l, c, t)).collect();
    let enough = (found.len() >= min && found.len() * 2 >= written.len()) || (schema && found.len() == written.len());
    (!found.is_empty() && enough).then_some(found)
}

fn comment(l: &str) -> bool {
    l.starts_with("--") || l.starts_with("//") || l.starts_with("/*") || l.starts_with('%')
}

/// `name(a, b, c)` on one line, after a bullet or number and with a trailing `;`/`.`; `None`
/// when the line is anything else.
fn tuple(file: &Arc<str>, line: u32, column: u32, text: &str) -> Option<Sketch> {
    let lead = text.len() - text.trim_start().len();
    let mut t = text.trim();
    let mut skipped = lead;
    for prefix in ["- ", "* ", "+ ", "• "] {
        if let Some(rest) = t.strip_prefix(prefix) {
            skipped += prefix.len() + (rest.len() - rest.trim_start().len());
            t = rest.trim_start();
        }
    }
    if let Some(dot) = t.find(". ").filter(|&d| d > 0 && t[..d].chars().all(|c| c.is_ascii_digit())) {
        let rest = &t[dot + 2..];
        skipped += dot + 2 + (rest.len() - rest.trim_start().len());
        t = rest.trim_start();
    }
    let t = t.trim_end().trim_end_matches([';', '.', ',']).trim_end();
    let open = t.find('(')?;
    let name = t[..open].trim().trim_matches(['`', '*', '_']).trim();
    let inner = t[open + 1..].strip_suffix(')')?;
    if !is_name(name) || inner.trim().is_empty() || not_a_table(name) {
        return None;
    }
    let base = column + text[..skipped].chars().count() as u32;
    let mut columns = Vec::new();
    let mut offset = open + 1;
    for part in split_top(inner) {
        let at = base + t[..offset + part.len() - part.trim_start().len()].chars().count() as u32;
        offset += part.len() + 1;
        columns.push(column_of(part.trim(), line, at)?);
    }
    let name_at = base + t[..t.len() - t.trim_start_matches(['`', '*', '_']).len()].chars().count() as u32;
    Some(Sketch { name: name.to_string(), file: file.clone(), line, column: name_at, columns })
}

/// Names that are calls or keys, not tables: `get_user(id)`, `idx_orders_user(user_id)`.
fn not_a_table(name: &str) -> bool {
    const VERBS: &[&str] = &[
        "get",
        "set",
        "list",
        "create",
        "update",
        "delete",
        "remove",
        "add",
        "find",
        "fetch",
        "load",
        "save",
        "send",
        "handle",
        "on",
        "is",
        "has",
        "make",
        "build",
        "compute",
        "calculate",
        "check",
        "validate",
        "print",
        "run",
        "init",
        "call",
        "count",
        "sum",
        "max",
        "min",
        "avg",
        "coalesce",
        "concat",
        "lower",
        "upper",
        "now",
        "len",
    ];
    const KEYS: &[&str] = &["idx", "ix", "index", "uq", "uk", "unique", "fk", "pk", "key"];
    let lower = name.to_lowercase();
    let first = lower.split(['_', '.']).next().unwrap_or("");
    let camel_verb = VERBS
        .iter()
        .any(|v| name.strip_prefix(v).is_some_and(|rest| rest.chars().next().is_some_and(char::is_uppercase)));
    VERBS.contains(&first) || KEYS.contains(&first) || camel_verb
}

/// Splits at commas outside parentheses (`price decimal(8,2), qty`).
fn split_top(s: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let mut depth = 0i32;
    let mut start = 0;
    for (i, c) in s.char_indices() {
        match c {
            '(' => depth += 1,
            ')' => depth -= 1,
            ',' if depth == 0 => {
                out.push(&s[start..i]);
                start = i + 1;
            }
            _ => {}
        }
    }
    out.push(&s[start..]);
    out
}

/// One column of a tuple: its name with key marks and an optional type.
fn column_of(part: &str, line: u32, column: u32) -> Option<SketchColumn> {
    let mut c = SketchColumn { line, column, ..Default::default() };
    let mut p = part.trim().trim_matches('`');
    // Underlined: `<u>id</u>`, `<ins>id</ins>`, `_id_`, `__id__`.
    for (open, close) in [("<u>", "</u>"), ("<ins>", "</ins>"), ("__", "__"), ("_", "_")] {
        if let Some(rest) = p.strip_prefix(open) {
            if let Some(end) = rest.find(close).filter(|&e| e > 0) {
                c.pk = true;
                let (name, after) = (&rest[..end], &rest[end + close.len()..]);
                c.name = name.trim_matches('`').to_string();
                return (is_name(&c.name) && read_marks(after, &mut c)).then_some(c);
            }
        }
    }
    if let Some(rest) = p.strip_prefix('#') {
        c.fk = true;
        p = rest.trim_start();
    } else if let Some(rest) = p.strip_prefix('*') {
        c.pk = true;
        p = rest.trim_start();
    }
    let end = p.find(|ch: char| !(ch.is_alphanumeric() || ch == '_' || ch == '$')).unwrap_or(p.len());
    let (name, mut rest) = p.split_at(end);
    if let Some(r) = rest.strip_prefix('*') {
        c.pk = true;
        rest = r;
    }
    c.name = name.to_string();
    (is_name(name) && read_marks(rest.trim_start_matches('`'), &mut c)).then_some(c)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scan::scan;

    fn run(md: &str) -> Partial {
        extract(&[scan("r.md".into(), md)], &Known::default(), &BTreeSet::new())
    }

    #[test]
    fn a_text_block_of_tuples_is_read_with_inferred_keys() {
        let p = run("# Orchard\n\n```text\ntrees(id, row_no, cultivar, planted_on)\nharvests(id, tree_id, picked_on, kg)\n```\n");
        let names: Vec<&str> = p.schema.tables.iter().map(|t| t.name.as_str()).collect();
        assert_eq!(names, ["trees", "harvests"]);
        let h = p.schema.table("harvests").unwrap();
        assert_eq!((h.origin.line, h.origin.column, h.columns[1].origin.column), (5, 1, 14));
        assert!(h.columns.iter().all(|c| c.ty.is_unstated()));
        let f = &h.foreign_keys[0];
        assert_eq!((f.columns[0].as_str(), f.ref_table.as_str(), f.inferred), ("tree_id", "trees", true));
        assert!(p.schema.table("trees").unwrap().primary_key.is_none());
        assert_eq!(p.read.len(), 1);
    }

    #[test]
    fn key_marks_and_types_are_read() {
        let md = "## 관계 스키마\n\n- 회원(<u>회원번호</u>, 이름, 가입일 date)\n- 주문(_주문번호_, #회원번호, 금액 decimal(10,2))\n- pets(*id, name varchar(40) UK, owner_id FK → people.id)\n";
        let p = run(md);
        let member = p.schema.table("회원").unwrap();
        assert_eq!(member.primary_key.as_ref().unwrap().columns, ["회원번호"]);
        assert_eq!(member.column("가입일").unwrap().ty.spelling, "date");
        let order = p.schema.table("주문").unwrap();
        assert_eq!(order.primary_key.as_ref().unwrap().columns, ["주문번호"]);
        assert_eq!(order.column("금액").unwrap().ty.spelling, "decimal(10,2)");
        let pets = p.schema.table("pets").unwrap();
        assert_eq!(pets.primary_key.as_ref().unwrap().columns, ["id"]);
        assert_eq!(pets.uniques[0].columns, ["name"]);
        let f = &pets.foreign_keys[0];
        assert_eq!(
            (f.ref_table.as_str(), f.ref_columns.as_slice(), f.inferred),
            ("people", &["id".to_string()][..], false)
        );
        // `#회원번호` names no table by its form: reported, not guessed.
        assert_eq!(p.diagnostics.len(), 1, "{:?}", p.diagnostics);
        assert_eq!((p.diagnostics[0].rule, p.diagnostics[0].span.line), ("relational-foreign-key-without-target", 4));
    }

    #[test]
    fn prose_and_lone_calls_are_not_tables() {
        for md in [
            "Call max(a, b) to compare, then sum(x, y).\n",
            "# Notes\n\nusers(id, name)\n",
            "```\nfoo(a, b)\nprint(\"hi\")\nx = 1\ny = 2\n```\n",
            "- run(a, b)\n- then think about it\n- and again\n",
            "```\nget_user(id)\nlist_orders(user_id, page)\ncreateOrder(user_id, items)\n```\n",
            "## Indexes\n\n- idx_orders_user(user_id)\n- idx_orders_created(created_at)\n",
            "```python\nusers(id, name)\norders(id, user_id)\n```\n",
        ] {
            assert!(run(md).schema.tables.is_empty(), "{md}");
        }
    }

    #[test]
    fn ragged_input_does_not_panic() {
        for md in ["a(", "a()", "a(,)", "a(b,,c)", "- 1. x(y) ;", "t(<u>x</u>)", "t(_)", "t(__)", "é(ü, 한)"] {
            let _ = run(&format!("# Schema\n\n{md}\n"));
            let _ = run(&format!("```text\n{md}\n{md}\n```\n"));
        }
    }
}
