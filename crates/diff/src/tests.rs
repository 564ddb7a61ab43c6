use super::*;
use model::{DataType, DefaultValue, IndexPart, Notation, Origin, TypeKind};

struct Strict;
impl DiffHooks for Strict {}

fn origin() -> Origin {
    Origin::new("t.md".into(), 1, 1, Notation::Sql)
}

fn col(name: &str, kind: TypeKind, nullable: bool) -> Column {
    let mut c = Column::new(name, DataType::new(kind.clone(), kind.to_string()), origin());
    c.nullable = nullable;
    c
}

fn table(name: &str, cols: Vec<Column>) -> Table {
    let mut t = Table::new(name, origin());
    t.primary_key = Some(PrimaryKey { name: None, columns: vec![cols[0].name.clone()], origin: origin() });
    t.columns = cols;
    t
}

fn int() -> TypeKind {
    TypeKind::Int { bytes: 4 }
}

fn users() -> Table {
    table(
        "users",
        vec![col("id", int(), false), col("email", TypeKind::Text, false), col("name", TypeKind::Text, true)],
    )
}

fn schema(tables: Vec<Table>) -> Schema {
    Schema { tables, ..Schema::default() }
}

fn kinds(set: &ChangeSet) -> Vec<String> {
    set.changes.iter().map(Change::describe).collect()
}

#[test]
fn identical_schemas_have_no_changes() {
    let s = schema(vec![users()]);
    assert!(diff(&s, &s, &Strict, &Renames::default()).is_empty());
}

#[test]
fn tables_are_created_in_order_and_dropped_last() {
    let from = schema(vec![table("old", vec![col("id", int(), false)])]);
    let to = schema(vec![users(), table("posts", vec![col("id", int(), false)])]);
    assert_eq!(
        kinds(&diff(&from, &to, &Strict, &Renames::default())),
        ["create table users", "create table posts", "drop table old"]
    );
}

#[test]
fn column_changes_are_named() {
    let from = schema(vec![users()]);
    let mut u = users();
    u.columns[1].ty = DataType::new(TypeKind::Varchar { len: Some(100) }, "varchar(100)");
    u.columns[2].nullable = false;
    u.columns[2].default = Some(DefaultValue::String("x".into()));
    u.columns.push(col("age", int(), true));
    let set = diff(&from, &schema(vec![u]), &Strict, &Renames::default());
    assert_eq!(
        kinds(&set),
        ["alter column users.email (type)", "alter column users.name (set not null, default)", "add column users.age"]
    );
    assert!(set.changes[0].loses_data());
}

#[test]
fn a_dropped_and_added_column_of_one_type_is_a_likely_rename() {
    let from = schema(vec![users()]);
    let mut u = users();
    u.columns[2].name = "full_name".into();
    let set = diff(&from, &schema(vec![u.clone()]), &Strict, &Renames::default());
    assert_eq!(kinds(&set), ["add column users.full_name", "drop column users.name"]);
    assert_eq!(
        set.likely_renames,
        [LikelyRename { table: "users".into(), from: "name".into(), to: "full_name".into() }]
    );

    let renames = Renames { columns: vec![("users".into(), "name".into(), "full_name".into())], ..Renames::default() };
    let set = diff(&from, &schema(vec![u.clone()]), &Strict, &renames);
    assert_eq!(kinds(&set), ["rename column users.name to full_name"]);
    assert!(set.likely_renames.is_empty());
    // Once applied, the declared rename changes nothing.
    let applied = schema(vec![u.clone()]);
    assert!(diff(&applied, &schema(vec![u]), &Strict, &renames).is_empty());
}

#[test]
fn declared_table_renames_keep_the_table() {
    let from = schema(vec![users()]);
    let mut u = users();
    u.name = "accounts".into();
    let renames = Renames { tables: vec![("users".into(), "accounts".into())], ..Renames::default() };
    assert_eq!(kinds(&diff(&from, &schema(vec![u.clone()]), &Strict, &renames)), ["rename table users to accounts"]);
    assert!(diff(&schema(vec![u.clone()]), &schema(vec![u]), &Strict, &renames).is_empty());
}

#[test]
fn keys_checks_and_foreign_keys() {
    let mut posts = table("posts", vec![col("id", int(), false), col("user_id", int(), false)]);
    let from = schema(vec![users(), posts.clone()]);
    posts.foreign_keys.push(ForeignKey {
        name: None,
        columns: vec!["user_id".into()],
        ref_table: "users".into(),
        ref_columns: vec!["id".into()],
        on_delete: Some(ReferentialAction::Cascade),
        on_update: None,
        inferred: false,
        origin: origin(),
    });
    posts.checks.push(Check {
        name: Some("ck".into()),
        expr: "id > 0".into(),
        columns: vec!["id".into()],
        origin: origin(),
    });
    posts.primary_key = Some(PrimaryKey { name: None, columns: vec!["id".into(), "user_id".into()], origin: origin() });
    posts.uniques.push(Unique { name: None, columns: vec!["user_id".into()], origin: origin() });
    let set = diff(&from, &schema(vec![users(), posts]), &Strict, &Renames::default());
    assert_eq!(
        kinds(&set),
        [
            "set primary key of posts to (id, user_id)",
            "add unique (user_id) on posts",
            "add check ck on posts",
            "add foreign key posts.user_id → users",
        ]
    );
}

#[test]
fn no_action_and_restrict_are_the_same_default() {
    let mut a = table("posts", vec![col("id", int(), false), col("user_id", int(), false)]);
    let fk = ForeignKey {
        name: None,
        columns: vec!["user_id".into()],
        ref_table: "users".into(),
        ref_columns: vec![],
        on_delete: None,
        on_update: None,
        inferred: false,
        origin: origin(),
    };
    a.foreign_keys.push(fk.clone());
    let mut b = a.clone();
    b.foreign_keys[0].on_delete = Some(ReferentialAction::Restrict);
    b.foreign_keys[0].ref_columns = vec!["id".into()];
    assert!(diff(&schema(vec![users(), a]), &schema(vec![users(), b]), &Strict, &Renames::default()).is_empty());
}

#[test]
fn indexes_match_by_definition_and_a_new_name_is_a_rename() {
    let index = |name: &str, col: &str| Index {
        name: Some(name.into()),
        table: "users".into(),
        parts: vec![IndexPart::column(col)],
        unique: false,
        method: None,
        predicate: None,
        include: vec![],
        origin: origin(),
    };
    let from = Schema { tables: vec![users()], indexes: vec![index("users_email_idx", "email")], ..Schema::default() };
    let to = Schema {
        tables: vec![users()],
        indexes: vec![index("idx_users_email", "email"), index("idx_users_name", "name")],
        ..Schema::default()
    };
    assert_eq!(
        kinds(&diff(&from, &to, &Strict, &Renames::default())),
        ["rename index users_email_idx to idx_users_email", "create index idx_users_name"]
    );
    assert_eq!(
        kinds(&diff(&to, &from, &Strict, &Renames::default())),
        ["rename index idx_users_email to users_email_idx", "drop index idx_users_name"]
    );
}

#[test]
fn enums_grow_or_are_replaced() {
    let e = |values: &[&str]| Enum {
        name: "state".into(),
        values: values.iter().map(|v| v.to_string()).collect(),
        origin: origin(),
    };
    let from = Schema { enums: vec![e(&["a", "b"])], ..Schema::default() };
    let grown = Schema { enums: vec![e(&["a", "b", "c"])], ..Schema::default() };
    let shrunk = Schema { enums: vec![e(&["a"])], ..Schema::default() };
    assert_eq!(kinds(&diff(&from, &grown, &Strict, &Renames::default())), ["add values c to enum state"]);
    assert_eq!(kinds(&diff(&from, &shrunk, &Strict, &Renames::default())), ["recreate enum state"]);
}

#[test]
fn hooks_decide_equivalence() {
    struct Loose;
    impl DiffHooks for Loose {
        fn same_type(&self, a: &Column, b: &Column) -> bool {
            a.ty.kind.family() == b.ty.kind.family()
        }
    }
    let from = schema(vec![users()]);
    let mut u = users();
    u.columns[1].ty = DataType::new(TypeKind::Varchar { len: Some(100) }, "varchar(100)");
    assert!(diff(&from, &schema(vec![u]), &Loose, &Renames::default()).is_empty());
}

#[test]
fn index_keys_and_options_split_the_default_comparison() {
    let index = |expr: &str, method: Option<&str>, include: &[&str]| Index {
        name: None,
        table: "users".into(),
        parts: vec![IndexPart { column: None, expr: Some(expr.into()), descending: false, opclass: None }],
        unique: false,
        method: method.map(String::from),
        predicate: Some(format!("({expr}) > 0")),
        include: include.iter().map(|c| c.to_string()).collect(),
        origin: origin(),
    };
    let plain = index("lower(email)", None, &[]);
    assert!(Strict.same_index(&plain, &index("LOWER( email )", Some("BTREE"), &[])));
    assert!(!Strict.same_index(&plain, &index("lower(email)", Some("gin"), &[])));
    assert!(!Strict.same_index(&plain, &index("lower(email)", None, &["name"])));
    assert!(same_index_options(&index("a", Some("btree"), &["Name"]), &index("b", None, &["name"])));
    let no_parens = |e: &str| squash(e).replace(['(', ')'], "");
    let wrapped = index("(lower(email))", Some("gin"), &["name"]);
    assert!(!same_index_keys(&plain, &wrapped, squash));
    assert!(same_index_keys(&plain, &wrapped, no_parens));
}

fn generated(expr: &str, stored: bool) -> Option<model::Generated> {
    Some(model::Generated { expr: expr.into(), stored })
}

#[test]
fn a_changed_generation_expression_is_a_column_change_without_data_loss() {
    let mut u = users();
    u.columns.push(col("total", int(), true));
    u.columns[3].generated = generated("id * 2", true);
    let from = schema(vec![u.clone()]);

    // The same expression spelled differently is no change.
    let mut same = u.clone();
    same.columns[3].generated = generated("ID*2", true);
    assert!(diff(&from, &schema(vec![same]), &Strict, &Renames::default()).is_empty());

    let mut changed = u.clone();
    changed.columns[3].generated = generated("id * 3", true);
    changed.columns[3].default = Some(DefaultValue::Number("1".into()));
    let set = diff(&from, &schema(vec![changed]), &Strict, &Renames::default());
    assert_eq!(kinds(&set), ["alter column users.total (generated expression)"]);
    let Change::AlterColumn { changes, .. } = &set.changes[0] else { panic!("{set:?}") };
    assert!(changes.generated && !changes.default);
    assert!(!set.changes[0].loses_data());

    let mut stored = u.clone();
    stored.columns[3].generated = generated("id * 2", false);
    assert_eq!(
        kinds(&diff(&from, &schema(vec![stored]), &Strict, &Renames::default())),
        ["alter column users.total (generated expression)"]
    );
}

#[test]
fn an_ordinary_column_becoming_generated_loses_its_values() {
    let from = schema(vec![users()]);
    let mut u = users();
    u.columns[2].generated = generated("upper(email)", true);
    let set = diff(&from, &schema(vec![u.clone()]), &Strict, &Renames::default());
    assert_eq!(kinds(&set), ["alter column users.name (generated expression)"]);
    assert!(set.changes[0].loses_data());
    // The way back keeps (derived) values.
    let back = diff(&schema(vec![u]), &from, &Strict, &Renames::default());
    assert!(!back.changes[0].loses_data());
}

#[test]
fn a_rename_with_only_the_old_name_finds_the_new_column_in_the_live_database() {
    let declared = |to: &str| {
        vec![model::Rename { table: Some("users".into()), from: "name".into(), to: to.into(), origin: origin() }]
    };
    let live = schema(vec![users()]);
    let mut renamed = users();
    renamed.columns[2].name = "full_name".into();
    let document = schema(vec![renamed.clone()]);
    let r = declared_renames(&declared(""), &live, &document).expect("resolved");
    assert_eq!(r.columns, [("users".to_string(), "name".to_string(), "full_name".to_string())]);
    // Already applied: nothing to do.
    assert!(declared_renames(&declared(""), &document, &document).expect("resolved").columns.is_empty());
    // Two new columns: ambiguous.
    let mut two = renamed;
    two.columns.push(col("nickname", TypeKind::Text, true));
    let err = declared_renames(&declared(""), &live, &schema(vec![two])).expect_err("ambiguous");
    assert!(err.contains("`full_name`, `nickname`"), "{err}");
}

fn named_index(name: Option<&str>) -> Index {
    Index {
        name: name.map(str::to_string),
        table: "users".into(),
        parts: vec![IndexPart::column("name")],
        unique: false,
        method: None,
        predicate: None,
        include: Vec::new(),
        origin: origin(),
    }
}

struct NoRenames;
impl DiffHooks for NoRenames {
    fn renames_indexes(&self) -> bool {
        false
    }
}

#[test]
fn a_new_name_alone_is_a_rename_of_the_index_or_unique_key() {
    let mut from = schema(vec![users()]);
    from.indexes.push(named_index(Some("users_name_idx")));
    from.tables[0].uniques.push(Unique {
        name: Some("users_email_key".into()),
        columns: vec!["email".into()],
        origin: origin(),
    });
    let mut to = from.clone();
    to.indexes[0].name = Some("idx_users_name".into());
    to.tables[0].uniques[0].name = Some("uq_users_email".into());
    let renamed = diff(&from, &to, &Strict, &Renames::default());
    assert_eq!(
        kinds(&renamed),
        [
            "rename unique key users_email_key on users to uq_users_email",
            "rename index users_name_idx to idx_users_name"
        ]
    );
    let spelled = diff(&from, &to, &NoRenames, &Renames::default());
    assert_eq!(spelled.changes.len(), 4, "{:?}", kinds(&spelled));
    // An unnamed index matches any name: nothing to rename.
    to.indexes[0].name = None;
    to.tables[0].uniques[0].name = None;
    assert!(diff(&from, &to, &Strict, &Renames::default()).is_empty());
}

#[test]
fn collations_are_compared_only_where_the_document_states_them() {
    let mut live = users();
    live.options.charset = Some("utf8mb4".into());
    live.options.collation = Some("utf8mb4_general_ci".into());
    for c in &mut live.columns[1..] {
        c.charset = Some("utf8mb4".into());
        c.collation = Some("utf8mb4_general_ci".into());
    }
    // The document says nothing: the server's defaults are never drift.
    assert!(diff(&schema(vec![live.clone()]), &schema(vec![users()]), &Strict, &Renames::default()).changes.is_empty());

    let mut doc = users();
    doc.options.charset = Some("UTF8MB4".into());
    doc.columns[1].collation = Some("utf8mb4_general_ci".into());
    assert!(diff(&schema(vec![live.clone()]), &schema(vec![doc.clone()]), &Strict, &Renames::default())
        .changes
        .is_empty());

    doc.options.collation = Some("utf8mb4_unicode_ci".into());
    doc.columns[2].charset = Some("latin1".into());
    let set = diff(&schema(vec![live]), &schema(vec![doc]), &Strict, &Renames::default());
    assert_eq!(
        kinds(&set),
        ["alter column users.name (collation)", "set default character set and collation of users"]
    );
}

#[test]
fn strict_and_without_rowid_are_compared_both_ways() {
    let mut strict = users();
    strict.options.strict = true;
    let set = diff(&schema(vec![strict.clone()]), &schema(vec![users()]), &Strict, &Renames::default());
    assert_eq!(kinds(&set), ["drop STRICT of users"]);
    strict.options.without_rowid = true;
    let set = diff(&schema(vec![users()]), &schema(vec![strict]), &Strict, &Renames::default());
    assert_eq!(kinds(&set), ["make STRICT, make WITHOUT ROWID of users"]);
}
