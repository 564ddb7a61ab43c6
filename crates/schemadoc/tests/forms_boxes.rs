//! The drawn and written-out forms of the shared corpus: ASCII box ERDs (`g6`), Prisma outside a
//! fence (`g7`), relational notation (`g9`), Mermaid FK pairing (`c3`, `c3b`) and an ERD key the
//! SQL lacks (`m1`): each reads as the forms README says. Runs whenever the folder exists;
//! mandatory when `SCHEMADOC_SHARED_DIR` names it.

mod common;

use common::forms::*;
use serde_json::Value;

#[test]
fn g6_ascii_box_erd() {
    let Some(r) = read("g6_") else { return };
    assert_eq!(r.tables(), names(&["patrons", "checkouts"]));
    assert_eq!(r.columns("patrons"), names(&["id", "card_no", "joined_on"]));
    assert_eq!(r.primary_key("patrons"), names(&["id"]));
    assert_eq!(r.columns("checkouts"), names(&["id", "patron_id", "due_on"]));
    assert_eq!(r.primary_key("checkouts"), names(&["id"]));
    assert_eq!(r.foreign_keys("checkouts"), [(names(&["patron_id"]), "patrons".into(), names(&["id"]))]);
    for t in ["patrons", "checkouts"] {
        assert!(r.columns(t).iter().all(|c| r.ty(t, c).is_empty()), "{t} columns are untyped");
    }
    assert!(r.unread().is_empty(), "{:#?}", r.unread());
    assert!(r.errors().is_empty(), "{:#?}", r.errors());
}

#[test]
fn g7_prisma_outside_a_fence() {
    let Some(r) = read("g7_") else { return };
    assert_eq!(r.tables(), names(&["Hive", "Frame"]));
    assert_eq!(r.foreign_keys("Frame"), [(names(&["hiveId"]), "Hive".into(), names(&["id"]))]);
    assert_eq!(r.column("Frame", "hiveId")["origin"]["line"], 11);
    assert!(r.unread().is_empty(), "{:#?}", r.unread());
    assert!(r.errors().is_empty(), "{:#?}", r.errors());
}

#[test]
fn g9_relational_notation() {
    let Some(r) = read("g9_") else { return };
    assert_eq!(r.tables(), names(&["trees", "harvests"]));
    assert_eq!(r.columns("trees"), names(&["id", "row_no", "cultivar", "planted_on"]));
    assert_eq!(r.columns("harvests"), names(&["id", "tree_id", "picked_on", "kg"]));
    let fks: Vec<(Vec<String>, String)> = r.foreign_keys("harvests").into_iter().map(|(c, t, _)| (c, t)).collect();
    assert_eq!(fks, [(names(&["tree_id"]), "trees".into())]);
    assert!(r.inferred("harvests", "tree_id"), "a target guessed from a name is marked inferred");
    // Relational notation that states no key takes `id` by convention, and says so.
    assert_eq!(r.primary_key("trees"), names(&["id"]));
    assert!(r.rules().iter().any(|x| x == "inferred-primary-key"), "{:?}", r.rules());
    assert!(!r.rules().iter().any(|x| x == "missing-primary-key"), "{:?}", r.rules());
    assert!(r.unread().is_empty(), "{:#?}", r.unread());
    assert!(r.errors().is_empty(), "{:#?}", r.errors());
}

#[test]
fn c3_mermaid_fk_attributes_pair_with_lines_by_label() {
    let Some(r) = read("c3_") else { return };
    assert_eq!(
        r.foreign_keys("Recipe"),
        [
            (names(&["cookId"]), "Member".into(), names(&["id"])),
            (names(&["cuisineCode"]), "Cuisine".into(), names(&["code"]))
        ]
    );
    assert!(!r.rules().iter().any(|x| x.starts_with("mermaid-")), "{:?}", r.rules());
    assert!(r.errors().is_empty(), "{:#?}", r.errors());
}

#[test]
fn c3b_mermaid_fk_attributes_pair_by_stem_and_elimination() {
    let Some(r) = read("c3b") else { return };
    assert_eq!(
        r.foreign_keys("notes"),
        [
            (names(&["room_id"]), "rooms".into(), names(&["id"])),
            (names(&["writer_id"]), "people".into(), names(&["id"]))
        ]
    );
    assert!(!r.rules().iter().any(|x| x.starts_with("mermaid-")), "{:?}", r.rules());
    assert!(r.errors().is_empty(), "{:#?}", r.errors());
}

#[test]
fn m1_an_erd_unique_the_sql_lacks_is_a_disagreement() {
    let Some(r) = read("m1_") else { return };
    assert_eq!(r.keys("badges"), [(names(&["issuer", "code"]), true)], "the ERD adds no UNIQUE");
    let found: Vec<&Value> = r.diagnostics.iter().filter(|d| d["rule"] == "conflicting-definition").collect();
    assert_eq!(found.len(), 1, "{:#?}", r.diagnostics);
    let message = found[0]["message"].as_str().unwrap();
    assert!(message.contains("unique key only in ERD"), "{message}");
    assert!(r.errors().is_empty(), "{:#?}", r.errors());
}
