//! Lint rules over a merged [`model::Schema`]: each rule reports the flaws of one kind as
//! [`Diagnostic`]s, like a compiler. The rule documentation lives with each rule
//! (see [`rules()`]).

mod leave_out;
pub mod policy;
pub mod rules;
mod support;

#[cfg(test)]
mod fixtures;

pub use leave_out::{leave_out, LeftOut};
use model::{Diagnostic, RuleInfo, Schema};

/// Every rule schemadoc knows, with its name, default severity and documentation.
pub fn rules() -> &'static [RuleInfo] {
    rules::RULES
}

/// The rule registered under `name`.
pub fn rule(name: &str) -> Option<&'static RuleInfo> {
    rules::RULES.iter().find(|r| r.name == name)
}

/// Runs every rule over the schema: findings sorted by (file, line, column, rule), without duplicates.
pub fn check(schema: &Schema) -> Vec<Diagnostic> {
    check_rules(schema, |_| true)
}

/// Runs every rule over the schema of a document written for `dialect` (when known): rules that
/// depend on the engine (`unknown-type`) judge by its vocabulary. Sorted and deduplicated as by [`check`].
pub fn check_in(schema: &Schema, dialect: Option<model::SqlDialect>) -> Vec<Diagnostic> {
    sorted(run_rules(schema, dialect, |_| true))
}

/// Runs the rules `select` accepts over the schema: findings sorted and deduplicated as by [`check`].
pub fn check_rules(schema: &Schema, select: impl Fn(&RuleInfo) -> bool) -> Vec<Diagnostic> {
    sorted(run_rules(schema, None, select))
}

fn run_rules(
    schema: &Schema,
    dialect: Option<model::SqlDialect>,
    select: impl Fn(&RuleInfo) -> bool,
) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    support::Lookup::scope(schema, || {
        for (info, run) in rules::RULES.iter().zip(rules::RUNNERS) {
            if !select(info) {
                continue;
            }
            if info.name == rules::unknown_type::RULE.name {
                rules::unknown_type::run_in(schema, dialect, &mut out);
            } else {
                run(schema, &mut out);
            }
        }
    });
    out
}

fn sorted(mut out: Vec<Diagnostic>) -> Vec<Diagnostic> {
    out.sort_by(|a, b| {
        (&a.span.file, a.span.line, a.span.column, a.rule)
            .cmp(&(&b.span.file, b.span.line, b.span.column, b.rule))
            .then_with(|| a.cmp(b))
    });
    out.dedup();
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fixtures::*;
    use model::{
        DataType, DefaultValue, Enum, Index, IndexPart, QueryHintKind, Routine, RoutineKind, Severity, TypeKind, View,
    };

    fn is_kebab(name: &str) -> bool {
        !name.is_empty()
            && !name.starts_with('-')
            && !name.ends_with('-')
            && !name.contains("--")
            && name.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
    }

    #[test]
    fn every_rule_has_a_unique_kebab_name_and_a_full_doc() {
        assert_eq!(rules().len(), rules::RUNNERS.len());
        let mut names: Vec<&str> = rules().iter().map(|r| r.name).collect();
        for r in rules() {
            assert!(is_kebab(r.name), "`{}` is not kebab-case", r.name);
            for section in ["What it does", "Why it matters", "Example"] {
                assert!(r.doc.contains(section), "the doc of `{}` lacks \"{section}\"", r.name);
            }
            assert!(r.summary().ends_with('.'), "the summary of `{}` is not one whole sentence", r.name);
            assert_eq!(rule(r.name), Some(r));
        }
        names.sort_unstable();
        names.dedup();
        assert_eq!(names.len(), rules().len(), "rule names repeat");
        assert_eq!(rule("no-such-rule"), None);
    }

    #[test]
    fn every_rule_file_is_registered() {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("src/rules");
        let files = std::fs::read_dir(dir).map(|d| d.filter_map(Result::ok).count()).unwrap_or(0);
        assert_eq!(files.saturating_sub(1), rules().len(), "a file of src/rules is missing from `registry!`");
    }

    #[test]
    fn tables_declared_by_name_only_raise_no_finding_but_one_note() {
        let mut s = schema(vec![table("firings", 1)
            .col("id", int(), 2)
            .pk(&["id"], 2)
            .col("kiln_id", int(), 3)
            .fk(&["kiln_id"], "kilns", &["id"], 3)
            .col("shift_id", int(), 4)
            .fk(&["shift_id"], "shifts", &[], 4)]);
        s.indexes.push(index("idx_firings_kiln", "firings", &["kiln_id"], 5));
        s.indexes.push(index("idx_firings_shift", "firings", &["shift_id"], 6));
        s.tables.push(model::Table::declared("kilns", at(8)));
        let mut shifts = model::Table::declared("shifts", at(9));
        shifts.foreign_keys.push(model::ForeignKey {
            name: None,
            columns: vec![],
            ref_table: "kilns".into(),
            ref_columns: vec![],
            on_delete: None,
            on_update: None,
            inferred: false,
            origin: at(10),
        });
        s.tables.push(shifts);
        let d = check(&s);
        let rules: Vec<&str> = d.iter().map(|d| d.rule).collect();
        assert_eq!(rules, ["columns-not-stated"], "{d:#?}");
    }

    #[test]
    fn empty_schema_has_no_findings() {
        assert!(check(&model::Schema::default()).is_empty());
    }

    /// A schema with one instance of every finding this crate knows.
    fn flawed() -> model::Schema {
        let mut s = schema(vec![
            table("users", 1).col("id", int(), 2).pk(&["id"], 2),
            table("posts", 4)
                .col("id", int(), 5)
                .pk(&["id"], 5)
                .col("user_id", bigint(), 6)
                .fk(&["user_id"], "users", &[], 6)
                .col("status", text(), 7)
                .comment("draft|published")
                .col("author_id", int(), 8)
                .comment("→ users")
                .col("embedding", vector(3), 9),
            table("logs", 11).col("message", text(), 12).fk(&["post_id"], "post", &[], 13),
        ]);
        s.indexes.push(index("idx_posts_status", "posts", &["status"], 15));
        s.indexes.push(index("idx_posts_status_again", "posts", &["status"], 16));
        s.query_hints.push(hint("posts", QueryHintKind::OrderBy, &["author_id"], true, 17));
        s
    }

    #[test]
    fn check_runs_every_rule_sorted_and_deduplicated() {
        let d = check(&flawed());
        let got: Vec<(u32, &str, Severity)> = d.iter().map(|d| (d.span.line, d.rule, d.severity)).collect();
        assert_eq!(
            got,
            [
                (6, "foreign-key-type-mismatch", Severity::Warning),
                (6, "foreign-key-without-index", Severity::Warning),
                (7, "enum-like-comment", Severity::Warning),
                (8, "missing-foreign-key", Severity::Info),
                (9, "missing-extension", Severity::Error),
                (11, "missing-primary-key", Severity::Warning),
                (13, "unknown-column", Severity::Error),
                (13, "unknown-table", Severity::Error),
                (16, "duplicate-index", Severity::Warning),
                (17, "unindexed-query-pattern", Severity::Info),
            ]
        );
        let only_errors = check_rules(&flawed(), |r| r.default_severity == Severity::Error);
        assert!(only_errors.iter().all(|d| rule(d.rule).is_some_and(|r| r.default_severity == Severity::Error)));
        assert_eq!(only_errors.len(), 4);
    }

    #[test]
    fn edge_cases_do_not_panic() {
        let odd = DataType::new(TypeKind::Other { raw: String::new() }, "");
        let mut s = schema(vec![
            table("", 0).col("", odd.clone(), 0).comment("").pk(&[], 0).unique(&[], 0).check("", &[""], 0),
            table("empty", 1).fk(&[], "", &[], 1).fk(&["a", "b"], "empty", &[], 1),
            table("a", 2)
                .col("x_id", int(), 2)
                .comment("|||,,,'''\"")
                .col("_id", odd, 3)
                .comment("a|b")
                .default(DefaultValue::Raw("uuid_generate_v4(".into()))
                .pk(&["x_id", "x_id"], 4)
                .fk(&["x_id"], "b", &["y", "z"], 5)
                .fk(&["x_id", "_id"], "b", &[], 6)
                .inferred_fk(&[], "nowhere", &[], 7),
            table("b", 8).col("y", uuid(), 9).fk(&["y"], "a", &["_id"], 10).fk(&["y"], "b", &["y"], 11),
            table("사용자", 12).col("이름", text(), 13).comment("'가', '나', '다'"),
        ]);
        s.indexes.push(Index {
            name: None,
            table: String::new(),
            parts: vec![],
            unique: true,
            method: Some(String::new()),
            predicate: Some(String::new()),
            include: vec![String::new()],
            origin: at(20),
        });
        s.indexes.push(Index {
            parts: vec![IndexPart { column: None, expr: None, descending: true, opclass: Some("vector_".into()) }],
            ..index("e", "a", &[], 21)
        });
        s.indexes.push(index("e", "a", &[], 22));
        s.query_hints.push(hint("a", QueryHintKind::OrderBy, &[], true, 23));
        s.query_hints.push(hint("", QueryHintKind::Like, &[""], false, 24));
        s.views.push(View {
            name: String::new(),
            sql: String::new(),
            materialized: true,
            tables: vec![String::new()],
            origin: at(25),
        });
        s.routines.push(Routine {
            kind: RoutineKind::Trigger,
            name: String::new(),
            sql: String::new(),
            language: None,
            table: Some(String::new()),
            function: None,
            tables: vec![],
            origin: at(26),
        });
        s.enums.push(Enum { name: String::new(), values: vec![], origin: at(27) });
        let first = check(&s);
        assert_eq!(first, check(&s), "output must be deterministic");
        assert!(first.iter().all(|d| rule(d.rule).is_some()));
    }

    /// A tiny xorshift generator, so that the random schemas below are the same on every run.
    struct Rng(u64);

    impl Rng {
        fn next(&mut self, n: usize) -> usize {
            self.0 ^= self.0 << 13;
            self.0 ^= self.0 >> 7;
            self.0 ^= self.0 << 17;
            (self.0 % n.max(1) as u64) as usize
        }

        fn pick<'a>(&mut self, items: &[&'a str]) -> &'a str {
            items[self.next(items.len())]
        }
    }

    #[test]
    fn random_schemas_do_not_panic() {
        const NAMES: &[&str] = &["users", "user", "posts", "post_id", "user_id", "id", "", "Users", "\"users\"", "x.y"];
        const COMMENTS: &[&str] = &["a|b", "users 참조 (FK 제약 없음)", "'x', 'y', 'z'", "", "posts"];
        let types = [int(), bigint(), text(), varchar(3), uuid(), vector(2), DataType::loose(TypeKind::Text, "string")];
        let mut rng = Rng(0x9e37_79b9_7f4a_7c15);
        for _ in 0..300 {
            let mut tables = Vec::new();
            for t in 0..rng.next(4) {
                let mut tb = table(rng.pick(NAMES), t as u32);
                for c in 0..rng.next(4) {
                    tb = tb.col(rng.pick(NAMES), types[rng.next(types.len())].clone(), c as u32);
                    if rng.next(2) == 0 {
                        tb = tb.comment(rng.pick(COMMENTS));
                    }
                }
                match rng.next(3) {
                    0 => tb = tb.pk(&[rng.pick(NAMES)], 1),
                    1 => tb = tb.unique(&[rng.pick(NAMES), rng.pick(NAMES)], 1),
                    _ => {}
                }
                for _ in 0..rng.next(3) {
                    let cols: Vec<&str> = (0..rng.next(3)).map(|_| rng.pick(NAMES)).collect();
                    let refs: Vec<&str> = (0..rng.next(3)).map(|_| rng.pick(NAMES)).collect();
                    tb = if rng.next(2) == 0 {
                        tb.fk(&cols, rng.pick(NAMES), &refs, 2)
                    } else {
                        tb.inferred_fk(&cols, rng.pick(NAMES), &refs, 2)
                    };
                }
                tables.push(tb);
            }
            let mut s = schema(tables);
            for _ in 0..rng.next(3) {
                let cols: Vec<&str> = (0..rng.next(3)).map(|_| rng.pick(NAMES)).collect();
                s.indexes.push(index(rng.pick(NAMES), rng.pick(NAMES), &cols, 3));
            }
            for kind in [QueryHintKind::OrderBy, QueryHintKind::Filter, QueryHintKind::Like] {
                if rng.next(2) == 0 {
                    s.query_hints.push(hint(rng.pick(NAMES), kind, &[rng.pick(NAMES)], rng.next(2) == 0, 4));
                }
            }
            let d = check(&s);
            assert_eq!(d, check(&s));
            assert!(d.windows(2).all(|w| (&w[0].span.file, w[0].span.line) <= (&w[1].span.file, w[1].span.line)));
        }
    }
}
