//! The commands that talk to a live database: inspect, plan, apply and drift.

use anyhow::{bail, Result};
use dialect::exclude::Exclusions;
use dialect::guard::{self, Measured};
use dialect::{ConnectOptions, Engine, InspectFilter, Plan, PlanOptions, Session, Timeouts};
use diff::{ChangeSet, Renames};
use extract::Extraction;
use model::Schema;
use serde_json::json;
use std::fmt::Write as _;

/// The database the user means: `--db`, else `DATABASE_URL`, else the embedded SQLite default.
pub fn database_url(db: Option<&str>) -> String {
    db.map(str::to_string)
        .or_else(|| std::env::var("DATABASE_URL").ok().filter(|u| !u.is_empty()))
        .unwrap_or_else(|| DEFAULT_DATABASE.to_string())
}

/// The embedded default: a SQLite file in the current directory.
pub const DEFAULT_DATABASE: &str = "sqlite://schemadoc.db";

/// Opens `url`, applying the document's connection settings (SQLite PRAGMAs).
pub fn open(url: &str, schema: Option<&Schema>, read_only: bool) -> Result<Box<dyn Session>> {
    open_with(url, schema, read_only, Timeouts::default())
}

/// [`open`], where applied statements wait for locks and run as long as `timeouts` says.
pub fn open_with(url: &str, schema: Option<&Schema>, read_only: bool, timeouts: Timeouts) -> Result<Box<dyn Session>> {
    let settings =
        schema.map(|s| s.settings.iter().map(|x| (x.name.clone(), x.value.clone())).collect()).unwrap_or_default();
    Ok(dialect::connect(url, &ConnectOptions { read_only, settings, timeouts })?)
}

/// The timeouts of `--lock-timeout` and `--statement-timeout`, else of the configuration's
/// `lock-timeout` and `statement-timeout`, else the defaults ([`Timeouts::default`]).
pub fn timeouts(lock: Option<&str>, statement: Option<&str>, config: &crate::config::Config) -> Result<Timeouts> {
    let mut t = Timeouts::default();
    if let Some(text) = lock.or(config.lock_timeout.as_deref()) {
        match dialect::parse_duration(text) {
            Ok(Some(d)) => t.lock = d,
            Ok(None) => bail!("--lock-timeout `{text}`: a lock timeout must be more than 0"),
            Err(e) => bail!("--lock-timeout {e}"),
        }
    }
    if let Some(text) = statement.or(config.statement_timeout.as_deref()) {
        t.statement = dialect::parse_duration(text).map_err(|e| anyhow::anyhow!("--statement-timeout {e}"))?;
    }
    Ok(t)
}

/// `--rename users.name=full_name` and `--rename old_table=new_table`, plus the document's own
/// (resolved against the live schema).
pub fn renames(schema: &Schema, live: &Schema, flags: &[String]) -> Result<Renames> {
    let mut out = match diff::declared_renames(&schema.renames, live, schema) {
        Ok(r) => r,
        Err(e) => bail!("{e}"),
    };
    for flag in flags {
        let Some((old, new)) = flag.split_once('=') else {
            bail!("--rename `{flag}`: write `table.old=new` for a column or `old=new` for a table");
        };
        match old.split_once('.') {
            Some((table, column)) => out.columns.push((table.to_string(), column.to_string(), new.to_string())),
            None => out.tables.push((old.to_string(), new.to_string())),
        }
    }
    Ok(out)
}

/// Everything `plan`, `apply` and `drift` compute.
pub struct Migration {
    pub live: Schema,
    pub target: dialect::Translated,
    pub changes: ChangeSet,
    pub plan: Plan,
    pub measured: Vec<Measured>,
    /// What `--allow-errors` left out of the document, one entry per error.
    pub left_out: Vec<check::LeftOut>,
    /// Live tables that are someone else's (`--exclude`, migration tools' bookkeeping), not compared.
    pub left_alone: Vec<String>,
    /// How long each applied statement may wait and run ([`Session::limits`]).
    pub limits: Option<String>,
    /// Indexes the server does not use (an interrupted `CREATE INDEX CONCURRENTLY`), by name.
    pub invalid_indexes: Vec<String>,
    /// Why the document's expressions could not be built by the server to compare them in its own
    /// forms (a role without CREATE on the database), when they could not.
    pub not_built: Option<String>,
}

/// What is said of an invalid index, in `drift`, `inspect` and the plan.
pub fn invalid_index_line(name: &str) -> String {
    format!(
        "index `{name}` is invalid (left by an interrupted CREATE INDEX CONCURRENTLY): the server keeps it up to date \
         but never uses it; the next apply drops it and builds it again"
    )
}

/// Inspects the database and plans the way to the document's schema (with the document's renames
/// and `--rename` flags), measuring every hazard.
pub fn migration(
    session: &mut dyn Session,
    extraction: &Extraction,
    rename_flags: &[String],
    online: bool,
    exclusions: &Exclusions,
) -> Result<Migration> {
    let filter = InspectFilter::for_document(session.kind(), &extraction.schema);
    let mut live = session.inspect(&filter)?;
    let invalid_indexes = session.invalid_indexes(&filter)?;
    let left_alone = dialect::exclude::leave_alone(&mut live, &extraction.schema, exclusions);
    let renames = &renames(&extraction.schema, &live, rename_flags)?;
    // Every existing table counts as populated: the safe way to add constraints to it.
    let options = PlanOptions {
        online,
        time_zone: session.time_zone()?,
        invalid_indexes: invalid_indexes.clone(),
        ..PlanOptions::default()
    };
    let (target, changes, plan, not_built) =
        dialect::plan_migration_on(session, &live, &extraction.schema, renames, &options);
    let measured = guard::measure(session, &plan)?;
    let limits = session.limits();
    Ok(Migration {
        live,
        target,
        changes,
        plan,
        measured,
        left_out: Vec::new(),
        left_alone,
        limits,
        invalid_indexes,
        not_built,
    })
}

/// The plan as text: each statement under a comment with its reason and measured hazards. Text in
/// comments is sanitised ([`render::sql_comment`]) so that `plan | psql` runs only the statements.
pub fn plan_text(m: &Migration, url: &str) -> String {
    use render::sql_comment as c;
    let mut out = String::new();
    if m.plan.is_empty() {
        let _ = writeln!(out, "-- {} is up to date with the document", c(url));
    } else {
        let _ = writeln!(out, "-- {} statement(s) to bring {} to the document", m.plan.statements.len(), c(url));
    }
    if let Some(limits) = m.limits.as_deref().filter(|_| !m.plan.is_empty()) {
        let _ = writeln!(out, "-- {}", c(limits));
    }
    if let Some(why) = &m.not_built {
        let _ = writeln!(
            out,
            "-- note: defaults, checks and views are compared by spelling: the server could not build them ({})",
            c(why)
        );
    }
    if !m.left_alone.is_empty() {
        let _ = writeln!(out, "-- left alone (not the document's): {}", c(&m.left_alone.join(", ")));
    }
    for line in crate::control::left_out_lines(&m.left_out) {
        let _ = writeln!(out, "-- document error, {}", c(&line));
    }
    for skipped in &m.plan.skipped {
        let _ =
            writeln!(out, "-- skipped: {}", c(&format!("{}: {} ({})", skipped.object, skipped.reason, skipped.origin)));
    }
    for note in &m.plan.notes {
        let _ = writeln!(out, "-- note: {}", c(&format!("{}: {} ({})", note.object, note.note, note.origin)));
    }
    // A hazard every statement shares (MySQL's non-transactional DDL) is said once, up front.
    let n = m.plan.statements.len();
    let shared: Vec<&Measured> = m
        .measured
        .iter()
        .filter(|h| h.statement == 0 && h.count.is_none())
        .filter(|h| {
            n > 1
                && (0..n)
                    .all(|i| m.measured.iter().any(|x| x.statement == i && x.kind == h.kind && x.message == h.message))
        })
        .collect();
    for h in &shared {
        let _ = writeln!(out, "-- every statement: {}: {}", kind_name(h.kind), c(&h.message));
    }
    for (i, s) in m.plan.statements.iter().enumerate() {
        let _ = writeln!(out, "\n-- {}. {} ({})", i + 1, c(&s.reason), c(&trace(m, s)));
        for h in m.measured.iter().filter(|h| h.statement == i) {
            if shared.iter().any(|x| x.kind == h.kind && x.message == h.message) {
                continue;
            }
            let _ = writeln!(out, "--    {}: {}", kind_name(h.kind), c(&h.describe()));
        }
        let _ = writeln!(out, "{}", render::terminated(&s.sql));
    }
    out
}

/// Where in the document a step comes from ("design.md:42, SQL"), or why it has no place there
/// (it removes what the document does not define).
fn trace(m: &Migration, statement: &dialect::PlannedStatement) -> String {
    match m.changes.changes.get(statement.change) {
        Some(change) => match change.origin() {
            Some(o) => format!("{}:{}, {}", o.file, o.line, o.notation.label()),
            None if change.is_drop() => "not in the document".to_string(),
            None => "the document".to_string(),
        },
        None => "the document".to_string(),
    }
}

/// The plan as the JSON other tools read: `{"statements":[{"sql","reason","hazards"}], …}`.
pub fn plan_json(m: &Migration) -> String {
    let statements: Vec<serde_json::Value> = m
        .plan
        .statements
        .iter()
        .enumerate()
        .map(|(i, s)| {
            let hazards: Vec<serde_json::Value> = m
                .measured
                .iter()
                .filter(|h| h.statement == i)
                .map(|h| json!({"kind": h.kind, "message": h.message, "count": h.count, "description": h.describe()}))
                .collect();
            let origin = m
                .changes
                .changes
                .get(s.change)
                .and_then(diff::Change::origin)
                .map(|o| json!({"file": o.file.as_ref(), "line": o.line, "notation": o.notation}));
            json!({
                "sql": s.sql,
                "reason": s.reason,
                "origin": origin,
                "hazards": hazards,
                "transactional": s.transactional
            })
        })
        .collect();
    pretty(&json!({
        "statements": statements,
        "skipped": m.plan.skipped,
        "notes": m.plan.notes,
        "left_out": m.left_out,
        "left_alone": m.left_alone,
        "not_built": m.not_built,
        "likely_renames": m.changes.likely_renames,
        "limits": m.limits,
    }))
}

fn kind_name(kind: dialect::HazardKind) -> &'static str {
    use dialect::HazardKind::*;
    match kind {
        Drop => "drop",
        DataLoss => "data loss",
        MayFail => "may fail",
        Rewrite => "rewrite",
        Locks => "locks",
        NotTransactional => "not transactional",
        LikelyRename => "likely rename",
    }
}

/// Why an apply must not start: one line each, and whether `--allow-destructive` would change it.
pub struct Refusals {
    pub lines: Vec<String>,
    /// Some refusal is a loss the user may accept with `--allow-destructive`.
    pub acceptable: bool,
    /// Some refusal is a statement that would fail on existing rows, whatever the flags.
    pub would_fail: bool,
    /// `--rename` flags that would declare the likely renames.
    pub rename_flags: Vec<String>,
}

/// Why an apply must not start; empty lines when it may.
pub fn refusals(m: &Migration, allow_destructive: bool) -> Refusals {
    let blocking: Vec<&Measured> = m.measured.iter().filter(|h| h.blocks(allow_destructive)).collect();
    Refusals {
        lines: refusal_lines(m, &blocking),
        acceptable: blocking.iter().any(|h| h.kind != dialect::HazardKind::MayFail),
        would_fail: blocking.iter().any(|h| h.kind == dialect::HazardKind::MayFail),
        rename_flags: if blocking.iter().any(|h| h.kind == dialect::HazardKind::LikelyRename) {
            m.changes.likely_renames.iter().map(|r| format!("--rename {}.{}={}", r.table, r.from, r.to)).collect()
        } else {
            Vec::new()
        },
    }
}

fn refusal_lines(m: &Migration, blocking: &[&Measured]) -> Vec<String> {
    let mut out = Vec::new();
    for h in blocking {
        let reason = &m.plan.statements[h.statement].reason;
        let line = match h.kind {
            dialect::HazardKind::MayFail => format!("{reason} would fail: {}", h.describe()),
            dialect::HazardKind::LikelyRename => format!("{reason}: {}", h.message),
            dialect::HazardKind::Drop => {
                format!("{reason}: the document does not define it ({})", h.describe())
            }
            _ => format!("{reason} would lose {}", h.describe()),
        };
        out.push(line);
    }
    out
}

/// Drift as readable text, grouped by table, after the invalid indexes.
pub fn drift_text(changes: &ChangeSet, invalid_indexes: &[String], url: &str) -> String {
    if changes.is_empty() {
        return format!("{url} matches the document: no drift\n");
    }
    let mut out = String::new();
    for name in invalid_indexes {
        let _ = writeln!(out, "{}", invalid_index_line(name));
    }
    out + &drift_changes(changes, url)
}

fn drift_changes(changes: &ChangeSet, url: &str) -> String {
    let mut by_table: std::collections::BTreeMap<String, Vec<String>> = std::collections::BTreeMap::new();
    for c in &changes.changes {
        let (table, line) = drift_line(c);
        by_table.entry(table).or_default().push(line);
    }
    let mut out = format!("{url} differs from the document in {} place(s):\n", changes.changes.len());
    for (table, lines) in by_table {
        let _ = writeln!(out, "\n{table}");
        for l in lines {
            let _ = writeln!(out, "  {l}");
        }
    }
    out
}

/// (table or object group, what differs) for one change, read as drift (database → document).
fn drift_line(c: &diff::Change) -> (String, String) {
    use diff::Change::*;
    let table = c.table().map(str::to_string).unwrap_or_else(|| "(schema)".to_string());
    let line = match c {
        CreateTable { .. } => "in the document only: the table is missing from the database".to_string(),
        DropTable { .. } => "in the database only: the document does not define this table".to_string(),
        AddColumn { column, .. } => format!("column `{}`: in the document only", column.name),
        DropColumn { column, .. } => format!("column `{}`: in the database only", column.name),
        AlterColumn { from, to, changes, .. } => {
            let mut parts = Vec::new();
            if changes.ty {
                parts.push(format!("type {} in the database, {} in the document", from.ty.spelling, to.ty.kind));
            }
            if changes.nullable {
                let n = |b: bool| if b { "nullable" } else { "NOT NULL" };
                parts.push(format!("{} in the database, {} in the document", n(from.nullable), n(to.nullable)));
            }
            if changes.default {
                let d = |c: &model::Column| {
                    c.default.as_ref().map(|d| d.to_string()).unwrap_or_else(|| "no default".into())
                };
                parts.push(format!("default {} in the database, {} in the document", d(from), d(to)));
            }
            if changes.identity {
                parts.push("generated values differ".to_string());
            }
            if changes.comment {
                parts.push("comment differs".to_string());
            }
            format!("column `{}`: {}", to.name, parts.join("; "))
        }
        other => {
            let d = other.describe();
            let in_db_only = d.starts_with("drop ");
            format!(
                "{}: {}",
                d.trim_start_matches("drop ").trim_start_matches("create ").trim_start_matches("add "),
                if in_db_only { "in the database only" } else { "in the document only or different" }
            )
        }
    };
    (table, line)
}

/// Drift as JSON: `{"drift": bool, "changes": [{"change", "table", "description"}], "invalid_indexes": […]}`.
pub fn drift_json(changes: &ChangeSet) -> String {
    drift_json_with(changes, &[])
}

/// [`drift_json`] listing the invalid indexes too.
pub fn drift_json_with(changes: &ChangeSet, invalid_indexes: &[String]) -> String {
    let list: Vec<serde_json::Value> = changes
        .changes
        .iter()
        .map(|c| {
            let (table, line) = drift_line(c);
            let kind = serde_json::to_value(c).ok().and_then(|v| v.get("change").cloned()).unwrap_or_default();
            json!({"change": kind, "table": table, "description": line})
        })
        .collect();
    pretty(&json!({"drift": !changes.is_empty(), "changes": list, "invalid_indexes": invalid_indexes}))
}

/// A fingerprint of a live schema: any change to its tables, columns, keys, indexes, views or
/// routines changes it. Origins (which name the URL) are left out.
pub fn fingerprint(schema: &Schema) -> String {
    fn strip(v: &mut serde_json::Value) {
        match v {
            serde_json::Value::Object(map) => {
                map.remove("origin");
                map.values_mut().for_each(strip);
            }
            serde_json::Value::Array(items) => items.iter_mut().for_each(strip),
            _ => {}
        }
    }
    let mut v = serde_json::to_value(schema).unwrap_or_default();
    strip(&mut v);
    fnv(v.to_string().as_bytes())
}

fn fnv(bytes: &[u8]) -> String {
    let mut h: u64 = 0xcbf29ce484222325;
    for b in bytes {
        h ^= u64::from(*b);
        h = h.wrapping_mul(0x100000001b3);
    }
    format!("{h:016x}")
}

/// What `plan --out FILE` writes and `apply --plan FILE` reads: the statements, and what they were
/// planned against.
#[derive(serde::Serialize, serde::Deserialize)]
pub struct PlanFile {
    /// The format's version.
    pub schemadoc_plan: u32,
    pub engine: dialect::EngineKind,
    /// [`fingerprint`] of the live schema the plan was made against.
    pub database_fingerprint: String,
    /// [`document_hash`] of the documents.
    pub document_hash: String,
    pub statements: Vec<dialect::PlannedStatement>,
}

/// The plan file for `m`, made against `engine`'s database from documents hashing to `hash`.
pub fn plan_file(m: &Migration, engine: dialect::EngineKind, hash: &str) -> String {
    let file = PlanFile {
        schemadoc_plan: 1,
        engine,
        database_fingerprint: fingerprint(&m.live),
        document_hash: hash.to_string(),
        statements: m.plan.statements.clone(),
    };
    let mut text = serde_json::to_string_pretty(&file).unwrap_or_default();
    text.push('\n');
    text
}

/// Replaces `m`'s plan by the one in `file`, refusing it when the database or the documents
/// changed since it was made (`m` was just computed, under the apply lock); re-measures its hazards.
pub fn use_plan_file(session: &mut dyn Session, m: &mut Migration, file: &PlanFile, hash: &str) -> Result<()> {
    if file.schemadoc_plan != 1 {
        bail!("the plan file has format {}, this schemadoc reads format 1", file.schemadoc_plan);
    }
    if file.engine != session.kind() {
        bail!("the plan is for {}, but {} is {}", file.engine, session.url(), session.kind());
    }
    let now = fingerprint(&m.live);
    if file.database_fingerprint != now {
        bail!(
            "{} changed since the plan was made (schema fingerprint {} then, {now} now): nothing was changed\n\
             help: make a new plan with `schemadoc plan --out FILE`, review it, and apply that",
            session.url(),
            file.database_fingerprint
        );
    }
    if file.document_hash != hash {
        bail!(
            "the documents changed since the plan was made: nothing was changed\n\
             help: make a new plan with `schemadoc plan --out FILE`, review it, and apply that"
        );
    }
    m.plan.statements = file.statements.clone();
    m.measured = guard::measure(session, &m.plan)?;
    Ok(())
}

/// A short stable hash of the documents, recorded with each apply.
pub fn document_hash(files: &[extract::SourceFile]) -> String {
    // FNV-1a over names and texts: stable across runs and platforms.
    let mut h: u64 = 0xcbf29ce484222325;
    for f in files {
        for b in f.name.bytes().chain([0u8]).chain(f.text.bytes()).chain([0u8]) {
            h ^= u64::from(b);
            h = h.wrapping_mul(0x100000001b3);
        }
    }
    format!("{h:016x}")
}

/// Inspect output: the schema as JSON (the shape of `show`), SQL for its own engine, or markdown.
pub fn inspect_output(engine: &dyn Engine, schema: &Schema, format: &str, url: &str) -> String {
    match format {
        "sql" => render::sql_script(&engine.create_schema(schema), engine),
        "markdown" => render::markdown(schema, &format!("{} ({})", database_name(url), engine.kind())),
        _ => render::schema_json(schema),
    }
}

/// The name of the database a URL opens, for a document's title: the path's last part without
/// its query (`postgres://app@db:5432/shop?sslmode=require` → `shop`), or a SQLite file's name
/// without its extension. Never the user, host or port: a generated document is shared.
pub fn database_name(url: &str) -> String {
    let rest = url.split_once("://").map_or(url, |(_, r)| r);
    let path = rest.split(['?', '#']).next().unwrap_or("");
    let sqlite = url.starts_with("sqlite:");
    let last = if sqlite { path } else { path.split_once('/').map_or("", |(_, p)| p) };
    let last = last.rsplit(['/', '\\']).next().unwrap_or("");
    let name = if sqlite { last.rsplit_once('.').map_or(last, |(stem, _)| stem) } else { last };
    if name.is_empty() || name.contains('@') {
        "database".to_string()
    } else {
        name.to_string()
    }
}

fn pretty(v: &serde_json::Value) -> String {
    let mut s = serde_json::to_string_pretty(v).unwrap_or_default();
    s.push('\n');
    s
}

/// Fails when the document needs extensions the server cannot create — before anything changes.
pub fn check_extensions(session: &mut dyn Session, m: &Migration) -> Result<()> {
    let missing = guard::missing_extensions(session, &m.live, &m.target.schema)?;
    if !missing.is_empty() {
        let names = missing.iter().map(|m| format!("`{m}`")).collect::<Vec<_>>().join(", ");
        let (s, it) = if missing.len() == 1 { ("", "it") } else { ("s", "them") };
        bail!(
            "the document needs the extension{s} {names}, which the server at {} cannot create. Nothing was \
             changed.\nhelp: install {it} on the server (for `vector`: the pgvector package, e.g. \
             `postgresql-15-pgvector`), then apply again",
            session.url(),
        );
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::database_name;

    #[test]
    fn a_database_name_names_no_user_host_or_port() {
        assert_eq!(database_name("postgres://app:secret@db.internal:5432/shop?sslmode=require"), "shop");
        assert_eq!(database_name("mysql://root@127.0.0.1:3306/test"), "test");
        assert_eq!(database_name("sqlite://data/app.db"), "app");
        assert_eq!(database_name("sqlite:///tmp/x/t.sqlite3"), "t");
        assert_eq!(database_name("postgres://app@db:5432"), "database");
    }
}
