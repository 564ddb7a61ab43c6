//! Copying tables between databases: rows read from the source in a thread of their own, converted
//! to the target's column types (SQLite text dates → timestamps, integer flags → booleans, JSON
//! text → `jsonb`), written in one transaction per table with its row count and checksum recorded
//! in the target, so that an interrupted copy resumes after the last table finished; verified at
//! the end by reading every table back.

use crate::convert::convert;
use dialect::{Cell, DataSession, DbError, RowTarget};
use model::{name_eq, Column, Schema, Table, TypeKind};
use serde::Serialize;
use serde_json::Value;

/// Rows read and written at a time.
const BATCH: usize = 10_000;

use dialect::data::COPY_PROGRESS_TABLE;

/// Why a copy stopped.
#[derive(Debug, thiserror::Error)]
pub enum CopyError {
    #[error(transparent)]
    Db(#[from] DbError),
    #[error("row {row} of {table}: column `{column}`: {message}; nothing of {table} was written")]
    Convert { table: String, row: u64, column: String, message: String },
    #[error("table {table} in the target already holds {rows} rows: copy fills empty tables (`load` merges into existing ones)")]
    NotEmpty { table: String, rows: i64 },
}

/// One table copied.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct TableCopy {
    pub table: String,
    /// Rows in the source.
    pub source_rows: u64,
    /// Rows in the target after the copy.
    pub target_rows: u64,
    /// Order-independent checksums of the rows as the target's types hold them: computed while
    /// copying (or recorded by the interrupted copy that copied the table), and read back.
    pub source_checksum: String,
    pub target_checksum: String,
    /// Copied by an earlier, interrupted copy.
    pub resumed: bool,
}

impl TableCopy {
    pub fn verified(&self) -> bool {
        self.source_rows == self.target_rows && self.source_checksum == self.target_checksum
    }
}

/// The columns of `table` the copy carries: the target's, where the source has them, without
/// generated columns.
fn carried<'a>(table: &'a Table, source: &Table) -> Vec<&'a Column> {
    table.columns.iter().filter(|c| c.generated.is_none() && source.column(&c.name).is_some()).collect()
}

/// A value as the source gave it, converted to what `column` holds.
pub fn convert_cell(cell: Cell, column: &Column, schema: &Schema) -> Result<Cell, String> {
    let kind = &column.ty.kind;
    match (kind, cell) {
        (_, Cell::Null) => Ok(Cell::Null),
        (TypeKind::Text | TypeKind::Other { .. }, Cell::Text(s)) => Ok(Cell::Text(s)),
        (TypeKind::Varchar { len } | TypeKind::Char { len }, Cell::Text(s)) if !matches!(len, Some(n) if s.len() > *n as usize) => {
            Ok(Cell::Text(s))
        }
        (TypeKind::Int { .. }, Cell::Int(i)) => Ok(Cell::Int(i)),
        (TypeKind::Float { .. }, Cell::Float(f)) => Ok(Cell::Float(f)),
        (TypeKind::Float { .. }, Cell::Int(i)) => Ok(Cell::Float(i as f64)),
        (TypeKind::Bool, Cell::Int(i @ (0 | 1))) => Ok(Cell::Bool(i == 1)),
        (TypeKind::Timestamp { .. }, Cell::Text(s)) => match crate::time::parse_iso(&s) {
            Some(t) => Ok(Cell::Timestamp { text: t.text, utc: t.utc }),
            None => convert(&Value::String(s), column, schema),
        },
        (_, cell) => convert(&value_of(cell), column, schema),
    }
}

fn value_of(cell: Cell) -> Value {
    match cell {
        Cell::Null => Value::Null,
        Cell::Int(i) => Value::from(i),
        Cell::Float(f) => serde_json::Number::from_f64(f).map_or(Value::Null, Value::Number),
        Cell::Bool(b) => Value::Bool(b),
        Cell::Json(s) => serde_json::from_str(&s).unwrap_or(Value::String(s)),
        Cell::Text(s) | Cell::Date(s) | Cell::Timestamp { text: s, .. } => Value::String(s),
    }
}

/// A row's contribution to a table checksum: a 64-bit FNV-1a hash of its values as the target's
/// types hold them (numbers without trailing zeros, timestamps without their zone marker), as
/// [`Cell::key_text`] spells them. `buf` is scratch space, reused from row to row.
fn row_hash(row: &[Cell], columns: &[&Column], buf: &mut String) -> u64 {
    use std::fmt::Write as _;
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    let mut eat = |bytes: &[u8]| {
        for b in bytes {
            h ^= u64::from(*b);
            h = h.wrapping_mul(0x0000_0100_0000_01b3);
        }
    };
    for (cell, column) in row.iter().zip(columns) {
        buf.clear();
        let text: &str = match cell {
            Cell::Null => "\0",
            Cell::Int(i) => {
                let _ = write!(buf, "{i}");
                buf
            }
            Cell::Float(f) => {
                let _ = write!(buf, "{f:?}");
                buf
            }
            Cell::Bool(b) => {
                if *b {
                    "1"
                } else {
                    "0"
                }
            }
            Cell::Text(s) if matches!(column.ty.kind, TypeKind::Decimal { .. }) && s.contains('.') => {
                s.trim_end_matches('0').trim_end_matches('.')
            }
            Cell::Text(s) | Cell::Json(s) | Cell::Date(s) | Cell::Timestamp { text: s, .. } => s,
        };
        eat(text.as_bytes());
        eat(&[0x1f]);
    }
    h
}

/// Copies every table of `target_schema` (the document as the target engine holds it) that
/// `source_schema` (the source as inspected) also has, in dependency order. `progress` hears
/// of every batch written: the table and the rows written so far.
pub fn copy_tables(
    source: &mut dyn DataSession,
    target: &mut dyn DataSession,
    source_schema: &Schema,
    target_schema: &Schema,
    progress: &mut dyn FnMut(&str, u64),
) -> Result<Vec<TableCopy>, CopyError> {
    let done = finished_tables(target)?;
    let order = model::dependency_order(target_schema);
    let mut out = Vec::new();
    for &i in &order.tables {
        let table = &target_schema.tables[i];
        let Some(from) = source_schema.table(&table.name).filter(|_| !table.is_declared_only()) else { continue };
        let columns = carried(table, from);
        if columns.is_empty() {
            continue;
        }
        let name = table.qualified_name();
        let (rows, checksum, resumed) = match done.iter().find(|(t, _, _)| name_eq(t, &name)) {
            Some((_, rows, checksum)) => (*rows, *checksum, true),
            None => {
                let (rows, checksum) = copy_table(source, target, table, from, &columns, target_schema, progress)?;
                (rows, checksum, false)
            }
        };
        out.push(TableCopy {
            table: name,
            source_rows: rows,
            target_rows: 0,
            source_checksum: format!("{checksum:016x}"),
            target_checksum: String::new(),
            resumed,
        });
    }
    Ok(out)
}

/// After the copy: moves the sequences of generated keys past the copied keys, reads every table
/// back to count and checksum it, and forgets the copy's progress.
pub fn finish_copy(
    target: &mut dyn DataSession,
    target_schema: &Schema,
    source_schema: &Schema,
    copies: &mut [TableCopy],
) -> Result<(), CopyError> {
    for copy in copies.iter_mut() {
        let Some(table) = target_schema.table(&copy.table) else { continue };
        let Some(from) = source_schema.table(&table.name) else { continue };
        for c in table.columns.iter().filter(|c| c.identity.is_some()) {
            target.move_identity(table.namespace.as_deref(), &table.name, &c.name)?;
        }
        let columns = carried(table, from);
        let names: Vec<String> = columns.iter().map(|c| c.name.clone()).collect();
        let mut sum: u64 = 0;
        let mut failure = None;
        let mut buf = String::new();
        let rows = target.scan(table.namespace.as_deref(), &table.name, &names, BATCH, &mut |batch| {
            for row in batch {
                let converted: Result<Vec<Cell>, String> =
                    row.into_iter().zip(&columns).map(|(cell, c)| convert_cell(cell, c, target_schema)).collect();
                match converted {
                    Ok(cells) => sum = sum.wrapping_add(row_hash(&cells, &columns, &mut buf)),
                    Err(m) => {
                        failure = Some(m);
                        return false;
                    }
                }
            }
            true
        })?;
        copy.target_rows = rows;
        copy.target_checksum = match failure {
            Some(m) => format!("unreadable: {m}"),
            None => format!("{sum:016x}"),
        };
    }
    target.execute(&format!("DROP TABLE IF EXISTS {COPY_PROGRESS_TABLE}"))?;
    Ok(())
}

/// The tables an earlier copy finished: (table, rows, checksum).
fn finished_tables(target: &mut dyn DataSession) -> Result<Vec<(String, u64, u64)>, DbError> {
    target.execute(&format!(
        "CREATE TABLE IF NOT EXISTS {COPY_PROGRESS_TABLE} (table_name VARCHAR(255) NOT NULL PRIMARY KEY, \
         row_count BIGINT NOT NULL, checksum BIGINT NOT NULL)"
    ))?;
    let engine = dialect::engine(target.kind());
    let mut out = Vec::new();
    for name in target.texts(&format!("SELECT table_name FROM {COPY_PROGRESS_TABLE}"))? {
        let at = format!("FROM {COPY_PROGRESS_TABLE} WHERE table_name = {}", engine.quote_string(&name));
        let rows = target.scalar(&format!("SELECT row_count {at}"))?.unwrap_or(0);
        let checksum = target.scalar(&format!("SELECT checksum {at}"))?.unwrap_or(0);
        out.push((name, rows.max(0) as u64, checksum as u64));
    }
    Ok(out)
}

fn copy_table(
    source: &mut dyn DataSession,
    target: &mut dyn DataSession,
    table: &Table,
    from: &Table,
    columns: &[&Column],
    schema: &Schema,
    progress: &mut dyn FnMut(&str, u64),
) -> Result<(u64, u64), CopyError> {
    let name = table.qualified_name();
    let quoted = target.quoted_table(table.namespace.as_deref(), &table.name);
    let existing = target.scalar(&format!("SELECT COUNT(*) FROM {quoted}"))?.unwrap_or(0);
    if existing > 0 {
        return Err(CopyError::NotEmpty { table: name, rows: existing });
    }
    let source_names: Vec<String> =
        columns.iter().map(|c| from.column(&c.name).map_or(c.name.clone(), |s| s.name.clone())).collect();
    let write = RowTarget {
        namespace: table.namespace.clone(),
        table: table.name.clone(),
        columns: columns.iter().map(|c| c.name.clone()).collect(),
        key: Vec::new(),
    };
    let (tx, rx) = std::sync::mpsc::sync_channel::<Vec<Vec<Cell>>>(2);
    target.begin()?;
    let outcome = std::thread::scope(|scope| {
        let reader = scope.spawn(move || {
            source
                .scan(from.namespace.as_deref(), &from.name, &source_names, BATCH, &mut |batch| tx.send(batch).is_ok())
        });
        let mut written: u64 = 0;
        let mut sum: u64 = 0;
        let mut buf = String::new();
        let mut result: Result<(), CopyError> = Ok(());
        for batch in rx.iter() {
            let mut rows = Vec::with_capacity(batch.len());
            for (k, row) in batch.into_iter().enumerate() {
                let mut cells = Vec::with_capacity(row.len());
                for (cell, column) in row.into_iter().zip(columns) {
                    match convert_cell(cell, column, schema) {
                        Ok(c) => cells.push(c),
                        Err(message) => {
                            result = Err(CopyError::Convert {
                                table: name.clone(),
                                row: written + k as u64,
                                column: column.name.clone(),
                                message,
                            });
                            break;
                        }
                    }
                }
                if result.is_err() {
                    break;
                }
                sum = sum.wrapping_add(row_hash(&cells, columns, &mut buf));
                rows.push(cells);
            }
            if result.is_err() {
                break;
            }
            if let Err(e) = target.insert_rows(&write, &rows) {
                result = Err(e.into());
                break;
            }
            written += rows.len() as u64;
            progress(&name, written);
        }
        // Stops the reader when the writer gave up.
        drop(rx);
        let read = match reader.join() {
            Ok(read) => read,
            Err(panic) => std::panic::resume_unwind(panic),
        };
        result?;
        read?;
        Ok::<(u64, u64), CopyError>((written, sum))
    });
    let (rows, sum) = match outcome {
        Ok(done) => done,
        Err(e) => {
            let _ = target.rollback();
            return Err(e);
        }
    };
    let record = RowTarget {
        namespace: None,
        table: COPY_PROGRESS_TABLE.to_string(),
        columns: vec!["table_name".into(), "row_count".into(), "checksum".into()],
        key: vec!["table_name".into()],
    };
    let recorded = target
        .upsert(&record, &[vec![Cell::Text(name.clone()), Cell::Int(rows as i64), Cell::Int(sum as i64)]])
        .and_then(|()| target.commit());
    if let Err(e) = recorded {
        let _ = target.rollback();
        return Err(e.into());
    }
    Ok((rows, sum))
}

/// The document without what slows loading and is better checked once the rows are in: foreign
/// keys (validated when added afterwards) and secondary indexes (built once, not row by row).
pub fn without_constraints(document: &Schema) -> Schema {
    let mut staged = document.clone();
    for t in &mut staged.tables {
        t.foreign_keys.clear();
    }
    staged.indexes.clear();
    staged
}

/// Why the target's schema could not be made the document's.
#[derive(Debug, thiserror::Error)]
pub enum TargetError {
    #[error(transparent)]
    Db(#[from] DbError),
    #[error(transparent)]
    Apply(#[from] dialect::ApplyError),
    #[error("the target differs from the document in ways that lose data ({0}): copy creates or extends tables, it never drops")]
    Destructive(String),
}

/// Brings the target to `schema` (creating tables, adding columns, keys and indexes), refusing
/// anything that would lose data; the other tools' tables and the copy's own are left alone.
/// Returns how many statements ran.
pub fn bring_target_to(session: &mut dyn dialect::Session, schema: &Schema) -> Result<usize, TargetError> {
    let kind = session.kind();
    let mut live = session.inspect(&dialect::InspectFilter::for_document(kind, schema))?;
    dialect::exclude::leave_alone(&mut live, schema, &dialect::exclude::Exclusions::default());
    let (_, _, plan) = dialect::plan_migration(
        dialect::engine(kind),
        &live,
        schema,
        &diff::Renames::default(),
        &dialect::PlanOptions::default(),
    );
    let losses: Vec<String> = plan.destructive().map(|(s, _)| s.reason.clone()).collect();
    if !losses.is_empty() {
        return Err(TargetError::Destructive(losses.join("; ")));
    }
    if plan.is_empty() {
        return Ok(0);
    }
    let report = session.apply(&plan, "schemadoc copy")?;
    Ok(report.executed.len())
}

/// Whether the target holds none of `schema`'s tables yet, or an unfinished copy: then tables are
/// created without foreign keys and secondary indexes, which come after the rows.
pub fn fresh_target(session: &mut dyn dialect::Session, schema: &Schema) -> Result<bool, DbError> {
    let live = session.inspect(&dialect::InspectFilter::for_document(session.kind(), schema))?;
    let unfinished = live.table(COPY_PROGRESS_TABLE).is_some();
    Ok(unfinished || !schema.tables.iter().any(|t| live.table(&t.qualified_name()).is_some()))
}

/// A copy about to run: the source's schema, the schema the target gets, and whether the target
/// is fresh (none of its tables there yet, or an unfinished copy).
pub struct CopyJob {
    pub from: String,
    pub to: String,
    pub source_schema: Schema,
    pub document: Schema,
    pub fresh: bool,
}

/// What a copy did.
#[derive(Debug, Clone, Serialize)]
pub struct CopyOutcome {
    pub tables: Vec<TableCopy>,
    /// Reading, converting and writing the rows.
    pub copy_seconds: f64,
    /// Adding foreign keys (validating them) and building indexes afterwards.
    pub constraints_seconds: f64,
    /// Reading every table back to verify it.
    pub verify_seconds: f64,
}

impl CopyOutcome {
    pub fn rows(&self) -> u64 {
        self.tables.iter().map(|t| t.source_rows).sum()
    }

    pub fn verified(&self) -> bool {
        self.tables.iter().all(TableCopy::verified)
    }
}

/// Why a copy could not run or finish.
#[derive(Debug, thiserror::Error)]
pub enum CopyFailure {
    #[error(transparent)]
    Copy(#[from] CopyError),
    #[error(transparent)]
    Target(#[from] TargetError),
    #[error(transparent)]
    Db(#[from] DbError),
}

/// Reads the source's schema and looks at the target: what [`run_copy`] will do. `document` is
/// the schema the target gets; the source's own when `None`.
pub fn plan_copy(from: &str, to: &str, document: Option<&Schema>) -> Result<CopyJob, CopyFailure> {
    let read_only = dialect::ConnectOptions { read_only: true, settings: Vec::new(), ..Default::default() };
    let mut source = dialect::connect(from, &read_only)?;
    let mut source_schema = source.inspect(&dialect::InspectFilter::default())?;
    drop(source);
    let document = document.cloned().unwrap_or_else(|| source_schema.clone());
    dialect::exclude::leave_alone(&mut source_schema, &document, &dialect::exclude::Exclusions::default());
    let settings = document.settings.iter().map(|s| (s.name.clone(), s.value.clone())).collect();
    let mut target =
        dialect::connect(to, &dialect::ConnectOptions { read_only: false, settings, ..Default::default() })?;
    let fresh = fresh_target(target.as_mut(), &document)?;
    Ok(CopyJob { from: from.to_string(), to: to.to_string(), source_schema, document, fresh })
}

/// Runs a copy: the target's tables (without foreign keys and secondary indexes when it is
/// fresh), the rows table by table, then keys and indexes, sequences, and verification.
pub fn run_copy(job: &CopyJob, progress: &mut dyn FnMut(&str, u64)) -> Result<CopyOutcome, CopyFailure> {
    let settings = job.document.settings.iter().map(|s| (s.name.clone(), s.value.clone())).collect();
    let mut target =
        dialect::connect(&job.to, &dialect::ConnectOptions { read_only: false, settings, ..Default::default() })?;
    let staged = if job.fresh { without_constraints(&job.document) } else { job.document.clone() };
    bring_target_to(target.as_mut(), &staged)?;
    let target_schema = dialect::engine(target.kind()).translate(&job.document).schema;
    let mut reader = dialect::connect_reader(&job.from)?;
    let mut writer = dialect::connect_data(&job.to)?;
    let started = std::time::Instant::now();
    let mut tables = copy_tables(reader.as_mut(), writer.as_mut(), &job.source_schema, &target_schema, progress)?;
    let copy_seconds = started.elapsed().as_secs_f64();
    let started = std::time::Instant::now();
    bring_target_to(target.as_mut(), &job.document)?;
    let constraints_seconds = started.elapsed().as_secs_f64();
    let started = std::time::Instant::now();
    finish_copy(writer.as_mut(), &target_schema, &job.source_schema, &mut tables)?;
    let verify_seconds = started.elapsed().as_secs_f64();
    Ok(CopyOutcome { tables, copy_seconds, constraints_seconds, verify_seconds })
}
