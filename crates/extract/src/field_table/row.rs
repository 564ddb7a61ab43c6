//! One row of a field table: a column and the keys and constraints it states.

use super::cells::{cell, strip_keyword, type_cell_as_written, yes_no};
use super::layout::Layout;
use super::words::{parse_ref, split_default_cell, Constraints, FkTarget};
use super::{cell_origin, span, BareFk, FIELD_TABLE_DUPLICATE_COLUMN, FIELD_TABLE_UNREADABLE_ROW};
use crate::frontend::Partial;
use crate::scan::Cell;
use crate::types::{is_serial, laravel_timestamps, parse_loose_default, strip_optional};
use model::{Check, Column, DataType, ForeignKey, Identity, Index, IndexPart, PrimaryKey, Stated, TypeKind, Unique};
use std::sync::Arc;

/// Where a row is read: its file, the header layout and the table it belongs to.
pub(super) struct RowCx<'a> {
    pub file: &'a Arc<str>,
    pub layout: &'a Layout,
    pub table_idx: usize,
}

/// Reads one row (with a name) into the table at `cx.table_idx`.
pub(super) fn read_row(
    cx: &RowCx,
    row: &[Cell],
    out: &mut Partial,
    bare_fks: &mut Vec<BareFk>,
    keyed: &mut Vec<Index>,
) {
    let (file, l) = (cx.file, cx.layout);
    let Some(name_cell) = cell(row, l.name) else { return };
    if let Some(columns) = laravel_timestamps(&name_cell.text) {
        // NOTE: Laravel's `timestamps()` adds two nullable TIMESTAMP columns.
        let table = &mut out.schema.tables[cx.table_idx];
        for c in columns {
            if table.column(c).is_none() {
                let ty = DataType::new(TypeKind::Timestamp { tz: false, precision: None }, "timestamps");
                table.columns.push(Column::new(c, ty, cell_origin(file, name_cell)));
            }
        }
        return;
    }
    let Some((col_name, name_rest)) = super::split_name_cell(&name_cell.text) else {
        out.diagnostics.push(FIELD_TABLE_UNREADABLE_ROW.at(
            span(&cell_origin(file, name_cell), &name_cell.text),
            format!("`{}` is not a column name; the row is skipped", name_cell.text),
        ));
        return;
    };
    let type_cell = cell(row, l.ty);
    // `| VARCHAR2 | 100 |`, `| NUMBER | 12,2 |`: a length written in a column of its own.
    let length = cell(row, l.length).map(|c| c.text.trim()).filter(|t| !is_blank(t) && !t.contains(['(', ')']));
    let type_text = type_cell.map(|c| match length {
        Some(len) if !c.text.contains('(') && !c.text.trim().is_empty() => format!("{}({len})", c.text.trim()),
        _ => c.text.clone(),
    });
    // A type no vocabulary knows is kept as written, now that the table reads as a field table.
    let Some((ty, type_rest)) = type_text.as_deref().and_then(type_cell_as_written) else {
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
        return;
    };
    let origin = cell_origin(file, name_cell);
    let table_name = out.schema.tables[cx.table_idx].name.clone();
    if let Some(existing) = out.schema.tables[cx.table_idx].column(&col_name) {
        let d = FIELD_TABLE_DUPLICATE_COLUMN
            .at(span(&origin, &col_name), format!("field `{col_name}` of table `{table_name}` is listed again"))
            .with_related(span(&existing.origin, &existing.name), "first listed here");
        out.diagnostics.push(d);
        return;
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
        if let Some(c) = cell(row, idx).filter(|c| !c.text.trim().is_empty()) {
            words.read(&c.text);
            word_cell = c;
        }
    }
    if let Some(c) = cell(row, l.primary_key) {
        let changed = changes(&mut words, |w| match yes_no(&c.text) {
            Some(true) => w.pk = true,
            Some(false) => {}
            None => w.read(&c.text),
        });
        if changed {
            word_cell = c;
        }
    }
    if let Some(c) = cell(row, l.foreign_key) {
        let text = c.text.trim();
        let changed = changes(&mut words, |w| match yes_no(text) {
            Some(true) => w.bare_fk = true,
            Some(false) => {}
            None if is_blank(text) => {}
            None if text.eq_ignore_ascii_case("fk") => w.bare_fk = true,
            None => {
                let mut fk = Constraints::default();
                fk.read(text);
                if fk.fk.is_none() {
                    fk = Constraints::default();
                    fk.read(&format!("REFERENCES {text}"));
                }
                w.fk = fk.fk.or(w.fk.take());
            }
        });
        if changed {
            word_cell = c;
        }
    }
    for (idx, set) in [
        (l.unique, (|w: &mut Constraints| w.unique = true) as fn(&mut Constraints)),
        (l.index, |w: &mut Constraints| w.index = true),
        (l.auto_increment, |w: &mut Constraints| w.auto = true),
    ] {
        if let Some(c) = cell(row, idx) {
            if yes_no(&c.text) == Some(true) {
                set(&mut words);
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
        // NOTE: authors put constraint words in a "default" column (`PK, AUTOINCREMENT`,
        // `NOT NULL`, `auto`): they are constraints, and only the rest is a default value.
        let (value, constraint_words) = split_default_cell(text);
        if !constraint_words.is_empty() {
            words.read(&constraint_words);
            word_cell = c;
        }
        if let Some(v) = value.filter(|v| !is_blank(v)) {
            words.default = Some(v);
        }
    }
    let description = cell(row, l.description);
    if let Some(c) = description {
        if changes(&mut words, |w| w.read_description(&c.text)) {
            word_cell = c;
        }
    }
    // `| DogID | INT | FK | Dogs.DogID |`: a bare `FK` whose description names one `table.column`.
    if words.bare_fk && words.fk.is_none() {
        if let Some(target) = description.and_then(|c| qualified_target(&c.text)) {
            words.fk = Some(target);
            words.bare_fk = false;
        }
    }
    let word_origin = cell_origin(file, word_cell);
    // NOTE: MongoDB keys every document by `_id`, an ObjectId unless the schema says otherwise.
    if col_name == "_id" && matches!(strip_optional(&ty.spelling).0, "ObjectId" | "ObjectID") {
        words.pk = true;
    }

    let mut col = Column::new(col_name.clone(), ty, origin.clone());
    col.stated = Stated { nullable: words.pk || words.not_null || words.nullable, default: true };
    col.nullable = !(words.pk || words.not_null);
    col.default = words.default.as_deref().map(parse_loose_default);
    col.on_update = words.on_update.clone();
    if is_serial(&col.ty.spelling) {
        col.identity = Some(Identity::Serial);
    } else if words.auto {
        col.identity = Some(words.identity.unwrap_or(Identity::AutoIncrement));
    }
    let logical = cell(row, l.logical).map(|c| c.text.trim().to_string()).filter(|s| !is_blank(s));
    let described = description.map(|c| c.text.trim().to_string()).filter(|s| !is_blank(s));
    col.comment = match (logical, described) {
        (Some(a), Some(b)) => Some(format!("{a} — {b}")),
        (a, b) => a.or(b),
    };
    let table = &mut out.schema.tables[cx.table_idx];
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
            named: words.fk_table.clone(),
            origin: word_origin.clone(),
            cell: word_cell.text.clone(),
        }),
        None => {}
    }
    // NOTE: a unique constraint is already backed by an index: `UNIQUE, INDEX` describes that
    // index, not a second one. So does a primary key for its leading column: `PK, INDEX` is an
    // index of its own only on a later column of a composite key, known once every row is read.
    if words.index && !words.unique {
        let index = Index {
            name: None,
            table: table_name,
            parts: vec![IndexPart::column(col_name)],
            unique: false,
            method: None,
            predicate: None,
            include: Vec::new(),
            origin: word_origin,
        };
        if words.pk {
            keyed.push(index);
        } else {
            out.schema.indexes.push(index);
        }
    }
}

/// The one `table.column` a text names (`Dogs.DogID`, `see users.id`), if exactly one.
fn qualified_target(text: &str) -> Option<FkTarget> {
    let refs: Vec<FkTarget> = text
        .split(|c: char| c.is_whitespace() || matches!(c, ',' | ';' | '(' | ')' | '`'))
        .map(|w| w.trim_end_matches(|c: char| c == '.' || !c.is_ascii()))
        .filter(|w| w.contains('.'))
        .filter_map(|w| parse_ref(w, None))
        .filter(|t| !t.columns.is_empty() && t.table.chars().count() > 1)
        .collect();
    match refs.as_slice() {
        [one] => Some(one.clone()),
        _ => None,
    }
}

/// Whether `read` changes what `words` say.
fn changes(words: &mut Constraints, read: impl FnOnce(&mut Constraints)) -> bool {
    let before = words.clone();
    read(words);
    *words != before
}

/// An empty cell, or one that says "nothing" (`-`, `없음`, `N/A`).
pub(super) fn is_blank(text: &str) -> bool {
    matches!(text.trim(), "" | "-" | "—" | "–" | "없음" | "N/A" | "n/a")
}
