//! One record turned into the cells of a row of its table, with every way it does not fit.

use crate::convert::{convert, describe};
use crate::fields::{column_for, FieldMap};
use crate::source::Record;
use crate::Problem;
use dialect::Cell;
use model::{Column, Schema, Table};
use std::collections::{BTreeMap, HashMap};

/// A single-column foreign key of the table being loaded.
pub(crate) struct Reference {
    /// The referencing column, by position in the table.
    pub column: usize,
    pub ref_namespace: Option<String>,
    pub ref_table: String,
    pub ref_column: String,
    /// Where loaded keys of the referenced column are kept ([`key_slot`]).
    pub slot: String,
}

/// Where the loaded values of `table.column` are remembered, so that later files can reference them.
pub(crate) fn key_slot(table: &Table, column: &str) -> String {
    format!("{}\u{1f}{}", table.key(), model::name_key(column))
}

/// Prepares the records of one file for one table.
pub(crate) struct Rows<'s> {
    pub table: &'s Table,
    schema: &'s Schema,
    stem: String,
    maps: &'s [FieldMap],
    /// Field name → column position, or `None` for a field no column takes.
    fields: HashMap<String, Option<usize>>,
    pub references: Vec<Reference>,
    /// How many records carry each field no column takes.
    pub unmapped: BTreeMap<String, u64>,
}

/// Whether a row must give `column` a value: NOT NULL, and nothing the database fills in.
fn required(column: &Column) -> bool {
    !column.nullable && column.default.is_none() && column.identity.is_none() && column.generated.is_none()
}

impl<'s> Rows<'s> {
    pub fn new(table: &'s Table, schema: &'s Schema, stem: String, maps: &'s [FieldMap]) -> Self {
        let mut references = Vec::new();
        for fk in table.foreign_keys.iter().filter(|fk| fk.columns.len() == 1) {
            let Some(target) = schema.table(&fk.ref_table).filter(|t| !t.is_declared_only()) else { continue };
            let Ok([ref_column]) = <[String; 1]>::try_from(fk.referenced_columns(target)) else { continue };
            let Some(column) = table.columns.iter().position(|c| model::name_eq(&c.name, &fk.columns[0])) else {
                continue;
            };
            references.push(Reference {
                column,
                ref_namespace: target.namespace.clone(),
                ref_table: target.name.clone(),
                slot: key_slot(target, &ref_column),
                ref_column,
            });
        }
        Rows { table, schema, stem, maps, fields: HashMap::new(), references, unmapped: BTreeMap::new() }
    }

    fn column_of(&mut self, field: &str) -> Option<usize> {
        if let Some(c) = self.fields.get(field) {
            return *c;
        }
        let c = column_for(self.table, &self.stem, field, self.maps);
        self.fields.insert(field.to_string(), c);
        c
    }

    /// The primary key column, when the key is one column.
    fn single_key(&self) -> Option<usize> {
        match self.table.primary_key.as_ref().map(|pk| &pk.columns[..]) {
            Some([one]) => self.table.columns.iter().position(|c| model::name_eq(&c.name, one)),
            _ => None,
        }
    }

    fn problem(&self, record: &Record, field: Option<&str>, column: Option<usize>, message: String) -> Problem {
        Problem {
            index: record.index,
            key: record.key.clone(),
            field: field.map(str::to_string),
            column: column.map(|c| format!("{}.{}", self.table.name, self.table.columns[c].name)),
            message,
            help: None,
        }
    }

    /// The row's cells by column position (ascending), or every way it does not fit.
    /// `count_unmapped` tallies fields no column takes (once per file: on the first pass).
    pub fn row(&mut self, record: &Record, count_unmapped: bool) -> Result<Vec<(usize, Cell)>, Vec<Problem>> {
        let serde_json::Value::Object(object) = &record.value else {
            let message = format!("expected an object, found {}", describe(&record.value));
            return Err(vec![self.problem(record, None, None, message)]);
        };
        let mut cells: Vec<(usize, Cell)> = Vec::with_capacity(object.len() + 1);
        let mut problems = Vec::new();
        // Columns whose value did not convert: reported once, not also as missing.
        let mut misfits: Vec<usize> = Vec::new();
        for (field, value) in object {
            let Some(c) = self.column_of(field) else {
                if count_unmapped {
                    *self.unmapped.entry(field.clone()).or_default() += 1;
                }
                continue;
            };
            let column = &self.table.columns[c];
            if column.generated.is_some() {
                continue;
            }
            if cells.iter().any(|(k, _)| *k == c) {
                let message = format!("two fields go to column `{}`", column.name);
                problems.push(self.problem(record, Some(field), Some(c), message));
                continue;
            }
            match convert(value, column, self.schema) {
                Ok(cell) => cells.push((c, cell)),
                Err(m) => {
                    misfits.push(c);
                    problems.push(self.problem(record, Some(field), Some(c), m));
                }
            }
        }
        // An object keyed by id gives the key to the primary key when the row lacks it.
        if let (Some(key), Some(pk)) = (&record.key, self.single_key()) {
            if !cells.iter().any(|(c, _)| *c == pk) {
                match convert(&serde_json::Value::String(key.clone()), &self.table.columns[pk], self.schema) {
                    Ok(cell) => cells.push((pk, cell)),
                    Err(m) => {
                        misfits.push(pk);
                        problems.push(self.problem(record, None, Some(pk), format!("the key `{key}`: {m}")));
                    }
                }
            }
        }
        for (c, column) in self.table.columns.iter().enumerate() {
            let given = cells.iter().find(|(k, _)| *k == c).map(|(_, cell)| cell);
            if required(column) && !misfits.contains(&c) && !matches!(given, Some(cell) if *cell != Cell::Null) {
                let what = if given.is_some() { "is null" } else { "is missing" };
                let field = self.field_of(c);
                let mut p = self.problem(
                    record,
                    Some(&field),
                    Some(c),
                    format!(
                        "`{field}` {what}, but `{}.{}` is NOT NULL without a default",
                        self.table.name, column.name
                    ),
                );
                if given.is_none() && self.fields.values().all(|v| *v != Some(c)) {
                    p.help = Some(format!(
                        "if the file names it differently, map it: `--map {}.FIELD={}.{}`",
                        self.stem, self.table.name, column.name
                    ));
                }
                problems.push(p);
            }
        }
        if problems.is_empty() {
            cells.sort_by_key(|(c, _)| *c);
            Ok(cells)
        } else {
            Err(problems)
        }
    }

    /// The field name a column is read from in this file (the column's name when none is seen yet).
    pub fn field_of(&self, column: usize) -> String {
        let mut seen: Vec<&String> = self.fields.iter().filter(|(_, c)| **c == Some(column)).map(|(f, _)| f).collect();
        seen.sort();
        seen.first().map_or_else(|| self.table.columns[column].name.clone(), |f| (*f).clone())
    }
}
