//! The HTML report: one self-contained page (its style and script inline, nothing fetched) with a
//! table browser and search, each table's columns, keys, indexes and references, the findings
//! with their source lines, the ERD as a zoomable picture, and the drift from a live database.
//!
//! Every name and comment is escaped ([`escape`]); data reaches the script only through escaped
//! attributes, never inside `<script>`. The page depends on nothing but its input: identical input
//! gives byte-identical output.

mod escape;
mod sections;
mod svg;
mod table;
#[cfg(test)]
mod tests;

use crate::docs::Lang;
use crate::Sources;
use escape::esc_line;
use model::{Diagnostic, Schema, Severity};
use std::collections::BTreeMap;
use std::fmt::Write as _;

const STYLE: &str = include_str!("style.css");
const SCRIPT: &str = include_str!("report.js");

/// What a report shows.
pub struct Report<'a> {
    /// The page's title (the document's first heading).
    pub title: &'a str,
    pub lang: Lang,
    pub schema: &'a Schema,
    /// The findings (`check` diagnostics), in the order to list them.
    pub findings: &'a [Diagnostic],
    /// The documents' text, to quote the line each finding points at.
    pub sources: &'a Sources,
    /// The ERD as SVG (Graphviz output); `None` leaves the picture out.
    pub erd_svg: Option<&'a str>,
    /// Why the picture is missing, when it is.
    pub erd_note: Option<&'a str>,
    /// The drift from a live database, when one was compared.
    pub drift: Option<&'a Drift>,
}

/// Where a live database and the document differ, and the plan that would close the gap.
#[derive(Debug, Clone, Default)]
pub struct Drift {
    /// The database, as a URL without its password.
    pub database: String,
    /// What differs, by table (or object group).
    pub differences: Vec<Difference>,
    /// The statements that bring the database to the document.
    pub statements: Vec<PlannedStatement>,
    /// What the plan leaves out or notes (skipped objects, document errors left out).
    pub notes: Vec<String>,
}

/// One difference between the database and the document.
#[derive(Debug, Clone)]
pub struct Difference {
    /// The table it concerns (linked when the document has it), or a group such as `(schema)`.
    pub table: String,
    pub description: String,
}

/// One statement of a plan, with why it is there and what could go wrong.
#[derive(Debug, Clone)]
pub struct PlannedStatement {
    pub sql: String,
    pub reason: String,
    /// Hazards as `(kind, description)`: `("data loss", "2 non-null values in users.nickname")`.
    pub hazards: Vec<(String, String)>,
}

/// Labels in the report's language.
#[derive(Clone, Copy)]
pub(crate) struct Words(Lang);

impl Words {
    pub(crate) fn pick(self, en: &'static str, ko: &'static str) -> &'static str {
        match self.0 {
            Lang::En => en,
            Lang::Ko => ko,
        }
    }

    /// `n` and what is counted: `1 table`, `2 tables`, `2 테이블`.
    pub(crate) fn count(self, n: usize, one: &str, many: &str, ko: &str) -> String {
        match (self.0, n) {
            (Lang::En, 1) => format!("1 {one}"),
            (Lang::En, _) => format!("{n} {many}"),
            (Lang::Ko, _) => format!("{n} {ko}"),
        }
    }
}

/// The report with what its parts look up more than once: which findings concern which table,
/// and which foreign keys point at each table.
pub(crate) struct Page<'a> {
    pub r: &'a Report<'a>,
    pub w: Words,
    /// Per table (by position), the positions of the findings that name it.
    pub findings_of: Vec<Vec<usize>>,
    /// Per finding, the positions of the tables it names.
    pub tables_of: Vec<Vec<usize>>,
    /// Per table, the foreign keys that reference it: (referencing table, its foreign key).
    pub incoming: Vec<Vec<(usize, usize)>>,
    /// Per table, per foreign key, the position of the referenced table when the schema has it.
    pub targets: Vec<Vec<Option<usize>>>,
    /// Per table, the positions in [`Schema::indexes`] of its indexes.
    pub indexes: Vec<Vec<usize>>,
}

impl<'a> Page<'a> {
    fn new(r: &'a Report<'a>) -> Self {
        let tables = &r.schema.tables;
        // A finding concerns the tables it names as a whole word (as on `doc`'s pages). Names of
        // word characters only are looked up word by word; others are searched for.
        let is_word = |c: char| c.is_alphanumeric() || c == '_';
        let mut by_word: BTreeMap<String, Vec<usize>> = BTreeMap::new();
        let mut other_names: Vec<(usize, String)> = Vec::new();
        for (t, table) in tables.iter().enumerate() {
            let name = table.name.to_lowercase();
            if name.is_empty() {
                continue;
            }
            if name.chars().all(is_word) {
                by_word.entry(name).or_default().push(t);
            } else {
                other_names.push((t, name));
            }
        }
        let mut findings_of = vec![Vec::new(); tables.len()];
        let mut tables_of = Vec::with_capacity(r.findings.len());
        for (i, d) in r.findings.iter().enumerate() {
            let message = d.message.to_lowercase();
            let mut named: Vec<usize> = message
                .split(|c: char| !is_word(c))
                .filter_map(|w| by_word.get(w))
                .flatten()
                .copied()
                .chain(other_names.iter().filter(|(_, n)| crate::docs::mentions_lower(&message, n)).map(|(t, _)| *t))
                .collect();
            named.sort_unstable();
            named.dedup();
            for &t in &named {
                findings_of[t].push(i);
            }
            tables_of.push(named);
        }
        let mut incoming = vec![Vec::new(); tables.len()];
        let mut targets = Vec::with_capacity(tables.len());
        let mut resolved: BTreeMap<&str, Option<usize>> = BTreeMap::new();
        for (t, table) in tables.iter().enumerate() {
            let mut row = Vec::with_capacity(table.foreign_keys.len());
            for (f, fk) in table.foreign_keys.iter().enumerate() {
                // Many keys reference the same few tables: each reference is resolved once.
                let target =
                    *resolved.entry(fk.ref_table.as_str()).or_insert_with(|| r.schema.table_position(&fk.ref_table));
                if let Some(target) = target {
                    incoming[target].push((t, f));
                }
                row.push(target);
            }
            targets.push(row);
        }
        let mut indexes = vec![Vec::new(); tables.len()];
        for (x, index) in r.schema.indexes.iter().enumerate() {
            let table = *resolved.entry(index.table.as_str()).or_insert_with(|| r.schema.table_position(&index.table));
            if let Some(t) = table {
                indexes[t].push(x);
            }
        }
        Page { r, w: Words(r.lang), findings_of, tables_of, incoming, targets, indexes }
    }
}

/// The report as one HTML page.
pub fn report(r: &Report) -> String {
    let page = Page::new(r);
    let w = page.w;
    let mut out = String::with_capacity(64 * 1024 + r.erd_svg.map_or(0, str::len));
    let _ = write!(
        out,
        "<!DOCTYPE html>\n<html lang=\"{}\">\n<head>\n<meta charset=\"utf-8\">\n\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
         <meta name=\"generator\" content=\"schemadoc\">\n<title>{}</title>\n<style>\n{STYLE}</style>\n</head>\n<body>\n",
        w.pick("en", "ko"),
        esc_line(r.title)
    );
    let _ = writeln!(out, "<header class=\"top\">\n<h1>{}</h1>", esc_line(r.title));
    out.push_str(&summary(r, w));
    out.push_str("</header>\n<div class=\"layout\">\n");
    out.push_str(&sections::sidebar(&page));
    out.push_str("<main>\n");
    out.push_str(&sections::erd(&page));
    out.push_str(&sections::findings(&page));
    if let Some(drift) = r.drift {
        out.push_str(&sections::drift(drift, &page));
    }
    let _ = writeln!(
        out,
        "<section id=\"tables\">\n<h2>{}</h2>\n<p id=\"no-match\" class=\"note\" hidden>{}</p>",
        w.pick("Tables", "테이블"),
        w.pick("No table matches the search.", "검색과 일치하는 테이블이 없다.")
    );
    for i in 0..r.schema.tables.len() {
        out.push_str(&table::section(&page, i));
    }
    out.push_str("</section>\n</main>\n</div>\n");
    let _ = write!(out, "<script>\n{SCRIPT}</script>\n</body>\n</html>\n");
    out
}

/// The line under the title: how many tables and columns, and the findings by severity.
fn summary(r: &Report, w: Words) -> String {
    let columns: usize = r.schema.tables.iter().map(|t| t.columns.len()).sum();
    let count = |s: Severity| r.findings.iter().filter(|d| d.severity == s).count();
    let mut out = format!(
        "<p class=\"summary\"><span>{}</span> <span>{}</span> <a href=\"#findings\"><span class=\"sev error\">{}</span> <span class=\"sev warning\">{}</span> <span class=\"sev info\">{}</span></a>",
        w.count(r.schema.tables.len(), "table", "tables", "테이블"),
        w.count(columns, "column", "columns", "컬럼"),
        w.count(count(Severity::Error), "error", "errors", "오류"),
        w.count(count(Severity::Warning), "warning", "warnings", "경고"),
        w.count(count(Severity::Info), "note", "notes", "정보"),
    );
    if let Some(d) = r.drift {
        let _ = write!(
            out,
            " <a href=\"#drift\"><span class=\"sev {}\">{}</span></a>",
            if d.differences.is_empty() { "ok" } else { "warning" },
            if d.differences.is_empty() {
                w.pick("database in sync", "데이터베이스 일치").to_string()
            } else {
                w.count(
                    d.differences.len(),
                    "difference from the database",
                    "differences from the database",
                    "건 데이터베이스와 차이",
                )
            }
        );
    }
    out.push_str("</p>\n");
    out
}
