//! Every piece of SQL a document supplies as text — CHECK expressions, defaults, generated
//! columns, index expressions and predicates, view and routine bodies, unknown type names — is
//! checked to be exactly one of its kind before anything plans with it. Text that could run as
//! more than that (a `;` and a second statement, a parenthesis that closes the surrounding
//! clause, a comment that swallows the rest of a line) is an error at its line, and the element
//! is left out so that no plan or script carries it.
//!
//! The same text may be sent to any engine, and the engines read quotes differently (MySQL lets a
//! backslash escape a quote and has no dollar quotes), so the structure is checked under both
//! conventions; the expression must also parse as one expression in some SQL dialect.

use crate::scan::SqlFlavor;
use crate::sql;
use model::{DefaultValue, Diagnostic, RuleInfo, Schema, Span, TypeKind};

model::declare_rule! {
    /// What it does: flags SQL text a document supplies verbatim — a CHECK expression, a default,
    /// a generated column's expression, an index expression or predicate, a view or routine body,
    /// a type name — that is not exactly one expression (or statement, or type) of its kind.
    ///
    /// Why it matters: schemadoc places this text inside its own statements. Text that holds a
    /// `;`, closes the clause it sits in, or opens a comment would run as something the document
    /// never meant (`DROP TABLE …` inside a SQLAlchemy `CheckConstraint("…")`), so it is left out.
    ///
    /// Example: `CheckConstraint("price > 0); DROP TABLE orders; --")`
    pub INVALID_SQL_EXPRESSION = "invalid-sql-expression", Error
}

/// Rules of this module.
pub const RULES: &[RuleInfo] = &[INVALID_SQL_EXPRESSION];

/// Checks every expression of `schema`, removing those that are not exactly one of their kind.
pub fn validate(schema: &mut Schema, flavor: Option<SqlFlavor>) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    let mut report = |origin: &model::Origin, what: &str, text: &str, why: String| {
        out.push(
            INVALID_SQL_EXPRESSION
                .at(Span::from(origin), format!("{what} `{}` is not one SQL {}: {why}", shorten(text), kind_word(what)))
                .with_help(format!("write a single {}; it is left out until then", kind_word(what))),
        );
    };
    for table in &mut schema.tables {
        let name = table.name.clone();
        table.checks.retain(|c| match one_expression(&c.expr, flavor) {
            Ok(()) => true,
            Err(why) => {
                report(&c.origin, &format!("check on {name}"), &c.expr, why);
                false
            }
        });
        table.columns.retain_mut(|col| {
            if let Some(g) = &col.generated {
                if let Err(why) = one_expression(&g.expr, flavor) {
                    report(&col.origin, &format!("generated column {name}.{}", col.name), &g.expr, why);
                    return false;
                }
            }
            let default_text = match &col.default {
                Some(DefaultValue::Raw(r)) | Some(DefaultValue::Number(r)) => Some(r.clone()),
                _ => None,
            };
            if let Some(text) = default_text {
                if let Err(why) = one_expression(&text, flavor) {
                    report(&col.origin, &format!("default of {name}.{}", col.name), &text, why);
                    col.default = None;
                }
            }
            if let TypeKind::Other { raw } = &col.ty.kind {
                if let Err(why) = one_type(raw) {
                    report(&col.origin, &format!("type of {name}.{}", col.name), raw, why);
                    col.ty = model::DataType::new(TypeKind::Text, "text");
                }
            }
            true
        });
    }
    schema.indexes.retain(|index| {
        let what = format!("index {} on {}", index.name.as_deref().unwrap_or("(unnamed)"), index.table);
        for part in &index.parts {
            if let Some(expr) = part.expr.as_deref() {
                if let Err(why) = one_expression(expr, flavor) {
                    report(&index.origin, &format!("expression of {what}"), expr, why);
                    return false;
                }
            }
            if let Some(opclass) = part.opclass.as_deref() {
                if !is_plain_name(opclass) {
                    let why = "an operator class is a plain name".to_string();
                    report(&index.origin, &format!("operator class of {what}"), opclass, why);
                    return false;
                }
            }
        }
        if let Some(p) = index.predicate.as_deref() {
            if let Err(why) = one_expression(p, flavor) {
                report(&index.origin, &format!("predicate of {what}"), p, why);
                return false;
            }
        }
        true
    });
    schema.views.retain(|v| match one_statement(&v.sql) {
        Ok(()) => true,
        Err(why) => {
            report(&v.origin, &format!("view {}", v.name), &v.sql, why);
            false
        }
    });
    schema.routines.retain(|r| match one_statement(&r.sql) {
        Ok(()) => true,
        Err(why) => {
            report(&r.origin, &format!("{} {}", routine_word(r.kind), r.name), &r.sql, why);
            false
        }
    });
    out
}

fn routine_word(kind: model::RoutineKind) -> &'static str {
    match kind {
        model::RoutineKind::Function => "function",
        model::RoutineKind::Procedure => "procedure",
        model::RoutineKind::Trigger => "trigger",
    }
}

/// What kind of SQL the element `what` holds, for messages.
fn kind_word(what: &str) -> &'static str {
    if what.starts_with("type") {
        "type"
    } else if what.starts_with("view") || ["function", "procedure", "trigger"].iter().any(|w| what.starts_with(w)) {
        "statement"
    } else {
        "expression"
    }
}

/// The first line of `text`, cut at 60 characters, for messages.
fn shorten(text: &str) -> String {
    let one_line = text.trim().replace(['\n', '\r'], " ");
    if one_line.chars().count() > 60 {
        format!("{}…", one_line.chars().take(60).collect::<String>())
    } else {
        one_line
    }
}

/// How an engine reads quotes: PostgreSQL and SQLite double them and know `$tag$` strings; MySQL
/// also lets a backslash escape them, reads `"…"` as a string and `#` as a comment.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Quoting {
    Standard,
    Mysql,
}

/// What the text holds outside quotes and comments, read one way.
#[derive(Default)]
struct Shape {
    /// A `;` outside quotes.
    semicolon: bool,
    /// A `,` outside quotes and parentheses.
    top_comma: bool,
    /// A `)` with no `(` before it, or a `(` never closed.
    unbalanced: bool,
    /// A `--` (or MySQL `#`) comment, which swallows whatever follows on its line.
    line_comment: bool,
}

/// Reads `text` under `quoting`; `Err` when a quote or comment is never closed.
fn shape(text: &str, quoting: Quoting) -> Result<Shape, String> {
    let b = text.as_bytes();
    let mut s = Shape::default();
    let mut depth: i64 = 0;
    let mut brackets: i64 = 0;
    let mut i = 0;
    while i < b.len() {
        let c = b[i];
        match c {
            b'\'' | b'"' | b'`' => {
                let backslash = quoting == Quoting::Mysql && c != b'`';
                let mut j = i + 1;
                loop {
                    match b.get(j) {
                        None => return Err(format!("the quote `{}` is never closed", c as char)),
                        Some(b'\\') if backslash => j += 2,
                        Some(&q) if q == c && b.get(j + 1) == Some(&c) => j += 2,
                        Some(&q) if q == c => break,
                        Some(_) => j += 1,
                    }
                }
                i = j + 1;
            }
            b'$' if quoting == Quoting::Standard => match dollar_tag(text, i) {
                Some(tag) => match text[i + tag.len()..].find(tag) {
                    Some(k) => i += tag.len() + k + tag.len(),
                    None => return Err(format!("the dollar quote `{tag}` is never closed")),
                },
                None => i += 1,
            },
            b'-' if b.get(i + 1) == Some(&b'-') => {
                s.line_comment = true;
                i = text[i..].find('\n').map_or(b.len(), |k| i + k);
            }
            b'#' if quoting == Quoting::Mysql => {
                s.line_comment = true;
                i = text[i..].find('\n').map_or(b.len(), |k| i + k);
            }
            b'/' if b.get(i + 1) == Some(&b'*') => match text[i + 2..].find("*/") {
                Some(k) => i += k + 4,
                None => return Err("the comment `/*` is never closed".to_string()),
            },
            b'(' => {
                depth += 1;
                i += 1;
            }
            b')' => {
                depth -= 1;
                s.unbalanced |= depth < 0;
                i += 1;
            }
            b';' => {
                s.semicolon = true;
                i += 1;
            }
            // NOTE: `ARRAY[1, 2]` and `a[1]` hold commas inside brackets: still one expression.
            b'[' => {
                brackets += 1;
                i += 1;
            }
            b']' => {
                brackets -= 1;
                s.unbalanced |= brackets < 0;
                i += 1;
            }
            b',' => {
                s.top_comma |= depth == 0 && brackets == 0;
                i += 1;
            }
            _ => i += 1,
        }
    }
    s.unbalanced |= depth != 0 || brackets != 0;
    Ok(s)
}

/// The `$tag$` opening a dollar-quoted string at byte `at`, if one does.
fn dollar_tag(text: &str, at: usize) -> Option<&str> {
    let rest = &text[at + 1..];
    let end = rest.find('$')?;
    let tag = &rest[..end];
    let valid = tag.chars().all(|c| c.is_alphanumeric() || c == '_') && !tag.starts_with(|c: char| c.is_ascii_digit());
    // `$1` is a parameter, not a tag; a tag preceded by an identifier character is part of a name.
    let after_word = text[..at].chars().next_back().is_some_and(|c| c.is_alphanumeric() || c == '_');
    (valid && !after_word).then(|| &text[at..at + end + 2])
}

/// Whether `text`, read the way every engine reads it, stays one expression, and parses as one.
pub(crate) fn one_expression(text: &str, flavor: Option<SqlFlavor>) -> Result<(), String> {
    if text.trim().is_empty() {
        return Err("it is empty".to_string());
    }
    for quoting in [Quoting::Standard, Quoting::Mysql] {
        let s = shape(text, quoting)?;
        if s.semicolon {
            return Err("it holds a `;`, which would end the statement around it".to_string());
        }
        if s.unbalanced {
            return Err("its parentheses do not balance, so it would close the clause around it".to_string());
        }
        if s.top_comma {
            return Err("it holds a `,` outside parentheses, which would start another definition".to_string());
        }
        if s.line_comment {
            return Err("it holds a `--` or `#` comment, which would swallow the rest of its line".to_string());
        }
    }
    sql::parse_expression(text, flavor)
}

/// Whether `text` is one statement however its quotes are read: no `;` outside quotes, comments
/// and `BEGIN … END` bodies except at the end, and every quote and comment closed.
pub(crate) fn one_statement(text: &str) -> Result<(), String> {
    // NOTE: a body in dollar quotes is PostgreSQL's alone (MySQL planning skips it), and MySQL
    // reads `$$` as no quote at all: such text is read the standard way only.
    let dollar = (0..text.len()).any(|i| text.as_bytes()[i] == b'$' && dollar_tag(text, i).is_some());
    let quotings: &[Quoting] = if dollar { &[Quoting::Standard] } else { &[Quoting::Standard, Quoting::Mysql] };
    for &quoting in quotings {
        shape(text, quoting)?;
        if sql::statement_count(text, quoting == Quoting::Mysql) != 1 {
            return Err("it holds more than one statement".to_string());
        }
    }
    Ok(())
}

/// Whether a type name the engines do not know is one type: closed quotes, balanced parentheses,
/// and no `,`, `;` or comment outside them.
fn one_type(text: &str) -> Result<(), String> {
    for quoting in [Quoting::Standard, Quoting::Mysql] {
        let s = shape(text, quoting)?;
        if s.semicolon || s.top_comma || s.unbalanced || s.line_comment {
            return Err("a type name holds no `;`, `,` or comment outside balanced parentheses".to_string());
        }
    }
    Ok(())
}

/// An operator class or similar name: letters, digits, `_` and `.` (a schema).
fn is_plain_name(text: &str) -> bool {
    !text.is_empty()
        && text.starts_with(|c: char| c.is_alphabetic() || c == '_')
        && text.chars().all(|c| c.is_alphanumeric() || c == '_' || c == '.')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn single_expressions_pass() {
        for e in [
            "price > 0",
            "status IN ('draft', 'sent')",
            "email ~* '^[^@]+@[^@]+$'",
            "(data->>'kind') IS NOT NULL",
            "now() + interval '1 day'",
            "lower(name)",
            "'it''s'",
            "coalesce(a, b) <> ''",
            "0",
            "-1.5",
            "ARRAY[1, 2, 3]",
            "tags[1] = 'a'",
        ] {
            assert_eq!(one_expression(e, None), Ok(()), "{e}");
        }
    }

    #[test]
    fn more_than_one_expression_is_refused() {
        for e in [
            "price > 0); DROP TABLE orders; --",
            "1; DROP TABLE orders",
            "0, evil int",
            "a[1], evil int",
            "ARRAY[1, 2",
            "x > 0 -- )",
            "x > 0)",
            "(x > 0",
            "'a\\'; DROP TABLE orders; --'",
            "$$;DROP TABLE t;$$",
            "'unterminated",
            "1 /* open",
            "",
            "price >",
        ] {
            assert!(one_expression(e, None).is_err(), "{e} was accepted");
        }
    }

    #[test]
    fn statements_are_counted_under_both_quotings() {
        assert_eq!(one_statement("CREATE VIEW v AS SELECT 1"), Ok(()));
        assert_eq!(
            one_statement("CREATE FUNCTION f() RETURNS int AS $$ BEGIN RETURN 1; END $$ LANGUAGE plpgsql"),
            Ok(())
        );
        assert!(one_statement("CREATE FUNCTION f() RETURNS int AS $$ SELECT 1 $$ LANGUAGE sql; DROP TABLE t").is_err());
        assert_eq!(
            one_statement("CREATE TRIGGER t AFTER INSERT ON a FOR EACH ROW BEGIN UPDATE b SET n = n + 1; END"),
            Ok(())
        );
        assert!(one_statement("CREATE VIEW v AS SELECT 1; DROP TABLE t").is_err());
        assert!(one_statement("CREATE VIEW v AS SELECT 'a\\'; DROP TABLE t; --'").is_err());
    }

    #[test]
    fn type_names_stay_one_type() {
        assert_eq!(one_type("geometry(Point, 4326)"), Ok(()));
        assert_eq!(one_type("sa.Enum(\"a\", \"b\", name=\"kind\")"), Ok(()));
        assert!(one_type("foo), evil int, z (int").is_err());
        assert!(one_type("int; DROP TABLE t").is_err());
    }
}
