//! The bullet forms of the shared corpus (`../shared/forms/g1*.md`, `p1`, `p3`): each reads as the
//! forms README says. Runs whenever the folder exists; mandatory when `SCHEMADOC_SHARED_DIR` names it.

mod common;

use common::forms::*;
use serde_json::Value;

#[test]
fn g1a_backticked_bullets_with_types_keys_and_references() {
    let Some(r) = read("g1a_") else { return };
    let mut tables = r.tables();
    tables.sort();
    assert_eq!(tables, names(&["bays", "mechanics", "repair_orders"]));
    assert_eq!(
        r.columns("repair_orders"),
        names(&["id", "bike_serial", "mechanic_id", "bay_id", "status", "opened_at", "closed_at"])
    );
    assert_eq!(r.ty("repair_orders", "id"), "bigint");
    assert_eq!(r.column("repair_orders", "id")["identity"], "auto_increment");
    assert_eq!(r.primary_key("repair_orders"), names(&["id"]));
    assert_eq!(r.ty("repair_orders", "bike_serial"), "varchar(40)");
    assert_eq!(r.column("repair_orders", "bike_serial")["nullable"], false);
    assert!(r.keys("repair_orders").contains(&(names(&["bike_serial"]), true)));
    assert_eq!(
        r.foreign_keys("repair_orders"),
        [
            (names(&["mechanic_id"]), "mechanics".into(), names(&["id"])),
            (names(&["bay_id"]), "bays".into(), names(&["id"]))
        ]
    );
    assert!(r.ty("repair_orders", "status").starts_with("enum('open', 'done')"));
    assert_eq!(r.column("repair_orders", "status")["default"], "'open'");
    // Stated without a type: untyped, not guessed.
    assert_eq!((r.ty("repair_orders", "opened_at"), r.ty("repair_orders", "closed_at")), ("".into(), "".into()));
    assert!(!r.tables().iter().flat_map(|t| r.columns(t)).any(|c| c.eq_ignore_ascii_case("fk")));
    assert_eq!(r.primary_key("mechanics"), names(&["id"]));
    assert_eq!(r.ty("bays", "label"), "text");
    assert!(r.errors().is_empty(), "{:#?}", r.errors());
}

#[test]
fn g1b_plain_bullets_under_a_columns_heading() {
    let Some(r) = read("g1b_") else { return };
    assert_eq!(r.tables(), names(&["sky_sessions"]));
    assert_eq!(r.columns("sky_sessions"), names(&["id", "telescope", "seeing_arcsec", "started_at"]));
    let types: Vec<String> = r.columns("sky_sessions").iter().map(|c| r.ty("sky_sessions", c)).collect();
    assert_eq!(types, names(&["uuid", "varchar(60)", "decimal(4,2)", "timestamptz"]));
    assert_eq!(r.primary_key("sky_sessions"), names(&["id"]));
    assert_eq!(r.column("sky_sessions", "seeing_arcsec")["nullable"], true);
    assert_eq!(r.column("sky_sessions", "telescope")["nullable"], false);
    assert_eq!(r.keys("sky_sessions"), [(names(&["started_at"]), false)]);
    assert!(r.errors().is_empty(), "{:#?}", r.errors());
}

#[test]
fn g1c_bold_entities_with_python_annotations() {
    let Some(r) = read("g1c_") else { return };
    assert_eq!(r.tables(), names(&["Greenhouse", "SensorReading"]));
    assert_eq!(r.columns("Greenhouse"), names(&["id", "label", "built_on"]));
    assert_eq!(r.ty("Greenhouse", "id"), "uuid");
    assert_eq!(r.ty("Greenhouse", "label"), "text");
    assert_eq!(r.ty("Greenhouse", "built_on"), "date");
    assert_eq!(r.columns("SensorReading"), names(&["id", "greenhouse_id", "humidity", "tags"]));
    // Neither entity states a key: each takes its `id` by convention, so the reference resolves.
    assert_eq!(r.primary_key("Greenhouse"), names(&["id"]));
    assert_eq!(r.primary_key("SensorReading"), names(&["id"]));
    assert_eq!(r.foreign_keys("SensorReading"), [(names(&["greenhouse_id"]), "Greenhouse".into(), names(&["id"]))]);
    assert!(r.errors().is_empty(), "{:#?}", r.errors());
    assert_eq!(
        (r.ty("SensorReading", "humidity").as_str(), &r.column("SensorReading", "humidity")["nullable"]),
        ("double", &Value::Bool(true))
    );
    assert_eq!(r.ty("SensorReading", "tags"), "text[]");
}

#[test]
fn g1d_untyped_columns_from_key_and_column_bullets() {
    let Some(r) = read("g1d_") else { return };
    assert_eq!(r.tables(), names(&["harbors", "sailings"]));
    assert_eq!(r.columns("harbors"), names(&["id", "name", "country_code"]));
    assert_eq!(r.primary_key("harbors"), names(&["id"]));
    assert_eq!(r.columns("sailings"), names(&["id", "harbor_id", "departs_at", "capacity"]));
    assert_eq!(r.primary_key("sailings"), names(&["id"]));
    assert_eq!(r.foreign_keys("sailings"), [(names(&["harbor_id"]), "harbors".into(), names(&["id"]))]);
    assert_eq!(r.column("sailings", "harbor_id")["nullable"], false);
    for t in ["harbors", "sailings"] {
        assert!(r.columns(t).iter().all(|c| r.ty(t, c).is_empty()), "{t} columns are untyped");
    }
    assert!(r.errors().is_empty(), "{:#?}", r.errors());
}

#[test]
fn g1e_one_bullet_per_table() {
    let Some(r) = read("g1e_") else { return };
    assert_eq!(r.tables(), names(&["genres", "book_genres"]));
    assert_eq!(r.columns("genres"), names(&["id", "title", "sort_key"]));
    assert_eq!(r.ty("genres", "title"), "varchar(40)");
    assert_eq!(r.column("genres", "title")["nullable"], false);
    assert!(r.keys("genres").contains(&(names(&["title"]), true)));
    assert_eq!(r.ty("genres", "sort_key"), "smallint");
    assert_eq!(r.primary_key("book_genres"), names(&["book_id", "genre_id"]));
    let fks: Vec<(Vec<String>, String)> = r.foreign_keys("book_genres").into_iter().map(|(c, t, _)| (c, t)).collect();
    assert_eq!(fks, [(names(&["genre_id"]), "genres".into())]);
    // `books` is not in the document: the key `book_id` is said, its target only guessed — a hint.
    assert!(r.diagnostics.iter().any(|d| d["severity"] == "info"
        && d["message"].as_str().is_some_and(|m| m.contains("book_genres.book_id") && m.contains("books"))));
    assert!(r.errors().is_empty(), "{:#?}", r.errors());
}

#[test]
fn g1f_key_columns_naming_several_columns_at_once() {
    let Some(r) = read("g1f_") else { return };
    assert_eq!(r.tables(), names(&["stations"]));
    assert_eq!(r.columns("stations"), names(&["id", "call_sign", "region", "datum", "installed_on"]));
    assert_eq!(r.primary_key("stations"), names(&["id"]));
    assert_eq!(r.column("stations", "id")["spelling"], "SERIAL");
    assert!(r.ty("stations", "datum").to_lowercase().starts_with("enum"));
    let keys = r.keys("stations");
    assert!(keys.contains(&(names(&["call_sign", "region"]), true)), "{keys:?}");
    assert!(keys.contains(&(names(&["region"]), false)), "{keys:?}");
    assert!(r.errors().is_empty(), "{:#?}", r.errors());
}

#[test]
fn p1_a_relationship_bullet_from_the_parent_is_a_key_on_the_child() {
    let Some(r) = read("p1_") else { return };
    assert_eq!(r.foreign_keys("jars"), [(names(&["shelf_id"]), "shelves".into(), names(&["id"]))]);
    assert!(r.foreign_keys("shelves").is_empty());
    // NOTE: the field tables state no primary key (a SERIAL `id` is not one by itself); the only
    // error left is that missing key, never one about the relationship's direction.
    let errors = r.errors();
    let wrong: Vec<&&Value> = errors
        .iter()
        .filter(|d| !d["message"].as_str().is_some_and(|m| m.contains("`jars`") && m.contains("`shelves` (`id`)")))
        .collect();
    assert!(wrong.is_empty(), "{wrong:#?}");
}

#[test]
fn p3_prose_naming_an_index_is_not_one() {
    let Some(r) = read("p3_") else { return };
    assert_eq!(r.tables().len(), 1);
    let t = r.tables()[0].clone();
    assert_eq!(r.columns(&t), names(&["trailhead_id", "elevation_m"]));
    assert!(r.keys(&t).is_empty(), "{:?}", r.keys(&t));
    assert!(r.errors().is_empty(), "{:#?}", r.errors());
}
