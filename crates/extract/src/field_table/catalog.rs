//! Catalogs of keys written as tables: one row per foreign key, unique constraint, primary key or
//! index (`| constraint | table | column | references |`, `| 제약조건명 | 유형 | 테이블 | 컬럼 | 참조 |`).
//! They add to tables defined elsewhere (in a field table or another notation).

use super::layout::normalize_header;
use super::words::{parse_ref, FkTarget};
use super::{cell_origin, span, FIELD_TABLE_UNREADABLE_ROW};
use crate::context::key_columns;
use crate::frontend::Partial;
use crate::scan::{Cell, MdTable};
use model::{name_key, ForeignKey, Index, IndexPart, Origin, PrimaryKey, ReferentialAction, Unique};
use std::collections::BTreeSet;
use std::sync::Arc;

/// What a header cell of a key catalog holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Role {
    Name,
    /// A name column whose header says what kind of key every row is (`| FK | 테이블 | … |`,
    /// `| index | table | columns |`).
    NameOf(Kind),
    /// A columns column whose header says what kind of key every row is (`| table | unique columns |`).
    ColumnsOf(Kind),
    /// Words beside the key (a relationship's label, its cardinality).
    Remark,
    Kind,
    Table,
    Columns,
    /// `users(id)`, `users.id` or `users`.
    References,
    RefTable,
    RefColumns,
    OnDelete,
    OnUpdate,
}

fn role_of(header: &str) -> Option<Role> {
    let parts = std::iter::once(header).chain(header.split(['(', ')', '/'])).map(normalize_header);
    let mut found = None;
    for p in parts.filter(|p| !p.is_empty()) {
        found = Some(match p.as_str() {
            "constraint" | "constraintname" | "제약조건" | "제약조건명" | "제약명" | "name" | "이름" | "키이름"
            | "keyname" => Role::Name,
            "indexname" | "인덱스명" | "인덱스이름" => Role::NameOf(Kind::Index),
            "fkname" | "외래키명" => Role::NameOf(Kind::Foreign),
            "type" | "유형" | "종류" | "kind" | "constrainttype" | "제약유형" | "구분" | "keytype" => {
                Role::Kind
            }
            "table" | "테이블" | "테이블명" | "tablename" | "대상테이블" | "childtable" | "자식테이블" | "child"
            | "자식" | "fromtable" => Role::Table,
            "column" | "columns" | "컬럼" | "칼럼" | "컬럼명" | "칼럼명" | "대상컬럼" | "columnname" | "fkcolumn"
            | "키컬럼" | "childcolumn" | "자식컬럼" => Role::Columns,
            // `unique columns`, `인덱스 컬럼`: the columns, and the kind of every row.
            w if header_kind_of_columns(w).is_some() => {
                Role::ColumnsOf(header_kind_of_columns(w).unwrap_or(Kind::Index))
            }
            "references" | "참조" | "ref" | "참조대상" | "referenced" | "target" => Role::References,
            "참조테이블" | "referencedtable" | "reftable" | "parenttable" | "부모테이블" | "referencestable"
            | "parent" | "부모" | "totable" => Role::RefTable,
            // A relationship's label and cardinality say nothing the key needs.
            "관계" | "관계명" | "relationship" | "relation" | "카디널리티" | "cardinality" | "관계유형"
            | "multiplicity" => Role::Remark,
            "참조컬럼" | "referencedcolumn" | "referencedcolumns" | "refcolumn" | "parentcolumn" | "부모컬럼" => {
                Role::RefColumns
            }
            "ondelete" | "삭제시" | "삭제규칙" => Role::OnDelete,
            "onupdate" | "수정시" | "수정규칙" => Role::OnUpdate,
            w => match header_kind(w) {
                Some(k) => Role::NameOf(k),
                None => continue,
            },
        });
        break;
    }
    found
}

/// The kind of key a columns header names for every row (`unique columns`, `인덱스 컬럼`).
fn header_kind_of_columns(w: &str) -> Option<Kind> {
    ["columns", "column", "컬럼", "칼럼"]
        .iter()
        .find_map(|c| w.strip_suffix(c))
        .filter(|k| !k.is_empty())
        .and_then(header_kind)
}

/// The kind of key a header names for every row (`FK`, `Indexes`, `외래키`).
fn header_kind(w: &str) -> Option<Kind> {
    Some(match w {
        "pk" | "primarykey" | "primarykeys" | "기본키" => Kind::Primary,
        "fk" | "fks" | "foreignkey" | "foreignkeys" | "외래키" | "참조키" => Kind::Foreign,
        "uk" | "uq" | "unique" | "uniques" | "uniquekey" | "uniquekeys" | "유니크" | "고유키" => Kind::Unique,
        "index" | "indexes" | "indices" | "idx" | "인덱스" => Kind::Index,
        _ => return None,
    })
}

/// The kind of key a row is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Primary,
    Foreign,
    Unique,
    Index,
    UniqueIndex,
}

fn kind_of(text: &str) -> Option<Kind> {
    let t: String = text.chars().filter(|c| !c.is_whitespace() && *c != '_').collect::<String>().to_uppercase();
    Some(match t.as_str() {
        "PK" | "PRIMARYKEY" | "PRIMARY" | "기본키" => Kind::Primary,
        "FK" | "FOREIGNKEY" | "FOREIGN" | "외래키" | "참조키" => Kind::Foreign,
        "UK" | "UQ" | "UNIQUE" | "UNIQUEKEY" | "UNIQUECONSTRAINT" | "유니크" | "고유" | "고유키" => {
            Kind::Unique
        }
        "INDEX" | "IDX" | "KEY" | "인덱스" | "BTREE" => Kind::Index,
        "UNIQUEINDEX" | "UX" | "유니크인덱스" => Kind::UniqueIndex,
        _ => return None,
    })
}

/// The kind a constraint name implies by convention (`fk_orders_user`, `uq_users_email`).
fn kind_from_name(name: &str) -> Option<Kind> {
    let lower = name.to_ascii_lowercase();
    let ends = [lower.split('_').next(), lower.rsplit('_').next()];
    ends.iter().flatten().find_map(|w| match *w {
        "pk" | "pkey" => Some(Kind::Primary),
        "fk" | "fkey" => Some(Kind::Foreign),
        "uq" | "uk" | "key" | "unique" => Some(Kind::Unique),
        "ux" => Some(Kind::UniqueIndex),
        "idx" | "ix" | "index" => Some(Kind::Index),
        _ => None,
    })
}

#[derive(Debug, Default)]
struct Layout {
    name: Option<usize>,
    /// The kind a `NameOf` header gives every row.
    header_kind: Option<Kind>,
    kind: Option<usize>,
    table: Option<usize>,
    columns: Option<usize>,
    references: Option<usize>,
    ref_table: Option<usize>,
    ref_columns: Option<usize>,
    on_delete: Option<usize>,
    on_update: Option<usize>,
}

fn layout(t: &MdTable) -> Option<Layout> {
    let mut l = Layout::default();
    for (i, c) in t.header.iter().enumerate() {
        let Some(role) = role_of(&c.text) else {
            // Notes beside the keys are fine; any other column makes it something else.
            if matches!(super::layout::role_of(&c.text), Some(super::layout::Role::Description)) {
                continue;
            }
            return None;
        };
        if let Role::NameOf(k) | Role::ColumnsOf(k) = role {
            if l.header_kind.replace(k).is_some() {
                return None;
            }
        }
        let slot = match role {
            Role::Remark => continue,
            Role::Name | Role::NameOf(_) => &mut l.name,
            Role::Kind => &mut l.kind,
            Role::Table => &mut l.table,
            Role::Columns | Role::ColumnsOf(_) => &mut l.columns,
            Role::References => &mut l.references,
            Role::RefTable => &mut l.ref_table,
            Role::RefColumns => &mut l.ref_columns,
            Role::OnDelete => &mut l.on_delete,
            Role::OnUpdate => &mut l.on_update,
        };
        if slot.replace(i).is_some() {
            return None;
        }
    }
    // `| Parent | Child | Foreign key |`: with no columns header, the foreign key column holds them.
    if l.columns.is_none() && l.header_kind == Some(Kind::Foreign) {
        l.columns = l.name.take();
    }
    l.columns?;
    // Without a table column the rows are about the table the headings name (`### users` over
    // `#### 인덱스`), when the header says they are keys.
    if l.table.is_none() && l.header_kind.is_none() && l.kind.is_none() {
        return None;
    }
    // A `type` column makes a key catalog only when it holds key kinds, not column types (a field
    // table with a `table` column).
    if let Some(k) = l.kind {
        let cells: Vec<&str> = t.rows.iter().filter_map(|r| r.get(k)).map(|c| c.text.trim()).collect();
        if !cells.iter().all(|c| c.is_empty() || kind_of(c).is_some()) {
            return None;
        }
    }
    (l.references.is_some() || l.ref_table.is_some() || l.kind.is_some() || l.header_kind.is_some()).then_some(l)
}

/// Reads `t` when it is a key catalog (every header cell has a catalog role, it names a table
/// and columns, and references or key kinds). Returns whether it was one.
pub(super) fn read(file: &Arc<str>, t: &MdTable, out: &mut Partial, touched: &mut BTreeSet<String>) -> bool {
    let Some(l) = layout(t) else { return false };
    let heading = if l.table.is_none() {
        match super::heading_table(&t.headings) {
            Some((named, h)) => Some((named.name.clone(), super::heading_origin(file, h, &named.name))),
            None => return false,
        }
    } else {
        None
    };
    let text = |row: &[Cell], i: Option<usize>| -> String {
        i.and_then(|i| row.get(i)).map(|c| c.text.trim().to_string()).unwrap_or_default()
    };
    for row in &t.rows {
        let table_cell = l.table.and_then(|i| row.get(i));
        let table = match &heading {
            Some((name, _)) => name.clone(),
            None => text(row, l.table),
        };
        let table = table.rsplit('.').next().unwrap_or("").trim_matches(['`', '"']).to_string();
        // `posts.user_id`: the column of the row's table.
        let columns_cell: Vec<String> =
            text(row, l.columns).split(',').map(|c| c.rsplit('.').next().unwrap_or("").to_string()).collect();
        let columns = key_columns(&columns_cell.join(","));
        let name = Some(text(row, l.name)).filter(|n| !n.is_empty() && !super::row::is_blank(n));
        let first_cell = table_cell.or_else(|| l.name.or(l.columns).and_then(|i| row.get(i)));
        let origin = first_cell
            .map(|c| cell_origin(file, c))
            .unwrap_or_else(|| Origin::new(file.clone(), t.line, 1, model::Notation::FieldTable));
        if table.is_empty() && columns.is_empty() {
            continue;
        }
        let target = reference(&text(row, l.references), &text(row, l.ref_table), &text(row, l.ref_columns));
        let kind = kind_of(&text(row, l.kind))
            .or_else(|| target.as_ref().map(|_| Kind::Foreign))
            .or_else(|| name.as_deref().and_then(kind_from_name))
            .or(l.header_kind);
        let (Some(kind), false, false) = (kind, columns.is_empty(), !super::words::is_ident(&table)) else {
            out.diagnostics.push(FIELD_TABLE_UNREADABLE_ROW.at(
                span(&origin, &table),
                format!(
                    "key row for `{table}` does not say {}; the row is skipped",
                    if columns.is_empty() { "which columns" } else { "what kind of key it is" }
                ),
            ));
            continue;
        };
        let key = name_key(&table);
        touched.insert(key.clone());
        let idx = out.table_slot(&table, &origin);
        match kind {
            Kind::Primary => {
                out.schema.tables[idx].primary_key = Some(PrimaryKey { name, columns, origin });
            }
            Kind::Unique => out.schema.tables[idx].uniques.push(Unique { name, columns, origin }),
            Kind::Index | Kind::UniqueIndex => out.schema.indexes.push(Index {
                name,
                table,
                parts: columns.into_iter().map(IndexPart::column).collect(),
                unique: kind == Kind::UniqueIndex,
                method: None,
                predicate: None,
                include: Vec::new(),
                origin,
            }),
            Kind::Foreign => {
                let Some(target) = target else {
                    out.diagnostics.push(
                        super::FIELD_TABLE_FOREIGN_KEY_WITHOUT_TARGET
                            .at(
                                span(&origin, &table),
                                format!("foreign key `{table}({})` names no target", columns.join(", ")),
                            )
                            .with_help("write the referenced table and column: `users(id)`"),
                    );
                    continue;
                };
                out.schema.tables[idx].foreign_keys.push(ForeignKey {
                    name,
                    columns,
                    ref_table: target.table,
                    ref_columns: target.columns,
                    on_delete: action(&text(row, l.on_delete)).or(target.on_delete),
                    on_update: action(&text(row, l.on_update)).or(target.on_update),
                    inferred: false,
                    origin,
                });
            }
        }
    }
    true
}

/// The target of a catalog row: a `references` cell (`users(id)`, `users.id`, `users`) or
/// separate table and column cells.
fn reference(references: &str, ref_table: &str, ref_columns: &str) -> Option<FkTarget> {
    let from_cells = |table: &str, cols: &str| {
        let cols = key_columns(cols);
        parse_ref(table, (!cols.is_empty()).then(|| cols.join(",")).as_deref())
    };
    if !references.is_empty() && !super::row::is_blank(references) {
        let r = references.trim_matches('`');
        return match r.find('(') {
            Some(p) => parse_ref(&r[..p], Some(r[p + 1..].trim_end_matches(')'))),
            None => parse_ref(r.split_whitespace().next().unwrap_or(""), None),
        };
    }
    (!ref_table.is_empty() && !super::row::is_blank(ref_table)).then(|| from_cells(ref_table, ref_columns)).flatten()
}

fn action(text: &str) -> Option<ReferentialAction> {
    let t: String = text.chars().filter(|c| !c.is_whitespace() && *c != '_').collect::<String>().to_uppercase();
    Some(match t.as_str() {
        "CASCADE" => ReferentialAction::Cascade,
        "RESTRICT" => ReferentialAction::Restrict,
        "SETNULL" => ReferentialAction::SetNull,
        "SETDEFAULT" => ReferentialAction::SetDefault,
        "NOACTION" => ReferentialAction::NoAction,
        _ => return None,
    })
}
