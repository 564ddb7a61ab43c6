//! What the drawn and abbreviated notations (box diagrams, relational notation `t(a, b)`) say,
//! and how it becomes tables: column names with optional types and `PK`/`FK`/`UK` marks, and
//! lines between tables. Foreign keys come from a stated target, from a line paired with a
//! column named after the other table (or with the one marked column left), and otherwise from
//! the column name alone, marked inferred.

use crate::context::resolve_known;
use crate::field_table::naming::fk_target_from_column;
use crate::frontend::Partial;
use crate::types::{parse_loose_type, parse_sql_type};
use model::{
    name_key, Column, DataType, ForeignKey, Notation, Origin, PrimaryKey, RuleInfo, Span, Stated, Table, TypeKind,
    Unique,
};
use std::collections::{BTreeMap, BTreeSet};
use std::sync::Arc;

/// A table as a sketch writes it.
#[derive(Debug, Clone, PartialEq)]
pub struct Sketch {
    pub name: String,
    pub file: Arc<str>,
    pub line: u32,
    pub column: u32,
    pub columns: Vec<SketchColumn>,
}

/// One column of a [`Sketch`].
#[derive(Debug, Clone, PartialEq, Default)]
pub struct SketchColumn {
    pub name: String,
    /// The type as written; `None` when the sketch states none (the column stays untyped).
    pub ty: Option<String>,
    pub line: u32,
    pub column: u32,
    pub pk: bool,
    pub unique: bool,
    /// Marked `FK` (or `#`), with or without a target.
    pub fk: bool,
    /// The target the sketch writes (`→ patrons`, `-> users.id`): table and optional column.
    pub target: Option<(String, Option<String>)>,
}

/// A line drawn between two tables.
#[derive(Debug, Clone, PartialEq)]
pub struct Link {
    pub a: String,
    pub b: String,
    /// `Some(true)` when the drawing says `a` is the parent (`a ||--o{ b`, `a 1──N b`),
    /// `Some(false)` when `b` is; `None` when it does not say.
    pub a_is_parent: Option<bool>,
    pub file: Arc<str>,
    pub line: u32,
    pub column: u32,
}

/// What the other notations of the documents define, for a sketch to refer to.
#[derive(Debug, Clone, Default)]
pub struct Known {
    /// Name keys of the tables they define.
    pub tables: BTreeSet<String>,
    /// (child, parent) name keys of the foreign keys they define.
    pub links: BTreeSet<(String, String)>,
}

impl Known {
    /// What `partials` define.
    pub fn of(partials: &[Partial]) -> Known {
        let mut k = Known::default();
        for p in partials {
            for t in &p.schema.tables {
                if !p.altered_only.contains(&t.key()) {
                    k.tables.insert(name_key(&t.name));
                }
                for f in &t.foreign_keys {
                    k.links.insert((name_key(&t.name), name_key(&f.ref_table)));
                }
            }
        }
        k
    }
}

/// The rules a sketch reader reports through [`lower`].
pub struct Rules {
    /// A column marked FK whose target nothing tells.
    pub fk_without_target: RuleInfo,
    /// A line between tables that no column holds.
    pub link_without_fk: RuleInfo,
}

/// Lowers `sketches` and `links` of `notation` into `partial`; `known` holds the name keys of
/// tables other notations define (targets that may be named).
pub fn lower(
    sketches: Vec<Sketch>,
    links: Vec<Link>,
    notation: Notation,
    known: &Known,
    rules: &Rules,
    partial: &mut Partial,
) {
    let (known, known_links) = (&known.tables, &known.links);
    // The same table drawn twice adds the columns it did not have.
    let mut merged: Vec<Sketch> = Vec::new();
    // Name key → index in `merged`.
    let mut index: BTreeMap<String, usize> = BTreeMap::new();
    for s in sketches {
        match index.get(&name_key(&s.name)).map(|&i| &mut merged[i]) {
            Some(m) => {
                for c in s.columns {
                    if !m.columns.iter().any(|x| name_key(&x.name) == name_key(&c.name)) {
                        m.columns.push(c);
                    }
                }
            }
            None => {
                index.insert(name_key(&s.name), merged.len());
                merged.push(s);
            }
        }
    }
    let at = |key: &str| index.get(key).copied();
    let mine: BTreeSet<String> = merged.iter().map(|s| name_key(&s.name)).collect();
    let mut all = known.clone();
    all.extend(mine.iter().cloned());
    let mut tables: Vec<Table> = merged.iter().map(|s| table_of(s, notation)).collect();
    let pk_of = |tables: &[Table], key: &str| -> Vec<String> {
        at(key)
            .and_then(|i| tables[i].primary_key.as_ref())
            .filter(|pk| pk.columns.len() == 1)
            .map(|pk| pk.columns.clone())
            .unwrap_or_default()
    };
    // (table index, column key) of columns that already hold a foreign key.
    let mut held: BTreeSet<(usize, String)> = BTreeSet::new();
    let mut fks: Vec<(usize, ForeignKey)> = Vec::new();
    let fk = |columns: String, target: String, ref_columns: Vec<String>, inferred: bool, origin: Origin| ForeignKey {
        name: None,
        columns: vec![columns],
        ref_table: target,
        ref_columns,
        on_delete: None,
        on_update: None,
        inferred,
        origin,
    };

    // Targets the sketch writes.
    for (ti, s) in merged.iter().enumerate() {
        for c in &s.columns {
            if let Some((target, column)) = &c.target {
                let key = resolve_known(target, &all).unwrap_or_else(|| name_key(target));
                let refs = column.clone().map(|c| vec![c]).unwrap_or_else(|| pk_of(&tables, &key));
                let spelled = at(&key).map(|i| merged[i].name.clone()).unwrap_or_else(|| target.clone());
                held.insert((ti, name_key(&c.name)));
                fks.push((ti, fk(c.name.clone(), spelled, refs, false, origin(&s.file, c.line, c.column, notation))));
            }
        }
    }

    // Lines: the column of one side named after the other side.
    let resolve = |name: &str| resolve_known(name, &mine).unwrap_or_else(|| name_key(name));
    let mut unused: Vec<&Link> = Vec::new();
    for link in &links {
        let (a, b) = (resolve(&link.a), resolve(&link.b));
        // The side the drawing makes the child first; drawings are loose, so then the other.
        let mut sides = [(a.clone(), b.clone()), (b.clone(), a.clone())];
        if link.a_is_parent == Some(true) {
            sides.reverse();
        }
        let found = sides.iter().find_map(|(child, parent)| {
            let ti = at(child)?;
            let only: BTreeSet<String> = [parent.clone()].into();
            let c = merged[ti]
                .columns
                .iter()
                .find(|c| !held.contains(&(ti, name_key(&c.name))) && names(&c.name, &only))?;
            Some((ti, c.name.clone(), parent.clone()))
        });
        match found {
            Some((ti, column, parent)) => {
                held.insert((ti, name_key(&column)));
                let target = at(&parent).map(|i| merged[i].name.clone()).unwrap_or(parent.clone());
                let o = origin(&link.file, link.line, link.column, notation);
                fks.push((ti, fk(column, target, pk_of(&tables, &parent), false, o)));
            }
            None => unused.push(link),
        }
    }
    // By elimination: a side with one marked column left, on the one line left to it.
    let mut still: Vec<&Link> = Vec::new();
    for link in unused {
        let (a, b) = (resolve(&link.a), resolve(&link.b));
        let free = |child: &str| -> Option<(usize, String)> {
            let ti = at(child)?;
            let marked: Vec<&SketchColumn> =
                merged[ti].columns.iter().filter(|c| c.fk && !held.contains(&(ti, name_key(&c.name)))).collect();
            match marked[..] {
                [one] => Some((ti, one.name.clone())),
                _ => None,
            }
        };
        let mut choices = Vec::new();
        choices.extend(free(&a).map(|x| (x, b.clone())));
        choices.extend(free(&b).map(|x| (x, a.clone())));
        // Both sides have one marked column left: the drawing's direction decides, if it says.
        if choices.len() == 2 {
            match link.a_is_parent {
                Some(true) => drop(choices.remove(0)),
                Some(false) => drop(choices.remove(1)),
                None => {}
            }
        }
        match &choices[..] {
            [((ti, column), parent)] => {
                held.insert((*ti, name_key(column)));
                let target = at(parent).map(|i| merged[i].name.clone()).unwrap_or(parent.clone());
                let o = origin(&link.file, link.line, link.column, notation);
                fks.push((*ti, fk(column.clone(), target, pk_of(&tables, parent), false, o)));
            }
            _ => still.push(link),
        }
    }
    for link in still {
        // Another notation's foreign key between the two tables holds the line.
        let (a, b) = (resolve_known(&link.a, &all), resolve_known(&link.b, &all));
        let held = |x: &Option<String>, y: &Option<String>| {
            known_links.iter().any(|(c, p)| {
                Some(resolve_known(c, &all).unwrap_or(c.clone())) == *x
                    && Some(resolve_known(p, &all).unwrap_or(p.clone())) == *y
            })
        };
        if held(&a, &b) || held(&b, &a) {
            continue;
        }
        partial.diagnostics.push(rules.link_without_fk.at(
            Span::new(link.file.clone(), link.line, link.column, 0),
            format!(
                "the line between `{}` and `{}` names no column that holds it; no foreign key is made",
                link.a, link.b
            ),
        ));
    }

    // Columns named after a table: inferred. Marked columns that name nothing: reported.
    for (ti, s) in merged.iter().enumerate() {
        for c in &s.columns {
            if held.contains(&(ti, name_key(&c.name))) {
                continue;
            }
            let o = Origin::inferred_from(&origin(&s.file, c.line, c.column, notation));
            let guess = fk_target_from_column(&c.name, &all);
            let resolved = guess.as_ref().and_then(|g| resolve_known(g, &all));
            match (resolved, guess) {
                (Some(t), _) if t != name_key(&s.name) || c.fk => {
                    let spelled = at(&t).map(|i| merged[i].name.clone()).unwrap_or(t.clone());
                    fks.push((ti, fk(c.name.clone(), spelled, pk_of(&tables, &t), true, o)));
                }
                (_, Some(g)) if c.fk => fks.push((ti, fk(c.name.clone(), g, Vec::new(), true, o))),
                _ if c.fk => partial.diagnostics.push(
                    rules
                        .fk_without_target
                        .at(
                            Span::new(s.file.clone(), c.line, c.column, c.name.chars().count() as u32),
                            format!(
                                "`{}.{}` is marked FK, but nothing says what it references; no foreign key is made",
                                s.name, c.name
                            ),
                        )
                        .with_help(format!("name the target: `{} → other_table`", c.name)),
                ),
                _ => {}
            }
        }
    }
    for (ti, f) in fks {
        tables[ti].foreign_keys.push(f);
    }
    partial.schema.tables.extend(tables);
}

/// Whether `column` is named after one of `tables` (`patron_id`, `patronId` → `patrons`).
fn names(column: &str, tables: &BTreeSet<String>) -> bool {
    fk_target_from_column(column, tables).is_some_and(|g| resolve_known(&g, tables).is_some())
}

fn origin(file: &Arc<str>, line: u32, column: u32, notation: Notation) -> Origin {
    Origin::new(file.clone(), line, column, notation)
}

fn table_of(s: &Sketch, notation: Notation) -> Table {
    let mut t = Table::new(s.name.clone(), origin(&s.file, s.line, s.column, notation));
    let mut pk = Vec::new();
    for c in &s.columns {
        if t.column(&c.name).is_some() {
            continue;
        }
        let ty = c.ty.as_deref().map(parse_loose_type).unwrap_or_else(DataType::unstated);
        let o = origin(&s.file, c.line, c.column, notation);
        let mut col = Column::new(c.name.clone(), ty, o.clone());
        col.stated = Stated { nullable: false, default: false };
        col.nullable = !c.pk;
        if c.pk {
            pk.push(c.name.clone());
        }
        if c.unique {
            t.uniques.push(Unique { name: None, columns: vec![c.name.clone()], origin: o });
        }
        t.columns.push(col);
    }
    if !pk.is_empty() {
        let first = s.columns.iter().find(|c| c.pk).map(|c| origin(&s.file, c.line, c.column, notation));
        t.primary_key = Some(PrimaryKey { name: None, columns: pk, origin: first.unwrap_or_else(|| t.origin.clone()) });
    }
    t
}

/// Reads the words after a column name: `PK`, `FK`, `UK`, `(PK, FK)`, `→ t`, `-> t.c`,
/// `references t(c)`, and a type. Returns `false` when a word is none of those (prose).
pub fn read_marks(rest: &str, col: &mut SketchColumn) -> bool {
    let mut rest = rest.trim().trim_start_matches(':').trim();
    // A target: `→ t`, `-> t.c`, `references t(c)`.
    for arrow in ["→", "->", "=>", "references ", "REFERENCES ", "참조 "] {
        if let Some(i) = rest.find(arrow) {
            let target = rest[i + arrow.len()..].trim().trim_matches(['`', '(', ')', ' ']);
            let target = target.split_whitespace().next().unwrap_or("");
            let (t, c) = match target.split_once(['.', '(']) {
                Some((t, c)) => (t, Some(c.trim_end_matches(')').to_string()).filter(|c| !c.is_empty())),
                None => (target, None),
            };
            if !is_name(t) {
                return false;
            }
            col.target = Some((t.to_string(), c));
            col.fk = true;
            rest = rest[..i].trim();
            break;
        }
    }
    let mut type_words: Vec<&str> = Vec::new();
    // `(PK, FK)` and `[uuid]` hold marks and types too.
    let flat: Vec<&str> = words(rest)
        .into_iter()
        .flat_map(|w| match w.strip_prefix(['(', '[']).and_then(|x| x.strip_suffix([')', ']'])) {
            Some(inner) => words(inner),
            None => vec![w],
        })
        .collect();
    for w in flat {
        let bare = w.trim_matches(['(', ')', '[', ']', '{', '}', '<', '>']);
        match bare.to_ascii_uppercase().as_str() {
            "" => {}
            "PK" | "PRIMARY" => col.pk = true,
            "FK" | "FOREIGN" => col.fk = true,
            "UK" | "UQ" | "UNIQUE" => col.unique = true,
            "KEY" => {}
            "NN" | "NOT" | "NULL" => {}
            _ if bare.starts_with('"') || w.starts_with("--") || w.starts_with("//") => break,
            _ => type_words.push(w),
        }
    }
    if !type_words.is_empty() {
        let ty = type_words.join(" ");
        // A type is one word as written (`ObjectId`), or a SQL type of two (`double precision`);
        // more is a description.
        let sql = || !matches!(parse_sql_type(&ty).kind, TypeKind::Other { .. });
        if type_words.len() > 2
            || (type_words.len() == 2 && !sql())
            || !ty.chars().next().is_some_and(|c| c.is_ascii_alphabetic())
        {
            return false;
        }
        col.ty = Some(ty);
    }
    true
}

/// The words of `s`, split at spaces, commas and `/` outside parentheses (`decimal(10,2)`
/// stays one word).
fn words(s: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let mut depth = 0i32;
    let mut start = 0;
    for (i, c) in s.char_indices() {
        match c {
            '(' => depth += 1,
            ')' => depth -= 1,
            c if depth <= 0 && (c.is_whitespace() || c == ',' || c == '/') => {
                if start < i {
                    out.push(&s[start..i]);
                }
                start = i + c.len_utf8();
            }
            _ => {}
        }
    }
    if start < s.len() {
        out.push(&s[start..]);
    }
    out
}

/// A table or column name as sketches write them: letters (any script), digits, `_`, not
/// starting with a digit; `schema.table` for tables.
pub fn is_name(s: &str) -> bool {
    !s.is_empty()
        && s.split('.').all(|part| {
            let mut chars = part.chars();
            chars.next().is_some_and(|c| c.is_alphabetic() || c == '_')
                && chars.all(|c| c.is_alphanumeric() || c == '_' || c == '$')
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    const RULES: Rules =
        Rules { fk_without_target: crate::unread::SCHEMA_NOT_READ, link_without_fk: crate::unread::SCHEMA_NOT_READ };

    fn col(name: &str, rest: &str) -> SketchColumn {
        let mut c = SketchColumn { name: name.into(), line: 1, column: 1, ..Default::default() };
        assert!(read_marks(rest, &mut c), "{rest}");
        c
    }

    fn sketch(name: &str, columns: Vec<SketchColumn>) -> Sketch {
        Sketch { name: name.into(), file: "s.md".into(), line: 1, column: 1, columns }
    }

    #[test]
    fn marks_targets_and_types() {
        let c = col("id", "(PK)");
        assert!(c.pk && c.ty.is_none());
        let c = col("id", "(PK, FK)");
        assert!(c.pk && c.fk && c.ty.is_none());
        let c = col("id", "(uuid, PK)");
        assert_eq!((c.pk, c.ty.as_deref()), (true, Some("uuid")));
        let c = col("id", "PK");
        assert!(c.pk && c.ty.is_none());
        let c = col("patron_id", "bigint FK → patrons.id");
        assert_eq!(
            (c.ty.as_deref(), c.fk, c.target.clone()),
            (Some("bigint"), true, Some(("patrons".into(), Some("id".into()))))
        );
        let c = col("code", ": varchar(20) UK");
        assert_eq!((c.ty.as_deref(), c.unique), (Some("varchar(20)"), true));
        let mut c = SketchColumn::default();
        assert!(!read_marks("is the day the book is due back", &mut c));
    }

    #[test]
    fn lines_pair_with_named_or_marked_columns_and_names_infer_the_rest() {
        let mut p = Partial::new(Notation::BoxDiagram);
        let patrons = sketch("patrons", vec![col("id", "PK"), col("card_no", "")]);
        let checkouts = sketch("checkouts", vec![col("id", "PK"), col("patron_id", "FK"), col("item_id", "")]);
        let items = sketch("items", vec![col("id", "PK")]);
        let shelves = sketch("shelves", vec![col("id", "PK"), col("keeper", "FK")]);
        let link = |a: &str, b: &str| Link {
            a: a.into(),
            b: b.into(),
            a_is_parent: None,
            file: "s.md".into(),
            line: 9,
            column: 3,
        };
        lower(
            vec![patrons, checkouts, items, shelves],
            vec![link("patrons", "checkouts"), link("shelves", "items")],
            Notation::BoxDiagram,
            &Known::default(),
            &RULES,
            &mut p,
        );
        let t = p.schema.table("checkouts").unwrap();
        let fks: Vec<(&str, &str, bool)> =
            t.foreign_keys.iter().map(|f| (f.columns[0].as_str(), f.ref_table.as_str(), f.inferred)).collect();
        assert_eq!(fks, [("patron_id", "patrons", false), ("item_id", "items", true)]);
        assert_eq!(t.foreign_keys[0].ref_columns, ["id"]);
        // `keeper` is the one marked column of `shelves` and the line to `items` the one line left.
        assert_eq!(p.schema.table("shelves").unwrap().foreign_keys[0].ref_table, "items");
        assert!(p.diagnostics.is_empty(), "{:?}", p.diagnostics);
        assert!(p.schema.table("patrons").unwrap().column("card_no").unwrap().ty.is_unstated());
    }
}
