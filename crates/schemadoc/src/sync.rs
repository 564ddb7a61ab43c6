//! `schemadoc sync`: rewrites the generated regions of each document from the schema of all of
//! them, the regions' own (possibly stale) content left out of the reading.

use anyhow::{bail, Context, Result};
use extract::{Options, SourceFile};
use std::fmt::Write as _;

/// What `sync` did, to print.
pub struct Report {
    pub text: String,
    /// Whether any region was (or, with `--check`, would be) rewritten.
    pub stale: bool,
}

pub fn run(
    files: Vec<SourceFile>,
    options: &Options,
    input: &super::Input,
    erd_blocks: bool,
    check: bool,
) -> Result<Report> {
    // Find every region first: a malformed marker stops everything before any file is written.
    let mut found = Vec::with_capacity(files.len());
    let mut problems = Vec::new();
    for file in &files {
        let (regions, p) = render::sync::regions(&file.name, &file.text, erd_blocks);
        problems.extend(p);
        found.push(regions);
    }
    if !problems.is_empty() {
        let mut sources = render::Sources::default();
        for f in &files {
            sources.insert(f.name.clone(), f.text.clone());
        }
        eprint!("{}", render::human(&problems, &sources, false));
        bail!("the generated regions above cannot be written; nothing was changed");
    }
    let blanked: Vec<SourceFile> = files
        .iter()
        .zip(&found)
        .map(|(f, r)| SourceFile { name: f.name.clone(), text: render::sync::blank_regions(&f.text, r) })
        .collect();
    let extraction = extract::extract(&blanked, options);
    let schema = super::ordered(extraction.schema);
    let engine = dialect::engine(super::output_engine_for(input, extraction.dialect)?);
    let target = super::export_target(engine.kind());
    let sql = |s: &model::Schema| render::sql_script(&engine.create_schema(s), engine);
    let prisma = |s: &model::Schema| render::export::prisma(s, target).text;
    let sqlalchemy = |s: &model::Schema| render::export::sqlalchemy(s).text;
    let writers = render::sync::Writers { sql: &sql, prisma: &prisma, sqlalchemy: &sqlalchemy };

    let mut text = String::new();
    let mut stale = false;
    let mut writes = Vec::new();
    let mut problems = Vec::new();
    for (file, regions) in files.iter().zip(&found) {
        if regions.is_empty() {
            continue;
        }
        let (new, outcomes, p) = render::sync::sync(&file.name, &file.text, regions, &schema, &writers);
        problems.extend(p);
        for o in outcomes.iter().filter(|o| o.stale) {
            let verb = if check { "is stale" } else { "rewritten" };
            let _ = writeln!(text, "{}:{}: generated region `{}` {verb}", file.name, o.line, o.kind);
        }
        let changed = outcomes.iter().filter(|o| o.stale).count();
        if changed > 0 {
            stale = true;
            writes.push((file.name.clone(), new));
        } else {
            let _ = writeln!(
                text,
                "{}: {} generated region{} up to date",
                file.name,
                outcomes.len(),
                plural(outcomes.len())
            );
        }
    }
    if !problems.is_empty() {
        let mut sources = render::Sources::default();
        for f in &files {
            sources.insert(f.name.clone(), f.text.clone());
        }
        eprint!("{}", render::human(&problems, &sources, false));
        bail!("the generated regions above cannot be written; nothing was changed");
    }
    if found.iter().all(Vec::is_empty) {
        let _ = writeln!(
            text,
            "no generated regions: mark one with `<!-- schemadoc:generated erd -->` … `<!-- schemadoc:generated-end -->`, \
             or pass --erd-blocks"
        );
    }
    if !check {
        for (name, new) in writes {
            write_atomically(&name, &new)?;
        }
    }
    Ok(Report { text, stale })
}

fn plural(n: usize) -> &'static str {
    if n == 1 {
        ""
    } else {
        "s"
    }
}

/// Replaces `path` with `text` through a file beside it, so that an interruption never leaves a
/// half-written document.
fn write_atomically(path: &str, text: &str) -> Result<()> {
    let target = std::path::Path::new(path);
    let dir = target.parent().filter(|d| !d.as_os_str().is_empty()).unwrap_or(std::path::Path::new("."));
    let name = target.file_name().context("a document path names a file")?.to_string_lossy();
    let temp = dir.join(format!(".{name}.schemadoc-sync"));
    std::fs::write(&temp, text).with_context(|| format!("cannot write `{}`", temp.display()))?;
    if let Ok(meta) = std::fs::metadata(target) {
        let _ = std::fs::set_permissions(&temp, meta.permissions());
    }
    std::fs::rename(&temp, target).with_context(|| format!("cannot replace `{path}`"))
}
