//! One table's section: its columns, keys, indexes, references out and in, and findings.

use super::escape::{anchor, esc, esc_line};
use super::Page;
use model::{name_eq, Column, Identity, Index, Table};
use std::fmt::Write as _;

/// What the search box matches a table by: its name, its comment, its columns' names and comments,
/// one per line.
pub(crate) fn search_text(t: &Table) -> String {
    let mut parts = vec![t.qualified_name()];
    parts.extend(t.comment.iter().cloned());
    for c in &t.columns {
        parts.push(c.name.clone());
        parts.extend(c.comment.iter().cloned());
    }
    parts.iter().map(|p| p.split_whitespace().collect::<Vec<_>>().join(" ")).collect::<Vec<_>>().join("\n")
}

pub(crate) fn section(p: &Page, i: usize) -> String {
    let (r, w) = (p.r, p.w);
    let schema = r.schema;
    let t = &schema.tables[i];
    let id = anchor(t);
    let name = t.qualified_name();
    let mut out = format!(
        "<article class=\"table\" id=\"{id}\" data-name=\"{}\" data-search=\"{}\">\n<h3><a class=\"self\" href=\"#{id}\">{}</a>",
        esc(&name),
        esc(&search_text(t)),
        esc_line(&name)
    );
    if t.is_declared_only() {
        let _ = write!(out, " <span class=\"tag\">{}</span>", w.pick("declared only", "이름만 선언"));
    }
    out.push_str("</h3>\n");
    if let Some(c) = t.comment.as_deref().filter(|c| !c.trim().is_empty()) {
        let _ = writeln!(out, "<p class=\"comment\">{}</p>", esc(c.trim()));
    }
    let _ = writeln!(
        out,
        "<p class=\"origin\">{} <code>{}:{}</code></p>",
        w.pick("Defined at", "정의 위치"),
        esc(&t.origin.file),
        t.origin.line
    );

    // Columns.
    if t.columns.is_empty() {
        let _ = writeln!(
            out,
            "<p class=\"note\">{}</p>",
            w.pick("The document does not state its columns.", "문서에 컬럼이 명시되지 않았다.")
        );
    } else {
        let _ = writeln!(
            out,
            "<table class=\"columns\">\n<thead><tr><th>{}</th><th>{}</th><th>{}</th><th>{}</th><th>{}</th><th>{}</th></tr></thead>\n<tbody>",
            w.pick("column", "컬럼"),
            w.pick("type", "타입"),
            w.pick("null", "NULL"),
            w.pick("default", "기본값"),
            w.pick("keys", "키"),
            w.pick("comment", "설명"),
        );
        let indexes: Vec<&Index> = p.indexes[i].iter().map(|&x| &schema.indexes[x]).collect();
        for c in &t.columns {
            let marks = key_marks(t, c, &indexes);
            let mut keys: Vec<String> =
                marks.iter().map(|m| format!("<span class=\"key {}\">{m}</span>", m.to_lowercase())).collect();
            for (f, fk) in t.foreign_keys.iter().enumerate() {
                if fk.columns.len() == 1 && model::name_eq(&fk.columns[0], &c.name) {
                    keys.push(format!("→ {}", table_link(p, p.targets[i][f], &fk.ref_table)));
                }
            }
            let default = match (&c.default, c.identity, &c.generated) {
                (Some(d), _, _) => format!("<code>{}</code>", esc(&d.to_string())),
                (None, Some(identity), _) => format!("<span class=\"gen\">{}</span>", identity_text(identity)),
                (None, None, Some(g)) => format!("<code>AS ({})</code>", esc(&g.expr)),
                (None, None, None) => String::new(),
            };
            let _ = writeln!(
                out,
                "<tr><td class=\"name\"><code>{}</code></td><td><code>{}</code></td><td class=\"{}\">{}</td><td>{default}</td><td class=\"keys\">{}</td><td>{}</td></tr>",
                esc(&c.name),
                esc(&c.ty.to_string()),
                if c.nullable { "null" } else { "notnull" },
                if c.nullable { "NULL" } else { "NOT NULL" },
                keys.join(" "),
                esc(c.comment.as_deref().unwrap_or("")),
            );
        }
        out.push_str("</tbody>\n</table>\n");
    }

    // Keys and constraints.
    let mut keys: Vec<String> = Vec::new();
    if let Some(pk) = &t.primary_key {
        keys.push(format!("<span class=\"key pk\">PK</span> ({}){}", columns(&pk.columns), named(pk.name.as_deref())));
    }
    for u in &t.uniques {
        keys.push(format!(
            "<span class=\"key uk\">UNIQUE</span> ({}){}",
            columns(&u.columns),
            named(u.name.as_deref())
        ));
    }
    for c in &t.checks {
        keys.push(format!(
            "<span class=\"key ck\">CHECK</span> <code>{}</code>{}",
            esc(&c.expr),
            named(c.name.as_deref())
        ));
    }
    list(&mut out, w.pick("Keys and constraints", "키와 제약조건"), "keys", &keys);

    // Indexes.
    let indexes: Vec<String> = p.indexes[i]
        .iter()
        .map(|&x| {
            let ix = &schema.indexes[x];
            let parts: Vec<String> = ix
                .parts
                .iter()
                .map(|part| {
                    let base = part.column.clone().or_else(|| part.expr.clone()).unwrap_or_default();
                    esc(&if part.descending { format!("{base} DESC") } else { base })
                })
                .collect();
            format!(
                "{}<code>({})</code>{}{}{}",
                if ix.unique { "<span class=\"key uk\">UNIQUE</span> " } else { "" },
                parts.join(", "),
                ix.method.as_deref().map(|m| format!(" USING {}", esc(m))).unwrap_or_default(),
                ix.predicate.as_deref().map(|x| format!(" WHERE <code>{}</code>", esc(x))).unwrap_or_default(),
                named(ix.name.as_deref())
            )
        })
        .collect();
    list(&mut out, w.pick("Indexes", "인덱스"), "indexes", &indexes);

    // References out and in.
    let out_refs: Vec<String> = t
        .foreign_keys
        .iter()
        .enumerate()
        .map(|(f, fk)| {
            let target = p.targets[i][f].map(|x| &schema.tables[x]);
            let to = target.map(|x| fk.referenced_columns(x)).unwrap_or_else(|| fk.ref_columns.clone());
            format!(
                "<code>({})</code> → {}<code>({})</code>{}{}",
                columns(&fk.columns),
                table_link(p, p.targets[i][f], &fk.ref_table),
                columns(&to),
                fk.on_delete.map(|a| format!(" ON DELETE {}", a.as_sql())).unwrap_or_default(),
                fk.on_update.map(|a| format!(" ON UPDATE {}", a.as_sql())).unwrap_or_default(),
            )
        })
        .collect();
    list(&mut out, w.pick("References", "참조"), "refs-out", &out_refs);
    let in_refs: Vec<String> = p.incoming[i]
        .iter()
        .map(|&(child, f)| {
            let fk = &schema.tables[child].foreign_keys[f];
            format!(
                "{}<code>({})</code> → {}",
                table_link(p, Some(child), ""),
                columns(&fk.columns),
                w.pick("this table", "이 테이블")
            )
        })
        .collect();
    list(&mut out, w.pick("Referenced by", "참조하는 테이블"), "refs-in", &in_refs);

    // Findings that name the table.
    let findings: Vec<String> = p.findings_of[i]
        .iter()
        .map(|&f| {
            let d = &r.findings[f];
            format!(
                "<span class=\"sev {}\">{}</span> <code class=\"rule\">{}</code> {} <span class=\"loc\">{}:{}</span>",
                d.severity.as_str(),
                d.severity.as_str(),
                esc(d.rule),
                esc(&d.message),
                esc(&d.span.file),
                d.span.line
            )
        })
        .collect();
    list(&mut out, w.pick("Findings", "점검 결과"), "table-findings", &findings);
    out.push_str("</article>\n");
    out
}

/// The key marks of a column, as the ERD draws them: `PK`, `FK`, and `UK` for a column that is a
/// unique key by itself (a unique constraint, or a unique index without a predicate) and not the
/// primary key.
fn key_marks(t: &Table, c: &Column, indexes: &[&Index]) -> Vec<&'static str> {
    let alone = |columns: &[String]| columns.len() == 1 && name_eq(&columns[0], &c.name);
    let mut marks = Vec::new();
    let pk = t.primary_key.as_ref().is_some_and(|pk| pk.columns.iter().any(|k| name_eq(k, &c.name)));
    if pk {
        marks.push("PK");
    }
    if t.foreign_keys.iter().any(|fk| fk.columns.iter().any(|k| name_eq(k, &c.name))) {
        marks.push("FK");
    }
    let unique = t.uniques.iter().any(|u| alone(&u.columns))
        || indexes.iter().any(|ix| {
            ix.unique
                && ix.predicate.is_none()
                && ix.parts.len() == 1
                && ix.parts[0].column.as_deref().is_some_and(|k| name_eq(k, &c.name))
        });
    if unique && !pk {
        marks.push("UK");
    }
    marks
}

/// A link to the section of the table at `position`, or the name alone when the schema lacks it.
fn table_link(p: &Page, position: Option<usize>, name: &str) -> String {
    match position {
        Some(x) => {
            let t = &p.r.schema.tables[x];
            format!("<a class=\"ref\" href=\"#{}\">{}</a>", anchor(t), esc_line(&t.qualified_name()))
        }
        None => format!("<span class=\"external\">{}</span>", esc_line(name)),
    }
}

fn list(out: &mut String, heading: &str, class: &str, items: &[String]) {
    if items.is_empty() {
        return;
    }
    let _ = writeln!(out, "<h4>{heading}</h4>\n<ul class=\"{class}\">");
    for item in items {
        let _ = writeln!(out, "<li>{item}</li>");
    }
    out.push_str("</ul>\n");
}

fn columns(names: &[String]) -> String {
    esc(&names.join(", "))
}

fn named(name: Option<&str>) -> String {
    name.map(|n| format!(" <span class=\"cname\">{}</span>", esc(n))).unwrap_or_default()
}

fn identity_text(identity: Identity) -> &'static str {
    match identity {
        Identity::Serial => "serial",
        Identity::Always => "GENERATED ALWAYS AS IDENTITY",
        Identity::ByDefault => "GENERATED BY DEFAULT AS IDENTITY",
        Identity::AutoIncrement => "AUTO_INCREMENT",
    }
}
