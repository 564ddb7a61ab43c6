//! Merges what every notation says into one canonical schema, reporting each disagreement with
//! both origins. Disagreements of one pattern across many columns become one grouped finding.

use crate::frontend::{Partial, PatchOp, TablePatch};
use crate::sql::{ALTER_NOT_RECORDED, ALTER_UNKNOWN_COLUMN, DROP_UNKNOWN, DUPLICATE_TABLE};
use model::{
    name_eq, name_key, reference_key, singular_plural_variants, Column, DataType, Diagnostic, ForeignKey, Index,
    Notation, Origin, Schema, Span, Table, TypeKind,
};
use std::collections::{BTreeMap, BTreeSet};

model::declare_rule! {
    /// What it does: reports an attribute of one table that two notations describe differently:
    /// a column only one of them has, a type, length, nullability or default that differs, a
    /// different foreign-key target, an index only one of them declares.
    ///
    /// Why it matters: a document whose SQL, ORM models and diagrams disagree builds different
    /// databases depending on which part a reader trusts. schemadoc keeps the notation with the
    /// highest precedence (SQL, then Prisma, SQLAlchemy, field tables, lists, ERD; see `--prefer`)
    /// and tells you what the others say. Many disagreements of one kind are reported once, with
    /// every place listed.
    ///
    /// Example: `id UUID` in a `CREATE TABLE` and `id String @id` in the Prisma model of the same table.
    pub CONFLICTING_DEFINITION = "conflicting-definition", Warning
}

model::declare_rule! {
    /// What it does: flags a table that is altered or listed (ALTER TABLE, an index or FK list) but
    /// that no notation of the document defines.
    ///
    /// Why it matters: the statement fails on a database built from the document
    /// (`relation "x" does not exist`), and whatever it adds is lost.
    ///
    /// Example: `ALTER TABLE admin_characters ADD COLUMN …` with no `admin_characters` table anywhere.
    pub ALTER_UNKNOWN_TABLE = "alter-unknown-table", Error
}

/// Rules the merge reports.
pub const RULES: &[model::RuleInfo] = &[CONFLICTING_DEFINITION, ALTER_UNKNOWN_TABLE];

/// Patterns seen this many times or more are reported as one finding.
const GROUP_AT: usize = 3;

/// Merges `partials` into one schema. `precedence` lists notations from most to least trusted;
/// notations it does not name follow in their default order.
pub fn merge(mut partials: Vec<Partial>, precedence: &[Notation]) -> (Schema, Vec<Diagnostic>) {
    let rank = |n: Notation| -> usize {
        precedence.iter().position(|p| *p == n).unwrap_or(precedence.len() + n.default_rank() as usize)
    };
    partials.sort_by_key(|p| rank(p.notation));

    let mut diagnostics: Vec<Diagnostic> = Vec::new();
    let mut conflicts: Vec<Conflict> = Vec::new();
    let mut merged = Schema::default();
    // name key (and alternative spellings) → index in merged.tables
    let mut lookup: BTreeMap<String, usize> = BTreeMap::new();
    // For each merged table, the first (table, notation) that defined it, to compare against.
    let mut definers: Vec<Vec<(Notation, Table)>> = Vec::new();

    // Pass 1: tables each notation defines, most trusted first.
    for p in &partials {
        for t in &p.schema.tables {
            let key = t.key();
            if p.altered_only.contains(&key) {
                continue;
            }
            match find_table(&lookup, &t.qualified_name()) {
                // A table declared by name only confirms one that is defined; a definition
                // replaces a table so far only declared.
                Some(i) if t.is_declared_only() => {
                    absorb_declared(&mut merged.tables[i], t, &mut diagnostics);
                    definers[i].push((p.notation, t.clone()));
                }
                Some(i) if merged.tables[i].is_declared_only() => {
                    let declared = std::mem::replace(&mut merged.tables[i], t.clone());
                    absorb_declared(&mut merged.tables[i], &declared, &mut diagnostics);
                    definers[i].insert(0, (p.notation, t.clone()));
                }
                Some(i) => {
                    merge_table(&mut merged.tables[i], t, &definers[i], &mut conflicts);
                    definers[i].push((p.notation, t.clone()));
                }
                None => {
                    let i = merged.tables.len();
                    merged.tables.push(t.clone());
                    definers.push(vec![(p.notation, t.clone())]);
                    lookup.insert(key, i);
                }
            }
        }
    }

    // Table renames (`ALTER TABLE a RENAME TO b`) of every notation, in order: what a notation
    // says about `b` before pass 3 renames the table is about `a`.
    let renames: Vec<(String, String)> = partials
        .iter()
        .flat_map(|p| p.patches.iter())
        .filter_map(|x| match &x.op {
            PatchOp::RenameTable { to } => Some((x.table.clone(), to.clone())),
            _ => None,
        })
        .collect();

    // Pass 2: what notations say about tables they do not define (ALTER TABLE, lists).
    // Name keys of tables reported as undefined.
    let mut undefined: BTreeSet<String> = BTreeSet::new();
    for p in &partials {
        for t in &p.schema.tables {
            let key = t.key();
            if !p.altered_only.contains(&key) {
                continue;
            }
            // The notation renamed this table away (and never back): what it adds under the old
            // name afterwards names a table that no longer exists.
            let renamed = |away: bool| {
                p.patches.iter().any(|x| match &x.op {
                    PatchOp::RenameTable { to } => reference_key(if away { &x.table } else { to }) == key,
                    _ => false,
                })
            };
            let renamed_away = renamed(true) && !renamed(false);
            let target = if renamed_away { None } else { resolve_table(&lookup, &renames, &t.qualified_name()) };
            match target {
                Some(i) => {
                    // A more trusted notation's spelling of the name wins (`jobs` in an index list
                    // over `JOBS` in an ERD).
                    let base = &mut merged.tables[i];
                    if rank(p.notation) < rank(base.origin.notation) && base.key() == key {
                        base.name = t.name.clone();
                    }
                    apply_alteration(base, t, p, &mut conflicts)
                }
                // A table only indexes mention is reported by the checks, once per index.
                None if t.columns.is_empty()
                    && t.primary_key.is_none()
                    && t.uniques.is_empty()
                    && t.checks.is_empty()
                    && t.foreign_keys.is_empty()
                    && t.comment.is_none() => {}
                // `ALTER TABLE IF EXISTS` of a table nobody defines: a no-op.
                None if p.if_exists_tables.contains(&key) => {}
                None => {
                    undefined.insert(key);
                    diagnostics.push(unknown_table(span_of(&t.origin, &t.name), &t.qualified_name()));
                }
            }
        }
    }

    // Indexes: keep the first of identical definitions; report indexes only one precise notation has.
    merge_indexes(&partials, &merged, &lookup, &definers, &mut conflicts);
    // (notation, table key, shape) of indexes kept: a notation repeating its own index is a finding
    // for the checks; another notation describing the same index is not a second index.
    let mut seen_indexes: Vec<(Notation, String, IndexShape)> = Vec::new();
    for p in &partials {
        for index in &p.schema.indexes {
            let table = resolve_table(&lookup, &renames, &index.table).map(|i| merged.tables[i].qualified_name());
            let table_key = reference_key(table.as_deref().unwrap_or(&index.table));
            let shape = IndexShape::of(index);
            if seen_indexes.iter().any(|(n, t, s)| *n != p.notation && *t == table_key && *s == shape) {
                continue;
            }
            // A list or field table naming the index behind a primary key or unique constraint
            // (`email (Unique Index)`) describes that index; it is not a second one.
            let loose = matches!(p.notation, Notation::List | Notation::FieldTable) || diagram(p.notation);
            let columns: Vec<String> = index.parts.iter().map_while(|x| x.column.clone()).collect();
            let describes_key = columns.len() == index.parts.len()
                && index.predicate.is_none()
                && resolve_table(&lookup, &renames, &index.table)
                    .is_some_and(|i| merged.tables[i].is_unique_key(&columns));
            if loose && describes_key && index.name.is_none() {
                continue;
            }
            seen_indexes.push((p.notation, table_key, shape));
            let mut index = index.clone();
            if let Some(t) = table {
                index.table = t;
            }
            merged.indexes.push(index);
        }
    }

    // Pass 3: column changes (ALTER COLUMN, DROP COLUMN, …), table renames and index drops to
    // tables other notations define, in document order, after everything is gathered so that a
    // drop or rename reaches the indexes and references of every notation.
    let declared: Vec<&Index> = partials.iter().flat_map(|p| p.schema.indexes.iter()).collect();
    let mut cx = PatchCx { lookup, renames: &renames, declared: &declared, dropped: BTreeSet::new(), undefined };
    for p in &partials {
        for patch in &p.patches {
            apply_patch(&mut merged, &mut cx, p.notation, patch, &mut diagnostics);
        }
    }
    let lookup = cx.lookup;

    // Other objects: the first definition of each name wins.
    for p in &partials {
        for e in &p.schema.enums {
            if merged.enum_named(&e.name).is_none() {
                merged.enums.push(e.clone());
            }
        }
        for x in &p.schema.extensions {
            if !merged.has_extension(&x.name) {
                merged.extensions.push(x.clone());
            }
        }
        for v in &p.schema.views {
            if !merged.views.iter().any(|w| name_key(&w.name) == name_key(&v.name)) {
                merged.views.push(v.clone());
            }
        }
        for r in &p.schema.routines {
            if !merged.routines.iter().any(|w| w.kind == r.kind && name_key(&w.name) == name_key(&r.name)) {
                merged.routines.push(r.clone());
            }
        }
        for n in &p.schema.namespaces {
            if !merged.namespaces.iter().any(|m| name_key(&m.name) == name_key(&n.name)) {
                merged.namespaces.push(n.clone());
            }
        }
        for t in &p.schema.types {
            if !merged.types.iter().any(|m| name_key(&m.name) == name_key(&t.name)) {
                merged.types.push(t.clone());
            }
        }
        merged.settings.extend(p.schema.settings.iter().cloned());
        merged.data_statements.extend(p.schema.data_statements.iter().cloned());
        merged.query_hints.extend(p.schema.query_hints.iter().cloned());
        diagnostics.extend(p.diagnostics.iter().cloned());
    }
    // Enums only a less trusted notation uses, and that no column uses now, are dropped
    // (a Prisma enum for a column SQL declares as VARCHAR + CHECK). SQL and DBML declare enum
    // types as objects of their own (`CREATE TYPE`, `Enum`): those are kept.
    let used: BTreeSet<String> = merged
        .tables
        .iter()
        .flat_map(|t| t.columns.iter())
        .filter_map(|c| enum_name(&c.ty.kind))
        .map(|n| name_key(&n))
        .collect();
    merged
        .enums
        .retain(|e| matches!(e.origin.notation, Notation::Sql | Notation::Dbml) || used.contains(&name_key(&e.name)));

    // NOTE: ERDs conventionally name entities in capitals (`JOB_LOGS`); the table behind one, when no
    // other notation spells it, is the lower-case name SQL would fold an unquoted identifier to.
    for t in &mut merged.tables {
        let shouting = t.name.chars().any(|c| c.is_ascii_uppercase()) && !t.name.chars().any(|c| c.is_lowercase());
        if matches!(t.origin.notation, Notation::Mermaid | Notation::BoxDiagram) && shouting {
            t.name = t.name.to_lowercase();
        }
    }

    // References use the spelling of the table they resolve to.
    let spelling: Vec<String> = merged.tables.iter().map(Table::qualified_name).collect();
    let respell = |name: &mut String| {
        if let Some(i) = find_table(&lookup, name) {
            name.clone_from(&spelling[i]);
        }
    };
    for t in &mut merged.tables {
        for fk in &mut t.foreign_keys {
            respell(&mut fk.ref_table);
        }
    }
    for index in &mut merged.indexes {
        respell(&mut index.table);
    }

    type_untyped_references(&mut merged);

    // Tables in the order the document first mentions them.
    let mut order: Vec<usize> = (0..merged.tables.len()).collect();
    // An overview sketch at the top of a document does not reorder the tables it shows.
    let first_seen: Vec<Origin> = definers
        .iter()
        .map(|d| {
            let defining = d.iter().filter(|(n, _)| !sketch(*n));
            let all = d.iter();
            let pick = if d.iter().any(|(n, _)| !sketch(*n)) {
                defining.map(|(_, t)| t.origin.clone()).min()
            } else {
                all.map(|(_, t)| t.origin.clone()).min()
            };
            pick.expect("a definer")
        })
        .collect();
    order.sort_by(|&a, &b| first_seen[a].cmp(&first_seen[b]));
    let mut tables: Vec<Option<Table>> = merged.tables.into_iter().map(Some).collect();
    merged.tables = order.iter().filter_map(|&i| tables[i].take()).collect();

    diagnostics.extend(report(conflicts));
    (merged, diagnostics)
}

/// Gives a column the document names without a type, but that references a typed key
/// (`- plot_id: ForeignKey[plots]`), the type of what it references: the only type that can hold
/// its values. The spelling is the plain type (`bigint`, never `bigserial`).
fn type_untyped_references(schema: &mut Schema) {
    let mut found: Vec<(usize, String, DataType)> = Vec::new();
    for (ti, t) in schema.tables.iter().enumerate() {
        for fk in t.foreign_keys.iter().filter(|f| f.columns.len() == 1) {
            if !t.column(&fk.columns[0]).is_some_and(|c| c.ty.is_unstated()) {
                continue;
            }
            let Some(target) = schema.tables.iter().find(|x| name_eq(&x.name, &fk.ref_table)) else { continue };
            let key = match fk.ref_columns.as_slice() {
                [one] => Some(one.clone()),
                [] => target.primary_key.as_ref().filter(|pk| pk.columns.len() == 1).map(|pk| pk.columns[0].clone()),
                _ => None,
            };
            let Some(ty) = key.and_then(|k| target.column(&k)).map(|c| &c.ty).filter(|ty| !ty.is_unstated()) else {
                continue;
            };
            let plain = DataType { kind: ty.kind.clone(), spelling: ty.kind.to_string(), exact: ty.exact };
            found.push((ti, fk.columns[0].clone(), plain));
        }
    }
    for (ti, column, ty) in found {
        if let Some(c) = schema.tables[ti].column_mut(&column) {
            c.ty = ty;
        }
    }
}

fn enum_name(kind: &TypeKind) -> Option<String> {
    match kind {
        TypeKind::Enum { name } => Some(name.clone()),
        TypeKind::Array { of } => enum_name(of),
        _ => None,
    }
}

/// The merged table `name` refers to, or the one a later `renames` entry (old, new) gives that
/// name: a notation may name a table by the name a rename gives it before the merge applies it.
fn resolve_table(lookup: &BTreeMap<String, usize>, renames: &[(String, String)], name: &str) -> Option<usize> {
    let mut current = name.to_string();
    // Each step follows one rename backwards; a cycle of renames ends after as many steps.
    for _ in 0..=renames.len() {
        if let Some(i) = find_table(lookup, &current) {
            return Some(i);
        }
        let key = reference_key(&current);
        current = renames.iter().rev().find(|(_, new)| reference_key(new) == key)?.0.clone();
    }
    None
}

/// The merged table a name refers to: the same name, or its singular/plural when unambiguous.
fn find_table(lookup: &BTreeMap<String, usize>, name: &str) -> Option<usize> {
    let key = reference_key(name);
    if let Some(&i) = lookup.get(&key) {
        return Some(i);
    }
    let hits: BTreeSet<usize> = singular_plural_variants(&key).iter().filter_map(|v| lookup.get(v).copied()).collect();
    (hits.len() == 1).then(|| *hits.iter().next().expect("one hit"))
}

fn span_of(origin: &Origin, name: &str) -> Span {
    Span { len: name.chars().count() as u32, ..Span::from(origin) }
}

/// One disagreement between two notations about one table.
struct Conflict {
    /// What is compared, with names abstracted away, so that equal patterns group
    /// (`uuid in SQL, text in Prisma`).
    pattern: String,
    /// Where it is: `users.id`.
    subject: String,
    /// The more trusted side (kept), and the other.
    kept: Origin,
    other: Origin,
}

/// Folds `other` (a less trusted definition of the same table) into `base`, recording disagreements
/// with the first definition.
fn merge_table(base: &mut Table, other: &Table, definers: &[(Notation, Table)], conflicts: &mut Vec<Conflict>) {
    let (first_notation, first) = &definers[0];
    let other_notation = other.origin.notation;
    let (a, b) = (first_notation.label(), other_notation.label());

    // A sketch (box diagram, relational notation) of a table a schema notation defines is a
    // view of it: it shows some columns, often by the names a model gives them (`isPremium` for
    // `is_premium`), and adds none.
    let view = sketch(other_notation) && !sketch(*first_notation);
    let in_first = |c: &Column| first.column(&c.name).is_some() || (view && loosely_in(first, &c.name));
    // Columns present in only one of the two.
    let only_first: Vec<&Column> = first.columns.iter().filter(|c| other.column(&c.name).is_none()).collect();
    let only_other: Vec<&Column> = other.columns.iter().filter(|c| !in_first(c)).collect();
    if view && !only_other.is_empty() {
        conflicts.push(Conflict {
            pattern: format!("column only in {b}, not added: {a} defines the table"),
            subject: format!("{}: {}", base.name, names(&only_other)),
            kept: first.origin.clone(),
            other: only_other[0].origin.clone(),
        });
    }
    // NOTE: a catalog lists a table's main columns, not all of them: the others are not missing.
    if !only_first.is_empty() && !view && other_notation != Notation::Catalog {
        conflicts.push(Conflict {
            pattern: format!("column missing in {b}"),
            subject: format!("{}: {}", base.name, names(&only_first)),
            kept: only_first[0].origin.clone(),
            other: other.origin.clone(),
        });
    }
    if !only_other.is_empty() && !view && *first_notation != Notation::Catalog {
        conflicts.push(Conflict {
            pattern: format!("column missing in {a}"),
            subject: format!("{}: {}", base.name, names(&only_other)),
            kept: first.origin.clone(),
            other: only_other[0].origin.clone(),
        });
    }

    let table_name = base.name.clone();
    for oc in &other.columns {
        match base.column_mut(&oc.name) {
            None if view => {}
            None => base.columns.push(oc.clone()),
            Some(bc) => {
                if let Some(fc) = first.column(&oc.name) {
                    if let Some(pattern) = column_difference(fc, oc, first, other) {
                        conflicts.push(Conflict {
                            pattern,
                            subject: format!("{table_name}.{}", fc.name),
                            kept: fc.origin.clone(),
                            other: oc.origin.clone(),
                        });
                    }
                }
                fill_column(bc, oc);
            }
        }
    }

    let has_all = |t: &Table, cols: &[String]| cols.iter().all(|c| t.column(c).is_some());
    if base.primary_key.is_none() {
        if other.primary_key.as_ref().is_some_and(|pk| has_all(base, &pk.columns)) {
            base.primary_key = other.primary_key.clone();
        }
    } else if let (Some(fp), Some(op)) = (&first.primary_key, &other.primary_key) {
        if !same_names(&fp.columns, &op.columns) {
            conflicts.push(Conflict {
                pattern: format!("primary key ({}) in {a}, ({}) in {b}", fp.columns.join(", "), op.columns.join(", ")),
                subject: base.name.clone(),
                kept: fp.origin.clone(),
                other: op.origin.clone(),
            });
        }
    }
    // A less trusted notation never adds a unique key silently (an ERD's `UK` that the SQL lacks):
    // the most trusted definition is followed and the difference reported.
    for u in &other.uniques {
        if base.is_unique_key(&u.columns) {
            continue;
        }
        let first_has_columns = u.columns.iter().all(|c| first.column(c).is_some());
        if *first_notation != other_notation && first_has_columns {
            conflicts.push(Conflict {
                pattern: format!("unique key only in {b}"),
                subject: format!("{} ({})", base.name, u.columns.join(", ")),
                kept: first.origin.clone(),
                other: u.origin.clone(),
            });
            continue;
        }
        if has_all(base, &u.columns) {
            base.uniques.push(u.clone());
        }
    }
    for c in &other.checks {
        if !base.checks.iter().any(|x| squash(&x.expr) == squash(&c.expr)) {
            base.checks.push(c.clone());
        }
    }
    let precise = |n: Notation| !matches!(n, Notation::List | Notation::Catalog | Notation::Inferred) && !diagram(n);
    let held: Vec<&ForeignKey> = other.foreign_keys.iter().filter(|f| has_all(base, &f.columns)).collect();
    for ofk in held {
        match base.foreign_keys.iter_mut().find(|f| same_names(&f.columns, &ofk.columns)) {
            Some(bfk) => {
                if name_key(&bfk.ref_table) != name_key(&ofk.ref_table)
                    && !singular_plural_variants(&bfk.ref_table).contains(&name_key(&ofk.ref_table))
                {
                    conflicts.push(Conflict {
                        pattern: "foreign key target differs".to_string(),
                        subject: format!(
                            "{}.{} → `{}` in {a}, `{}` in {b}",
                            base.name,
                            ofk.columns.join(", "),
                            bfk.ref_table,
                            ofk.ref_table
                        ),
                        kept: bfk.origin.clone(),
                        other: ofk.origin.clone(),
                    });
                }
                fill_foreign_key(bfk, ofk);
            }
            None => {
                let column_in_first = ofk.columns.iter().all(|c| first.column(c).is_some());
                if precise(*first_notation) && precise(other_notation) && column_in_first {
                    conflicts.push(Conflict {
                        pattern: format!("foreign key only in {b}"),
                        subject: format!("{}.{} → {}", base.name, ofk.columns.join(", "), ofk.ref_table),
                        kept: first.origin.clone(),
                        other: ofk.origin.clone(),
                    });
                }
                base.foreign_keys.push(ofk.clone());
            }
        }
    }
    if base.comment.is_none() {
        base.comment = other.comment.clone();
    }
    if base.group.is_none() {
        base.group = other.group.clone();
    }
}

/// Merges a table declared by name only (`declared`) into `base`: it adds its comment, group and
/// the relationships it states without columns. A relationship `base` already holds with columns
/// (a foreign key to the same table) is that relationship; one `base` lacks, where `base` states
/// its columns, cannot be placed on a column and is reported.
fn absorb_declared(base: &mut Table, declared: &Table, diagnostics: &mut Vec<Diagnostic>) {
    if base.comment.is_none() {
        base.comment = declared.comment.clone();
    }
    if base.group.is_none() {
        base.group = declared.group.clone();
    }
    let same_target = |a: &str, b: &str| {
        reference_key(a) == reference_key(b) || singular_plural_variants(a).contains(&reference_key(b))
    };
    for fk in &declared.foreign_keys {
        if base.foreign_keys.iter().any(|f| same_target(&f.ref_table, &fk.ref_table)) {
            continue;
        }
        if base.columns_stated && fk.columns.is_empty() {
            diagnostics.push(
                crate::mermaid::MERMAID_RELATIONSHIP_WITHOUT_FOREIGN_KEY
                    .at(
                        Span::from(&fk.origin),
                        format!(
                            "the relationship between `{}` and `{}` has no foreign key in `{}` as {} defines it; \
                             no foreign key is made",
                            fk.ref_table,
                            base.qualified_name(),
                            base.qualified_name(),
                            base.origin.notation.label()
                        ),
                    )
                    .with_related(Span::from(&base.origin), format!("`{}` is defined here", base.qualified_name())),
            );
            continue;
        }
        base.foreign_keys.push(fk.clone());
    }
}

/// Notations that draw a design rather than define it (ERDs, box diagrams, relational
/// notation): less trusted, they never add a key to a table a schema notation defines.
fn diagram(n: Notation) -> bool {
    matches!(n, Notation::Mermaid | Notation::BoxDiagram | Notation::Relational)
}

/// Notations that sketch a design (box diagrams, relational notation): names, a few columns.
fn sketch(n: Notation) -> bool {
    matches!(n, Notation::BoxDiagram | Notation::Relational)
}

/// Whether `table` has a column named `name` but for case and underscores (`isPremium` and
/// `is_premium`).
fn loosely_in(table: &Table, name: &str) -> bool {
    let squash = |s: &str| s.chars().filter(|c| *c != '_').flat_map(char::to_lowercase).collect::<String>();
    let n = squash(name);
    table.columns.iter().any(|c| squash(&c.name) == n)
}

fn names(cols: &[&Column]) -> String {
    cols.iter().map(|c| format!("`{}`", c.name)).collect::<Vec<_>>().join(", ")
}

fn same_names(a: &[String], b: &[String]) -> bool {
    a.len() == b.len() && a.iter().zip(b).all(|(x, y)| name_key(x) == name_key(y))
}

fn squash(s: &str) -> String {
    s.chars().filter(|c| !c.is_whitespace() && *c != '(' && *c != ')').collect::<String>().to_lowercase()
}

/// Takes from `other` what `base` does not say.
fn fill_column(base: &mut Column, other: &Column) {
    let refines = !base.ty.exact && other.ty.exact && base.ty.kind.family() == other.ty.kind.family();
    if base.ty.is_unstated() || refines {
        base.ty = other.ty.clone();
    }
    if !base.stated.nullable && other.stated.nullable {
        base.nullable = other.nullable;
        base.stated.nullable = true;
    }
    if !base.stated.default && other.stated.default {
        base.default = other.default.clone();
        base.stated.default = true;
    }
    if base.identity.is_none() {
        base.identity = other.identity;
    }
    if base.generated.is_none() {
        base.generated = other.generated.clone();
    }
    if base.client_default.is_none() {
        base.client_default = other.client_default.clone();
    }
    if base.on_update.is_none() {
        base.on_update = other.on_update.clone();
    }
    if base.comment.is_none() {
        base.comment = other.comment.clone();
    }
}

fn fill_foreign_key(base: &mut ForeignKey, other: &ForeignKey) {
    if base.inferred && !other.inferred {
        base.ref_table = other.ref_table.clone();
        base.ref_columns = other.ref_columns.clone();
        base.inferred = false;
        base.origin = other.origin.clone();
    }
    if base.ref_columns.is_empty() {
        base.ref_columns = other.ref_columns.clone();
    }
    if base.on_delete.is_none() {
        base.on_delete = other.on_delete;
    }
    if base.on_update.is_none() {
        base.on_update = other.on_update;
    }
    if base.name.is_none() {
        base.name = other.name.clone();
    }
}

/// How two descriptions of one column differ, as a pattern free of names
/// (`uuid in SQL, text in Prisma`), or `None` when they agree.
fn column_difference(a: &Column, b: &Column, ta: &Table, tb: &Table) -> Option<String> {
    let mut left = Vec::new();
    let mut right = Vec::new();
    if let Some((x, y)) = type_difference(&a.ty, &b.ty, ta, tb, a, b) {
        left.push(x);
        right.push(y);
    }
    let in_pk = |t: &Table, c: &Column| {
        t.primary_key.as_ref().is_some_and(|pk| pk.columns.iter().any(|p| name_key(p) == name_key(&c.name)))
    };
    if a.stated.nullable && b.stated.nullable && a.nullable != b.nullable && !in_pk(ta, a) && !in_pk(tb, b) {
        left.push(if a.nullable { "nullable" } else { "NOT NULL" }.to_string());
        right.push(if b.nullable { "nullable" } else { "NOT NULL" }.to_string());
    }
    if a.stated.default && b.stated.default && a.identity.is_none() && b.identity.is_none() {
        let da = a.default.as_ref().map(|d| d.to_string());
        let db = b.default.as_ref().map(|d| d.to_string());
        // A client-side default stands in for a database default: not a disagreement by itself.
        let client_covers =
            (da.is_none() && a.client_default.is_some()) || (db.is_none() && b.client_default.is_some());
        if da.as_deref().map(unquote) != db.as_deref().map(unquote) && !client_covers {
            left.push(da.map(|d| format!("DEFAULT {d}")).unwrap_or_else(|| "no default".into()));
            right.push(db.map(|d| format!("DEFAULT {d}")).unwrap_or_else(|| "no default".into()));
        }
    }
    if left.is_empty() {
        return None;
    }
    Some(format!(
        "{} in {}, {} in {}",
        left.join(" "),
        ta.origin.notation.label(),
        right.join(" "),
        tb.origin.notation.label()
    ))
}

fn unquote(s: &str) -> String {
    s.trim_matches('\'').to_lowercase()
}

/// Whether two types disagree, and how to name each side in a pattern.
fn type_difference(
    a: &DataType,
    b: &DataType,
    ta: &Table,
    tb: &Table,
    ca: &Column,
    cb: &Column,
) -> Option<(String, String)> {
    if a.is_unstated() || b.is_unstated() {
        return None;
    }
    let (ka, kb) = (&a.kind, &b.kind);
    let label = |k: &TypeKind, t: &Table, c: &Column| -> String {
        match k {
            TypeKind::Enum { .. } => "enum".to_string(),
            TypeKind::Varchar { .. } | TypeKind::Text | TypeKind::Char { .. }
                if t.checks.iter().any(|ch| ch.columns.iter().any(|x| name_key(x) == name_key(&c.name))) =>
            {
                format!("{} with CHECK", k.family_spelling())
            }
            _ => k.to_string(),
        }
    };
    if ka.family() != kb.family() {
        // An integer used as a boolean in SQLite-flavoured notations still disagrees: report it.
        return Some((label(ka, ta, ca), label(kb, tb, cb)));
    }
    if !a.exact || !b.exact {
        return None;
    }
    match (ka, kb) {
        (TypeKind::Timestamp { tz: x, .. }, TypeKind::Timestamp { tz: y, .. }) if x != y => {
            Some((ka.family_spelling(), kb.family_spelling()))
        }
        (TypeKind::Timestamp { .. }, TypeKind::Timestamp { .. }) => None,
        (TypeKind::Json, TypeKind::Jsonb) | (TypeKind::Jsonb, TypeKind::Json) => None,
        (TypeKind::Varchar { len: None }, TypeKind::Text) | (TypeKind::Text, TypeKind::Varchar { len: None }) => None,
        (TypeKind::Decimal { .. }, TypeKind::Decimal { .. }) if ka != kb => Some((ka.to_string(), kb.to_string())),
        _ if ka != kb => Some((ka.to_string(), kb.to_string())),
        _ => None,
    }
}

fn unknown_table(span: Span, name: &str) -> Diagnostic {
    ALTER_UNKNOWN_TABLE
        .at(span, format!("table `{name}` is not defined anywhere"))
        .with_help(format!("define `{name}` (CREATE TABLE, a model or a field table), or fix the name"))
}

/// What applying patches needs besides the schema.
struct PatchCx<'a> {
    /// Name key → merged table; follows table renames as they are applied.
    lookup: BTreeMap<String, usize>,
    renames: &'a [(String, String)],
    /// The indexes every notation declares, before any drop.
    declared: &'a [&'a Index],
    /// Name keys of indexes dropped so far.
    dropped: BTreeSet<String>,
    /// Name keys of tables reported as undefined.
    undefined: BTreeSet<String>,
}

/// Whether `ix` is the index called `name`: by its declared name or, for an unnamed one, the name
/// PostgreSQL gives it.
fn index_is_named(ix: &Index, name: &str) -> bool {
    let nk = name_key(name);
    match &ix.name {
        Some(n) => name_key(n) == nk,
        None => {
            // NOTE: PostgreSQL names an unnamed index `t_a_b_idx` (`t_expr_idx` for expressions).
            let cols: Vec<String> = ix
                .parts
                .iter()
                .map(|p| p.column.as_deref().map(name_key))
                .map(|c| c.unwrap_or_else(|| "expr".into()))
                .collect();
            format!("{}_{}_idx", name_key(&ix.table), cols.join("_")) == nk
        }
    }
}

/// Applies `DROP INDEX name` of notation `notation` (on table `table`, when the statement names
/// one) to the indexes other notations declare; `false` when none of them has that name.
fn drop_declared_index(
    merged: &mut Schema,
    cx: &mut PatchCx,
    notation: Notation,
    name: &str,
    table: Option<usize>,
) -> bool {
    // NOTE: the notation's own indexes it drops itself, in order: a `DROP INDEX` followed by a
    // `CREATE INDEX` of the same name keeps the new one.
    let on = |cx: &PatchCx, t: &str| table.is_none() || resolve_table(&cx.lookup, cx.renames, t) == table;
    let nk = name_key(name);
    let declared = !cx.dropped.contains(&nk)
        && cx.declared.iter().any(|ix| ix.origin.notation != notation && index_is_named(ix, name) && on(cx, &ix.table));
    let before = merged.indexes.len();
    merged.indexes.retain(|ix| !(ix.origin.notation != notation && index_is_named(ix, name) && on(cx, &ix.table)));
    let removed = before != merged.indexes.len();
    if removed || declared {
        cx.dropped.insert(nk);
    }
    removed || declared
}

/// Applies one change to the merged table it names, with its indexes and the references other
/// tables make to a renamed column or table; reports what it names but cannot find.
fn apply_patch(
    merged: &mut Schema,
    cx: &mut PatchCx,
    notation: Notation,
    patch: &TablePatch,
    diagnostics: &mut Vec<Diagnostic>,
) {
    if let (PatchOp::DropIndex { name }, true) = (&patch.op, patch.table.is_empty()) {
        if !drop_declared_index(merged, cx, notation, name, None) && !patch.if_exists {
            diagnostics.push(
                DROP_UNKNOWN
                    .at(
                        patch.span.clone(),
                        format!("DROP INDEX `{name}`: no notation of the documents declares this index"),
                    )
                    .with_help("write `DROP INDEX IF EXISTS` if the index may be absent, or fix the name"),
            );
        }
        return;
    }
    let Some(i) = find_table(&cx.lookup, &patch.table) else {
        if !patch.table_if_exists && cx.undefined.insert(reference_key(&patch.table)) {
            diagnostics.push(unknown_table(patch.span.clone(), &patch.table));
        }
        return;
    };
    match &patch.op {
        PatchOp::RenameTable { to } => {
            // The renamed table stays in its schema.
            let namespace = merged.tables[i].namespace.clone();
            let tk = model::table_key(namespace.as_deref(), to);
            let to = &model::qualified_name(namespace.as_deref(), to);
            if let Some(&j) = cx.lookup.get(&tk).filter(|&&j| j != i) {
                let other = &merged.tables[j];
                let d = DUPLICATE_TABLE
                    .at(
                        patch.span.clone(),
                        format!("cannot rename `{}` to `{to}`: `{}` already exists", merged.tables[i].name, other.name),
                    )
                    .with_related(
                        Span::from(&other.origin),
                        format!("defined here ({})", other.origin.notation.label()),
                    );
                diagnostics.push(d);
                return;
            }
            for ix in &mut merged.indexes {
                if resolve_table(&cx.lookup, cx.renames, &ix.table) == Some(i) {
                    ix.table.clone_from(to);
                }
            }
            // NOTE: foreign keys follow a renamed table (the database tracks them by the table).
            let lookup = &cx.lookup;
            for t in &mut merged.tables {
                for fk in t.foreign_keys.iter_mut().filter(|fk| find_table(lookup, &fk.ref_table) == Some(i)) {
                    fk.ref_table.clone_from(to);
                }
            }
            patch.op.apply(&mut merged.tables[i]);
            cx.lookup.retain(|_, v| *v != i);
            cx.lookup.insert(tk, i);
            return;
        }
        PatchOp::DropIndex { name } => {
            if drop_declared_index(merged, cx, notation, name, Some(i)) || patch.op.apply(&mut merged.tables[i]) {
                return;
            }
            if !patch.if_exists {
                let table = &merged.tables[i];
                let d = DROP_UNKNOWN
                    .at(patch.span.clone(), format!("table `{}` has no index `{name}`", table.name))
                    .with_related(
                        Span::from(&table.origin),
                        format!("table defined here ({})", table.origin.notation.label()),
                    );
                diagnostics.push(d);
            }
            return;
        }
        _ => {}
    }
    let lookup = &cx.lookup;
    let renames = cx.renames;
    let table = &mut merged.tables[i];
    if patch.op.apply(table) {
        let renamed = match &patch.op {
            PatchOp::Rename { column, to } => Some((column.clone(), to.clone())),
            PatchOp::Redefine { column, with } if name_key(column) != name_key(&with.name) => {
                Some((column.clone(), with.name.clone()))
            }
            _ => None,
        };
        let on_table = |name: &str| resolve_table(lookup, renames, name) == Some(i);
        if let Some((old, new)) = renamed {
            let ok = name_key(&old);
            for ix in merged.indexes.iter_mut().filter(|ix| on_table(&ix.table)) {
                for part in &mut ix.parts {
                    if part.column.as_deref().is_some_and(|c| name_key(c) == ok) {
                        part.column = Some(new.clone());
                    }
                }
            }
            // NOTE: a rename keeps the foreign keys that reference the column (PostgreSQL and
            // MySQL track them by the column, not its name).
            for t in &mut merged.tables {
                for fk in t.foreign_keys.iter_mut().filter(|fk| on_table(&fk.ref_table)) {
                    for c in fk.ref_columns.iter_mut().filter(|c| name_key(c) == ok) {
                        c.clone_from(&new);
                    }
                }
            }
        }
        if let PatchOp::Drop { column } = &patch.op {
            // NOTE: dropping a column drops the indexes that use it.
            let ck = name_key(column);
            merged.indexes.retain(|ix| {
                !(on_table(&ix.table)
                    && ix.parts.iter().any(|p| p.column.as_deref().is_some_and(|c| name_key(c) == ck)))
            });
        }
        return;
    }
    if patch.if_exists {
        return;
    }
    let defined = format!("table defined here ({})", table.origin.notation.label());
    let d = match &patch.op {
        PatchOp::DropConstraint { name } => {
            // A notation that does not name its constraints may still define this one.
            let unnamed = table.primary_key.as_ref().is_some_and(|k| k.name.is_none())
                || table.uniques.iter().any(|u| u.name.is_none())
                || table.checks.iter().any(|c| c.name.is_none())
                || table.foreign_keys.iter().any(|f| f.name.is_none());
            if unnamed {
                ALTER_NOT_RECORDED
                    .at(
                        patch.span.clone(),
                        format!(
                            "DROP CONSTRAINT `{name}` is not applied: no constraint of `{}` is known by that name",
                            table.name
                        ),
                    )
                    .with_help("name the constraint where the table is defined, or drop it there")
            } else {
                DROP_UNKNOWN.at(patch.span.clone(), format!("table `{}` has no constraint `{name}`", table.name))
            }
        }
        PatchOp::DropPrimaryKey => {
            DROP_UNKNOWN.at(patch.span.clone(), format!("table `{}` has no primary key to drop", table.name))
        }
        op => ALTER_UNKNOWN_COLUMN.at(
            patch.span.clone(),
            format!("{}: table `{}` has no column `{}`", op.statement(), table.name, op.column().unwrap_or_default()),
        ),
    };
    diagnostics.push(d.with_related(Span::from(&table.origin), defined));
}

/// Applies what a notation says about a table it does not define (ALTER TABLE, index/FK lists).
fn apply_alteration(base: &mut Table, alter: &Table, p: &Partial, conflicts: &mut Vec<Conflict>) {
    let table_key = alter.key();
    for col in &alter.columns {
        match base.column(&col.name) {
            None => base.columns.push(col.clone()),
            Some(existing) => {
                // `ADD COLUMN IF NOT EXISTS` on an existing column is a no-op; say what it would
                // have added. Without IF NOT EXISTS the statement fails: say so too.
                let noop = p.if_not_exists.contains(&(table_key.clone(), name_key(&col.name)));
                let pseudo = Table { columns: vec![], ..alter.clone() };
                // A no-op addition only matters where it says more than the definition: a
                // default or NOT NULL it would add. What it leaves out takes nothing away.
                let mut said = col.clone();
                if noop {
                    said.stated.default &= said.default.is_some();
                    said.stated.nullable &= !said.nullable;
                }
                if let Some(pattern) = column_difference(&said, existing, &pseudo, base) {
                    conflicts.push(Conflict {
                        pattern: if noop {
                            format!("{pattern} (ADD COLUMN IF NOT EXISTS is a no-op where the column exists)")
                        } else {
                            format!("{pattern} (ADD COLUMN fails: the column exists)")
                        },
                        subject: format!("{}.{}", base.name, existing.name),
                        kept: existing.origin.clone(),
                        other: col.origin.clone(),
                    });
                }
            }
        }
    }
    if base.primary_key.is_none() {
        base.primary_key = alter.primary_key.clone();
    }
    for u in &alter.uniques {
        base.uniques.push(u.clone());
    }
    base.checks.extend(alter.checks.iter().cloned());
    for fk in &alter.foreign_keys {
        match base.foreign_keys.iter_mut().find(|f| same_names(&f.columns, &fk.columns)) {
            Some(existing) => {
                if existing.inferred || existing.origin.notation.default_rank() > fk.origin.notation.default_rank() {
                    let mut better = fk.clone();
                    fill_foreign_key(&mut better, existing);
                    *existing = better;
                } else {
                    fill_foreign_key(existing, fk);
                }
            }
            None => base.foreign_keys.push(fk.clone()),
        }
    }
    if base.comment.is_none() {
        base.comment = alter.comment.clone();
    }
}

/// What makes two indexes the same index, whatever their names.
#[derive(Debug, Clone, PartialEq, Eq)]
struct IndexShape {
    parts: Vec<(String, bool)>,
    unique: bool,
    predicate: Option<String>,
}

impl IndexShape {
    fn of(i: &Index) -> Self {
        IndexShape {
            parts: i
                .parts
                .iter()
                .map(|p| {
                    (
                        p.column.as_deref().map(name_key).unwrap_or_else(|| squash(p.expr.as_deref().unwrap_or(""))),
                        p.descending,
                    )
                })
                .collect(),
            unique: i.unique,
            predicate: i.predicate.as_deref().map(squash),
        }
    }
}

/// Reports indexes that one precise notation declares on a table another precise notation also
/// defines, but that the other lacks.
fn merge_indexes(
    partials: &[Partial],
    merged: &Schema,
    lookup: &BTreeMap<String, usize>,
    definers: &[Vec<(Notation, Table)>],
    conflicts: &mut Vec<Conflict>,
) {
    let compares = |n: Notation| matches!(n, Notation::Sql | Notation::Prisma | Notation::Dbml | Notation::SqlAlchemy);
    for (i, defs) in definers.iter().enumerate() {
        let notations: Vec<Notation> = defs.iter().map(|(n, _)| *n).filter(|n| compares(*n)).collect();
        if notations.len() < 2 {
            continue;
        }
        let table = &merged.tables[i];
        let of = |n: Notation| -> Vec<&Index> {
            partials
                .iter()
                .filter(|p| p.notation == n)
                .flat_map(|p| p.schema.indexes.iter())
                .filter(|x| find_table(lookup, &x.table) == Some(i))
                .collect()
        };
        let (a, b) = (notations[0], notations[1]);
        let (ia, ib) = (of(a), of(b));
        let def_b = &defs.iter().find(|(n, _)| *n == b).expect("a definer").1;
        for x in &ia {
            let shape = IndexShape::of(x);
            let unique_constraint =
                x.unique && def_b.is_unique_key(&x.leading_columns().iter().map(|s| s.to_string()).collect::<Vec<_>>());
            if !ib.iter().any(|y| IndexShape::of(y) == shape) && !unique_constraint {
                conflicts.push(Conflict {
                    pattern: format!("index only in {}", a.label()),
                    subject: format!("{} on {}", x.name.as_deref().unwrap_or("(unnamed)"), table.name),
                    kept: x.origin.clone(),
                    other: def_b.origin.clone(),
                });
            }
        }
        let def_a = &defs.iter().find(|(n, _)| *n == a).expect("a definer").1;
        for y in &ib {
            let shape = IndexShape::of(y);
            let unique_constraint =
                y.unique && def_a.is_unique_key(&y.leading_columns().iter().map(|s| s.to_string()).collect::<Vec<_>>());
            if !ia.iter().any(|x| IndexShape::of(x) == shape) && !unique_constraint {
                let cols: Vec<String> = y.parts.iter().filter_map(|p| p.column.clone().or(p.expr.clone())).collect();
                conflicts.push(Conflict {
                    pattern: format!("index only in {}", b.label()),
                    subject: format!("{}({}) on {}", y.name.as_deref().unwrap_or(""), cols.join(", "), table.name),
                    kept: def_a.origin.clone(),
                    other: y.origin.clone(),
                });
            }
        }
    }
}

/// Turns conflicts into diagnostics: one per conflict, or one per pattern when it recurs.
fn report(conflicts: Vec<Conflict>) -> Vec<Diagnostic> {
    let mut groups: BTreeMap<String, Vec<Conflict>> = BTreeMap::new();
    for c in conflicts {
        groups.entry(c.pattern.clone()).or_default().push(c);
    }
    let mut out = Vec::new();
    for (pattern, mut list) in groups {
        list.sort_by(|x, y| x.kept.cmp(&y.kept));
        if list.len() >= GROUP_AT {
            let first = &list[0];
            let subjects: Vec<&str> = list.iter().map(|c| c.subject.as_str()).collect();
            let mut d = CONFLICTING_DEFINITION.at(
                Span::from(&first.kept),
                format!("{pattern}: {} places disagree ({})", list.len(), abbreviate(&subjects, 8)),
            );
            for c in &list {
                d = d.with_related(Span::from(&c.kept), format!("{} ({})", c.subject, c.kept.notation.label()));
                d = d.with_related(Span::from(&c.other), format!("{} ({})", c.subject, c.other.notation.label()));
            }
            out.push(d.with_help(help_for(&pattern, first)));
        } else {
            for c in list {
                out.push(
                    CONFLICTING_DEFINITION
                        .at(Span::from(&c.kept), format!("{}: {pattern}", c.subject))
                        .with_related(
                            Span::from(&c.other),
                            format!("the {} says otherwise here", c.other.notation.label()),
                        )
                        .with_help(help_for(&pattern, &c)),
                );
            }
        }
    }
    out
}

fn abbreviate(items: &[&str], max: usize) -> String {
    if items.len() <= max {
        items.join(", ")
    } else {
        format!("{}, and {} more", items[..max].join(", "), items.len() - max)
    }
}

/// What to do about a disagreement, and which side schemadoc follows meanwhile and why.
fn help_for(pattern: &str, c: &Conflict) -> String {
    let (kept, other) = (c.kept.notation.label(), c.other.notation.label());
    if pattern.starts_with("column missing") {
        "add the column to every notation, or mark the outdated block with `<!-- schemadoc:ignore -->`".to_string()
    } else if pattern.starts_with("index only") {
        "declare the index in both notations, or drop it from one".to_string()
    } else if kept == other {
        "make the notations agree; schemadoc follows the most trusted one (see `--prefer`)".to_string()
    } else {
        format!(
            "make the notations agree; schemadoc follows the {kept}, the more trusted notation (`--prefer` puts the {other} first)"
        )
    }
}

trait FamilySpelling {
    fn family_spelling(&self) -> String;
}

impl FamilySpelling for TypeKind {
    /// The type without lengths (`varchar`, `timestamptz`), for grouping patterns.
    fn family_spelling(&self) -> String {
        match self {
            TypeKind::Varchar { .. } => "varchar".into(),
            TypeKind::Char { .. } => "char".into(),
            TypeKind::Timestamp { tz: true, .. } => "timestamptz".into(),
            TypeKind::Timestamp { tz: false, .. } => "timestamp".into(),
            other => other.to_string(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scan::scan;
    use crate::{field_table, lists, sql};
    use model::{DefaultValue, Severity};

    /// Field tables, SQL and lists of one document, merged as the pipeline does.
    fn run(md: &str) -> (Schema, Vec<Diagnostic>) {
        let docs = [scan("t.md".into(), md)];
        let fields = field_table::extract(&docs);
        let mut known: BTreeSet<String> = fields.schema.tables.iter().map(|t| name_key(&t.name)).collect();
        let sql = sql::extract(&docs, None, &known);
        known.extend(sql.schema.tables.iter().map(|t| name_key(&t.name)).filter(|k| !sql.altered_only.contains(k)));
        let lists = lists::extract(&docs, &known);
        merge(vec![fields, sql, lists, crate::prisma::extract(&docs)], &[])
    }

    fn of<'a>(d: &'a [Diagnostic], rule: &str) -> Vec<&'a Diagnostic> {
        d.iter().filter(|x| x.rule == rule).collect()
    }

    const USERS: &str = "## users 테이블\n\n\
| 필드명 | 타입 | 제약조건 | 설명 |\n|---|---|---|---|\n\
| `id` | BIGINT | PK | 회원 ID |\n\
| `email` | VARCHAR(255) | NOT NULL, UNIQUE | 이메일 |\n\
| `nickname` | VARCHAR(50) | NULLABLE | 별명 |\n\
| `legacy_code` | VARCHAR(20) | NULLABLE | 구 코드 |\n\n\
#### 인덱스\n\n- `idx_users_email` ON `email`\n- `idx_users_legacy` ON `legacy_code`\n\n\
## posts 테이블\n\n\
| 필드명 | 타입 | 제약조건 | 설명 |\n|---|---|---|---|\n\
| `id` | BIGINT | PK | 글 ID |\n\
| `author_email` | VARCHAR(255) | FK(users.email) | 작성자 |\n\n";

    #[test]
    fn alters_of_a_field_table_change_the_merged_table() {
        let md = format!(
            "{USERS}## 마이그레이션\n\n```sql\n\
ALTER TABLE users ALTER COLUMN nickname SET NOT NULL, ALTER COLUMN nickname SET DEFAULT 'guest';\n\
ALTER TABLE users DROP COLUMN legacy_code;\n\
ALTER TABLE users RENAME COLUMN email TO mail;\n\
COMMENT ON COLUMN users.mail IS '로그인 메일';\n\
ALTER TABLE users DROP COLUMN IF EXISTS legacy_code;\n\
ALTER TABLE users ALTER COLUMN mail TYPE TEXT;\n\
```\n"
        );
        let (schema, diags) = run(&md);
        let bad: Vec<&Diagnostic> = diags.iter().filter(|d| d.severity != Severity::Info).collect();
        assert!(bad.is_empty(), "{bad:#?}");
        assert!(of(&diags, "alter-not-recorded").is_empty());
        let users = schema.table("users").unwrap();
        let names: Vec<&str> = users.columns.iter().map(|c| c.name.as_str()).collect();
        assert_eq!(names, ["id", "mail", "nickname"]);
        let nickname = users.column("nickname").unwrap();
        assert!(!nickname.nullable);
        assert_eq!(nickname.default, Some(DefaultValue::String("guest".into())));
        assert_eq!(nickname.origin.notation, Notation::FieldTable);
        let mail = users.column("mail").unwrap();
        assert_eq!(mail.comment.as_deref(), Some("로그인 메일"));
        assert_eq!(mail.ty.kind, TypeKind::Text);
        assert!(!mail.nullable);
        assert_eq!(users.uniques[0].columns, ["mail"]);
        // Indexes follow: the one on the dropped column goes, the one on the renamed column moves.
        let indexes: Vec<(Option<&str>, Vec<&str>)> =
            schema.indexes.iter().map(|i| (i.name.as_deref(), i.leading_columns())).collect();
        assert_eq!(indexes, [(Some("idx_users_email"), vec!["mail"])]);
        // References to the renamed column follow too.
        let posts = schema.table("posts").unwrap();
        assert_eq!(posts.foreign_keys[0].ref_columns, ["mail"]);
    }

    #[test]
    fn an_alter_naming_a_column_the_merged_table_lacks_is_an_error_at_the_alter() {
        let md = format!(
            "{USERS}```sql\n\
ALTER TABLE users DROP COLUMN legacy_code;\n\
ALTER TABLE users ALTER COLUMN legacy_code SET NOT NULL;\n\
ALTER TABLE users RENAME COLUMN nick TO name;\n\
ALTER TABLE users DROP COLUMN IF EXISTS nick;\n\
```\n"
        );
        let (schema, diags) = run(&md);
        let unknown = of(&diags, "alter-unknown-column");
        assert_eq!(unknown.len(), 2, "{diags:#?}");
        assert_eq!(unknown[0].severity, Severity::Error);
        assert_eq!((unknown[0].span.line, unknown[0].span.column, unknown[0].span.len), (24, 32, 11));
        assert!(unknown[0].message.contains("`legacy_code`"), "{}", unknown[0].message);
        assert_eq!(unknown[0].related[0].span.line, 1);
        assert!(unknown[0].related[0].message.contains("field table"));
        assert_eq!((unknown[1].span.line, unknown[1].span.column), (25, 33));
        assert!(unknown[1].message.starts_with("RENAME COLUMN"));
        assert!(schema.table("users").unwrap().column("nickname").is_some());
    }

    #[test]
    fn a_unique_key_only_a_less_trusted_notation_states_is_a_disagreement_and_the_more_trusted_wins() {
        let md = "### users\n\n| column | type | constraints |\n|---|---|---|\n| id | BIGINT | PK |\n\
| email | VARCHAR(200) | NOT NULL, UNIQUE |\n\n```sql\nCREATE TABLE users (id BIGINT PRIMARY KEY, email VARCHAR(200) NOT NULL);\n```\n";
        let (schema, diags) = run(md);
        assert!(schema.table("users").unwrap().uniques.is_empty(), "the SQL is followed");
        let said = of(&diags, "conflicting-definition");
        assert_eq!(said.len(), 1, "{diags:#?}");
        assert!(said[0].message.contains("unique key only in field table"), "{}", said[0].message);
        assert!(said[0].help.as_deref().is_some_and(|h| h.contains("follows the SQL")), "{:?}", said[0].help);
    }

    #[test]
    fn if_not_exists_additions_then_changes_reach_the_existing_column() {
        let md = format!(
            "{USERS}```sql\n\
ALTER TABLE users ADD COLUMN IF NOT EXISTS nickname VARCHAR(50), ADD COLUMN IF NOT EXISTS bio TEXT;\n\
ALTER TABLE users ALTER COLUMN nickname SET NOT NULL, ALTER COLUMN bio SET DEFAULT '';\n\
```\n"
        );
        let (schema, diags) = run(&md);
        assert!(diags.iter().all(|d| d.severity == Severity::Info), "{diags:#?}");
        let users = schema.table("users").unwrap();
        let nickname = users.column("nickname").unwrap();
        assert!(!nickname.nullable);
        assert_eq!(nickname.origin.notation, Notation::FieldTable);
        let bio = users.column("bio").unwrap();
        assert_eq!((bio.origin.notation, bio.default.clone()), (Notation::Sql, Some(DefaultValue::String("".into()))));
    }

    #[test]
    fn constraints_keys_and_unknown_tables() {
        let md = format!(
            "{USERS}```sql\n\
ALTER TABLE users DROP CONSTRAINT users_email_key;\n\
ALTER TABLE users DROP CONSTRAINT users_email_unique;\n\
ALTER TABLE posts DROP CONSTRAINT IF EXISTS posts_nope;\n\
ALTER TABLE posts DROP PRIMARY KEY;\n\
ALTER TABLE ghosts ALTER COLUMN a SET NOT NULL, ALTER COLUMN b SET NOT NULL;\n\
ALTER TABLE tags DROP CONSTRAINT tags_pkey;\n\
ALTER TABLE tags DROP PRIMARY KEY;\n\
```\n\n\
## tags 테이블\n\n| 필드명 | 타입 | 제약조건 | 설명 |\n|---|---|---|---|\n| `name` | TEXT | NOT NULL | 태그 |\n"
        );
        let (schema, diags) = run(&md);
        assert!(schema.table("users").unwrap().uniques.is_empty());
        assert!(schema.table("posts").unwrap().primary_key.is_none());
        let kept = of(&diags, "alter-not-recorded");
        assert_eq!(kept.len(), 1, "{diags:#?}");
        assert_eq!((kept[0].span.line, kept[0].span.column), (24, 35));
        let ghosts = of(&diags, "alter-unknown-table");
        assert_eq!(ghosts.len(), 1, "{diags:#?}");
        assert_eq!((ghosts[0].span.line, ghosts[0].span.column), (27, 33));
        // A table whose notation declares no constraint at all: nothing can have that name.
        let missing = of(&diags, "drop-unknown");
        assert_eq!(missing.len(), 2, "{diags:#?}");
        assert_eq!((missing[0].span.line, missing[0].span.column), (28, 34));
        assert!(missing[1].message.contains("no primary key"), "{}", missing[1].message);
        assert!(schema.table("tags").unwrap().column("name").is_some());
    }

    #[test]
    fn a_rename_of_a_table_another_notation_defines_is_applied_in_order() {
        let md = format!(
            "{USERS}```sql\n\
ALTER TABLE users ADD COLUMN bio TEXT;\n\
ALTER TABLE users RENAME TO members;\n\
ALTER TABLE members ALTER COLUMN nickname SET NOT NULL;\n\
ALTER TABLE members ADD COLUMN age INT;\n\
ALTER TABLE members RENAME COLUMN email TO mail;\n\
CREATE INDEX idx_members_age ON members (age);\n\
ALTER TABLE users DROP COLUMN legacy_code;\n\
ALTER TABLE users ADD COLUMN late TEXT;\n\
ALTER TABLE members RENAME TO posts;\n\
```\n"
        );
        let (schema, diags) = run(&md);
        assert!(schema.table("users").is_none());
        let members = schema.table("members").unwrap();
        let names: Vec<&str> = members.columns.iter().map(|c| c.name.as_str()).collect();
        assert_eq!(names, ["id", "mail", "nickname", "legacy_code", "bio", "age"]);
        assert!(!members.column("nickname").unwrap().nullable);
        assert_eq!(members.origin.notation, Notation::FieldTable);
        // References and indexes follow the table, and its renamed column.
        let posts = schema.table("posts").unwrap();
        assert_eq!(
            (posts.foreign_keys[0].ref_table.as_str(), posts.foreign_keys[0].ref_columns.clone()),
            ("members", vec!["mail".to_string()])
        );
        let indexes: Vec<(&str, &str, Vec<&str>)> = schema
            .indexes
            .iter()
            .map(|i| (i.name.as_deref().unwrap_or(""), i.table.as_str(), i.leading_columns()))
            .collect();
        assert_eq!(
            indexes,
            [
                ("idx_members_age", "members", vec!["age"]),
                ("idx_users_email", "members", vec!["mail"]),
                ("idx_users_legacy", "members", vec!["legacy_code"]),
            ]
        );
        // After the rename `users` is gone: ALTERs of it fail (reported once, at the first).
        let unknown = of(&diags, "alter-unknown-table");
        let at: Vec<(u32, u32)> = unknown.iter().map(|d| (d.span.line, d.span.column)).collect();
        assert_eq!(at, [(29, 13)], "{diags:#?}");
        assert!(members.column("late").is_none());
        // A rename onto an existing table is refused.
        let dup = of(&diags, "duplicate-table");
        assert_eq!(dup.len(), 1, "{diags:#?}");
        assert_eq!((dup[0].span.line, dup[0].span.column), (31, 31));
        assert!(dup[0].message.contains("`posts` already exists"), "{}", dup[0].message);
    }

    #[test]
    fn a_rename_onto_a_table_the_sql_creates_later_is_refused_by_the_merge() {
        let md = format!(
            "{USERS}```sql\nALTER TABLE users RENAME TO members;\nCREATE TABLE members (id INT PRIMARY KEY);\n```\n"
        );
        let (schema, diags) = run(&md);
        let dup = of(&diags, "duplicate-table");
        assert_eq!(dup.len(), 1, "{diags:#?}");
        assert_eq!((dup[0].span.line, dup[0].span.column), (23, 29));
        assert!(dup[0].related[0].message.contains("SQL"), "{:?}", dup[0].related);
        assert!(schema.table("users").is_some() && schema.table("members").is_some());
    }

    #[test]
    fn drop_index_reaches_indexes_other_notations_declare() {
        let md = format!(
            "{USERS}## tags\n\n```prisma\nmodel tags {{\n  id   Int    @id\n  name String\n\n  @@index([name], map: \"idx_tags_name\")\n}}\n```\n\n\
## comments 테이블\n\n| 필드명 | 타입 | 제약조건 | 설명 |\n|---|---|---|---|\n\
| `id` | BIGINT | PK | 댓글 ID |\n| `post_id` | BIGINT | INDEX | 글 |\n\n\
```sql\n\
DROP INDEX idx_users_email;\n\
DROP INDEX IF EXISTS idx_users_email;\n\
DROP INDEX idx_users_email;\n\
DROP INDEX idx_tags_name;\n\
ALTER TABLE comments DROP INDEX comments_post_id_idx;\n\
DROP INDEX idx_nope;\n\
DROP INDEX IF EXISTS idx_nope_either;\n\
DROP INDEX idx_users_legacy ON users;\n\
CREATE INDEX idx_users_email ON users (nickname);\n\
ALTER TABLE users DROP INDEX email;\n\
ALTER TABLE posts DROP INDEX idx_nope;\n\
```\n"
        );
        let (schema, diags) = run(&md);
        let kept: Vec<(Option<&str>, Vec<&str>, Notation)> =
            schema.indexes.iter().map(|i| (i.name.as_deref(), i.leading_columns(), i.origin.notation)).collect();
        assert_eq!(kept, [(Some("idx_users_email"), vec!["nickname"], Notation::Sql)]);
        // MySQL knows the unnamed UNIQUE (email) as index `email`.
        assert!(schema.table("users").unwrap().uniques.is_empty());
        let unknown = of(&diags, "drop-unknown");
        let at: Vec<(u32, u32, Severity)> = unknown.iter().map(|d| (d.span.line, d.span.column, d.severity)).collect();
        assert_eq!(
            at,
            [(43, 12, Severity::Warning), (46, 12, Severity::Warning), (51, 30, Severity::Warning)],
            "{diags:#?}"
        );
        assert!(unknown[2].message.contains("table `posts` has no index `idx_nope`"), "{}", unknown[2].message);
    }

    #[test]
    fn alter_table_if_exists_of_a_table_nobody_defines_is_silent() {
        let md = format!(
            "{USERS}```sql\n\
ALTER TABLE IF EXISTS ghosts ADD COLUMN a INT, ALTER COLUMN b SET NOT NULL;\n\
ALTER TABLE IF EXISTS ghosts RENAME TO spirits;\n\
ALTER TABLE IF EXISTS spirits DROP INDEX idx_a;\n\
ALTER TABLE IF EXISTS users ALTER COLUMN nickname SET NOT NULL;\n\
ALTER TABLE IF EXISTS users DROP COLUMN nope;\n\
ALTER TABLE phantoms ALTER COLUMN x SET NOT NULL;\n\
```\n"
        );
        let (schema, diags) = run(&md);
        let unknown = of(&diags, "alter-unknown-table");
        assert_eq!(unknown.len(), 1, "{diags:#?}");
        assert!(unknown[0].message.contains("`phantoms`"));
        assert!(schema.table("ghosts").is_none() && schema.table("spirits").is_none());
        // On a table that exists, the statement runs: its changes and errors are real.
        assert!(!schema.table("users").unwrap().column("nickname").unwrap().nullable);
        let column = of(&diags, "alter-unknown-column");
        assert_eq!(column.len(), 1, "{diags:#?}");
        assert_eq!(column[0].span.line, 27);
    }

    #[test]
    fn a_diagram_unique_the_sql_lacks_is_a_disagreement_not_a_key() {
        let md = "```mermaid\nerDiagram\n  badges {\n    text id PK\n    text issuer\n    text code UK\n  }\n```\n\n```sql\nCREATE TABLE badges (\n  id TEXT PRIMARY KEY,\n  issuer TEXT NOT NULL,\n  code TEXT NOT NULL,\n  UNIQUE (issuer, code)\n);\n```\n";
        let docs = [scan("t.md".into(), md)];
        let sql = sql::extract(&docs, None, &BTreeSet::new());
        let (schema, ds) = merge(vec![crate::mermaid::extract(&docs), sql], &[]);
        let badges = schema.table("badges").unwrap();
        assert_eq!(badges.uniques.len(), 1, "{:?}", badges.uniques);
        assert_eq!(badges.uniques[0].columns, ["issuer", "code"]);
        let found = of(&ds, "conflicting-definition");
        assert_eq!(found.len(), 1, "{ds:?}");
        assert_eq!(found[0].message, "badges (code): unique key only in ERD");
        assert_eq!((found[0].span.line, found[0].related[0].span.line), (11, 6));
        // Preferring the diagram follows its key, and the SQL's is the one reported.
        let sql = sql::extract(&docs, None, &BTreeSet::new());
        let (schema, ds) = merge(vec![crate::mermaid::extract(&docs), sql], &[Notation::Mermaid]);
        assert_eq!(schema.table("badges").unwrap().uniques[0].columns, ["code"]);
        assert!(of(&ds, "conflicting-definition")[0].message.contains("unique key only in SQL"), "{ds:?}");
    }

    #[test]
    fn a_box_unique_the_sql_lacks_is_a_disagreement_too() {
        let md = "```\n+-------------+\n| badges      |\n+-------------+\n| id PK       |\n| code UK     |\n+-------------+\n```\n\n```sql\nCREATE TABLE badges (id TEXT PRIMARY KEY, code TEXT);\n```\n";
        let docs = [scan("t.md".into(), md)];
        let sql = sql::extract(&docs, None, &BTreeSet::new());
        let boxes = crate::boxes::extract(&docs, &Default::default(), &BTreeSet::new());
        let (schema, ds) = merge(vec![boxes, sql], &[]);
        assert!(schema.table("badges").unwrap().uniques.is_empty());
        let found = of(&ds, "conflicting-definition");
        assert_eq!(found.len(), 1, "{ds:?}");
        assert_eq!(found[0].message, "badges (code): unique key only in box diagram");
    }
}
