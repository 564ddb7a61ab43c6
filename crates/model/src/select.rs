use crate::{name_eq, name_key, Schema};
use std::collections::BTreeSet;

impl Schema {
    /// The part of the schema within `depth` foreign-key steps of the tables named in `roots`, in
    /// either direction (what they reference and what references them), with the indexes of the
    /// tables kept. `depth` 0 keeps the named tables alone. Foreign keys to tables left out stay on
    /// their tables, so a diagram can still show where they lead.
    pub fn neighbourhood(&self, roots: &[String], depth: usize) -> Schema {
        let mut keep: BTreeSet<String> = self
            .tables
            .iter()
            .filter(|t| roots.iter().any(|r| name_eq(&t.name, r) || name_eq(&t.qualified_name(), r)))
            .map(|t| name_key(&t.name))
            .collect();
        for _ in 0..depth {
            let mut next = keep.clone();
            for table in &self.tables {
                let here = name_key(&table.name);
                for fk in &table.foreign_keys {
                    let there = name_key(fk.ref_table.rsplit('.').next().unwrap_or(&fk.ref_table));
                    if keep.contains(&here) {
                        next.insert(there.clone());
                    }
                    if keep.contains(&there) {
                        next.insert(here.clone());
                    }
                }
            }
            if next.len() == keep.len() {
                break;
            }
            keep = next;
        }
        let kept = |name: &str| keep.contains(&name_key(name));
        Schema {
            tables: self.tables.iter().filter(|t| kept(&t.name)).cloned().collect(),
            indexes: self.indexes.iter().filter(|i| kept(&i.table)).cloned().collect(),
            enums: self.enums.clone(),
            ..Schema::default()
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::{ForeignKey, Notation, Origin, Schema, Table};
    use std::sync::Arc;

    fn schema() -> Schema {
        let origin = Origin::new(Arc::from("t.md"), 1, 1, Notation::Sql);
        let table = |name: &str, refs: &[&str]| {
            let mut t = Table::new(name, origin.clone());
            for r in refs {
                t.foreign_keys.push(ForeignKey {
                    name: None,
                    columns: vec![format!("{r}_id")],
                    ref_table: r.to_string(),
                    ref_columns: vec![],
                    on_delete: None,
                    on_update: None,
                    inferred: false,
                    origin: origin.clone(),
                });
            }
            t
        };
        Schema {
            tables: vec![
                table("users", &[]),
                table("orders", &["users"]),
                table("items", &["orders", "products"]),
                table("products", &[]),
                table("audit", &[]),
            ],
            ..Schema::default()
        }
    }

    fn names(s: &Schema) -> Vec<&str> {
        s.tables.iter().map(|t| t.name.as_str()).collect()
    }

    #[test]
    fn depth_counts_steps_in_both_directions() {
        let s = schema();
        assert_eq!(names(&s.neighbourhood(&["orders".into()], 0)), ["orders"]);
        assert_eq!(names(&s.neighbourhood(&["orders".into()], 1)), ["users", "orders", "items"]);
        assert_eq!(names(&s.neighbourhood(&["ORDERS".into()], 2)), ["users", "orders", "items", "products"]);
        assert!(s.neighbourhood(&["nothing".into()], 3).tables.is_empty());
    }
}
