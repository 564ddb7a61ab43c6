//! How PostgreSQL tells equal spellings apart: the server rewrites what it stores (CHECKs,
//! defaults, index predicates, view queries), so both sides of a comparison are brought to one
//! canonical text before they are compared.

use super::types::parse_default;
use crate::common::{coerce_default, number_at, read_quoted, view_body};
use diff::{same_index_options, squash, DiffHooks};
use model::{name_eq, Check, Column, DefaultValue, Identity, Index, Routine, RoutineKind, TypeKind, View};

/// The PostgreSQL [`DiffHooks`].
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct PgHooks;

/// The marker the inspected text of a view carries when the view is unchanged since schemadoc
/// created it from a document: `-- schemadoc:fingerprint=<hash of the document's query>`.
pub(super) const FINGERPRINT_MARK: &str = "-- schemadoc:fingerprint=";

/// The prefix of the comment schemadoc puts on the views it creates:
/// `schemadoc:view:<fingerprint>:<md5 of the server's definition>`.
pub(super) const VIEW_COMMENT_PREFIX: &str = "schemadoc:view:";

#[derive(Debug, Clone, PartialEq, Eq)]
enum Tok {
    Str(String),
    Num(String),
    Word(String),
    Op(String),
    Punct(char),
}

impl Tok {
    fn text(&self) -> String {
        match self {
            Tok::Str(s) => format!("'{}'", s.replace('\'', "''")),
            Tok::Num(s) | Tok::Word(s) | Tok::Op(s) => s.clone(),
            Tok::Punct(c) => c.to_string(),
        }
    }

    fn is_word(&self, w: &str) -> bool {
        matches!(self, Tok::Word(x) if x == w)
    }

    fn is_punct(&self, c: char) -> bool {
        matches!(self, Tok::Punct(x) if *x == c)
    }
}

fn tokenize(expr: &str) -> Vec<Tok> {
    let chars: Vec<char> = expr.chars().collect();
    let mut out = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        if c.is_whitespace() {
            i += 1;
        } else if c == '-' && chars.get(i + 1) == Some(&'-') {
            while i < chars.len() && chars[i] != '\n' {
                i += 1;
            }
        } else if c == '\'' || ((c == 'E' || c == 'e') && chars.get(i + 1) == Some(&'\'')) {
            let open = if c == '\'' { i } else { i + 1 };
            let (s, end) = read_quoted(&chars, open + 1, '\'');
            i = end;
            out.push(Tok::Str(s));
        } else if c == '"' {
            let (s, end) = read_quoted(&chars, i + 1, '"');
            i = end;
            out.push(Tok::Word(s.to_lowercase()));
        } else if let Some((s, end)) = number_at(&chars, i) {
            i = end;
            out.push(Tok::Num(s));
        } else if c.is_alphabetic() || c == '_' {
            let mut s = String::new();
            while i < chars.len() && (chars[i].is_alphanumeric() || chars[i] == '_' || chars[i] == '$') {
                s.extend(chars[i].to_lowercase());
                i += 1;
            }
            out.push(Tok::Word(s));
        } else if "()[],.;".contains(c) {
            out.push(Tok::Punct(c));
            i += 1;
        } else if c == ':' && chars.get(i + 1) == Some(&':') {
            out.push(Tok::Op("::".into()));
            i += 2;
        } else {
            let mut s = String::new();
            while i < chars.len() && "+-*/<>=~!@#%^&|`?:".contains(chars[i]) {
                s.push(chars[i]);
                i += 1;
            }
            if s.is_empty() {
                s.push(c);
                i += 1;
            }
            out.push(Tok::Op(s));
        }
    }
    out
}

/// Words that continue a multi-word type name after a cast (`character varying`, `double
/// precision`, `timestamp without time zone`).
const TYPE_WORDS: &[&str] = &["varying", "precision", "with", "without", "time", "zone"];

/// Removes `::type` casts, with their modifiers and array brackets.
fn drop_casts(toks: Vec<Tok>) -> Vec<Tok> {
    let mut out = Vec::with_capacity(toks.len());
    let mut i = 0;
    while i < toks.len() {
        if toks[i] == Tok::Op("::".into()) {
            i += 1;
            // The type name: one word, then words that continue a multi-word name.
            if matches!(toks.get(i), Some(Tok::Word(_))) {
                i += 1;
                while matches!(toks.get(i), Some(Tok::Word(w)) if TYPE_WORDS.contains(&w.as_str())) {
                    i += 1;
                }
            }
            // A schema-qualified type (`public.mood`).
            while toks.get(i).is_some_and(|t| t.is_punct('.')) && matches!(toks.get(i + 1), Some(Tok::Word(_))) {
                i += 2;
            }
            if toks.get(i).is_some_and(|t| t.is_punct('(')) {
                while i < toks.len() && !toks[i].is_punct(')') {
                    i += 1;
                }
                i += 1;
                while matches!(toks.get(i), Some(Tok::Word(w)) if TYPE_WORDS.contains(&w.as_str())) {
                    i += 1;
                }
            }
            while toks.get(i).is_some_and(|t| t.is_punct('[')) && toks.get(i + 1).is_some_and(|t| t.is_punct(']')) {
                i += 2;
            }
            continue;
        }
        out.push(toks[i].clone());
        i += 1;
    }
    out
}

/// The index of the bracket closing the one at `open`.
fn closing(toks: &[Tok], open: usize) -> Option<usize> {
    let (o, c) = match toks.get(open)? {
        Tok::Punct('(') => ('(', ')'),
        Tok::Punct('[') => ('[', ']'),
        _ => return None,
    };
    let mut depth = 0;
    for (i, t) in toks.iter().enumerate().skip(open) {
        if t.is_punct(o) {
            depth += 1;
        } else if t.is_punct(c) {
            depth -= 1;
            if depth == 0 {
                return Some(i);
            }
        }
    }
    None
}

/// Rewrites what the server spells differently: `= ANY (ARRAY[…])` as `IN (…)`, a one-value
/// `IN (x)` as `= x`, `~~` as `LIKE`, `!=` as `<>`, `x BETWEEN a AND b` as two comparisons.
fn rewrite(toks: Vec<Tok>) -> Vec<Tok> {
    let mut out: Vec<Tok> = Vec::with_capacity(toks.len());
    let mut i = 0;
    while i < toks.len() {
        let t = &toks[i];
        // `= ANY (ARRAY[a, b])` and `<> ALL (ARRAY[a, b])`.
        if let Tok::Op(op) = t {
            let quantifier = match op.as_str() {
                "=" => "any",
                "<>" | "!=" => "all",
                _ => "",
            };
            if !quantifier.is_empty() && toks.get(i + 1).is_some_and(|x| x.is_word(quantifier)) {
                if let Some(open) = (i + 2..toks.len()).find(|&j| !toks[j].is_punct('(')) {
                    let parens = open - (i + 2);
                    if toks[open].is_word("array") && toks.get(open + 1).is_some_and(|x| x.is_punct('[')) {
                        if let Some(close) = closing(&toks, open + 1) {
                            let items: Vec<Tok> = toks[open + 2..close].to_vec();
                            let end = close + 1 + parens;
                            if quantifier == "all" {
                                out.push(Tok::Word("not".into()));
                            }
                            out.push(Tok::Word("in".into()));
                            out.push(Tok::Punct('('));
                            out.extend(rewrite(items));
                            out.push(Tok::Punct(')'));
                            i = end.min(toks.len());
                            continue;
                        }
                    }
                }
            }
        }
        // `IN (x)` with one value.
        if t.is_word("in") && toks.get(i + 1).is_some_and(|x| x.is_punct('(')) {
            if let Some(close) = closing(&toks, i + 1) {
                let inner = &toks[i + 2..close];
                let mut depth = 0;
                let top_comma = inner.iter().any(|x| {
                    if x.is_punct('(') {
                        depth += 1;
                    } else if x.is_punct(')') {
                        depth -= 1;
                    }
                    depth == 0 && x.is_punct(',')
                });
                if !top_comma && !inner.iter().any(|x| x.is_word("select")) {
                    let negated = out.last().is_some_and(|x| x.is_word("not"));
                    if negated {
                        out.pop();
                    }
                    out.push(Tok::Op(if negated { "<>" } else { "=" }.into()));
                    out.extend(rewrite(inner.to_vec()));
                    i = close + 1;
                    continue;
                }
            }
        }
        // `x BETWEEN a AND b` with single-token operands.
        if t.is_word("between") && i + 3 < toks.len() && toks[i + 2].is_word("and") {
            if let Some(lhs) = out.last().cloned().filter(|x| matches!(x, Tok::Word(_) | Tok::Num(_))) {
                out.push(Tok::Op(">=".into()));
                out.push(toks[i + 1].clone());
                out.push(Tok::Word("and".into()));
                out.push(lhs);
                out.push(Tok::Op("<=".into()));
                out.push(toks[i + 3].clone());
                i += 4;
                continue;
            }
        }
        let mapped = match t {
            Tok::Op(op) => match op.as_str() {
                "~~" => Some(vec![Tok::Word("like".into())]),
                "~~*" => Some(vec![Tok::Word("ilike".into())]),
                "!~~" => Some(vec![Tok::Word("not".into()), Tok::Word("like".into())]),
                "!~~*" => Some(vec![Tok::Word("not".into()), Tok::Word("ilike".into())]),
                "!=" => Some(vec![Tok::Op("<>".into())]),
                _ => None,
            },
            // `public.` before a name.
            Tok::Word(w) if w == "public" && toks.get(i + 1).is_some_and(|x| x.is_punct('.')) => {
                i += 2;
                continue;
            }
            _ => None,
        };
        match mapped {
            Some(v) => out.extend(v),
            None => out.push(t.clone()),
        }
        i += 1;
    }
    out
}

/// A canonical text for a SQL expression, equal for the document's spelling and the server's
/// rewrite of it: lower case outside strings, no casts, no parentheses, no `public.`, quantified
/// array comparisons as `IN`, and one space between tokens.
pub(crate) fn canonical(expr: &str) -> String {
    let toks = rewrite(drop_casts(tokenize(expr)));
    let kept: Vec<String> =
        toks.iter().filter(|t| !t.is_punct('(') && !t.is_punct(')') && !t.is_punct(';')).map(Tok::text).collect();
    kept.join(" ")
}

/// A 64-bit FNV-1a hash, printed as 16 hex digits.
pub(super) fn fnv64(s: &str) -> String {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in s.bytes() {
        h ^= u64::from(b);
        h = h.wrapping_mul(0x0000_0100_0000_01b3);
    }
    format!("{h:016x}")
}

/// The fingerprint of a view as a document writes it: a hash of its canonical query.
pub(super) fn view_fingerprint(sql: &str) -> String {
    let body = view_body(sql).unwrap_or(sql);
    let query = match find_as(body) {
        Some(at) => &body[at..],
        None => body,
    };
    fnv64(&canonical(query))
}

/// The byte offset just after the `AS` keyword that starts a view's query.
fn find_as(body: &str) -> Option<usize> {
    let lower = body.to_ascii_lowercase();
    let bytes = lower.as_bytes();
    let mut in_quote = false;
    for (i, c) in lower.char_indices() {
        if c == '"' {
            in_quote = !in_quote;
        }
        if in_quote {
            continue;
        }
        let before = i == 0 || !(bytes[i - 1].is_ascii_alphanumeric() || bytes[i - 1] == b'_');
        let after = bytes.get(i + 2).is_none_or(|b| !(b.is_ascii_alphanumeric() || *b == b'_'));
        if before && after && lower[i..].starts_with("as") {
            return Some(i + 2);
        }
    }
    None
}

/// The fingerprint a view's inspected text carries, if any.
fn marked(v: &View) -> Option<&str> {
    v.sql.find(FINGERPRINT_MARK).map(|at| v.sql[at + FINGERPRINT_MARK.len()..].trim())
}

/// The canonical text of a default on a column of `kind`.
fn canonical_default(kind: &TypeKind, value: Option<&DefaultValue>) -> String {
    let Some(value) = value else { return "null".to_string() };
    let value = match value {
        DefaultValue::Raw(raw) => parse_default(raw),
        other => other.clone(),
    };
    let number = |n: &str| {
        let n = n.trim().trim_start_matches('+');
        match n.split_once('.') {
            Some((int, frac)) if frac.chars().all(|c| c.is_ascii_digit()) => {
                let frac = frac.trim_end_matches('0');
                if frac.is_empty() {
                    int.to_string()
                } else {
                    format!("{int}.{frac}")
                }
            }
            _ => n.to_string(),
        }
    };
    let numeric = matches!(kind, TypeKind::Int { .. } | TypeKind::Decimal { .. } | TypeKind::Float { .. });
    match coerce_default(kind, &value) {
        DefaultValue::Null => "null".to_string(),
        DefaultValue::Bool(b) => b.to_string(),
        DefaultValue::Number(n) => number(&n),
        DefaultValue::String(s) if numeric && s.trim().parse::<f64>().is_ok() => number(&s),
        DefaultValue::String(s) if matches!(kind, TypeKind::Json | TypeKind::Jsonb) => format!("'{}'", squash(&s)),
        DefaultValue::String(s) => format!("'{s}'"),
        DefaultValue::CurrentTimestamp => "now()".to_string(),
        DefaultValue::CurrentDate => "current_date".to_string(),
        DefaultValue::CurrentTime => "current_time".to_string(),
        DefaultValue::GeneratedUuid => "gen_random_uuid()".to_string(),
        DefaultValue::Raw(r) => canonical(&r),
    }
}

/// Whether two types are the same on PostgreSQL.
fn same_kind(a: &TypeKind, b: &TypeKind) -> bool {
    match (a, b) {
        (TypeKind::Enum { name: x }, TypeKind::Enum { name: y }) => name_eq(x, y),
        (TypeKind::Array { of: x }, TypeKind::Array { of: y }) => same_kind(x, y),
        (TypeKind::Other { raw: x }, TypeKind::Other { raw: y }) => squash(x) == squash(y),
        _ => a == b,
    }
}

fn identity_class(i: Option<Identity>) -> Option<Identity> {
    match i {
        // NOTE: schemadoc creates an auto-increment column as GENERATED BY DEFAULT AS IDENTITY.
        Some(Identity::AutoIncrement) => Some(Identity::ByDefault),
        other => other,
    }
}

/// The dollar-quoted body of a function (`$$ … $$`, `$function$ … $function$`), if any.
fn dollar_body(sql: &str) -> Option<&str> {
    let start = sql.find('$')?;
    let tag_end = start + 1 + sql[start + 1..].find('$')?;
    let tag = &sql[start..=tag_end];
    if !tag[1..tag.len() - 1].chars().all(|c| c.is_alphanumeric() || c == '_') {
        return None;
    }
    let rest = &sql[tag_end + 1..];
    let end = rest.find(tag)?;
    Some(&rest[..end])
}

/// The `LANGUAGE` of a function statement, lower-cased without quotes.
fn language(sql: &str) -> Option<String> {
    let toks = tokenize(&sql.replace(dollar_body(sql).unwrap_or("\u{0}"), ""));
    let at = toks.iter().position(|t| t.is_word("language"))?;
    match toks.get(at + 1)? {
        Tok::Word(w) => Some(w.clone()),
        Tok::Str(s) => Some(s.to_lowercase()),
        _ => None,
    }
}

/// The canonical text of a trigger statement.
fn canonical_trigger(sql: &str) -> String {
    canonical(sql)
        .replace("create or replace trigger", "create trigger")
        .replace("execute procedure", "execute function")
}

impl DiffHooks for PgHooks {
    fn same_type(&self, from: &Column, to: &Column) -> bool {
        if !from.ty.exact || !to.ty.exact {
            return from.ty.kind.family() == to.ty.kind.family();
        }
        same_kind(&from.ty.kind, &to.ty.kind)
    }

    fn same_default(&self, from: &Column, to: &Column) -> bool {
        canonical_default(&from.ty.kind, from.default.as_ref()) == canonical_default(&to.ty.kind, to.default.as_ref())
    }

    fn same_identity(&self, from: &Column, to: &Column) -> bool {
        identity_class(from.identity) == identity_class(to.identity)
    }

    fn same_check(&self, from: &Check, to: &Check) -> bool {
        canonical(&from.expr) == canonical(&to.expr)
    }

    // NOTE: PostgreSQL keeps a generation expression as a parse tree; `pg_get_expr` prints it
    // back with casts and parentheses added, which `canonical` removes.
    fn same_generated(&self, from: &Column, to: &Column) -> bool {
        diff::same_generated_by(from, to, canonical)
    }

    fn same_index(&self, from: &Index, to: &Index) -> bool {
        from.unique == to.unique
            && same_index_options(from, to)
            && from.parts.len() == to.parts.len()
            && from.parts.iter().zip(&to.parts).all(|(a, b)| {
                let opclass = match (&a.opclass, &b.opclass) {
                    (Some(x), Some(y)) => name_eq(x.trim(), y.trim()),
                    _ => true,
                };
                let key = match (&a.column, &b.column, &a.expr, &b.expr) {
                    (Some(x), Some(y), _, _) => name_eq(x, y),
                    (Some(x), None, _, Some(e)) | (None, Some(x), Some(e), _) => canonical(e) == canonical(x),
                    (None, None, Some(x), Some(y)) => canonical(x) == canonical(y),
                    _ => false,
                };
                key && opclass && a.descending == b.descending
            })
            && from.predicate.as_deref().map(canonical) == to.predicate.as_deref().map(canonical)
    }

    fn same_view(&self, from: &View, to: &View) -> bool {
        if from.materialized != to.materialized {
            return false;
        }
        match (marked(from), marked(to)) {
            (Some(f), None) => return f == view_fingerprint(&to.sql),
            (None, Some(t)) => return t == view_fingerprint(&from.sql),
            _ => {}
        }
        let query = |v: &View| {
            let body = view_body(&v.sql).unwrap_or(&v.sql);
            let q = find_as(body).map(|at| &body[at..]).unwrap_or(body);
            canonical(q.split(FINGERPRINT_MARK).next().unwrap_or(q))
        };
        query(from) == query(to)
    }

    fn same_routine(&self, from: &Routine, to: &Routine) -> bool {
        if from.kind != to.kind {
            return false;
        }
        match from.kind {
            RoutineKind::Trigger => canonical_trigger(&from.sql) == canonical_trigger(&to.sql),
            RoutineKind::Function | RoutineKind::Procedure => match (dollar_body(&from.sql), dollar_body(&to.sql)) {
                (Some(a), Some(b)) => {
                    squash(a) == squash(b)
                        && language(&from.sql).unwrap_or_default() == language(&to.sql).unwrap_or_default()
                }
                _ => canonical(&from.sql) == canonical(&to.sql),
            },
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn same(doc: &str, server: &str) {
        assert_eq!(canonical(doc), canonical(server), "{doc}  vs  {server}");
    }

    #[test]
    fn rewritten_checks_compare_equal() {
        same(
            "status IN ('draft', 'active')",
            "((status)::text = ANY ((ARRAY['draft'::character varying, 'active'::character varying])::text[]))",
        );
        same(
            "status IN ('draft', 'active')",
            "status::text = ANY (ARRAY['draft'::character varying::text, 'active'::character varying::text])",
        );
        same("amount >= 0", "(amount >= (0)::numeric)");
        same("array_length(keywords, 1) <= 10", "(array_length(keywords, 1) <= 10)");
        same("kind IN ('a')", "((kind)::text = 'a'::text)");
        same(
            "x NOT IN ('a', 'b')",
            "((x)::text <> ALL ((ARRAY['a'::character varying, 'b'::character varying])::text[]))",
        );
        same("name LIKE 'a%'", "((name)::text ~~ 'a%'::text)");
        same("n BETWEEN 1 AND 5", "((n >= 1) AND (n <= 5))");
        same("a != b", "(a <> b)");
        same("\"Price\" > 0", "(price > (0)::double precision)");
        same("created_at <= now()", "(created_at <= now())");
        same("state <> 'paid'", "(state <> 'paid'::invoice_state)");
    }

    #[test]
    fn different_checks_stay_different() {
        assert_ne!(canonical("amount >= 0"), canonical("amount > 0"));
        assert_ne!(canonical("status IN ('a', 'b')"), canonical("status IN ('a', 'c')"));
        assert_ne!(canonical("a = 'X'"), canonical("a = 'x'"));
    }

    fn column(kind: TypeKind, default: Option<DefaultValue>) -> Column {
        let origin = model::Origin::new("t.md".into(), 1, 1, model::Notation::Sql);
        let mut c = Column::new("c", model::DataType::new(kind.clone(), kind.to_string()), origin);
        c.default = default;
        c
    }

    #[test]
    fn server_defaults_match_document_defaults() {
        let h = PgHooks;
        let pairs = [
            (TypeKind::Varchar { len: Some(20) }, DefaultValue::String("draft".into()), "'draft'::character varying"),
            (TypeKind::Array { of: Box::new(TypeKind::Text) }, DefaultValue::String("{}".into()), "'{}'::text[]"),
            (TypeKind::Jsonb, DefaultValue::Raw("'{\"a\":1}'::jsonb".into()), "'{\"a\": 1}'::jsonb"),
            (TypeKind::Bool, DefaultValue::Number("1".into()), "true"),
            (TypeKind::Decimal { precision: Some(12), scale: Some(2) }, DefaultValue::Number("0".into()), "0"),
            (TypeKind::Int { bytes: 4 }, DefaultValue::String("5".into()), "5"),
            (TypeKind::Timestamp { tz: true, precision: None }, DefaultValue::CurrentTimestamp, "CURRENT_TIMESTAMP"),
            (
                TypeKind::Int { bytes: 4 },
                DefaultValue::Raw("floor(random() * 10)".into()),
                "floor((random() * (10)::double precision))",
            ),
        ];
        for (kind, doc, server) in pairs {
            let a = column(kind.clone(), Some(DefaultValue::Raw(server.into())));
            let b = column(kind, Some(doc.clone()));
            assert!(h.same_default(&a, &b), "{doc:?} vs {server}");
        }
        let a = column(TypeKind::Text, Some(DefaultValue::String("a".into())));
        let b = column(TypeKind::Text, Some(DefaultValue::String("b".into())));
        assert!(!h.same_default(&a, &b));
    }

    fn routine(kind: RoutineKind, sql: &str) -> Routine {
        Routine {
            kind,
            name: "f".into(),
            sql: sql.into(),
            language: None,
            table: None,
            function: None,
            tables: vec![],
            origin: model::Origin::new("t.md".into(), 1, 1, model::Notation::Sql),
        }
    }

    #[test]
    fn function_and_trigger_definitions_compare_by_body() {
        let h = PgHooks;
        let doc = "CREATE OR REPLACE FUNCTION touch()\nRETURNS TRIGGER AS $$\nBEGIN\n  NEW.t = NOW();\n  RETURN NEW;\nEND;\n$$ language 'plpgsql';";
        let server = "CREATE OR REPLACE FUNCTION public.touch()\n RETURNS trigger\n LANGUAGE plpgsql\nAS $function$\nBEGIN\n  NEW.t = NOW();\n  RETURN NEW;\nEND;\n$function$\n";
        assert!(h.same_routine(&routine(RoutineKind::Function, server), &routine(RoutineKind::Function, doc)));
        let changed = doc.replace("NOW()", "clock_timestamp()");
        assert!(!h.same_routine(&routine(RoutineKind::Function, server), &routine(RoutineKind::Function, &changed)));
        let doc = "CREATE TRIGGER t_touch\n  BEFORE UPDATE ON \"user\"\n  FOR EACH ROW\n  EXECUTE FUNCTION touch();";
        let server = "CREATE TRIGGER t_touch BEFORE UPDATE ON public.\"user\" FOR EACH ROW EXECUTE FUNCTION touch()";
        assert!(h.same_routine(&routine(RoutineKind::Trigger, server), &routine(RoutineKind::Trigger, doc)));
    }

    #[test]
    fn views_compare_by_fingerprint_when_marked() {
        let h = PgHooks;
        let doc = "CREATE VIEW open_invoices AS SELECT * FROM invoices WHERE state <> 'paid'";
        let view = |sql: String| View {
            name: "open_invoices".into(),
            sql,
            materialized: false,
            tables: vec![],
            origin: model::Origin::new("t.md".into(), 1, 1, model::Notation::Sql),
        };
        let server = format!(
            "CREATE VIEW open_invoices AS SELECT invoices.id FROM invoices WHERE invoices.state <> 'paid'::invoice_state;\n{FINGERPRINT_MARK}{}",
            view_fingerprint(doc)
        );
        assert!(h.same_view(&view(server.clone()), &view(doc.into())));
        assert!(!h.same_view(&view(server), &view(doc.replace("paid", "sent"))));
        let plain = "CREATE VIEW v AS SELECT id FROM t WHERE (n > 1)";
        assert!(h.same_view(&view(plain.into()), &view("create view v as select id from t where n > 1;".into())));
    }
}
