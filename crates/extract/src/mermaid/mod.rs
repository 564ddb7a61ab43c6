//! Mermaid erDiagram front-end: entities with attributes become tables; foreign keys come from
//! `FK` marks, matched to relationship lines or, failing that, to column names.
//!
//! An ERD states types only as families and says nothing about nullability or defaults unless
//! an attribute's comment does ("NOT NULL"), so columns are marked as not stating them.

mod pairing;
mod parse;

use crate::context::resolve_known;
use crate::frontend::Partial;
use crate::scan::{BlockLang, Document, Item};
use crate::types::{parse_loose_default, parse_loose_type};
use model::{
    name_key, singular_plural_variants, Column, DefaultValue, ForeignKey, Identity, Notation, Origin, PrimaryKey,
    RuleInfo, Span, Stated, Table, TypeKind, Unique,
};
use parse::{Attribute, Card, Key, Pos};
use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::sync::Arc;

model::declare_rule! {
    /// What it does: flags erDiagram lines that are neither an entity, an attribute nor a
    /// relationship, and entity blocks that are not closed.
    ///
    /// Why it matters: Mermaid refuses to draw the diagram, and what the line meant is not in the
    /// schema.
    ///
    /// Example: `string` alone in an entity block (an attribute needs `type name`).
    pub MERMAID_SYNTAX_ERROR = "mermaid-syntax-error", Warning
}

model::declare_rule! {
    /// What it does: notes an attribute marked `FK` whose referenced entity cannot be told: no
    /// relationship line links its entity to a parent, and its name names no entity.
    ///
    /// Why it matters: no foreign key can be made, so the reference is not enforced or checked.
    ///
    /// Example: `string owner FK` with no relationship line and no `OWNER` entity.
    pub MERMAID_FOREIGN_KEY_TARGET_UNKNOWN = "mermaid-foreign-key-target-unknown", Info
}

model::declare_rule! {
    /// What it does: notes a relationship line that no attribute carries: neither an `FK`
    /// attribute nor a column named after the parent (`user_id`) is in the child entity, or the
    /// relationship is many-to-many.
    ///
    /// Why it matters: the diagram shows a link the tables cannot hold; a many-to-many link needs
    /// a join table.
    ///
    /// Example: `USERS ||--o{ POSTS : writes` where `POSTS` has no `user_id`.
    pub MERMAID_RELATIONSHIP_WITHOUT_FOREIGN_KEY = "mermaid-relationship-without-foreign-key", Info
}

model::declare_rule! {
    /// What it does: flags an attribute named twice in one entity with a different type or keys
    /// (across all erDiagrams of the documents).
    ///
    /// Why it matters: only the first is used; the diagrams disagree with each other.
    ///
    /// Example: `USERS { string id PK }` in one diagram and `USERS { int id PK }` in another.
    pub MERMAID_DUPLICATE_ATTRIBUTE = "mermaid-duplicate-attribute", Warning
}

model::declare_rule! {
    /// What it does: notes an entity block without attributes (`USERS { }`).
    ///
    /// Why it matters: it names a table but states none of its columns; the table is declared
    /// by name only (compared by existence, never created) until some notation states them.
    ///
    /// Example: `USERS { }`.
    pub MERMAID_ENTITY_WITHOUT_ATTRIBUTES = "mermaid-entity-without-attributes", Info
}

/// The rules this front-end reports.
pub const RULES: &[RuleInfo] = &[
    MERMAID_SYNTAX_ERROR,
    MERMAID_FOREIGN_KEY_TARGET_UNKNOWN,
    MERMAID_RELATIONSHIP_WITHOUT_FOREIGN_KEY,
    MERMAID_DUPLICATE_ATTRIBUTE,
    MERMAID_ENTITY_WITHOUT_ATTRIBUTES,
];

/// An entity with attributes, merged over all diagrams.
struct Entity {
    name: String,
    file: Arc<str>,
    pos: Pos,
    attrs: Vec<(Arc<str>, Attribute)>,
}

/// A parent → child link from a relationship line.
struct Edge {
    child: String,
    parent: String,
    file: Arc<str>,
    pos: Pos,
    /// How many characters the relationship line takes.
    len: u32,
    /// Index of the relationship line (both directions of a one-to-one line share it).
    line: usize,
    /// False for the less likely direction of a one-to-one line.
    primary: bool,
    /// The line's label (`cook` in `Recipe }o--|| Member : cook`).
    label: String,
}

fn origin(file: &Arc<str>, pos: Pos) -> Origin {
    Origin::new(file.clone(), pos.line, pos.column, Notation::Mermaid)
}

/// The span of `len` characters at `pos`.
fn span(file: &Arc<str>, pos: Pos, len: u32) -> Span {
    Span::new(file.clone(), pos.line, pos.column, len)
}

/// The span of a name written at `pos`.
fn name_span(file: &Arc<str>, pos: Pos, name: &str) -> Span {
    span(file, pos, name.chars().count() as u32)
}

/// Reads every ```mermaid `erDiagram` block of `docs`; other diagram types are skipped.
pub fn extract(docs: &[Document]) -> Partial {
    let mut partial = Partial::new(Notation::Mermaid);
    let mut entities: Vec<Entity> = Vec::new();
    // Entity key → its position in `entities`.
    let mut entity_at: HashMap<String, usize> = HashMap::new();
    // Entity key → spelling, for entities named only in relationships or alone on a line.
    let mut mentioned: BTreeMap<String, String> = BTreeMap::new();
    // Entity key → where it is first named.
    let mut first_named: BTreeMap<String, (Arc<str>, Pos)> = BTreeMap::new();
    let mut rels: Vec<(Arc<str>, parse::Relationship)> = Vec::new();
    let mut empties: Vec<(Arc<str>, parse::EntityRef)> = Vec::new();
    for doc in docs {
        for item in &doc.items {
            let Item::Block(block) = item else { continue };
            if block.lang != BlockLang::Mermaid {
                continue;
            }
            let Some(d) = parse::parse(block) else { continue };
            partial.mark_read(&doc.file, block.fence_line);
            for e in d.errors {
                partial.diagnostics.push(MERMAID_SYNTAX_ERROR.at(span(&doc.file, e.pos, e.len), e.message));
            }
            for block in d.entities {
                let key = name_key(&block.entity.name);
                let attrs = block.attrs.into_iter().map(|a| (doc.file.clone(), a));
                match entity_at.get(&key) {
                    Some(&i) => entities[i].attrs.extend(attrs),
                    None => {
                        entity_at.insert(key, entities.len());
                        entities.push(Entity {
                            name: block.entity.name,
                            file: doc.file.clone(),
                            pos: block.entity.pos,
                            attrs: attrs.collect(),
                        });
                    }
                }
            }
            for m in d.mentions {
                first_named.entry(name_key(&m.name)).or_insert((doc.file.clone(), m.pos));
                mentioned.entry(name_key(&m.name)).or_insert(m.name);
            }
            empties.extend(d.empty.into_iter().map(|e| (doc.file.clone(), e)));
            rels.extend(d.relationships.into_iter().map(|r| (doc.file.clone(), r)));
        }
    }
    let defined: BTreeSet<String> = entities.iter().map(|e| name_key(&e.name)).collect();
    for (file, e) in empties {
        if !defined.contains(&name_key(&e.name)) {
            first_named.entry(name_key(&e.name)).or_insert((file.clone(), e.pos));
            mentioned.entry(name_key(&e.name)).or_insert(e.name.clone());
            partial.diagnostics.push(MERMAID_ENTITY_WITHOUT_ATTRIBUTES.at(
                span(&file, e.pos, e.len),
                format!("entity `{}` has no attributes; the table is declared with its columns not stated", e.name),
            ));
        }
    }
    // The entity a relationship name means: a defined entity (also by singular/plural), else itself.
    let resolve = |name: &str| resolve_known(name, &defined).unwrap_or_else(|| name_key(name));
    let mut all_keys: BTreeSet<String> = defined.clone();
    all_keys.extend(mentioned.keys().filter(|k| resolve(k) == **k).cloned());
    let spelling = |key: &str| -> String {
        entity_at
            .get(key)
            .map(|&i| entities[i].name.clone())
            .or_else(|| mentioned.get(key).cloned())
            .unwrap_or_else(|| key.to_string())
    };

    let mut tables: Vec<Table> = entities.iter().map(|e| lower_entity(e, &mut partial.diagnostics)).collect();
    // Entities only named (in relationship lines, or with an empty block): tables known by name,
    // their columns not stated.
    let mut named_only: Vec<Table> = all_keys
        .iter()
        .filter(|k| !defined.contains(*k))
        .filter_map(|k| first_named.get(k).map(|(file, pos)| Table::declared(spelling(k), origin(file, *pos))))
        .collect();
    named_only.sort_by(|a, b| a.origin.cmp(&b.origin));
    tables.extend(named_only);

    let mut edges: Vec<Edge> = Vec::new();
    for (line, (file, r)) in rels.iter().enumerate() {
        let (a, b) = (resolve(&r.left.name), resolve(&r.right.name));
        let mut push = |child: &str, parent: &str, primary: bool| {
            edges.push(Edge {
                child: child.to_string(),
                parent: parent.to_string(),
                file: file.clone(),
                pos: r.pos,
                len: r.len,
                line,
                primary,
                label: r.label.clone(),
            })
        };
        match (r.left_card.many(), r.right_card.many()) {
            (false, true) => push(&b, &a, true),
            (true, false) => push(&a, &b, true),
            (true, true) => partial.diagnostics.push(MERMAID_RELATIONSHIP_WITHOUT_FOREIGN_KEY.at(
                span(file, r.pos, r.len),
                format!(
                    "`{}` and `{}` are related many-to-many; no foreign key can hold that (a join table is needed)",
                    r.left.name, r.right.name
                ),
            )),
            // One-to-one: the optional side usually holds the key; try that first.
            (false, false) if r.left_card == Card::ZeroOrOne && r.right_card != Card::ZeroOrOne => {
                push(&a, &b, true);
                push(&b, &a, false);
            }
            // Both sides alike: neither direction is more likely; only column names can tell.
            (false, false) => {
                push(&b, &a, false);
                push(&a, &b, false);
            }
        }
    }

    // Table key → its first position in `tables`.
    let mut table_at: HashMap<String, usize> = HashMap::new();
    for (i, t) in tables.iter().enumerate() {
        table_at.entry(name_key(&t.name)).or_insert(i);
    }
    let pk_of = |tables: &[Table], key: &str| -> Vec<String> {
        table_at
            .get(key)
            .and_then(|&i| tables[i].primary_key.as_ref())
            .filter(|pk| pk.columns.len() == 1)
            .map(|pk| pk.columns.clone())
            .unwrap_or_default()
    };

    // Foreign keys of attributes marked FK, paired with their relationship lines.
    let mut used_lines: BTreeSet<usize> = BTreeSet::new();
    let mut new_fks: Vec<(usize, ForeignKey)> = Vec::new();
    let mut edges_of_child: HashMap<&str, Vec<&Edge>> = HashMap::new();
    for x in &edges {
        edges_of_child.entry(x.child.as_str()).or_default().push(x);
    }
    for (ti, e) in entities.iter().enumerate() {
        let child = name_key(&e.name);
        let mine: Vec<&Edge> = edges_of_child.get(child.as_str()).cloned().unwrap_or_default();
        let linked: BTreeSet<String> = mine.iter().map(|x| x.parent.clone()).collect();
        let mut fk_attrs: Vec<&(Arc<str>, Attribute)> =
            first_attrs(e).into_iter().filter(|(_, a)| a.keys.contains(&Key::Fk)).collect();
        // A line labelled with several FK attributes (`warehouse_id, sku`, as schemadoc labels a
        // composite foreign key) is one foreign key over them all.
        for x in &mine {
            let names: Vec<&str> = x.label.split(',').map(str::trim).filter(|n| !n.is_empty()).collect();
            if names.len() < 2 || used_lines.contains(&x.line) {
                continue;
            }
            let found: Option<Vec<&Attribute>> = names
                .iter()
                .map(|n| fk_attrs.iter().map(|(_, a)| a).find(|a| name_key(&a.name) == name_key(n)))
                .collect();
            let Some(columns) = found else { continue };
            let ref_columns = table_at
                .get(&x.parent)
                .and_then(|&i| tables[i].primary_key.as_ref())
                .filter(|pk| pk.columns.len() == columns.len())
                .map(|pk| pk.columns.clone())
                .unwrap_or_default();
            let (on_delete, on_update) = columns[0].comment.as_deref().map(pairing::actions).unwrap_or_default();
            used_lines.insert(x.line);
            new_fks.push((
                ti,
                ForeignKey {
                    name: None,
                    columns: columns.iter().map(|a| a.name.clone()).collect(),
                    ref_table: spelling(&x.parent),
                    ref_columns,
                    on_delete,
                    on_update,
                    inferred: false,
                    origin: origin(&x.file, x.pos),
                },
            ));
            fk_attrs.retain(|(_, a)| !names.iter().any(|n| name_key(n) == name_key(&a.name)));
        }
        let attrs: Vec<&Attribute> = fk_attrs.iter().map(|(_, a)| a).collect();
        let names_other = |column: &str| {
            stems(column).iter().any(|s| resolve_known(s, &all_keys).is_some_and(|k| !linked.contains(&k)))
        };
        let pairs = pairing::pair(&attrs, &mine, &mut used_lines, &names_other);
        for ((file, a), paired) in fk_attrs.iter().zip(pairs) {
            let chosen: Option<(String, bool, Origin)> =
                paired.map(|(x, how)| (mine[x].parent.clone(), how.inferred(), origin(&mine[x].file, mine[x].pos)));
            let chosen = chosen.or_else(|| {
                stems(&a.name)
                    .iter()
                    .find_map(|s| resolve_known(s, &all_keys))
                    .map(|target| (target, true, origin(file, a.pos)))
            });
            let (on_delete, on_update) = a.comment.as_deref().map(pairing::actions).unwrap_or_default();
            match chosen {
                Some((target, inferred, origin)) => new_fks.push((
                    ti,
                    ForeignKey {
                        name: None,
                        columns: vec![a.name.clone()],
                        ref_table: spelling(&target),
                        ref_columns: pk_of(&tables, &target),
                        on_delete,
                        on_update,
                        inferred,
                        origin,
                    },
                )),
                None => partial.diagnostics.push(
                    MERMAID_FOREIGN_KEY_TARGET_UNKNOWN
                        .at(
                            name_span(file, a.pos, &a.name),
                            format!(
                                "`{}.{}` is marked FK, but no relationship line or entity name says what it references; \
                                 no foreign key is made",
                                e.name, a.name
                            ),
                        )
                        .with_help("add a relationship line (`PARENT ||--o{ CHILD : label`)"),
                ),
            }
        }
    }

    // Tables only named, by entity key.
    let named_only: BTreeMap<String, usize> =
        tables.iter().enumerate().filter(|(_, t)| t.is_declared_only()).map(|(i, t)| (name_key(&t.name), i)).collect();
    // Relationship lines no FK mark used: a column named after the parent carries them.
    let mut lines: Vec<usize> = edges.iter().map(|x| x.line).collect();
    lines.dedup();
    let mut edges_on_line: HashMap<usize, Vec<&Edge>> = HashMap::new();
    for x in &edges {
        edges_on_line.entry(x.line).or_default().push(x);
    }
    for line in lines {
        if used_lines.contains(&line) {
            continue;
        }
        let mut made = false;
        let mut any_table = false;
        // A column named after the parent that another relationship line's foreign key already holds.
        let mut held: Option<(String, String, Origin)> = None;
        for x in edges_on_line.get(&line).into_iter().flatten() {
            let Some(&ti) = entity_at.get(&x.child) else { continue };
            any_table = true;
            let Some(col) = column_for_parent(&tables[ti], &x.parent) else { continue };
            let holder = tables[ti]
                .foreign_keys
                .iter()
                .chain(new_fks.iter().filter(|(i, _)| *i == ti).map(|(_, f)| f))
                .find(|f| f.columns.iter().any(|fc| name_key(fc) == name_key(&col)));
            if let Some(f) = holder {
                if held.is_none() {
                    held = Some((format!("{}.{}", tables[ti].name, col), f.ref_table.clone(), f.origin.clone()));
                }
                continue;
            }
            new_fks.push((
                ti,
                ForeignKey {
                    name: None,
                    columns: vec![col],
                    ref_table: spelling(&x.parent),
                    ref_columns: pk_of(&tables, &x.parent),
                    on_delete: None,
                    on_update: None,
                    // NOTE: the column was chosen by its name; the relationship line names only entities.
                    inferred: true,
                    origin: origin(&x.file, x.pos),
                },
            ));
            made = true;
            break;
        }
        if !made && !any_table {
            // Neither side has attributes: the tables are related, through columns not stated.
            // The relationship is kept as a foreign key without columns; no name is invented.
            let chosen = edges.iter().filter(|x| x.line == line).min_by_key(|x| !x.primary);
            if let Some(x) = chosen {
                if let Some(&ti) = named_only.get(&x.child) {
                    new_fks.push((
                        ti,
                        ForeignKey {
                            name: None,
                            columns: Vec::new(),
                            ref_table: spelling(&x.parent),
                            ref_columns: Vec::new(),
                            on_delete: None,
                            on_update: None,
                            // The target is written; only the columns are not (nor, on a
                            // one-to-one line, which side holds them).
                            inferred: false,
                            origin: origin(&x.file, x.pos),
                        },
                    ));
                }
            }
        }
        if !made && any_table {
            let Some(x) = edges.iter().find(|x| x.line == line) else { continue };
            if let Some((column, target, holder)) = held {
                // The column exists; it is simply spoken for, so the line adds nothing.
                partial.diagnostics.push(
                    MERMAID_RELATIONSHIP_WITHOUT_FOREIGN_KEY
                        .at(
                            span(&x.file, x.pos, x.len),
                            format!(
                                "the relationship between `{}` and `{}` adds no foreign key: `{column}` already \
                                 references `{target}` for another relationship line",
                                spelling(&x.parent),
                                spelling(&x.child),
                            ),
                        )
                        .with_related(Span::from(&holder), format!("`{column}` references `{target}` from here"))
                        .with_help("remove the repeated line, or add the column this relationship needs"),
                );
            } else {
                partial.diagnostics.push(MERMAID_RELATIONSHIP_WITHOUT_FOREIGN_KEY.at(
                    span(&x.file, x.pos, x.len),
                    format!(
                        "the relationship between `{}` and `{}` has no FK attribute or `{}_id` column; no foreign key is made",
                        spelling(&x.parent),
                        spelling(&x.child),
                        singular(&x.parent)
                    ),
                ));
            }
        }
    }
    for (ti, fk) in new_fks {
        tables[ti].foreign_keys.push(fk);
    }
    // An entity named `orchard.trees` is table `trees` of database schema `orchard`, as SQL names
    // it (references keep the qualified spelling, which resolves to it).
    for t in &mut tables {
        if let (Some(ns), bare) = model::split_qualified(&t.name) {
            let plain = |s: &str| !s.is_empty() && !s.contains(char::is_whitespace) && !s.contains(['"', '`', '[']);
            if plain(ns) && plain(bare) {
                let (ns, bare) = (ns.to_string(), bare.to_string());
                t.namespace = Some(ns);
                t.name = bare;
            }
        }
    }
    partial.schema.tables = tables;
    partial
}

/// The attributes of an entity, first definition of each name only.
fn first_attrs(e: &Entity) -> Vec<&(Arc<str>, Attribute)> {
    let mut seen = BTreeSet::new();
    e.attrs.iter().filter(|(_, a)| seen.insert(name_key(&a.name))).collect()
}

fn lower_entity(e: &Entity, diagnostics: &mut Vec<model::Diagnostic>) -> Table {
    let mut table = Table::new(e.name.clone(), origin(&e.file, e.pos));
    let mut pk = Vec::new();
    let mut seen: BTreeMap<String, (&Arc<str>, &Attribute)> = BTreeMap::new();
    for (file, a) in &e.attrs {
        let key = name_key(&a.name);
        if let Some((first_file, first)) = seen.get(&key) {
            if !first.ty.eq_ignore_ascii_case(&a.ty) || first.keys != a.keys {
                diagnostics.push(
                    MERMAID_DUPLICATE_ATTRIBUTE
                        .at(
                            name_span(file, a.pos, &a.name),
                            format!(
                                "attribute `{}.{}` is written again with another type or keys; the first is used",
                                e.name, a.name
                            ),
                        )
                        .with_related(name_span(first_file, first.pos, &first.name), "first written here"),
                );
            }
            continue;
        }
        seen.insert(key, (file, a));
        let is_pk = a.keys.contains(&Key::Pk);
        let mut col = Column::new(a.name.clone(), parse_loose_type(&a.ty), origin(file, a.pos));
        col.stated = Stated { nullable: false, default: false };
        col.nullable = !is_pk;
        if let Some(text) = &a.comment {
            let facts = read_comment(text);
            if let Some(nullable) = facts.nullable {
                col.nullable = nullable && !is_pk;
                col.stated.nullable = true;
            }
            if let Some(d) = facts.default {
                col.default = Some(d);
                col.stated.default = true;
            }
            if facts.auto && is_pk && matches!(col.ty.kind, TypeKind::Int { .. }) {
                col.identity = Some(Identity::AutoIncrement);
            }
            col.comment = facts.rest;
        }
        if is_pk {
            pk.push(a.name.clone());
        }
        if a.keys.contains(&Key::Uk) {
            table.uniques.push(Unique { name: None, columns: vec![a.name.clone()], origin: origin(file, a.pos) });
        }
        table.columns.push(col);
    }
    if !pk.is_empty() {
        let first = e.attrs.iter().find(|(_, a)| a.keys.contains(&Key::Pk)).map(|(f, a)| origin(f, a.pos));
        table.primary_key =
            Some(PrimaryKey { name: None, columns: pk, origin: first.unwrap_or_else(|| table.origin.clone()) });
    }
    table
}

/// What an attribute comment says about the column.
#[derive(Debug, Default, PartialEq)]
struct CommentFacts {
    nullable: Option<bool>,
    default: Option<DefaultValue>,
    /// Whether it says the values are generated (`AUTO`, `autoincrement`).
    auto: bool,
    /// What is left to keep as the column comment.
    rest: Option<String>,
}

fn read_comment(text: &str) -> CommentFacts {
    let mut facts = CommentFacts::default();
    let lower = text.to_lowercase();
    facts.auto = ["autoincrement", "auto_increment", "auto increment", "auto-increment", "자동 증가", "자동증가"]
        .iter()
        .any(|w| lower.contains(w))
        || lower.split(|c: char| !c.is_alphanumeric()).any(|w| w == "auto");
    let mut rest = Vec::new();
    let mut recognised = false;
    for part in text.split([',', ';']) {
        let p = part.trim();
        let pl = p.to_lowercase();
        let compact: String = pl.split_whitespace().collect::<Vec<_>>().join(" ");
        if matches!(compact.as_str(), "not null" | "notnull" | "required" | "필수") {
            facts.nullable = Some(false);
            recognised = true;
        } else if matches!(compact.as_str(), "nullable" | "null" | "optional" | "null 허용" | "null허용") {
            facts.nullable = Some(true);
            recognised = true;
        } else if let Some(value) = default_value(p) {
            facts.default = Some(parse_loose_default(value));
            recognised = true;
        } else if !p.is_empty() {
            rest.push(p);
        }
    }
    facts.rest = if !recognised {
        Some(text.trim().to_string()).filter(|s| !s.is_empty())
    } else {
        Some(rest.join(", ")).filter(|s| !s.is_empty())
    };
    facts
}

/// The value of `default: x`, `DEFAULT x`, `기본값: x` or `기본: x`.
fn default_value(part: &str) -> Option<&str> {
    for prefix in ["default", "DEFAULT", "Default", "기본값", "기본"] {
        if let Some(rest) = part.strip_prefix(prefix) {
            let rest = rest.trim_start();
            let value = rest.strip_prefix([':', '=']).unwrap_or(if prefix.starts_with('기') { "" } else { rest });
            let value = value.trim();
            if !value.is_empty() && (rest.starts_with([':', '=']) || prefix.eq_ignore_ascii_case("default")) {
                return Some(value);
            }
        }
    }
    None
}

/// The entity names a foreign-key column may be named after: `created_by_user_id` gives
/// `created_by_user`, `by_user`, `user`; `scriptId` gives `script`.
pub(super) fn stems(column: &str) -> Vec<String> {
    let key = name_key(column);
    let base = if let Some(s) = key.strip_suffix("_id") {
        s.to_string()
    } else if column.ends_with("Id") || column.ends_with("ID") {
        key[..key.len() - 2].to_string()
    } else {
        return Vec::new();
    };
    let mut out = vec![base.clone()];
    let mut rest = base.as_str();
    while let Some((_, tail)) = rest.split_once('_') {
        if !tail.is_empty() {
            out.push(tail.to_string());
        }
        rest = tail;
    }
    out
}

fn singular(key: &str) -> String {
    let key = name_key(key);
    singular_plural_variants(&key)
        .into_iter()
        .filter(|v| v.len() < key.len())
        .min_by_key(|v| key.len() - v.len())
        .unwrap_or(key)
}

/// The column of `table` named after entity `parent` (`user_id`, `userId` for `USERS`).
fn column_for_parent(table: &Table, parent: &str) -> Option<String> {
    let mut names = vec![name_key(parent)];
    names.extend(singular_plural_variants(parent));
    table
        .columns
        .iter()
        .find(|c| {
            let k = name_key(&c.name);
            names.iter().any(|n| k == format!("{n}_id") || k == format!("{n}id"))
        })
        .map(|c| c.name.clone())
}

#[cfg(test)]
mod tests;
