//! The regions of a document that schemadoc writes itself, so that a document stops drifting from
//! its own schema: between `<!-- schemadoc:generated KIND key=value … -->` and
//! `<!-- schemadoc:generated-end -->`, and, when asked, every Mermaid `erDiagram` block. Everything
//! outside them is kept byte for byte.
//!
//! Kinds: `erd` (a Mermaid ERD; `table=a,b` and `depth=N` for a neighbourhood), `fields table=NAME`
//! (the table's field table; `lang=ko|en`, else the document's language), `sql` (`dialect=` is
//! given by the caller), `prisma`, `sqlalchemy`, and `tables` (a catalog of the tables).

use model::{name_eq, Diagnostic, Schema, Span, Table};
use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::ops::Range;
use std::sync::Arc;

model::declare_rule! {
    /// What it does: flags a `<!-- schemadoc:generated … -->` region that cannot be written: no
    /// `generated-end`, a region inside another, an unknown kind, or a table the schema lacks.
    ///
    /// Why it matters: `schemadoc sync` rewrites exactly these regions; one it cannot read would
    /// stay stale while the document claims it is generated.
    ///
    /// Example: `<!-- schemadoc:generated fields table=userz -->` — the schema has `users`.
    pub GENERATED_REGION_INVALID = "generated-region-invalid", Error
}

/// Every rule this module reports.
pub const RULES: &[model::RuleInfo] = &[GENERATED_REGION_INVALID];

const KINDS: &[&str] = &["erd", "fields", "sql", "prisma", "sqlalchemy", "tables"];

/// One region schemadoc writes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Region {
    pub kind: String,
    pub args: BTreeMap<String, String>,
    /// The 1-based line of the opening marker (or of the block's fence).
    pub line: u32,
    /// The bytes of the document the region's content occupies (between the markers).
    pub body: Range<usize>,
    /// An unmarked Mermaid ERD block: its fence stays, only the diagram inside is rewritten.
    pub block: bool,
}

/// The generated regions of `text`, and the problems with its markers. With `erd_blocks`, every
/// Mermaid block holding an `erDiagram` outside a region is a region too.
pub fn regions(file: &Arc<str>, text: &str, erd_blocks: bool) -> (Vec<Region>, Vec<Diagnostic>) {
    let mut out = Vec::new();
    let mut problems = Vec::new();
    let mut open: Option<(Region, usize)> = None;
    // An open fence: its marker (```` ``` ```` or `~~~`), line, content start, and whether it is Mermaid.
    let mut fence: Option<(String, u32, usize, bool)> = None;
    let mut offset = 0;
    for (i, raw) in text.split_inclusive('\n').enumerate() {
        let line = i as u32 + 1;
        let start = offset;
        offset += raw.len();
        let trimmed = raw.trim();
        if let Some((marker, fence_line, content_start, mermaid)) = &fence {
            let closes = trimmed.starts_with(marker.as_str())
                && trimmed.chars().all(|c| c == marker.chars().next().unwrap_or('`'));
            if closes {
                let body = *content_start..start;
                let erd = text[body.clone()].trim_start().starts_with("erDiagram");
                if erd_blocks && *mermaid && erd && open.is_none() {
                    out.push(Region {
                        kind: "erd".into(),
                        args: BTreeMap::new(),
                        line: *fence_line,
                        body,
                        block: true,
                    });
                }
                fence = None;
            }
            continue;
        }
        if trimmed.starts_with("```") || trimmed.starts_with("~~~") {
            let marker: String = trimmed.chars().take_while(|c| *c == '`' || *c == '~').collect();
            let mermaid = trimmed[marker.len()..].trim().eq_ignore_ascii_case("mermaid");
            fence = Some((marker, line, offset, mermaid));
            continue;
        }
        let Some(inner) = trimmed.strip_prefix("<!--").and_then(|s| s.strip_suffix("-->")).map(str::trim) else {
            continue;
        };
        let Some(rest) = inner.strip_prefix("schemadoc:generated") else { continue };
        let span = Span::new(file.clone(), line, 1, trimmed.chars().count() as u32);
        if rest.starts_with("-end") {
            match open.take() {
                Some((mut region, body_start)) => {
                    region.body = body_start..start;
                    out.push(region);
                }
                None => problems.push(GENERATED_REGION_INVALID.at(span, "`generated-end` without a region to end")),
            }
            continue;
        }
        if !rest.is_empty() && !rest.starts_with(char::is_whitespace) {
            continue;
        }
        let mut words = rest.split_whitespace();
        let kind = words.next().unwrap_or("").to_string();
        let args: BTreeMap<String, String> = words
            .filter_map(|w| w.split_once('=').map(|(k, v)| (k.to_string(), v.trim_matches(['"', '\'']).to_string())))
            .collect();
        if let Some((region, _)) = &open {
            problems.push(
                GENERATED_REGION_INVALID
                    .at(span.clone(), "a generated region starts inside another")
                    .with_related(Span::new(file.clone(), region.line, 1, 0), "the region still open"),
            );
            continue;
        }
        if !KINDS.contains(&kind.as_str()) {
            problems.push(
                GENERATED_REGION_INVALID
                    .at(span, format!("unknown generated region `{kind}`"))
                    .with_help(format!("known kinds: {}", KINDS.join(", "))),
            );
            continue;
        }
        if kind == "fields" && !args.contains_key("table") {
            problems.push(
                GENERATED_REGION_INVALID
                    .at(span, "a `fields` region needs the table it shows")
                    .with_help("write `<!-- schemadoc:generated fields table=NAME -->`"),
            );
            continue;
        }
        open = Some((Region { kind, args, line, body: 0..0, block: false }, offset));
    }
    if let Some((region, _)) = open {
        problems.push(
            GENERATED_REGION_INVALID
                .at(
                    Span::new(file.clone(), region.line, 1, 0),
                    format!("generated region `{}` has no end", region.kind),
                )
                .with_help("close it with `<!-- schemadoc:generated-end -->`"),
        );
    }
    out.sort_by_key(|r| r.body.start);
    (out, problems)
}

/// `text` with the content of every region replaced by blank lines (line numbers kept), so that a
/// stale region cannot vote on the schema it is generated from.
pub fn blank_regions(text: &str, regions: &[Region]) -> String {
    let mut out = String::with_capacity(text.len());
    let mut at = 0;
    for r in regions {
        out.push_str(&text[at..r.body.start]);
        out.push_str(&"\n".repeat(text[r.body.clone()].matches('\n').count()));
        at = r.body.end;
    }
    out.push_str(&text[at..]);
    out
}

/// What the caller writes for regions that need an engine or an exporter.
pub struct Writers<'a> {
    pub sql: &'a dyn Fn(&Schema) -> String,
    pub prisma: &'a dyn Fn(&Schema) -> String,
    pub sqlalchemy: &'a dyn Fn(&Schema) -> String,
}

/// One region after syncing.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Outcome {
    pub kind: String,
    pub line: u32,
    /// Whether its content changed.
    pub stale: bool,
}

/// `text` with every region rewritten from `schema`, and what changed. Problems (a table the
/// schema lacks) are diagnostics; such a region is left as it is.
pub fn sync(
    file: &Arc<str>,
    text: &str,
    regions: &[Region],
    schema: &Schema,
    writers: &Writers,
) -> (String, Vec<Outcome>, Vec<Diagnostic>) {
    let korean = text.chars().any(|c| ('\u{AC00}'..='\u{D7A3}').contains(&c));
    let mut out = String::with_capacity(text.len());
    let mut outcomes = Vec::new();
    let mut problems = Vec::new();
    let mut at = 0;
    for region in regions {
        out.push_str(&text[at..region.body.start]);
        let old = &text[region.body.clone()];
        let new = match content(region, schema, writers, korean) {
            Ok(new) => new,
            Err(message) => {
                problems.push(GENERATED_REGION_INVALID.at(Span::new(file.clone(), region.line, 1, 0), message));
                old.to_string()
            }
        };
        outcomes.push(Outcome { kind: region.kind.clone(), line: region.line, stale: new != old });
        out.push_str(&new);
        at = region.body.end;
    }
    out.push_str(&text[at..]);
    (out, outcomes, problems)
}

fn content(region: &Region, schema: &Schema, writers: &Writers, korean: bool) -> Result<String, String> {
    let tables: Vec<String> = region
        .args
        .get("table")
        .or_else(|| region.args.get("tables"))
        .map(|t| t.split(',').map(|s| s.trim().to_string()).filter(|s| !s.is_empty()).collect())
        .unwrap_or_default();
    for t in &tables {
        if schema.tables.iter().all(|x| !name_eq(&x.name, t) && !name_eq(&x.qualified_name(), t)) {
            return Err(format!(
                "generated region `{}` names table `{t}`, which the schema does not define",
                region.kind
            ));
        }
    }
    let depth: usize = region.args.get("depth").and_then(|d| d.parse().ok()).unwrap_or(0);
    let part = if tables.is_empty() { schema.clone() } else { schema.neighbourhood(&tables, depth) };
    let korean = match region.args.get("lang").map(String::as_str) {
        Some("ko") => true,
        Some("en") => false,
        _ => korean,
    };
    let fenced = |lang: &str, body: String| format!("```{lang}\n{}```\n", ensure_newline(body));
    Ok(match region.kind.as_str() {
        "erd" if region.block => crate::mermaid(&part),
        "erd" => fenced("mermaid", crate::mermaid(&part)),
        "fields" => {
            let table = part.tables.first().ok_or("a `fields` region needs the table it shows")?;
            field_table(table, &part, korean)
        }
        "sql" => fenced("sql", (writers.sql)(&part)),
        "prisma" => fenced("prisma", (writers.prisma)(&part)),
        "sqlalchemy" => fenced("python", (writers.sqlalchemy)(&part)),
        "tables" => catalog(&part, korean),
        other => return Err(format!("unknown generated region `{other}`")),
    })
}

fn ensure_newline(mut s: String) -> String {
    if !s.ends_with('\n') {
        s.push('\n');
    }
    s
}

/// A field table schemadoc reads back: name, type, constraint words, description.
pub fn field_table(table: &Table, schema: &Schema, korean: bool) -> String {
    // The table is named above its fields, so that the table reads back wherever the region stands.
    let mut out = format!(
        "**{}**: `{}`\n\n",
        if korean { "테이블명" } else { "Table Name" },
        table.qualified_name().replace('`', "")
    );
    out.push_str(if korean {
        "| 필드명 | 타입 | 제약조건 | 설명 |\n|---|---|---|---|\n"
    } else {
        "| column | type | constraints | description |\n|---|---|---|---|\n"
    });
    let single_pk = table.primary_key.as_ref().filter(|pk| pk.columns.len() == 1);
    for c in &table.columns {
        let mut words: Vec<String> = Vec::new();
        if single_pk.is_some_and(|pk| name_eq(&pk.columns[0], &c.name)) {
            words.push("PK".into());
        } else if !c.nullable {
            words.push("NOT NULL".into());
        }
        if c.identity.is_some() {
            words.push("AUTO_INCREMENT".into());
        }
        if table.uniques.iter().any(|u| u.columns.len() == 1 && name_eq(&u.columns[0], &c.name)) {
            words.push("UNIQUE".into());
        }
        for fk in table.foreign_keys.iter().filter(|fk| fk.columns.len() == 1 && name_eq(&fk.columns[0], &c.name)) {
            let target = fk.ref_columns.first().cloned().or_else(|| {
                schema
                    .table(&fk.ref_table)
                    .and_then(|t| t.primary_key.as_ref())
                    .and_then(|pk| pk.columns.first().cloned())
            });
            let mut w = format!("FK({}.{})", fk.ref_table, target.unwrap_or_else(|| "id".into()));
            if let Some(a) = fk.on_delete {
                let _ = write!(w, " ON DELETE {}", a.as_sql());
            }
            words.push(w);
        }
        if let Some(d) = &c.default {
            words.push(format!("DEFAULT {d}"));
        }
        let _ = writeln!(
            out,
            "| {} | {} | {} | {} |",
            cell(&c.name),
            cell(&type_text(c)),
            cell(&words.join(", ")),
            cell(c.comment.as_deref().unwrap_or(""))
        );
    }
    let composite: Vec<String> = table
        .primary_key
        .iter()
        .filter(|pk| pk.columns.len() > 1)
        .map(|pk| format!("- {}: ({})", if korean { "기본키" } else { "Primary key" }, pk.columns.join(", ")))
        .collect();
    for line in composite {
        let _ = writeln!(out, "\n{line}");
    }
    out
}

/// A column's type as a field table writes it: the portable spelling, or as written when it has none.
fn type_text(c: &model::Column) -> String {
    match &c.ty.kind {
        model::TypeKind::Enum { .. } | model::TypeKind::Other { .. } if !c.ty.spelling.is_empty() => {
            c.ty.spelling.clone()
        }
        kind => kind.to_string(),
    }
}

fn catalog(schema: &Schema, korean: bool) -> String {
    let mut out = String::from(if korean {
        "| 테이블 | 컬럼 수 | 설명 |\n|---|---|---|\n"
    } else {
        "| table | columns | description |\n|---|---|---|\n"
    });
    for t in &schema.tables {
        let _ = writeln!(
            out,
            "| `{}` | {} | {} |",
            t.qualified_name().replace('`', ""),
            t.columns.len(),
            cell(t.comment.as_deref().unwrap_or(""))
        );
    }
    out
}

fn cell(text: &str) -> String {
    text.replace('|', "\\|").replace(['\n', '\r'], " ")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn file() -> Arc<str> {
        Arc::from("doc.md")
    }

    #[test]
    fn regions_span_the_lines_between_their_markers() {
        let text =
            "# t\n<!-- schemadoc:generated erd table=users depth=1 -->\nold\n<!-- schemadoc:generated-end -->\ntail\n";
        let (regions, problems) = regions(&file(), text, false);
        assert!(problems.is_empty(), "{problems:?}");
        assert_eq!(regions.len(), 1);
        assert_eq!(regions[0].kind, "erd");
        assert_eq!(regions[0].args.get("depth").map(String::as_str), Some("1"));
        assert_eq!(&text[regions[0].body.clone()], "old\n");
        assert_eq!(regions[0].line, 2);
    }

    #[test]
    fn markers_inside_code_blocks_are_text() {
        let text = "```md\n<!-- schemadoc:generated erd -->\n```\n";
        let (regions, problems) = regions(&file(), text, false);
        assert!(regions.is_empty() && problems.is_empty());
    }

    #[test]
    fn broken_markers_are_diagnostics_at_their_lines() {
        let text = "<!-- schemadoc:generated erd -->\n<!-- schemadoc:generated sql -->\n\
                    <!-- schemadoc:generated-end -->\n<!-- schemadoc:generated-end -->\n\
                    <!-- schemadoc:generated pictures -->\n<!-- schemadoc:generated fields -->\n\
                    <!-- schemadoc:generated tables -->\n";
        let (_, problems) = regions(&file(), text, false);
        let lines: Vec<(u32, &str)> = problems.iter().map(|p| (p.span.line, p.message.as_str())).collect();
        assert_eq!(
            lines,
            [
                (2, "a generated region starts inside another"),
                (4, "`generated-end` without a region to end"),
                (5, "unknown generated region `pictures`"),
                (6, "a `fields` region needs the table it shows"),
                (7, "generated region `tables` has no end"),
            ]
        );
    }

    #[test]
    fn erd_blocks_become_regions_only_when_asked() {
        let text = "```mermaid\nerDiagram\n  a { int id }\n```\n```mermaid\nflowchart LR\n```\n";
        assert!(regions(&file(), text, false).0.is_empty());
        let (found, _) = regions(&file(), text, true);
        assert_eq!(found.len(), 1);
        assert!(found[0].block);
        assert_eq!(&text[found[0].body.clone()], "erDiagram\n  a { int id }\n");
    }

    #[test]
    fn blanking_keeps_every_line_number() {
        let text = "a\n<!-- schemadoc:generated erd -->\nx\ny\n<!-- schemadoc:generated-end -->\nb\n";
        let (found, _) = regions(&file(), text, false);
        let blank = blank_regions(text, &found);
        assert_eq!(blank, "a\n<!-- schemadoc:generated erd -->\n\n\n<!-- schemadoc:generated-end -->\nb\n");
    }
}
