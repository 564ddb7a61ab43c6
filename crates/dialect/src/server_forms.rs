//! The document's expressions as the server keeps them. A server rewrites what it is given — a
//! default `DATE '2000-01-01'` becomes `'2000-01-01'::date`, a view's query is printed back
//! qualified and cast — so comparing the document's spelling with the live catalog's needs the
//! server's own form of the document. [`crate::Session::server_forms`] builds the document in a
//! scratch place and reads it back; [`adopt`] puts those forms into the target schema, so that
//! like is compared with like.

use model::{name_eq, name_key, Check, Schema, Table};
use std::collections::BTreeSet;

/// Replaces the defaults, generated expressions, CHECK expressions and view queries of `target`
/// with their forms in `server` (the same objects, built by the server from the statements that
/// create `target`), element by element; what `server` lacks keeps the document's spelling.
pub fn adopt(target: &mut Schema, server: &Schema) {
    for table in target.tables.iter_mut().filter(|t| t.namespace.is_none()) {
        let Some(built) = server.tables.iter().find(|s| name_eq(&s.name, &table.name)) else { continue };
        for column in &mut table.columns {
            let Some(b) = built.column(&column.name) else { continue };
            if column.default.is_some() && b.default.is_some() {
                column.default = b.default.clone();
            }
            if let (Some(g), Some(bg)) = (&mut column.generated, &b.generated) {
                g.expr = bg.expr.clone();
            }
        }
        adopt_checks(table, built);
    }
    for view in &mut target.views {
        if let Some(b) =
            server.views.iter().find(|s| name_eq(&s.name, &view.name) && s.materialized == view.materialized)
        {
            view.sql = b.sql.clone();
        }
    }
}

/// The part of `target` whose server forms could change `changes`: the tables with a changed
/// default, generated expression, CHECK or expression index, and the changed views with what they
/// read — without foreign keys, which need tables outside the part and spell no expression — in
/// batches the server can build in one transaction each. `None` when no change is about an
/// expression.
pub fn in_question(target: &Schema, changes: &diff::ChangeSet) -> Option<Vec<Schema>> {
    use diff::Change;
    let mut tables: BTreeSet<String> = BTreeSet::new();
    let mut views: BTreeSet<String> = BTreeSet::new();
    for change in &changes.changes {
        match change {
            Change::AlterColumn { table, changes: c, .. } if c.default || c.generated => {
                tables.insert(name_key(table));
            }
            Change::AddCheck { table, .. } | Change::DropCheck { table, .. } => {
                tables.insert(name_key(table));
            }
            Change::CreateIndex { index } | Change::DropIndex { index }
                if index.predicate.is_some() || index.parts.iter().any(|p| p.column.is_none()) =>
            {
                tables.insert(name_key(&index.table));
            }
            Change::CreateView { view } | Change::DropView { view } => {
                views.insert(name_key(&view.name));
            }
            _ => {}
        }
    }
    if tables.is_empty() && views.is_empty() {
        return None;
    }
    // A view needs what it reads: its tables and the views it reads, and theirs.
    loop {
        let before = (tables.len(), views.len());
        let wanted: Vec<&model::View> = target.views.iter().filter(|v| views.contains(&name_key(&v.name))).collect();
        for v in wanted {
            for read in &v.tables {
                if target.views.iter().any(|w| name_eq(&w.name, read)) {
                    views.insert(name_key(read));
                } else {
                    tables.insert(name_key(model::split_qualified(read).1));
                }
            }
        }
        if (tables.len(), views.len()) == before {
            break;
        }
    }
    // NOTE: every table created holds locks until the transaction ends, and PostgreSQL's lock
    // table (`max_locks_per_transaction` × connections) overflows near a thousand tables with
    // their indexes: tables are built in batches, each in its own rolled-back transaction. Views
    // come with every table they read, in the first batch.
    let read_by_views: BTreeSet<String> = if views.is_empty() {
        BTreeSet::new()
    } else {
        let mut read = BTreeSet::new();
        for v in target.views.iter().filter(|v| views.contains(&name_key(&v.name))) {
            read.extend(v.tables.iter().map(|t| name_key(model::split_qualified(t).1)));
        }
        read
    };
    let mut batches: Vec<BTreeSet<String>> = vec![read_by_views.clone()];
    for t in tables.iter().filter(|t| !read_by_views.contains(*t)) {
        match batches.last_mut() {
            Some(last) if last.len() < TABLES_PER_BATCH => {
                last.insert(t.clone());
            }
            _ => batches.push(BTreeSet::from([t.clone()])),
        }
    }
    let parts = batches
        .into_iter()
        .enumerate()
        .filter(|(i, b)| !b.is_empty() || (*i == 0 && !views.is_empty()))
        .map(|(i, batch)| {
            let mut part = target.clone();
            part.tables.retain(|t| t.namespace.is_none() && batch.contains(&name_key(&t.name)));
            for t in &mut part.tables {
                t.foreign_keys.clear();
            }
            part.indexes.retain(|x| batch.contains(&name_key(model::split_qualified(&x.table).1)));
            if i == 0 {
                part.views.retain(|v| views.contains(&name_key(&v.name)));
            } else {
                part.views.clear();
            }
            part.routines.retain(|r| r.table.as_deref().is_none_or(|t| batch.contains(&name_key(t))));
            part
        })
        .collect();
    Some(parts)
}

/// How many tables one scratch transaction builds.
const TABLES_PER_BATCH: usize = 200;

/// Pairs each CHECK of `table` with the one the server built from it — by name, else by the
/// columns it mentions, else the one left — and takes the server's expression.
fn adopt_checks(table: &mut Table, built: &Table) {
    if table.checks.len() != built.checks.len() {
        return;
    }
    let mut free: Vec<&Check> = built.checks.iter().collect();
    let pick = |check: &Check, free: &mut Vec<&Check>| -> Option<String> {
        let by_name = check
            .name
            .as_deref()
            .and_then(|n| free.iter().position(|b| b.name.as_deref().is_some_and(|m| name_eq(m, n))));
        let same_columns = |b: &&Check| {
            let mut a: Vec<String> = check.columns.iter().map(|c| model::name_key(c)).collect();
            let mut x: Vec<String> = b.columns.iter().map(|c| model::name_key(c)).collect();
            a.sort();
            a.dedup();
            x.sort();
            x.dedup();
            a == x
        };
        let by_columns = || {
            let matching: Vec<usize> =
                free.iter().enumerate().filter(|(_, b)| same_columns(b)).map(|(i, _)| i).collect();
            (matching.len() == 1).then(|| matching[0])
        };
        let at = by_name.or_else(by_columns).or_else(|| (free.len() == 1).then_some(0))?;
        Some(free.remove(at).expr.clone())
    };
    // Named checks first: a name is the surest pairing.
    let mut order: Vec<usize> = (0..table.checks.len()).collect();
    order.sort_by_key(|&i| table.checks[i].name.is_none());
    for i in order {
        if let Some(expr) = pick(&table.checks[i], &mut free) {
            table.checks[i].expr = expr;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use model::DefaultValue;

    fn schema(sql: &str) -> Schema {
        let files = [extract::SourceFile { name: "doc.md".into(), text: format!("```postgresql\n{sql}\n```\n") }];
        extract::extract(&files, &extract::Options::default()).schema
    }

    #[test]
    fn defaults_checks_and_views_take_the_servers_spelling() {
        let mut target = schema(
            "CREATE TABLE t (id int PRIMARY KEY, born date DEFAULT DATE '2000-01-01', n int CHECK (n > 0), \
             m int, CONSTRAINT m_small CHECK (m < 10));\nCREATE VIEW v AS SELECT id FROM t WHERE n = 1;",
        );
        let server = schema(
            "CREATE TABLE t (id int PRIMARY KEY, born date DEFAULT '2000-01-01'::date, n int, m int, \
             CONSTRAINT m_small CHECK ((m < 10)), CONSTRAINT t_n_check CHECK ((n > 0)));\n\
             CREATE VIEW v AS SELECT t.id FROM t WHERE (t.n = 1);",
        );
        adopt(&mut target, &server);
        let t = &target.tables[0];
        assert_eq!(
            t.column("born").and_then(|c| c.default.clone()),
            server.tables[0].column("born").and_then(|c| c.default.clone())
        );
        assert!(
            !matches!(t.column("born").and_then(|c| c.default.clone()), Some(DefaultValue::Raw(ref r)) if r.contains("DATE '"))
        );
        let exprs: Vec<&str> = t.checks.iter().map(|c| c.expr.as_str()).collect();
        assert!(exprs.contains(&"(n > 0)") && exprs.contains(&"(m < 10)"), "{exprs:?}");
        assert!(target.views[0].sql.contains("t.id"), "{}", target.views[0].sql);
    }

    #[test]
    fn only_what_a_change_concerns_is_built() {
        let live =
            schema("CREATE TABLE a (id int PRIMARY KEY, n int DEFAULT 1);\nCREATE TABLE b (id int PRIMARY KEY);");
        let target = schema(
            "CREATE TABLE a (id int PRIMARY KEY, n int DEFAULT 2);\n\
             CREATE TABLE b (id int PRIMARY KEY, a_id int REFERENCES a (id));\n\
             CREATE TABLE c (id int PRIMARY KEY);\nCREATE VIEW v AS SELECT id FROM c;",
        );
        let hooks = crate::engine(crate::EngineKind::Postgres).hooks();
        let changes = diff::diff(&live, &target, hooks, &diff::Renames::default());
        let parts = in_question(&target, &changes).expect("a default and a view changed");
        let names: Vec<Vec<&str>> = parts.iter().map(|p| p.tables.iter().map(|t| t.name.as_str()).collect()).collect();
        assert_eq!(names, [vec!["a", "c"]], "b only gains a column and a key");
        assert_eq!(parts[0].views.len(), 1);
        assert!(in_question(&live, &diff::diff(&live, &live, hooks, &diff::Renames::default())).is_none());
    }

    #[test]
    fn many_tables_are_built_in_batches() {
        let sql = |default: u32| -> String {
            (0..450).map(|i| format!("CREATE TABLE t{i} (id int PRIMARY KEY, n int DEFAULT {default});\n")).collect()
        };
        let (live, target) = (schema(&sql(1)), schema(&sql(2)));
        let hooks = crate::engine(crate::EngineKind::Postgres).hooks();
        let parts = in_question(&target, &diff::diff(&live, &target, hooks, &diff::Renames::default())).expect("parts");
        let sizes: Vec<usize> = parts.iter().map(|p| p.tables.len()).collect();
        assert_eq!(sizes, [TABLES_PER_BATCH, TABLES_PER_BATCH, 50]);
    }

    #[test]
    fn what_the_server_lacks_keeps_the_documents_spelling() {
        let mut target = schema("CREATE TABLE t (id int PRIMARY KEY, n int DEFAULT 1 CHECK (n > 0));");
        let before = target.clone();
        adopt(&mut target, &Schema::default());
        assert_eq!(target, before);
    }
}
