//! The parts of the report around the tables: the sidebar with the search box, the ERD, the
//! findings and the drift.

use super::escape::{anchor, esc, esc_line};
use super::{svg, Drift, Page};
use std::collections::BTreeMap;
use std::fmt::Write as _;

/// The search box and the list of tables, each linked to its section.
pub(crate) fn sidebar(p: &Page) -> String {
    let (r, w) = (p.r, p.w);
    let total = r.schema.tables.len();
    let mut out = format!(
        "<nav class=\"sidebar\" aria-label=\"{}\">\n<input type=\"search\" id=\"search\" placeholder=\"{}\" aria-label=\"{}\" autocomplete=\"off\" spellcheck=\"false\">\n\
         <p id=\"search-count\" class=\"count\" data-total=\"{total}\">{total} {}</p>\n<ul class=\"jump\">\n",
        w.pick("Tables", "테이블"),
        w.pick("Search tables, columns, comments", "테이블·컬럼·설명 검색"),
        w.pick("Search tables", "테이블 검색"),
        w.pick("tables", "테이블"),
    );
    if r.erd_svg.is_some() || r.erd_note.is_some() {
        let _ = writeln!(out, "<li><a href=\"#erd\">{}</a></li>", w.pick("Diagram", "다이어그램"));
    }
    let _ =
        writeln!(out, "<li><a href=\"#findings\">{} ({})</a></li>", w.pick("Findings", "점검 결과"), r.findings.len());
    if let Some(d) = r.drift {
        let _ =
            writeln!(out, "<li><a href=\"#drift\">{} ({})</a></li>", w.pick("Drift", "드리프트"), d.differences.len());
    }
    out.push_str("</ul>\n<ul id=\"table-list\">\n");
    for (i, t) in r.schema.tables.iter().enumerate() {
        let findings = p.findings_of[i].len();
        let badge = if findings == 0 {
            String::new()
        } else {
            format!(" <span class=\"badge\" title=\"{}\">{findings}</span>", w.pick("findings", "점검 결과"))
        };
        let _ = writeln!(
            out,
            "<li data-search=\"{}\"><a href=\"#{}\">{}</a>{badge}</li>",
            esc(&super::table::search_text(t)),
            anchor(t),
            esc_line(&t.qualified_name())
        );
    }
    out.push_str("</ul>\n</nav>\n");
    out
}

/// The diagram, zoomable and pannable by the page's script; or why there is none.
pub(crate) fn erd(p: &Page) -> String {
    let (r, w) = (p.r, p.w);
    let picture = r.erd_svg.and_then(svg::inline);
    if picture.is_none() && r.erd_note.is_none() {
        return String::new();
    }
    let mut out = format!("<section id=\"erd\">\n<h2>{}</h2>\n", w.pick("Diagram", "다이어그램"));
    match picture {
        Some(picture) => {
            let _ = write!(
                out,
                "<div class=\"erd-tools\"><button type=\"button\" data-zoom=\"in\" title=\"{}\">+</button>\
                 <button type=\"button\" data-zoom=\"out\" title=\"{}\">−</button>\
                 <button type=\"button\" data-zoom=\"reset\" title=\"{}\">{}</button>\
                 <span class=\"hint\">{}</span></div>\n<div class=\"erd-view\" id=\"erd-view\">\n{picture}\n</div>\n",
                w.pick("Zoom in", "확대"),
                w.pick("Zoom out", "축소"),
                w.pick("Whole diagram", "전체 보기"),
                w.pick("fit", "맞춤"),
                w.pick(
                    "wheel: zoom · drag: move · click a table: its section",
                    "휠: 확대/축소 · 끌기: 이동 · 테이블 클릭: 해당 항목으로"
                ),
            );
        }
        None => {
            let _ = writeln!(out, "<p class=\"note\">{}</p>", esc(r.erd_note.unwrap_or_default()));
        }
    }
    out.push_str("</section>\n");
    out
}

/// Every finding with its place, the line it points at, what it relates to, its help, and links
/// to the tables it names.
pub(crate) fn findings(p: &Page) -> String {
    let (r, w) = (p.r, p.w);
    let mut out = format!(
        "<section id=\"findings\">\n<h2>{} <span class=\"count\">{}</span></h2>\n",
        w.pick("Findings", "점검 결과"),
        r.findings.len()
    );
    if r.findings.is_empty() {
        let _ = writeln!(out, "<p class=\"note\">{}</p>", w.pick("No findings.", "점검 결과 없음."));
        out.push_str("</section>\n");
        return out;
    }
    out.push_str("<ol class=\"findings\">\n");
    for (i, d) in r.findings.iter().enumerate() {
        let sev = d.severity.as_str();
        let _ = write!(
            out,
            "<li class=\"finding {sev}\"><div class=\"head\"><span class=\"sev {sev}\">{sev}</span> <code class=\"rule\">{}</code> <span class=\"loc\">{}:{}:{}</span></div>\n<p class=\"msg\">{}</p>\n",
            esc(d.rule),
            esc(&d.span.file),
            d.span.line,
            d.span.column,
            esc(&d.message)
        );
        if let Some(line) = r.sources.line(&d.span.file, d.span.line) {
            let _ = writeln!(
                out,
                "<pre class=\"src\"><span class=\"ln\">{}</span>{}</pre>",
                d.span.line,
                esc(line.trim_end())
            );
        }
        if !d.related.is_empty() {
            out.push_str("<ul class=\"related\">\n");
            for rel in &d.related {
                let _ = writeln!(
                    out,
                    "<li><span class=\"loc\">{}:{}</span> {}</li>",
                    esc(&rel.span.file),
                    rel.span.line,
                    esc(&rel.message)
                );
            }
            out.push_str("</ul>\n");
        }
        if let Some(help) = &d.help {
            let _ = writeln!(out, "<p class=\"help\">help: {}</p>", esc(help));
        }
        if !p.tables_of[i].is_empty() {
            let links: Vec<String> = p.tables_of[i]
                .iter()
                .map(|&t| {
                    let t = &r.schema.tables[t];
                    format!("<a href=\"#{}\">{}</a>", anchor(t), esc_line(&t.qualified_name()))
                })
                .collect();
            let _ = writeln!(out, "<p class=\"about\">→ {}</p>", links.join(", "));
        }
        out.push_str("</li>\n");
    }
    out.push_str("</ol>\n</section>\n");
    out
}

/// The differences from the live database, by table, and the plan that would remove them.
pub(crate) fn drift(d: &Drift, p: &Page) -> String {
    let w = p.w;
    let mut out = format!(
        "<section id=\"drift\">\n<h2>{}</h2>\n<p>{} <code>{}</code>: {}</p>\n",
        w.pick("Drift from the database", "데이터베이스와의 차이"),
        w.pick("Database", "데이터베이스"),
        esc(&d.database),
        if d.differences.is_empty() {
            w.pick("matches the document.", "문서와 일치한다.").to_string()
        } else {
            format!("{}.", w.count(d.differences.len(), "difference", "differences", "건의 차이"))
        }
    );
    if !d.differences.is_empty() {
        let mut by_table: BTreeMap<&str, Vec<&str>> = BTreeMap::new();
        for x in &d.differences {
            by_table.entry(x.table.as_str()).or_default().push(x.description.as_str());
        }
        out.push_str("<ul class=\"drift\">\n");
        for (table, lines) in by_table {
            let name = match p.r.schema.table(table) {
                Some(t) => format!("<a href=\"#{}\">{}</a>", anchor(t), esc_line(table)),
                None => format!("<code>{}</code>", esc_line(table)),
            };
            let _ = writeln!(out, "<li>{name}<ul>");
            for l in lines {
                let _ = writeln!(out, "<li>{}</li>", esc(l));
            }
            out.push_str("</ul></li>\n");
        }
        out.push_str("</ul>\n");
    }
    if !d.notes.is_empty() {
        out.push_str("<ul class=\"notes\">\n");
        for n in &d.notes {
            let _ = writeln!(out, "<li>{}</li>", esc(n));
        }
        out.push_str("</ul>\n");
    }
    if !d.statements.is_empty() {
        let _ = writeln!(
            out,
            "<h3>{} <span class=\"count\">{}</span></h3>\n<ol class=\"plan\">",
            w.pick("Plan", "적용 계획"),
            d.statements.len()
        );
        for s in &d.statements {
            let _ = writeln!(out, "<li><p class=\"reason\">{}</p>", esc(&s.reason));
            if !s.hazards.is_empty() {
                out.push_str("<ul class=\"hazards\">\n");
                for (kind, description) in &s.hazards {
                    let _ = writeln!(out, "<li><span class=\"hazard\">{}</span> {}</li>", esc(kind), esc(description));
                }
                out.push_str("</ul>\n");
            }
            let _ = writeln!(out, "<pre class=\"sql\"><code>{}</code></pre></li>", esc(&s.sql));
        }
        out.push_str("</ol>\n");
    }
    out.push_str("</section>\n");
    out
}
