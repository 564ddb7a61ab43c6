use crate::{name_key, Schema};
use std::collections::BTreeMap;

/// The order in which tables can be created, and the foreign-key cycles that prevent a full order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DependencyOrder {
    /// Indexes into [`Schema::tables`]: every table after the tables it references (self-references
    /// and cycles aside). Among independent tables the document order is kept.
    pub tables: Vec<usize>,
    /// Each cycle as the table names in it, in document order. Such tables are placed in document
    /// order and their foreign keys must be added after creation.
    pub cycles: Vec<Vec<String>>,
}

/// Orders tables so that each comes after the tables its foreign keys reference.
pub fn dependency_order(schema: &Schema) -> DependencyOrder {
    let index: BTreeMap<String, usize> =
        schema.tables.iter().enumerate().map(|(i, t)| (name_key(&t.name), i)).collect();
    let n = schema.tables.len();
    let deps: Vec<Vec<usize>> = schema
        .tables
        .iter()
        .enumerate()
        .map(|(i, t)| {
            let mut d: Vec<usize> = t
                .foreign_keys
                .iter()
                .filter_map(|fk| index.get(&name_key(&fk.ref_table)).copied())
                .filter(|&j| j != i)
                .collect();
            d.sort_unstable();
            d.dedup();
            d
        })
        .collect();

    // Tarjan's strongly connected components, iteratively, to find cycles.
    let components = strongly_connected(&deps);
    let mut component_of = vec![0usize; n];
    for (c, members) in components.iter().enumerate() {
        for &m in members {
            component_of[m] = c;
        }
    }
    let cycles: Vec<Vec<String>> = components
        .iter()
        .filter(|m| m.len() > 1)
        .map(|m| {
            let mut m = m.clone();
            m.sort_unstable();
            m.iter().map(|&i| schema.tables[i].name.clone()).collect()
        })
        .collect();

    // Kahn's algorithm over components, always taking the lowest document index that is ready.
    let mut placed = vec![false; n];
    let mut order = Vec::with_capacity(n);
    let mut remaining: Vec<usize> = (0..n).collect();
    while !remaining.is_empty() {
        let ready =
            remaining.iter().position(|&i| deps[i].iter().all(|&d| placed[d] || component_of[d] == component_of[i]));
        // A ready table always exists: tables of one cycle wait only on each other.
        let pos = ready.unwrap_or(0);
        let i = remaining.remove(pos);
        placed[i] = true;
        order.push(i);
    }
    DependencyOrder { tables: order, cycles }
}

fn strongly_connected(deps: &[Vec<usize>]) -> Vec<Vec<usize>> {
    let n = deps.len();
    let mut index = vec![usize::MAX; n];
    let mut low = vec![0usize; n];
    let mut on_stack = vec![false; n];
    let mut stack = Vec::new();
    let mut next = 0usize;
    let mut out = Vec::new();
    for root in 0..n {
        if index[root] != usize::MAX {
            continue;
        }
        let mut work: Vec<(usize, usize)> = vec![(root, 0)];
        while let Some(&mut (v, ref mut child)) = work.last_mut() {
            if *child == 0 && index[v] == usize::MAX {
                index[v] = next;
                low[v] = next;
                next += 1;
                stack.push(v);
                on_stack[v] = true;
            }
            if *child < deps[v].len() {
                let w = deps[v][*child];
                *child += 1;
                if index[w] == usize::MAX {
                    work.push((w, 0));
                } else if on_stack[w] {
                    low[v] = low[v].min(index[w]);
                }
            } else {
                work.pop();
                if let Some(&(parent, _)) = work.last() {
                    low[parent] = low[parent].min(low[v]);
                }
                if low[v] == index[v] {
                    let mut comp = Vec::new();
                    while let Some(w) = stack.pop() {
                        on_stack[w] = false;
                        comp.push(w);
                        if w == v {
                            break;
                        }
                    }
                    out.push(comp);
                }
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{ForeignKey, Notation, Origin, Table};

    fn origin() -> Origin {
        Origin::new("t.md".into(), 1, 1, Notation::Sql)
    }

    fn table(name: &str, refs: &[&str]) -> Table {
        let mut t = Table::new(name, origin());
        for r in refs {
            t.foreign_keys.push(ForeignKey {
                name: None,
                columns: vec!["x".into()],
                ref_table: r.to_string(),
                ref_columns: vec![],
                on_delete: None,
                on_update: None,
                inferred: false,
                origin: origin(),
            });
        }
        t
    }

    #[test]
    fn referenced_tables_come_first() {
        let schema = Schema {
            tables: vec![
                table("personas", &["users", "agent_jobs"]),
                table("users", &[]),
                table("agent_jobs", &["users"]),
            ],
            ..Schema::default()
        };
        let order = dependency_order(&schema);
        let names: Vec<&str> = order.tables.iter().map(|&i| schema.tables[i].name.as_str()).collect();
        assert_eq!(names, ["users", "agent_jobs", "personas"]);
        assert!(order.cycles.is_empty());
    }

    #[test]
    fn cycles_are_reported_not_fatal() {
        let schema =
            Schema { tables: vec![table("a", &["b"]), table("b", &["a"]), table("c", &["c"])], ..Schema::default() };
        let order = dependency_order(&schema);
        assert_eq!(order.tables.len(), 3);
        assert_eq!(order.cycles, vec![vec!["a".to_string(), "b".to_string()]]);
    }
}
