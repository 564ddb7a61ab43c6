//! Markdown field-table front-end.
//!
//! A GFM table whose header has a name column (`필드명`, `column`, …) and a type column (`타입`,
//! `type`, …) lists the columns of one table: the one a `테이블`/`table` column names, else the one
//! the nearest heading names (`### 3.1 users 테이블` → `users`). Constraint words (`PK`,
//! `FK(users.id)`, `UNIQUE`, `NOT NULL`, `INDEX`, `DEFAULT=…`, `ON UPDATE=now()`, Korean `필수`,
//! `고유`, `기본키`, `외래키`) and optional nullable/default/key columns are read per row.

mod cells;
mod layout;
mod naming;
mod words;

pub(crate) use cells::split_name_cell;
pub(crate) use naming::{fk_target_from_column, to_snake};
use words::Constraints;

use crate::context::table_from_headings;
use crate::frontend::Partial;
use crate::scan::{Cell, Document, Heading, MdTable};
use crate::types::{is_serial, parse_loose_default};
use cells::{cell, recognized_type, split_type_cell, strip_keyword, yes_no};
use layout::layout;
use model::{
    name_eq, name_key, Check, Column, ForeignKey, Identity, Index, IndexPart, Notation, Origin, PrimaryKey, RuleInfo,
    Span, Stated, Table, Unique,
};
use std::collections::BTreeSet;
use std::sync::Arc;

model::declare_rule! {
    /// What it does: reports a field table (name and type columns) for which no table name can be
    /// found: no `테이블`/`table` column and no heading that names a table.
    ///
    /// Why it matters: its columns cannot be attached anywhere, so they are left out of the schema.
    ///
    /// Example: `## 필드 목록` followed by `| 필드명 | 타입 |` — put the table name in the heading
    /// (`## users 테이블`).
    pub UNATTACHED_FIELD_TABLE = "unattached-field-table", Info
}

model::declare_rule! {
    /// What it does: reports a table whose header looks like a field table but whose rows do not
    /// read as column definitions (names that are not identifiers, types that are not types).
    ///
    /// Why it matters: the table is skipped; if it was meant to define columns, they are missing.
    ///
    /// Example: `| 이름 | 타입 |` with rows `| 홍길동 | 관리자 |`.
    pub FIELD_TABLE_UNRECOGNIZED = "field-table-unrecognized", Info
}

model::declare_rule! {
    /// What it does: flags a row of a field table that cannot be read as a column (the name is not
    /// an identifier or the type is missing).
    ///
    /// Why it matters: the row is skipped, so the column is missing from the schema.
    ///
    /// Example: `| user name | String(50) |` — write the column name as one identifier (`user_name`).
    pub FIELD_TABLE_UNREADABLE_ROW = "field-table-unreadable-row", Warning
}

model::declare_rule! {
    /// What it does: flags a column listed twice for the same table in field tables.
    ///
    /// Why it matters: a table cannot have two columns of one name; one of the rows is outdated.
    /// The first row is kept.
    ///
    /// Example: two `| email | … |` rows under `### users 테이블`.
    pub FIELD_TABLE_DUPLICATE_COLUMN = "field-table-duplicate-column", Warning
}

model::declare_rule! {
    /// What it does: flags a bare `FK` in a field table whose target cannot be guessed from the
    /// column name (`owner` rather than `user_id`).
    ///
    /// Why it matters: the foreign key cannot be created without knowing what it references.
    ///
    /// Example: `| owner | String(36) | FK |` — write `FK(users.id)`.
    pub FIELD_TABLE_FOREIGN_KEY_WITHOUT_TARGET = "field-table-foreign-key-without-target", Warning
}

/// The diagnostics this front-end can report.
pub const RULES: &[RuleInfo] = &[
    UNATTACHED_FIELD_TABLE,
    FIELD_TABLE_UNRECOGNIZED,
    FIELD_TABLE_UNREADABLE_ROW,
    FIELD_TABLE_DUPLICATE_COLUMN,
    FIELD_TABLE_FOREIGN_KEY_WITHOUT_TARGET,
];

/// Reads the field tables of `docs`.
pub fn extract(docs: &[Document]) -> Partial {
    let mut out = Partial::new(Notation::FieldTable);
    let mut bare_fks: Vec<BareFk> = Vec::new();
    for doc in docs {
        for item in &doc.items {
            if let crate::scan::Item::Table(t) = item {
                read_table(&doc.file, t, &mut out, &mut bare_fks);
            }
        }
    }
    resolve_bare_fks(&mut out, bare_fks);
    out
}

/// A `FK` without a target, resolved once every table of the notation is known.
struct BareFk {
    table: String,
    column: String,
    /// Where the cell that says `FK` starts.
    origin: Origin,
    /// That cell's text.
    cell: String,
}

/// A table's name from the headings near it (at most three levels up).
fn heading_table(headings: &[Heading]) -> Option<(String, Option<&Heading>)> {
    let near = &headings[headings.len().saturating_sub(3)..];
    let name = table_from_headings(near, &BTreeSet::new())?;
    let key = name_key(&name);
    let heading = near.iter().rev().find(|h| h.text.to_lowercase().contains(&key));
    Some((name, heading))
}

fn heading_origin(file: &Arc<str>, h: &Heading, name: &str) -> Origin {
    let lower = h.text.to_lowercase();
    let idx = lower.find(&name.to_lowercase()).map(|b| lower[..b].chars().count()).unwrap_or(0);
    Origin::new(file.clone(), h.line, u32::from(h.level) + 2 + idx as u32, Notation::FieldTable)
}

fn cell_origin(file: &Arc<str>, c: &Cell) -> Origin {
    Origin::new(file.clone(), c.line, c.column, Notation::FieldTable)
}

/// The span of `text` written at `o`, the start of a cell's text (pulldown-cmark trims cells).
fn span(o: &Origin, text: &str) -> Span {
    Span { len: text.trim().chars().count() as u32, ..Span::from(o) }
}

fn read_table(file: &Arc<str>, t: &MdTable, out: &mut Partial, bare_fks: &mut Vec<BareFk>) {
    let l = layout(&t.header);
    let (Some(name_col), Some(type_col)) = (l.name, l.ty) else { return };
    if name_col == type_col {
        return;
    }
    let table_span = Span::new(file.clone(), t.line, 1, 0);
    // Judge the rows: names must be identifiers and types must be types.
    let mut nonempty = 0usize;
    let mut good = 0usize;
    for row in &t.rows {
        let name = cell(row, Some(name_col)).map(|c| c.text.as_str()).unwrap_or("");
        if name.trim().is_empty() {
            continue;
        }
        nonempty += 1;
        let ty = cell(row, Some(type_col)).map(|c| c.text.as_str()).unwrap_or("");
        if split_name_cell(name).is_some() && recognized_type(ty) {
            good += 1;
        }
    }
    if nonempty == 0 {
        return;
    }
    if good == 0 || good * 2 < nonempty {
        out.diagnostics.push(FIELD_TABLE_UNRECOGNIZED.at(
            table_span,
            format!(
                "table with field-table headers has rows that do not read as columns ({good} of {nonempty} rows readable); it is skipped"
            ),
        ));
        return;
    }
    let fallback = if l.table.is_none() {
        match heading_table(&t.headings) {
            Some((name, h)) => {
                let origin = match h {
                    Some(h) => heading_origin(file, h, &name),
                    None => Origin::new(file.clone(), t.line, 1, Notation::FieldTable),
                };
                Some((name, origin))
            }
            None => {
                out.diagnostics.push(
                    UNATTACHED_FIELD_TABLE
                        .at(table_span, format!("field table with {nonempty} fields names no table; it is skipped"))
                        .with_help(
                            "name the table in the heading above it (`### users 테이블`) or add a `테이블` column",
                        ),
                );
                return;
            }
        }
    } else {
        None
    };
    let mut current: Option<(String, Origin)> = fallback.clone();
    for row in &t.rows {
        let Some(name_cell) = cell(row, Some(name_col)) else { continue };
        if name_cell.text.trim().is_empty() {
            continue;
        }
        if let Some(tc) = l.table.and_then(|i| row.get(i)) {
            if let Some((tname, _)) = split_name_cell(&tc.text) {
                current = Some((tname, cell_origin(file, tc)));
            }
        }
        let Some((table_name, table_origin)) = current.clone() else {
            let name = split_name_cell(&name_cell.text).map_or(name_cell.text.clone(), |(n, _)| n);
            out.diagnostics.push(UNATTACHED_FIELD_TABLE.at(
                span(&cell_origin(file, name_cell), &name),
                format!("field `{}` has no table name in its row; it is skipped", name_cell.text),
            ));
            continue;
        };
        let Some((col_name, name_rest)) = split_name_cell(&name_cell.text) else {
            out.diagnostics.push(FIELD_TABLE_UNREADABLE_ROW.at(
                span(&cell_origin(file, name_cell), &name_cell.text),
                format!("`{}` is not a column name; the row is skipped", name_cell.text),
            ));
            continue;
        };
        let type_cell = cell(row, Some(type_col));
        let Some((ty, type_rest)) = type_cell.and_then(|c| split_type_cell(&c.text)) else {
            let what = type_cell.map(|c| c.text.trim()).unwrap_or("");
            let o = type_cell.map(|c| cell_origin(file, c)).unwrap_or_else(|| cell_origin(file, name_cell));
            out.diagnostics.push(FIELD_TABLE_UNREADABLE_ROW.at(
                span(&o, if what.is_empty() { &col_name } else { what }),
                if what.is_empty() {
                    format!("field `{col_name}` has no type; the row is skipped")
                } else {
                    format!("`{what}` is not a column type (field `{col_name}`); the row is skipped")
                },
            ));
            continue;
        };
        let origin = cell_origin(file, name_cell);
        let table_idx = match out.schema.tables.iter().position(|x| name_eq(&x.name, &table_name)) {
            Some(i) => i,
            None => {
                out.schema.tables.push(Table::new(table_name.clone(), table_origin.clone()));
                out.schema.tables.len() - 1
            }
        };
        if let Some(existing) = out.schema.tables[table_idx].column(&col_name) {
            let d = FIELD_TABLE_DUPLICATE_COLUMN
                .at(span(&origin, &col_name), format!("field `{col_name}` of table `{table_name}` is listed again"))
                .with_related(span(&existing.origin, &existing.name), "first listed here");
            out.diagnostics.push(d);
            continue;
        }

        // Gather every constraint word the row states, with the cell it came from.
        let mut words = Constraints::default();
        let mut word_cell = name_cell;
        for (text, c) in [(name_rest.as_str(), Some(name_cell)), (type_rest.as_str(), type_cell)] {
            if !text.is_empty() {
                words.read(text);
                if let Some(c) = c {
                    word_cell = c;
                }
            }
        }
        for idx in [l.constraint, l.key] {
            if let Some(c) = cell(row, idx) {
                if !c.text.trim().is_empty() {
                    words.read(&c.text);
                    word_cell = c;
                }
            }
        }
        if let Some(c) = cell(row, l.nullable) {
            match yes_no(&c.text) {
                Some(true) => words.nullable = true,
                Some(false) => words.not_null = true,
                None => {}
            }
        }
        if let Some(c) = cell(row, l.required) {
            match yes_no(&c.text) {
                Some(true) => words.not_null = true,
                Some(false) => words.nullable = true,
                None => {}
            }
        }
        if let Some(c) = cell(row, l.default) {
            let text = c.text.trim();
            let text = strip_keyword(text, "default").unwrap_or(text);
            let text = text.trim_start_matches(['=', ':']).trim();
            if !text.is_empty() && !matches!(text, "-" | "—" | "–" | "없음" | "N/A" | "n/a") {
                words.default = Some(text.to_string());
            }
        }
        let word_origin = cell_origin(file, word_cell);

        let mut col = Column::new(col_name.clone(), ty, origin.clone());
        col.stated = Stated { nullable: words.pk || words.not_null || words.nullable, default: true };
        col.nullable = !(words.pk || words.not_null);
        col.default = words.default.as_deref().map(parse_loose_default);
        col.on_update = words.on_update.clone();
        if words.auto {
            col.identity = Some(Identity::AutoIncrement);
        } else if is_serial(&col.ty.spelling) {
            col.identity = Some(Identity::Serial);
        }
        col.comment = cell(row, l.description)
            .map(|c| c.text.trim().to_string())
            .filter(|s| !s.is_empty() && !matches!(s.as_str(), "-" | "—"));
        let table = &mut out.schema.tables[table_idx];
        table.columns.push(col);
        if words.pk {
            match table.primary_key.as_mut() {
                Some(pk) => pk.columns.push(col_name.clone()),
                None => {
                    table.primary_key =
                        Some(PrimaryKey { name: None, columns: vec![col_name.clone()], origin: word_origin.clone() })
                }
            }
        }
        if words.unique {
            table.uniques.push(Unique { name: None, columns: vec![col_name.clone()], origin: word_origin.clone() });
        }
        if let Some(expr) = &words.check {
            table.checks.push(Check {
                name: None,
                expr: expr.clone(),
                columns: vec![col_name.clone()],
                origin: word_origin.clone(),
            });
        }
        match &words.fk {
            Some(fk) => table.foreign_keys.push(ForeignKey {
                name: None,
                columns: vec![col_name.clone()],
                ref_table: fk.table.clone(),
                ref_columns: fk.columns.clone(),
                on_delete: fk.on_delete,
                on_update: fk.on_update,
                inferred: false,
                origin: word_origin.clone(),
            }),
            None if words.bare_fk => bare_fks.push(BareFk {
                table: table.name.clone(),
                column: col_name.clone(),
                origin: word_origin.clone(),
                cell: word_cell.text.clone(),
            }),
            None => {}
        }
        // NOTE: a primary key or unique constraint is already backed by an index: `PK, INDEX` and
        // `UNIQUE, INDEX` describe that index, not a second one.
        if words.index && !words.pk && !words.unique {
            let table_name = table.name.clone();
            out.schema.indexes.push(Index {
                name: None,
                table: table_name,
                parts: vec![IndexPart::column(col_name.clone())],
                unique: words.unique,
                method: None,
                predicate: None,
                include: Vec::new(),
                origin: word_origin,
            });
        }
    }
}

fn resolve_bare_fks(out: &mut Partial, bare: Vec<BareFk>) {
    let known: BTreeSet<String> = out.schema.tables.iter().map(|t| name_key(&t.name)).collect();
    for fk in bare {
        let Some(table) = out.schema.table_mut(&fk.table) else { continue };
        match fk_target_from_column(&fk.column, &known) {
            Some(target) => table.foreign_keys.push(ForeignKey {
                name: None,
                columns: vec![fk.column],
                ref_table: target,
                ref_columns: Vec::new(),
                on_delete: None,
                on_update: None,
                inferred: true,
                origin: Origin::inferred_from(&fk.origin),
            }),
            None => out.diagnostics.push(
                FIELD_TABLE_FOREIGN_KEY_WITHOUT_TARGET
                    .at(
                        span(&fk.origin, &fk.cell),
                        format!("`{}.{}` is marked FK but names no target", fk.table, fk.column),
                    )
                    .with_help("write the target: `FK(users.id)`"),
            ),
        }
    }
}

#[cfg(test)]
mod tests;
