//! Field tables of nested sub-documents (`#### playlists.tracks[]`): the fields inside one column
//! of a document store, never columns of the parent table.

use super::{heading_origin, span, split_name_cell, FIELD_TABLE_SUBDOCUMENT};
use crate::context::subdocument_path;
use crate::frontend::Partial;
use crate::scan::{Cell, MdTable};
use model::{name_eq, Column, DataType, Origin, Stated, TypeKind};
use std::sync::Arc;

/// A field table that describes the sub-documents held in `parent.field`.
pub(super) struct Subdocument {
    parent: String,
    field: String,
    /// The path as the heading writes it (`playlists.tracks[]`).
    path: String,
    fields: Vec<String>,
    origin: Origin,
}

/// The sub-document the innermost heading above `t` names, if it names one.
pub(super) fn under_heading(file: &Arc<str>, t: &MdTable, rows: &[Vec<Cell>], name_col: usize) -> Option<Subdocument> {
    let h = t.headings.last()?;
    let (parent, field) = subdocument_path(h)?;
    let path = h
        .code_spans
        .iter()
        .map(String::as_str)
        .chain(h.text.split_whitespace())
        .find(|w| w.contains(&format!("{parent}.")))
        .unwrap_or(&parent)
        .to_string();
    let fields = rows.iter().filter_map(|r| r.get(name_col)).filter_map(|c| split_name_cell(&c.text)).map(|(n, _)| n);
    Some(Subdocument { origin: heading_origin(file, h, &path), parent, field, path, fields: fields.collect() })
}

/// Models each sub-document as what it is, the shape of a JSON column of its parent table: the
/// column is kept (or added, typed `json`) and the fields are not merged into the parent.
pub(super) fn attach(out: &mut Partial, subs: Vec<Subdocument>) {
    for s in subs {
        let what = format!("`{}` lists the fields nested in `{}.{}`", s.path, s.parent, s.field);
        let message = match out.schema.table_mut(&s.parent) {
            Some(table) => {
                let shape = format!("sub-document fields: {}", s.fields.join(", "));
                match table.columns.iter_mut().find(|c| name_eq(&c.name, &s.field)) {
                    Some(col) => {
                        if col.comment.is_none() {
                            col.comment = Some(shape);
                        }
                        format!("{what}; they describe column `{}`, not columns of `{}`", s.field, s.parent)
                    }
                    None => {
                        let ty = DataType { kind: TypeKind::Json, spelling: "json".into(), exact: false };
                        let mut col = Column::new(s.field.clone(), ty, s.origin.clone());
                        col.stated = Stated { nullable: false, default: false };
                        col.comment = Some(shape);
                        table.columns.push(col);
                        format!(
                            "{what}; `{}.{}` is kept as a JSON column, its fields are not columns of `{}`",
                            s.parent, s.field, s.parent
                        )
                    }
                }
            }
            None => format!("{what}, and no field table defines `{}`; its fields are not read as columns", s.parent),
        };
        out.diagnostics.push(FIELD_TABLE_SUBDOCUMENT.at(span(&s.origin, &s.path), message));
    }
}
