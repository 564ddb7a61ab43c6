//! The bullet-list front-end: columns, keys, indexes, references and query hints written as
//! bullets.
//!
//! Bullets define a table when they list its columns (see [`columns`]). Otherwise they add to a
//! table another notation defines: indexes (`` `idx_users_email` ON `email` ``, `email (Unique
//! Index)`, `` - unique: `t.c` `` under an "Index:" label), foreign keys (`` `characters.user_id`
//! → `users.id` ``, read the right way round: `parent.id → child.parent_id (1:N)` is a key on the
//! child), a primary key (`id (Primary Key)`, `기본키: `request_id``, a `**Primary Key**: c`
//! paragraph) or query hints (`목록 조회: `created_at DESC``). The table is the one the bullet
//! names, a bold entity label or `**Table Name**:` paragraph before the list, the nearest heading,
//! or a paragraph naming a table.

mod bullet_type;
pub mod columns;

use crate::context::{named_table_from_headings, resolve_known};
use crate::frontend::Partial;
use crate::scan::{Document, Item, TextItem};
use columns::{Bullet, Label, State, Target};
use model::{
    name_eq, name_key, ForeignKey, Index, IndexPart, Notation, Origin, PrimaryKey, QueryHint, QueryHintKind,
    ReferentialAction, RuleInfo, Span,
};
use std::collections::BTreeSet;
use std::sync::Arc;

model::declare_rule! {
    /// What it does: reports an index, key or column bullet whose table cannot be determined
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
pub const RULES: &[RuleInfo] = &[
    UNATTACHED_LIST_ITEM,
    CONFLICTING_LIST_ENTRIES,
    columns::UNREADABLE_COLUMN_BULLET,
    columns::DUPLICATE_COLUMN_BULLET,
];

/// Reads the bullets of `docs`; `known_tables` are the name keys of tables other notations define.
pub fn extract(docs: &[Document], known_tables: &BTreeSet<String>) -> Partial {
    let mut out = Partial::new(Notation::List);
    let mut state = State::default();
    for doc in docs {
        // The table a paragraph names, and whether it names it as a label (`**Table Name**: x`).
        let mut paragraph_table: Option<(String, bool)> = None;
        let mut label: Option<Label> = None;
        let mut i = 0;
        while i < doc.items.len() {
            match &doc.items[i] {
                Item::Heading(_) => {
                    paragraph_table = None;
                    label = None;
                }
                Item::Paragraph(p) => {
                    if let Some(t) = table_named_in_paragraph(p, known_tables) {
                        paragraph_table = Some(t);
                    }
                    label = Label::read(p, &doc.file);
                    let cx = Cx {
                        file: &doc.file,
                        item: p,
                        known: known_tables,
                        paragraph_table: paragraph_table.as_ref().map(|(t, s)| (t.as_str(), *s)),
                        label: None,
                    };
                    // `**Primary Key**: `locker_no``.
                    if read_primary_key(&cx, &p.text, &mut out) {
                        out.mark_read(&doc.file, p.line);
                    }
                }
                Item::ListItem(_) => {
                    let mut run: Vec<&TextItem> = doc.items[i..]
                        .iter()
                        .map_while(|x| if let Item::ListItem(li) = x { Some(li) } else { None })
                        .collect();
                    i += run.len();
                    // Nested bullets end before the bullet holding them: read them in line order.
                    run.sort_by_key(|li| (li.line, li.column));
                    let cxs: Vec<Cx> = run
                        .iter()
                        .map(|li| Cx {
                            file: &doc.file,
                            item: li,
                            known: known_tables,
                            paragraph_table: paragraph_table.as_ref().map(|(t, s)| (t.as_str(), *s)),
                            label: label.as_ref(),
                        })
                        .collect();
                    read_run(&cxs, &mut out, &mut state);
                    label = None;
                    continue;
                }
                _ => label = None,
            }
            i += 1;
        }
    }
    state.finish(&mut out, known_tables);
    out
}

/// Reads one list: as the columns of a table when it is one, else bullet by bullet. Every bullet
/// read or reported is marked read.
fn read_run(cxs: &[Cx], out: &mut Partial, state: &mut State) {
    let Some(first) = cxs.first() else { return };
    let table = first.context_table();
    let bullets: Vec<Bullet> = cxs.iter().map(|cx| columns::classify(cx.item, table.as_deref(), cx.known)).collect();
    let columns_run = !first.under_index_heading() && columns::is_column_run(&bullets, first.label, first.item);
    for (cx, bullet) in cxs.iter().zip(&bullets) {
        if read_bullet(cx, bullet, table.as_deref(), columns_run, out, state) {
            out.mark_read(cx.file, cx.item.line);
        }
    }
}

/// Reads one bullet of a run; `false` when it says nothing this front-end reads.
fn read_bullet(
    cx: &Cx,
    bullet: &Bullet,
    table: Option<&str>,
    columns_run: bool,
    out: &mut Partial,
    state: &mut State,
) -> bool {
    if let Bullet::Table { name, segments } = bullet {
        let at = Target {
            table: name.clone(),
            table_origin: cx.origin_of(name),
            known: resolve_known(name, cx.known).is_some(),
            cx,
        };
        state.add_segments(out, &at, segments);
        return true;
    }
    if !columns_run {
        return read_item(cx, out);
    }
    let Some(table) = table else {
        // Columns under no table: left unread, for the pipeline to report with the document's
        // other unread schema (`schema-not-read`, `nothing-read`).
        if matches!(bullet, Bullet::Column(_) | Bullet::Columns(_)) {
            return false;
        }
        return read_item(cx, out);
    };
    let at = Target {
        table: table.to_string(),
        table_origin: cx.table_origin(table),
        known: resolve_known(table, cx.known).is_some(),
        cx,
    };
    match bullet {
        Bullet::Column(c) => state.add_columns(out, &at, c),
        Bullet::Columns(segments) => state.add_segments(out, &at, segments),
        _ => return read_key(cx, &at, out, state),
    }
    true
}

/// A bullet of a column list that is not a column: a key, a reference, an index, or a bullet
/// that cannot be read (reported). `false` when it is none of these (prose).
fn read_key(cx: &Cx, at: &Target, out: &mut Partial, state: &mut State) -> bool {
    let before = key_columns(out, &at.table);
    if read_item(cx, out) {
        let after = key_columns(out, &at.table);
        let added: Vec<String> = after.into_iter().filter(|c| !before.iter().any(|b| model::name_eq(b, c))).collect();
        let not_null = cx.item.text.to_uppercase().contains("NOT NULL");
        state.add_key_columns(out, at, &added, not_null);
        return true;
    }
    if let Some(head) = columns::looks_like_a_column(&cx.item.text) {
        out.diagnostics.push(
            columns::UNREADABLE_COLUMN_BULLET
                .at(cx.span_of(&head), format!("`{head}` is not a column name; the bullet is skipped"))
                .with_help("write the column name as one identifier: `` - `user_name`: VARCHAR(40) ``"),
        );
        return true;
    }
    false
}

/// Whether an unnamed listed index's generated name (`idx_<table>_<col>_<col>`) is `key`, a name key,
/// without building the name.
fn generated_index_name_is(index: &Index, key: &str) -> bool {
    let mut pieces = vec!["idx_", index.table.as_str()];
    for c in index.leading_columns() {
        pieces.extend(["_", c]);
    }
    pieces.iter().flat_map(|p| p.chars().flat_map(char::to_lowercase)).eq(key.chars())
}

/// Every column the keys and indexes of `table` in `out` name.
fn key_columns(out: &Partial, table: &str) -> Vec<String> {
    let Some(t) = out.schema.table(table) else { return Vec::new() };
    let mut cols: Vec<String> = t.primary_key.iter().flat_map(|pk| pk.columns.iter().cloned()).collect();
    cols.extend(t.foreign_keys.iter().flat_map(|f| f.columns.iter().cloned()));
    cols.extend(t.uniques.iter().flat_map(|u| u.columns.iter().cloned()));
    cols.extend(
        out.schema
            .indexes
            .iter()
            .filter(|i| model::name_eq(&i.table, table))
            .flat_map(|i| i.parts.iter().filter_map(|p| p.column.clone())),
    );
    cols
}

/// What a bullet is read against.
struct Cx<'a> {
    file: &'a Arc<str>,
    item: &'a TextItem,
    known: &'a BTreeSet<String>,
    /// The table a paragraph before the list names, and whether it names it as a label.
    paragraph_table: Option<(&'a str, bool)>,
    /// The label paragraph right before the list.
    label: Option<&'a Label>,
}

impl Cx<'_> {
    /// The table the bullet's surroundings name: a bold entity label or a `**Table Name**:`
    /// paragraph right before the list, the nearest headings, else a paragraph naming a table.
    fn context_table(&self) -> Option<String> {
        if let Some(Label::Entity { name, .. }) = self.label {
            return Some(name.clone());
        }
        if let Some((t, true)) = self.paragraph_table {
            return Some(t.to_string());
        }
        let hs = &self.item.headings;
        let near = &hs[hs.len().saturating_sub(3)..];
        // `## Index strategy` names a topic, not a table `strategy`: a heading about indexes names
        // a table only when the table is defined.
        let from_heading = named_table_from_headings(near, self.known).filter(|(t, h)| {
            let topic = h.text.to_lowercase();
            let about_keys = ["index", "인덱스", "색인"].iter().any(|w| topic.contains(w));
            !about_keys || resolve_known(&t.name, self.known).is_some()
        });
        from_heading.map(|(t, _)| t.name).or_else(|| self.paragraph_table.map(|(t, _)| t.to_string()))
    }

    /// Where `table`, the context table, is named: its entity label, its heading, else the bullet.
    fn table_origin(&self, table: &str) -> Origin {
        if let Some(Label::Entity { name, origin }) = self.label {
            if model::name_eq(name, table) {
                return origin.clone();
            }
        }
        let lower = table.to_lowercase();
        for h in self.item.headings.iter().rev() {
            let text = h.text.to_lowercase();
            if let Some(b) = text.find(&lower) {
                let column = u32::from(h.level) + 2 + text[..b].chars().count() as u32;
                return Origin::new(self.file.clone(), h.line, column, Notation::List);
            }
        }
        Origin::new(self.file.clone(), self.item.line, self.item.column, Notation::List)
    }

    /// Whether the nearest headings are about indexes.
    fn under_index_heading(&self) -> bool {
        if matches!(self.label, Some(Label::Indexes)) {
            return true;
        }
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
/// else the only identifier code span of a paragraph that says "table". The flag says the
/// paragraph is a name label (`**Table Name**: x`, `테이블명: x`), which names the table of what
/// follows more closely than any heading.
fn table_named_in_paragraph(p: &TextItem, known: &BTreeSet<String>) -> Option<(String, bool)> {
    let label = p.text.split_once([':', '：']).map(|(h, _)| h.trim().to_lowercase()).is_some_and(|h| {
        matches!(
            h.as_str(),
            "table" | "table name" | "tablename" | "테이블" | "테이블명" | "테이블 이름" | "물리명" | "physical name"
        )
    });
    let spans: Vec<&str> = p.code_spans.iter().map(|s| s.trim()).filter(|s| is_ascii_ident(s)).collect();
    if label && spans.len() == 1 {
        return Some((spans[0].to_string(), true));
    }
    if let Some(hit) = spans.iter().find(|s| resolve_known(s, known).is_some()) {
        return Some((hit.to_string(), false));
    }
    let lower = p.text.to_lowercase();
    ((lower.contains("테이블") || lower.contains("table")) && spans.len() == 1).then(|| (spans[0].to_string(), false))
}

/// Reads a bullet that is not a column; `false` when it says nothing this front-end reads.
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
    out.table_slot(table, origin)
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

/// The bullet as a left-to-right reference when it is written another way: `users.id ←
/// posts.editor_id` (the arrow points back) and `posts.reviewer_id - users.id (N:1)` (a dash
/// between two `table.column`s) read as `posts.editor_id → users.id`.
fn as_forward_reference(text: &str) -> Option<String> {
    if let Some((at, len)) = ["←", "<-"].iter().find_map(|a| text.find(a).map(|i| (i, a.len()))) {
        let (parent, child) = (text[..at].trim(), text[at + len..].trim());
        // The child side ends where its reference does (a remark may follow).
        let end = child.find(|c: char| c.is_whitespace() || c == '(').unwrap_or(child.len());
        return Some(format!("{} → {}{}", &child[..end], parent, &child[end..]));
    }
    let dotted = |s: &str| {
        let s = s.trim().trim_matches('`');
        s.split_once('.').is_some_and(|(t, c)| is_ascii_ident(t) && is_ascii_ident(c))
    };
    let (left, rest) = text.trim().split_once(char::is_whitespace)?;
    let rest = rest.trim_start();
    let dash = rest.strip_prefix(['-', '–', '—'])?.trim_start_matches(['-', '–', '—']);
    let right = dash.trim_start();
    let end = right.find(|c: char| c.is_whitespace() || c == '(').unwrap_or(right.len());
    (dotted(left) && dotted(&right[..end]) && cardinality(&right[end..]).is_some()).then(|| format!("{left} → {right}"))
}

/// `a.b → c.d`, `b -> c.d`, `FOREIGN KEY (b) REFERENCES c(d)`.
fn read_foreign_key(cx: &Cx, text: &str, out: &mut Partial) -> bool {
    if !text.contains('→') && !text.contains("->") {
        if let Some(forward) = as_forward_reference(text) {
            return read_foreign_key(cx, &forward, out);
        }
    }
    let upper = text.to_uppercase();
    let split = ["→", "->", "⇒", "➔", "=>"]
        .iter()
        .find_map(|a| text.find(a).map(|i| (i, a.len())))
        .or_else(|| upper.find("REFERENCES").map(|i| (i, "REFERENCES".len())));
    let Some((at, len)) = split else { return false };
    let right = &text[at + len..];
    let left = referring_side(&text[..at]);
    let Some((right_table, right_cols)) = reference(right, false) else { return false };
    // The target must say a column (`users.id`) or be a known table: prose arrows are not keys.
    let (ref_table, ref_columns, target_named) = match right_table {
        Some(t) => (t, right_cols, true),
        None => {
            let t = right_cols.into_iter().next().unwrap_or_default();
            if resolve_known(&t, cx.known).is_none() {
                return false;
            }
            (t, Vec::new(), false)
        }
    };
    if left.is_empty() {
        // `FK -> t(id)` names the target but not the column that refers to it.
        let quote_end = right.find(ref_table.as_str()).map_or(text.len(), |i| at + len + i + ref_table.len());
        out.diagnostics.push(
            UNATTACHED_LIST_ITEM
                .at(
                    cx.span_of(&text[..quote_end]),
                    format!("foreign key → `{ref_table}` names no column that refers to it; it is skipped"),
                )
                .with_help(format!("name the column: `{}_id → {ref_table}.id`", ref_table.trim_end_matches('s'))),
        );
        return true;
    }
    let Some((left_table, left_cols)) = reference(left, true) else { return false };
    // `parent.id → child.parent_id (1:N)` describes the key on the child.
    let flip = target_named
        && match cardinality(&text[at + len..]) {
            Some(one_to_many) => one_to_many,
            None => {
                let is_id = |cols: &[String]| cols.len() == 1 && cols[0].eq_ignore_ascii_case("id");
                is_id(&left_cols) && !is_id(&ref_columns) && ref_columns.len() == 1
            }
        };
    let (left_table, left_cols, ref_table, ref_columns) = if flip {
        let Some(parent) = left_table.clone().or_else(|| cx.context_table()) else { return false };
        (Some(ref_table), ref_columns, parent, left_cols)
    } else {
        (left_table, left_cols, ref_table, ref_columns)
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
    // The action after `ON DELETE`/`ON UPDATE`, up to a bracket, a comma or the next `ON`.
    let action_at = |i: usize| {
        let rest = tail[i + 9..].split(['(', ')', ',']).next().unwrap_or("");
        ReferentialAction::parse(rest.split(" ON ").next().unwrap_or("").trim())
    };
    let on_delete = match tail.find("ON DELETE") {
        Some(i) => action_at(i),
        None => tail.contains("CASCADE").then_some(ReferentialAction::Cascade),
    };
    let on_update = tail.find("ON UPDATE").and_then(action_at);
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

/// The part of a reference bullet before the arrow that names the referring column, without the
/// key words around it: `FK: harbor_id` → `harbor_id`, `` `mechanic_id`: BIGINT FK `` →
/// `mechanic_id`, `FK` → empty.
fn referring_side(left: &str) -> &str {
    let mut left = left.trim();
    if let Some((head, tail)) = left.split_once([':', '：']) {
        let h = head.trim().trim_matches(['`', '*']);
        let is_key = |w: &str| {
            matches!(w.to_lowercase().as_str(), "fk" | "foreign key" | "외래키" | "외래 키" | "references" | "ref")
        };
        left = if is_key(h) || h.is_empty() {
            tail.trim()
        } else if is_ascii_ident(h) {
            head.trim()
        } else {
            left
        };
    }
    loop {
        let lower = left.to_lowercase();
        let cut = ["foreign key", "fk", "외래키", "references", "ref"].iter().find(|w| {
            lower.ends_with(*w) && !lower[..lower.len() - w.len()].ends_with(|c: char| c.is_alphanumeric() || c == '_')
        });
        match cut {
            Some(w) => left = left[..left.len() - w.len()].trim_end_matches([' ', ':', ',', '(']).trim_end(),
            None => return left,
        }
    }
}

/// What a relationship bullet's cardinality says: `Some(true)` when the side before the arrow is
/// the "one" of a one-to-many (`1:N`), `Some(false)` for many-to-one (`N:1`).
fn cardinality(tail: &str) -> Option<bool> {
    let compact: String = tail.chars().filter(|c| !c.is_whitespace()).collect::<String>().to_lowercase();
    let one_many = ["1:n", "1:m", "1:*", "1-n", "1:다", "one-to-many", "1..*", "1:many"];
    let many_one = ["n:1", "m:1", "*:1", "n-1", "다:1", "many-to-one", "*..1", "many:1"];
    if one_many.iter().any(|p| compact.contains(p)) {
        Some(true)
    } else if many_one.iter().any(|p| compact.contains(p)) {
        Some(false)
    } else {
        None
    }
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

/// Whether a bullet says an index is *not* there (`No index on `region``, `` `region` 인덱스는
/// 만들지 않음 ``, `we do not index it`): prose about a decision, never an index.
fn says_no_index(lower: &str) -> bool {
    let first = lower.split(|c: char| !c.is_alphanumeric()).find(|w| !w.is_empty()).unwrap_or("");
    first == "no"
        || ["do not", "don't", "not index", "never", "without an index", "않", "안 함", "안함", "미생성", "생성하지"]
            .iter()
            .any(|p| lower.contains(p))
}

fn read_index(cx: &Cx, text: &str, out: &mut Partial) -> bool {
    let lower = text.to_lowercase();
    if says_no_index(&lower) {
        return false;
    }
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
                    // A sentence after ON (`first on `device_id` so it also serves …`) is prose:
                    // each column of a list is one word, with at most a sort order.
                    let sentence = spec.split([',', '+']).any(|part| {
                        let words: Vec<&str> = part.split_whitespace().collect();
                        words.len() > 2
                            || (words.len() == 2 && !matches!(words[1].to_lowercase().as_str(), "asc" | "desc"))
                    });
                    let parts = if sentence { Vec::new() } else { index_parts(spec) };
                    (None, parts, spec.trim_end().len())
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
        // The tag follows the columns it is about (`a, b (Index)`); in a sentence it is prose.
        if head.split(',').any(|c| c.split_whitespace().count() > 1) {
            continue;
        }
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
    // `- unique: `t.c``, `- index: `t.a`, `t.b``, `- unique (`a`, `b`): …` say what they are
    // wherever they are written; other bullets are keys only under an index heading or label.
    let head = lower.split([':', '：', '(']).next().unwrap_or("").trim();
    let unique_head = matches!(head, "unique" | "uk" | "uq" | "unique key" | "유니크" | "고유" | "unique index");
    let key_head = unique_head || matches!(head, "index" | "idx" | "인덱스" | "key" | "색인");
    if (key_head || cx.under_index_heading())
        && !cx.item.code_spans.is_empty()
        && !text.contains('→')
        && !text.contains("->")
    {
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
            // `idx_stations_region`: the columns are in the name.
            let named = name.as_deref().and_then(|n| {
                let table = table.clone().or_else(|| cx.context_table())?;
                Some((columns_in_index_name(n, &table, out)?, table))
            });
            if let Some((cols, t)) = named {
                let unique = says_unique(&lower) || name.as_deref().is_some_and(|n| n.to_lowercase().starts_with("u"));
                add_index(cx, out, Some(t), name, cols.into_iter().map(IndexPart::column).collect(), unique, quote);
                return true;
            }
            if name.is_some() {
                unattached(cx, out, "index without columns", quote);
                return true;
            }
            return false;
        }
        let unique = says_unique(&lower);
        // `- unique: `t.a`, `t.b``: a unique constraint, as `UNIQUE (a, b)` would say it.
        let constraint = name.is_none() && unique_head && head != "unique index";
        if constraint && parts.iter().all(|p| p.column.is_some() && !p.descending) {
            let Some(table) = table.or_else(|| cx.context_table()) else {
                unattached(cx, out, "unique key", quote);
                return true;
            };
            let columns: Vec<String> = parts.into_iter().filter_map(|p| p.column).collect();
            let origin = cx.origin_of(&columns[0]);
            let i = touch(out, &table, &origin);
            let t = &mut out.schema.tables[i];
            if !t.is_unique_key(&columns) {
                t.uniques.push(model::Unique { name: None, columns, origin });
            }
            return true;
        }
        add_index(cx, out, table, name, parts, unique, quote);
        return true;
    }
    false
}

/// The columns an index name spells after its prefix and table (`idx_stations_region` →
/// `region`), when `table`, as the bullets define it, has them.
fn columns_in_index_name(name: &str, table: &str, out: &Partial) -> Option<Vec<String>> {
    let t = out.schema.table(table)?;
    let lower = name.to_lowercase();
    let rest = ["idx_", "ix_", "uq_", "ux_", "uk_", "uniq_", "index_"].iter().find_map(|p| lower.strip_prefix(p))?;
    let key = name_key(table);
    let rest = rest.strip_prefix(&format!("{key}_")).unwrap_or(rest);
    // Column names may hold underscores: match the longest known column at each step.
    let mut cols = Vec::new();
    let mut rest = rest;
    while !rest.is_empty() {
        let hit = t
            .columns
            .iter()
            .map(|c| c.name.to_lowercase())
            .filter(|c| rest == c || rest.starts_with(&format!("{c}_")))
            .max_by_key(String::len)?;
        rest = rest[hit.len()..].trim_start_matches('_');
        cols.push(t.column(&hit).map(|c| c.name.clone()).unwrap_or(hit));
    }
    (!cols.is_empty()).then_some(cols)
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
    let wanted = name_key(&name);
    if let Some(existing) = out.schema.indexes.iter().find(|i| match &i.name {
        Some(n) => name_eq(n, &name),
        None => generated_index_name_is(i, &wanted),
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
mod tests;
