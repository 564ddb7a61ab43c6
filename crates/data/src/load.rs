//! Loading files: ordered by their tables' foreign keys, each read twice as a stream — once to
//! check every row (types, NOT NULL, references), once to write — so that a file with a row that
//! does not fit writes nothing, and memory holds one batch and the referenced keys, not the file.

use crate::fields::{stem, table_for};
use crate::rows::{key_slot, Rows};
use crate::source::{read_records, ReadStop, Record};
use crate::{FileReport, LoadError, LoadOptions, LoadReport, Outcome, Problem, MAX_PROBLEMS};
use dialect::{Cell, DataSession, RowTarget};
use model::{Schema, Table};
use std::collections::{BTreeMap, HashMap, HashSet};
use std::fs::File;
use std::io::BufReader;
use std::path::{Path, PathBuf};

/// Rows sent to the database at a time.
const BATCH_ROWS: usize = 2_000;

/// Loads `files` into the tables of `schema` through `session`, file by file in dependency order.
/// Stops at the first file that cannot be read or written (reported as [`Outcome::Failed`]).
pub fn load(
    session: &mut dyn DataSession,
    schema: &Schema,
    files: &[PathBuf],
    options: &LoadOptions,
) -> Result<LoadReport, LoadError> {
    let order = model::dependency_order(schema);
    let rank: HashMap<usize, usize> = order.tables.iter().enumerate().map(|(r, &t)| (t, r)).collect();
    let mut planned: Vec<(usize, &PathBuf, &Table)> = Vec::new();
    for path in files {
        let table = table_for(path, schema, &options.tables)?;
        let position = schema.table_position(&table.qualified_name()).unwrap_or(0);
        planned.push((rank.get(&position).copied().unwrap_or(usize::MAX), path, table));
    }
    planned.sort_by_key(|(rank, _, _)| *rank);
    let mut loader = Loader { session, schema, options, known: HashMap::new() };
    let mut report = LoadReport::default();
    for (_, path, table) in planned {
        let file = loader.file(path, table)?;
        let failed = matches!(file.outcome, Outcome::Failed { .. });
        report.files.push(file);
        if failed {
            break;
        }
    }
    Ok(report)
}

struct Loader<'a> {
    session: &'a mut dyn DataSession,
    schema: &'a Schema,
    options: &'a LoadOptions,
    /// Keys of referenced columns written (or, in a dry run, checked) so far, by [`key_slot`].
    known: HashMap<String, HashSet<String>>,
}

/// A reference not found among the loaded keys: looked up in the database at the end of the file.
struct Pending {
    index: u64,
    key: Option<String>,
    reference: usize,
    value: Cell,
}

fn open(path: &Path) -> Result<BufReader<File>, LoadError> {
    let file = File::open(path).map_err(|e| LoadError::Io { path: path.to_path_buf(), message: e.to_string() })?;
    Ok(BufReader::with_capacity(1 << 16, file))
}

fn is_lines(path: &Path) -> bool {
    matches!(path.extension().and_then(|e| e.to_str()), Some("jsonl" | "ndjson"))
}

/// What identifies a file's load across an interruption: the table, the file's name, size and
/// modification time.
pub fn source_id(path: &Path, table: &Table) -> String {
    let meta = std::fs::metadata(path).ok();
    let size = meta.as_ref().map_or(0, |m| m.len());
    let mtime = meta
        .and_then(|m| m.modified().ok())
        .and_then(|t| t.duration_since(std::time::UNIX_EPOCH).ok())
        .map_or(0, |d| d.as_secs());
    let name = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    let id = format!("{}:{name}:{size}:{mtime}", table.name);
    id.chars().take(250).collect()
}

impl Loader<'_> {
    fn file(&mut self, path: &Path, table: &Table) -> Result<FileReport, LoadError> {
        let mut rows = Rows::new(table, self.schema, stem(path), &self.options.fields);
        let mut report = FileReport {
            path: path.to_path_buf(),
            table: table.qualified_name(),
            records: 0,
            rows: 0,
            bad_rows: 0,
            problems: Vec::new(),
            unmapped: Vec::new(),
            resumed: 0,
            outcome: Outcome::Checked,
        };
        // Columns of this table other files may reference, and the keys this file gives them.
        let slots: Vec<(usize, String)> = table
            .columns
            .iter()
            .enumerate()
            .map(|(i, c)| (i, key_slot(table, &c.name)))
            .filter(|(_, slot)| self.referenced(slot))
            .collect();
        let mut own: HashMap<String, HashSet<String>> = HashMap::new();
        let mut bad: HashSet<u64> = HashSet::new();
        let mut pending: Vec<Pending> = Vec::new();
        let mut problems: Vec<Problem> = Vec::new();
        let known = &self.known;
        let read = read_records(open(path)?, is_lines(path), |record: Record| {
            match rows.row(&record, true) {
                Ok(cells) => {
                    for (column, slot) in &slots {
                        if let Some(k) = cells.iter().find(|(c, _)| c == column).and_then(|(_, v)| v.key_text()) {
                            own.entry(slot.clone()).or_default().insert(k);
                        }
                    }
                    for (r, reference) in rows.references.iter().enumerate() {
                        let Some((_, value)) = cells.iter().find(|(c, _)| *c == reference.column) else { continue };
                        let Some(k) = value.key_text() else { continue };
                        if !known.get(&reference.slot).is_some_and(|s| s.contains(&k)) {
                            pending.push(Pending {
                                index: record.index,
                                key: record.key.clone(),
                                reference: r,
                                value: value.clone(),
                            });
                        }
                    }
                }
                Err(p) => {
                    bad.insert(record.index);
                    problems.extend(p);
                }
            }
            Ok::<(), LoadError>(())
        });
        report.records = match read {
            Ok(n) => n,
            Err(ReadStop::Consumer(e)) => return Err(e),
            Err(ReadStop::Syntax(message)) => {
                report.outcome = Outcome::Failed { message: format!("not JSON of a shape schemadoc loads: {message}") };
                return Ok(report);
            }
        };
        self.resolve(&rows, &mut pending, &own)?;
        for p in pending {
            let reference = &rows.references[p.reference];
            let field = rows.field_of(reference.column);
            bad.insert(p.index);
            problems.push(Problem {
                index: p.index,
                key: p.key,
                column: Some(format!("{}.{}", table.name, table.columns[reference.column].name)),
                message: format!(
                    "`{field}` references `{}.{}` = `{}`, which neither the loaded files nor the database hold",
                    reference.ref_table,
                    reference.ref_column,
                    p.value.key_text().unwrap_or_default()
                ),
                field: Some(field),
                help: Some(format!(
                    "load the file with that `{}` row first, or fix the reference",
                    reference.ref_table
                )),
            });
        }
        problems.sort_by_key(|p| p.index);
        report.bad_rows = bad.len() as u64;
        report.problems = problems.into_iter().take(MAX_PROBLEMS).collect();
        report.unmapped = rows.unmapped.iter().map(|(f, n)| (f.clone(), *n)).collect();
        report.rows = report.records - report.bad_rows;
        if report.bad_rows > 0 && !self.options.skip_bad_rows {
            report.outcome = Outcome::Refused;
            report.rows = 0;
            return Ok(report);
        }
        for (slot, keys) in own {
            self.known.entry(slot).or_default().extend(keys);
        }
        if self.options.dry_run {
            return Ok(report);
        }
        report.outcome = match self.write(path, &mut rows, &bad, &mut report.resumed) {
            Ok(()) => Outcome::Written,
            Err(message) => Outcome::Failed { message },
        };
        Ok(report)
    }

    /// Whether some foreign key of the schema references the column `slot` names.
    fn referenced(&self, slot: &str) -> bool {
        self.schema.tables.iter().flat_map(|t| &t.foreign_keys).filter(|fk| fk.columns.len() == 1).any(|fk| {
            self.schema.table(&fk.ref_table).is_some_and(|target| {
                fk.referenced_columns(target).first().is_some_and(|c| key_slot(target, c) == slot)
            })
        })
    }

    /// Removes from `pending` the references the file itself or the database satisfies.
    fn resolve(
        &mut self,
        rows: &Rows,
        pending: &mut Vec<Pending>,
        own: &HashMap<String, HashSet<String>>,
    ) -> Result<(), LoadError> {
        pending.retain(|p| {
            let slot = &rows.references[p.reference].slot;
            !own.get(slot).is_some_and(|s| p.value.key_text().is_some_and(|k| s.contains(&k)))
        });
        let mut found: HashMap<usize, HashSet<String>> = HashMap::new();
        let mut by_reference: BTreeMap<usize, Vec<Cell>> = BTreeMap::new();
        let mut seen: HashSet<(usize, String)> = HashSet::new();
        for p in pending.iter() {
            if seen.insert((p.reference, p.value.key_text().unwrap_or_default())) {
                by_reference.entry(p.reference).or_default().push(p.value.clone());
            }
        }
        for (r, values) in by_reference {
            let reference = &rows.references[r];
            let present = self.session.present(
                reference.ref_namespace.as_deref(),
                &reference.ref_table,
                &reference.ref_column,
                &values,
            )?;
            found.insert(r, present.into_iter().collect());
        }
        pending
            .retain(|p| !found.get(&p.reference).is_some_and(|s| p.value.key_text().is_some_and(|k| s.contains(&k))));
        Ok(())
    }

    /// The second pass: writes the rows that fit, in one transaction (SQLite, PostgreSQL) or in
    /// committed batches that a later load resumes after (MySQL).
    fn write(&mut self, path: &Path, rows: &mut Rows, bad: &HashSet<u64>, resumed: &mut u64) -> Result<(), String> {
        let transactional = self.session.transactional();
        let source = source_id(path, rows.table);
        let start = if transactional {
            0
        } else {
            dialect::data::progress(self.session, &source).map_err(|e| e.to_string())?
        };
        *resumed = start;
        if transactional {
            self.session.begin().map_err(|e| e.to_string())?;
        }
        let mut batch = Batch::default();
        let table = rows.table;
        let written = read_records(open(path).map_err(|e| e.to_string())?, is_lines(path), |record: Record| {
            if record.index < start || bad.contains(&record.index) {
                return Ok(());
            }
            let cells = rows
                .row(&record, false)
                .map_err(|p| format!("record {} changed while loading: {}", record.index, p[0].message))?;
            let columns: Vec<usize> = cells.iter().map(|(c, _)| *c).collect();
            let key = conflict_key(table, &columns);
            let key_text = key_text(&cells, &key);
            if batch.columns != columns
                || (!key_text.is_empty() && batch.keys.contains(&key_text))
                || batch.rows.len() >= BATCH_ROWS
            {
                self.flush(table, &mut batch, transactional, &source, record.index)?;
                batch.columns = columns;
                batch.key = key;
            }
            batch.keys.insert(key_text);
            batch.rows.push(cells.into_iter().map(|(_, v)| v).collect());
            Ok(())
        });
        let outcome = match written {
            Ok(total) => self.flush(table, &mut batch, transactional, &source, total).and_then(|()| {
                if transactional {
                    self.session.commit().map_err(|e| e.to_string())
                } else {
                    dialect::data::clear_progress(self.session, &source).map_err(|e| e.to_string())
                }
            }),
            Err(ReadStop::Consumer(m)) => Err(m),
            Err(ReadStop::Syntax(m)) => Err(m),
        };
        if outcome.is_err() && transactional {
            let _ = self.session.rollback();
        }
        outcome
    }

    /// Writes the batch; without a transaction per file, commits it with the position reached.
    fn flush(
        &mut self,
        table: &Table,
        batch: &mut Batch,
        transactional: bool,
        source: &str,
        next: u64,
    ) -> Result<(), String> {
        if batch.rows.is_empty() {
            return Ok(());
        }
        let target = RowTarget {
            namespace: table.namespace.clone(),
            table: table.name.clone(),
            columns: batch.columns.iter().map(|&c| table.columns[c].name.clone()).collect(),
            key: batch.key.iter().map(|&c| table.columns[c].name.clone()).collect(),
        };
        let s = &mut *self.session;
        let run = |s: &mut dyn DataSession| -> Result<(), dialect::DbError> {
            if transactional {
                return s.upsert(&target, &batch.rows);
            }
            s.begin()?;
            let done = s.upsert(&target, &batch.rows).and_then(|()| dialect::data::record_progress(s, source, next));
            match done {
                Ok(()) => s.commit(),
                Err(e) => {
                    let _ = s.rollback();
                    Err(e)
                }
            }
        };
        run(s).map_err(|e| e.to_string())?;
        batch.rows.clear();
        batch.keys.clear();
        Ok(())
    }
}

#[derive(Default)]
struct Batch {
    columns: Vec<usize>,
    key: Vec<usize>,
    keys: HashSet<String>,
    rows: Vec<Vec<Cell>>,
}

/// The key an upsert matches on among the columns a row gives: the primary key, else the first
/// unique constraint they cover; empty when none (plain inserts).
fn conflict_key(table: &Table, columns: &[usize]) -> Vec<usize> {
    let position = |name: &String| table.columns.iter().position(|c| model::name_eq(&c.name, name));
    let covered = |names: &[String]| -> Option<Vec<usize>> {
        let cols: Option<Vec<usize>> = names.iter().map(position).collect();
        cols.filter(|cols| !cols.is_empty() && cols.iter().all(|c| columns.contains(c)))
    };
    table
        .primary_key
        .iter()
        .map(|pk| &pk.columns)
        .chain(table.uniques.iter().map(|u| &u.columns))
        .find_map(|names| covered(names))
        .unwrap_or_default()
}

fn key_text(cells: &[(usize, Cell)], key: &[usize]) -> String {
    if key.is_empty() {
        // Without a key, rows never replace one another.
        return String::new();
    }
    let mut out = String::new();
    for k in key {
        if let Some((_, v)) = cells.iter().find(|(c, _)| c == k) {
            out.push_str(&v.key_text().unwrap_or_default());
        }
        out.push('\u{1f}');
    }
    out
}
