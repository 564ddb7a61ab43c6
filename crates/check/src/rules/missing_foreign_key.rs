use crate::support::{column_span, ident, ident_list};
use model::{declare_rule, name_key, singular_plural_variants, Column, Diagnostic, Schema, Table};
use std::collections::BTreeMap;

declare_rule! {
    /// What it does: notes a column that looks like a reference to another table but has no foreign key.
    /// It looks like one when it is a `<x>_id` column named like another table's single-column key
    /// (`run_outputs.request_id` and the key `launch_runs.request_id`), a `<x>_id` column where a
    /// table `x` (or its plural) exists (`user_id` and `users.id`), or a column whose comment names
    /// another table. When the comment says the key is left out on purpose ("FK 제약 없음",
    /// "no FK"), the finding says so. A column named `id` is never flagged.
    ///
    /// Why it matters: without the constraint nothing stops rows pointing at deleted or never
    /// existing parents, and tools (ERDs, ORMs, this one) cannot see the relationship.
    ///
    /// Example:
    /// ```sql
    /// CREATE TABLE launch_runs (request_id TEXT PRIMARY KEY);
    /// CREATE TABLE run_outputs (run_id TEXT PRIMARY KEY, request_id TEXT);  -- no REFERENCES
    /// ```
    pub RULE = "missing-foreign-key", Info
}

/// Words in a comment saying a column refers to something.
const REFERENCE_WORDS: &[&str] =
    &["참조", "외래", "fk", "foreign", "refers to", "reference", "→", "->", "links to", "points to"];

/// Phrases in a comment saying the foreign key is left out deliberately (compared without spaces).
const ON_PURPOSE: &[&str] = &[
    "fk제약없음",
    "fk제약조건없음",
    "fk없음",
    "fk미설정",
    "fk미사용",
    "외래키없음",
    "외래키제약없음",
    "nofk",
    "withoutfk",
    "noforeignkey",
    "withoutforeignkey",
    "withoutaforeignkey",
    "notaforeignkey",
];

/// The table (and, when known, the column) a column seems to reference, and why.
struct Target<'a> {
    table: &'a Table,
    column: Option<&'a Column>,
    reason: Reason,
}

enum Reason {
    /// The column's name is the key of the target.
    SameName,
    /// The column is named after the target table.
    TableName,
    /// The comment names the target; `on_purpose` when it says the key is left out deliberately.
    Comment { on_purpose: bool },
}

/// The schema's tables and single-column keys by name, built once so that each column costs a few
/// map lookups however many tables there are.
struct Lookup<'a> {
    tables: BTreeMap<String, &'a Table>,
    /// Single-column primary keys by column name, in document order.
    primary: BTreeMap<String, Vec<&'a Table>>,
    /// Single-column unique constraints and unique indexes by column name, in document order.
    unique: BTreeMap<String, Vec<&'a Table>>,
}

impl<'a> Lookup<'a> {
    fn new(schema: &'a Schema) -> Self {
        let mut tables = BTreeMap::new();
        let mut primary: BTreeMap<String, Vec<&Table>> = BTreeMap::new();
        let mut unique: BTreeMap<String, Vec<&Table>> = BTreeMap::new();
        for t in &schema.tables {
            tables.entry(name_key(&t.name)).or_insert(t);
            if let Some([only]) = t.primary_key.as_ref().map(|pk| pk.columns.as_slice()) {
                primary.entry(name_key(only)).or_default().push(t);
            }
            for u in t.uniques.iter().filter(|u| u.columns.len() == 1) {
                unique.entry(name_key(&u.columns[0])).or_default().push(t);
            }
        }
        for i in schema.indexes.iter().filter(|i| i.unique && i.predicate.is_none() && i.parts.len() == 1) {
            if let (Some(c), Some(t)) = (i.leading_columns().first(), tables.get(&name_key(&i.table))) {
                unique.entry(name_key(c)).or_default().push(t);
            }
        }
        Lookup { tables, primary, unique }
    }

    fn table(&self, name: &str) -> Option<&'a Table> {
        self.tables.get(&name_key(name)).copied()
    }
}

pub fn run(schema: &Schema, out: &mut Vec<Diagnostic>) {
    let lookup = Lookup::new(schema);
    for table in &schema.tables {
        for column in &table.columns {
            let key = name_key(&column.name);
            let has_fk = table.foreign_keys.iter().any(|fk| fk.columns.iter().any(|c| name_key(c) == key));
            if key.is_empty() || key == "id" || has_fk {
                continue;
            }
            let is_own_key =
                table.primary_key.as_ref().is_some_and(|pk| pk.columns.len() == 1 && same(&pk.columns[0], &key));
            let target = by_comment(&lookup, table, column).or_else(|| {
                if is_own_key {
                    return None;
                }
                let stem = key.strip_suffix("_id").filter(|s| !s.is_empty())?;
                same_name_key(&lookup, table, &key).or_else(|| named_table(&lookup, table, stem))
            });
            if let Some(target) = target {
                out.push(finding(table, column, &target));
            }
        }
    }
}

fn same(a: &str, key: &str) -> bool {
    name_key(a) == key
}

fn finding(table: &Table, column: &Column, target: &Target) -> Diagnostic {
    let this = format!("`{}.{}`", table.qualified_name(), column.name);
    let that = match target.column {
        Some(c) => format!("`{}.{}`", target.table.qualified_name(), c.name),
        None => format!("`{}`", target.table.qualified_name()),
    };
    let message = match target.reason {
        Reason::SameName | Reason::TableName => {
            format!("{this} looks like a reference to {that} but has no foreign key")
        }
        Reason::Comment { on_purpose: false } => {
            format!("the comment of {this} says it refers to {that}, but it has no foreign key")
        }
        Reason::Comment { on_purpose: true } => {
            format!("{this} refers to {that} without a foreign key; its comment says this is on purpose")
        }
    };
    let declaration = format!(
        "FOREIGN KEY ({}) REFERENCES {}{}",
        ident(&column.name),
        ident(&target.table.name),
        target.column.map(|c| format!(" ({})", ident_list(std::slice::from_ref(&c.name)))).unwrap_or_default()
    );
    let help = match target.reason {
        Reason::Comment { on_purpose: true } => {
            format!("nothing to do if the application keeps the reference valid; to enforce it: `{declaration}`")
        }
        _ => format!("if it is a reference, declare it: `{declaration}`"),
    };
    let (span, label) = match target.column {
        Some(c) => (column_span(c), format!("{that} is defined here")),
        None => ((&target.table.origin).into(), format!("{that} is defined here")),
    };
    RULE.at(column_span(column), message).with_related(span, label).with_help(help)
}

/// (c) The comment names another table of the schema as what the column refers to.
fn by_comment<'a>(lookup: &Lookup<'a>, table: &Table, column: &Column) -> Option<Target<'a>> {
    let comment = column.comment.as_deref()?.to_lowercase();
    let tokens = identifiers(&comment);
    let mentioned = tokens.iter().enumerate().find_map(|(i, (word, _))| {
        let t = lookup.table(word).filter(|t| name_key(&t.name) != name_key(&table.name))?;
        Some((i, t))
    })?;
    let (i, target) = mentioned;
    let refers = REFERENCE_WORDS.iter().any(|w| comment.contains(w));
    if !refers && !name_key(&column.name).ends_with("_id") {
        return None;
    }
    // `kakao_templates.id` names the column too.
    let named_column = tokens.get(i + 1).filter(|(_, after_dot)| *after_dot).and_then(|(word, _)| target.column(word));
    let compact: String = comment.chars().filter(|c| !c.is_whitespace() && *c != '-' && *c != '_').collect();
    let on_purpose = ON_PURPOSE.iter().any(|p| compact.contains(p));
    Some(Target {
        table: target,
        column: named_column.or_else(|| single_key(target)).or_else(|| target.column(&column.name)),
        reason: Reason::Comment { on_purpose },
    })
}

/// (a) Another table has a single-column primary key or unique key of exactly this name; a primary
/// key is preferred, then document order.
fn same_name_key<'a>(lookup: &Lookup<'a>, table: &Table, key: &str) -> Option<Target<'a>> {
    let other = |list: Option<&Vec<&'a Table>>| -> Option<&'a Table> {
        list?.iter().copied().find(|t| name_key(&t.name) != name_key(&table.name))
    };
    let found = other(lookup.primary.get(key)).or_else(|| other(lookup.unique.get(key)))?;
    Some(Target { table: found, column: found.column(key), reason: Reason::SameName })
}

/// (b) A table named after the column (`user_id` → `user`/`users`) with a single-column primary key.
fn named_table<'a>(lookup: &Lookup<'a>, table: &Table, stem: &str) -> Option<Target<'a>> {
    let mut names = vec![stem.to_string()];
    names.extend(singular_plural_variants(stem));
    let found = names
        .iter()
        .filter_map(|n| lookup.table(n))
        .find(|t| name_key(&t.name) != name_key(&table.name) && single_key(t).is_some())?;
    Some(Target { table: found, column: single_key(found), reason: Reason::TableName })
}

/// The column of a single-column primary key.
fn single_key(table: &Table) -> Option<&Column> {
    match table.primary_key.as_ref().map(|pk| pk.columns.as_slice()) {
        Some([only]) => table.column(only),
        _ => None,
    }
}

/// The ASCII identifiers of a text, each with whether it directly follows a `.`.
fn identifiers(text: &str) -> Vec<(String, bool)> {
    let mut out = Vec::new();
    let mut current = String::new();
    let mut after_dot = false;
    let mut prev = ' ';
    for c in text.chars() {
        if c.is_ascii_alphanumeric() || c == '_' {
            if current.is_empty() {
                after_dot = prev == '.';
            }
            current.push(c);
        } else if !current.is_empty() {
            out.push((std::mem::take(&mut current), after_dot));
        }
        prev = c;
    }
    if !current.is_empty() {
        out.push((current, after_dot));
    }
    out
}

#[cfg(test)]
mod tests {
    use crate::fixtures::*;
    use model::Severity;

    fn base() -> Vec<T> {
        vec![
            table("users", 1).col("id", int(), 2).pk(&["id"], 2),
            table("launch_runs", 3).col("request_id", text(), 4).pk(&["request_id"], 4),
            table("kakao_templates", 5).col("id", uuid(), 6).pk(&["id"], 6),
        ]
    }

    #[test]
    fn declared_or_unrelated_columns_pass() {
        let mut tables = base();
        tables.push(
            table("posts", 10)
                .col("id", int(), 11)
                .comment("users 참조")
                .col("user_id", int(), 12)
                .col("external_id", text(), 13)
                .col("title", text(), 14)
                .comment("shown to users")
                .col("request_id", text(), 15)
                .fk(&["user_id"], "users", &[], 12)
                .fk(&["request_id"], "launch_runs", &[], 15),
        );
        tables.push(table("user_profiles", 20).col("user_id", int(), 21).pk(&["user_id"], 21));
        assert!(findings(super::run, &schema(tables)).is_empty());
    }

    #[test]
    fn likely_references_are_info() {
        let mut tables = base();
        tables.push(
            table("run_outputs", 10)
                .col("run_id", text(), 11)
                .pk(&["run_id"], 11)
                .col("request_id", text(), 12)
                .col("user_id", int(), 13)
                .col("template_id", uuid(), 14)
                .comment("kakao_templates.id 참조 (FK 제약 없음)")
                .col("owner", int(), 15)
                .comment("-> users"),
        );
        let d = findings(super::run, &schema(tables));
        assert_eq!(d.len(), 4, "{d:#?}");
        assert!(d.iter().all(|d| d.rule == "missing-foreign-key" && d.severity == Severity::Info));
        assert_eq!(d[0].span.line, 12);
        assert_eq!(
            d[0].message,
            "`run_outputs.request_id` looks like a reference to `launch_runs.request_id` but has no foreign key"
        );
        assert_eq!(d[0].related[0].span.line, 4);
        assert_eq!(
            d[0].help.as_deref(),
            Some("if it is a reference, declare it: `FOREIGN KEY (request_id) REFERENCES launch_runs (request_id)`")
        );
        assert!(d[1].message.contains("reference to `users.id`"));
        assert_eq!(d[2].span.line, 14);
        assert!(d[2].message.contains("refers to `kakao_templates.id` without a foreign key"));
        assert!(d[2].message.contains("on purpose"));
        assert!(d[3].message.contains("the comment of `run_outputs.owner` says it refers to `users.id`"));
    }
}
