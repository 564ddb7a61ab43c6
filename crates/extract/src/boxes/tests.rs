use super::*;
use crate::scan::scan;

fn run(md: &str) -> Partial {
    extract(&[scan("b.md".into(), md)], &Known::default(), &BTreeSet::new())
}

const LIBRARY: &str = "# Library ERD\n\n```\n┌──────────────┐      ┌────────────────┐\n│  patrons     │──────│  checkouts     │\n│              │      │                │\n│ - id (PK)    │      │ - id (PK)      │\n│ - card_no    │      │ - patron_id(FK)│\n│ - joined_on  │      │ - due_on       │\n└──────────────┘      └────────────────┘\n```\n";

#[test]
fn the_library_form_reads_two_tables_and_their_key() {
    let p = run(LIBRARY);
    assert!(p.diagnostics.is_empty(), "{:?}", p.diagnostics);
    let names: Vec<&str> = p.schema.tables.iter().map(|t| t.name.as_str()).collect();
    assert_eq!(names, ["patrons", "checkouts"]);
    let c = p.schema.table("checkouts").unwrap();
    assert_eq!(c.columns.iter().map(|c| c.name.as_str()).collect::<Vec<_>>(), ["id", "patron_id", "due_on"]);
    assert!(c.columns.iter().all(|c| c.ty.is_unstated()));
    let f = &c.foreign_keys[0];
    assert_eq!(
        (f.ref_table.as_str(), f.ref_columns.as_slice(), f.inferred),
        ("patrons", &["id".to_string()][..], false)
    );
    assert_eq!((f.origin.line, f.origin.column), (5, 17));
    assert_eq!((c.origin.line, c.origin.column), (5, 26));
    assert_eq!(p.schema.table("patrons").unwrap().primary_key.as_ref().unwrap().columns, ["id"]);
    assert_eq!(p.read.len(), 1);
}

#[test]
fn korean_titles_crow_feet_and_cut_names() {
    let md = "# 재고 이동\n\n`inventory_transfers` 는 창고 간 이동을 기록한다.\n\n```text\n+------------------+          +-------------------+\n| 창고 (warehouses)|          | inventory_tr..    |\n+------------------+          +-------------------+\n| PK id bigint     |||------o{| PK id bigint      |\n| 이름 text        |          | FK warehouse_id   |\n+------------------+          | 수량 int          |\n                              +-------------------+\n```\n";
    let p = run(md);
    let names: Vec<&str> = p.schema.tables.iter().map(|t| t.name.as_str()).collect();
    assert_eq!(names, ["warehouses", "inventory_transfers"], "{:?}", p.diagnostics);
    let t = p.schema.table("inventory_transfers").unwrap();
    assert_eq!(t.foreign_keys[0].ref_table, "warehouses");
    assert!(!t.foreign_keys[0].inferred);
    assert_eq!(t.column("수량").unwrap().ty.spelling, "int");
}

#[test]
fn what_cannot_be_read_is_said() {
    let md = "```\n┌──────────────────┐     ┌──────────┐\n│ loans            │─────│ shelves  │\n├──────────────────┤     ├──────────┤\n│ id PK            │     │ id PK    │\n│ stores every loan│     │ label    │\n│ owner (FK)       │     └──────────┘\n│ book_r..         │\n└──────────────────┘\n```\n";
    let p = run(md);
    let rules: Vec<(&str, u32)> = p.diagnostics.iter().map(|d| (d.rule, d.span.line)).collect();
    assert!(rules.contains(&("box-diagram-unread", 6)), "{rules:?}");
    assert!(rules.contains(&("box-diagram-unread", 8)), "{rules:?}");
    // `owner` is the one FK column of `loans` and the line to `shelves` the one line left.
    assert_eq!(p.schema.table("loans").unwrap().foreign_keys[0].ref_table, "shelves");
    assert_eq!(p.schema.table("loans").unwrap().columns[2].name, "book_r");
}

#[test]
fn drawings_that_are_not_tables_are_left_alone() {
    for md in [
        "```\n┌──────┐     ┌──────┐\n│ API  │────▶│  DB  │\n└──────┘     └──────┘\n```\n",
        "```\n┌─────────────┐\n│ API Server  │\n├─────────────┤\n│ - REST      │\n│ - GraphQL   │\n└─────────────┘\n```\n",
        "```\n+------------------------------+\n| Run `make` before you commit |\n+------------------------------+\n```\n",
        "```sql\n-- +----+\n-- | id |\n-- +----+\n```\n",
    ] {
        let p = run(md);
        assert!(p.schema.tables.is_empty() && p.read.is_empty(), "{md}");
    }
}
