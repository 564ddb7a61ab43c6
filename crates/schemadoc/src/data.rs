//! `schemadoc load`: JSON files into the tables a document defines.

use anyhow::{bail, Result};
use data::{FieldMap, FileReport, LoadOptions, LoadReport, Outcome, TableMap};
use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::io::IsTerminal as _;
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(clap::Args)]
pub struct LoadArgs {
    /// The documents (markdown files or folders), then the JSON files to load (`*.json`, `*.jsonl`):
    /// arrays of objects, objects keyed by id, or JSON Lines.
    #[command(flatten)]
    pub input: crate::Input,
    #[command(flatten)]
    pub db: crate::Db,
    /// Where a field goes when its name does not say: `file.field=table.column`; repeatable.
    #[arg(long = "map", value_name = "FILE.FIELD=TABLE.COLUMN")]
    pub maps: Vec<String>,
    /// The table a file fills when its name does not say: `file=table`; repeatable.
    #[arg(long = "table", value_name = "FILE=TABLE")]
    pub tables: Vec<String>,
    /// Write the rows that fit and report the others, instead of writing nothing from such a file.
    #[arg(long)]
    pub skip_bad_rows: bool,
    /// Check every row and print what would be written, per table; write nothing.
    #[arg(long)]
    pub dry_run: bool,
    #[arg(long, value_enum, default_value_t = crate::PlanFormat::Text)]
    pub format: crate::PlanFormat,
    #[command(flatten)]
    pub backup: BackupArgs,
}

/// A backup before a change (`apply`, `load`).
#[derive(clap::Args)]
pub struct BackupArgs {
    /// Back the database up into DIR first (SQLite: a consistent copy; PostgreSQL, MySQL: a dump),
    /// as `<db>_YYYY-MM-DD_HH-MM-SS_before_<command>`; default: the configuration's `backup`.
    #[arg(long, value_name = "DIR")]
    pub backup: Option<PathBuf>,
    /// Keep only the N newest backups of this database in DIR.
    #[arg(long, value_name = "N")]
    pub keep: Option<usize>,
}

/// `schemadoc restore BACKUP --db URL`.
#[derive(clap::Args)]
pub struct RestoreArgs {
    /// A backup `apply --backup` or `load --backup` wrote.
    pub backup: PathBuf,
    #[command(flatten)]
    pub db: crate::Db,
}

/// Takes the backup `args` (or the configuration) asks for before `command`; prints where it went.
pub fn backup_before(
    url: &str,
    args: &BackupArgs,
    config: &crate::config::Config,
    command: &str,
) -> Result<Option<PathBuf>> {
    let Some(dir) = args.backup.clone().or_else(|| config.backup.clone()) else {
        if args.keep.is_some() {
            bail!("--keep needs a folder to prune: add `--backup DIR` (or `backup = \"DIR\"` in schemadoc.toml)");
        }
        return Ok(None);
    };
    let path = data::backup::backup_before(url, &dir, command, args.keep)?;
    match &path {
        Some(p) => eprintln!("backed up {} to {}", dialect::redact(url), p.display()),
        None => eprintln!("nothing to back up: {} does not exist yet", dialect::redact(url)),
    }
    Ok(path)
}

/// Notes the backup on the latest `schemadoc_history` row; a failure to do so is a warning.
pub fn note_backup(url: &str, path: &std::path::Path) {
    let noted = dialect::connect_data(url).and_then(|mut s| dialect::backup::record_in_history(s.as_mut(), path));
    if let Err(e) = noted {
        eprintln!("warning: the backup was taken but not noted in schemadoc_history: {e}");
    }
}

pub fn restore(args: RestoreArgs) -> Result<ExitCode> {
    let url = crate::live::database_url(args.db.db.as_deref());
    if args.db.read_only {
        bail!("--read-only: `restore` replaces the database");
    }
    dialect::backup::restore(&url, &args.backup)?;
    eprintln!("restored {} from {}", dialect::redact(&url), args.backup.display());
    Ok(ExitCode::SUCCESS)
}

fn is_data_file(path: &std::path::Path) -> bool {
    matches!(path.extension().and_then(|e| e.to_str()), Some("json" | "jsonl" | "ndjson"))
}

pub fn load(mut args: LoadArgs, out: &mut impl std::io::Write) -> Result<ExitCode> {
    let (files, docs): (Vec<PathBuf>, Vec<PathBuf>) = args.input.docs.drain(..).partition(|p| is_data_file(p));
    if files.is_empty() {
        bail!("no JSON files to load: name them after the documents (`schemadoc load design.md --db URL data/users.json`)");
    }
    if docs.is_empty() {
        bail!("no document names the tables: put the markdown document before the JSON files");
    }
    args.input.docs = docs;
    let (_, extraction) = crate::read(&args.input, true)?;
    let options = LoadOptions {
        fields: args.maps.iter().map(|m| FieldMap::parse(m)).collect::<Result<_, _>>()?,
        tables: args.tables.iter().map(|t| TableMap::parse(t)).collect::<Result<_, _>>()?,
        skip_bad_rows: args.skip_bad_rows,
        dry_run: args.dry_run,
    };
    let url = crate::live::database_url(args.db.db.as_deref());
    if args.db.read_only && !args.dry_run {
        bail!("--read-only: `load` writes to the database; add `--dry-run` to only check the files");
    }
    let config = crate::config(&args.input)?;
    if !args.dry_run {
        backup_before(&url, &args.backup, &config, "load")?;
    }
    let mut session = dialect::connect_data(&url)?;
    let started = std::time::Instant::now();
    let report = data::load(session.as_mut(), &extraction.schema, &files, &options)?;
    let elapsed = started.elapsed();
    match args.format {
        crate::PlanFormat::Json => crate::write_out(out, &format!("{}\n", serde_json::to_string_pretty(&report)?))?,
        crate::PlanFormat::Text => {
            eprint!("{}", problems_text(&report));
            crate::write_out(out, &summary_text(&report, session.url(), args.dry_run, elapsed))?;
        }
    }
    let failed = report.files.iter().any(|f| matches!(f.outcome, Outcome::Failed { .. }));
    Ok(if failed {
        ExitCode::from(2)
    } else if report.clean() {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    })
}

/// `users.json[12]`, or `sessions.json["959413a3…"]` in a file keyed by id.
fn place(file: &FileReport, index: u64, key: Option<&str>) -> String {
    match key {
        Some(k) => format!("{}[{}]", file.path.display(), serde_json::Value::from(k)),
        None => format!("{}[{index}]", file.path.display()),
    }
}

/// Every row that does not fit, rustc-style.
pub fn problems_text(report: &LoadReport) -> String {
    let mut s = String::new();
    for file in &report.files {
        for p in &file.problems {
            let _ = writeln!(s, "error: {}", p.message);
            let field = p.field.as_deref().map(|f| format!(", field `{f}`")).unwrap_or_default();
            let _ = writeln!(s, "  --> {}{field}", place(file, p.index, p.key.as_deref()));
            if let Some(c) = &p.column {
                let _ = writeln!(s, "   = note: column `{c}`");
            }
            if let Some(h) = &p.help {
                let _ = writeln!(s, "   = help: {h}");
            }
            s.push('\n');
        }
        if file.bad_rows as usize > file.problems.len() {
            let _ = writeln!(
                s,
                "note: {}: only the first {} problems are shown\n",
                file.path.display(),
                file.problems.len()
            );
        }
        if let Outcome::Failed { message } = &file.outcome {
            let _ = writeln!(s, "error: {}: {message}\n", file.path.display());
        }
    }
    s
}

/// One line per file, then rows per table.
pub fn summary_text(report: &LoadReport, url: &str, dry_run: bool, elapsed: std::time::Duration) -> String {
    let mut s = String::new();
    let mut per_table: BTreeMap<&str, u64> = BTreeMap::new();
    for f in &report.files {
        let name = f.path.display();
        let resumed =
            if f.resumed > 0 { format!(" (resumed after {} committed earlier)", f.resumed) } else { String::new() };
        let line = match &f.outcome {
            Outcome::Written if f.bad_rows > 0 => {
                format!("{} rows written, {} left out (--skip-bad-rows){resumed}", f.rows, f.bad_rows)
            }
            Outcome::Written => format!("{} rows written{resumed}", f.rows),
            Outcome::Checked => format!("{} rows fit, {} do not", f.rows, f.bad_rows),
            Outcome::Refused => format!(
                "nothing written: {} of {} rows do not fit (fix them, or pass --skip-bad-rows to write the others)",
                f.bad_rows, f.records
            ),
            Outcome::Failed { .. } => "failed; nothing written from it".to_string(),
        };
        let _ = writeln!(s, "{name} → {}: {line}", f.table);
        for (field, n) in &f.unmapped {
            let _ = writeln!(
                s,
                "  warning: field `{field}` ({n} rows) goes to no column of `{}`; map it with `--map {}.{field}={}.COLUMN`",
                f.table,
                stem(&f.path),
                f.table
            );
        }
        *per_table.entry(&f.table).or_default() += f.rows;
    }
    if dry_run {
        let _ = writeln!(s, "\ndry run: nothing was written to {url}; rows per table:");
        for (t, n) in per_table {
            let _ = writeln!(s, "  {t}: {n}");
        }
    } else {
        let total: u64 = report.files.iter().filter(|f| f.outcome == Outcome::Written).map(|f| f.rows).sum();
        let secs = elapsed.as_secs_f64().max(1e-6);
        let _ = writeln!(s, "\nloaded {total} rows into {url} in {secs:.2} s ({:.0} rows/s)", total as f64 / secs);
    }
    s
}

fn stem(path: &std::path::Path) -> String {
    path.file_name().map(|n| n.to_string_lossy().split('.').next().unwrap_or_default().to_string()).unwrap_or_default()
}

/// `schemadoc copy --from URL --to URL [DOC…]`.
#[derive(clap::Args)]
pub struct CopyArgs {
    /// Documents whose schema the target gets (default: the source's own, as inspected).
    pub docs: Vec<PathBuf>,
    /// The database to copy from (read only).
    #[arg(long, value_name = "URL")]
    pub from: String,
    /// The database to copy into: its tables are created (or extended) first, and must be empty.
    #[arg(long, value_name = "URL")]
    pub to: String,
    #[command(flatten)]
    pub backup: BackupArgs,
}

pub fn copy(args: CopyArgs, out: &mut impl std::io::Write) -> Result<ExitCode> {
    let document = if args.docs.is_empty() {
        None
    } else {
        let input = crate::Input {
            docs: args.docs.clone(),
            dialect: None,
            prefer: Vec::new(),
            section: Vec::new(),
            exclude_section: Vec::new(),
            config: None,
            no_config: false,
        };
        Some(crate::read(&input, true)?.1.schema)
    };
    let job = data::copy::plan_copy(&args.from, &args.to, document.as_ref())?;
    if !job.fresh {
        let config = match args.docs.is_empty() {
            true => crate::config::Config::default(),
            false => crate::config::for_documents(&args.docs, None, false)?,
        };
        backup_before(&args.to, &args.backup, &config, "copy")?;
    }
    let bar = std::io::stderr().is_terminal().then(|| {
        let bar = indicatif::ProgressBar::new_spinner();
        let style = indicatif::ProgressStyle::with_template("{spinner} {msg}: {human_pos} rows ({per_sec})");
        if let Ok(style) = style {
            bar.set_style(style);
        }
        bar
    });
    let mut current = String::new();
    let mut progress = |table: &str, rows: u64| {
        if let Some(bar) = &bar {
            if table != current {
                current = table.to_string();
                bar.reset();
                bar.set_message(current.clone());
            }
            bar.set_position(rows);
        }
    };
    let outcome = data::copy::run_copy(&job, &mut progress);
    if let Some(bar) = &bar {
        bar.finish_and_clear();
    }
    let outcome = outcome?;
    let mut text = String::new();
    for c in &outcome.tables {
        let mark = if c.verified() { "ok" } else { "MISMATCH" };
        let resumed = if c.resumed { " (copied by the interrupted copy)" } else { "" };
        let _ = writeln!(
            text,
            "{}: {} rows copied, {} in the target, checksum {} / {}: {mark}{resumed}",
            c.table, c.source_rows, c.target_rows, c.source_checksum, c.target_checksum
        );
    }
    let rows = outcome.rows();
    let _ = writeln!(
        text,
        "\ncopied {rows} rows of {} tables from {} to {} in {:.2} s ({:.0} rows/s); keys and indexes {:.2} s; verified in {:.2} s",
        outcome.tables.len(),
        dialect::redact(&args.from),
        dialect::redact(&args.to),
        outcome.copy_seconds,
        rows as f64 / outcome.copy_seconds.max(1e-6),
        outcome.constraints_seconds,
        outcome.verify_seconds
    );
    crate::write_out(out, &text)?;
    Ok(if outcome.verified() { ExitCode::SUCCESS } else { ExitCode::from(1) })
}
