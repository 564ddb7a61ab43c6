use crate::support::{external_schema, find_table, PLATFORM_SCHEMAS};
use model::{declare_rule, name_eq, name_key, Diagnostic, Origin, Schema};
use std::collections::BTreeMap;

declare_rule! {
    /// What it does: notes a reference to a table in a schema the document does not manage.
    ///
    /// The document neither creates the schema nor defines a table in it: Supabase's `auth.users`,
    /// `storage.objects`. It is reported once per table, at its first reference.
    ///
    /// Why it matters: the table is expected to exist already; schemadoc cannot check the
    /// reference's columns, and `apply` neither creates nor drops it. A foreign key to it is
    /// planned only where the target exists.
    ///
    /// Example:
    /// ```sql
    /// CREATE TABLE profiles (id UUID PRIMARY KEY REFERENCES auth.users(id));
    /// ```
    pub RULE = "external-table", Info
}

pub fn run(schema: &Schema, out: &mut Vec<Diagnostic>) {
    // Reference key → (as written, first origin, how many references).
    let mut seen: BTreeMap<String, (String, Origin, usize)> = BTreeMap::new();
    let mut note = |name: &str, origin: &Origin| {
        if find_table(schema, name).is_some() || external_schema(schema, name).is_none() {
            return;
        }
        let entry = seen.entry(model::reference_key(name)).or_insert_with(|| (name.to_string(), origin.clone(), 0));
        entry.2 += 1;
        if origin < &entry.1 {
            entry.1 = origin.clone();
        }
    };
    for table in &schema.tables {
        for fk in &table.foreign_keys {
            note(&fk.ref_table, &fk.origin);
        }
    }
    for index in &schema.indexes {
        note(&index.table, &index.origin);
    }
    for view in &schema.views {
        for name in view.tables.iter().filter(|n| !schema.views.iter().any(|v| name_key(&v.name) == name_key(n))) {
            note(name, &view.origin);
        }
    }
    for (name, origin, count) in seen.into_values() {
        let Some(namespace) = external_schema(schema, &name) else { continue };
        let whose = if PLATFORM_SCHEMAS.iter().any(|p| name_eq(p, namespace)) {
            format!("schema `{namespace}` belongs to the platform")
        } else {
            format!("the document does not create schema `{namespace}`")
        };
        let times = if count > 1 { format!(" ({count} references)") } else { String::new() };
        let d = RULE
            .at((&origin).into(), format!("`{name}` is an external table{times}: {whose}, so it is expected to exist"))
            .with_help("apply leaves it alone; define the table in the document if it should manage it");
        out.push(d);
    }
}

#[cfg(test)]
mod tests {
    use crate::fixtures::*;
    use model::Severity;

    #[test]
    fn platform_and_unmanaged_schemas_are_external_once() {
        let s = schema(vec![
            table("profiles", 1).col("id", int(), 2).fk(&["id"], "auth.users", &["id"], 2),
            table("avatars", 4).col("owner", int(), 5).fk(&["owner"], "auth.users", &["id"], 5),
            table("notes", 7).col("bucket", int(), 8).fk(&["bucket"], "legacy.buckets", &["id"], 8),
        ]);
        let d = findings(super::run, &s);
        assert_eq!(d.len(), 2, "{d:?}");
        assert!(d.iter().all(|x| x.severity == Severity::Info));
        assert!(d.iter().any(|x| x.message.contains("`auth.users`") && x.message.contains("2 references")));
        assert!(d.iter().any(|x| x.message.contains("`legacy.buckets`") && x.message.contains("does not create")));
    }

    #[test]
    fn tables_of_managed_schemas_are_not_external() {
        let mut s = schema(vec![
            table("trees", 1).col("id", int(), 2).pk(&["id"], 2),
            table("pickers", 4).col("tree_id", int(), 5).fk(&["tree_id"], "orchard.groves", &["id"], 5),
        ]);
        s.tables[0].namespace = Some("orchard".into());
        assert!(findings(super::run, &s).is_empty(), "a missing table of a managed schema is unknown-table's");
        let mut unknown = Vec::new();
        crate::rules::unknown_table::run(&s, &mut unknown);
        assert_eq!(unknown.len(), 1);
        assert!(unknown[0].message.contains("`orchard.groves`"), "{}", unknown[0].message);
    }
}
