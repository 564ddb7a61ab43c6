//! MariaDB/MySQL applies resume by state, not by step number: DDL there commits statement by
//! statement, so an apply that failed or was killed leaves part of its plan done. The next apply
//! plans from what the database really holds (a step undone by hand since is done again, nothing is
//! skipped or repeated), records the killed apply as interrupted, and converges. Each case runs in
//! its own scratch database; without a reachable server it is skipped (except under `CI=true`).

use diff::Renames;
use schemadoc_dialect::testing::ScratchDb;
use schemadoc_dialect::{
    engine, plan_migration, EngineKind, InspectFilter, Plan, PlanOptions, PlannedStatement, Session,
};

fn doc(sql: &str) -> model::Schema {
    let files = [extract::SourceFile { name: "doc.md".into(), text: format!("# Doc\n\n```mysql\n{sql}\n```\n") }];
    extract::extract(&files, &extract::Options::default()).schema
}

fn plan_for(s: &mut dyn Session, schema: &model::Schema) -> Plan {
    let live = s.inspect(&InspectFilter::default()).expect("inspect");
    plan_migration(engine(EngineKind::Mysql), &live, schema, &Renames::default(), &PlanOptions::default()).2
}

fn count(s: &mut dyn Session, sql: &str) -> i64 {
    s.count(sql).unwrap_or_else(|e| panic!("{sql}: {e}"))
}

const BASE: &str = "CREATE TABLE users (id INT NOT NULL PRIMARY KEY, score INT";
const WANTED: &str = "CREATE TABLE users (id INT NOT NULL PRIMARY KEY, score INT, street VARCHAR(100), \
                      age INT, CONSTRAINT score_small CHECK (score < 40), nickname VARCHAR(20));";

fn populated(db: &ScratchDb) -> Box<dyn Session> {
    let mut s = db.session();
    s.execute(&format!("{BASE})")).unwrap();
    for id in 1..=50 {
        s.execute(&format!("INSERT INTO users (id, score) VALUES ({id}, {id})")).unwrap();
    }
    s
}

#[test]
fn a_half_done_plan_reverted_by_hand_is_planned_again_in_full() {
    let Some(db) = ScratchDb::new(EngineKind::Mysql) else { return };
    let mut s = populated(&db);
    let wanted = doc(WANTED);
    let plan = plan_for(s.as_mut(), &wanted);
    let err = s.apply(&plan, "first").expect_err("scores of 40 and more violate the check");
    let done = match err {
        schemadoc_dialect::ApplyError::Statement { executed, .. } => executed.len(),
        other => panic!("{other}"),
    };
    assert!(done >= 2, "some steps ran before the check: {done}");
    // Someone undoes the first step by hand and fixes the data.
    s.execute("ALTER TABLE users DROP COLUMN street").unwrap();
    s.execute("UPDATE users SET score = 1 WHERE score >= 40").unwrap();
    let again = plan_for(s.as_mut(), &wanted);
    assert!(again.statements.iter().any(|st| st.sql.contains("`street`")), "the undone step is planned again");
    let report = s.apply(&again, "second").expect("the second apply");
    assert_eq!(report.executed.len(), again.statements.len(), "nothing is skipped");
    assert!(plan_for(s.as_mut(), &wanted).is_empty(), "converged");
    assert_eq!(count(s.as_mut(), "SELECT count(*) FROM users"), 50);
    assert_eq!(count(s.as_mut(), "SELECT count(*) FROM schemadoc_history WHERE outcome = 'running'"), 0);
}

#[test]
fn a_killed_apply_is_recorded_as_interrupted_and_the_next_one_converges() {
    let Some(db) = ScratchDb::new(EngineKind::Mysql) else { return };
    let mut s = populated(&db);
    let wanted = doc(WANTED.replace("score < 40", "score < 400").as_str());
    let mut plan = plan_for(s.as_mut(), &wanted);
    // A slow step after the first one, so that the apply can be killed in the middle.
    let slow = PlannedStatement {
        sql: "DO SLEEP(30)".into(),
        reason: "a slow step".into(),
        hazards: Vec::new(),
        transactional: false,
        change: 0,
    };
    plan.statements.insert(1, slow);
    let url = db.url.clone();
    let killed = std::thread::spawn(move || {
        let mut victim = schemadoc_dialect::connect(&url, &Default::default()).expect("connect");
        victim.apply(&plan, "killed")
    });
    let mut waited = 0;
    let id = loop {
        let id = count(
            s.as_mut(),
            "SELECT coalesce(max(id), 0) FROM information_schema.processlist WHERE info LIKE 'DO SLEEP(30)%'",
        );
        if id > 0 {
            break id;
        }
        waited += 1;
        assert!(waited < 200, "the apply never reached its slow step");
        std::thread::sleep(std::time::Duration::from_millis(50));
    };
    s.execute(&format!("KILL {id}")).unwrap();
    assert!(killed.join().expect("the apply thread").is_err(), "a killed apply fails");
    assert_eq!(count(s.as_mut(), "SELECT count(*) FROM schemadoc_history WHERE outcome = 'running'"), 1);

    let rest = plan_for(s.as_mut(), &wanted);
    assert!(!rest.statements.iter().any(|st| st.sql.contains("`street`")), "the first step is done: {rest:#?}");
    let report = s.apply(&rest, "next").expect("the next apply");
    assert_eq!(report.interrupted, 1);
    assert!(plan_for(s.as_mut(), &wanted).is_empty(), "converged");
    assert_eq!(count(s.as_mut(), "SELECT count(*) FROM schemadoc_history WHERE outcome = 'running'"), 0);
    assert_eq!(count(s.as_mut(), "SELECT count(*) FROM schemadoc_history WHERE outcome = 'interrupted'"), 1);
    assert_eq!(count(s.as_mut(), "SELECT count(*) FROM users"), 50);
}
