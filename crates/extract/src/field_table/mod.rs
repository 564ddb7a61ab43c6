//! Markdown field-table front-end.
//!
//! A GFM table whose header has a name column (`필드명`, `column`, …) and a type column (`타입`,
//! `type`, …) lists the columns of one table: the one a `테이블`/`table` column names, else the one
//! the nearest heading names (`### 3.1 users 테이블` → `users`). Constraint words (`PK`,
//! `FK(users.id)`, `UNIQUE`, `NOT NULL`, `INDEX`, `DEFAULT=…`, `ON UPDATE=now()`, Korean `필수`,
//! `고유`, `기본키`, `외래키`) and optional nullable/default/key columns are read per row.

mod catalog;
mod cells;
mod layout;
pub(crate) mod naming;
mod row;
mod section;
mod subdocument;
mod words;

pub(crate) use cells::split_name_cell;
pub(crate) use naming::{fk_target_from_column, to_snake};
pub(crate) use words::Constraints;

use crate::context::{named_table_from_headings, NamedTable};
use crate::frontend::Partial;
use crate::scan::{Cell, Document, Heading, Item, MdTable};
use cells::{cell, packed_names, packed_part, recognized_type};
use layout::layout;
use model::{name_eq, name_key, ForeignKey, Index, Notation, Origin, PrimaryKey, RuleInfo, Span, Table};
use row::{read_row, RowCx};
use section::{Given, Sections};
use std::collections::BTreeSet;
use std::sync::Arc;
use subdocument::Subdocument;

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

model::declare_rule! {
    /// What it does: reports a field table under a heading that names a path inside a document
    /// (`#### playlists.tracks[]`): the fields of nested sub-documents, not columns.
    ///
    /// Why it matters: the fields are not merged into the parent table; the parent keeps one JSON
    /// column for them (added when no row lists it).
    ///
    /// Example: `#### orders.items[]` followed by `| Field | Type |` rows `sku`, `qty`.
    pub FIELD_TABLE_SUBDOCUMENT = "field-table-subdocument", Info
}

/// The diagnostics this front-end can report.
pub const RULES: &[RuleInfo] = &[
    UNATTACHED_FIELD_TABLE,
    FIELD_TABLE_UNRECOGNIZED,
    FIELD_TABLE_UNREADABLE_ROW,
    FIELD_TABLE_DUPLICATE_COLUMN,
    FIELD_TABLE_FOREIGN_KEY_WITHOUT_TARGET,
    FIELD_TABLE_SUBDOCUMENT,
];

/// Reads the field tables of `docs`.
pub fn extract(docs: &[Document]) -> Partial {
    let mut out = Partial::new(Notation::FieldTable);
    let mut bare_fks: Vec<BareFk> = Vec::new();
    let mut subdocuments: Vec<Subdocument> = Vec::new();
    let mut catalogued: BTreeSet<String> = BTreeSet::new();
    let mut keyed: Vec<Index> = Vec::new();
    for doc in docs {
        let mut sections = Sections::default();
        for item in &doc.items {
            match item {
                Item::Heading(h) => {
                    for g in sections.heading(h) {
                        keys_without_field_table(&doc.file, g, &mut out, &mut catalogued);
                    }
                }
                Item::Paragraph(p) => sections.paragraph(&doc.file, p, false),
                // NOTE: `- 테이블명: users` is written as a bullet as often as a paragraph.
                Item::ListItem(li) => sections.paragraph(&doc.file, li, true),
                Item::Table(t) if catalog::read(&doc.file, t, &mut out, &mut catalogued) => {
                    out.mark_read(&doc.file, t.line);
                }
                Item::Table(t) => {
                    let l = layout(&t.header);
                    if l.name.is_some() && l.ty.is_some() && l.name != l.ty {
                        // A table headed as a field table is read or reported by `read_table`.
                        out.mark_read(&doc.file, t.line);
                    }
                    let given = sections.given();
                    for line in given.iter().flat_map(|g| g.items.iter()) {
                        out.mark_read(&doc.file, *line);
                    }
                    let mut cx = TableCx {
                        file: &doc.file,
                        bare_fks: &mut bare_fks,
                        subdocuments: &mut subdocuments,
                        keyed: &mut keyed,
                    };
                    read_table(&mut cx, t, given.as_ref(), &mut out);
                }
                _ => {}
            }
        }
        for g in sections.finish() {
            keys_without_field_table(&doc.file, g, &mut out, &mut catalogued);
        }
    }
    resolve_bare_fks(&mut out, bare_fks);
    keyed_indexes(&mut out, keyed);
    subdocument::attach(&mut out, subdocuments);
    for t in &mut out.schema.tables {
        merge_repeated_keys(t);
    }
    // Tables only a key catalog names are defined elsewhere: the catalog alters them.
    for t in &out.schema.tables {
        let key = name_key(&t.name);
        if t.columns.is_empty() && catalogued.contains(&key) {
            out.altered_only.insert(key);
        }
    }
    out
}

/// A `FK` without a target, resolved once every table of the notation is known.
struct BareFk {
    table: String,
    column: String,
    /// The table the cell names without a column (`FK (users)`).
    named: Option<String>,
    /// Where the cell that says `FK` starts.
    origin: Origin,
    /// That cell's text.
    cell: String,
}

/// What reading one field table adds to besides the schema.
struct TableCx<'a> {
    file: &'a Arc<str>,
    bare_fks: &'a mut Vec<BareFk>,
    subdocuments: &'a mut Vec<Subdocument>,
    /// Indexes rows state on a primary key column (`PK, INDEX`).
    keyed: &'a mut Vec<Index>,
}

/// A table's name from the headings near it (at most three levels up).
fn heading_table(headings: &[Heading]) -> Option<(NamedTable, &Heading)> {
    let near = &headings[headings.len().saturating_sub(3)..];
    named_table_from_headings(near, &BTreeSet::new())
}

/// Where `name` is written in a heading (its text lost the backticks around code spans).
fn heading_origin(file: &Arc<str>, h: &Heading, name: &str) -> Origin {
    let lower = h.text.to_lowercase();
    let at = lower.find(&name.to_lowercase()).unwrap_or(0);
    let mut idx = lower[..at].chars().count() as u32;
    // Each code span before the name (and the one holding it) had backticks the text lost.
    let mut pos = 0;
    for code in &h.code_spans {
        let Some(found) = h.text[pos..].find(code.as_str()).map(|f| f + pos) else { break };
        if found > at {
            break;
        }
        idx += if found + code.len() <= at { 2 } else { 1 };
        pos = found + code.len();
    }
    Origin::new(file.clone(), h.line, u32::from(h.level) + 2 + idx, Notation::FieldTable)
}

fn cell_origin(file: &Arc<str>, c: &Cell) -> Origin {
    Origin::new(file.clone(), c.line, c.column, Notation::FieldTable)
}

/// The span of `text` written at `o`, the start of a cell's text (pulldown-cmark trims cells).
fn span(o: &Origin, text: &str) -> Span {
    Span { len: text.trim().chars().count() as u32, ..Span::from(o) }
}

/// The rows of a table with each packed row (`` `a` / `b` / `c` `` in the name cell) split into
/// one row per column; the other cells are split the same way when they hold as many parts.
fn unpack_rows(rows: &[Vec<Cell>], name_col: usize) -> Vec<Vec<Cell>> {
    let mut out = Vec::with_capacity(rows.len());
    for row in rows {
        let Some(names) = row.get(name_col).and_then(|c| packed_names(&c.text)) else {
            out.push(row.clone());
            continue;
        };
        for (i, name) in names.iter().enumerate() {
            let unpacked = row
                .iter()
                .enumerate()
                .map(|(k, c)| {
                    if k == name_col {
                        let at = c.text.find(name.as_str()).map_or(0, |b| c.text[..b].chars().count() as u32);
                        Cell { text: name.clone(), line: c.line, column: c.column + at }
                    } else {
                        Cell { text: packed_part(&c.text, names.len(), i), ..c.clone() }
                    }
                })
                .collect();
            out.push(unpacked);
        }
    }
    out
}

fn read_table(cx: &mut TableCx, t: &MdTable, given: Option<&Given>, out: &mut Partial) {
    let file = cx.file;
    let l = layout(&t.header);
    let (Some(name_col), Some(type_col)) = (l.name, l.ty) else { return };
    if name_col == type_col {
        return;
    }
    let rows = unpack_rows(&t.rows, name_col);
    let table_span = Span::new(file.clone(), t.line, 1, 0);
    // Judge the rows: names must be identifiers and types must be types.
    let mut nonempty = 0usize;
    let mut good = 0usize;
    for row in &rows {
        let name = cell(row, Some(name_col)).map(|c| c.text.as_str()).unwrap_or("");
        if name.trim().is_empty() {
            continue;
        }
        nonempty += 1;
        let ty = cell(row, Some(type_col)).map(|c| c.text.as_str()).unwrap_or("");
        if split_name_cell(name).is_some() && recognized_type(ty) || crate::types::laravel_timestamps(name).is_some() {
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
    if l.table.is_none() {
        if let Some(sub) = subdocument::under_heading(file, t, &rows, name_col) {
            cx.subdocuments.push(sub);
            return;
        }
    }
    let fallback = if l.table.is_none() {
        match table_name(file, t, given) {
            Some(named) => Some(named),
            None => {
                out.diagnostics.push(
                    UNATTACHED_FIELD_TABLE
                        .at(table_span, format!("field table with {nonempty} fields names no table; it is skipped"))
                        .with_help(
                            "name the table in the heading above it (`### users 테이블`), in a `**Table Name**: users` line, or add a `테이블` column",
                        ),
                );
                return;
            }
        }
    } else {
        None
    };
    let mut current: Option<(String, Origin)> = fallback.as_ref().map(|(n, o)| (n.name.clone(), o.clone()));
    let mut touched: Vec<usize> = Vec::new();
    for row in &rows {
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
        let table_idx = out.table_slot(&table_name, &table_origin);
        if !touched.contains(&table_idx) {
            touched.push(table_idx);
        }
        read_row(&RowCx { file, layout: &l, table_idx }, row, out, cx.bare_fks, cx.keyed);
    }
    if let (Some((named, _)), Some(&idx)) = (&fallback, touched.first()) {
        apply_given(&mut out.schema.tables[idx], named, given);
    }
}

/// The table a field table without a `테이블` column belongs to, with its logical name: a heading
/// below the labelled paragraphs that names one, else the paragraphs' `**Table Name**`, else the
/// nearest heading that names one. The heading's own words become the label of a name the
/// paragraphs give (`### 3. Locker` over `**Table Name**: gym_lockers`).
fn table_name(file: &Arc<str>, t: &MdTable, given: Option<&Given>) -> Option<(NamedTable, Origin)> {
    let heading = heading_table(&t.headings).map(|(n, h)| {
        let o = heading_origin(file, h, &n.name);
        (n, o, h.level)
    });
    match (given.and_then(|g| g.name.clone().map(|n| (n, g.level))), heading) {
        (Some(((named, o), level)), Some((hn, ho, hl))) => {
            if hl > level {
                return Some((hn, ho));
            }
            let mut named = named;
            if named.label.is_none() {
                let same = name_eq(&hn.name, &named.name);
                named.label = if same { hn.label } else { Some(hn.label.unwrap_or(hn.name)) };
            }
            Some((named, o))
        }
        (Some(((named, o), _)), None) => Some((named, o)),
        (None, Some((hn, ho, _))) => Some((hn, ho)),
        (None, None) => None,
    }
}

/// Applies what the section's paragraphs and heading say beyond the rows: the logical name as the
/// table's comment, a `**Primary Key**` line, `**Foreign Keys**` lines.
fn apply_given(table: &mut Table, named: &NamedTable, given: Option<&Given>) {
    let label = given.and_then(|g| g.label.clone()).or_else(|| named.label.clone());
    if table.comment.is_none() {
        table.comment = label;
    }
    let Some(given) = given else { return };
    if let Some((cols, origin)) = &given.primary_key {
        if table.primary_key.is_none() {
            table.primary_key = Some(PrimaryKey { name: None, columns: cols.clone(), origin: origin.clone() });
        }
        // NOTE: every column of a primary key is NOT NULL, whatever the rows say.
        for c in table.columns.iter_mut().filter(|c| cols.iter().any(|k| name_eq(k, &c.name))) {
            c.nullable = false;
            c.stated.nullable = true;
        }
    }
    for (col, fk, origin) in &given.foreign_keys {
        if table.foreign_keys.iter().any(|f| f.columns.len() == 1 && name_eq(&f.columns[0], col)) {
            continue;
        }
        table.foreign_keys.push(ForeignKey {
            name: None,
            columns: vec![col.clone()],
            ref_table: fk.table.clone(),
            ref_columns: fk.columns.clone(),
            on_delete: fk.on_delete,
            on_update: fk.on_update,
            inferred: false,
            origin: origin.clone(),
        });
    }
}

/// Keys that `**Primary Key**` / `**Foreign Keys**` paragraphs give for a table no field table
/// follows (one defined in SQL below them): they alter the table the paragraphs or the heading
/// name. Paragraphs that name no table are left for the unread-items report.
fn keys_without_field_table(file: &Arc<str>, g: Given, out: &mut Partial, catalogued: &mut BTreeSet<String>) {
    if g.primary_key.is_none() && g.foreign_keys.is_empty() {
        return;
    }
    let Some((named, origin)) = g.name.clone().or_else(|| g.heading.clone()) else { return };
    for line in &g.items {
        out.mark_read(file, *line);
    }
    let key = name_key(&named.name);
    catalogued.insert(key.clone());
    let idx = out.table_slot(&named.name, &origin);
    let named = NamedTable { label: None, ..named };
    apply_given(&mut out.schema.tables[idx], &named, Some(&g));
}

/// One key said twice (a row's `FK → t.c` and a catalog row naming it, a `UNIQUE` word and a
/// catalog's unique constraint) is one key: the first keeps what the later ones add (a name,
/// referential actions, referenced columns).
fn merge_repeated_keys(t: &mut Table) {
    let mut fks: Vec<ForeignKey> = Vec::new();
    for fk in std::mem::take(&mut t.foreign_keys) {
        let same = fks.iter_mut().find(|f| {
            f.columns.len() == fk.columns.len()
                && f.columns.iter().zip(&fk.columns).all(|(a, b)| name_eq(a, b))
                && name_eq(&f.ref_table, &fk.ref_table)
        });
        match same {
            Some(f) => {
                f.name = f.name.take().or(fk.name);
                f.on_delete = f.on_delete.or(fk.on_delete);
                f.on_update = f.on_update.or(fk.on_update);
                if f.ref_columns.is_empty() {
                    f.ref_columns = fk.ref_columns;
                }
                f.inferred &= fk.inferred;
            }
            None => fks.push(fk),
        }
    }
    t.foreign_keys = fks;
    let mut uniques: Vec<model::Unique> = Vec::new();
    for u in std::mem::take(&mut t.uniques) {
        let same = uniques.iter_mut().find(|x| {
            x.columns.len() == u.columns.len() && x.columns.iter().zip(&u.columns).all(|(a, b)| name_eq(a, b))
        });
        match same {
            Some(x) => x.name = x.name.take().or(u.name),
            None => uniques.push(u),
        }
    }
    t.uniques = uniques;
}

/// Keeps the indexes stated on primary key columns that the key's own index does not serve: those
/// on a column after the first of a composite key (`recipe_id PK, FK` / `ingredient_id PK, FK,
/// INDEX`).
fn keyed_indexes(out: &mut Partial, keyed: Vec<Index>) {
    for index in keyed {
        let Some(column) = index.parts.first().and_then(|p| p.column.as_deref()) else { continue };
        let leading =
            out.schema.table(&index.table).and_then(|t| t.primary_key.as_ref()).and_then(|pk| pk.columns.first());
        if !leading.is_some_and(|c| name_eq(c, column)) {
            out.schema.indexes.push(index);
        }
    }
}

fn resolve_bare_fks(out: &mut Partial, bare: Vec<BareFk>) {
    let known: BTreeSet<String> = out.schema.tables.iter().map(|t| name_key(&t.name)).collect();
    for fk in bare {
        let Some(table) = out.schema.table_mut(&fk.table) else { continue };
        // `FK (users)`: the table is written, its primary key is the target.
        if let Some(named) = fk.named.as_ref().filter(|n| known.contains(&name_key(n))) {
            table.foreign_keys.push(ForeignKey {
                name: None,
                columns: vec![fk.column],
                ref_table: named.clone(),
                ref_columns: Vec::new(),
                on_delete: None,
                on_update: None,
                inferred: false,
                origin: fk.origin,
            });
            continue;
        }
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
