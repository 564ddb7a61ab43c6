//! Index and foreign-key bullet-list front-end, and query hints from prose bullets.
//!
//! Bullets never define tables: they add indexes (`` `idx_users_email` ON `email` ``,
//! `email (Unique Index)`), foreign keys (`` `characters.user_id` → `users.id` ``), a primary key
//! (`id (Primary Key)`, `기본키: `request_id``) or query hints (`목록 조회: `created_at DESC``) to a
//! table named by the bullet itself, the nearest heading, or the paragraph before the list.

use crate::context::{resolve_known, table_from_headings};
use crate::frontend::Partial;
use crate::scan::{Document, Item, TextItem};
use model::{
    name_key, ForeignKey, Index, IndexPart, Notation, Origin, PrimaryKey, QueryHint, QueryHintKind, ReferentialAction,
    RuleInfo, Span, Table,
};
use std::collections::BTreeSet;
use std::sync::Arc;

model::declare_rule! {
    /// What it does: reports an index or foreign-key bullet whose table cannot be determined
    /// (no `table.column` in the bullet, no heading or paragraph naming a table), or whose columns
    /// cannot be read.
    ///
    /// Why it matters: the index or key is left out of the schema.
    ///
    /// Example: `- idx_email ON email` under `## 인덱스` — write `idx_email ON users(email)` or put
    /// it under `### users 테이블`.
    pub UNATTACHED_LIST_ITEM = "unattached-list-item", Info
}

model::declare_rule! {
    /// What it does: flags bullets that say different things about one index or foreign key: an
    /// index name listed with different columns, or a column pointed at two different tables.
    ///
    /// Why it matters: one of the bullets is outdated; the first is kept.
    ///
    /// Example: `- idx_a ON users(email)` and later `- idx_a ON users(name)`.
    pub CONFLICTING_LIST_ENTRIES = "conflicting-list-entries", Warning
}

/// The diagnostics this front-end can report.
pub const RULES: &[RuleInfo] = &[UNATTACHED_LIST_ITEM, CONFLICTING_LIST_ENTRIES];

/// Reads the index, foreign-key and query-hint bullets of `docs`; `known_tables` are the name keys
/// of tables other notations define.
pub fn extract(docs: &[Document], known_tables: &BTreeSet<String>) -> Partial {
    let mut out = Partial::new(Notation::List);
    for doc in docs {
        let mut paragraph_table: Option<String> = None;
        for item in &doc.items {
            match item {
                Item::Heading(_) => paragraph_table = None,
                Item::Paragraph(p) => {
                    if let Some(t) = table_named_in_paragraph(p, known_tables) {
                        paragraph_table = Some(t);
                    }
                }
                Item::ListItem(li) => {
                    let cx = Cx {
                        file: &doc.file,
                        item: li,
                        known: known_tables,
                        paragraph_table: paragraph_table.as_deref(),
                    };
                    if read_item(&cx, &mut out) {
                        out.mark_read(&doc.file, li.line);
                    }
                }
                _ => {}
            }
        }
    }
    out
}

/// What a bullet is read against.
struct Cx<'a> {
    file: &'a Arc<str>,
    item: &'a TextItem,
    known: &'a BTreeSet<String>,
    paragraph_table: Option<&'a str>,
}

impl Cx<'_> {
    /// The table the bullet's surroundings name: the nearest headings, else the paragraph before.
    fn context_table(&self) -> Option<String> {
        let hs = &self.item.headings;
        let near = &hs[hs.len().saturating_sub(3)..];
        table_from_headings(near, self.known).or_else(|| self.paragraph_table.map(str::to_string))
    }

    /// Whether the nearest headings are about indexes.
    fn under_index_heading(&self) -> bool {
        let hs = &self.item.headings;
        hs[hs.len().saturating_sub(2)..].iter().any(|h| {
            let t = h.text.to_lowercase();
            t.contains("인덱스") || t.contains("index") || t.contains("indices") || t.contains("색인")
        })
    }

    /// The origin of `needle` inside the bullet (its first line), else of the bullet.
    fn origin_of(&self, needle: &str) -> Origin {
        let raw = &self.item.raw;
        let at = raw.find(&format!("`{needle}`")).map(|b| b + 1).or_else(|| raw.find(needle));
        let col = at.map(|b| raw[..b].chars().count() as u32).unwrap_or(0);
        Origin::new(self.file.clone(), self.item.line, self.item.column + col, Notation::List)
    }

    /// The span of `quote`, a prefix of the bullet's text, in the bullet's first line: from its
    /// first character to its last, markup (backticks, emphasis) in between included.
    fn span_of(&self, quote: &str) -> Span {
        let raw: Vec<char> = self.item.raw.chars().collect();
        let mut r = list_marker_len(&raw);
        let (mut start, mut end) = (None, r);
        for qc in quote.chars() {
            // Markup the text lost is skipped; a character missing from the first line ends the quote.
            let Some(k) = raw.get(r..).and_then(|rest| rest.iter().position(|&c| c == qc)) else { break };
            start.get_or_insert(r + k);
            r += k + 1;
            end = r;
        }
        let start = start.unwrap_or(0);
        Span::new(self.file.clone(), self.item.line, self.item.column + start as u32, end.saturating_sub(start) as u32)
    }

    /// The span of `needle` at its origin inside the bullet.
    fn span_at(&self, origin: &Origin, needle: &str) -> Span {
        Span::new(self.file.clone(), origin.line, origin.column, needle.chars().count() as u32)
    }
}

/// How many characters the list marker (`- `, `* `, `1. `, `- [ ] `) takes at the start of a bullet.
fn list_marker_len(raw: &[char]) -> usize {
    let mut i = 0;
    while raw.get(i).is_some_and(|c| c.is_ascii_digit()) {
        i += 1;
    }
    if i > 0 {
        if raw.get(i).is_some_and(|c| matches!(c, '.' | ')')) {
            i += 1;
        } else {
            return 0;
        }
    } else if raw.first().is_some_and(|c| matches!(c, '-' | '*' | '+')) {
        i = 1;
    }
    while raw.get(i).is_some_and(|c| c.is_whitespace()) {
        i += 1;
    }
    if raw.get(i) == Some(&'[') && raw.get(i + 2) == Some(&']') {
        i += 3;
        while raw.get(i).is_some_and(|c| c.is_whitespace()) {
            i += 1;
        }
    }
    i
}

/// `text` up to the end of its last code span and the brackets closed right after it (the prose
/// after it left out), else all of it.
fn through_last_span<'t>(text: &'t str, spans: &[String]) -> &'t str {
    let Some(end) = spans.last().filter(|s| !s.is_empty()).and_then(|s| text.rfind(s.as_str()).map(|i| i + s.len()))
    else {
        return text;
    };
    let closing = text[end..].len() - text[end..].trim_start_matches(')').len();
    &text[..end + closing]
}

fn is_ascii_ident(s: &str) -> bool {
    let mut chars = s.chars();
    chars.next().is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '_')
}

const SQL_WORDS: &[&str] = &[
    "desc",
    "asc",
    "like",
    "ilike",
    "order",
    "by",
    "and",
    "or",
    "not",
    "null",
    "nulls",
    "where",
    "in",
    "is",
    "on",
    "index",
    "unique",
    "create",
    "primary",
    "foreign",
    "references",
    "using",
    "btree",
    "gin",
    "gist",
];

fn is_sql_word(w: &str) -> bool {
    SQL_WORDS.contains(&w.to_ascii_lowercase().as_str())
}

/// A table named in a paragraph (`테이블: `launch_runs``): a known table among its code spans,
/// else the only identifier code span of a paragraph that says "table".
fn table_named_in_paragraph(p: &TextItem, known: &BTreeSet<String>) -> Option<String> {
    let spans: Vec<&str> = p.code_spans.iter().map(|s| s.trim()).filter(|s| is_ascii_ident(s)).collect();
    if let Some(hit) = spans.iter().find(|s| resolve_known(s, known).is_some()) {
        return Some(hit.to_string());
    }
    let lower = p.text.to_lowercase();
    ((lower.contains("테이블") || lower.contains("table")) && spans.len() == 1).then(|| spans[0].to_string())
}

/// Reads one bullet; `false` when it says nothing this front-end understands.
fn read_item(cx: &Cx, out: &mut Partial) -> bool {
    let text = cx.item.text.as_str();
    read_foreign_key(cx, text, out)
        || read_index(cx, text, out)
        || read_primary_key(cx, text, out)
        || read_query_hint(cx, text, out)
}

/// Makes sure the list partial has an entry for `table` (lists only alter tables) and returns
/// its index.
fn touch(out: &mut Partial, table: &str, origin: &Origin) -> usize {
    out.altered_only.insert(name_key(table));
    match out.schema.tables.iter().position(|t| name_key(&t.name) == name_key(table)) {
        Some(i) => i,
        None => {
            out.schema.tables.push(Table::new(table, origin.clone()));
            out.schema.tables.len() - 1
        }
    }
}

/// A `table.column`, `column`, `table(col, …)` or `(col, …)` reference at the end (`last`) or the
/// start of `s`: (table, columns).
fn reference(s: &str, last: bool) -> Option<(Option<String>, Vec<String>)> {
    let s = s.trim().trim_matches(|c: char| c == '`' || c == '*');
    let chars: Vec<char> = s.chars().collect();
    let ref_char = |c: char| c.is_ascii_alphanumeric() || c == '_' || c == '.' || c == '`' || c == '"';
    let expr: String = if last {
        // Take from the end: an optional `( … )` group, then a dotted word.
        let mut end = chars.len();
        while end > 0 && chars[end - 1].is_whitespace() {
            end -= 1;
        }
        let mut start = end;
        if start > 0 && chars[start - 1] == ')' {
            while start > 0 && chars[start - 1] != '(' {
                start -= 1;
            }
            start = start.saturating_sub(1);
            while start > 0 && chars[start - 1] == ' ' {
                start -= 1;
            }
        }
        while start > 0 && ref_char(chars[start - 1]) {
            start -= 1;
        }
        chars[start..end].iter().collect()
    } else {
        let mut end = 0;
        while end < chars.len() && ref_char(chars[end]) {
            end += 1;
        }
        let mut probe = end;
        while probe < chars.len() && chars[probe] == ' ' {
            probe += 1;
        }
        // A column group (`users(id)`, `users (id)`) but not a remark (`users.id (Foreign Key)`).
        if probe < chars.len() && chars[probe] == '(' {
            if let Some(close) = chars[probe..].iter().position(|&c| c == ')') {
                let inner: String = chars[probe + 1..probe + close].iter().collect();
                if inner.split(',').all(|c| is_ascii_ident(without_order(c).trim_matches(['`', '"']))) {
                    end = probe + close + 1;
                }
            }
        }
        chars[..end].iter().collect()
    };
    let expr = expr.replace(['`', '"'], "");
    let expr = expr.trim();
    if expr.is_empty() {
        return None;
    }
    if let Some(open) = expr.find('(') {
        let head = expr[..open].trim();
        let inner = expr[open + 1..].trim_end_matches(')');
        let cols: Vec<String> = inner.split(',').map(|c| without_order(c).to_string()).collect();
        if !cols.iter().all(|c| is_ascii_ident(c)) {
            return None;
        }
        let table = (!head.is_empty()).then(|| head.rsplit('.').next().unwrap_or(head).to_string());
        if table.as_deref().is_some_and(|t| !is_ascii_ident(t)) {
            return None;
        }
        return Some((table, cols));
    }
    match expr.rsplit_once('.') {
        Some((t, c)) => {
            let t = t.rsplit('.').next().unwrap_or(t);
            (is_ascii_ident(t) && is_ascii_ident(c)).then(|| (Some(t.to_string()), vec![c.to_string()]))
        }
        None => is_ascii_ident(expr).then(|| (None, vec![expr.to_string()])),
    }
}

/// A column of a column list without its sort order: `created_at DESC` → `created_at`.
fn without_order(column: &str) -> &str {
    let c = column.trim();
    match c.rsplit_once(char::is_whitespace) {
        Some((head, order)) if order.eq_ignore_ascii_case("desc") || order.eq_ignore_ascii_case("asc") => head.trim(),
        _ => c,
    }
}

/// `a.b → c.d`, `b -> c.d`, `FOREIGN KEY (b) REFERENCES c(d)`.
fn read_foreign_key(cx: &Cx, text: &str, out: &mut Partial) -> bool {
    let upper = text.to_uppercase();
    let split = ["→", "->", "⇒", "➔", "=>"]
        .iter()
        .find_map(|a| text.find(a).map(|i| (i, a.len())))
        .or_else(|| upper.find("REFERENCES").map(|i| (i, "REFERENCES".len())));
    let Some((at, len)) = split else { return false };
    let left = text[..at].trim_end();
    let left = left.strip_suffix("FOREIGN KEY").unwrap_or(left);
    let right = &text[at + len..];
    let Some((left_table, left_cols)) = reference(left, true) else { return false };
    let Some((right_table, right_cols)) = reference(right, false) else { return false };
    // The target must say a column (`users.id`) or be a known table: prose arrows are not keys.
    let (ref_table, ref_columns) = match right_table {
        Some(t) => (t, right_cols),
        None => {
            let t = right_cols.into_iter().next().unwrap_or_default();
            if resolve_known(&t, cx.known).is_none() {
                return false;
            }
            (t, Vec::new())
        }
    };
    let Some(owner) = left_table.clone().or_else(|| cx.context_table()) else {
        let quote_end = right.find(ref_table.as_str()).map_or(text.len(), |i| at + len + i + ref_table.len());
        out.diagnostics.push(UNATTACHED_LIST_ITEM.at(
            cx.span_of(&text[..quote_end]),
            format!(
                "foreign key `{}` → `{ref_table}` names no table it belongs to; it is skipped",
                left_cols.join(", ")
            ),
        ));
        return true;
    };
    let tail = upper[at + len..].to_string();
    let on_delete = match tail.find("ON DELETE") {
        Some(i) => ReferentialAction::parse(tail[i + 9..].split(['(', ')', ',']).next().unwrap_or("").trim()),
        None => tail.contains("CASCADE").then_some(ReferentialAction::Cascade),
    };
    let on_update = tail
        .find("ON UPDATE")
        .and_then(|i| ReferentialAction::parse(tail[i + 9..].split(['(', ')', ',']).next().unwrap_or("").trim()));
    let first = left_cols.first().map(String::as_str).unwrap_or("");
    let needle = match &left_table {
        Some(t) => format!("{t}.{first}"),
        None => first.to_string(),
    };
    let origin = cx.origin_of(&needle);
    let span = cx.span_at(&origin, &needle);
    let fk = ForeignKey {
        name: None,
        columns: left_cols,
        ref_table,
        ref_columns,
        on_delete,
        on_update,
        inferred: false,
        origin: origin.clone(),
    };
    add_foreign_key(out, &owner, fk, &origin, span);
    true
}

fn same_names(a: &[String], b: &[String]) -> bool {
    a.len() == b.len() && a.iter().zip(b).all(|(x, y)| name_key(x) == name_key(y))
}

/// Adds `fk` to `owner`; `span` marks it in the bullet for a conflict.
fn add_foreign_key(out: &mut Partial, owner: &str, fk: ForeignKey, origin: &Origin, span: Span) {
    let i = touch(out, owner, origin);
    let table = &mut out.schema.tables[i];
    if let Some(existing) = table.foreign_keys.iter().find(|x| same_names(&x.columns, &fk.columns)) {
        let same_target = name_key(&existing.ref_table) == name_key(&fk.ref_table)
            && (existing.ref_columns.is_empty()
                || fk.ref_columns.is_empty()
                || same_names(&existing.ref_columns, &fk.ref_columns));
        if !same_target {
            let d = CONFLICTING_LIST_ENTRIES
                .at(
                    span,
                    format!(
                        "`{}.{}` is said to reference `{}` here but `{}` before",
                        table.name,
                        fk.columns.join(", "),
                        fk.ref_table,
                        existing.ref_table
                    ),
                )
                .with_related(Span::from(&existing.origin), "first said here");
            out.diagnostics.push(d);
        }
        return;
    }
    table.foreign_keys.push(fk);
}

/// One index part read from a code span or word: `created_at DESC` → (created_at, true).
fn index_parts(words: &str) -> Vec<IndexPart> {
    let mut parts: Vec<IndexPart> = Vec::new();
    for w in words.split(|c: char| c.is_whitespace() || matches!(c, ',' | '(' | ')' | '+' | '`')) {
        if w.is_empty() {
            continue;
        }
        let lw = w.to_ascii_lowercase();
        if lw == "desc" {
            if let Some(p) = parts.last_mut() {
                p.descending = true;
            }
            continue;
        }
        if is_sql_word(w) || !is_ascii_ident(w) || lw == "and" {
            continue;
        }
        parts.push(IndexPart::column(w));
    }
    parts
}

fn looks_like_index_name(s: &str) -> bool {
    let l = s.to_ascii_lowercase();
    is_ascii_ident(s)
        && (["idx_", "ix_", "uq_", "ux_", "uk_", "uniq_", "index_"].iter().any(|p| l.starts_with(p))
            || ["_idx", "_index", "_ix", "_uq", "_key", "_uniq"].iter().any(|p| l.ends_with(p)))
}

/// Finds the word `ON` (any case) as a separate word.
fn find_on(text: &str) -> Option<usize> {
    let bytes = text.as_bytes();
    let lower = text.to_ascii_lowercase();
    let mut from = 0;
    while let Some(i) = lower[from..].find("on") {
        let at = from + i;
        let before = at == 0 || !(bytes[at - 1].is_ascii_alphanumeric() || bytes[at - 1] == b'_');
        let after = at + 2 >= bytes.len() || !(bytes[at + 2].is_ascii_alphanumeric() || bytes[at + 2] == b'_');
        if before && after {
            return Some(at);
        }
        from = at + 2;
    }
    None
}

fn says_unique(text: &str) -> bool {
    let l = text.to_lowercase();
    l.contains("unique")
        || l.contains("유니크")
        || l.contains("고유")
        || l.split(|c: char| !c.is_alphanumeric()).any(|w| w == "uk")
}

/// The parenthesised groups of a text: (start byte, inner text).
fn groups(text: &str) -> Vec<(usize, &str)> {
    let mut out = Vec::new();
    let mut from = 0;
    while let Some(open) = text[from..].find('(').map(|i| i + from) {
        let Some(close) = text[open..].find(')').map(|i| i + open) else { break };
        out.push((open, &text[open + 1..close]));
        from = close + 1;
    }
    out
}

fn read_index(cx: &Cx, text: &str, out: &mut Partial) -> bool {
    let lower = text.to_lowercase();
    // `[UNIQUE] [INDEX] name ON table(cols)` / `name ON col, col`.
    if let Some(on) = find_on(text) {
        let before = text[..on].trim();
        let name = before
            .split(|c: char| c.is_whitespace() || c == '`' || c == ':')
            .rfind(|w| !w.is_empty())
            .filter(|w| is_ascii_ident(w) && !is_sql_word(w))
            .map(str::to_string);
        let named_index = name.as_deref().is_some_and(looks_like_index_name)
            || before.to_lowercase().contains("index")
            || cx.under_index_heading();
        if named_index && name.is_some() {
            let after_on = &text[on + 2..];
            let after_start = on + 2 + (after_on.len() - after_on.trim_start().len());
            let after = after_on.trim();
            // Up to a trailing remark: `(캐싱용)`, `- 설명`, `: 설명`, `— 설명`.
            let (table, parts, spec_end) = match reference(after, false) {
                Some((Some(t), cols))
                    if after.contains('(') || after.split_whitespace().next().is_some_and(|w| w.contains('.')) =>
                {
                    let (spec, spec_end) = match after.find('(') {
                        Some(o) => {
                            let close = after[o..].find(')').map_or(after.len(), |c| o + c);
                            (&after[o..close], (close + 1).min(after.len()))
                        }
                        None => ("", after.split_whitespace().next().map_or(0, str::len)),
                    };
                    let parts = index_parts(spec);
                    let parts =
                        if parts.is_empty() { cols.into_iter().map(IndexPart::column).collect() } else { parts };
                    (Some(t), parts, spec_end)
                }
                _ => {
                    let spec = after.split([':', '-', '—', '(']).next().unwrap_or("");
                    (None, index_parts(spec), spec.trim_end().len())
                }
            };
            if !parts.is_empty() {
                let unique = says_unique(before);
                let quote = &text[..after_start + spec_end];
                add_index(cx, out, table, name, parts, unique, quote);
                return true;
            }
        }
    }
    // `col (Unique Index)`, `col1, col2 (Index)`, `id (Primary Key)`.
    for (open, inner) in groups(text) {
        let il = inner.to_lowercase();
        let pk = il.contains("primary key") || il.trim() == "pk" || il.contains("기본키");
        let index = il.contains("index") || il.contains("인덱스");
        if !pk && !index {
            continue;
        }
        let head = &text[..open];
        let quote = &text[..open + inner.len() + 2];
        let parts = index_parts(head);
        let dotted = reference(head, true).and_then(|(t, _)| t);
        if parts.is_empty() {
            continue;
        }
        if pk {
            let cols: Vec<String> = parts.into_iter().filter_map(|p| p.column).collect();
            let Some(table) = dotted.or_else(|| cx.context_table()) else {
                unattached(cx, out, "primary key", quote);
                return true;
            };
            let Some(first) = cols.first() else { return false };
            let origin = cx.origin_of(first);
            let i = touch(out, &table, &origin);
            let t = &mut out.schema.tables[i];
            if t.primary_key.is_none() {
                t.primary_key = Some(PrimaryKey { name: None, columns: cols, origin });
            }
            return true;
        }
        let unique = says_unique(inner);
        add_index(cx, out, dotted, None, parts, unique, quote);
        return true;
    }
    // Under an index heading: `` `idx_name`: `col` ``, `` `idx_name` (`a`, `b`) ``, `` `a`, `b` ``.
    if cx.under_index_heading() && !cx.item.code_spans.is_empty() && !text.contains('→') && !text.contains("->") {
        let spans: Vec<&str> = cx.item.code_spans.iter().map(|s| s.trim()).collect();
        let (name, rest) = match spans.split_first() {
            Some((first, rest)) if looks_like_index_name(first) => (Some(first.to_string()), rest.to_vec()),
            _ => (None, spans.clone()),
        };
        let mut table = None;
        let mut parts = Vec::new();
        for s in rest {
            match reference(s, false) {
                Some((Some(t), cols)) if !s.contains(' ') => {
                    table = Some(t);
                    parts.extend(cols.into_iter().map(IndexPart::column));
                }
                _ if resolve_known(s, cx.known).is_some() && table.is_none() => table = Some(s.to_string()),
                _ => parts.extend(index_parts(s)),
            }
        }
        let quote = through_last_span(text, &cx.item.code_spans);
        if parts.is_empty() {
            if name.is_some() {
                unattached(cx, out, "index without columns", quote);
                return true;
            }
            return false;
        }
        let unique = says_unique(&lower);
        add_index(cx, out, table, name, parts, unique, quote);
        return true;
    }
    false
}

/// Reports a bullet whose table is unknown; `quote` is the part of its text that says the
/// `what` (the prose after it left out).
fn unattached(cx: &Cx, out: &mut Partial, what: &str, quote: &str) {
    let quote = quote.trim();
    out.diagnostics.push(
        UNATTACHED_LIST_ITEM
            .at(cx.span_of(quote), format!("{what} `{quote}` cannot be attached to a table; it is skipped"))
            .with_help("name the table: `idx_x ON users(email)` or a heading `### users 테이블`"),
    );
}

/// Adds an index read from the part `quote` of the bullet's text.
fn add_index(
    cx: &Cx,
    out: &mut Partial,
    table: Option<String>,
    name: Option<String>,
    parts: Vec<IndexPart>,
    unique: bool,
    quote: &str,
) {
    let Some(table) = table.or_else(|| cx.context_table()) else {
        unattached(cx, out, "index", quote);
        return;
    };
    let cols: Vec<String> = parts.iter().filter_map(|p| p.column.clone()).collect();
    let Some(needle) = name.as_deref().or(cols.first().map(String::as_str)) else { return };
    let origin = cx.origin_of(needle);
    let span = cx.span_at(&origin, needle);
    touch(out, &table, &origin);
    // An index the list does not name stays unnamed (the engine names it); duplicates are still
    // found under the conventional name.
    let stated_name = name.clone();
    let name = name.unwrap_or_else(|| format!("idx_{}_{}", table, cols.join("_")));
    let index = Index {
        name: stated_name,
        table: table.clone(),
        parts,
        unique,
        method: None,
        predicate: None,
        include: Vec::new(),
        origin,
    };
    if let Some(existing) = out.schema.indexes.iter().find(|i| {
        let existing_name = i.name.clone().unwrap_or_else(|| {
            let cols: Vec<&str> = i.leading_columns();
            format!("idx_{}_{}", i.table, cols.join("_"))
        });
        name_key(&existing_name) == name_key(&name)
    }) {
        if name_key(&existing.table) != name_key(&table) || existing.parts != index.parts || existing.unique != unique {
            let d = CONFLICTING_LIST_ENTRIES
                .at(span, format!("index `{name}` is listed again with a different definition"))
                .with_related(Span::from(&existing.origin), "first listed here");
            out.diagnostics.push(d);
        }
        return;
    }
    out.schema.indexes.push(index);
}

/// `기본키: `request_id``, `PK: `id``, `Primary Key: id`.
fn read_primary_key(cx: &Cx, text: &str, out: &mut Partial) -> bool {
    let Some((head, tail)) = text.split_once([':', '：']) else { return false };
    let h = head.trim().to_lowercase();
    if !matches!(h.as_str(), "기본키" | "기본 키" | "pk" | "primary key" | "주키" | "primary") {
        return false;
    }
    let cols: Vec<String> = index_parts(tail).into_iter().filter_map(|p| p.column).collect();
    if cols.is_empty() {
        return false;
    }
    let Some(table) = cx.context_table() else {
        unattached(cx, out, "primary key", through_last_span(text, &cx.item.code_spans));
        return true;
    };
    let origin = cx.origin_of(&cols[0]);
    let i = touch(out, &table, &origin);
    let t = &mut out.schema.tables[i];
    if t.primary_key.is_none() {
        t.primary_key = Some(PrimaryKey { name: None, columns: cols, origin });
    }
    true
}

fn has_word(upper: &str, word: &str) -> bool {
    upper.split(|c: char| !(c.is_ascii_alphanumeric() || c == '_')).any(|w| w == word)
}

/// `목록 조회: `created_at DESC``, `검색: `product_name`, `core_kpi` LIKE`, `필터: `status``.
fn read_query_hint(cx: &Cx, text: &str, out: &mut Partial) -> bool {
    let upper = text.to_uppercase();
    let order_words = has_word(&upper, "DESC")
        || has_word(&upper, "ASC")
        || upper.contains("ORDER BY")
        || text.contains("정렬")
        || has_word(&upper, "SORT")
        || text.contains("최신순")
        || text.contains("내림차순")
        || text.contains("오름차순");
    let like =
        has_word(&upper, "LIKE") || has_word(&upper, "ILIKE") || text.contains("검색") || has_word(&upper, "SEARCH");
    let filter = text.contains("필터") || has_word(&upper, "FILTER") || has_word(&upper, "WHERE");
    let kind = if order_words {
        QueryHintKind::OrderBy
    } else if like {
        QueryHintKind::Like
    } else if filter {
        QueryHintKind::Filter
    } else if text.contains("목록") {
        QueryHintKind::OrderBy
    } else if text.contains("조회") {
        QueryHintKind::Filter
    } else {
        return false;
    };
    let Some(table) = cx.context_table() else { return false };
    if !cx.known.is_empty() && resolve_known(&table, cx.known).is_none() {
        return false;
    }
    let mut columns: Vec<String> = Vec::new();
    for span in &cx.item.code_spans {
        for part in index_parts(span) {
            let Some(c) = part.column else { continue };
            if resolve_known(&c, cx.known).is_some() || name_key(&c) == name_key(&table) {
                continue;
            }
            if !columns.iter().any(|x| name_key(x) == name_key(&c)) {
                columns.push(c);
            }
        }
    }
    if columns.is_empty() {
        return false;
    }
    let descending = has_word(&upper, "DESC") || text.contains("최신순") || text.contains("내림차순");
    let origin = cx.origin_of(&columns[0]);
    out.schema.query_hints.push(QueryHint {
        table,
        kind,
        columns,
        descending: kind == QueryHintKind::OrderBy && descending,
        origin,
    });
    true
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scan::scan;

    fn run(md: &str, known: &[&str]) -> Partial {
        let known: BTreeSet<String> = known.iter().map(|s| s.to_string()).collect();
        extract(&[scan("t.md".into(), md)], &known)
    }

    fn index_summary(p: &Partial) -> Vec<(String, String, Vec<String>, bool)> {
        p.schema
            .indexes
            .iter()
            .map(|i| {
                (
                    i.name.clone().unwrap_or_default(),
                    i.table.clone(),
                    i.leading_columns().iter().map(|s| s.to_string()).collect(),
                    i.unique,
                )
            })
            .collect()
    }

    #[test]
    fn index_bullets_under_table_headings() {
        let md = "## 6. 주요 인덱스\n\n### users 테이블\n- `idx_users_email` ON `email`\n- `idx_users_name_age` ON `name`, `age`\n\n\
### jobs 테이블\n- `idx_jobs_user_id` ON `user_id`\n- UNIQUE INDEX uq_jobs_key ON jobs(key, kind)\n";
        let p = run(md, &["users", "jobs"]);
        assert!(p.diagnostics.is_empty(), "{:?}", p.diagnostics);
        assert_eq!(
            index_summary(&p),
            [
                ("idx_users_email".into(), "users".into(), vec!["email".into()], false),
                ("idx_users_name_age".into(), "users".into(), vec!["name".into(), "age".into()], false),
                ("idx_jobs_user_id".into(), "jobs".into(), vec!["user_id".into()], false),
                ("uq_jobs_key".into(), "jobs".into(), vec!["key".into(), "kind".into()], true),
            ]
        );
        assert_eq!((p.schema.indexes[0].origin.line, p.schema.indexes[0].origin.column), (4, 4));
        assert_eq!(p.altered_only.iter().cloned().collect::<Vec<_>>(), ["jobs", "users"]);
        assert!(p.schema.tables.iter().all(|t| t.columns.is_empty()));
    }

    #[test]
    fn parenthesised_index_tags_and_primary_keys() {
        let md = "### 3.1 users 테이블\n\n#### 인덱스\n\n- `id` (Primary Key)\n- `email` (Unique Index)\n\n\
### 3.4 audio_files 테이블\n\n#### 인덱스\n\n- `user_id` (Index)\n- `text_hash` (Index, 캐싱 조회용)\n";
        let p = run(md, &[]);
        assert_eq!(
            index_summary(&p),
            [
                ("".into(), "users".into(), vec!["email".into()], true),
                ("".into(), "audio_files".into(), vec!["user_id".into()], false),
                ("".into(), "audio_files".into(), vec!["text_hash".into()], false),
            ]
        );
        assert_eq!(p.schema.table("users").unwrap().primary_key.as_ref().unwrap().columns, ["id"]);
    }

    #[test]
    fn relationship_bullets_become_foreign_keys_on_the_owner() {
        let md = "### users 테이블\n\n#### 관계\n\n- `characters.user_id` → `users.id` (Foreign Key, nullable)\n\
- `audio_files.user_id` -> `users.id` (Foreign Key, NOT NULL)\n\n### characters 테이블\n\n#### 관계\n\n\
- `user_id` → `users.id` (Foreign Key, nullable)\n- `job_id` REFERENCES jobs(id) ON DELETE CASCADE\n\n\
## 흐름\n\n- 작성 → 검토 → 승인\n- draft -> review\n";
        let p = run(md, &["users", "characters", "audio_files", "jobs"]);
        assert!(p.diagnostics.is_empty(), "{:?}", p.diagnostics);
        let ch = p.schema.table("characters").unwrap();
        assert!(ch.columns.is_empty());
        let fks: Vec<_> = ch.foreign_keys.iter().map(|f| (f.columns[0].as_str(), f.ref_table.as_str())).collect();
        assert_eq!(fks, [("user_id", "users"), ("job_id", "jobs")]);
        assert_eq!(ch.foreign_keys[1].on_delete, Some(ReferentialAction::Cascade));
        assert_eq!((ch.foreign_keys[0].origin.line, ch.foreign_keys[0].origin.column), (5, 4));
        assert_eq!(p.schema.table("audio_files").unwrap().foreign_keys.len(), 1);
        assert!(p.schema.table("users").is_none());
        assert_eq!(p.altered_only.len(), 2);
    }

    #[test]
    fn conflicting_bullets_are_reported() {
        let md = "### posts\n- `author_id` → `users.id`\n- `author_id` → `members.id`\n\n## 인덱스\n\
- idx_a ON posts(title)\n- idx_a ON posts(body)\n- `idx_orphan` ON `x`\n";
        let p = run(md, &[]);
        let rules: Vec<_> = p.diagnostics.iter().map(|d| d.rule).collect();
        assert_eq!(rules, ["conflicting-list-entries", "conflicting-list-entries", "unattached-list-item"]);
    }

    #[test]
    fn descending_columns_keep_the_table_and_the_order() {
        let md = "## 인덱스\n\n- `idx_orders_user_recent` ON `orders(user_id, created_at DESC)`\n\
- idx_orders_status ON orders (status ASC, id desc) — 목록용\n";
        let p = run(md, &["orders"]);
        assert!(p.diagnostics.is_empty(), "{:?}", p.diagnostics);
        assert_eq!(
            index_summary(&p),
            [
                ("idx_orders_user_recent".into(), "orders".into(), vec!["user_id".into(), "created_at".into()], false),
                ("idx_orders_status".into(), "orders".into(), vec!["status".into(), "id".into()], false),
            ]
        );
        let order = |i: usize| -> Vec<bool> { p.schema.indexes[i].parts.iter().map(|x| x.descending).collect() };
        assert_eq!((order(0), order(1)), (vec![false, true], vec![false, true]));
    }

    #[test]
    fn unattached_bullets_quote_and_mark_only_the_index() {
        let md = "## Indexes\n\n- `idx_slug` ON `slug` — 상세 페이지는 slug로 조회\n- idx_title ON title: 검색용\n\
- `idx_a` (`a`, `b`) 설명\n";
        let p = run(md, &[]);
        let found: Vec<(&str, u32, u32)> =
            p.diagnostics.iter().map(|d| (d.message.as_str(), d.span.column, d.span.len)).collect();
        assert_eq!(
            found,
            [
                ("index `idx_slug ON slug` cannot be attached to a table; it is skipped", 4, 18),
                ("index `idx_title ON title` cannot be attached to a table; it is skipped", 3, 18),
                ("index `idx_a (a, b)` cannot be attached to a table; it is skipped", 4, 17),
            ]
        );
    }

    #[test]
    fn conflicts_mark_the_name() {
        let md =
            "## 인덱스\n- idx_a ON posts(title)\n- idx_a ON posts(body)\n\n### posts\n- `author_id` → `users.id`\n\
- `author_id` → `members.id`\n";
        let p = run(md, &[]);
        let spans: Vec<(u32, u32, u32)> =
            p.diagnostics.iter().map(|d| (d.span.line, d.span.column, d.span.len)).collect();
        assert_eq!(spans, [(3, 3, 5), (7, 4, 9)]);
    }

    #[test]
    fn query_hints_from_the_paragraph_table() {
        let md = "# DB 스키마\n\n## 1. 현재 스키마\n\n테이블: `launch_runs`\n\n```sql\nCREATE TABLE launch_runs (id TEXT);\n```\n\n\
특징:\n- 기본키: `request_id`\n- 목록 조회: `created_at DESC`\n- 검색: `product_name`, `core_kpi` LIKE\n\
- 필터: `mode`\n- 실행 메타데이터는 길게 보관\n";
        let p = run(md, &["launch_runs"]);
        let hints: Vec<_> =
            p.schema.query_hints.iter().map(|h| (h.table.as_str(), h.kind, h.columns.clone(), h.descending)).collect();
        assert_eq!(
            hints,
            [
                ("launch_runs", QueryHintKind::OrderBy, vec!["created_at".to_string()], true),
                ("launch_runs", QueryHintKind::Like, vec!["product_name".to_string(), "core_kpi".to_string()], false),
                ("launch_runs", QueryHintKind::Filter, vec!["mode".to_string()], false),
            ]
        );
        assert_eq!(p.schema.query_hints[0].origin.line, 13);
        assert_eq!(p.schema.table("launch_runs").unwrap().primary_key.as_ref().unwrap().columns, ["request_id"]);
    }

    #[test]
    fn prose_bullets_give_nothing() {
        let md =
            "## 운영 권장\n- 실행 메타데이터는 길게 보관\n- `data/backups/` 위치에 백업\n- Redis 도입 (세션 관리)\n\
- **주기:** 스크립트 실행 전 자동 백업\n";
        let p = run(md, &["sessions"]);
        assert!(p.schema.tables.is_empty() && p.schema.indexes.is_empty() && p.schema.query_hints.is_empty());
        assert!(p.diagnostics.is_empty());
    }

    #[test]
    fn garbled_input_never_panics() {
        for md in [
            "### t\n- `a` → \n- → `b.c`\n- ON\n- idx ON (\n- `x` (Index\n- ()(Index)\n- 기본키:\n",
            "## 인덱스\n- `idx_a`\n- ``\n- `a.b.c` (Primary Key)\n- ON t(\n- 검색: `` LIKE\n",
        ] {
            let _ = run(md, &["t"]);
        }
    }
}
