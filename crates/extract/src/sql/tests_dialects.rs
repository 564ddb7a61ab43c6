//! Tests of SQL Server documents, schema-qualified names, teardown drops, unterminated dollar
//! quotes and error recovery.

use super::*;
use crate::scan::scan;
use model::{DefaultValue, Identity, Severity, Table, TypeKind};

fn run(md: &str) -> Partial {
    extract(&[scan("t.md".into(), md)], None, &BTreeSet::new())
}

fn table<'a>(p: &'a Partial, name: &str) -> &'a Table {
    p.schema.table(name).unwrap_or_else(|| panic!("no table {name}: {:?}", p.schema.tables))
}

fn of<'a>(p: &'a Partial, rule: &str) -> Vec<&'a Diagnostic> {
    p.diagnostics.iter().filter(|d| d.rule == rule).collect()
}

fn errors(p: &Partial) -> Vec<&Diagnostic> {
    p.diagnostics.iter().filter(|d| d.severity == Severity::Error).collect()
}

#[test]
fn tsql_is_detected_and_read_with_brackets_go_and_its_types() {
    let md = "```sql\nCREATE TABLE [dbo].[Order Lines] (\n  [LineID] INT IDENTITY(1,1) NOT NULL,\n  [Note] NVARCHAR(MAX) NULL,\n  [At] DATETIME2(3) NOT NULL DEFAULT (SYSDATETIME()),\n  [Paid] BIT NOT NULL DEFAULT ((0)),\n  [Ref] UNIQUEIDENTIFIER NOT NULL DEFAULT NEWSEQUENTIALID(),\n  [Amount] MONEY NOT NULL,\n  CONSTRAINT [PK_Lines] PRIMARY KEY CLUSTERED ([LineID] ASC)\n) ON [PRIMARY]\nGO\nCREATE NONCLUSTERED INDEX [IX_Lines_At] ON [dbo].[Order Lines] ([At])\nGO\n```\n";
    assert_eq!(detect_flavor(md), Some(SqlFlavor::Mssql));
    let p = run(md);
    assert!(errors(&p).is_empty(), "{:?}", p.diagnostics);
    let t = table(&p, "Order Lines");
    assert_eq!(t.namespace, None, "dbo is the default schema");
    assert_eq!(t.column("LineID").unwrap().identity, Some(Identity::AutoIncrement));
    assert_eq!(t.column("Note").unwrap().ty.kind, TypeKind::Text);
    assert_eq!(t.column("At").unwrap().ty.kind, TypeKind::Timestamp { tz: false, precision: Some(3) });
    assert_eq!(t.column("At").unwrap().default, Some(DefaultValue::CurrentTimestamp));
    assert_eq!(t.column("Paid").unwrap().ty.kind, TypeKind::Bool);
    assert_eq!(t.column("Ref").unwrap().ty.kind, TypeKind::Uuid);
    assert_eq!(t.column("Ref").unwrap().default, Some(DefaultValue::GeneratedUuid));
    assert_eq!(t.column("Amount").unwrap().ty.kind, TypeKind::Decimal { precision: Some(19), scale: Some(4) });
    assert_eq!(t.primary_key.as_ref().unwrap().columns, vec!["LineID".to_string()]);
    assert_eq!(p.schema.indexes.len(), 1);
}

#[test]
fn tsql_code_is_not_schema_and_an_if_guard_is_the_ddl_it_guards() {
    let md = "```tsql\nUSE Clinic;\nGO\nIF NOT EXISTS (SELECT 1 FROM sys.tables WHERE name = 'Rooms') CREATE TABLE Rooms (RoomID INT PRIMARY KEY);\nDECLARE @n INT;\nEXEC sp_help 'Rooms';\nBACKUP DATABASE Clinic TO DISK = 'D:\\c.bak';\nPRINT 'done';\n```\n";
    let p = run(md);
    assert!(errors(&p).is_empty(), "{:?}", p.diagnostics);
    assert!(p.schema.table("Rooms").is_some());
    let lines: Vec<u32> = of(&p, "not-schema").iter().map(|d| d.span.line).collect();
    assert_eq!(lines, vec![5, 6, 7, 8]);
}

#[test]
fn go_separates_statements_only_alone_on_its_line() {
    let md =
        "```sql\nCREATE TABLE a (id INT PRIMARY KEY)\nGO 2\nCREATE TABLE b (go INT, id INT PRIMARY KEY)\nGO\n```\n";
    let p = run(md);
    assert!(errors(&p).is_empty(), "{:?}", p.diagnostics);
    assert!(table(&p, "b").column("go").is_some());
    assert!(p.schema.table("a").is_some());
}

#[test]
fn schema_qualified_tables_are_distinct_and_references_keep_their_schema() {
    let md = "```sql\nCREATE SCHEMA orchard;\nCREATE TABLE orchard.trees (id INT PRIMARY KEY);\nCREATE TABLE public.trees (id INT PRIMARY KEY, h INT);\nCREATE TABLE picks (id INT PRIMARY KEY, tree_id INT REFERENCES orchard.trees(id), sapling_id INT REFERENCES trees(id));\nALTER TABLE orchard.trees ADD COLUMN planted DATE;\nCREATE INDEX ix ON orchard.trees (planted);\n```\n";
    let p = run(md);
    assert!(errors(&p).is_empty(), "{:?}", p.diagnostics);
    assert_eq!(p.schema.tables.len(), 3);
    assert!(table(&p, "orchard.trees").column("planted").is_some());
    assert!(table(&p, "trees").column("planted").is_none());
    let picks = table(&p, "picks");
    let refs: Vec<&str> = picks.foreign_keys.iter().map(|f| f.ref_table.as_str()).collect();
    assert_eq!(refs, vec!["orchard.trees", "trees"]);
    assert_eq!(p.schema.indexes[0].table, "orchard.trees");
    assert_eq!(p.schema.namespaces.iter().map(|n| n.name.as_str()).collect::<Vec<_>>(), vec!["orchard"]);
}

#[test]
fn a_drop_in_a_reset_section_keeps_the_table_and_says_so() {
    let md = "## Create\n\n```sql\nCREATE TABLE tanks (id INT PRIMARY KEY);\n```\n\n## 초기화\n\n```sql\nDROP TABLE IF EXISTS tanks;\n```\n";
    let p = run(md);
    assert!(p.schema.table("tanks").is_some());
    let d = of(&p, "defined-table-dropped");
    assert_eq!(d.len(), 1);
    assert_eq!(d[0].span.line, 10);
    assert!(d[0].message.contains("초기화") && d[0].message.contains("kept"), "{}", d[0].message);
}

#[test]
fn a_drop_then_create_is_history_and_a_lone_drop_removes_the_table_aloud() {
    let md = "## v1\n\n```sql\nCREATE TABLE logs (id INT PRIMARY KEY);\nCREATE TABLE old_notes (id INT PRIMARY KEY);\nCREATE TABLE keep (id INT PRIMARY KEY);\nDROP TABLE logs;\nCREATE TABLE logs (id BIGINT PRIMARY KEY, at DATE);\nDROP TABLE old_notes;\n```\n";
    let p = run(md);
    assert!(errors(&p).is_empty(), "{:?}", p.diagnostics);
    assert!(table(&p, "logs").column("at").is_some(), "the later definition is the design");
    assert!(p.schema.table("old_notes").is_none());
    let d = of(&p, "defined-table-dropped");
    assert_eq!(d.len(), 2);
    assert!(d[0].message.contains("migration history"), "{}", d[0].message);
    assert!(d[1].message.contains("not part of the design"), "{}", d[1].message);
}

#[test]
fn an_unterminated_dollar_quote_is_an_error_at_its_line_and_later_tables_are_read() {
    let md = "```sql\nCREATE FUNCTION touch() RETURNS trigger AS $$\nBEGIN\n  NEW.at = now();\n  RETURN NEW;\nEND;\n\nCREATE TABLE after_body (id INT PRIMARY KEY);\n```\n";
    let p = run(md);
    let e = errors(&p);
    assert_eq!(e.len(), 1, "{:?}", p.diagnostics);
    assert_eq!((e[0].span.line, e[0].span.column), (2, 44));
    assert!(e[0].message.contains("never closed") && e[0].message.contains("line 8"), "{}", e[0].message);
    assert!(p.schema.table("after_body").is_some());
}

#[test]
fn a_stray_token_keeps_the_element_before_it() {
    let md = "```sql\nCREATE TABLE s (id INT PRIMARY KEY);\nCREATE TABLE p (\n  id INT,\n  s_id INT,\n  CONSTRAINT pk_p PRIMARY KEY (id),\n  CONSTRAINT fk_p_s FOREIGN KEY (s_id) REFERENCES s(id)\n  oops\n);\n```\n";
    let p = run(md);
    let e = errors(&p);
    assert_eq!(e.len(), 1);
    assert_eq!((e[0].span.line, e[0].span.column), (8, 3));
    let t = table(&p, "p");
    assert_eq!(t.foreign_keys.len(), 1);
    assert!(!t.column("id").unwrap().nullable, "a primary key column is NOT NULL");
}

#[test]
fn fragments_under_a_heading_naming_no_table_attach_nothing() {
    let md = "### Money columns\n\n```sql\nprice NUMERIC(12,2) -- list\ndiscount NUMERIC(12,2)\n```\n";
    let p = run(md);
    assert!(errors(&p).is_empty(), "{:?}", p.diagnostics);
    assert!(p.schema.tables.is_empty());
    let d = of(&p, "sql-fragment");
    assert_eq!(d.len(), 1);
    assert!(d[0].message.contains("not attached"), "{}", d[0].message);
}

#[test]
fn a_partition_is_not_a_table() {
    let md = "```sql\nCREATE TABLE r (id INT, at DATE) PARTITION BY RANGE (at);\nCREATE TABLE r_2030 PARTITION OF r FOR VALUES FROM ('2030-01-01') TO ('2031-01-01');\n```\n";
    let p = run(md);
    assert!(errors(&p).is_empty(), "{:?}", p.diagnostics);
    assert_eq!(p.schema.tables.len(), 1);
    assert!(of(&p, "statement-not-modelled").iter().any(|d| d.message.contains("partition of `r`")));
}

#[test]
fn sqlite_strict_and_without_rowid_are_kept() {
    let p = run("```sqlite\nCREATE TABLE c (name TEXT PRIMARY KEY, v INTEGER) STRICT, WITHOUT ROWID;\n\
                 CREATE TABLE r (id INTEGER PRIMARY KEY) without rowid;\nCREATE TABLE s (id INTEGER) STRICT;\n\
                 CREATE TABLE n (id INTEGER);\n```\n");
    assert!(errors(&p).is_empty(), "{:?}", errors(&p));
    assert_eq!(
        table(&p, "c").options,
        model::TableOptions { strict: true, without_rowid: true, ..model::TableOptions::default() }
    );
    assert_eq!(table(&p, "c").columns.len(), 2);
    assert_eq!(
        table(&p, "r").options,
        model::TableOptions { strict: false, without_rowid: true, ..model::TableOptions::default() }
    );
    assert_eq!(
        table(&p, "s").options,
        model::TableOptions { strict: true, without_rowid: false, ..model::TableOptions::default() }
    );
    assert_eq!(table(&p, "n").options, model::TableOptions::default());
}

#[test]
fn mysql_charsets_and_collations_are_kept() {
    let p = run("```mysql\nCREATE TABLE a (\n  id INT PRIMARY KEY,\n  handle VARCHAR(40) CHARACTER SET ascii COLLATE ascii_bin NOT NULL,\n  \
                 bio MEDIUMTEXT COLLATE `utf8mb4_unicode_ci`,\n  plain VARCHAR(9)\n) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;\n\
                 CREATE TABLE b (id INT PRIMARY KEY) DEFAULT CHARACTER SET latin1;\n```\n");
    assert!(errors(&p).is_empty(), "{:?}", errors(&p));
    let a = table(&p, "a");
    assert_eq!(a.options.charset.as_deref(), Some("utf8mb4"));
    assert_eq!(a.options.collation.as_deref(), Some("utf8mb4_unicode_ci"));
    let handle = a.column("handle").unwrap();
    assert_eq!((handle.charset.as_deref(), handle.collation.as_deref()), (Some("ascii"), Some("ascii_bin")));
    assert_eq!(handle.ty.spelling, "VARCHAR(40)");
    assert!(!handle.nullable);
    assert_eq!(a.column("bio").unwrap().collation.as_deref(), Some("utf8mb4_unicode_ci"));
    assert_eq!(a.column("plain").unwrap().collation, None);
    let b = table(&p, "b");
    assert_eq!((b.options.charset.as_deref(), b.options.collation.as_deref()), (Some("latin1"), None));
}
