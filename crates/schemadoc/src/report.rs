//! `schemadoc report`: one self-contained HTML page of the design, with its ERD drawn by Graphviz
//! when it is installed and, with `--db`, the drift from a live database.

use crate::config::Config;
use crate::{control, graphviz, live, progress};
use anyhow::{bail, Context, Result};
use extract::{Extraction, SourceFile};
use model::{Diagnostic, Schema};
use render::docs::Lang;
use render::html::{Difference, Drift, PlannedStatement};
use std::io::Write as _;
use std::path::Path;

/// What was written, to print.
pub struct Written {
    pub tables: usize,
    pub findings: usize,
    /// The differences from the database, when one was compared.
    pub differences: Option<usize>,
    /// Why the diagram was left out, when it was.
    pub warning: Option<String>,
}

impl Written {
    /// `6 tables, 1 finding, 13 differences from the database`.
    pub fn summary(&self) -> String {
        let n = |n: usize, what: &str| format!("{n} {what}{}", if n == 1 { "" } else { "s" });
        let mut text = format!("{}, {}", n(self.tables, "table"), n(self.findings, "finding"));
        if let Some(d) = self.differences {
            text.push_str(&format!(", {} from the database", n(d, "difference")));
        }
        text
    }
}

/// The page's language: `--lang`, else the documents'.
pub fn lang(arg: Option<&str>, files: &[SourceFile]) -> Result<Lang> {
    Ok(match arg {
        Some("ko") => Lang::Ko,
        Some("en") => Lang::En,
        Some(other) => bail!("--lang `{other}`: expected ko or en"),
        None => Lang::of(&files.iter().map(|f| f.text.as_str()).collect::<String>()),
    })
}

/// The page's title: the first document's first `# ` heading.
pub fn title(files: &[SourceFile]) -> String {
    files
        .iter()
        .find_map(|f| f.text.lines().find_map(|l| l.strip_prefix("# ")).map(|t| t.trim().to_string()))
        .unwrap_or_else(|| "Schema".to_string())
}

/// What a report is made of.
pub struct Input<'a> {
    pub files: &'a [SourceFile],
    pub extraction: &'a Extraction,
    /// The schema to show: the extraction's, its tables in output order.
    pub schema: &'a Schema,
    pub findings: &'a [Diagnostic],
    pub config: &'a Config,
    pub rules: &'a [model::RuleInfo],
    pub db: Option<&'a str>,
    pub lang: Lang,
}

/// Writes the report to `path` (whole or not at all).
pub fn write(input: &Input, path: &Path) -> Result<Written> {
    // A page that cannot be written is said before any work (or connection) is done.
    writable(path)?;
    let drift = match input.db {
        Some(url) => Some(drift(input, url)?),
        None => None,
    };
    let (svg, warning) = diagram(input.files, input.schema);
    let note = warning.as_deref().map(|w| match input.lang {
        Lang::Ko => format!("다이어그램 없음: {w}"),
        Lang::En => format!("No diagram: {w}"),
    });
    let mut sources = render::Sources::new();
    for f in input.files {
        sources.insert(f.name.clone(), f.text.clone());
    }
    let title = title(input.files);
    let html = render::html::report(&render::html::Report {
        title: &title,
        lang: input.lang,
        schema: input.schema,
        findings: input.findings,
        sources: &sources,
        erd_svg: svg.as_deref(),
        erd_note: note.as_deref(),
        drift: drift.as_ref(),
    });
    save(path, html.as_bytes())?;
    Ok(Written {
        tables: input.schema.tables.len(),
        findings: input.findings.len(),
        differences: drift.map(|d| d.differences.len()),
        warning,
    })
}

/// The ERD as SVG, or why there is none (Graphviz missing or failing is not fatal: the page is
/// written without the picture).
fn diagram(files: &[SourceFile], schema: &Schema) -> (Option<String>, Option<String>) {
    if schema.tables.is_empty() {
        return (None, None);
    }
    if !graphviz::available() {
        return (
            None,
            Some(
                "Graphviz `dot` is not installed (Debian/Ubuntu: `apt-get install graphviz fonts-noto-cjk`, \
                 macOS: `brew install graphviz`)"
                    .to_string(),
            ),
        );
    }
    let sections = extract::sections::table_sections(files, schema);
    let groups = render::erd::groups(schema, render::erd::GroupBy::Auto, &sections);
    let graph = render::erd::dot(schema, &render::erd::DotOptions { groups, title: None });
    match progress::while_drawing(schema.tables.len(), || graphviz::render(&graph, graphviz::Picture::Svg)) {
        Ok(bytes) => match String::from_utf8(bytes) {
            Ok(svg) => (Some(svg), None),
            Err(_) => (None, Some("Graphviz `dot` wrote a picture that is not UTF-8".to_string())),
        },
        Err(e) => (None, Some(format!("{e:#}"))),
    }
}

/// Compares the database at `url` with the document, as `schemadoc drift` does (reading only), and
/// the plan that would close the gap, with its hazards measured.
fn drift(input: &Input, url: &str) -> Result<Drift> {
    // The database is compared with what `apply --allow-errors` would make of the document.
    let mut extraction = input.extraction.clone();
    let left_out =
        control::gate(input.files, &mut extraction, input.config, &control::Control::default(), input.rules, true)?
            .unwrap_or_default();
    let mut session = live::open(url, Some(&extraction.schema), true)?;
    // Migration tools' bookkeeping and the configuration's `exclude` patterns are not drift.
    let exclusions = dialect::exclude::Exclusions::new(&input.config.exclude);
    let mut m = live::migration(session.as_mut(), &extraction, &[], false, &exclusions)?;
    m.changes.changes.extend(dialect::missing_declared_tables(&m.live, &extraction.schema));
    m.left_out = left_out;
    let differences = differences(&live::drift_json(&m.changes))?;
    let statements = m
        .plan
        .statements
        .iter()
        .enumerate()
        .map(|(i, s)| PlannedStatement {
            sql: render::terminated(&s.sql),
            reason: s.reason.clone(),
            hazards: m
                .measured
                .iter()
                .filter(|h| h.statement == i)
                .map(|h| (hazard_kind(h.kind), h.describe()))
                .collect(),
        })
        .collect();
    let mut notes: Vec<String> =
        control::left_out_lines(&m.left_out).into_iter().map(|l| format!("document error, {l}")).collect();
    notes.extend(m.plan.skipped.iter().map(|s| format!("skipped: {}: {} ({})", s.object, s.reason, s.origin)));
    notes.extend(m.plan.notes.iter().map(|n| format!("note: {}: {} ({})", n.object, n.note, n.origin)));
    Ok(Drift { database: session.url().to_string(), differences, statements, notes })
}

/// The differences `schemadoc drift --format json` lists, as (table, description).
fn differences(json: &str) -> Result<Vec<Difference>> {
    let value: serde_json::Value = serde_json::from_str(json).context("reading the drift")?;
    let changes = value.get("changes").and_then(|c| c.as_array()).cloned().unwrap_or_default();
    Ok(changes
        .iter()
        .map(|c| Difference {
            table: c.get("table").and_then(|t| t.as_str()).unwrap_or_default().to_string(),
            description: c.get("description").and_then(|t| t.as_str()).unwrap_or_default().to_string(),
        })
        .collect())
}

/// A hazard's kind in words: `data_loss` → `data loss`.
fn hazard_kind(kind: dialect::HazardKind) -> String {
    serde_json::to_value(kind).ok().and_then(|v| v.as_str().map(|s| s.replace('_', " "))).unwrap_or_default()
}

/// The folder `path` is written in and its file name, when the folder exists.
fn writable(path: &Path) -> Result<(&Path, &std::ffi::OsStr)> {
    let dir = match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    };
    let name = path.file_name().with_context(|| format!("cannot write `{}`: it names no file", path.display()))?;
    if !dir.is_dir() {
        bail!("cannot write `{}`: the folder `{}` does not exist", path.display(), dir.display());
    }
    Ok((dir, name))
}

/// Writes `bytes` to `path` whole or not at all: into a temporary file beside it, then renamed.
fn save(path: &Path, bytes: &[u8]) -> Result<()> {
    let (dir, name) = writable(path)?;
    let temporary = dir.join(format!(".{}.{}.tmp", name.to_string_lossy(), std::process::id()));
    let result = std::fs::File::create(&temporary)
        .and_then(|mut f| f.write_all(bytes).and_then(|_| f.sync_all()))
        .and_then(|_| std::fs::rename(&temporary, path));
    if let Err(e) = result {
        let _ = std::fs::remove_file(&temporary);
        return Err(e).with_context(|| format!("cannot write `{}`", path.display()));
    }
    Ok(())
}
