//! What makes a MySQL/MariaDB database created from a document compare equal to the document:
//! defaults as the server spells them (`'x'` vs `x`, `current_timestamp()`, `0.00`), CHECK and
//! view text as the server rewrites it (backticks, `_utf8mb4` introducers, qualified names,
//! `AS` aliases).

use super::types::{canonical_number, kind_of, normalize_type};
use crate::common::{number_at, read_quoted};
use diff::DiffHooks;
use model::{Check, Column, DefaultValue, TypeKind, View};

/// The MySQL/MariaDB [`DiffHooks`].
#[derive(Debug, Clone, Copy)]
pub(crate) struct Hooks;

impl DiffHooks for Hooks {
    fn same_type(&self, from: &Column, to: &Column) -> bool {
        from.ty.kind == to.ty.kind || comparable_type(&from.ty.kind) == comparable_type(&to.ty.kind)
    }

    fn same_default(&self, from: &Column, to: &Column) -> bool {
        default_key(from.default.as_ref(), &from.ty.kind) == default_key(to.default.as_ref(), &to.ty.kind)
    }

    fn same_check(&self, from: &Check, to: &Check) -> bool {
        expression_key(&from.expr) == expression_key(&to.expr)
    }

    // NOTE: the server keeps a generation expression rewritten (backticks, `_utf8mb4` string
    // introducers, its own spacing), like a CHECK's.
    fn same_generated(&self, from: &Column, to: &Column) -> bool {
        diff::same_generated_by(from, to, generated_key)
    }

    fn same_view(&self, from: &View, to: &View) -> bool {
        let (a, b) = (view_key(&from.sql), view_key(&to.sql));
        if a == b {
            return true;
        }
        // NOTE: the server stores `SELECT *` with the columns it stood for at creation time, so
        // a star is compared from its FROM on.
        let star = |k: &[String]| k.len() > 1 && k[0] == "select" && k[1] == "*";
        let from_on = |k: &[String]| k.iter().position(|t| t == "from").map(|i| k[i..].to_vec());
        (star(&a) || star(&b)) && from_on(&a).is_some() && from_on(&a) == from_on(&b)
    }
}

/// A type as the MySQL catalog would report it, for types that are not yet in that form.
fn comparable_type(kind: &TypeKind) -> TypeKind {
    match kind {
        TypeKind::Other { raw } => kind_of(&normalize_type(raw)),
        TypeKind::Jsonb => TypeKind::Json,
        other => other.clone(),
    }
}

/// What a default means on a column of `kind`, as one string: numbers (and booleans, and numeric
/// strings on numeric columns) in one spelling, `NULL` the same as no default.
fn default_key(default: Option<&DefaultValue>, kind: &TypeKind) -> Option<String> {
    let numeric =
        matches!(kind, TypeKind::Int { .. } | TypeKind::Decimal { .. } | TypeKind::Float { .. } | TypeKind::Bool);
    Some(match default? {
        DefaultValue::Null => return None,
        DefaultValue::Bool(b) => format!("n:{}", u8::from(*b)),
        DefaultValue::Number(n) => format!("n:{}", canonical_number(n)),
        DefaultValue::String(s) if numeric && s.trim().parse::<f64>().is_ok() => format!("n:{}", canonical_number(s)),
        DefaultValue::String(s) if matches!(kind, TypeKind::Bool) => match s.to_ascii_lowercase().as_str() {
            "true" | "t" => "n:1".to_string(),
            "false" | "f" => "n:0".to_string(),
            _ => format!("s:{s}"),
        },
        // NOTE: MariaDB reports a numeric default of a string column quoted ('0').
        DefaultValue::String(s) => format!("s:{s}"),
        DefaultValue::CurrentTimestamp => "now".to_string(),
        DefaultValue::CurrentDate => "today".to_string(),
        DefaultValue::CurrentTime => "time".to_string(),
        DefaultValue::GeneratedUuid => "uuid".to_string(),
        DefaultValue::Raw(r) => format!("r:{}", expression_key(r).concat()),
    })
    .map(|k| if !numeric { k.replacen("n:", "s:", 1) } else { k })
}

/// One token of SQL text.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Token {
    /// An identifier or keyword, lower-cased, quotes removed.
    Word(String),
    /// A string literal's content.
    Str(String),
    /// A number in one spelling.
    Num(String),
    /// Any other character.
    Punct(char),
}

/// `sql` as tokens: quoted identifiers unquoted, words lower-cased, `_utf8mb4`-style introducers
/// and whitespace dropped.
fn tokens(sql: &str) -> Vec<Token> {
    let chars: Vec<char> = sql.chars().collect();
    let mut out = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        if c.is_whitespace() {
            i += 1;
        } else if c == '\'' {
            let mut s = String::new();
            i += 1;
            while i < chars.len() {
                match chars[i] {
                    '\'' if chars.get(i + 1) == Some(&'\'') => {
                        s.push('\'');
                        i += 2;
                    }
                    '\'' => {
                        i += 1;
                        break;
                    }
                    '\\' if i + 1 < chars.len() => {
                        s.push(chars[i + 1]);
                        i += 2;
                    }
                    x => {
                        s.push(x);
                        i += 1;
                    }
                }
            }
            out.push(Token::Str(s));
        } else if c == '`' || c == '"' {
            let (s, end) = read_quoted(&chars, i + 1, c);
            i = end;
            out.push(Token::Word(s.to_lowercase()));
        } else if let Some((s, end)) = number_at(&chars, i) {
            i = end;
            out.push(Token::Num(canonical_number(&s)));
        } else if c.is_alphanumeric() || c == '_' || c == '$' {
            let mut s = String::new();
            while i < chars.len() && (chars[i].is_alphanumeric() || chars[i] == '_' || chars[i] == '$') {
                s.push(chars[i]);
                i += 1;
            }
            let word = s.to_lowercase();
            // NOTE: MySQL 8 writes string literals with their character set (`_utf8mb4'a'`).
            let introducer = word.starts_with('_') && chars.get(i).is_some_and(|&n| n == '\'' || n == '\\');
            if !introducer {
                out.push(Token::Word(word));
            }
        } else if c == '\\' && chars.get(i + 1) == Some(&'\'') {
            // `\'` inside information_schema text written by MySQL 8: a quote.
            let mut s = String::new();
            i += 2;
            while i < chars.len() && !(chars[i] == '\\' && chars.get(i + 1) == Some(&'\'')) {
                s.push(chars[i]);
                i += 1;
            }
            i += 2;
            out.push(Token::Str(s));
        } else {
            out.push(Token::Punct(c));
            i += 1;
        }
    }
    out
}

/// Tokens without parentheses and with `!=` spelled `<>`: how the server brackets and spells an
/// expression does not change what it means for comparison purposes.
fn simplified(tokens: Vec<Token>) -> Vec<Token> {
    let mut out: Vec<Token> = Vec::with_capacity(tokens.len());
    for t in tokens {
        match t {
            Token::Punct('(') | Token::Punct(')') => {}
            Token::Punct('=') if out.last() == Some(&Token::Punct('!')) => {
                out.pop();
                out.push(Token::Punct('<'));
                out.push(Token::Punct('>'));
            }
            other => out.push(other),
        }
    }
    out
}

/// A generation expression reduced like a CHECK's, with the function names MariaDB writes back
/// in place of their synonyms.
// NOTE: MariaDB stores `lower(x)` as `lcase(x)`, `upper` as `ucase`, `length` as `octet_length`
// and `substring` as `substr`.
pub(super) fn generated_key(expr: &str) -> Vec<String> {
    expression_key(expr)
        .into_iter()
        .map(|w| match w.as_str() {
            "lower" => "lcase".to_string(),
            "upper" => "ucase".to_string(),
            "length" => "octet_length".to_string(),
            "substring" => "substr".to_string(),
            _ => w,
        })
        .collect()
}

/// A CHECK expression reduced to what it means, as far as spelling goes.
pub(super) fn expression_key(expr: &str) -> Vec<String> {
    render(simplified(tokens(expr)))
}

fn render(tokens: Vec<Token>) -> Vec<String> {
    tokens
        .into_iter()
        .map(|t| match t {
            Token::Word(w) => w,
            Token::Str(s) => format!("'{s}'"),
            Token::Num(n) => n,
            Token::Punct(c) => c.to_string(),
        })
        .collect()
}

/// A view definition reduced to its query, as far as spelling goes: the `CREATE VIEW name AS`
/// head, qualifiers (`db.t.c` → `c`), `AS` before aliases and aliases equal to the column they
/// name are dropped; `count(*)` is `count(0)` as the server rewrites it.
pub(super) fn view_key(sql: &str) -> Vec<String> {
    let toks = tokens(sql);
    // The query starts after the first `AS` that follows `VIEW`.
    let view_at = toks.iter().position(|t| *t == Token::Word("view".into()));
    let body: Vec<Token> = match view_at {
        Some(v) => {
            let as_at = toks.iter().skip(v).position(|t| *t == Token::Word("as".into())).map(|p| p + v);
            toks.into_iter().skip(as_at.map_or(0, |a| a + 1)).collect()
        }
        None => toks,
    };
    // Drop qualifiers: `a . b` keeps `b`.
    let mut unqualified: Vec<Token> = Vec::with_capacity(body.len());
    let mut i = 0;
    while i < body.len() {
        if matches!(body[i], Token::Word(_))
            && body.get(i + 1) == Some(&Token::Punct('.'))
            && matches!(body.get(i + 2), Some(Token::Word(_)) | Some(Token::Punct('*')))
        {
            i += 2;
            continue;
        }
        unqualified.push(body[i].clone());
        i += 1;
    }
    // count(*) is stored as count(0).
    let mut counted: Vec<Token> = Vec::with_capacity(unqualified.len());
    for (j, t) in unqualified.iter().enumerate() {
        if *t == Token::Punct('*')
            && j >= 2
            && unqualified[j - 1] == Token::Punct('(')
            && unqualified[j - 2] == Token::Word("count".into())
        {
            counted.push(Token::Num("0".into()));
        } else {
            counted.push(t.clone());
        }
    }
    // `x AS x` → `x`; `expr AS a` → `expr a`.
    let mut out: Vec<Token> = Vec::with_capacity(counted.len());
    let mut k = 0;
    while k < counted.len() {
        if counted[k] == Token::Word("as".into()) {
            if let (Some(prev), Some(next)) = (out.last(), counted.get(k + 1)) {
                if prev == next {
                    k += 2;
                    continue;
                }
            }
            k += 1;
            continue;
        }
        out.push(counted[k].clone());
        k += 1;
    }
    // Remove a trailing terminator.
    while out.last() == Some(&Token::Punct(';')) {
        out.pop();
    }
    render(simplified(out))
}

#[cfg(test)]
mod tests {
    use super::*;
    use model::{DataType, Notation, Origin};

    fn col(kind: TypeKind, default: Option<DefaultValue>) -> Column {
        let mut c = Column::new("c", DataType::new(kind, "x"), Origin::new("t".into(), 1, 1, Notation::Sql));
        c.default = default;
        c
    }

    #[test]
    fn defaults_compare_by_meaning() {
        let h = Hooks;
        let dec = TypeKind::Decimal { precision: Some(10), scale: Some(2) };
        assert!(h.same_default(
            &col(dec.clone(), Some(DefaultValue::Number("0.00".into()))),
            &col(dec, Some(DefaultValue::Number("0".into())))
        ));
        assert!(h.same_default(
            &col(TypeKind::Bool, Some(DefaultValue::Number("1".into()))),
            &col(TypeKind::Bool, Some(DefaultValue::Bool(true)))
        ));
        assert!(h.same_default(&col(TypeKind::Text, Some(DefaultValue::Null)), &col(TypeKind::Text, None)));
        assert!(h.same_default(
            &col(TypeKind::Text, Some(DefaultValue::String("0".into()))),
            &col(TypeKind::Text, Some(DefaultValue::Number("0".into())))
        ));
        assert!(!h.same_default(
            &col(TypeKind::Text, Some(DefaultValue::String("a".into()))),
            &col(TypeKind::Text, Some(DefaultValue::String("b".into())))
        ));
    }

    #[test]
    fn server_rewritten_checks_compare_equal() {
        // MariaDB, MySQL 8 and the document.
        let doc = expression_key("status IN ('draft', 'active')");
        assert_eq!(expression_key("`status` in ('draft','active')"), doc);
        assert_eq!(expression_key("(`status` in (_utf8mb4'draft',_utf8mb4'active'))"), doc);
        assert_eq!(expression_key("amount >= 0.0"), expression_key("`amount` >= 0"));
        assert_eq!(expression_key("a != b"), expression_key("`a` <> `b`"));
        assert_ne!(expression_key("amount >= 1"), expression_key("`amount` >= 0"));
    }

    #[test]
    fn server_rewritten_generation_expressions_compare_equal() {
        assert_eq!(generated_key("lower(sku)"), generated_key("lcase(`sku`)"));
        assert_eq!(generated_key("quantity * unit_price * 1.1"), generated_key("`quantity` * `unit_price` * 1.1"));
        assert_eq!(generated_key("ifnull(length(sku), 0)"), generated_key("ifnull(octet_length(`sku`),0)"));
        assert_eq!(generated_key("CONCAT('#', id)"), generated_key("concat(_utf8mb4'#',`id`)"));
        assert_ne!(generated_key("lower(sku)"), generated_key("upper(`sku`)"));
    }

    #[test]
    fn server_rewritten_views_compare_equal() {
        let doc = view_key("CREATE VIEW active_users AS SELECT u.id, u.name, count(*) AS n FROM users u WHERE u.active = 1 GROUP BY u.id, u.name");
        let server = view_key(
            "CREATE VIEW `active_users` AS select `u`.`id` AS `id`,`u`.`name` AS `name`,count(0) AS `n` from `db`.`users` `u` where `u`.`active` = 1 group by `u`.`id`,`u`.`name`",
        );
        assert_eq!(server, doc);
        assert_ne!(view_key("CREATE VIEW v AS SELECT a FROM t"), view_key("CREATE VIEW v AS SELECT b FROM t"));
        let view = |sql: &str| View {
            name: "v".into(),
            sql: sql.into(),
            materialized: false,
            tables: vec![],
            origin: Origin::new("t".into(), 1, 1, Notation::Sql),
        };
        let star = view("CREATE VIEW v AS SELECT * FROM t WHERE a <> 'x'");
        assert!(Hooks.same_view(&view("CREATE VIEW `v` AS select `t`.`a` AS `a` from `t` where `t`.`a` <> 'x'"), &star));
        assert!(!Hooks.same_view(&view("CREATE VIEW `v` AS select `t`.`a` AS `a` from `t`"), &star));
    }
}
