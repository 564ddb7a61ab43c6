//! Fragments: blocks or statements that are only column definitions or table constraints
//! (`target_config JSONB DEFAULT '{}',`, `FOREIGN KEY (job_id) REFERENCES jobs(id)`), attached to
//! the table that a `-- a → b` comment, a heading or the text before them names.

use super::lex::Src;
use super::lower::{add_constraint, lower_column, lower_constraint, parse_element, Builder};
use super::split::{split_list, Elem, Stmt};
use super::{syntax_error, Cx, SQL_FRAGMENT, STATEMENT_NOT_MODELLED};
use crate::context::{resolve_known, table_in_text};
use model::{name_key, Notation};
use std::collections::BTreeSet;

/// Where a fragment's table came from, for the report.
#[derive(Debug, Clone)]
struct Target {
    table: String,
    reason: String,
}

/// Characters that make a comment's middle word an arrow (`→`, `->`, `=>`, and `→` mis-decoded
/// as `â†’`).
const ARROWS: &[char] = &['→', '>', '⇒', '⟶', '†', '➔', '➜'];

fn is_ascii_ident(w: &str) -> bool {
    let mut chars = w.chars();
    chars.next().is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '.')
}

/// `-- a → b`: the first name (the table that owns the foreign key).
fn arrow_owner(comment: &str) -> Option<String> {
    let words: Vec<&str> = comment.split_whitespace().collect();
    words.windows(3).find_map(|w| {
        let a = w[0].trim_matches(|c: char| "`\"'*,:".contains(c));
        let b = w[2].trim_matches(|c: char| "`\"'*,:()".contains(c));
        let arrow = !w[1].chars().any(|c| c.is_ascii_alphanumeric()) && w[1].contains(ARROWS);
        (arrow && is_ascii_ident(a) && is_ascii_ident(b)).then(|| a.rsplit('.').next().unwrap_or(a).to_string())
    })
}

/// The table named by the comments before an entry: an arrow comment, or a comment naming a
/// known table.
fn comment_target(src: &Src, comments: &[usize], known: &BTreeSet<String>) -> Option<Target> {
    for &c in comments.iter().rev() {
        let text = src.comment_text(c);
        if let Some(owner) = arrow_owner(&text) {
            let table = resolve_known(&owner, known).unwrap_or(owner);
            return Some(Target { table, reason: format!("from the comment `{}`", src.text_of(c).trim()) });
        }
    }
    for &c in comments.iter().rev() {
        let text = src.comment_text(c);
        if let Some(table) = table_in_text(&text, known, false) {
            return Some(Target { table, reason: format!("from the comment `{}`", src.text_of(c).trim()) });
        }
    }
    None
}

/// The table the surroundings of a block name: the text before it (a known table), the nearest
/// heading (a known table, else its only non-generic word), the text before it (a guess).
fn context_target(cx: &Cx, known: &BTreeSet<String>) -> Option<Target> {
    let block = cx.block;
    let prose = block.preceding_text.as_deref().unwrap_or("");
    if let Some(table) = table_in_text(prose, known, false) {
        return Some(Target { table, reason: format!("from the text before the block: “{}”", short(prose)) });
    }
    for guess in [false, true] {
        for h in block.headings.iter().rev() {
            if let Some(table) = table_in_text(&h.text, known, guess) {
                return Some(Target { table, reason: format!("from the heading “{}” (line {})", h.text, h.line) });
            }
        }
    }
    table_in_text(prose, known, true)
        .map(|table| Target { table, reason: format!("from the text before the block: “{}”", short(prose)) })
}

fn short(text: &str) -> String {
    let t: String = text.chars().take(60).collect();
    if t.len() < text.len() {
        format!("{t}…")
    } else {
        t
    }
}

/// Splits entries that hold several constraints with no comma between them, one per line
/// (`FOREIGN KEY … REFERENCES a(id)⏎FOREIGN KEY … REFERENCES b(id)`).
fn resplit(src: &Src, entries: Vec<Elem>) -> Vec<Elem> {
    const STARTS: &[&str] = &["FOREIGN", "CONSTRAINT", "PRIMARY", "UNIQUE", "CHECK"];
    let mut out = Vec::new();
    for el in entries {
        let starts_constraint = el.first().is_some_and(|i| STARTS.iter().any(|k| src.is_kw(i, k)));
        if !starts_constraint {
            out.push(el);
            continue;
        }
        let len = el.sig.len();
        let mut cuts = vec![0];
        let mut depth = 0i32;
        for (k, &i) in el.sig.iter().enumerate() {
            if src.is_punct(i, '(') {
                depth += 1;
            } else if src.is_punct(i, ')') {
                depth -= 1;
            }
            if k > 0
                && depth == 0
                && (src.is_kw(i, "FOREIGN") || src.is_kw(i, "CONSTRAINT"))
                && src.newline_between(el.sig[k - 1], i)
            {
                cuts.push(k);
            }
        }
        cuts.push(len);
        for w in cuts.windows(2) {
            let (a, b) = (w[0], w[1]);
            let lo = el.sig[a];
            let hi = el.sig[b - 1];
            let leading = if a == 0 {
                el.leading.clone()
            } else {
                el.comments.iter().copied().filter(|&c| c > el.sig[a - 1] && c < lo).collect()
            };
            let comments = el.comments.iter().copied().filter(|&c| c > lo && (b == len || c < hi)).collect();
            out.push(Elem { sig: el.sig[a..b].to_vec(), comments, leading });
        }
    }
    out
}

/// Splits entries written one per line without commas (`price NUMERIC(12,2)⏎discount
/// NUMERIC(12,2)`) when the entry does not parse whole and every line parses alone.
fn split_lines(cx: &Cx, entries: Vec<Elem>) -> Vec<Elem> {
    let src = cx.src;
    let mut out = Vec::new();
    for el in entries {
        if el.sig.len() < 2 || parse_element(cx, &el).is_ok() {
            out.push(el);
            continue;
        }
        let mut cuts = vec![0];
        let mut depth = 0i32;
        for (k, &i) in el.sig.iter().enumerate() {
            if k > 0 && depth == 0 && src.newline_between(el.sig[k - 1], i) {
                cuts.push(k);
            }
            if src.is_punct(i, '(') {
                depth += 1;
            } else if src.is_punct(i, ')') {
                depth -= 1;
            }
        }
        cuts.push(el.sig.len());
        let pieces: Vec<Elem> = cuts
            .windows(2)
            .map(|w| {
                let (lo, hi) = (el.sig[w[0]], el.sig[w[1] - 1]);
                let comments = el.comments.iter().copied().filter(|&c| c > lo && c < hi + 2).collect();
                let leading = if w[0] == 0 { el.leading.clone() } else { Vec::new() };
                Elem { sig: el.sig[w[0]..w[1]].to_vec(), comments, leading }
            })
            .collect();
        if pieces.len() > 1 && pieces.iter().all(|p| parse_element(cx, p).is_ok()) {
            out.extend(pieces);
        } else {
            out.push(el);
        }
    }
    out
}

/// Reads a fragment statement and attaches what it declares.
pub(crate) fn fragment(b: &mut Builder, cx: &Cx, s: &Stmt) {
    let src = cx.src;
    let entries = split_lines(cx, resplit(src, split_list(src, s.first, s.end_tok)));
    let stmt_lead = s.leading_comments(src);
    let known = b.known.clone();
    // A heading or text that names no table the documents define attaches nothing: a guessed
    // name would invent a table ("### Money columns" → `Money`).
    let surroundings = context_target(cx, &known).filter(|t| known.contains(&model::reference_key(&t.table)));
    let mut attached: Vec<(String, String)> = Vec::new();
    let mut unattached = 0usize;
    let (mut columns, mut fks, mut others) = (0usize, 0usize, 0usize);
    for (n, el) in entries.iter().enumerate() {
        let Some(first) = el.first() else { continue };
        let mut leading = el.leading.clone();
        if n == 0 {
            leading.splice(0..0, stmt_lead.iter().copied());
        }
        let parsed = match parse_element(cx, el) {
            Ok(p) => p,
            Err(f) => {
                let base = src.toks[first].start;
                b.diagnostics.push(syntax_error(cx, s, base, &f));
                continue;
            }
        };
        match &parsed {
            (Some(_), _) => columns += 1,
            (None, Some(sqlparser::ast::TableConstraint::ForeignKey(_))) => fks += 1,
            (None, Some(_)) => others += 1,
            (None, None) => {}
        }
        let target = comment_target(src, &leading, &known)
            .or_else(|| if n == 0 { None } else { comment_target(src, &stmt_lead, &known) })
            .or_else(|| surroundings.clone());
        let Some(target) = target else {
            unattached += 1;
            continue;
        };
        let key = name_key(&target.table);
        let idx = match b.table_index(&key) {
            Some(i) => i,
            None => b.altered_entry(&target.table, None, cx.origin(first, Notation::List)),
        };
        let own = b.is_own(&key);
        let table_name = b.state_mut(idx).map(|st| st.table.name.clone()).unwrap_or_else(|| target.table.clone());
        match parsed {
            (Some(def), _) => {
                let lowered = lower_column(cx, &def, el, Notation::List);
                let exists = b.state_mut(idx).is_some_and(|st| st.table.column(&lowered.column.name).is_some());
                if !exists {
                    b.add_column(cx, idx, lowered, true, first, own);
                }
            }
            (None, Some(con)) => match lower_constraint(cx, &con, el, &table_name, Notation::List) {
                Ok((lowered, span)) => {
                    let index = match b.state_mut(idx) {
                        Some(st) => {
                            let mut diags = Vec::new();
                            let ix = add_constraint(st, &mut diags, lowered, span, true);
                            b.diagnostics.extend(diags);
                            ix
                        }
                        None => None,
                    };
                    if let Some(ix) = index {
                        b.add_index(cx, ix, first, true);
                    }
                }
                Err(what) => {
                    b.diagnostics.push(
                        STATEMENT_NOT_MODELLED.at(cx.span(first), format!("{what} is not part of the schema model")),
                    );
                    continue;
                }
            },
            (None, None) => continue,
        }
        if !attached.iter().any(|(t, _)| name_key(t) == key) {
            attached.push((table_name, target.reason));
        }
    }
    let kind = match (columns, fks, others) {
        (0, 0, 0) => return,
        (_, 0, 0) => "column list fragment",
        (0, _, 0) => "foreign key fragment",
        (0, _, _) => "constraint fragment",
        _ => "fragment",
    };
    let message = match attached.as_slice() {
        [] => format!("{kind}: no table is named by a comment, heading or the text before it; not attached"),
        [(t, reason)] => format!("{kind} attached to `{t}` ({reason})"),
        many => {
            let names: Vec<String> = many.iter().map(|(t, _)| format!("`{t}`")).collect();
            format!(
                "{kind} attached to {} (each {})",
                names.join(", "),
                "from the comment before it or the block's context"
            )
        }
    };
    let message = if unattached > 0 && !attached.is_empty() {
        format!("{message}; {unattached} entries name no table and are not attached")
    } else {
        message
    };
    let d = SQL_FRAGMENT
        .at(cx.span(s.first), message)
        .with_help("fragments are not statements; write a CREATE/ALTER TABLE to make the intent explicit");
    b.diagnostics.push(d);
}
