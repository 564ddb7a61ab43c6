use serde::Serialize;
use std::fmt;
use std::sync::Arc;

/// The notation a model element was written in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Notation {
    /// SQL DDL (`CREATE TABLE`, `ALTER TABLE`, `CREATE INDEX`, …).
    Sql,
    /// A Prisma schema (`model`, `enum`).
    Prisma,
    /// DBML (`Table`, `Ref`, `Enum`, `Indexes`), as dbdiagram.io and dbdocs read it.
    Dbml,
    /// SQLAlchemy declarative classes in a python block.
    SqlAlchemy,
    /// A markdown table listing fields (`| 필드명 | 타입 | 제약조건 | 설명 |`).
    FieldTable,
    /// Bullet lists of indexes or foreign keys, and bare SQL fragments attached to a table.
    List,
    /// A Mermaid `erDiagram`.
    Mermaid,
    /// A catalog of tables: names in bullets, a `| table | role |` table, fenced name lists,
    /// "similar to X" stubs. It declares tables, often without their columns.
    Catalog,
    /// Boxes drawn with box-drawing characters or `+---+` in a text block, one table per box.
    BoxDiagram,
    /// Relational notation: `table(a, b, c)` in a text block or a paragraph.
    Relational,
    /// Not written anywhere: guessed by schemadoc (e.g. an FK target taken from a column name).
    Inferred,
}

impl Notation {
    /// Default merge precedence: a lower rank wins when notations disagree.
    pub fn default_rank(self) -> u8 {
        match self {
            Notation::Sql => 0,
            Notation::Prisma => 1,
            // A full schema notation, as trusted as Prisma.
            Notation::Dbml => 1,
            Notation::SqlAlchemy => 2,
            Notation::FieldTable => 3,
            Notation::List => 4,
            Notation::Mermaid => 5,
            Notation::Catalog => 6,
            // Drawn or abbreviated designs: as loose as an ERD, names only.
            Notation::BoxDiagram => 5,
            Notation::Relational => 6,
            Notation::Inferred => 7,
        }
    }

    /// A short human name, used in messages ("in SQL", "in Prisma").
    pub fn label(self) -> &'static str {
        match self {
            Notation::Sql => "SQL",
            Notation::Prisma => "Prisma",
            Notation::Dbml => "DBML",
            Notation::SqlAlchemy => "SQLAlchemy",
            Notation::FieldTable => "field table",
            Notation::List => "list",
            Notation::Mermaid => "ERD",
            Notation::Catalog => "table catalog",
            Notation::BoxDiagram => "box diagram",
            Notation::Relational => "relational notation",
            Notation::Inferred => "inference",
        }
    }

    /// Parse a user-facing name (`sql`, `prisma`, `dbml`, `sqlalchemy`, `table`, `list`, `mermaid`, `box`, `relational`).
    pub fn parse(s: &str) -> Option<Notation> {
        Some(match s.to_ascii_lowercase().as_str() {
            "sql" => Notation::Sql,
            "prisma" => Notation::Prisma,
            "dbml" => Notation::Dbml,
            "sqlalchemy" | "python" => Notation::SqlAlchemy,
            "table" | "field-table" | "fields" => Notation::FieldTable,
            "list" | "lists" => Notation::List,
            "mermaid" | "erd" => Notation::Mermaid,
            "catalog" => Notation::Catalog,
            "box" | "boxes" | "box-diagram" => Notation::BoxDiagram,
            "relational" => Notation::Relational,
            _ => return None,
        })
    }
}

impl fmt::Display for Notation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.label())
    }
}

/// Where a model element was written: file, 1-based line and column (in characters), and notation.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub struct Origin {
    pub file: Arc<str>,
    pub line: u32,
    pub column: u32,
    pub notation: Notation,
}

impl Origin {
    pub fn new(file: Arc<str>, line: u32, column: u32, notation: Notation) -> Self {
        Origin { file, line, column, notation }
    }

    /// An origin for something schemadoc made up (no file position).
    pub fn inferred_from(other: &Origin) -> Self {
        Origin { notation: Notation::Inferred, ..other.clone() }
    }
}

impl fmt::Display for Origin {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}", self.file, self.line)
    }
}
