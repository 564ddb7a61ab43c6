//! What a plan leaves out of a document it was told to apply despite its errors
//! (`--allow-errors`): the element each error is about, so that the server never sees it.

use model::{Diagnostic, Origin, Schema, Span};

/// An error of the document and what the plan leaves out because of it.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct LeftOut {
    /// The element left out (`column \`t.c\``), or `None` when nothing is: the error is about
    /// something the model already holds once, or only reports.
    pub element: Option<String>,
    pub rule: &'static str,
    pub message: String,
    pub file: String,
    pub line: u32,
}

/// Removes from `schema` the element each error is about: a column of an unknown type, a foreign
/// key, index, check or unique constraint that names what does not exist or does not fit. One
/// entry per error, in order.
pub fn leave_out(schema: &mut Schema, errors: &[Diagnostic]) -> Vec<LeftOut> {
    let mut out = Vec::new();
    for d in errors {
        let mut left = Vec::new();
        match d.rule {
            "unknown-type" => left.extend(remove_column(schema, &d.span)),
            // NOTE: `apply` creates an extension the server has, and refuses before any change
            // when it has not: what needs one is kept.
            "missing-extension" => {}
            _ => left.extend(remove_constraint(schema, &d.span)),
        }
        out.push(LeftOut {
            element: (!left.is_empty()).then(|| left.join(", ")),
            rule: d.rule,
            message: d.message.clone(),
            file: d.span.file.to_string(),
            line: d.span.line,
        });
    }
    out
}

fn at(origin: &Origin, span: &Span) -> bool {
    origin.file == span.file && origin.line == span.line
}

fn remove_column(schema: &mut Schema, span: &Span) -> Option<String> {
    for t in &mut schema.tables {
        if let Some(i) = t.columns.iter().position(|c| at(&c.origin, span)) {
            let c = t.columns.remove(i);
            return Some(format!("column `{}.{}`", t.qualified_name(), c.name));
        }
    }
    None
}

fn remove_index(schema: &mut Schema, span: &Span) -> Option<String> {
    let i = schema.indexes.iter().position(|i| at(&i.origin, span))?;
    let index = schema.indexes.remove(i);
    Some(match index.name {
        Some(name) => format!("index `{name}`"),
        None => format!("an index on `{}`", index.table),
    })
}

/// The foreign key, index, check or unique constraint defined at `span`.
fn remove_constraint(schema: &mut Schema, span: &Span) -> Option<String> {
    for t in &mut schema.tables {
        let table = t.qualified_name();
        if let Some(i) = t.foreign_keys.iter().position(|f| at(&f.origin, span)) {
            let fk = t.foreign_keys.remove(i);
            return Some(format!("foreign key `{table}({})` → `{}`", fk.columns.join(", "), fk.ref_table));
        }
        if let Some(i) = t.checks.iter().position(|c| at(&c.origin, span)) {
            let c = t.checks.remove(i);
            return Some(match c.name {
                Some(name) => format!("check `{name}` on `{table}`"),
                None => format!("a check on `{table}`"),
            });
        }
    }
    if let Some(index) = remove_index(schema, span) {
        return Some(index);
    }
    for t in &mut schema.tables {
        if let Some(i) = t.uniques.iter().position(|u| at(&u.origin, span)) {
            let u = t.uniques.remove(i);
            return Some(format!("unique constraint `{}({})`", t.qualified_name(), u.columns.join(", ")));
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fixtures::*;
    use model::{DataType, Severity, TypeKind};

    fn error(rule: &'static str, line: u32) -> Diagnostic {
        Diagnostic::new(rule, Severity::Error, Span::new(FILE.into(), line, 1, 0), "bad")
    }

    #[test]
    fn each_error_leaves_out_its_element_and_says_so() {
        let odd = DataType::new(TypeKind::Other { raw: "VARCHR(1)".into() }, "VARCHR(1)");
        let mut s = schema(vec![
            table("users", 1).col("id", int(), 2).pk(&["id"], 2).col("name", odd, 3),
            table("posts", 5).col("user_id", text(), 6).fk(&["user_id"], "users", &["id"], 7),
        ]);
        s.indexes.push(index("idx_ghost", "ghosts", &["id"], 9));
        let left = leave_out(
            &mut s,
            &[
                error("unknown-type", 3),
                error("foreign-key-type-mismatch", 7),
                error("unknown-table", 9),
                error("duplicate-constraint", 11),
            ],
        );
        let what: Vec<Option<&str>> = left.iter().map(|l| l.element.as_deref()).collect();
        assert_eq!(
            what,
            [
                Some("column `users.name`"),
                Some("foreign key `posts(user_id)` → `users`"),
                Some("index `idx_ghost`"),
                None
            ]
        );
        assert_eq!(s.tables[0].columns.len(), 1);
        assert!(s.tables[1].foreign_keys.is_empty() && s.indexes.is_empty());
        assert_eq!((left[3].rule, left[3].line), ("duplicate-constraint", 11));
    }
}
