//! Columns written as bullets.
//!
//! A run of bullets lists a table's columns when it sits under a table (a heading, a bold entity
//! label such as `**SensorReading**`, a `**Table Name**:` paragraph) and either a label or heading
//! says "columns" (`### columns`, `**Key Columns**:`, `컬럼:`) or its bullets read as columns with
//! types: `` - `id`: BIGINT UNSIGNED PK, auto-increment ``, `- humidity: Optional[float]`,
//! `` - `opened_at`, `closed_at` `` (untyped), `` - `call_sign, region`: Unique `` (several
//! columns at once). Key bullets in such a run (`PK: id`, `FK: a -> t.id`, `컬럼: a, b`) add their
//! columns too when no other notation defines the table. One bullet may also list a whole table:
//! `` - `genres`: `id`, `title` varchar(40) UNIQUE NOT NULL, `sort_key` smallint ``.

use super::bullet_type::{is_constraint_word, leading_type};
use super::{is_ascii_ident, Cx, UNATTACHED_LIST_ITEM};
use crate::context::{resolve_known, table_in_text};
use crate::field_table::{fk_target_from_column, Constraints};
use crate::frontend::Partial;
use crate::scan::TextItem;
use crate::types::{is_serial, parse_loose_default};
use model::{
    name_eq, name_key, Column, DataType, DefaultValue, ForeignKey, Identity, Index, IndexPart, Origin, PrimaryKey,
    RuleInfo, Span, Stated, Table, Unique,
};
use std::collections::BTreeSet;

model::declare_rule! {
    /// What it does: reports a bullet in a list of columns that cannot be read as one: its name is
    /// not an identifier, or it says something about a column the list does not have.
    ///
    /// Why it matters: the bullet is skipped, so the column it meant is missing from the schema.
    ///
    /// Example: `- user name: VARCHAR(40)` under `### columns` — write the name as one identifier
    /// (`` - `user_name`: VARCHAR(40) ``).
    pub UNREADABLE_COLUMN_BULLET = "unreadable-column-bullet", Info
}

model::declare_rule! {
    /// What it does: flags a column listed twice, with different types, in the bullets of one table.
    ///
    /// Why it matters: a table cannot have two columns of one name; one bullet is outdated. The
    /// first is kept.
    ///
    /// Example: `- email: TEXT` and later `- email: VARCHAR(80)` under `### users`.
    pub DUPLICATE_COLUMN_BULLET = "duplicate-column-bullet", Warning
}

/// The diagnostics column bullets can report.
pub const RULES: &[RuleInfo] = &[UNREADABLE_COLUMN_BULLET, DUPLICATE_COLUMN_BULLET];

/// What the paragraph right before a list says about it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) enum Label {
    /// `**SensorReading**`: the list gives that entity's fields.
    Entity { name: String, origin: Origin },
    /// `Columns:`, `**Key Columns**:`, `컬럼:`; `partial` when it names only some ("key", "주요").
    Columns { partial: bool },
    /// `Index:`, `**Indexes**:`, `인덱스:`.
    Indexes,
}

impl Label {
    /// The label a paragraph is, if it is one.
    pub(super) fn read(p: &TextItem, file: &std::sync::Arc<str>) -> Option<Label> {
        let text = p.text.trim();
        if let Some(head) = text.strip_suffix([':', '：']) {
            let head = head.trim().to_lowercase();
            if head.split_whitespace().count() <= 4 {
                if head.contains("index") || head.contains("인덱스") || head.contains("색인") {
                    return Some(Label::Indexes);
                }
                if COLUMN_WORDS.iter().any(|w| head.contains(w)) {
                    let partial = ["key", "main", "important", "주요", "핵심"].iter().any(|w| head.contains(w));
                    return Some(Label::Columns { partial });
                }
                // `Keys:`, `**Constraints**:`, `제약조건:`: the keys and indexes of the table.
                let head = head.trim_matches(['*', '_', ' ']);
                if matches!(head, "keys" | "constraints" | "keys and constraints" | "제약조건" | "제약 조건" | "키")
                {
                    return Some(Label::Indexes);
                }
            }
        }
        // `**Greenhouse**`, `**SensorReading** (센서 측정값)`, `**users** table`.
        let raw = p.raw.trim();
        let inner = raw.strip_prefix("**").or_else(|| raw.strip_prefix("__"))?;
        let close = inner.find("**").or_else(|| inner.find("__"))?;
        let name = inner[..close].trim().trim_matches('`');
        let after = inner[close + 2..].trim().trim_start_matches([':', '：']).trim();
        let remark = after.is_empty()
            || after.starts_with(['(', '—', '–', '-'])
            || matches!(after.to_lowercase().as_str(), "table" | "테이블" | "entity" | "model" | "엔티티");
        if !remark || after.chars().count() > 60 || !is_ascii_ident(name) {
            return None;
        }
        table_in_text(name, &BTreeSet::new(), true)?;
        let column = p.column + 2 + raw.find(name).map_or(0, |b| raw[..b].chars().count() as u32 - 2);
        Some(Label::Entity {
            name: name.to_string(),
            origin: Origin::new(file.clone(), p.line, column, model::Notation::List),
        })
    }
}

/// Words that say a label or heading is about columns.
const COLUMN_WORDS: &[&str] = &["column", "컬럼", "칼럼", "field", "필드", "attribute", "속성"];

/// Whether the innermost heading is a "columns" sub-heading (`### columns`, `#### 컬럼`).
fn heading_says_columns(item: &TextItem) -> bool {
    item.headings.last().is_some_and(|h| {
        let t = h.text.to_lowercase();
        t.split_whitespace().count() <= 3 && COLUMN_WORDS.iter().any(|w| t.contains(w))
    })
}

/// Words that head a key bullet or a label, never a column name.
fn is_key_word(w: &str) -> bool {
    matches!(
        w.trim().to_lowercase().as_str(),
        "pk" | "fk"
            | "uk"
            | "uq"
            | "primary key"
            | "primary"
            | "foreign key"
            | "foreign keys"
            | "unique"
            | "unique key"
            | "index"
            | "indexes"
            | "idx"
            | "key"
            | "keys"
            | "기본키"
            | "기본 키"
            | "외래키"
            | "외래 키"
            | "주키"
            | "인덱스"
            | "유니크"
            | "고유"
            | "references"
            | "note"
            | "notes"
            | "example"
            | "description"
            | "summary"
            | "todo"
            | "purpose"
    ) || is_columns_word(w)
}

fn is_columns_word(w: &str) -> bool {
    matches!(
        w.trim().to_lowercase().as_str(),
        "컬럼"
            | "칼럼"
            | "columns"
            | "column"
            | "fields"
            | "필드"
            | "속성"
            | "attributes"
            | "컬럼 목록"
            | "other columns"
    )
}

/// What one column bullet says about its column(s).
#[derive(Debug, Clone, Default)]
pub(super) struct Spec {
    pub ty: Option<DataType>,
    /// The type reads at the start of the description (not only in brackets).
    pub typed: bool,
    /// `Optional[…]`, `| null`.
    pub nullable: Option<bool>,
    /// `ForeignKey[T]`.
    pub references: Option<String>,
    pub words: Constraints,
    pub comment: Option<String>,
}

/// A bullet naming one or more columns.
#[derive(Debug, Clone)]
pub(super) struct ColumnBullet {
    pub names: Vec<String>,
    pub spec: Spec,
}

/// One comma-separated part of a bullet that lists columns (`컬럼: a, b`, a table bullet).
#[derive(Debug, Clone)]
pub(super) enum Segment {
    Column(ColumnBullet),
    /// `(book_id, genre_id) composite PK`.
    Group {
        columns: Vec<String>,
        words: Constraints,
    },
    /// `each an FK`: applies to the columns of the group before it.
    Each(Constraints),
}

/// What a bullet of a run is.
#[derive(Debug, Clone)]
pub(super) enum Bullet {
    Column(Box<ColumnBullet>),
    /// `컬럼: a, b` / `Columns: a, b`.
    Columns(Vec<Segment>),
    /// `` - `genres`: `id`, `title` varchar(40), … ``: a table and its columns.
    Table {
        name: String,
        segments: Vec<Segment>,
    },
    /// Anything else: keys, references, indexes, prose.
    Other,
}

/// Splits `s` at top-level occurrences of `sep` (outside brackets and quotes).
fn split_top(s: &str, sep: &[char]) -> Vec<String> {
    let mut out = Vec::new();
    let mut depth = 0i32;
    let mut quote: Option<char> = None;
    let mut cur = String::new();
    for c in s.chars() {
        match quote {
            Some(q) => {
                if c == q {
                    quote = None;
                }
            }
            None => match c {
                '\'' | '"' => quote = Some(c),
                '(' | '[' => depth += 1,
                ')' | ']' => depth -= 1,
                c if depth == 0 && sep.contains(&c) => {
                    out.push(std::mem::take(&mut cur));
                    continue;
                }
                _ => {}
            },
        }
        cur.push(c);
    }
    out.push(cur);
    out
}

/// The first top-level `:` of a bullet: (head, tail).
fn split_head(text: &str) -> Option<(&str, &str)> {
    let mut depth = 0i32;
    for (i, c) in text.char_indices() {
        match c {
            '(' | '[' => depth += 1,
            ')' | ']' => depth -= 1,
            ':' | '：' if depth == 0 => return Some((&text[..i], &text[i + c.len_utf8()..])),
            _ => {}
        }
    }
    None
}

/// Column names written as a list: `id`, `call_sign, region`, `a / b`, `a and b`.
fn names_of(head: &str) -> Option<Vec<String>> {
    let head = head.trim().trim_matches(['*', '_']).trim();
    if head.is_empty() || is_key_word(head) {
        return None;
    }
    let mut names = Vec::new();
    for part in head.split([',', '/', '、']).flat_map(|p| p.split(" and ")) {
        let n = part.trim().trim_matches(['`', '*', '"']).trim();
        if n.is_empty() {
            continue;
        }
        if !is_ascii_ident(n) || n.len() > 64 || is_key_word(n) {
            return None;
        }
        names.push(n.to_string());
    }
    (!names.is_empty()).then_some(names)
}

/// Whether a part of a description starts with a constraint word.
fn starts_constraint(part: &str) -> bool {
    let first =
        part.trim().split(|c: char| c.is_whitespace() || matches!(c, '(' | ':' | ',' | ';')).next().unwrap_or("");
    is_constraint_word(first)
        || matches!(
            first.to_uppercase().as_str(),
            "AUTO"
                | "AUTO_INCREMENT"
                | "NN"
                | "UQ"
                | "필수"
                | "기본키"
                | "외래키"
                | "고유"
                | "유니크"
                | "REF"
                | "SERIAL"
        )
}

/// Spellings of constraint words the constraint reader does not know.
fn normalize_words(s: &str) -> String {
    let lower = s.to_lowercase();
    let mut out = s.to_string();
    for spelled in ["auto-increment", "auto increment", "autoincrement"] {
        if let Some(i) = lower.find(spelled) {
            out.replace_range(i..i + spelled.len(), "AUTO_INCREMENT");
            break;
        }
    }
    out
}

/// Reads the description after a column's name: a type, then constraints and prose.
fn read_spec(tail: &str) -> Spec {
    let tail = tail.trim();
    let mut spec = Spec::default();
    let rest = match leading_type(tail) {
        Some(t) => {
            let rest = &tail[t.len..];
            let r = rest.trim_start();
            // A type is followed by nothing, a separator or a constraint: `JSON is used` is prose.
            let ends = r.is_empty() || r.starts_with([',', ';', '(', '-', '—', '–', '.']) || starts_constraint(r);
            if ends {
                spec.typed = t.ty.is_some() || t.references.is_some();
                spec.ty = t.ty;
                spec.nullable = t.nullable;
                spec.references = t.references;
                rest
            } else {
                tail
            }
        }
        None => tail,
    };
    let mut prose: Vec<String> = Vec::new();
    for (k, part) in split_top(rest, &[',', ';']).iter().enumerate() {
        let part = part.trim();
        // A dash before a remark is punctuation; `->` is an arrow.
        let part = if part.starts_with("->") { part } else { part.trim_start_matches(['-', '—', '–']).trim() };
        if part.is_empty() {
            continue;
        }
        if starts_constraint(part) {
            let part = normalize_words(part);
            spec.words.read(&part);
            // `(NOT NULL)`, `Primary key (SERIAL)`: what brackets hold counts too.
            for group in groups(&part) {
                if spec.ty.is_none() {
                    if let Some(t) = leading_type(group).filter(|t| t.len == group.len() && t.ty.is_some()) {
                        spec.ty = t.ty;
                        continue;
                    }
                }
                let mut inner = Constraints::default();
                inner.read(&normalize_words(group));
                merge_flags(&mut spec.words, &inner);
            }
        } else if k == 0 && spec.ty.is_none() {
            // `(NOT NULL)` or `(UUID)` right at the start.
            let g = part.strip_prefix('(').and_then(|p| p.strip_suffix(')'));
            match g.and_then(|g| leading_type(g).filter(|t| t.len == g.len())) {
                Some(t) => spec.ty = t.ty,
                None => prose.push(part.to_string()),
            }
        } else {
            prose.push(part.to_string());
        }
    }
    if !prose.is_empty() {
        spec.comment = Some(prose.join(", "));
    }
    spec
}

/// The contents of the top-level brackets of `s`.
fn groups(s: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let mut depth = 0;
    let mut start = 0;
    for (i, c) in s.char_indices() {
        match c {
            '(' => {
                if depth == 0 {
                    start = i + 1;
                }
                depth += 1;
            }
            ')' if depth > 0 => {
                depth -= 1;
                if depth == 0 {
                    out.push(&s[start..i]);
                }
            }
            _ => {}
        }
    }
    out
}

/// Adds the flags of `other` (not its references) to `words`.
fn merge_flags(words: &mut Constraints, other: &Constraints) {
    words.pk |= other.pk;
    words.unique |= other.unique;
    words.not_null |= other.not_null;
    words.nullable |= other.nullable && !other.not_null;
    words.auto |= other.auto;
    words.index |= other.index;
    words.bare_fk |= other.bare_fk;
}

/// Reads a bullet naming columns: `name: description`, `name — description`, `name (TYPE, PK)`,
/// `name TYPE constraints`, or names alone.
fn column_bullet(text: &str) -> Option<ColumnBullet> {
    let text = text.trim();
    if let Some((head, tail)) = split_head(text) {
        let names = names_of(head)?;
        return Some(ColumnBullet { names, spec: read_spec(tail) });
    }
    for sep in [" — ", " – ", " - "] {
        if let Some((head, tail)) = text.split_once(sep) {
            if let Some(names) = names_of(head) {
                return Some(ColumnBullet { names, spec: read_spec(tail) });
            }
        }
    }
    if let Some(names) = names_of(text) {
        return Some(ColumnBullet { names, spec: Spec::default() });
    }
    // `id (UUID, PK)`, `id UUID PK`.
    let end = text.find(|c: char| c.is_whitespace() || c == '(').unwrap_or(text.len());
    let (head, tail) = text.split_at(end);
    let names = names_of(head).filter(|n| n.len() == 1)?;
    let tail = tail.trim();
    let inner = tail.strip_prefix('(').and_then(|t| t.strip_suffix(')')).unwrap_or(tail);
    let spec = read_spec(inner);
    let said = spec.typed || spec.words != Constraints::default();
    said.then_some(ColumnBullet { names, spec })
}

/// Reads `a, b type constraints, (c, d) PK, each an FK` into segments; `None` when a part is not
/// a column.
fn segments(text: &str) -> Option<Vec<Segment>> {
    let mut out = Vec::new();
    for part in split_top(text, &[',', ';']) {
        let part = part.trim().trim_end_matches('.').trim();
        if part.is_empty() {
            continue;
        }
        let lower = part.to_lowercase();
        let first = lower.split_whitespace().next().unwrap_or("");
        if matches!(first, "each" | "both" | "all" | "각각" | "모두" | "둘") {
            let mut words = Constraints::default();
            words.read(part);
            if words == Constraints::default() {
                return None;
            }
            out.push(Segment::Each(words));
            continue;
        }
        if let Some(inner) = part.strip_prefix('(') {
            let close = inner.find(')')?;
            let columns = names_of(&inner[..close])?;
            let mut words = Constraints::default();
            words.read(&normalize_words(&inner[close + 1..]));
            out.push(Segment::Group { columns, words });
            continue;
        }
        let end = part.find(|c: char| c.is_whitespace() || c == '(').unwrap_or(part.len());
        let names = names_of(&part[..end]).filter(|n| n.len() == 1)?;
        let spec = read_spec(&part[end..]);
        if spec.comment.is_some() && !spec.typed {
            return None;
        }
        out.push(Segment::Column(ColumnBullet { names, spec }));
    }
    (!out.is_empty()).then_some(out)
}

/// Classifies one bullet of a run.
/// `table` is the table the surroundings name; `known` the tables other notations define.
pub(super) fn classify(item: &TextItem, table: Option<&str>, known: &BTreeSet<String>) -> Bullet {
    let text = item.text.trim();
    if let Some((head, tail)) = split_head(text) {
        let h = head.trim().trim_matches(['*', '`']).trim();
        if is_columns_word(h) {
            return match segments(tail) {
                Some(s) => Bullet::Columns(s),
                None => Bullet::Other,
            };
        }
        // One bullet per table: its name, then at least two columns, written as code or typed.
        if let (Some(names), Some(segs)) = (names_of(head), segments(tail)) {
            // Under another table, `status: `open`, `closed`` is a column and its values.
            let in_heading = item
                .headings
                .last()
                .is_some_and(|h| crate::context::identifiers(&h.text).iter().any(|w| name_eq(w, &names[0])));
            let own =
                table.is_none_or(|t| name_eq(t, &names[0])) || in_heading || resolve_known(&names[0], known).is_some();
            let code_written = item.code_spans.len() >= segs.len().max(2);
            let typed = segs.iter().any(|s| matches!(s, Segment::Column(c) if c.spec.typed));
            let first_is_type = leading_type(tail).is_some_and(|t| t.ty.is_some() || t.references.is_some());
            if names.len() == 1 && segs.len() >= 2 && own && (code_written || typed) && !first_is_type {
                return Bullet::Table { name: names[0].clone(), segments: segs };
            }
        }
    }
    match column_bullet(text) {
        Some(c) => Bullet::Column(Box::new(c)),
        None => Bullet::Other,
    }
}

/// Whether a bullet that is not a column still tries to say something about one: a name that
/// is not an identifier followed by a type (`- user name: VARCHAR(40)`).
pub(super) fn looks_like_a_column(text: &str) -> Option<String> {
    let (head, tail) = split_head(text)?;
    let head = head.trim();
    if head.is_empty() || is_key_word(head) || head.chars().count() > 40 {
        return None;
    }
    let spec = read_spec(tail);
    spec.typed.then(|| head.to_string())
}

/// Tables the bullets define, and references to resolve once every table is known.
#[derive(Default)]
pub(super) struct State {
    /// Name keys of tables bullets give columns to.
    pub defined: BTreeSet<String>,
    bare_fks: Vec<(String, String, Origin, Span)>,
}

/// Where one bullet's columns go.
pub(super) struct Target<'a> {
    pub table: String,
    pub table_origin: Origin,
    /// Another notation defines the table: bullets describe it, they do not add key columns.
    pub known: bool,
    pub cx: &'a Cx<'a>,
}

impl State {
    /// The index of `table` in `out`, defined by bullets from now on.
    pub(super) fn define(&mut self, out: &mut Partial, table: &str, origin: &Origin) -> usize {
        self.defined.insert(name_key(table));
        out.table_slot(table, origin)
    }

    /// Adds the columns of one bullet to the target table.
    pub(super) fn add_columns(&mut self, out: &mut Partial, at: &Target, bullet: &ColumnBullet) {
        let i = self.define(out, &at.table, &at.table_origin);
        let spec = &bullet.spec;
        let w = &spec.words;
        for name in &bullet.names {
            let origin = at.cx.origin_of(name);
            let ty = spec.ty.clone().map(quote_labels).unwrap_or_else(DataType::unstated);
            let mut col = Column::new(name.clone(), ty, origin.clone());
            // NOTE: a key column is NOT NULL whatever else the bullet says.
            let single_key = bullet.names.len() == 1 && w.pk;
            let not_null = w.not_null || single_key;
            let nullable = spec.nullable == Some(true) || (w.nullable && !not_null);
            col.nullable = !not_null;
            col.stated = Stated { nullable: not_null || nullable, default: w.default.is_some() };
            col.default = w.default.as_deref().map(bullet_default);
            col.on_update = w.on_update.clone();
            if w.auto {
                col.identity = Some(Identity::AutoIncrement);
            } else if is_serial(&col.ty.spelling) {
                col.identity = Some(Identity::Serial);
            }
            col.comment = spec.comment.clone();
            let table = &mut out.schema.tables[i];
            let table_name = table.name.clone();
            match table.column_mut(name) {
                None => table.columns.push(col),
                Some(existing) if existing.ty.is_unstated() || col.ty.is_unstated() || existing.ty == col.ty => {
                    if existing.ty.is_unstated() {
                        existing.ty = col.ty;
                    }
                    if col.stated.nullable {
                        existing.nullable = col.nullable;
                        existing.stated.nullable = true;
                    }
                    if col.stated.default && !existing.stated.default {
                        existing.default = col.default;
                        existing.stated.default = true;
                    }
                    existing.identity = existing.identity.or(col.identity);
                    existing.comment = existing.comment.take().or(col.comment);
                }
                Some(existing) => {
                    let d = DUPLICATE_COLUMN_BULLET
                        .at(
                            at.cx.span_at(&origin, name),
                            format!("column `{table_name}.{name}` is listed again with type `{}`", col.ty.spelling),
                        )
                        .with_related(
                            Span::from(&existing.origin),
                            format!("first listed as `{}`", existing.ty.spelling),
                        );
                    out.diagnostics.push(d);
                    continue;
                }
            }
            let table = &mut out.schema.tables[i];
            if single_key {
                add_to_key(table, std::slice::from_ref(name), &origin);
            }
            if w.unique && bullet.names.len() == 1 && !table.is_unique_key(std::slice::from_ref(name)) {
                table.uniques.push(Unique { name: None, columns: vec![name.clone()], origin: origin.clone() });
            }
            if let Some(expr) = &w.check {
                table.checks.push(model::Check {
                    name: None,
                    expr: expr.clone(),
                    columns: vec![name.clone()],
                    origin: origin.clone(),
                });
            }
            let target = w.fk.as_ref().map(|f| (f.table.clone(), f.columns.clone(), f.on_delete, f.on_update));
            let target = target.or_else(|| spec.references.clone().map(|t| (t, Vec::new(), None, None)));
            match target {
                Some((ref_table, ref_columns, on_delete, on_update))
                    if !table.foreign_keys.iter().any(|f| f.columns.len() == 1 && name_eq(&f.columns[0], name)) =>
                {
                    table.foreign_keys.push(ForeignKey {
                        name: None,
                        columns: vec![name.clone()],
                        ref_table,
                        ref_columns,
                        on_delete,
                        on_update,
                        inferred: false,
                        origin: origin.clone(),
                    });
                }
                Some(_) => {}
                None if w.bare_fk => {
                    let span = at.cx.span_at(&origin, name);
                    self.bare_fks.push((table.name.clone(), name.clone(), origin.clone(), span));
                }
                None => {}
            }
            if w.index && !w.pk && !w.unique {
                let table_name = table.name.clone();
                out.schema.indexes.push(Index {
                    name: None,
                    table: table_name,
                    parts: vec![IndexPart::column(name.clone())],
                    unique: false,
                    method: None,
                    predicate: None,
                    include: Vec::new(),
                    origin: origin.clone(),
                });
            }
        }
        if bullet.names.len() > 1 {
            let origin = at.cx.origin_of(&bullet.names[0]);
            let table = &mut out.schema.tables[i];
            if w.pk && table.primary_key.is_none() {
                table.primary_key = Some(PrimaryKey { name: None, columns: bullet.names.clone(), origin });
            } else if w.unique && !table.is_unique_key(&bullet.names) {
                table.uniques.push(Unique { name: None, columns: bullet.names.clone(), origin });
            }
        }
    }

    /// Adds what a list of segments says: columns, a composite key, references on each column.
    pub(super) fn add_segments(&mut self, out: &mut Partial, at: &Target, segments: &[Segment]) {
        let i = self.define(out, &at.table, &at.table_origin);
        let mut last_group: Vec<String> = Vec::new();
        for seg in segments {
            match seg {
                Segment::Column(c) => self.add_columns(out, at, c),
                Segment::Group { columns, words } => {
                    let bullet =
                        ColumnBullet { names: columns.clone(), spec: Spec { words: words.clone(), ..Spec::default() } };
                    self.add_columns(out, at, &bullet);
                    last_group.clone_from(columns);
                }
                Segment::Each(words) => {
                    for name in &last_group {
                        let bullet = ColumnBullet {
                            names: vec![name.clone()],
                            spec: Spec { words: Constraints { pk: false, ..words.clone() }, ..Spec::default() },
                        };
                        self.add_columns(out, at, &bullet);
                    }
                    if words.pk && !last_group.is_empty() {
                        let origin = at.cx.origin_of(&last_group[0]);
                        let table = &mut out.schema.tables[i];
                        if table.primary_key.is_none() {
                            table.primary_key = Some(PrimaryKey { name: None, columns: last_group.clone(), origin });
                        }
                    }
                }
            }
        }
    }

    /// Makes sure the columns keys name exist in a table only bullets define (untyped where no
    /// bullet gives a type); keys of tables other notations define are left to the merge.
    pub(super) fn add_key_columns(&mut self, out: &mut Partial, at: &Target, columns: &[String], not_null: bool) {
        if at.known {
            return;
        }
        let i = self.define(out, &at.table, &at.table_origin);
        for name in columns {
            let origin = at.cx.origin_of(name);
            let table = &mut out.schema.tables[i];
            let in_pk = table.primary_key.as_ref().is_some_and(|pk| pk.columns.iter().any(|c| name_eq(c, name)));
            let col = match table.column_mut(name) {
                Some(c) => c,
                None => {
                    table.columns.push(Column::new(name.clone(), DataType::unstated(), origin));
                    table.columns.last_mut().expect("just pushed")
                }
            };
            if not_null || in_pk {
                col.nullable = false;
                col.stated.nullable = true;
            }
        }
    }

    /// Resolves references written without a target (`each an FK`) and hands the defined tables
    /// over as definitions.
    pub(super) fn finish(self, out: &mut Partial, known: &BTreeSet<String>) {
        let mut all: BTreeSet<String> = known.clone();
        all.extend(out.schema.tables.iter().map(|t| name_key(&t.name)));
        for key in &self.defined {
            out.altered_only.remove(key);
        }
        for (table, column, origin, span) in self.bare_fks {
            let Some(t) = out.schema.table_mut(&table) else { continue };
            if t.foreign_keys.iter().any(|f| f.columns.iter().any(|c| name_eq(c, &column))) {
                continue;
            }
            match fk_target_from_column(&column, &all) {
                Some(target) => t.foreign_keys.push(ForeignKey {
                    name: None,
                    columns: vec![column],
                    ref_table: resolve_known(&target, &all).unwrap_or(target),
                    ref_columns: Vec::new(),
                    on_delete: None,
                    on_update: None,
                    inferred: true,
                    origin: Origin::inferred_from(&origin),
                }),
                None => out.diagnostics.push(
                    UNATTACHED_LIST_ITEM
                        .at(
                            span,
                            format!(
                                "`{table}.{column}` is said to be a foreign key but names no target; it is skipped"
                            ),
                        )
                        .with_help(format!("write the target: `{column} → other_table.id`")),
                ),
            }
        }
    }
}

/// `enum(open, done)` (the labels written as code) as SQL spells it: `enum('open', 'done')`.
fn quote_labels(ty: DataType) -> DataType {
    let lower = ty.spelling.to_ascii_lowercase();
    let Some(open) = ty.spelling.find('(') else { return ty };
    if !(lower.starts_with("enum") || lower.starts_with("set")) || !ty.spelling.ends_with(')') {
        return ty;
    }
    let inner = &ty.spelling[open + 1..ty.spelling.len() - 1];
    if inner.contains(['\'', '"']) {
        return ty;
    }
    let labels: Vec<String> = inner.split(',').map(|l| format!("'{}'", l.trim())).collect();
    let spelling = format!("{}({})", ty.spelling[..open].trim_end(), labels.join(", "));
    crate::types::parse_sql_type(&spelling)
}

/// Adds `columns` to the primary key of `table` (a bullet per key column builds a composite key).
fn add_to_key(table: &mut Table, columns: &[String], origin: &Origin) {
    match table.primary_key.as_mut() {
        Some(pk) => {
            for c in columns {
                if !pk.columns.iter().any(|x| name_eq(x, c)) {
                    pk.columns.push(c.clone());
                }
            }
        }
        None => table.primary_key = Some(PrimaryKey { name: None, columns: columns.to_vec(), origin: origin.clone() }),
    }
}

/// A default written in a bullet: a bare word (`` default `open` ``) is a string.
fn bullet_default(text: &str) -> DefaultValue {
    match parse_loose_default(text) {
        DefaultValue::Raw(r) if is_ascii_ident(&r) => DefaultValue::String(r),
        d => d,
    }
}

/// Whether a run of bullets is a list of columns: a label or heading says so, a bullet lists
/// columns (`컬럼: …`), or most bullets shaped like columns carry a type.
pub(super) fn is_column_run(bullets: &[Bullet], label: Option<&Label>, first: &TextItem) -> bool {
    if matches!(label, Some(Label::Columns { .. } | Label::Entity { .. })) || heading_says_columns(first) {
        return true;
    }
    if bullets.iter().any(|b| matches!(b, Bullet::Columns(_))) {
        return true;
    }
    let shaped = bullets.iter().filter(|b| matches!(b, Bullet::Column(_))).count();
    let typed = bullets.iter().filter(|b| matches!(b, Bullet::Column(c) if c.spec.typed)).count();
    typed > 0 && typed * 2 >= shaped
}

#[cfg(test)]
mod tests {
    use super::*;

    fn col(text: &str) -> Option<(Vec<String>, Option<String>, bool, Constraints)> {
        column_bullet(text).map(|c| (c.names, c.spec.ty.map(|t| t.kind.to_string()), c.spec.typed, c.spec.words))
    }

    #[test]
    fn column_bullets_of_every_shape() {
        let (names, ty, typed, w) = col("id: BIGINT UNSIGNED PK, auto-increment").unwrap();
        assert_eq!(
            (names, ty.as_deref(), typed, w.pk, w.auto),
            (vec!["id".to_string()], Some("bigint"), true, true, true)
        );
        let (_, ty, _, w) = col("bike_serial: VARCHAR(40), NOT NULL, unique").unwrap();
        assert_eq!((ty.as_deref(), w.not_null, w.unique), (Some("varchar(40)"), true, true));
        let (_, _, _, w) = col("mechanic_id: BIGINT UNSIGNED FK -> mechanics(id)").unwrap();
        let fk = w.fk.unwrap();
        assert_eq!((fk.table.as_str(), fk.columns), ("mechanics", vec!["id".to_string()]));
        let (names, ty, typed, _) = col("opened_at, closed_at").unwrap();
        assert_eq!((names.len(), ty, typed), (2, None, false));
        let (_, ty, typed, w) = col("id: Primary key (SERIAL)").unwrap();
        assert_eq!((ty.as_deref(), typed, w.pk), (Some("integer"), false, true));
        let (names, _, _, w) = col("call_sign, region: Unique station identity").unwrap();
        assert_eq!((names.len(), w.unique), (2, true));
        let c = column_bullet("installed_on: Installation date").unwrap();
        assert_eq!((c.spec.ty, c.spec.comment.as_deref()), (None, Some("Installation date")));
        assert_eq!(col("id (UUID, PK)").map(|c| (c.1, c.3.pk)), Some((Some("uuid".to_string()), true)));
        assert_eq!(col("telescope — VARCHAR(60), NOT NULL").map(|c| c.1), Some(Some("varchar(60)".to_string())));
    }

    #[test]
    fn keys_labels_and_prose_are_not_columns() {
        for text in ["PK: id", "FK: harbor_id -> harbors.id", "Note: JSON is used", "user name: VARCHAR(4)"] {
            assert!(col(text).is_none_or(|c| !c.2), "{text}");
        }
        assert!(col("Coordinates use the PostGIS geography(Spatial Index) POINT type.").is_none());
        assert_eq!(col("Note: stored as JSON"), None);
    }

    #[test]
    fn table_bullets_and_segments() {
        let item = |text: &str, spans: &[&str]| TextItem {
            text: text.into(),
            raw: text.into(),
            line: 1,
            column: 1,
            headings: Vec::new(),
            code_spans: spans.iter().map(|s| s.to_string()).collect(),
        };
        let b = classify(
            &item(
                "genres: id, title varchar(40) UNIQUE NOT NULL, sort_key smallint",
                &["genres", "id", "title", "sort_key"],
            ),
            None,
            &BTreeSet::new(),
        );
        let Bullet::Table { name, segments } = b else { panic!("{b:?}") };
        assert_eq!((name.as_str(), segments.len()), ("genres", 3));
        let b = classify(
            &item("book_genres: (book_id, genre_id) composite PK, each an FK", &["book_genres", "(book_id, genre_id)"]),
            None,
            &BTreeSet::new(),
        );
        let Bullet::Table { segments, .. } = b else { panic!("{b:?}") };
        assert!(matches!(&segments[0], Segment::Group { columns, words } if columns.len() == 2 && words.pk));
        assert!(matches!(&segments[1], Segment::Each(w) if w.bare_fk));
        assert!(
            matches!(classify(&item("컬럼: name, country_code", &["name", "country_code"]), None, &BTreeSet::new()), Bullet::Columns(s) if s.len() == 2)
        );
        assert!(matches!(classify(&item("id: UUID, PK", &[]), Some("t"), &BTreeSet::new()), Bullet::Column(_)));
        // A column listing its values under a table is not a table.
        let status = item("status: open, closed", &["status", "open", "closed"]);
        assert!(matches!(classify(&status, Some("orders"), &BTreeSet::new()), Bullet::Column(_)));
        // A prose list after a colon is not a table.
        assert!(!matches!(
            classify(&item("roles: admin, user, guest", &[]), None, &BTreeSet::new()),
            Bullet::Table { .. }
        ));
    }
}
