//! Statements read by their keywords, where sqlparser is of little help: functions, procedures,
//! triggers, `PRAGMA`s, and fallbacks for a few DDL forms it rejects.

use super::lex::{Kind, Src};
use super::lower::{qualified_name, Builder};
use super::split::Stmt;
use super::{Cx, CONNECTION_SETTING, NOT_SCHEMA};
use crate::types::sql_string_literal;
use model::{name_key, Extension, Notation, Routine, RoutineKind, Setting, View};
use sqlparser::ast::{Query, SetExpr, TableFactor, TableWithJoins};
use std::collections::BTreeSet;

/// Words after FROM/JOIN/… that are not table names.
const NOT_TABLES: &[&str] = &[
    "SELECT",
    "LATERAL",
    "ONLY",
    "SET",
    "ON",
    "WHERE",
    "VALUES",
    "DEFAULT",
    "NEW",
    "OLD",
    "UNNEST",
    "GENERATE_SERIES",
];

/// Table names a body mentions after FROM, JOIN, UPDATE, INSERT INTO, DELETE FROM, TABLE
/// (best effort), looking inside `$$` bodies too. Known tables first-spelled; no repeats.
pub(crate) fn body_tables(text: &str, out: &mut Vec<String>) {
    let src = Src::lex(text, false);
    let sig: Vec<usize> = (0..src.toks.len()).filter(|&i| !src.toks[i].is_trivia()).collect();
    for (k, &i) in sig.iter().enumerate() {
        let t = src.toks[i];
        if t.kind == Kind::Dollar {
            let body = src.text_of(i);
            let tag_end = body[1..].find('$').map(|p| p + 2).unwrap_or(body.len());
            let tag = &body[..tag_end];
            let inner = &body[tag_end..];
            body_tables(inner.strip_suffix(tag).unwrap_or(inner), out);
            continue;
        }
        if t.kind != Kind::Word {
            continue;
        }
        let w = src.text_of(i).to_ascii_uppercase();
        let takes = match w.as_str() {
            "FROM" | "JOIN" | "UPDATE" | "TABLE" => true,
            "INTO" => k > 0 && ["INSERT", "REPLACE", "MERGE"].iter().any(|v| src.is_kw(sig[k - 1], v)),
            _ => false,
        };
        if !takes {
            continue;
        }
        let mut j = k + 1;
        if sig.get(j).is_some_and(|&n| src.is_kw(n, "ONLY")) {
            j += 1;
        }
        let Some((name, _, _, next)) = qualified_name(&src, &sig, j) else { continue };
        // `RETURNS TABLE (…)`, `FROM unnest(…)`: not tables. `INSERT INTO t (cols)` is.
        if matches!(w.as_str(), "FROM" | "JOIN" | "TABLE") && sig.get(next).is_some_and(|&n| src.is_punct(n, '(')) {
            continue;
        }
        if NOT_TABLES.contains(&name.to_ascii_uppercase().as_str()) {
            continue;
        }
        if !out.iter().any(|o| name_key(o) == name_key(&name)) {
            out.push(name);
        }
    }
}

/// Tables a query reads, from its AST (CTE names excluded).
pub(crate) fn query_tables(q: &Query, out: &mut Vec<String>, ctes: &mut BTreeSet<String>) {
    if let Some(with) = &q.with {
        for cte in &with.cte_tables {
            ctes.insert(name_key(&cte.alias.name.value));
            query_tables(&cte.query, out, ctes);
        }
    }
    set_expr_tables(&q.body, out, ctes);
}

fn set_expr_tables(e: &SetExpr, out: &mut Vec<String>, ctes: &mut BTreeSet<String>) {
    match e {
        SetExpr::Select(s) => {
            for twj in &s.from {
                table_with_joins(twj, out, ctes);
            }
        }
        SetExpr::Query(q) => query_tables(q, out, ctes),
        SetExpr::SetOperation { left, right, .. } => {
            set_expr_tables(left, out, ctes);
            set_expr_tables(right, out, ctes);
        }
        _ => {}
    }
}

fn table_with_joins(t: &TableWithJoins, out: &mut Vec<String>, ctes: &mut BTreeSet<String>) {
    factor(&t.relation, out, ctes);
    for j in &t.joins {
        factor(&j.relation, out, ctes);
    }
}

fn factor(f: &TableFactor, out: &mut Vec<String>, ctes: &mut BTreeSet<String>) {
    match f {
        TableFactor::Table { name, .. } => {
            let n =
                name.0.last().and_then(|p| p.as_ident()).map(|i| i.value.clone()).unwrap_or_else(|| name.to_string());
            if !ctes.contains(&name_key(&n)) && !out.iter().any(|o| name_key(o) == name_key(&n)) {
                out.push(n);
            }
        }
        TableFactor::Derived { subquery, .. } => query_tables(subquery, out, ctes),
        TableFactor::NestedJoin { table_with_joins, .. } => self::table_with_joins(table_with_joins, out, ctes),
        _ => {}
    }
}

/// `CREATE [OR REPLACE] FUNCTION|PROCEDURE name (…) … [LANGUAGE x]`, kept whole.
pub(crate) fn routine(b: &mut Builder, cx: &Cx, s: &Stmt, kind: RoutineKind) {
    let src = cx.src;
    let kw = if kind == RoutineKind::Procedure { "PROCEDURE" } else { "FUNCTION" };
    let Some(k) = s.sig.iter().position(|&i| src.is_kw(i, kw)) else { return };
    let mut k = k + 1;
    if s.word(src, k) == "IF" {
        k += if s.word(src, k + 1) == "NOT" { 3 } else { 2 };
    }
    let Some((name, _, _, _)) = qualified_name(src, &s.sig, k) else {
        return syntax_fallback(b, cx, s);
    };
    let language = s.sig.iter().position(|&i| src.is_kw(i, "LANGUAGE")).and_then(|p| s.sig.get(p + 1)).and_then(|&i| {
        let t = src.text_of(i);
        sql_string_literal(t).or_else(|| src.ident(i)).map(|l| l.to_ascii_lowercase())
    });
    let text = s.text(src);
    let mut tables = Vec::new();
    // The body: everything after the signature's closing parenthesis.
    let body_from = s.sig.iter().position(|&i| src.is_punct(i, ')')).map(|p| s.sig[p]).unwrap_or(s.first);
    let (start, _) = s.range(src);
    let body = &text[(src.toks[body_from].end.saturating_sub(start)).min(text.len())..];
    body_tables(body, &mut tables);
    // `AS 'SELECT …'` bodies.
    for &i in &s.sig {
        if src.toks[i].kind == Kind::Str {
            if let Some(lit) = sql_string_literal(src.text_of(i)) {
                if lit.contains(' ') {
                    body_tables(&lit, &mut tables);
                }
            }
        }
    }
    let routine = Routine {
        kind,
        name,
        sql: text.to_string(),
        language,
        table: None,
        function: None,
        tables,
        origin: cx.origin(s.first, Notation::Sql),
    };
    add_routine(b, routine);
}

fn add_routine(b: &mut Builder, r: Routine) {
    // NOTE: functions may be overloaded, so a repeated name replaces only a routine of the same
    // kind and the same text-free signature name (`CREATE OR REPLACE` in later sections).
    if let Some(pos) = b.schema.routines.iter().position(|x| x.kind == r.kind && name_key(&x.name) == name_key(&r.name))
    {
        b.schema.routines[pos] = r;
    } else {
        b.schema.routines.push(r);
    }
}

/// `CREATE TRIGGER name {BEFORE|AFTER|INSTEAD OF} … ON table … EXECUTE FUNCTION f()` or a
/// SQLite `BEGIN … END` body.
pub(crate) fn trigger(b: &mut Builder, cx: &Cx, s: &Stmt) {
    let src = cx.src;
    let sig = &s.sig;
    let Some(k) = sig.iter().position(|&i| src.is_kw(i, "TRIGGER")) else { return };
    let mut k = k + 1;
    if s.word(src, k) == "IF" {
        k += 3;
    }
    let Some((name, _, _, _)) = qualified_name(src, sig, k) else {
        return syntax_fallback(b, cx, s);
    };
    let table =
        sig.iter().position(|&i| src.is_kw(i, "ON")).and_then(|p| qualified_name(src, sig, p + 1)).map(|(n, ..)| n);
    let function = sig
        .iter()
        .position(|&i| src.is_kw(i, "EXECUTE"))
        .and_then(|p| {
            let mut q = p + 1;
            if sig.get(q).is_some_and(|&i| src.is_kw(i, "FUNCTION") || src.is_kw(i, "PROCEDURE")) {
                q += 1;
            }
            qualified_name(src, sig, q)
        })
        .map(|(n, ..)| n);
    let mut tables = Vec::new();
    if let Some(p) = sig.iter().position(|&i| src.is_kw(i, "BEGIN")) {
        let (start, _) = s.range(src);
        let text = s.text(src);
        let from = src.toks[sig[p]].start.saturating_sub(start).min(text.len());
        body_tables(&text[from..], &mut tables);
    }
    let language = function.is_none().then(|| "sql".to_string()).filter(|_| !tables.is_empty());
    let routine = Routine {
        kind: RoutineKind::Trigger,
        name,
        sql: s.text(src).to_string(),
        language,
        table,
        function,
        tables,
        origin: cx.origin(s.first, Notation::Sql),
    };
    add_routine(b, routine);
}

fn syntax_fallback(b: &mut Builder, cx: &Cx, s: &Stmt) {
    let (start, _) = s.range(cx.src);
    if let Err(f) = super::parse(s.text(cx.src), cx.flavor) {
        b.diagnostics.push(super::syntax_error(cx, s, start, &f));
    }
}

/// `PRAGMA name = value` / `PRAGMA name(value)`: a connection setting; `PRAGMA name` alone is a
/// query.
pub(crate) fn pragma(b: &mut Builder, cx: &Cx, s: &Stmt) {
    let src = cx.src;
    let sig = &s.sig;
    let Some((name, ..)) = qualified_name(src, sig, 1) else {
        return syntax_fallback(b, cx, s);
    };
    let value_from = sig.iter().position(|&i| src.is_punct(i, '=') || src.is_punct(i, '(')).map(|p| p + 1);
    let value = value_from.and_then(|from| {
        let mut to = sig.len().checked_sub(1)?;
        if src.is_punct(sig[to], ')') {
            to = to.checked_sub(1)?;
        }
        (to >= from).then(|| src.span_text(sig[from], sig[to]).trim().to_string())
    });
    match value {
        Some(value) => {
            let text = format!("PRAGMA {name} = {value}");
            b.schema.settings.push(Setting { name, value, origin: cx.origin(s.first, Notation::Sql) });
            b.diagnostics.push(CONNECTION_SETTING.at(
                cx.span(s.first),
                format!("`{text}` is a connection setting, not schema: kept to apply when connecting"),
            ));
        }
        None => {
            b.diagnostics
                .push(NOT_SCHEMA.at(cx.span(s.first), format!("`PRAGMA {name}` reads a setting; nothing to keep")));
        }
    }
}

/// Statements sqlparser rejects but that are plainly recognisable: `CREATE EXTENSION`,
/// `CREATE VIEW`, `COMMENT ON`. Returns whether the statement was handled.
pub(crate) fn keyword_fallback(b: &mut Builder, cx: &Cx, s: &Stmt) -> bool {
    let src = cx.src;
    let sig = &s.sig;
    let w = |n: usize| s.word(src, n);
    if w(0) == "CREATE" {
        if let Some(k) = sig.iter().take(4).position(|&i| src.is_kw(i, "EXTENSION")) {
            let mut k = k + 1;
            if w(k) == "IF" {
                k += 3;
            }
            if let Some(name) = sig.get(k).and_then(|&i| src.ident(i)) {
                if !b.schema.extensions.iter().any(|e| name_key(&e.name) == name_key(&name)) {
                    b.schema.extensions.push(Extension { name, origin: cx.origin(s.first, Notation::Sql) });
                }
                return true;
            }
        }
        if let Some(k) = sig.iter().take(6).position(|&i| src.is_kw(i, "VIEW")) {
            let materialized = sig[..k].iter().any(|&i| src.is_kw(i, "MATERIALIZED"));
            let replace = sig[..k].iter().any(|&i| src.is_kw(i, "REPLACE"));
            let mut k = k + 1;
            if w(k) == "IF" {
                k += 3;
            }
            let as_pos = sig.iter().position(|&i| src.is_kw(i, "AS"));
            if let (Some((name, ..)), Some(a)) = (qualified_name(src, sig, k), as_pos) {
                let (start, _) = s.range(src);
                let text = s.text(src);
                let from = src.toks[sig[a]].end.saturating_sub(start).min(text.len());
                let mut tables = Vec::new();
                body_tables(&text[from..], &mut tables);
                let view = View {
                    name,
                    sql: text.to_string(),
                    materialized,
                    tables,
                    origin: cx.origin(s.first, Notation::Sql),
                };
                b.add_view(cx, s, view, replace);
                return true;
            }
        }
    }
    false
}
