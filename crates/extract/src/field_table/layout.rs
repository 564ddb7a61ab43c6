//! What the header row of a markdown table says each of its columns holds.

use crate::scan::Cell;

/// What a header cell says its column holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Role {
    Name,
    Type,
    /// Free constraint words (`PK, NOT NULL`).
    Constraint,
    /// `Y`/`N` for "may be NULL".
    Nullable,
    /// `Y`/`N` for "required" (NOT NULL).
    Required,
    Default,
    /// `PK`/`FK`/`UK` words.
    Key,
    /// `Y`/`PK` for "part of the primary key".
    PrimaryKey,
    /// The referenced column (`users.id`, `users(id)`), or `Y` for a foreign key to infer.
    ForeignKey,
    /// `Y`/`N` for "unique".
    Unique,
    /// `Y`/`N` for "indexed".
    Index,
    /// `Y`/`N` for "auto-increment".
    AutoIncrement,
    Description,
    /// The column's logical (human) name beside its physical one (`논리명`), kept as its comment.
    Logical,
    /// A type's length or precision written apart from it (`| VARCHAR2 | 100 |`).
    Length,
    Table,
}

pub(super) fn normalize_header(text: &str) -> String {
    text.chars()
        .filter(|c| !c.is_whitespace() && !matches!(c, '*' | '`' | '_' | '-' | '?'))
        .collect::<String>()
        .to_lowercase()
}

pub(super) fn role_of(header: &str) -> Option<Role> {
    let parts: Vec<String> = std::iter::once(header)
        .chain(header.split(['(', ')', '/', '[', ']']))
        .map(normalize_header)
        .filter(|p| !p.is_empty())
        .collect();
    parts.iter().find_map(|p| role_of_word(p))
}

pub(super) fn role_of_word(w: &str) -> Option<Role> {
    Some(match w {
        "필드명" | "컬럼명" | "칼럼명" | "컬럼" | "칼럼" | "이름" | "필드" | "필드이름" | "컬럼이름" | "column"
        | "field" | "name" | "columnname" | "fieldname" | "속성" | "속성명" | "attribute" | "물리명" | "물리컬럼명"
        | "컬럼물리명" | "물리이름" | "physicalname" | "columnid" | "컬럼id" | "필드id" => Role::Name,
        "논리명" | "논리컬럼명" | "컬럼논리명" | "논리이름" | "logicalname" | "한글명" | "항목명" => {
            Role::Logical
        }
        "길이" | "length" | "len" | "size" | "크기" | "자릿수" | "precision" => Role::Length,
        "타입" | "자료형" | "데이터타입" | "데이터형" | "type" | "datatype" | "sqltype" | "dbtype" | "columntype" => {
            Role::Type
        }
        // `Java type`, `TS type`, `Python type`: the type in the language the entities are written in.
        w if w.strip_suffix("type").or_else(|| w.strip_suffix("타입")).is_some_and(is_language) => Role::Type,
        "제약조건" | "제약" | "제약사항" | "constraints" | "constraint" | "options" | "옵션" => {
            Role::Constraint
        }
        "nullable" | "null" | "null허용" | "널허용" | "nullable여부" | "null여부" => Role::Nullable,
        "notnull" | "필수" | "required" | "필수여부" => Role::Required,
        "default" | "기본값" | "defaultvalue" | "디폴트" | "초기값" => Role::Default,
        "key" | "키" | "pk/fk" | "pkfk" | "keys" | "키구분" | "keytype" => Role::Key,
        "pk" | "기본키" | "primarykey" | "pk여부" => Role::PrimaryKey,
        "fk" | "외래키" | "foreignkey" | "references" | "참조" | "ref" | "fk참조" | "참조테이블" | "참조컬럼" => {
            Role::ForeignKey
        }
        "unique" | "uk" | "uq" | "유니크" | "고유" | "unique여부" => Role::Unique,
        "index" | "인덱스" | "idx" | "indexed" => Role::Index,
        "ai" | "autoincrement" | "자동증가" | "identity" => Role::AutoIncrement,
        "설명" | "비고" | "description" | "comment" | "comments" | "note" | "notes" | "remarks" | "메모" | "desc" => {
            Role::Description
        }
        "테이블" | "table" | "테이블명" | "tablename" => Role::Table,
        _ => return None,
    })
}

/// A programming or schema language a type column may be headed with (`Java type`).
fn is_language(w: &str) -> bool {
    matches!(
        w,
        "java"
            | "kotlin"
            | "ts"
            | "typescript"
            | "js"
            | "javascript"
            | "python"
            | "py"
            | "go"
            | "golang"
            | "csharp"
            | "c#"
            | "dotnet"
            | "prisma"
            | "orm"
            | "jpa"
            | "entity"
            | "field"
            | "자바"
            | "파이썬"
    )
}

/// Column indexes of each role (the first column of a role wins).
#[derive(Default)]
pub(super) struct Layout {
    pub(super) name: Option<usize>,
    pub(super) ty: Option<usize>,
    pub(super) constraint: Option<usize>,
    pub(super) nullable: Option<usize>,
    pub(super) required: Option<usize>,
    pub(super) default: Option<usize>,
    pub(super) key: Option<usize>,
    pub(super) primary_key: Option<usize>,
    pub(super) foreign_key: Option<usize>,
    pub(super) unique: Option<usize>,
    pub(super) index: Option<usize>,
    pub(super) auto_increment: Option<usize>,
    pub(super) description: Option<usize>,
    pub(super) logical: Option<usize>,
    pub(super) length: Option<usize>,
    pub(super) table: Option<usize>,
}

pub(super) fn layout(header: &[Cell]) -> Layout {
    let mut l = Layout::default();
    for (i, cell) in header.iter().enumerate() {
        let slot = match role_of(&cell.text) {
            Some(Role::Name) => &mut l.name,
            Some(Role::Type) => &mut l.ty,
            Some(Role::Constraint) => &mut l.constraint,
            Some(Role::Nullable) => &mut l.nullable,
            Some(Role::Required) => &mut l.required,
            Some(Role::Default) => &mut l.default,
            Some(Role::Key) => &mut l.key,
            Some(Role::PrimaryKey) => &mut l.primary_key,
            Some(Role::ForeignKey) => &mut l.foreign_key,
            Some(Role::Unique) => &mut l.unique,
            Some(Role::Index) => &mut l.index,
            Some(Role::AutoIncrement) => &mut l.auto_increment,
            Some(Role::Description) => &mut l.description,
            Some(Role::Logical) => &mut l.logical,
            Some(Role::Length) => &mut l.length,
            Some(Role::Table) => &mut l.table,
            None => continue,
        };
        if slot.is_none() {
            *slot = Some(i);
        }
    }
    l
}
