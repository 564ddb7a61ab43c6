//! Lowering statements to the model, applied in document order to one schema under construction.

use super::lex::{Kind, Src};
use super::split::{matching_paren, split_list, Elem, Stmt};
use super::{
    fragment, objects, parse, syntax_error, Cx, ParseFailure, ALTER_NOT_RECORDED, ALTER_UNKNOWN_COLUMN, DROP_UNKNOWN,
    DUPLICATE_COLUMN, DUPLICATE_CONSTRAINT, DUPLICATE_OBJECT, DUPLICATE_TABLE, MULTIPLE_PRIMARY_KEYS, NOT_SCHEMA,
    REDUNDANT_ADD_COLUMN, STATEMENT_NOT_MODELLED,
};
use crate::frontend::{self, Partial, PatchOp, TablePatch};
use crate::types::{is_serial, parse_sql_default, parse_sql_type, sql_string_literal};
use model::{
    is_default_namespace, name_key, qualified_name as display_name, reference_key, table_key, Check, Column,
    DataStatement, DataType, Diagnostic, Enum, Extension, ForeignKey, Generated, Identity, Index, IndexPart, Notation,
    PrimaryKey, ReferentialAction, Schema, Severity, Span, Table, TypeKind, Unique, View,
};
use sqlparser::ast::{
    self as ast, AlterColumnOperation, AlterTableOperation, ColumnDef, ColumnOption, ColumnOptionDef, CommentObject,
    Expr, IndexColumn, ObjectName, ObjectType, OrderBySort, Statement, TableConstraint, UserDefinedTypeRepresentation,
};
use std::collections::{BTreeMap, BTreeSet};

/// A table under construction, with the constraint names it uses.
pub(crate) struct TableState {
    pub table: Table,
    /// Created by a `CREATE TABLE` of this SQL (otherwise only altered or attached to).
    pub own: bool,
    /// Constraint name key → where it was first declared.
    pub names: BTreeMap<String, Span>,
}

/// A constraint read from a column option, a table element, `ADD CONSTRAINT` or a fragment.
#[derive(Debug, Clone)]
pub(crate) enum Lowered {
    Pk(PrimaryKey),
    Unique(Unique),
    Check(Check),
    Fk(ForeignKey),
    Index(Index),
}

/// A column and the constraints written on it.
pub(crate) struct LoweredColumn {
    pub column: Column,
    pub constraints: Vec<(Lowered, Span)>,
}

/// Where a statement is: (block, statement), in document order.
pub(crate) type StmtAt = (usize, usize);

/// The schema under construction and everything reported about it.
pub(crate) struct Builder<'k> {
    tables: Vec<Option<TableState>>,
    by_key: BTreeMap<String, usize>,
    indexes: Vec<Option<Index>>,
    index_by_name: BTreeMap<String, usize>,
    pub schema: Schema,
    pub altered_only: BTreeSet<String>,
    pub if_not_exists: BTreeSet<(String, String)>,
    /// Changes to tables other notations define, in document order.
    pub patches: Vec<TablePatch>,
    /// Keys of tables only altered, so far, by `ALTER TABLE IF EXISTS`.
    pub if_exists_tables: BTreeSet<String>,
    /// The statement being lowered is an `ALTER TABLE IF EXISTS`.
    table_if_exists: bool,
    pub diagnostics: Vec<Diagnostic>,
    pub known_tables: &'k BTreeSet<String>,
    /// `known_tables` plus every table the SQL creates.
    pub known: BTreeSet<String>,
    /// Table key → every `CREATE TABLE` of it, with its line.
    pub creates: BTreeMap<String, Vec<(StmtAt, u32)>>,
    /// The statement being lowered.
    pub at: StmtAt,
}

/// Words that end a column's type.
const COLUMN_STOP: &[&str] = &[
    "CONSTRAINT",
    "NOT",
    "NULL",
    "DEFAULT",
    "PRIMARY",
    "UNIQUE",
    "REFERENCES",
    "CHECK",
    "GENERATED",
    "AUTO_INCREMENT",
    "AUTOINCREMENT",
    "COMMENT",
    "COLLATE",
    "ON",
    "AS",
    "IDENTITY",
    "CHARSET",
    "KEY",
    "INVISIBLE",
    "VISIBLE",
    "STORED",
    "VIRTUAL",
    "SRID",
    "FIRST",
    "AFTER",
    "USING",
];

fn is_stop(src: &Src, sig: &[usize], k: usize) -> bool {
    let i = sig[k];
    if src.toks[i].kind != Kind::Word {
        return false;
    }
    let w = src.text_of(i).to_ascii_uppercase();
    COLUMN_STOP.contains(&w.as_str()) || (w == "CHARACTER" && sig.get(k + 1).is_some_and(|&j| src.is_kw(j, "SET")))
}

/// The `n`th (0-based) occurrence of keyword `kw` at parenthesis depth 0 of `sig`, as an index
/// into `sig`.
pub(crate) fn nth_kw(src: &Src, sig: &[usize], kw: &str, n: usize) -> Option<usize> {
    let mut depth = 0i32;
    let mut seen = 0;
    for (k, &i) in sig.iter().enumerate() {
        if src.is_punct(i, '(') {
            depth += 1;
        } else if src.is_punct(i, ')') {
            depth -= 1;
        } else if depth == 0 && src.is_kw(i, kw) {
            if seen == n {
                return Some(k);
            }
            seen += 1;
        }
    }
    None
}

/// Reads a possibly qualified name at `sig[k]`: (name, namespace, token of the name, next k).
pub(crate) fn qualified_name(src: &Src, sig: &[usize], k: usize) -> Option<(String, Option<String>, usize, usize)> {
    let mut parts = vec![(src.ident(*sig.get(k)?)?, sig[k])];
    let mut k = k + 1;
    while sig.get(k).is_some_and(|&i| src.is_punct(i, '.')) {
        let Some(part) = sig.get(k + 1).and_then(|&i| src.ident(i)) else { break };
        parts.push((part, sig[k + 1]));
        k += 2;
    }
    let (name, tok) = parts.pop()?;
    // `public.trees` is `trees`: unqualified names live in the default schema.
    let ns = parts.pop().map(|(p, _)| p).filter(|p| !is_default_namespace(p));
    Some((name, ns, tok, k))
}

/// The name of the table a `CREATE TABLE` statement creates (cheaply, from tokens), qualified
/// with its schema when it names one (`orchard.trees`).
pub(crate) fn created_table_name(src: &Src, s: &Stmt) -> Option<String> {
    if s.word(src, 0) != "CREATE" {
        return None;
    }
    let kt = s.sig.iter().take(5).position(|&i| src.is_kw(i, "TABLE"))?;
    let mut k = kt + 1;
    if s.word(src, k) == "IF" {
        k += 3;
    }
    qualified_name(src, &s.sig, k).map(|(n, ns, ..)| display_name(ns.as_deref(), &n))
}

fn object_name(o: &ObjectName) -> (String, Option<String>) {
    let parts: Vec<String> =
        o.0.iter().map(|p| p.as_ident().map(|i| i.value.clone()).unwrap_or_else(|| p.to_string())).collect();
    let name = parts.last().cloned().unwrap_or_default();
    let ns = (parts.len() >= 2).then(|| parts[parts.len() - 2].clone()).filter(|n| !is_default_namespace(n));
    (name, ns)
}

/// A reference to a table as the model keeps it: `orchard.trees`, or `trees` in the default schema.
fn table_ref(o: &ObjectName) -> String {
    let (name, ns) = object_name(o);
    display_name(ns.as_deref(), &name)
}

fn action(a: &Option<ast::ReferentialAction>) -> Option<ReferentialAction> {
    a.as_ref().map(|a| match a {
        ast::ReferentialAction::Restrict => ReferentialAction::Restrict,
        ast::ReferentialAction::Cascade => ReferentialAction::Cascade,
        ast::ReferentialAction::SetNull => ReferentialAction::SetNull,
        ast::ReferentialAction::NoAction => ReferentialAction::NoAction,
        ast::ReferentialAction::SetDefault => ReferentialAction::SetDefault,
    })
}

fn index_part(ic: &IndexColumn) -> IndexPart {
    let (column, expr) = match &ic.column.expr {
        Expr::Identifier(id) => (Some(id.value.clone()), None),
        Expr::CompoundIdentifier(ids) if !ids.is_empty() => (ids.last().map(|i| i.value.clone()), None),
        e => (None, Some(e.to_string())),
    };
    IndexPart {
        column,
        expr,
        descending: matches!(ic.column.options.sort, Some(OrderBySort::Desc)),
        opclass: ic.operator_class.as_ref().map(|o| o.to_string()),
    }
}

fn index_column_names(cols: &[IndexColumn]) -> Vec<String> {
    cols.iter().map(|c| index_part(c).column.unwrap_or_else(|| c.column.expr.to_string())).collect()
}

/// Words of an expression that are never column names.
const EXPR_WORDS: &[&str] = &[
    "AND",
    "OR",
    "NOT",
    "IN",
    "IS",
    "NULL",
    "LIKE",
    "ILIKE",
    "BETWEEN",
    "CASE",
    "WHEN",
    "THEN",
    "ELSE",
    "END",
    "TRUE",
    "FALSE",
    "ARRAY",
    "CAST",
    "AS",
    "ANY",
    "ALL",
    "SOME",
    "EXISTS",
    "SIMILAR",
    "TO",
    "ESCAPE",
    "COLLATE",
    "DISTINCT",
    "FROM",
    "AT",
    "TIME",
    "ZONE",
    "INTERVAL",
    "CURRENT_DATE",
    "CURRENT_TIMESTAMP",
    "CURRENT_TIME",
    "LOCALTIME",
    "LOCALTIMESTAMP",
    "CURRENT_USER",
    "SESSION_USER",
    "USER",
    "GLOB",
    "REGEXP",
    "RLIKE",
    "MATCH",
    "UNKNOWN",
    "ISNULL",
    "NOTNULL",
    "DIV",
    "MOD",
    "XOR",
    "SELECT",
    "WHERE",
];

/// The plain identifiers of the expression in tokens `from..to` (not keywords, functions,
/// qualifiers or cast types), in order, without repeats.
pub(crate) fn expr_columns(src: &Src, from: usize, to: usize) -> Vec<String> {
    let sig: Vec<usize> = (from..to.min(src.toks.len())).filter(|&i| !src.toks[i].is_trivia()).collect();
    let mut out: Vec<String> = Vec::new();
    let mut seen = BTreeSet::new();
    for (k, &i) in sig.iter().enumerate() {
        let kind = src.toks[i].kind;
        if !matches!(kind, Kind::Word | Kind::Quoted) {
            continue;
        }
        let next = sig.get(k + 1).copied();
        let prev = k.checked_sub(1).map(|p| sig[p]);
        if kind == Kind::Word {
            let upper = src.text_of(i).to_ascii_uppercase();
            if EXPR_WORDS.contains(&upper.as_str()) {
                continue;
            }
            if next.is_some_and(|n| src.toks[n].kind == Kind::Str) {
                continue; // DATE '2020-01-01'
            }
            // The second word of a two-word type (`::character varying`, `double precision`),
            // as PostgreSQL writes casts back.
            let prev_word =
                prev.filter(|&p| src.toks[p].kind == Kind::Word).map(|p| src.text_of(p).to_ascii_uppercase());
            if matches!(upper.as_str(), "VARYING" | "PRECISION")
                && matches!(prev_word.as_deref(), Some("CHARACTER" | "CHAR" | "BIT" | "DOUBLE" | "NATIONAL"))
            {
                continue;
            }
        }
        if next.is_some_and(|n| src.is_punct(n, '(') || src.is_punct(n, '.')) {
            continue;
        }
        if prev.is_some_and(|p| src.is_punct(p, ':') || src.is_kw(p, "AS")) {
            continue;
        }
        if let Some(name) = src.ident(i) {
            if seen.insert(name_key(&name)) {
                out.push(name);
            }
        }
    }
    out
}

/// The text inside the parentheses that follow `sig[k]` (`CHECK (…)`), and its token range.
fn paren_after(src: &Src, sig: &[usize], k: usize) -> Option<(String, usize, usize)> {
    let open = k + 1;
    if !sig.get(open).is_some_and(|&i| src.is_punct(i, '(')) {
        return None;
    }
    let close = matching_paren(src, sig, open)?;
    if close == open + 1 {
        return Some((String::new(), sig[open] + 1, sig[close]));
    }
    Some((src.span_text(sig[open + 1], sig[close - 1]).to_string(), sig[open] + 1, sig[close]))
}

/// A check read from the `n`th CHECK keyword of an element.
fn check_at(cx: &Cx, sig: &[usize], n: usize, name: Option<String>, fallback: &Expr, notation: Notation) -> Check {
    let src = cx.src;
    let k = nth_kw(src, sig, "CHECK", n);
    match k.and_then(|k| paren_after(src, sig, k).map(|p| (k, p))) {
        Some((k, (expr, from, to))) => {
            Check { name, expr, columns: expr_columns(src, from, to), origin: cx.origin(sig[k], notation) }
        }
        None => {
            let text = fallback.to_string();
            let sub = Src::lex(&text, false);
            let columns = expr_columns(&sub, 0, sub.toks.len());
            Check { name, expr: text, columns, origin: cx.origin(sig.first().copied().unwrap_or(0), notation) }
        }
    }
}

/// The type of a column element as written: the tokens after the name up to the first option.
fn type_text(src: &Src, sig: &[usize], from: usize) -> String {
    let last = balanced_run(src, sig, from, |k| is_stop(src, sig, k) || src.is_punct(sig[k], ','));
    match last {
        Some(l) if l >= from => src.span_text(sig[from], sig[l]).to_string(),
        _ => String::new(),
    }
}

/// The expression after the `DEFAULT` keyword of an element, as written.
fn default_text(src: &Src, sig: &[usize]) -> Option<String> {
    let k = nth_kw(src, sig, "DEFAULT", 0)?;
    let from = k + 1;
    let last = balanced_run(src, sig, from, |j| j > from && is_stop(src, sig, j));
    last.map(|l| src.span_text(sig[from], sig[l]).to_string())
}

/// The last position of the run of tokens `sig[from..]` that stays inside balanced parentheses and
/// ends before a top-level token where `stop` holds (or an unmatched `)`).
fn balanced_run(src: &Src, sig: &[usize], from: usize, stop: impl Fn(usize) -> bool) -> Option<usize> {
    let mut depth = 0i32;
    let mut last = None;
    for (k, &i) in sig.iter().enumerate().skip(from) {
        if depth == 0 && stop(k) {
            break;
        }
        if src.is_punct(i, '(') || src.is_punct(i, '[') {
            depth += 1;
        } else if src.is_punct(i, ')') || src.is_punct(i, ']') {
            if depth == 0 {
                break;
            }
            depth -= 1;
        }
        last = Some(k);
    }
    last
}

/// The expression of a generated column as written: the parenthesized text after the first
/// top-level `AS (` that follows the name (`GENERATED ALWAYS AS (…)`, MySQL `AS (…)`).
fn generated_text(src: &Src, sig: &[usize]) -> Option<String> {
    let mut depth = 0i32;
    for (k, &i) in sig.iter().enumerate().skip(1) {
        if src.is_punct(i, '(') {
            depth += 1;
        } else if src.is_punct(i, ')') {
            depth -= 1;
        } else if depth == 0 && src.is_kw(i, "AS") {
            if let Some((text, _, _)) = paren_after(src, sig, k) {
                return Some(text.trim().to_string()).filter(|t| !t.is_empty());
            }
        }
    }
    None
}

/// A character set or collation name as the catalog keeps it: without quotes (`"C"` → `C`).
fn unquoted_name(name: &str) -> String {
    name.trim().trim_matches(|c| c == '"' || c == '`' || c == '\'').to_string()
}

/// The word after `rest[k]`, past an optional `=` (`CHARSET=utf8mb4`, `COLLATE utf8mb4_bin`).
fn option_value(src: &Src, rest: &[usize], k: usize) -> Option<String> {
    let mut j = k + 1;
    if rest.get(j).is_some_and(|&i| src.is_punct(i, '=')) {
        j += 1;
    }
    rest.get(j).map(|&i| unquoted_name(src.text_of(i))).filter(|v| !v.is_empty())
}

/// Reads one column definition. `el.sig[0]` is the column's name.
pub(crate) fn lower_column(cx: &Cx, def: &ColumnDef, el: &Elem, notation: Notation) -> LoweredColumn {
    let src = cx.src;
    let sig = &el.sig;
    let name_tok = sig.first().copied().unwrap_or(0);
    let mut spelled = type_text(src, sig, 1);
    if spelled.is_empty() && def.data_type != ast::DataType::Unspecified {
        spelled = def.data_type.to_string();
    }
    let mut column = Column::new(def.name.value.clone(), parse_sql_type(&spelled), cx.origin(name_tok, notation));
    if is_serial(&spelled) {
        column.identity = Some(Identity::Serial);
    }
    let mut constraints = Vec::new();
    let mut seen: BTreeMap<&'static str, usize> = BTreeMap::new();
    let mut kw_span = |kw: &'static str| {
        let n = seen.entry(kw).or_insert(0);
        let k = nth_kw(src, sig, kw, *n);
        *n += 1;
        (k, *n - 1)
    };
    let col_name = def.name.value.clone();
    for ColumnOptionDef { name, option } in &def.options {
        let cname = name.as_ref().map(|n| n.value.clone());
        match option {
            ColumnOption::Null => column.nullable = true,
            ColumnOption::NotNull => column.nullable = false,
            ColumnOption::Default(expr) => {
                let text = default_text(src, sig).unwrap_or_else(|| expr.to_string());
                column.default = Some(parse_sql_default(&text));
            }
            ColumnOption::PrimaryKey(_) => {
                column.nullable = false;
                let k = kw_span("PRIMARY").0.map(|k| sig[k]).unwrap_or(name_tok);
                let pk = PrimaryKey { name: cname, columns: vec![col_name.clone()], origin: cx.origin(k, notation) };
                constraints.push((Lowered::Pk(pk), cx.span(k)));
            }
            ColumnOption::Unique(_) => {
                let k = kw_span("UNIQUE").0.map(|k| sig[k]).unwrap_or(name_tok);
                let u = Unique { name: cname, columns: vec![col_name.clone()], origin: cx.origin(k, notation) };
                constraints.push((Lowered::Unique(u), cx.span(k)));
            }
            ColumnOption::ForeignKey(fk) => {
                let k = kw_span("REFERENCES").0.map(|k| sig[k]).unwrap_or(name_tok);
                let ref_table = table_ref(&fk.foreign_table);
                let f = ForeignKey {
                    name: cname,
                    columns: vec![col_name.clone()],
                    ref_table,
                    ref_columns: fk.referred_columns.iter().map(|c| c.value.clone()).collect(),
                    on_delete: action(&fk.on_delete),
                    on_update: action(&fk.on_update),
                    inferred: false,
                    origin: cx.origin(k, notation),
                };
                constraints.push((Lowered::Fk(f), cx.span(k)));
            }
            ColumnOption::Check(c) => {
                let (_, n) = kw_span("CHECK");
                let check = check_at(cx, sig, n, cname, &c.expr, notation);
                let span = nth_kw(src, sig, "CHECK", n).map(|k| cx.span(sig[k])).unwrap_or_else(|| cx.span(name_tok));
                constraints.push((Lowered::Check(check), span));
            }
            ColumnOption::DialectSpecific(tokens) => {
                let text = tokens.iter().map(|t| t.to_string()).collect::<String>().to_ascii_uppercase();
                if text.contains("AUTO_INCREMENT") || text.contains("AUTOINCREMENT") {
                    column.identity = Some(Identity::AutoIncrement);
                }
            }
            ColumnOption::Identity(_) => column.identity = Some(Identity::AutoIncrement),
            ColumnOption::Generated { generated_as, generation_expr: None, .. } => {
                column.identity = Some(match generated_as {
                    ast::GeneratedAs::ByDefault => Identity::ByDefault,
                    _ => Identity::Always,
                });
            }
            ColumnOption::Generated { generation_expr: Some(expr), generation_expr_mode, .. } => {
                let expr = generated_text(src, sig).unwrap_or_else(|| expr.to_string());
                let stored = matches!(generation_expr_mode, Some(ast::GeneratedExpressionMode::Stored));
                column.generated = Some(Generated { expr, stored });
            }
            ColumnOption::Comment(c) => column.comment = Some(c.clone()),
            ColumnOption::OnUpdate(expr) => column.on_update = Some(expr.to_string()),
            ColumnOption::CharacterSet(n) => column.charset = Some(unquoted_name(&n.to_string())),
            ColumnOption::Collation(n) => column.collation = Some(unquoted_name(&n.to_string())),
            _ => {}
        }
    }
    if column.comment.is_none() && !el.comments.is_empty() {
        let texts: Vec<String> = el.comments.iter().map(|&i| src.comment_text(i)).filter(|t| !t.is_empty()).collect();
        if !texts.is_empty() {
            column.comment = Some(texts.join(" "));
        }
    }
    LoweredColumn { column, constraints }
}

/// Reads a table constraint written as element `el` (starting at `CONSTRAINT` or the kind).
pub(crate) fn lower_constraint(
    cx: &Cx,
    c: &TableConstraint,
    el: &Elem,
    table: &str,
    notation: Notation,
) -> Result<(Lowered, Span), &'static str> {
    let src = cx.src;
    let sig = &el.sig;
    let first = sig.first().copied().unwrap_or(0);
    let origin = cx.origin(first, notation);
    let name_span =
        if src.is_kw(first, "CONSTRAINT") { cx.span(sig.get(1).copied().unwrap_or(first)) } else { cx.span(first) };
    let n = |i: &Option<ast::Ident>| i.as_ref().map(|i| i.value.clone());
    Ok(match c {
        TableConstraint::PrimaryKey(pk) => {
            let pk = PrimaryKey { name: n(&pk.name), columns: index_column_names(&pk.columns), origin };
            (Lowered::Pk(pk), name_span)
        }
        TableConstraint::Unique(u) => {
            (Lowered::Unique(Unique { name: n(&u.name), columns: index_column_names(&u.columns), origin }), name_span)
        }
        TableConstraint::ForeignKey(fk) => {
            let ref_table = table_ref(&fk.foreign_table);
            let f = ForeignKey {
                name: n(&fk.name),
                columns: fk.columns.iter().map(|c| c.value.clone()).collect(),
                ref_table,
                ref_columns: fk.referred_columns.iter().map(|c| c.value.clone()).collect(),
                on_delete: action(&fk.on_delete),
                on_update: action(&fk.on_update),
                inferred: false,
                origin,
            };
            (Lowered::Fk(f), name_span)
        }
        TableConstraint::Check(ch) => {
            let mut check = check_at(cx, sig, 0, n(&ch.name), &ch.expr, notation);
            check.origin = origin;
            (Lowered::Check(check), name_span)
        }
        TableConstraint::Index(ix) => {
            let index = Index {
                name: n(&ix.name),
                table: table.to_string(),
                parts: ix.columns.iter().map(index_part).collect(),
                unique: false,
                method: ix.index_type.as_ref().map(|t| t.to_string().to_ascii_lowercase()),
                predicate: None,
                include: Vec::new(),
                origin,
            };
            (Lowered::Index(index), name_span)
        }
        TableConstraint::FulltextOrSpatial(f) => {
            let index = Index {
                name: n(&f.opt_index_name),
                table: table.to_string(),
                parts: f.columns.iter().map(index_part).collect(),
                unique: false,
                method: Some(if f.fulltext { "fulltext" } else { "spatial" }.to_string()),
                predicate: None,
                include: Vec::new(),
                origin,
            };
            (Lowered::Index(index), name_span)
        }
        TableConstraint::Exclude(_) => return Err("EXCLUDE constraint"),
        TableConstraint::PrimaryKeyUsingIndex(_) | TableConstraint::UniqueUsingIndex(_) => {
            return Err("constraint USING INDEX")
        }
    })
}

fn same_names(a: &[String], b: &[String]) -> bool {
    a.len() == b.len() && a.iter().zip(b).all(|(x, y)| name_key(x) == name_key(y))
}

/// Whether two expressions are the same text up to whitespace and ASCII case.
fn same_expr(a: &str, b: &str) -> bool {
    let mut x = a.split_whitespace();
    let mut y = b.split_whitespace();
    loop {
        match (x.next(), y.next()) {
            (None, None) => return true,
            (Some(p), Some(q)) if p.eq_ignore_ascii_case(q) => {}
            _ => return false,
        }
    }
}

/// Adds a constraint to a table, reporting name clashes and repeats. In a fragment, repeats of
/// what the table already has are silently ignored. Returns an index to add, if it is one.
pub(crate) fn add_constraint(
    st: &mut TableState,
    diags: &mut Vec<Diagnostic>,
    lowered: Lowered,
    span: Span,
    fragment: bool,
) -> Option<Index> {
    let table_name = st.table.name.clone();
    let name = match &lowered {
        Lowered::Pk(p) => p.name.clone(),
        Lowered::Unique(u) => u.name.clone(),
        Lowered::Check(c) => c.name.clone(),
        Lowered::Fk(f) => f.name.clone(),
        Lowered::Index(_) => None,
    };
    if let Some(n) = &name {
        let key = name_key(n);
        if let Some(first) = st.names.get(&key) {
            let first_line = first.line;
            diags.push(
                DUPLICATE_CONSTRAINT
                    .at(
                        span,
                        format!(
                            "constraint `{n}` already exists on table `{table_name}` (declared at line {first_line}); \
                             the database rejects adding it again"
                        ),
                    )
                    .with_related(first.clone(), format!("`{n}` first declared here"))
                    .with_help("remove the repeated constraint, or drop the first one before adding it again"),
            );
            return None;
        }
    }
    let register = |st: &mut TableState| {
        if let Some(n) = &name {
            st.names.insert(name_key(n), span.clone());
        }
    };
    let repeat = |what: &str, first: &model::Origin| {
        DUPLICATE_CONSTRAINT
            .at(span.clone(), format!("{what} on table `{table_name}` repeats one declared at line {}", first.line))
            .with_related(first.into(), "first declared here")
    };
    let t = &mut st.table;
    match lowered {
        Lowered::Pk(pk) => {
            if let Some(existing) = &t.primary_key {
                if !(fragment && same_names(&existing.columns, &pk.columns)) {
                    let mut d = MULTIPLE_PRIMARY_KEYS
                        .at(
                            span.clone(),
                            format!(
                                "table `{}` already has a primary key ({}) at line {}",
                                t.name,
                                existing.columns.join(", "),
                                existing.origin.line
                            ),
                        )
                        .with_related((&existing.origin).into(), "primary key declared here");
                    if same_names(&existing.columns, &pk.columns) {
                        d.severity = Severity::Warning;
                        d.message = format!("primary key of table `{}` declared twice", t.name);
                    }
                    diags.push(d);
                }
                return None;
            }
            // NOTE: every engine makes primary key columns NOT NULL (SQLite too, for a declared
            // key, in the model: its NULL-in-key quirk is not a design).
            for c in &pk.columns {
                if let Some(col) = t.column_mut(c) {
                    col.nullable = false;
                }
            }
            t.primary_key = Some(pk);
        }
        Lowered::Unique(u) => {
            if let Some(first) = t.uniques.iter().find(|x| same_names(&x.columns, &u.columns)) {
                if !fragment {
                    let mut d = repeat(&format!("UNIQUE ({})", u.columns.join(", ")), &first.origin);
                    d.severity = Severity::Warning;
                    diags.push(d);
                }
                return None;
            }
            t.uniques.push(u);
        }
        Lowered::Check(c) => {
            if let Some(first) = t.checks.iter().find(|x| same_expr(&x.expr, &c.expr)) {
                if !fragment {
                    let mut d = repeat(&format!("CHECK ({})", c.expr), &first.origin);
                    d.severity = Severity::Warning;
                    diags.push(d);
                }
                return None;
            }
            t.checks.push(c);
        }
        Lowered::Fk(f) => {
            let same = |x: &ForeignKey| {
                same_names(&x.columns, &f.columns)
                    && name_key(&x.ref_table) == name_key(&f.ref_table)
                    && same_names(&x.ref_columns, &f.ref_columns)
            };
            if let Some(first) = t.foreign_keys.iter().find(|x| same(x)) {
                if !fragment {
                    let mut d = repeat(
                        &format!("FOREIGN KEY ({}) REFERENCES {}", f.columns.join(", "), f.ref_table),
                        &first.origin,
                    );
                    d.severity = Severity::Warning;
                    diags.push(d);
                }
                return None;
            }
            t.foreign_keys.push(f);
        }
        Lowered::Index(ix) => return Some(ix),
    }
    register(st);
    None
}

/// What differs between an existing column and a re-declaration of it, in words.
fn column_differences(old: &Column, new: &Column) -> Vec<String> {
    let mut out = Vec::new();
    if old.ty.kind != new.ty.kind {
        out.push(format!("type {} instead of {}", new.ty.spelling, old.ty.spelling));
    }
    if old.nullable != new.nullable {
        out.push(if new.nullable {
            "nullable instead of NOT NULL".into()
        } else {
            "NOT NULL instead of nullable".into()
        });
    }
    if old.default != new.default {
        match (&old.default, &new.default) {
            (_, Some(d)) => out.push(format!(
                "DEFAULT {d}{}",
                old.default.as_ref().map(|o| format!(" instead of {o}")).unwrap_or_else(|| " (none before)".into())
            )),
            (Some(o), None) => out.push(format!("no default instead of {o}")),
            (None, None) => {}
        }
    }
    if old.identity != new.identity {
        out.push("a different identity".into());
    }
    out
}

/// Text of an element parsed on its own inside `CREATE TABLE t (…)`.
const WRAP_PREFIX: &str = "CREATE TABLE t (";

/// Parses one list element wrapped in a `CREATE TABLE`; errors point into the element text.
pub(crate) fn parse_element(cx: &Cx, el: &Elem) -> Result<(Option<ColumnDef>, Option<TableConstraint>), ParseFailure> {
    let text = el.text(cx.src);
    let wrapped = format!("{WRAP_PREFIX}{text})");
    match parse(&wrapped, cx.flavor) {
        Ok(stmts) => match stmts.into_iter().next() {
            Some(Statement::CreateTable(mut ct)) => Ok((ct.columns.pop(), ct.constraints.pop())),
            _ => Err(ParseFailure { message: "not a column or constraint".into(), offset: None }),
        },
        Err(f) => Err(ParseFailure {
            message: f.message,
            offset: f.offset.map(|o| o.saturating_sub(WRAP_PREFIX.len()).min(text.len())),
        }),
    }
}

/// An element that parses once its last one or two tokens are left out: the element and its AST.
fn without_stray_tail(cx: &Cx, el: &Elem) -> Option<(Elem, ElemAst)> {
    for cut in 1..=2usize {
        if el.sig.len() <= cut + 1 {
            return None;
        }
        let kept = Elem {
            sig: el.sig[..el.sig.len() - cut].to_vec(),
            comments: el.comments.clone(),
            leading: el.leading.clone(),
        };
        match parse_element(cx, &kept) {
            Ok((Some(c), _)) => return Some((kept, ElemAst::Column(c))),
            Ok((None, Some(c))) => return Some((kept, ElemAst::Constraint(c))),
            _ => {}
        }
    }
    None
}

enum ElemAst {
    Column(ColumnDef),
    Constraint(TableConstraint),
    Failed,
}

impl<'k> Builder<'k> {
    pub fn new(known_tables: &'k BTreeSet<String>, known: BTreeSet<String>) -> Self {
        Builder {
            tables: Vec::new(),
            by_key: BTreeMap::new(),
            indexes: Vec::new(),
            index_by_name: BTreeMap::new(),
            schema: Schema::default(),
            altered_only: BTreeSet::new(),
            if_not_exists: BTreeSet::new(),
            patches: Vec::new(),
            if_exists_tables: BTreeSet::new(),
            table_if_exists: false,
            diagnostics: Vec::new(),
            known_tables,
            known,
            creates: BTreeMap::new(),
            at: (0, 0),
        }
    }

    pub fn finish(mut self) -> Partial {
        let mut schema = std::mem::take(&mut self.schema);
        schema.tables = self.tables.into_iter().flatten().map(|s| s.table).collect();
        schema.indexes = self.indexes.into_iter().flatten().collect();
        let mut patches = std::mem::take(&mut self.patches);
        // Columns typed with a `CREATE TYPE … AS ENUM`, wherever the type is declared.
        if !schema.enums.is_empty() {
            let enums: BTreeMap<String, String> =
                schema.enums.iter().map(|e| (name_key(&e.name), e.name.clone())).collect();
            let resolve = |ty: &mut DataType| {
                if let TypeKind::Other { raw } = &ty.kind {
                    let bare = raw.rsplit('.').next().unwrap_or(raw);
                    if let Some(name) = enums.get(&name_key(bare)) {
                        ty.kind = TypeKind::Enum { name: name.clone() };
                    }
                }
            };
            for t in &mut schema.tables {
                for c in &mut t.columns {
                    resolve(&mut c.ty);
                }
            }
            for patch in &mut patches {
                match &mut patch.op {
                    PatchOp::SetType { ty, .. } => resolve(ty),
                    PatchOp::Redefine { with, .. } => resolve(&mut with.ty),
                    _ => {}
                }
            }
        }
        let mut partial = Partial::new(Notation::Sql);
        partial.schema = schema;
        partial.altered_only = self.altered_only;
        partial.if_not_exists = self.if_not_exists;
        partial.patches = patches;
        partial.if_exists_tables = self.if_exists_tables;
        partial.diagnostics = self.diagnostics;
        partial
    }

    pub fn table_index(&self, key: &str) -> Option<usize> {
        self.by_key.get(key).copied().filter(|&i| self.tables.get(i).is_some_and(Option::is_some))
    }

    pub fn state_mut(&mut self, idx: usize) -> Option<&mut TableState> {
        self.tables.get_mut(idx).and_then(Option::as_mut)
    }

    pub fn is_own(&self, key: &str) -> bool {
        self.table_index(key).and_then(|i| self.tables[i].as_ref()).is_some_and(|s| s.own)
    }

    /// Whether table `idx` has column `column` because this SQL declared it (not merely added it
    /// with `ADD COLUMN IF NOT EXISTS` to a table another notation defines, where it may exist
    /// already).
    fn declares_column(&self, idx: usize, column: &str) -> bool {
        let Some(st) = self.tables.get(idx).and_then(Option::as_ref) else { return false };
        st.table.column(column).is_some()
            && (st.own || !self.if_not_exists.contains(&(st.table.key(), name_key(column))))
    }

    /// Records a change to table `idx`, which another notation defines, for the merge to apply.
    fn patch(&mut self, idx: usize, op: PatchOp, if_exists: bool, span: Span) {
        let Some(st) = self.tables.get(idx).and_then(Option::as_ref) else { return };
        let table_if_exists = self.table_if_exists;
        self.patches.push(TablePatch { table: st.table.qualified_name(), op, if_exists, table_if_exists, span });
    }

    /// The entry of a table this SQL alters without creating it, made on first mention.
    pub fn altered_entry(&mut self, name: &str, namespace: Option<String>, origin: model::Origin) -> usize {
        let key = table_key(namespace.as_deref(), name);
        if let Some(i) = self.table_index(&key) {
            return i;
        }
        let mut table = Table::new(name, origin);
        table.namespace = namespace;
        self.tables.push(Some(TableState { table, own: false, names: BTreeMap::new() }));
        let i = self.tables.len() - 1;
        self.by_key.insert(key.clone(), i);
        self.if_exists_tables.remove(&key);
        self.altered_only.insert(key);
        i
    }

    pub fn add_index(&mut self, cx: &Cx, index: Index, name_tok: usize, if_not_exists: bool) {
        if let Some(name) = &index.name {
            let key = name_key(name);
            if let Some(first) =
                self.index_by_name.get(&key).and_then(|&i| self.indexes.get(i)).and_then(Option::as_ref)
            {
                if !if_not_exists {
                    let d = DUPLICATE_OBJECT
                        .at(
                            cx.span(name_tok),
                            format!(
                                "index `{name}` already exists (line {}); the database rejects it",
                                first.origin.line
                            ),
                        )
                        .with_related((&first.origin).into(), "first created here");
                    self.diagnostics.push(d);
                }
                return;
            }
            self.index_by_name.insert(key, self.indexes.len());
        }
        self.indexes.push(Some(index));
    }

    /// Lowers one statement.
    pub fn statement(&mut self, cx: &Cx, s: &Stmt) {
        if s.sig.is_empty() {
            return;
        }
        let src = cx.src;
        let w0 = s.word(src, 0);
        let words: Vec<String> = (1..7).map(|n| s.word(src, n)).collect();
        if w0 == "CREATE" {
            let object = words.iter().find(|w| {
                matches!(
                    w.as_str(),
                    "TABLE" | "INDEX" | "VIEW" | "TYPE" | "EXTENSION" | "FUNCTION" | "PROCEDURE" | "TRIGGER"
                )
            });
            match object.map(String::as_str) {
                Some("TABLE") if !words.iter().take_while(|w| *w != "TABLE").any(|w| w == "VIRTUAL") => {
                    return self.create_table(cx, s)
                }
                Some("FUNCTION") => return objects::routine(self, cx, s, model::RoutineKind::Function),
                Some("PROCEDURE") => return objects::routine(self, cx, s, model::RoutineKind::Procedure),
                Some("TRIGGER") => return objects::trigger(self, cx, s),
                _ => {}
            }
        }
        match w0.as_str() {
            "PRAGMA" => return objects::pragma(self, cx, s),
            "SET" | "BEGIN" | "COMMIT" | "ROLLBACK" | "START" | "END" | "USE" | "DELIMITER" | "SAVEPOINT"
            | "RELEASE" => return,
            // NOTE: PostgreSQL's `DO $$ … $$` runs an anonymous code block: valid, but what it does
            // (often a guarded `CREATE TYPE`) is code, not a statement the model reads.
            "DO" => {
                let body = s.text(src).to_uppercase();
                let ddl = ["CREATE ", "ALTER ", "DROP "].iter().any(|w| body.contains(w));
                let what = if ddl { "`DO` block (the DDL inside it is not read)" } else { "`DO` block" };
                return self.not_modelled(cx, s, what);
            }
            _ => {}
        }
        if super::split::is_tsql_procedural(&w0) {
            return self.procedural(cx, s, &w0);
        }
        let first_kind = src.toks[s.first].kind;
        let fragment_like = matches!(w0.as_str(), "FOREIGN" | "CONSTRAINT" | "PRIMARY" | "UNIQUE" | "CHECK")
            || first_kind == Kind::Quoted
            || (first_kind == Kind::Word && !super::split::is_statement_word(&w0));
        if fragment_like {
            return fragment::fragment(self, cx, s);
        }
        let (start, _) = s.range(src);
        // NOTE: sqlparser reads neither MySQL's `CREATE FULLTEXT INDEX` nor `CREATE SPATIAL
        // INDEX`: the word is blanked (positions hold) and becomes the index's method.
        let special = (w0 == "CREATE" && words[1] == "INDEX" && matches!(words[0].as_str(), "FULLTEXT" | "SPATIAL"))
            .then(|| words[0].to_ascii_lowercase());
        let text = match &special {
            Some(word) => {
                let t = s.text(src);
                let at = t.to_ascii_lowercase().find(word.as_str()).unwrap_or(0);
                format!("{}{}{}", &t[..at], " ".repeat(word.len()), &t[at + word.len()..])
            }
            None => s.text(src).to_string(),
        };
        match parse(&text, cx.flavor) {
            Ok(stmts) => {
                for st in stmts {
                    if let (Some(word), Statement::CreateIndex(ci)) = (&special, &st) {
                        self.create_index(cx, s, ci);
                        let name = ci.name.as_ref().map(|n| object_name(n).0);
                        if let Some(Some(last)) =
                            self.indexes.last_mut().filter(|l| l.as_ref().is_some_and(|l| l.name == name))
                        {
                            last.method = Some(word.clone());
                        }
                        continue;
                    }
                    self.parsed(cx, s, st);
                }
            }
            Err(f) => {
                if !objects::keyword_fallback(self, cx, s) {
                    self.diagnostics.push(syntax_error(cx, s, start, &f));
                }
            }
        }
    }

    /// A statement that runs code or administers the server (`EXEC`, `DECLARE`, `BACKUP`, `IF …`):
    /// valid, no schema. An `IF` guarding DDL (`IF NOT EXISTS (…) CREATE TABLE …`, `IF
    /// OBJECT_ID(…) IS NULL CREATE TABLE …`) is the DDL it guards.
    fn procedural(&mut self, cx: &Cx, s: &Stmt, verb: &str) {
        let src = cx.src;
        if verb == "IF" {
            let mut depth = 0i32;
            let guarded = s.sig.iter().enumerate().skip(1).find_map(|(k, &i)| {
                if src.is_punct(i, '(') {
                    depth += 1;
                } else if src.is_punct(i, ')') {
                    depth -= 1;
                }
                let ddl = ["CREATE", "ALTER", "DROP"].iter().any(|w| src.is_kw(i, w));
                (depth == 0 && ddl).then_some(k)
            });
            if let Some(k) = guarded {
                let inner = Stmt { lead_from: s.sig[k], first: s.sig[k], end_tok: s.end_tok, sig: s.sig[k..].to_vec() };
                return self.statement(cx, &inner);
            }
        }
        let d = NOT_SCHEMA.at(
            cx.span(s.first),
            format!("T-SQL `{verb}` runs code or administers the server; it defines no schema and is not modelled"),
        );
        self.diagnostics.push(d);
    }

    fn not_modelled(&mut self, cx: &Cx, s: &Stmt, what: &str) {
        let d = STATEMENT_NOT_MODELLED
            .at(cx.span(s.first), format!("{what}: valid, but not part of the schema model; apply it by other means"));
        self.diagnostics.push(d);
    }

    /// Records a type the document defines but the model does not describe (a domain, a composite
    /// type), so that columns of it are not unknown types.
    fn define_type(&mut self, cx: &Cx, s: &Stmt, name: &ObjectName) {
        let (name, _) = object_name(name);
        self.schema.types.push(model::TypeDef { name, origin: cx.origin(s.first, Notation::Sql) });
    }

    fn parsed(&mut self, cx: &Cx, s: &Stmt, st: Statement) {
        match st {
            Statement::CreateTable(_) => self.create_table(cx, s),
            Statement::CreateIndex(ci) => self.create_index(cx, s, &ci),
            Statement::AlterTable(at) => self.alter_table(cx, s, &at),
            Statement::Drop { object_type, if_exists, names, table, .. } => {
                self.drop(cx, s, object_type, if_exists, &names, table.as_ref())
            }
            Statement::CreateType { name, representation } => match representation {
                Some(UserDefinedTypeRepresentation::Enum { labels }) => {
                    let (name, _) = object_name(&name);
                    let values = labels.iter().map(|l| l.value.clone()).collect();
                    let tok = name_tok_after(cx.src, s, "TYPE").unwrap_or(s.first);
                    let e = Enum { name: name.clone(), values, origin: cx.origin(s.first, Notation::Sql) };
                    if let Some(first) = self.schema.enums.iter().find(|x| name_key(&x.name) == name_key(&name)) {
                        let d = DUPLICATE_OBJECT
                            .at(cx.span(tok), format!("type `{name}` already exists (line {})", first.origin.line))
                            .with_related((&first.origin).into(), "first created here");
                        self.diagnostics.push(d);
                    } else {
                        self.schema.enums.push(e);
                    }
                }
                _ => {
                    self.define_type(cx, s, &name);
                    self.not_modelled(cx, s, "CREATE TYPE other than an enum")
                }
            },
            Statement::CreateDomain(cd) => {
                self.define_type(cx, s, &cd.name);
                let what = Statement::CreateDomain(cd).to_string();
                let head: String = what.split_whitespace().take(3).collect::<Vec<_>>().join(" ");
                self.not_modelled(cx, s, &format!("`{head} …`"))
            }
            Statement::CreateSchema { schema_name, if_not_exists, .. } => {
                let name = match &schema_name {
                    ast::SchemaName::Simple(n) | ast::SchemaName::NamedAuthorization(n, _) => object_name(n).0,
                    ast::SchemaName::UnnamedAuthorization(user) => user.value.clone(),
                };
                let tok = name_tok_after(cx.src, s, "SCHEMA").unwrap_or(s.first);
                if let Some(first) = self.schema.namespaces.iter().find(|n| name_key(&n.name) == name_key(&name)) {
                    if !if_not_exists {
                        let d = DUPLICATE_OBJECT
                            .at(
                                cx.span(tok),
                                format!("schema `{name}` is already created (line {})", first.origin.line),
                            )
                            .with_related((&first.origin).into(), "first created here");
                        self.diagnostics.push(d);
                    }
                } else if !is_default_namespace(&name) {
                    self.schema.namespaces.push(model::Namespace { name, origin: cx.origin(s.first, Notation::Sql) });
                }
            }
            Statement::CreateExtension(ce) => {
                let name = ce.name.value.clone();
                if let Some(first) = self.schema.extensions.iter().find(|e| name_key(&e.name) == name_key(&name)) {
                    if !ce.if_not_exists {
                        let tok = name_tok_after(cx.src, s, "EXTENSION").unwrap_or(s.first);
                        let d = DUPLICATE_OBJECT
                            .at(
                                cx.span(tok),
                                format!("extension `{name}` is already created (line {})", first.origin.line),
                            )
                            .with_related((&first.origin).into(), "first created here");
                        self.diagnostics.push(d);
                    }
                } else {
                    self.schema.extensions.push(Extension { name, origin: cx.origin(s.first, Notation::Sql) });
                }
            }
            Statement::CreateView(cv) => {
                let (name, _) = object_name(&cv.name);
                let mut tables = Vec::new();
                objects::query_tables(&cv.query, &mut tables, &mut BTreeSet::new());
                let view = View {
                    name,
                    sql: s.text(cx.src).to_string(),
                    materialized: cv.materialized,
                    tables,
                    origin: cx.origin(s.first, Notation::Sql),
                };
                self.add_view(cx, s, view, cv.or_replace || cv.if_not_exists);
            }
            Statement::Comment { object_type, object_name: on, comment, .. } => {
                self.comment_on(cx, s, object_type, &on, comment)
            }
            Statement::Insert(_)
            | Statement::Update(_)
            | Statement::Delete(_)
            | Statement::Query(_)
            | Statement::Merge(_) => self.data_statement(cx, s),
            Statement::Set(_)
            | Statement::StartTransaction { .. }
            | Statement::Commit { .. }
            | Statement::Rollback { .. } => {}
            Statement::CreateFunction(_) => objects::routine(self, cx, s, model::RoutineKind::Function),
            Statement::CreateProcedure { .. } => objects::routine(self, cx, s, model::RoutineKind::Procedure),
            Statement::CreateTrigger(_) => objects::trigger(self, cx, s),
            Statement::Pragma { .. } => objects::pragma(self, cx, s),
            Statement::DropFunction(df) => {
                for f in &df.func_desc {
                    let (name, _) = object_name(&f.name);
                    self.schema
                        .routines
                        .retain(|r| !(r.kind != model::RoutineKind::Trigger && name_key(&r.name) == name_key(&name)));
                }
            }
            Statement::DropTrigger(dt) => {
                let (name, _) = object_name(&dt.trigger_name);
                self.schema
                    .routines
                    .retain(|r| !(r.kind == model::RoutineKind::Trigger && name_key(&r.name) == name_key(&name)));
            }
            other => {
                let what = other.to_string();
                let head: String = what.split_whitespace().take(3).collect::<Vec<_>>().join(" ");
                self.not_modelled(cx, s, &format!("`{head} …`"))
            }
        }
    }

    pub fn add_view(&mut self, cx: &Cx, s: &Stmt, view: View, replace: bool) {
        if let Some(pos) = self.schema.views.iter().position(|v| name_key(&v.name) == name_key(&view.name)) {
            if replace {
                self.schema.views[pos] = view;
            } else {
                let first = &self.schema.views[pos].origin;
                let d = DUPLICATE_OBJECT
                    .at(cx.span(s.first), format!("view `{}` already exists (line {})", view.name, first.line))
                    .with_related(first.into(), "first created here");
                self.diagnostics.push(d);
            }
            return;
        }
        self.schema.views.push(view);
    }

    pub fn data_statement(&mut self, cx: &Cx, s: &Stmt) {
        let verb = s.word(cx.src, 0);
        let origin = cx.origin(s.first, Notation::Sql);
        self.schema.data_statements.push(DataStatement { sql: s.text(cx.src).to_string(), origin });
        let what = match verb.as_str() {
            "SELECT" | "WITH" | "VALUES" | "TABLE" => "a query",
            _ => "a data change",
        };
        self.diagnostics.push(
            NOT_SCHEMA
                .at(cx.span(s.first), format!("`{verb}` is {what}, not schema: kept as a data statement for later")),
        );
    }

    fn comment_on(&mut self, cx: &Cx, s: &Stmt, object: CommentObject, on: &ObjectName, comment: Option<String>) {
        let parts: Vec<String> =
            on.0.iter().map(|p| p.as_ident().map(|i| i.value.clone()).unwrap_or_default()).collect();
        match object {
            CommentObject::Table => {
                let (name, ns) = object_name(on);
                let key = table_key(ns.as_deref(), &name);
                let origin = cx.origin(s.first, Notation::Sql);
                let idx = match self.table_index(&key) {
                    Some(i) => i,
                    None => self.altered_entry(&name, ns, origin),
                };
                if let Some(st) = self.state_mut(idx) {
                    st.table.comment = comment;
                }
            }
            CommentObject::Column if parts.len() >= 2 => {
                let table = parts[parts.len() - 2].clone();
                let column = parts[parts.len() - 1].clone();
                let namespace =
                    (parts.len() >= 3).then(|| parts[parts.len() - 3].clone()).filter(|n| !is_default_namespace(n));
                let key = table_key(namespace.as_deref(), &table);
                let own = self.is_own(&key);
                let idx = self.table_index(&key);
                if let Some(i) = idx.filter(|&i| self.declares_column(i, &column)) {
                    if let Some(c) = self.state_mut(i).and_then(|st| st.table.column_mut(&column)) {
                        c.comment = comment;
                    }
                    return;
                }
                if own {
                    let d = ALTER_UNKNOWN_COLUMN
                        .at(cx.span(s.first), format!("COMMENT ON COLUMN: table `{table}` has no column `{column}`"));
                    self.diagnostics.push(d);
                    return;
                }
                // A table another notation defines: the merge applies the comment to its column.
                let table_tok = s.sig.iter().copied().find(|&i| src_ident_is(cx.src, i, &table)).unwrap_or(s.first);
                let column_tok = s.sig.iter().copied().rfind(|&i| src_ident_is(cx.src, i, &column)).unwrap_or(s.first);
                let idx = match idx {
                    Some(i) => i,
                    None => self.altered_entry(&table, namespace, cx.origin(table_tok, Notation::Sql)),
                };
                self.patch(idx, PatchOp::Comment { column, comment }, false, cx.span(column_tok));
            }
            _ => self.not_modelled(cx, s, "COMMENT ON this kind of object"),
        }
    }

    fn create_table(&mut self, cx: &Cx, s: &Stmt) {
        let src = cx.src;
        let sig = &s.sig;
        let Some(kt) = sig.iter().position(|&i| src.is_kw(i, "TABLE")) else { return };
        let mut k = kt + 1;
        let if_not_exists = s.word(src, k) == "IF" && s.word(src, k + 1) == "NOT" && s.word(src, k + 2) == "EXISTS";
        if if_not_exists {
            k += 3;
        }
        let (start, _) = s.range(src);
        let Some((name, namespace, name_tok, after)) = qualified_name(src, sig, k) else {
            match parse(s.text(src), cx.flavor) {
                Ok(_) => self.not_modelled(cx, s, "CREATE TABLE without a name schemadoc can read"),
                Err(f) => self.diagnostics.push(syntax_error(cx, s, start, &f)),
            }
            return;
        };
        if s.word(src, after) == "PARTITION" && s.word(src, after + 1) == "OF" {
            let parent = qualified_name(src, sig, after + 2).map(|(n, ns, ..)| display_name(ns.as_deref(), &n));
            let parent = parent.unwrap_or_default();
            let shown = display_name(namespace.as_deref(), &name);
            let d = STATEMENT_NOT_MODELLED
                .at(
                    cx.span(name_tok),
                    format!(
                        "`{shown}` is a partition of `{parent}`, not a table of its own: partitions are not modelled, `{parent}` holds the design"
                    ),
                )
                .with_help("create partitions by other means (a migration, pg_partman); they take their parent's columns");
            self.diagnostics.push(d);
            return;
        }
        let open = sig.get(after).filter(|&&i| src.is_punct(i, '(')).map(|_| after);
        let close = open.and_then(|o| matching_paren(src, sig, o));
        let elems = match (open, close) {
            (Some(o), Some(c)) => split_list(src, sig[o] + 1, sig[c]),
            (Some(o), None) => split_list(src, sig[o] + 1, s.end_tok),
            _ => Vec::new(),
        };
        // NOTE: sqlparser reads `STRICT` or `WITHOUT ROWID` alone but not both (`) STRICT, WITHOUT
        // ROWID`); they are read from the tokens below, so the statement is parsed without them.
        let sqlite_tail = close.is_some_and(|c| {
            let rest = &sig[c + 1..];
            !rest.is_empty()
                && rest
                    .iter()
                    .all(|&i| src.is_punct(i, ',') || ["STRICT", "WITHOUT", "ROWID"].iter().any(|w| src.is_kw(i, w)))
        });
        let text = match close {
            Some(c) if sqlite_tail => &src.text[s.range(src).0..src.toks[sig[c]].end],
            _ => s.text(src),
        };
        let items: Vec<(Elem, ElemAst)> = match parse(text, cx.flavor) {
            Ok(stmts) => match stmts.into_iter().next() {
                Some(Statement::CreateTable(ct)) => assign_elements(src, elems, ct.columns, ct.constraints),
                _ => {
                    self.not_modelled(cx, s, "this CREATE TABLE form");
                    return;
                }
            },
            Err(whole) => {
                // Read what can be read, element by element, so one bad column does not hide the table.
                let mut failures: Vec<Diagnostic> = Vec::new();
                let mut items = Vec::new();
                for el in elems {
                    match parse_element(cx, &el) {
                        Ok((Some(c), _)) => items.push((el, ElemAst::Column(c))),
                        Ok((None, Some(c))) => items.push((el, ElemAst::Constraint(c))),
                        Ok((None, None)) => items.push((el, ElemAst::Failed)),
                        Err(f) => {
                            let base = el.first().map(|i| src.toks[i].start).unwrap_or(start);
                            failures.push(syntax_error(cx, s, base, &f));
                            // A stray token after a complete element (`REFERENCES crate(id)⏎x`):
                            // keep the element, the error points at the token.
                            match without_stray_tail(cx, &el) {
                                Some((kept, ast)) => items.push((kept, ast)),
                                None => items.push((el, ElemAst::Failed)),
                            }
                        }
                    }
                }
                // One diagnostic per statement: the first unreadable element, the others related.
                let mut failures = failures.into_iter();
                match failures.next() {
                    Some(mut first) => {
                        let rest: Vec<Diagnostic> = failures.collect();
                        if !rest.is_empty() {
                            first.message.push_str(&format!(
                                " (and {} more unreadable element(s) in this CREATE TABLE)",
                                rest.len()
                            ));
                        }
                        for r in rest {
                            first = first.with_related(r.span, r.message);
                        }
                        first.message = format!("{} — the rest of table `{name}` is kept", first.message);
                        self.diagnostics.push(first);
                    }
                    None => self.diagnostics.push(syntax_error(cx, s, start, &whole)),
                }
                if open.is_none() {
                    return;
                }
                items
            }
        };

        let key = table_key(namespace.as_deref(), &name);
        let shown = display_name(namespace.as_deref(), &name);
        if let Some(idx) = self.table_index(&key) {
            if let Some(st) = self.tables[idx].as_ref().filter(|st| st.own) {
                if !if_not_exists {
                    let d = DUPLICATE_TABLE
                        .at(
                            cx.span(name_tok),
                            format!(
                                "table `{shown}` is already created at line {}; this definition is ignored",
                                st.table.origin.line
                            ),
                        )
                        .with_related((&st.table.origin).into(), "first created here")
                        .with_help(
                            "keep one CREATE TABLE per table, or mark outdated blocks with `<!-- schemadoc:ignore -->`",
                        );
                    self.diagnostics.push(d);
                }
                return;
            }
        }

        let mut table = Table::new(name.clone(), cx.origin(s.first, Notation::Sql));
        table.namespace = namespace;
        let mut st = TableState { table, own: true, names: BTreeMap::new() };
        let mut seen: BTreeMap<String, usize> = BTreeMap::new();
        let mut new_indexes = Vec::new();
        for (el, item) in items {
            match item {
                ElemAst::Column(def) => {
                    let lowered = lower_column(cx, &def, &el, Notation::Sql);
                    let ckey = name_key(&lowered.column.name);
                    if let Some(&first) = seen.get(&ckey) {
                        let first = &st.table.columns[first].origin;
                        let d = DUPLICATE_COLUMN
                            .at(
                                cx.span(el.sig[0]),
                                format!(
                                    "column `{}` is declared twice in table `{shown}` (first at line {})",
                                    lowered.column.name, first.line
                                ),
                            )
                            .with_related(first.into(), "first declared here");
                        self.diagnostics.push(d);
                        continue;
                    }
                    seen.insert(ckey, st.table.columns.len());
                    st.table.columns.push(lowered.column);
                    for (c, span) in lowered.constraints {
                        if let Some(ix) = add_constraint(&mut st, &mut self.diagnostics, c, span, false) {
                            new_indexes.push((ix, el.sig[0]));
                        }
                    }
                }
                ElemAst::Constraint(c) => match lower_constraint(cx, &c, &el, &shown, Notation::Sql) {
                    Ok((lowered, span)) => {
                        if let Some(ix) = add_constraint(&mut st, &mut self.diagnostics, lowered, span, false) {
                            new_indexes.push((ix, el.sig[0]));
                            continue;
                        }
                    }
                    Err(what) => {
                        self.diagnostics.push(STATEMENT_NOT_MODELLED.at(
                            cx.span(el.sig[0]),
                            format!("{what} in table `{shown}` is not part of the schema model"),
                        ));
                    }
                },
                ElemAst::Failed => {}
            }
        }
        // Table options: MySQL `COMMENT = '…'` after the column list.
        if let Some(c) = close {
            let rest = &sig[c + 1..];
            if let Some(kc) = rest.iter().position(|&i| src.is_kw(i, "COMMENT")) {
                let lit = rest[kc + 1..].iter().find(|&&i| !src.is_punct(i, '='));
                if let Some(text) = lit.and_then(|&i| sql_string_literal(src.text_of(i))) {
                    st.table.comment = Some(text);
                }
            }
            // SQLite `STRICT` and `WITHOUT ROWID`, comma-separated after the column list; MySQL
            // `[DEFAULT] CHARSET=…`, `CHARACTER SET …`, `COLLATE=…`.
            for (k, &i) in rest.iter().enumerate() {
                if src.is_kw(i, "CHARSET")
                    || (src.is_kw(i, "CHARACTER") && rest.get(k + 1).is_some_and(|&j| src.is_kw(j, "SET")))
                {
                    let at = if src.is_kw(i, "CHARSET") { k } else { k + 1 };
                    st.table.options.charset = option_value(src, rest, at);
                } else if src.is_kw(i, "COLLATE") {
                    st.table.options.collation = option_value(src, rest, k);
                } else if src.is_kw(i, "STRICT") {
                    st.table.options.strict = true;
                } else if src.is_kw(i, "WITHOUT") && rest.get(k + 1).is_some_and(|&j| src.is_kw(j, "ROWID")) {
                    st.table.options.without_rowid = true;
                }
            }
        }

        match self.table_index(&key) {
            Some(idx) => {
                // ALTERed (or attached to) before it was created: the CREATE is the base, what
                // was added before it stays.
                if let Some(Some(old)) = self.tables.get_mut(idx).map(Option::take) {
                    for col in old.table.columns {
                        if st.table.column(&col.name).is_none() {
                            st.table.columns.push(col);
                        }
                    }
                    // What an earlier ALTER added and the CREATE declares too is one constraint.
                    let created = st.table.origin.clone();
                    let mut repeated = |what: String, origin: &model::Origin| {
                        let d = ALTER_NOT_RECORDED
                            .at(
                                origin.into(),
                                format!(
                                    "{what} comes before the CREATE TABLE (line {}) that declares it: kept once",
                                    created.line
                                ),
                            )
                            .with_related((&created).into(), "table created here");
                        self.diagnostics.push(d);
                    };
                    for fk in old.table.foreign_keys {
                        let same = st.table.foreign_keys.iter().any(|x| {
                            x.name.as_deref().zip(fk.name.as_deref()).is_some_and(|(a, b)| name_key(a) == name_key(b))
                                || (same_names(&x.columns, &fk.columns)
                                    && reference_key(&x.ref_table) == reference_key(&fk.ref_table))
                        });
                        if same {
                            repeated(
                                format!("FOREIGN KEY ({}) REFERENCES {}", fk.columns.join(", "), fk.ref_table),
                                &fk.origin,
                            );
                        } else {
                            st.table.foreign_keys.push(fk);
                        }
                    }
                    for c in old.table.checks {
                        let same = st.table.checks.iter().any(|x| {
                            x.name.as_deref().zip(c.name.as_deref()).is_some_and(|(a, b)| name_key(a) == name_key(b))
                                || same_expr(&x.expr, &c.expr)
                        });
                        if same {
                            repeated(format!("CHECK ({})", c.expr), &c.origin);
                        } else {
                            st.table.checks.push(c);
                        }
                    }
                    for u in old.table.uniques {
                        if st.table.uniques.iter().any(|x| same_names(&x.columns, &u.columns)) {
                            repeated(format!("UNIQUE ({})", u.columns.join(", ")), &u.origin);
                        } else {
                            st.table.uniques.push(u);
                        }
                    }
                    if st.table.primary_key.is_none() {
                        st.table.primary_key = old.table.primary_key;
                    }
                    if st.table.comment.is_none() {
                        st.table.comment = old.table.comment;
                    }
                    for (k, v) in old.names {
                        st.names.entry(k).or_insert(v);
                    }
                }
                let created = st.table.origin.clone();
                self.tables[idx] = Some(st);
                self.altered_only.remove(&key);
                self.if_exists_tables.remove(&key);
                self.if_not_exists.retain(|(t, _)| *t != key);
                // Changes to columns the table did not have yet: the CREATE is the definition.
                let (early, rest): (Vec<TablePatch>, Vec<TablePatch>) =
                    std::mem::take(&mut self.patches).into_iter().partition(|p| reference_key(&p.table) == key);
                self.patches = rest;
                for p in early {
                    let d = ALTER_NOT_RECORDED
                        .at(
                            p.span,
                            format!(
                                "{} on `{}` comes before its CREATE TABLE (line {}) and is not applied",
                                p.op.statement(),
                                p.table,
                                created.line
                            ),
                        )
                        .with_related((&created).into(), "table created here")
                        .with_help("move the ALTER after the CREATE TABLE, or fold the change into it");
                    self.diagnostics.push(d);
                }
            }
            None => {
                self.tables.push(Some(st));
                self.by_key.insert(key, self.tables.len() - 1);
            }
        }
        for (ix, tok) in new_indexes {
            self.add_index(cx, ix, tok, false);
        }
    }

    fn create_index(&mut self, cx: &Cx, s: &Stmt, ci: &ast::CreateIndex) {
        let src = cx.src;
        let sig = &s.sig;
        let table = table_ref(&ci.table_name);
        let name = ci.name.as_ref().map(|n| object_name(n).0);
        let name_tok = name_tok_after(src, s, "INDEX").unwrap_or(s.first);
        let method = nth_kw(src, sig, "USING", 0)
            .and_then(|k| sig.get(k + 1))
            .and_then(|&i| src.ident(i))
            .map(|m| m.to_ascii_lowercase());
        let predicate = nth_kw(src, sig, "WHERE", 0).and_then(|k| {
            let from = *sig.get(k + 1)?;
            let to = *sig.last()?;
            Some(src.span_text(from, to).to_string())
        });
        let index = Index {
            name,
            table,
            parts: ci.columns.iter().map(index_part).collect(),
            unique: ci.unique,
            method,
            predicate,
            include: ci.include.iter().map(|i| i.value.clone()).collect(),
            origin: cx.origin(s.first, Notation::Sql),
        };
        self.add_index(cx, index, name_tok, ci.if_not_exists);
    }

    /// `DROP …` of `names`; `table` is the table of a MySQL `DROP INDEX name ON table`.
    fn drop(
        &mut self,
        cx: &Cx,
        s: &Stmt,
        object: ObjectType,
        if_exists: bool,
        names: &[ObjectName],
        table: Option<&ObjectName>,
    ) {
        for n in names {
            let (name, _) = object_name(n);
            let key = name_key(&name);
            let found = match object {
                ObjectType::Table => match self.table_index(&reference_key(&table_ref(n))) {
                    Some(idx) if !self.drop_of_defined_table(cx, s, n, idx) => true,
                    Some(idx) => {
                        let key = reference_key(&table_ref(n));
                        self.tables[idx] = None;
                        self.by_key.remove(&key);
                        self.altered_only.remove(&key);
                        self.if_exists_tables.remove(&key);
                        self.if_not_exists.retain(|(t, _)| *t != key);
                        for slot in &mut self.indexes {
                            if slot.as_ref().is_some_and(|ix| reference_key(&ix.table) == key) {
                                if let Some(ix) = slot.take() {
                                    if let Some(n) = &ix.name {
                                        self.index_by_name.remove(&name_key(n));
                                    }
                                }
                            }
                        }
                        true
                    }
                    None => false,
                },
                ObjectType::Index => match self.index_by_name.remove(&key) {
                    Some(i) => {
                        self.indexes[i] = None;
                        true
                    }
                    None => {
                        // Maybe an index another notation declares: the merge looks for it, and
                        // reports it when nobody does.
                        let tok = s.sig.iter().copied().find(|&i| src_ident_is(cx.src, i, &name)).unwrap_or(s.first);
                        let table = table.map(table_ref).unwrap_or_default();
                        self.patches.push(TablePatch {
                            table,
                            op: PatchOp::DropIndex { name: name.clone() },
                            if_exists,
                            table_if_exists: false,
                            span: cx.span(tok),
                        });
                        true
                    }
                },
                ObjectType::View | ObjectType::MaterializedView => {
                    let before = self.schema.views.len();
                    self.schema.views.retain(|v| name_key(&v.name) != key);
                    before != self.schema.views.len()
                }
                ObjectType::Type => {
                    let before = self.schema.enums.len();
                    self.schema.enums.retain(|v| name_key(&v.name) != key);
                    before != self.schema.enums.len()
                }
                _ => {
                    self.not_modelled(cx, s, &format!("DROP {object}"));
                    return;
                }
            };
            if found || if_exists {
                continue;
            }
            let tok = s.sig.iter().copied().find(|&i| src_ident_is(cx.src, i, &name)).unwrap_or(s.first);
            let other = object == ObjectType::Table && self.known_tables.contains(&key);
            let d = if other {
                DROP_UNKNOWN
                    .at(
                        cx.span(tok),
                        format!(
                            "DROP TABLE `{name}`: the table is defined in another notation; the drop is not applied"
                        ),
                    )
                    .with_help("remove the table from the document instead")
            } else {
                DROP_UNKNOWN
                    .at(
                        cx.span(tok),
                        format!("DROP {object} `{name}`: no such object is defined before this statement"),
                    )
                    .with_help("write `DROP … IF EXISTS` if the object may be absent")
            };
            let mut d = d;
            if other {
                d.severity = Severity::Info;
            }
            self.diagnostics.push(d);
        }
    }

    /// Says what a `DROP TABLE` of table `idx`, which this SQL creates, means, and whether to
    /// apply it: not in a teardown section (kept: not the design), yes when a later `CREATE TABLE`
    /// re-creates it (migration history) or when nothing does (the design removes it).
    fn drop_of_defined_table(&mut self, cx: &Cx, s: &Stmt, n: &ObjectName, idx: usize) -> bool {
        let Some(st) = self.tables.get(idx).and_then(Option::as_ref).filter(|st| st.own) else { return true };
        let shown = st.table.qualified_name();
        let created = st.table.origin.clone();
        let key = st.table.key();
        let (name, _) = object_name(n);
        let tok = s.sig.iter().copied().find(|&i| src_ident_is(cx.src, i, &name)).unwrap_or(s.first);
        let later = self.creates.get(&key).and_then(|c| c.iter().find(|(at, _)| *at > self.at)).map(|(_, line)| *line);
        let (apply, message) = match (later, &cx.teardown) {
            (Some(line), _) => (
                true,
                format!("DROP TABLE `{shown}` is followed by a new CREATE TABLE at line {line}: read as migration history, the later definition is the design"),
            ),
            (None, Some(why)) => (
                false,
                format!("DROP TABLE `{shown}` is a reset, not the design ({why}): ignored, the table created at line {} is kept", created.line),
            ),
            (None, None) => (
                true,
                format!("DROP TABLE `{shown}` removes the table created at line {}, and nothing re-creates it: it is not part of the design", created.line),
            ),
        };
        let help = if apply {
            "move a teardown script under a heading such as “Reset” or “Rollback” to keep the table"
        } else {
            "nothing to do; mark the block with `<!-- schemadoc:ignore -->` to silence this"
        };
        let d = super::DEFINED_TABLE_DROPPED
            .at(cx.span(tok), message)
            .with_related((&created).into(), "table created here")
            .with_help(help);
        self.diagnostics.push(d);
        apply
    }

    fn alter_table(&mut self, cx: &Cx, s: &Stmt, at: &ast::AlterTable) {
        let src = cx.src;
        let sig = &s.sig;
        let Some(kt) = sig.iter().position(|&i| src.is_kw(i, "TABLE")) else { return };
        let mut k = kt + 1;
        if s.word(src, k) == "IF" && s.word(src, k + 1) == "EXISTS" {
            k += 2;
        }
        if s.word(src, k) == "ONLY" {
            k += 1;
        }
        let (name, namespace, name_tok, after) = match qualified_name(src, sig, k) {
            Some(x) => x,
            None => {
                let (n, ns) = object_name(&at.name);
                (n, ns, s.first, sig.len())
            }
        };
        let segments = match sig.get(after) {
            Some(&from) => split_list(src, from, s.end_tok),
            None => Vec::new(),
        };
        let key = table_key(namespace.as_deref(), &name);
        let shown = display_name(namespace.as_deref(), &name);
        let idx = match self.table_index(&key) {
            Some(i) => i,
            None => {
                let i = self.altered_entry(&name, namespace, cx.origin(name_tok, Notation::Sql));
                if at.if_exists {
                    self.if_exists_tables.insert(key.clone());
                }
                i
            }
        };
        if !at.if_exists {
            self.if_exists_tables.remove(&key);
        }
        let fallback = Elem { sig: vec![name_tok], comments: Vec::new(), leading: Vec::new() };
        self.table_if_exists = at.if_exists;
        for (n, op) in at.operations.iter().enumerate() {
            let seg = if segments.len() == at.operations.len() { &segments[n] } else { &fallback };
            self.alter_op(cx, s, idx, &shown, op, seg);
        }
        self.table_if_exists = false;
    }

    fn alter_op(&mut self, cx: &Cx, s: &Stmt, idx: usize, table: &str, op: &AlterTableOperation, seg: &Elem) {
        let src = cx.src;
        let own = self.tables.get(idx).and_then(Option::as_ref).is_some_and(|st| st.own);
        let seg_tok = seg.first().unwrap_or(s.first);
        match op {
            AlterTableOperation::AddColumn { if_not_exists, column_def, .. } => {
                let k = seg
                    .sig
                    .iter()
                    .position(|&i| src.ident(i).is_some_and(|id| name_key(&id) == name_key(&column_def.name.value)))
                    .unwrap_or(0);
                let el = if seg.sig.is_empty() { seg.clone() } else { seg.from(k) };
                let lowered = lower_column(cx, column_def, &el, Notation::Sql);
                self.add_column(cx, idx, lowered, *if_not_exists, el.first().unwrap_or(seg_tok), own);
            }
            AlterTableOperation::AddConstraint { constraint, .. } => {
                let el = if src.is_kw(seg_tok, "ADD") { seg.from(1) } else { seg.clone() };
                match lower_constraint(cx, constraint, &el, table, Notation::Sql) {
                    Ok((mut lowered, _)) => {
                        // NOTE: what an ALTER adds is reported at the ALTER statement, the line a
                        // server names when it rejects it.
                        let origin = cx.origin(s.first, Notation::Sql);
                        let span = cx.span(s.first);
                        match &mut lowered {
                            Lowered::Pk(x) => x.origin = origin,
                            Lowered::Unique(x) => x.origin = origin,
                            Lowered::Check(x) => x.origin = origin,
                            Lowered::Fk(x) => x.origin = origin,
                            Lowered::Index(x) => x.origin = origin,
                        }
                        let Some(st) = self.tables.get_mut(idx).and_then(Option::as_mut) else { return };
                        if let Some(ix) = add_constraint(st, &mut self.diagnostics, lowered, span, false) {
                            self.add_index(cx, ix, el.first().unwrap_or(seg_tok), false);
                        }
                    }
                    Err(what) => self.not_modelled(cx, s, what),
                }
            }
            AlterTableOperation::DropColumn { column_names, if_exists, .. } => {
                for c in column_names {
                    if !own && !self.declares_column(idx, &c.value) {
                        let span = column_span(cx, seg, &c.value);
                        self.patch(idx, PatchOp::Drop { column: c.value.clone() }, *if_exists, span);
                        continue;
                    }
                    let removed = self.drop_column(idx, &c.value);
                    if !removed && !if_exists {
                        self.unknown_column(cx, seg, idx, &c.value, "DROP COLUMN");
                    }
                }
            }
            AlterTableOperation::DropConstraint { name, if_exists, .. } => {
                self.drop_named_constraint(cx, seg, idx, &name.value, *if_exists);
            }
            AlterTableOperation::DropForeignKey { name, .. } => {
                self.drop_named_constraint(cx, seg, idx, &name.value, false);
            }
            AlterTableOperation::DropPrimaryKey { .. } => {
                let dropped = self.state_mut(idx).and_then(|st| st.table.primary_key.take()).is_some();
                if !dropped && !own {
                    self.patch(idx, PatchOp::DropPrimaryKey, false, cx.span(seg_tok));
                }
            }
            AlterTableOperation::DropIndex { name } => {
                if let Some(i) = self.index_by_name.remove(&name_key(&name.value)) {
                    self.indexes[i] = None;
                    return;
                }
                if self.state_mut(idx).is_some_and(|st| frontend::drop_unique_index(&mut st.table, &name.value)) {
                    return;
                }
                // An index another notation declares on the table (or nobody: the merge says so).
                let span = column_span(cx, seg, &name.value);
                self.patch(idx, PatchOp::DropIndex { name: name.value.clone() }, false, span);
            }
            AlterTableOperation::AlterColumn { column_name, op } => {
                let ty_text = nth_kw(src, &seg.sig, "TYPE", 0).map(|k| type_text(src, &seg.sig, k + 1));
                let def_text = default_text(src, &seg.sig);
                let column = column_name.value.clone();
                let c = column.clone();
                let changes = match op {
                    AlterColumnOperation::SetNotNull => vec![PatchOp::SetNotNull { column: c, not_null: true }],
                    AlterColumnOperation::DropNotNull => vec![PatchOp::SetNotNull { column: c, not_null: false }],
                    AlterColumnOperation::SetDefault { value } => {
                        let text = def_text.unwrap_or_else(|| value.to_string());
                        vec![PatchOp::SetDefault { column: c, default: Some(parse_sql_default(&text)) }]
                    }
                    AlterColumnOperation::DropDefault => vec![PatchOp::SetDefault { column: c, default: None }],
                    AlterColumnOperation::SetDataType { data_type, .. } => {
                        let text = ty_text.filter(|t| !t.is_empty()).unwrap_or_else(|| data_type.to_string());
                        let mut v = vec![PatchOp::SetType { column: c.clone(), ty: parse_sql_type(&text) }];
                        if is_serial(&text) {
                            v.push(PatchOp::SetIdentity { column: c, identity: Identity::Serial });
                        }
                        v
                    }
                    AlterColumnOperation::AddGenerated { generated_as, .. } => {
                        let identity = match generated_as {
                            Some(ast::GeneratedAs::ByDefault) => Identity::ByDefault,
                            _ => Identity::Always,
                        };
                        vec![PatchOp::SetIdentity { column: c, identity }]
                    }
                };
                if !own && !self.declares_column(idx, &column) {
                    let span = column_span(cx, seg, &column);
                    for change in changes {
                        self.patch(idx, change, false, span.clone());
                    }
                    return;
                }
                let Some(st) = self.state_mut(idx) else { return };
                if st.table.column(&column).is_none() {
                    self.unknown_column(cx, seg, idx, &column, "ALTER COLUMN");
                    return;
                }
                for change in &changes {
                    change.apply(&mut st.table);
                }
            }
            AlterTableOperation::RenameColumn { old_column_name, new_column_name } => {
                let old = old_column_name.value.clone();
                let new = new_column_name.value.clone();
                if !own && !self.declares_column(idx, &old) {
                    let span = column_span(cx, seg, &old);
                    self.patch(idx, PatchOp::Rename { column: old, to: new }, false, span);
                    return;
                }
                let renamed = self.rename_column(idx, &old, &new);
                if !renamed {
                    self.unknown_column(cx, seg, idx, &old, "RENAME COLUMN");
                }
            }
            AlterTableOperation::RenameTable { table_name } => {
                let new = match table_name {
                    ast::RenameTableNameKind::As(n) | ast::RenameTableNameKind::To(n) => object_name(n).0,
                };
                self.rename_table(cx, seg, idx, table, &new);
            }
            AlterTableOperation::ModifyColumn { col_name, data_type, options, .. }
            | AlterTableOperation::ChangeColumn { new_name: col_name, data_type, options, .. } => {
                let old_name = match op {
                    AlterTableOperation::ChangeColumn { old_name, .. } => old_name.value.clone(),
                    _ => col_name.value.clone(),
                };
                let def = ColumnDef {
                    name: col_name.clone(),
                    data_type: data_type.clone(),
                    options: options.iter().map(|o| ColumnOptionDef { name: None, option: o.clone() }).collect(),
                };
                let k = seg
                    .sig
                    .iter()
                    .rposition(|&i| src.ident(i).is_some_and(|id| name_key(&id) == name_key(&col_name.value)))
                    .unwrap_or(0);
                let el = seg.from(k);
                let lowered = lower_column(cx, &def, &el, Notation::Sql);
                if !own && !self.declares_column(idx, &old_name) {
                    let span = column_span(cx, seg, &old_name);
                    let op = PatchOp::Redefine { column: old_name, with: Box::new(lowered.column) };
                    self.patch(idx, op, false, span);
                    return;
                }
                let Some(st) = self.state_mut(idx) else { return };
                match st.table.columns.iter().position(|c| name_key(&c.name) == name_key(&old_name)) {
                    Some(p) => st.table.columns[p] = lowered.column,
                    None => self.unknown_column(cx, seg, idx, &old_name, "MODIFY COLUMN"),
                }
            }
            _ => {
                let text = seg.text(src);
                let head: String = text.split_whitespace().take(4).collect::<Vec<_>>().join(" ");
                let d = STATEMENT_NOT_MODELLED.at(
                    cx.span(seg_tok),
                    format!("`ALTER TABLE {table} {head}`: valid, but not part of the schema model"),
                );
                self.diagnostics.push(d);
            }
        }
    }

    /// Reports `what` naming a column that table `idx`, created by this SQL, does not have.
    fn unknown_column(&mut self, cx: &Cx, seg: &Elem, idx: usize, column: &str, what: &str) {
        let table = self.tables.get(idx).and_then(Option::as_ref).map(|s| s.table.name.clone()).unwrap_or_default();
        let span = column_span(cx, seg, column);
        let created = self.tables[idx].as_ref().map(|s| Span::from(&s.table.origin)).unwrap_or_else(|| span.clone());
        let d = ALTER_UNKNOWN_COLUMN
            .at(span, format!("{what}: table `{table}` has no column `{column}`"))
            .with_related(created, "table created here");
        self.diagnostics.push(d);
    }

    /// Adds a column to table `idx` (ALTER TABLE … ADD COLUMN, or a fragment).
    pub fn add_column(
        &mut self,
        cx: &Cx,
        idx: usize,
        lowered: LoweredColumn,
        if_not_exists: bool,
        tok: usize,
        own: bool,
    ) {
        let Some(st) = self.tables.get_mut(idx).and_then(Option::as_mut) else { return };
        let tkey = st.table.key();
        let ckey = name_key(&lowered.column.name);
        if let Some(existing) = st.table.column(&lowered.column.name) {
            let first = existing.origin.clone();
            if if_not_exists {
                let diffs = column_differences(existing, &lowered.column);
                if !diffs.is_empty() {
                    let d = REDUNDANT_ADD_COLUMN
                        .at(
                            cx.span(tok),
                            format!(
                                "`{}.{}` already exists (line {}), so ADD COLUMN IF NOT EXISTS on line {} is a no-op: \
                                 its {} is never applied",
                                st.table.name,
                                lowered.column.name,
                                first.line,
                                lowered.column.origin.line,
                                diffs.join(", ")
                            ),
                        )
                        .with_related((&first).into(), "the column is declared here");
                    self.diagnostics.push(d);
                }
            } else {
                let d = DUPLICATE_COLUMN
                    .at(
                        cx.span(tok),
                        format!(
                            "table `{}` already has a column `{}` (line {})",
                            st.table.name, lowered.column.name, first.line
                        ),
                    )
                    .with_related((&first).into(), "declared here")
                    .with_help("write ADD COLUMN IF NOT EXISTS, or drop the repeated column");
                self.diagnostics.push(d);
            }
            return;
        }
        st.table.columns.push(lowered.column);
        let mut new_indexes = Vec::new();
        for (c, span) in lowered.constraints {
            if let Some(ix) = add_constraint(st, &mut self.diagnostics, c, span, false) {
                new_indexes.push(ix);
            }
        }
        if !own && if_not_exists {
            self.if_not_exists.insert((tkey, ckey));
        }
        for ix in new_indexes {
            self.add_index(cx, ix, tok, false);
        }
    }

    fn drop_named_constraint(&mut self, cx: &Cx, seg: &Elem, idx: usize, name: &str, if_exists: bool) {
        let own = self.tables.get(idx).and_then(Option::as_ref).is_some_and(|st| st.own);
        let table = self.tables.get(idx).and_then(Option::as_ref).map(|st| st.table.name.clone()).unwrap_or_default();
        if self.drop_constraint(idx, name) {
            return;
        }
        let span = column_span(cx, seg, name);
        if !own {
            // A constraint of the table another notation defines.
            self.patch(idx, PatchOp::DropConstraint { name: name.to_string() }, if_exists, span);
            return;
        }
        if !if_exists {
            let d = DROP_UNKNOWN.at(span, format!("table `{table}` has no constraint `{name}`"));
            self.diagnostics.push(d);
        }
    }

    fn drop_column(&mut self, idx: usize, column: &str) -> bool {
        let ck = name_key(column);
        let Some(st) = self.state_mut(idx) else { return false };
        if !frontend::drop_column(&mut st.table, column) {
            return false;
        }
        let tkey = st.table.key();
        for slot in &mut self.indexes {
            if slot.as_ref().is_some_and(|ix| {
                reference_key(&ix.table) == tkey
                    && ix.parts.iter().any(|p| p.column.as_deref().is_some_and(|c| name_key(c) == ck))
            }) {
                if let Some(ix) = slot.take() {
                    if let Some(n) = ix.name {
                        self.index_by_name.remove(&name_key(&n));
                    }
                }
            }
        }
        self.if_not_exists.remove(&(tkey, ck));
        true
    }

    fn drop_constraint(&mut self, idx: usize, name: &str) -> bool {
        let Some(st) = self.state_mut(idx) else { return false };
        let dropped = frontend::drop_constraint(&mut st.table, name);
        st.names.remove(&name_key(name));
        dropped
    }

    fn rename_column(&mut self, idx: usize, old: &str, new: &str) -> bool {
        let ok = name_key(old);
        let Some(st) = self.state_mut(idx) else { return false };
        if !frontend::rename_column(&mut st.table, old, new) {
            return false;
        }
        let tkey = st.table.key();
        for ix in self.indexes.iter_mut().flatten().filter(|ix| reference_key(&ix.table) == tkey) {
            for p in &mut ix.parts {
                if p.column.as_deref().is_some_and(|c| name_key(c) == ok) {
                    p.column = Some(new.to_string());
                }
            }
        }
        true
    }

    fn rename_table(&mut self, cx: &Cx, seg: &Elem, idx: usize, old: &str, bare_new: &str) {
        // The table keeps its schema: `ALTER TABLE orchard.trees RENAME TO groves` is `orchard.groves`.
        let namespace = self.tables.get(idx).and_then(Option::as_ref).and_then(|st| st.table.namespace.clone());
        let new_ref = display_name(namespace.as_deref(), bare_new);
        let new = new_ref.as_str();
        let ok = reference_key(old);
        let nk = reference_key(new);
        if let Some(other) = self.table_index(&nk).filter(|&i| i != idx) {
            let first = self.tables[other].as_ref().map(|s| s.table.origin.clone());
            let tok = seg.sig.last().copied().unwrap_or(0);
            let mut d =
                DUPLICATE_TABLE.at(cx.span(tok), format!("cannot rename `{old}` to `{new}`: `{new}` already exists"));
            if let Some(o) = first {
                d = d.with_related((&o).into(), "defined here");
            }
            self.diagnostics.push(d);
            return;
        }
        let own = self.tables.get(idx).and_then(Option::as_ref).is_some_and(|st| st.own);
        if !own && ok != nk && self.known_tables.contains(&nk) {
            let tok = seg.sig.last().copied().unwrap_or(0);
            let d = DUPLICATE_TABLE.at(
                cx.span(tok),
                format!("cannot rename `{old}` to `{new}`: `{new}` already exists (another notation defines it)"),
            );
            self.diagnostics.push(d);
            return;
        }
        if !own {
            // A table another notation defines: the merge renames it, in order with the other
            // changes, so that later statements naming `new` reach it.
            let tok = seg.sig.iter().copied().rfind(|&i| src_ident_is(cx.src, i, bare_new)).or(seg.sig.last().copied());
            let span = cx.span(tok.unwrap_or(0));
            self.patch(idx, PatchOp::RenameTable { to: bare_new.to_string() }, false, span);
        }
        if let Some(st) = self.state_mut(idx) {
            st.table.name = bare_new.to_string();
        }
        self.by_key.remove(&ok);
        self.by_key.insert(nk.clone(), idx);
        if self.altered_only.remove(&ok) {
            self.altered_only.insert(nk.clone());
        }
        if self.if_exists_tables.remove(&ok) {
            self.if_exists_tables.insert(nk.clone());
        }
        for ix in self.indexes.iter_mut().flatten().filter(|ix| reference_key(&ix.table) == ok) {
            ix.table = new.to_string();
        }
        for st in self.tables.iter_mut().flatten() {
            for fk in st.table.foreign_keys.iter_mut().filter(|f| reference_key(&f.ref_table) == ok) {
                fk.ref_table = new.to_string();
            }
        }
        self.known.insert(nk);
    }
}

/// The span of `name` (a column or constraint) in an ALTER TABLE segment, or of the segment's
/// first token when it is not written there.
fn column_span(cx: &Cx, seg: &Elem, name: &str) -> Span {
    let tok = seg.sig.iter().copied().find(|&i| src_ident_is(cx.src, i, name)).or(seg.first()).unwrap_or(0);
    cx.span(tok)
}

/// Whether token `i` is the identifier `name`.
fn src_ident_is(src: &Src, i: usize, name: &str) -> bool {
    src.ident(i).is_some_and(|id| name_key(&id) == name_key(name))
}

/// The name token after keyword `kw` (skipping `IF [NOT] EXISTS`, `CONCURRENTLY`).
fn name_tok_after(src: &Src, s: &Stmt, kw: &str) -> Option<usize> {
    let k = s.sig.iter().position(|&i| src.is_kw(i, kw))?;
    s.sig[k + 1..].iter().copied().find(|&i| !["IF", "NOT", "EXISTS", "CONCURRENTLY"].iter().any(|w| src.is_kw(i, w)))
}

/// Pairs list elements with the columns and constraints sqlparser read, in order: an element is
/// a column when it starts with the next column's name.
fn assign_elements(
    src: &Src,
    elems: Vec<Elem>,
    columns: Vec<ColumnDef>,
    constraints: Vec<TableConstraint>,
) -> Vec<(Elem, ElemAst)> {
    let mut cols = columns.into_iter().peekable();
    let mut cons = constraints.into_iter().peekable();
    let mut out = Vec::new();
    for el in elems {
        let first_name = el.first().and_then(|i| src.ident(i)).map(|n| name_key(&n));
        let is_col = match (cols.peek(), first_name) {
            (Some(c), Some(n)) => name_key(&c.name.value) == n,
            (Some(_), None) => false,
            (None, _) => false,
        };
        let item = if is_col {
            cols.next().map(ElemAst::Column)
        } else {
            cons.next().map(ElemAst::Constraint).or_else(|| cols.next().map(ElemAst::Column))
        };
        out.push((el, item.unwrap_or(ElemAst::Failed)));
    }
    out
}
