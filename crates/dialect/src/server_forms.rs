//! The document's expressions as the server keeps them. A server rewrites what it is given — a
//! default `DATE '2000-01-01'` becomes `'2000-01-01'::date`, a view's query is printed back
//! qualified and cast — so comparing the document's spelling with the live catalog's needs the
//! server's own form of the document. [`crate::Session::server_forms`] builds the document in a
//! scratch place and reads it back; [`adopt`] puts those forms into the target schema, so that
//! like is compared with like.

use model::{name_eq, Check, Schema, Table};

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
    fn what_the_server_lacks_keeps_the_documents_spelling() {
        let mut target = schema("CREATE TABLE t (id int PRIMARY KEY, n int DEFAULT 1 CHECK (n > 0));");
        let before = target.clone();
        adopt(&mut target, &Schema::default());
        assert_eq!(target, before);
    }
}
