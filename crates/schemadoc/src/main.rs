//! `schemadoc`: makes a markdown design document the source of truth for a database schema.

mod config;
mod control;
mod data;
mod doc;
mod graphviz;
mod live;
mod progress;
mod report;
mod sync;

use anyhow::{bail, Context, Result};
use clap::{Parser, Subcommand, ValueEnum};
use extract::scan::SqlFlavor;
use extract::{Extraction, Options, SourceFile};
use model::{Notation, Severity};
use render::Sources;
use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

#[derive(Parser)]
#[command(name = "schemadoc", version, about = "Compile markdown schema documents into one checked, canonical schema")]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Report every contradiction, dangling reference and design flaw, like a compiler.
    Check {
        #[command(flatten)]
        input: Input,
        #[arg(long, value_enum, default_value_t = CheckFormat::Human)]
        format: CheckFormat,
        #[command(flatten)]
        control: control::Control,
        /// Colour the output: auto (when a terminal), always, never.
        #[arg(long, value_enum, default_value_t = Color::Auto)]
        color: Color,
    },
    /// Print the canonical schema as JSON, SQL DDL for an engine, or an ERD (Mermaid, DOT, SVG, PNG).
    Show {
        #[command(flatten)]
        input: Input,
        #[arg(long, value_enum, default_value_t = ShowFormat::Json)]
        format: ShowFormat,
        #[command(flatten)]
        diagram: Diagram,
    },
    /// Read a live database into the canonical model.
    Inspect {
        #[command(flatten)]
        db: Db,
        #[arg(long, value_enum, default_value_t = InspectFormat::Json)]
        format: InspectFormat,
        /// Only these database schemas (namespaces); repeatable.
        #[arg(long)]
        schema: Vec<String>,
        /// Only these tables; repeatable.
        #[arg(long)]
        table: Vec<String>,
    },
    /// Print the statements that bring the database to the document's schema, with reasons and hazards.
    Plan {
        #[command(flatten)]
        input: Input,
        #[command(flatten)]
        db: Db,
        #[command(flatten)]
        migrate: Migrate,
        #[arg(long, value_enum, default_value_t = PlanFormat::Text)]
        format: PlanFormat,
        #[command(flatten)]
        control: control::Control,
        /// Plan a document that has errors, leaving out what they concern (the plan lists it).
        #[arg(long)]
        allow_errors: bool,
        /// Also write the plan to FILE, with a fingerprint of the database it was made against,
        /// for `apply --plan FILE`.
        #[arg(long, value_name = "FILE")]
        out: Option<PathBuf>,
    },
    /// Bring the database to the document's schema: print the plan, then apply it.
    Apply {
        #[command(flatten)]
        input: Input,
        #[command(flatten)]
        db: Db,
        #[command(flatten)]
        migrate: Migrate,
        /// Allow statements that lose data (dropped tables or columns, narrowed types).
        #[arg(long)]
        allow_destructive: bool,
        #[command(flatten)]
        control: control::Control,
        /// Apply a document that has errors, leaving out what they concern (the plan lists it).
        #[arg(long)]
        allow_errors: bool,
        /// Print the plan and stop.
        #[arg(long)]
        dry_run: bool,
        /// Apply exactly the plan `plan --out FILE` wrote, refusing it if the database or the
        /// documents changed since.
        #[arg(long, value_name = "FILE")]
        plan: Option<PathBuf>,
        #[command(flatten)]
        backup: data::BackupArgs,
    },
    /// Report where the database and the document differ; exit 1 when they do.
    Drift {
        #[command(flatten)]
        input: Input,
        #[command(flatten)]
        db: Db,
        #[command(flatten)]
        migrate: Migrate,
        #[arg(long, value_enum, default_value_t = PlanFormat::Text)]
        format: PlanFormat,
    },
    /// Rewrite the document's generated regions (`<!-- schemadoc:generated KIND -->` …
    /// `<!-- schemadoc:generated-end -->`) from its schema, leaving everything else as it is.
    Sync {
        #[command(flatten)]
        input: Input,
        /// Change nothing; exit 1 when a region is stale (for CI and pre-commit hooks).
        #[arg(long)]
        check: bool,
        /// The notation to trust when notations disagree (sql, prisma, …): the regions follow it.
        #[arg(long)]
        from: Option<String>,
        /// Also rewrite every Mermaid `erDiagram` block outside the regions (keeping its tables).
        #[arg(long)]
        erd_blocks: bool,
    },
    /// Write documentation: a README index and one page per table (columns, keys, indexes,
    /// references in and out, findings, its neighbourhood diagram), in the document's language.
    #[command(mut_arg("docs", |a| a.required(false).required_unless_present("db")))]
    Doc {
        #[command(flatten)]
        input: Input,
        /// The folder to write the pages into.
        #[arg(short, long)]
        out: PathBuf,
        /// The pages' language: ko or en (default: the document's).
        #[arg(long)]
        lang: Option<String>,
        /// Document a live database instead (read only): sqlite://PATH, postgres://…, mysql://….
        #[arg(long, conflicts_with = "docs")]
        db: Option<String>,
    },
    /// Write one self-contained HTML page: a searchable table browser (columns, keys, indexes,
    /// references), the findings with their source lines, the ERD, and with --db the drift.
    Report {
        #[command(flatten)]
        input: Input,
        /// Also compare with this database (read only): sqlite://PATH, postgres://…, mysql://….
        #[arg(long)]
        db: Option<String>,
        /// The HTML file to write.
        #[arg(short, long)]
        out: PathBuf,
        /// The page's language: ko or en (default: the document's).
        #[arg(long)]
        lang: Option<String>,
    },
    /// Load JSON files into the tables the document defines (upserts, in dependency order).
    Load(data::LoadArgs),
    /// Replace the database with a backup `apply --backup` or `load --backup` took.
    Restore(data::RestoreArgs),
    /// Copy schema and rows from one database to another (SQLite to PostgreSQL, …), verified by counts and checksums.
    Copy(data::CopyArgs),
    /// List the rules, or explain one.
    Rules {
        /// A rule name, e.g. foreign-key-without-index.
        rule: Option<String>,
    },
}

#[derive(clap::Args)]
struct Input {
    /// Markdown documents, or folders to search for *.md files.
    #[arg(required = true)]
    docs: Vec<PathBuf>,
    /// The SQL dialect (postgres, mysql, sqlite; mssql for reading only): for `check`, read the
    /// document's SQL blocks in it; for `show --format sql`, write the output in it.
    #[arg(long)]
    dialect: Option<String>,
    /// Trust this notation first when notations disagree (sql, prisma, dbml, sqlalchemy, table, list, mermaid,
    /// catalog, box, relational);
    /// repeatable.
    #[arg(long)]
    prefer: Vec<String>,
    /// Read only the sections whose heading contains this text; repeatable.
    #[arg(long)]
    section: Vec<String>,
    /// Skip the sections whose heading contains this text; repeatable.
    #[arg(long)]
    exclude_section: Vec<String>,
    /// The configuration file (default: the nearest `schemadoc.toml`, or `pyproject.toml` with a
    /// `[tool.schemadoc]` section, walking up from the first document).
    #[arg(long, value_name = "FILE")]
    config: Option<PathBuf>,
    /// Read no configuration file.
    #[arg(long, conflicts_with = "config")]
    no_config: bool,
}

#[derive(clap::Args)]
struct Db {
    /// The database: sqlite://PATH, postgres://…, mysql://… (default: $DATABASE_URL, else sqlite://schemadoc.db).
    #[arg(long)]
    db: Option<String>,
    /// Open the database read-only so that nothing can change it (inspect, plan, drift and
    /// `apply --dry-run` always do; with `apply`, it refuses to change anything).
    #[arg(long)]
    read_only: bool,
}

#[derive(clap::Args)]
struct Migrate {
    /// Declare a rename so its data is kept: `table.old=new` (column) or `old=new` (table); repeatable.
    #[arg(long)]
    rename: Vec<String>,
    /// Build PostgreSQL indexes CONCURRENTLY and validate constraints (and NOT NULL) after the
    /// transaction, so that writes are not blocked while tables are scanned.
    #[arg(long)]
    online: bool,
    /// Leave alone the live tables whose name matches PATTERN (`*`, `?`; `schema.*`) unless the
    /// document defines them: never dropped, altered or reported as drift. Migration tools'
    /// bookkeeping tables (`alembic_version`, `_prisma_migrations`, …) always are; repeatable.
    #[arg(long, value_name = "PATTERN")]
    exclude: Vec<String>,
    /// How long each applied statement waits for a lock before giving up and being retried with
    /// backoff (default 2s; config `lock-timeout`).
    #[arg(long, value_name = "DURATION")]
    lock_timeout: Option<String>,
    /// How long each applied statement may run (default 30min, 0 for no limit; config
    /// `statement-timeout`).
    #[arg(long, value_name = "DURATION")]
    statement_timeout: Option<String>,
}

impl Migrate {
    /// The timeouts the flags, else the configuration, ask for.
    fn timeouts(&self, input: &Input) -> Result<dialect::Timeouts> {
        live::timeouts(self.lock_timeout.as_deref(), self.statement_timeout.as_deref(), &config(input)?)
    }
}

/// Which part of the schema an ERD shows, and how it is grouped (`show --format dot|svg|png|mermaid`).
#[derive(clap::Args)]
struct Diagram {
    /// Only these tables (and, with --depth, their neighbours); repeatable.
    #[arg(long = "table", alias = "around", value_name = "TABLE")]
    tables: Vec<String>,
    /// With --table: also the tables up to N foreign-key steps away, in either direction.
    #[arg(long, default_value_t = 0, value_name = "N")]
    depth: usize,
    /// Group the tables into boxes: auto (by schema, or by section for large diagrams), schema,
    /// section, none.
    #[arg(long, value_enum, default_value_t = GroupByArg::Auto)]
    group_by: GroupByArg,
    /// Only the tables of this group (a schema or a section, as --group-by says); repeatable.
    #[arg(long)]
    group: Vec<String>,
    /// Draw the groups and the references between them instead of the tables.
    #[arg(long)]
    overview: bool,
}

#[derive(Clone, Copy, ValueEnum)]
enum GroupByArg {
    Auto,
    Schema,
    Section,
    None,
}

#[derive(Clone, Copy, ValueEnum)]
enum InspectFormat {
    Json,
    Sql,
    Markdown,
}

#[derive(Clone, Copy, ValueEnum)]
enum PlanFormat {
    Text,
    Json,
}

#[derive(Clone, Copy, ValueEnum)]
enum CheckFormat {
    Human,
    /// One line per finding, `file:line:col: severity[rule]: message`, then counts per rule.
    Concise,
    Json,
    Sarif,
}

#[derive(Clone, Copy, ValueEnum)]
enum ShowFormat {
    Json,
    Sql,
    Mermaid,
    /// A Graphviz graph.
    Dot,
    /// A picture drawn by Graphviz `dot`.
    Svg,
    /// A picture drawn by Graphviz `dot`.
    Png,
    /// A Prisma schema (`--dialect` names the datasource provider).
    Prisma,
    /// SQLAlchemy 2.0 declarative models.
    Sqlalchemy,
    /// DBML, as dbdiagram.io reads it.
    Dbml,
    /// A PlantUML entity-relationship diagram.
    Plantuml,
}

#[derive(Clone, Copy, ValueEnum)]
enum Color {
    Auto,
    Always,
    Never,
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    match run(cli) {
        Ok(code) => code,
        Err(e) => {
            eprintln!("error: {e:#}");
            ExitCode::from(2)
        }
    }
}

fn run(cli: Cli) -> Result<ExitCode> {
    let mut out = std::io::stdout().lock();
    match cli.command {
        Command::Check { input, format, control, color } => {
            let (files, extraction) = read(&input, true)?;
            let rules = all_rules();
            let (policy, diagnostics) = control::reported(&files, &extraction, &config(&input)?, &control, &rules)?;
            let text = match format {
                CheckFormat::Human => {
                    let color = match color {
                        Color::Always => true,
                        Color::Never => false,
                        Color::Auto => std::io::stdout().is_terminal() && std::env::var_os("NO_COLOR").is_none(),
                    };
                    render::human(&diagnostics, &sources(&files), color)
                }
                CheckFormat::Concise => render::concise(&diagnostics),
                CheckFormat::Json => render::diagnostics_json(&diagnostics),
                CheckFormat::Sarif => render::sarif(&diagnostics, &rules, env!("CARGO_PKG_VERSION")),
            };
            write_out(&mut out, &text)?;
            Ok(if diagnostics.iter().any(|d| policy.fails(d)) { ExitCode::from(1) } else { ExitCode::SUCCESS })
        }
        Command::Show { input, format, diagram } => {
            // `--dialect` names the output's engine here; the document keeps its own SQL flavour.
            let (files, extraction) = read(&input, false)?;
            let errors = extraction.diagnostics.iter().filter(|d| d.severity == Severity::Error).count();
            if errors > 0 {
                eprintln!(
                    "warning: the document has {errors} error{}; run `schemadoc check` to see {}",
                    if errors == 1 { "" } else { "s" },
                    if errors == 1 { "it" } else { "them" }
                );
            }
            let text = match format {
                ShowFormat::Json => render::schema_json(&ordered(extraction.schema)),
                ShowFormat::Mermaid => render::mermaid(&select(&diagram, &files, ordered(extraction.schema))?.0),
                ShowFormat::Dot | ShowFormat::Svg | ShowFormat::Png => {
                    let (schema, groups) = select(&diagram, &files, ordered(extraction.schema))?;
                    let graph = if diagram.overview {
                        render::erd::overview(&schema, &groups, None)
                    } else {
                        render::erd::dot(&schema, &render::erd::DotOptions { groups, title: None })
                    };
                    let picture = match format {
                        ShowFormat::Svg => graphviz::Picture::Svg,
                        ShowFormat::Png => graphviz::Picture::Png,
                        _ => {
                            write_out(&mut out, &graph)?;
                            return Ok(ExitCode::SUCCESS);
                        }
                    };
                    if picture == graphviz::Picture::Png && std::io::stdout().is_terminal() {
                        bail!("a PNG picture is not for a terminal: redirect it to a file (`> erd.png`)");
                    }
                    // An overview draws a box per group: quick whatever the design's size.
                    let tables = if diagram.overview { 0 } else { schema.tables.len() };
                    write_bytes(&mut out, &progress::while_drawing(tables, || graphviz::render(&graph, picture))?)?;
                    return Ok(ExitCode::SUCCESS);
                }
                ShowFormat::Sql => {
                    let engine = dialect::engine(output_engine(&input, &extraction)?);
                    control::warn_foreign_types(engine, &extraction);
                    render::sql_script(&engine.create_schema(&extraction.schema), engine)
                }
                ShowFormat::Prisma => {
                    let target = export_target(output_engine(&input, &extraction)?);
                    exported(render::export::prisma(&ordered(extraction.schema), target))
                }
                ShowFormat::Sqlalchemy => exported(render::export::sqlalchemy(&ordered(extraction.schema))),
                ShowFormat::Dbml => exported(render::export::dbml(&ordered(extraction.schema))),
                ShowFormat::Plantuml => {
                    exported(render::export::plantuml(&select(&diagram, &files, ordered(extraction.schema))?.0))
                }
            };
            write_out(&mut out, &text)?;
            Ok(ExitCode::SUCCESS)
        }
        Command::Inspect { db, format, schema, table } => {
            let url = live::database_url(db.db.as_deref());
            // Reading never writes: the session is read-only whatever the flag says.
            let mut session = live::open(&url, None, true)?;
            let filter = dialect::InspectFilter { schemas: schema, tables: table };
            let inspected = session.inspect(&filter)?;
            for name in session.invalid_indexes(&filter)? {
                eprintln!("warning: {}", live::invalid_index_line(&name));
            }
            let format = match format {
                InspectFormat::Json => "json",
                InspectFormat::Sql => "sql",
                InspectFormat::Markdown => "markdown",
            };
            let engine = dialect::engine(session.kind());
            write_out(&mut out, &live::inspect_output(engine, &ordered(inspected), format, session.url()))?;
            Ok(ExitCode::SUCCESS)
        }
        Command::Plan { input, db, migrate, format, control, allow_errors, out: plan_out } => {
            let (files, mut extraction) = read(&input, true)?;
            let Some(left_out) =
                control::gate(&files, &mut extraction, &config(&input)?, &control, &all_rules(), allow_errors)?
            else {
                return Ok(ExitCode::from(1));
            };
            let url = live::database_url(db.db.as_deref());
            let mut session = live::open_with(&url, Some(&extraction.schema), true, migrate.timeouts(&input)?)?;
            control::warn_foreign_types(dialect::engine(session.kind()), &extraction);
            let exclusions = exclusions(&migrate, &config(&input)?);
            let mut m = live::migration(session.as_mut(), &extraction, &migrate.rename, migrate.online, &exclusions)?;
            m.left_out = left_out;
            let text = match format {
                PlanFormat::Text => live::plan_text(&m, session.url()),
                PlanFormat::Json => live::plan_json(&m),
            };
            write_out(&mut out, &text)?;
            if let Some(path) = plan_out {
                let file = live::plan_file(&m, session.kind(), &live::document_hash(&files));
                std::fs::write(&path, file).with_context(|| format!("cannot write `{}`", path.display()))?;
            }
            Ok(ExitCode::SUCCESS)
        }
        Command::Apply {
            input,
            db,
            migrate,
            allow_destructive,
            control,
            allow_errors,
            dry_run,
            plan: plan_path,
            backup,
        } => {
            let (files, mut extraction) = read(&input, true)?;
            let Some(left_out) =
                control::gate(&files, &mut extraction, &config(&input)?, &control, &all_rules(), allow_errors)?
            else {
                return Ok(ExitCode::from(1));
            };
            let url = live::database_url(db.db.as_deref());
            let read_only = db.read_only || dry_run;
            let plan_file: Option<live::PlanFile> = match &plan_path {
                Some(path) => {
                    let text =
                        std::fs::read_to_string(path).with_context(|| format!("cannot read `{}`", path.display()))?;
                    Some(serde_json::from_str(&text).with_context(|| {
                        format!("`{}` is not a plan file written by `schemadoc plan --out`", path.display())
                    })?)
                }
                None => None,
            };
            let mut session = live::open_with(&url, Some(&extraction.schema), read_only, migrate.timeouts(&input)?)?;
            control::warn_foreign_types(dialect::engine(session.kind()), &extraction);
            // The lock comes first: what is inspected, planned and measured is what gets applied.
            if !read_only {
                session.lock()?;
            }
            let exclusions = exclusions(&migrate, &config(&input)?);
            let mut m = live::migration(session.as_mut(), &extraction, &migrate.rename, migrate.online, &exclusions)?;
            m.left_out = left_out;
            if let Some(file) = &plan_file {
                live::use_plan_file(session.as_mut(), &mut m, file, &live::document_hash(&files))?;
            }
            write_out(&mut out, &live::plan_text(&m, session.url()))?;
            if m.plan.is_empty() || dry_run {
                session.unlock();
                return Ok(ExitCode::SUCCESS);
            }
            live::check_extensions(session.as_mut(), &m)?;
            let refusals = live::refusals(&m, allow_destructive);
            if !refusals.lines.is_empty() {
                eprintln!("error: refusing to apply: nothing was changed");
                for r in &refusals.lines {
                    eprintln!("  - {r}");
                }
                if !refusals.rename_flags.is_empty() {
                    eprintln!(
                        "help: if those are renames, declare them: `{}`, or in the document \
                         `<!-- schemadoc:renamed from=table.old to=table.new -->`",
                        refusals.rename_flags.join(" ")
                    );
                }
                if refusals.would_fail {
                    eprintln!("help: fix those rows first (or change the document), then apply again");
                }
                if refusals.acceptable {
                    eprintln!("help: review the plan; pass `--allow-destructive` to accept losing that data");
                }
                session.unlock();
                return Ok(ExitCode::from(1));
            }
            let taken = data::backup_before(&url, &backup, &config(&input)?, "apply")?;
            let report = session.apply(&m.plan, &live::document_hash(&files))?;
            if let Some(path) = &taken {
                data::note_backup(&url, path);
            }
            if report.interrupted > 0 {
                eprintln!(
                    "note: {} earlier apply(s) had stopped before finishing (recorded as interrupted in \
                     schemadoc_history); this plan was made from what they left",
                    report.interrupted
                );
            }
            for retry in &report.retries {
                eprintln!("note: {retry}");
            }
            eprintln!("applied {} statement(s) to {}", report.executed.len(), session.url());
            Ok(ExitCode::SUCCESS)
        }
        Command::Drift { input, db, migrate, format } => {
            let (files, mut extraction) = read(&input, true)?;
            // The database is compared with what `apply --allow-errors` would make of the document.
            let control = control::Control::default();
            control::gate(&files, &mut extraction, &config(&input)?, &control, &all_rules(), true)?;
            let url = live::database_url(db.db.as_deref());
            let mut session = live::open_with(&url, Some(&extraction.schema), true, migrate.timeouts(&input)?)?;
            let exclusions = exclusions(&migrate, &config(&input)?);
            let mut m = live::migration(session.as_mut(), &extraction, &migrate.rename, false, &exclusions)?;
            // Tables declared by name only are compared by existence.
            m.changes.changes.extend(dialect::missing_declared_tables(&m.live, &extraction.schema));
            let text = match format {
                PlanFormat::Text => live::drift_text(&m.changes, &m.invalid_indexes, session.url()),
                PlanFormat::Json => live::drift_json_with(&m.changes, &m.invalid_indexes),
            };
            write_out(&mut out, &text)?;
            Ok(if m.changes.is_empty() { ExitCode::SUCCESS } else { ExitCode::from(1) })
        }
        Command::Sync { mut input, check, from, erd_blocks } => {
            if let Some(from) = from {
                input.prefer.insert(0, from);
            }
            let files = read(&input, true)?.0;
            let options = options(&input, true)?;
            let report = sync::run(files, &options, &input, erd_blocks, check)?;
            write_out(&mut out, &report.text)?;
            Ok(if check && report.stale { ExitCode::from(1) } else { ExitCode::SUCCESS })
        }
        Command::Doc { input, out: dir, lang, db: Some(url) } => {
            // The database's own schema, documented as it is: its comments give the language.
            let mut session = live::open(&url, None, true)?;
            let inspected = ordered(session.inspect(&dialect::InspectFilter::default())?);
            let engine = dialect::engine(session.kind());
            let lang = match lang.as_deref() {
                Some(l) => doc_lang(l)?,
                None => render::docs::Lang::of(&comments(&inspected)),
            };
            let findings = check::check_in(&inspected, Some(sql_dialect(session.kind())));
            let title = format!("{} ({})", live::database_name(&url), engine.kind());
            let _ = input;
            let written = doc::write(&inspected, &findings, &title, lang, &dir)?;
            if let Some(note) = &written.note {
                eprintln!("note: {note}");
            }
            write_out(
                &mut out,
                &format!("wrote {} pages and {} pictures to {}\n", written.pages, written.pictures, dir.display()),
            )?;
            Ok(ExitCode::SUCCESS)
        }
        Command::Doc { input, out: dir, lang, db: None } => {
            let (files, extraction) = read(&input, true)?;
            let lang = match lang.as_deref() {
                Some(l) => doc_lang(l)?,
                None => render::docs::Lang::of(&files.iter().map(|f| f.text.as_str()).collect::<String>()),
            };
            let mut findings = extraction.diagnostics.clone();
            findings.extend(check::check_in(&extraction.schema, control::document_dialect(&extraction)));
            let title = files
                .iter()
                .find_map(|f| f.text.lines().find_map(|l| l.strip_prefix("# ")).map(|t| t.trim().to_string()))
                .unwrap_or_else(|| "Schema".to_string());
            let written = doc::write(&ordered(extraction.schema), &findings, &title, lang, &dir)?;
            if let Some(note) = &written.note {
                eprintln!("note: {note}");
            }
            write_out(
                &mut out,
                &format!("wrote {} pages and {} pictures to {}\n", written.pages, written.pictures, dir.display()),
            )?;
            Ok(ExitCode::SUCCESS)
        }
        Command::Report { input, db, out: path, lang } => {
            let (files, extraction) = read(&input, true)?;
            let rules = all_rules();
            let config = config(&input)?;
            let (_, findings) = control::reported(&files, &extraction, &config, &control::Control::default(), &rules)?;
            let schema = ordered(extraction.schema.clone());
            let written = report::write(
                &report::Input {
                    files: &files,
                    extraction: &extraction,
                    schema: &schema,
                    findings: &findings,
                    config: &config,
                    rules: &rules,
                    db: db.as_deref(),
                    lang: report::lang(lang.as_deref(), &files)?,
                },
                &path,
            )?;
            if let Some(w) = &written.warning {
                eprintln!("warning: the report has no diagram: {w}");
            }
            write_out(&mut out, &format!("wrote {} ({})\n", path.display(), written.summary()))?;
            Ok(ExitCode::SUCCESS)
        }
        Command::Load(args) => data::load(args, &mut out),
        Command::Restore(args) => data::restore(args),
        Command::Copy(args) => data::copy(args, &mut out),
        Command::Rules { rule } => {
            let rules = all_rules();
            match rule {
                None => {
                    let width = rules.iter().map(|r| r.name.len()).max().unwrap_or(0);
                    let mut text = String::new();
                    for r in &rules {
                        text.push_str(&format!(
                            "{:width$}  {:7}  {}\n",
                            r.name,
                            r.default_severity.as_str(),
                            r.summary()
                        ));
                    }
                    write_out(&mut out, &text)?;
                }
                Some(name) => {
                    let Some(r) = rules.iter().find(|r| r.name == name) else {
                        bail!("no rule named `{name}`; `schemadoc rules` lists them");
                    };
                    write_out(&mut out, &format!("# {} ({})\n\n{}", r.name, r.default_severity, r.doc_markdown()))?;
                }
            }
            Ok(ExitCode::SUCCESS)
        }
    }
}

/// The dialect a live database's schema is checked in.
fn sql_dialect(kind: dialect::EngineKind) -> model::SqlDialect {
    match kind {
        dialect::EngineKind::Postgres => model::SqlDialect::Postgres,
        dialect::EngineKind::Mysql => model::SqlDialect::Mysql,
        dialect::EngineKind::Sqlite => model::SqlDialect::Sqlite,
    }
}

/// `--lang ko|en`.
fn doc_lang(lang: &str) -> Result<render::docs::Lang> {
    match lang {
        "ko" => Ok(render::docs::Lang::Ko),
        "en" => Ok(render::docs::Lang::En),
        other => bail!("--lang `{other}`: expected ko or en"),
    }
}

/// The comments of a schema's tables and columns, one text (to tell its language by).
fn comments(schema: &model::Schema) -> String {
    let mut text = String::new();
    for t in &schema.tables {
        for c in t.comment.iter().chain(t.columns.iter().filter_map(|c| c.comment.as_ref())) {
            text.push_str(c);
            text.push('\n');
        }
    }
    text
}

/// Every rule schemadoc can report, extraction's and the checks', sorted by name.
fn all_rules() -> Vec<model::RuleInfo> {
    let mut rules = extract::rules();
    rules.extend_from_slice(check::rules());
    rules.extend_from_slice(render::sync::RULES);
    rules.sort_by_key(|r| r.name);
    rules
}

/// Tables in creation order, for output.
fn ordered(mut schema: model::Schema) -> model::Schema {
    let order = model::dependency_order(&schema);
    let mut tables: Vec<Option<model::Table>> = schema.tables.into_iter().map(Some).collect();
    schema.tables = order.tables.iter().filter_map(|&i| tables[i].take()).collect();
    schema
}

fn parse_engine(name: &str) -> Result<dialect::EngineKind> {
    dialect::EngineKind::parse(name)
        .with_context(|| format!("unknown dialect `{name}`; expected postgres, mysql or sqlite"))
}

fn export_target(kind: dialect::EngineKind) -> render::export::Target {
    match kind {
        dialect::EngineKind::Postgres => render::export::Target::Postgres,
        dialect::EngineKind::Mysql => render::export::Target::Mysql,
        dialect::EngineKind::Sqlite => render::export::Target::Sqlite,
    }
}

/// An export's text; what the notation could not say goes to standard error.
fn exported(export: render::export::Export) -> String {
    for note in &export.notes {
        eprintln!("note: {note}");
    }
    export.text
}

/// The engine `show` writes for: `--dialect`, else the document's own, else PostgreSQL.
fn output_engine(input: &Input, extraction: &Extraction) -> Result<dialect::EngineKind> {
    output_engine_for(input, extraction.dialect)
}

fn output_engine_for(input: &Input, document: Option<SqlFlavor>) -> Result<dialect::EngineKind> {
    Ok(match (&input.dialect, document) {
        (Some(d), _) => parse_engine(d)?,
        (None, Some(SqlFlavor::Mysql)) => dialect::EngineKind::Mysql,
        (None, Some(SqlFlavor::Sqlite)) => dialect::EngineKind::Sqlite,
        (None, _) => dialect::EngineKind::Postgres,
    })
}

/// The part of `schema` a diagram shows (`--table`/`--depth`, `--group`), and its groups.
fn select(
    diagram: &Diagram,
    files: &[SourceFile],
    mut schema: model::Schema,
) -> Result<(model::Schema, render::erd::Groups)> {
    use render::erd::GroupBy;
    for name in &diagram.tables {
        if !schema.tables.iter().any(|t| model::name_eq(&t.name, name) || model::name_eq(&t.qualified_name(), name)) {
            let names: Vec<&str> = schema.tables.iter().map(|t| t.name.as_str()).collect();
            let hint = names
                .iter()
                .min_by_key(|n| model::edit_distance(&n.to_lowercase(), &name.to_lowercase()))
                .filter(|n| model::edit_distance(&n.to_lowercase(), &name.to_lowercase()) <= 2)
                .map(|n| format!("; did you mean `{n}`?"))
                .unwrap_or_default();
            bail!("--table `{name}`: the document defines no such table{hint}");
        }
    }
    if !diagram.tables.is_empty() {
        schema = schema.neighbourhood(&diagram.tables, diagram.depth);
    }
    let by = match diagram.group_by {
        GroupByArg::Auto if !diagram.group.is_empty() || diagram.overview => {
            if schema.tables.iter().any(|t| t.namespace.is_some()) {
                GroupBy::Schema
            } else {
                GroupBy::Section
            }
        }
        GroupByArg::Auto => GroupBy::Auto,
        GroupByArg::Schema => GroupBy::Schema,
        GroupByArg::Section => GroupBy::Section,
        GroupByArg::None => GroupBy::None,
    };
    let groups = render::erd::groups(&schema, by, &extract::sections::table_sections(files, &schema));
    if !diagram.group.is_empty() {
        let wanted = |g: &String| diagram.group.iter().any(|w| model::name_eq(w, g));
        if !groups.values().any(wanted) {
            let known: std::collections::BTreeSet<&String> = groups.values().collect();
            let known: Vec<String> = known.into_iter().map(|g| format!("`{g}`")).collect();
            bail!(
                "--group {}: no such group; the groups are {}",
                diagram.group.join(", "),
                if known.is_empty() { "none".to_string() } else { known.join(", ") }
            );
        }
        let keep: Vec<String> = schema
            .tables
            .iter()
            .filter(|t| groups.get(&model::name_key(&t.qualified_name())).is_some_and(wanted))
            .map(|t| t.qualified_name())
            .collect();
        schema = schema.neighbourhood(&keep, 0);
    }
    Ok((schema, groups))
}

fn write_bytes(out: &mut impl Write, bytes: &[u8]) -> Result<()> {
    match out.write_all(bytes).and_then(|_| out.flush()) {
        // A closed pipe (`schemadoc show … | head`) is not a failure.
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Ok(()),
        other => other.context("cannot write to standard output"),
    }
}

fn write_out(out: &mut impl Write, text: &str) -> Result<()> {
    write_bytes(out, text.as_bytes())
}

fn sources(files: &[SourceFile]) -> Sources {
    let mut sources = Sources::default();
    for f in files {
        sources.insert(f.name.clone(), f.text.clone());
    }
    sources
}

/// The live tables to leave alone: the migration tools' bookkeeping, `--exclude` and the
/// configuration's `exclude`.
fn exclusions(migrate: &Migrate, config: &config::Config) -> dialect::exclude::Exclusions {
    let patterns: Vec<String> = config.exclude.iter().chain(&migrate.exclude).cloned().collect();
    dialect::exclude::Exclusions::new(&patterns)
}

/// The configuration for the documents: `--config`, else the nearest file, unless `--no-config`.
fn config(input: &Input) -> Result<config::Config> {
    config::for_documents(&input.docs, input.config.as_deref(), input.no_config)
}

/// Reads the documents named on the command line and extracts their schema; `--dialect` forces the
/// SQL flavour of the document's blocks when `dialect_is_input`. The config's dialect stands for
/// documents that do not say theirs.
fn read(input: &Input, dialect_is_input: bool) -> Result<(Vec<SourceFile>, Extraction)> {
    let config = config(input)?;
    let mut paths = Vec::new();
    for doc in &input.docs {
        collect(doc, &mut paths)?;
    }
    if paths.is_empty() {
        bail!("no markdown documents found in {}", display_list(&input.docs));
    }
    let mut files = Vec::with_capacity(paths.len());
    for path in paths {
        let bytes = std::fs::read(&path).with_context(|| format!("cannot read `{}`", path.display()))?;
        files.push(SourceFile {
            name: path.display().to_string().into(),
            text: String::from_utf8_lossy(&bytes).into_owned(),
        });
    }
    control::check_sections(&files, &input.section, &input.exclude_section)?;
    let mut options = options(input, dialect_is_input)?;
    for p in &config.prefer {
        options.prefer.push(notation(p)?);
    }
    let mut extraction = extract::extract(&files, &options);
    if let (None, Some(d)) = (extraction.dialect, &config.dialect) {
        extraction.dialect = Some(SqlFlavor::parse(d).with_context(|| {
            format!("unknown dialect `{d}` in the configuration; expected postgres, mysql, sqlite or mssql")
        })?);
    }
    Ok((files, extraction))
}

/// How to read the documents, from the command line.
fn options(input: &Input, dialect_is_input: bool) -> Result<Options> {
    let mut prefer = Vec::new();
    for p in &input.prefer {
        prefer.push(notation(p)?);
    }
    let dialect = match input.dialect.as_deref().filter(|_| dialect_is_input) {
        // A flavour schemadoc reads but never writes (`mssql`) is fine for reading.
        Some(d) if SqlFlavor::parse(d) == Some(SqlFlavor::Mssql) => Some(SqlFlavor::Mssql),
        Some(d) => Some(match parse_engine(d)? {
            dialect::EngineKind::Postgres => SqlFlavor::Postgres,
            dialect::EngineKind::Mysql => SqlFlavor::Mysql,
            dialect::EngineKind::Sqlite => SqlFlavor::Sqlite,
        }),
        None => None,
    };
    Ok(Options { dialect, prefer, sections: input.section.clone(), exclude_sections: input.exclude_section.clone() })
}

fn notation(name: &str) -> Result<Notation> {
    Notation::parse(name).with_context(|| {
        format!(
            "unknown notation `{name}` for --prefer; expected sql, prisma, dbml, sqlalchemy, table, list, mermaid, catalog, box or relational"
        )
    })
}

fn display_list(paths: &[PathBuf]) -> String {
    paths.iter().map(|p| format!("`{}`", p.display())).collect::<Vec<_>>().join(", ")
}

/// A file given by name is read whatever its extension; a folder contributes its `*.md` files,
/// recursively, in name order. A folder reached again through a symbolic link is visited once.
fn collect(path: &Path, out: &mut Vec<PathBuf>) -> Result<()> {
    collect_once(path, out, &mut std::collections::HashSet::new())
}

fn collect_once(path: &Path, out: &mut Vec<PathBuf>, visited: &mut std::collections::HashSet<PathBuf>) -> Result<()> {
    let meta = std::fs::metadata(path).with_context(|| format!("cannot read `{}`", path.display()))?;
    if meta.is_file() {
        out.push(path.to_path_buf());
        return Ok(());
    }
    let real = std::fs::canonicalize(path).with_context(|| format!("cannot resolve `{}`", path.display()))?;
    if !visited.insert(real) {
        return Ok(());
    }
    let mut entries: Vec<PathBuf> = std::fs::read_dir(path)
        .with_context(|| format!("cannot list `{}`", path.display()))?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .collect();
    entries.sort();
    for entry in entries {
        if entry.is_dir() {
            collect_once(&entry, out, visited)?;
        } else if entry.extension().is_some_and(|e| e.eq_ignore_ascii_case("md") || e.eq_ignore_ascii_case("markdown"))
        {
            out.push(entry);
        }
    }
    Ok(())
}
