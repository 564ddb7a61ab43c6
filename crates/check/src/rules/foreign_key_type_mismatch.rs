use crate::support::{column_span, find_table};
use model::{declare_rule, name_key, DataType, Diagnostic, Schema, Severity, TypeKind};

declare_rule! {
    /// What it does: flags a foreign-key column whose type differs from the referenced column's type.
    /// Different families (`uuid` vs `varchar`) are an error; the same family with a different
    /// width or length (`integer` vs `bigint`, `varchar(36)` vs `varchar(50)`) is a warning. Types of
    /// which a notation only gives the family (a Mermaid `string`) are compared by family only.
    ///
    /// Why it matters: PostgreSQL refuses a foreign key between types without a common equality
    /// operator ("foreign key constraint cannot be implemented"); a narrower referencing column
    /// cannot hold every key, and mixed types make every join cast.
    ///
    /// Example:
    /// ```sql
    /// CREATE TABLE characters (id VARCHAR(36) PRIMARY KEY);
    /// CREATE TABLE chat_sessions (character_id UUID REFERENCES characters (id));
    /// ```
    pub RULE = "foreign-key-type-mismatch", Error
}

/// How two column types relate for a foreign key.
#[derive(Debug, PartialEq, Eq)]
enum Fit {
    /// The same type, or not comparable with what the document says.
    Same,
    /// The same kind of value with a different width, length or precision.
    Width,
    /// No common equality: the database cannot enforce the key.
    Incompatible,
}

pub fn run(schema: &Schema, out: &mut Vec<Diagnostic>) {
    for table in &schema.tables {
        for fk in &table.foreign_keys {
            let Some(target) = find_table(schema, &fk.ref_table) else { continue };
            let referenced = fk.referenced_columns(target);
            if referenced.len() != fk.columns.len() {
                continue;
            }
            for (local, remote) in fk.columns.iter().zip(&referenced) {
                let (Some(lc), Some(rc)) = (table.column(local), target.column(remote)) else { continue };
                let fit = compare(&lc.ty, &rc.ty);
                if fit == Fit::Same {
                    continue;
                }
                let (severity, help) = match fit {
                    Fit::Incompatible => (
                        Severity::Error,
                        format!(
                            "PostgreSQL rejects this foreign key (\"foreign key constraint cannot be implemented\"); \
                             declare `{}.{}` as `{}`",
                            table.name,
                            lc.name,
                            plain(&rc.ty)
                        ),
                    ),
                    _ => (
                        Severity::Warning,
                        format!(
                            "declare `{}.{}` as `{}` so every referenced value fits and joins need no cast",
                            table.name,
                            lc.name,
                            plain(&rc.ty)
                        ),
                    ),
                };
                let mut d = Diagnostic::new(
                    RULE.name,
                    severity,
                    column_span(lc),
                    format!(
                        "foreign key column `{}.{}` is `{}` but references `{}.{}` of type `{}`",
                        table.name,
                        lc.name,
                        shown(&lc.ty),
                        target.name,
                        rc.name,
                        shown(&rc.ty)
                    ),
                )
                .with_related(column_span(rc), format!("`{}.{}` is defined here", target.qualified_name(), rc.name));
                if fk.origin.line != lc.origin.line || fk.origin.file != lc.origin.file {
                    d = d.with_related((&fk.origin).into(), "the foreign key is declared here");
                }
                out.push(d.with_help(help));
            }
        }
    }
}

/// A type as the document spelled it.
fn shown(ty: &DataType) -> String {
    if ty.spelling.trim().is_empty() {
        ty.kind.to_string()
    } else {
        ty.spelling.trim().to_string()
    }
}

/// The type a referencing column should be declared with: the referenced type without its
/// generator (`BIGSERIAL` → `BIGINT`, `SERIAL` → `INTEGER`), in the spelling's letter case.
fn plain(ty: &DataType) -> String {
    let spelled = shown(ty);
    let base = match spelled.to_ascii_lowercase().as_str() {
        "serial" | "serial4" => "integer",
        "bigserial" | "serial8" => "bigint",
        "smallserial" | "serial2" => "smallint",
        _ => return spelled,
    };
    if spelled.chars().any(|c| c.is_ascii_lowercase()) {
        base.to_string()
    } else {
        base.to_ascii_uppercase()
    }
}

fn compare(a: &DataType, b: &DataType) -> Fit {
    if a.is_unstated() || b.is_unstated() {
        return Fit::Same;
    }
    let (ka, kb) = (&a.kind, &b.kind);
    if let (TypeKind::Other { raw: x }, TypeKind::Other { raw: y }) = (ka, kb) {
        return if name_key(x) == name_key(y) { Fit::Same } else { Fit::Width };
    }
    // NOTE: an unrecognised type may well be an alias of the other (`serial`, a domain).
    if matches!(ka, TypeKind::Other { .. }) || matches!(kb, TypeKind::Other { .. }) {
        return Fit::Same;
    }
    if ka.family() != kb.family() {
        // NOTE: numeric types convert implicitly, so PostgreSQL accepts `integer` → `numeric`.
        let numeric = |k: &TypeKind| matches!(k.family(), "integer" | "decimal" | "float");
        return if numeric(ka) && numeric(kb) { Fit::Width } else { Fit::Incompatible };
    }
    if let (TypeKind::Enum { name: x }, TypeKind::Enum { name: y }) = (ka, kb) {
        // NOTE: two enum types never compare equal in PostgreSQL, even with the same labels.
        return if name_key(x) == name_key(y) { Fit::Same } else { Fit::Incompatible };
    }
    if !a.exact || !b.exact {
        return Fit::Same;
    }
    let unbounded = |k: &TypeKind| matches!(k, TypeKind::Text | TypeKind::Varchar { len: None });
    match (ka, kb) {
        _ if ka == kb => Fit::Same,
        _ if unbounded(ka) && unbounded(kb) => Fit::Same,
        (TypeKind::Timestamp { tz: x, .. }, TypeKind::Timestamp { tz: y, .. }) if x == y => Fit::Same,
        _ => Fit::Width,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fixtures::*;

    #[test]
    fn same_types_pass() {
        let mut serial = int();
        serial.spelling = "SERIAL".into();
        let mut loose = DataType::loose(TypeKind::Text, "string");
        loose.exact = false;
        let s = schema(vec![
            table("users", 1).col("id", serial, 2).col("code", varchar(36), 3).pk(&["id"], 2),
            table("posts", 5)
                .col("user_id", int(), 6)
                .col("code", loose, 7)
                .col("note", text(), 8)
                .fk(&["user_id"], "users", &[], 6)
                .fk(&["code"], "users", &["code"], 7)
                .fk(&["note", "user_id"], "users", &["code"], 8),
        ]);
        assert!(findings(super::run, &s).is_empty());
    }

    #[test]
    fn different_families_are_errors_and_widths_warnings() {
        let s = schema(vec![
            table("characters", 1).col("id", varchar(36), 2).col("n", bigint(), 3).pk(&["id"], 2),
            table("chat_sessions", 5)
                .col("character_id", uuid(), 6)
                .col("n", int(), 7)
                .fk(&["character_id"], "characters", &[], 6)
                .fk(&["n"], "characters", &["n"], 9),
        ]);
        let d = findings(super::run, &s);
        assert_eq!(d.len(), 2, "{d:#?}");
        assert_eq!((d[0].rule, d[0].severity, d[0].span.line), ("foreign-key-type-mismatch", Severity::Error, 6));
        assert_eq!(
            d[0].message,
            "foreign key column `chat_sessions.character_id` is `UUID` \
             but references `characters.id` of type `VARCHAR(36)`"
        );
        assert_eq!(d[0].span.len, 12);
        assert_eq!(d[0].related[0].span.line, 2);
        assert!(d[0].help.as_deref().is_some_and(|h| h.contains("cannot be implemented")));
        assert_eq!((d[1].severity, d[1].span.line), (Severity::Warning, 7));
        assert_eq!(d[1].related[1].span.line, 9);
    }

    #[test]
    fn help_suggests_the_plain_type_of_a_serial_key() {
        let mut serial = bigint();
        serial.spelling = "BIGSERIAL".into();
        let s = schema(vec![
            table("users", 1).col("id", serial, 2).pk(&["id"], 2),
            table("posts", 5).col("user_id", int(), 6).fk(&["user_id"], "users", &[], 6),
        ]);
        let d = findings(super::run, &s);
        assert_eq!(d.len(), 1);
        assert_eq!(
            d[0].help.as_deref(),
            Some("declare `posts.user_id` as `BIGINT` so every referenced value fits and joins need no cast")
        );
        assert!(d[0].message.contains("`BIGSERIAL`"), "the message shows the type as written");
        assert_eq!(plain(&DataType::new(TypeKind::Int { bytes: 4 }, "serial")), "integer");
    }

    #[test]
    fn comparison_rules() {
        assert_eq!(compare(&varchar(36), &varchar(50)), Fit::Width);
        assert_eq!(
            compare(&int(), &DataType::new(TypeKind::Decimal { precision: None, scale: None }, "NUMERIC")),
            Fit::Width
        );
        assert_eq!(compare(&text(), &DataType::new(TypeKind::Varchar { len: None }, "VARCHAR")), Fit::Same);
        assert_eq!(compare(&uuid(), &DataType::loose(TypeKind::Text, "string")), Fit::Incompatible);
        assert_eq!(compare(&uuid(), &DataType::new(TypeKind::Other { raw: "citext".into() }, "citext")), Fit::Same);
    }
}
