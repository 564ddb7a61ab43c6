//! Short builders for hand-made schemas in tests.

use model::{
    Check, Column, DataType, DefaultValue, Extension, ForeignKey, Index, IndexPart, Notation, Origin, PrimaryKey,
    QueryHint, QueryHintKind, Schema, Table, TypeKind, Unique,
};

pub const FILE: &str = "doc.md";

/// An SQL origin at `line`, column 1.
pub fn at(line: u32) -> Origin {
    Origin::new(FILE.into(), line, 1, Notation::Sql)
}

pub fn int() -> DataType {
    DataType::new(TypeKind::Int { bytes: 4 }, "INTEGER")
}

pub fn bigint() -> DataType {
    DataType::new(TypeKind::Int { bytes: 8 }, "BIGINT")
}

pub fn text() -> DataType {
    DataType::new(TypeKind::Text, "TEXT")
}

pub fn varchar(len: u32) -> DataType {
    DataType::new(TypeKind::Varchar { len: Some(len) }, format!("VARCHAR({len})"))
}

pub fn uuid() -> DataType {
    DataType::new(TypeKind::Uuid, "UUID")
}

pub fn vector(dims: u32) -> DataType {
    DataType::new(TypeKind::Vector { dims: Some(dims) }, format!("VECTOR({dims})"))
}

/// A table under construction.
pub struct T(pub Table);

/// A table defined at `line`.
pub fn table(name: &str, line: u32) -> T {
    T(Table::new(name, at(line)))
}

impl T {
    /// A nullable column at `line`.
    pub fn col(mut self, name: &str, ty: DataType, line: u32) -> T {
        self.0.columns.push(Column::new(name, ty, at(line)));
        self
    }

    /// A NOT NULL column at `line`.
    pub fn req(mut self, name: &str, ty: DataType, line: u32) -> T {
        let mut c = Column::new(name, ty, at(line));
        c.nullable = false;
        self.0.columns.push(c);
        self
    }

    /// Sets the comment of the last column.
    pub fn comment(mut self, comment: &str) -> T {
        if let Some(c) = self.0.columns.last_mut() {
            c.comment = Some(comment.to_string());
        }
        self
    }

    /// Sets the default of the last column.
    pub fn default(mut self, value: DefaultValue) -> T {
        if let Some(c) = self.0.columns.last_mut() {
            c.default = Some(value);
        }
        self
    }

    pub fn pk(mut self, columns: &[&str], line: u32) -> T {
        self.0.primary_key = Some(PrimaryKey { name: None, columns: strings(columns), origin: at(line) });
        self
    }

    pub fn unique(mut self, columns: &[&str], line: u32) -> T {
        self.0.uniques.push(Unique { name: None, columns: strings(columns), origin: at(line) });
        self
    }

    pub fn check(mut self, expr: &str, columns: &[&str], line: u32) -> T {
        self.0.checks.push(Check { name: None, expr: expr.to_string(), columns: strings(columns), origin: at(line) });
        self
    }

    pub fn fk(mut self, columns: &[&str], ref_table: &str, ref_columns: &[&str], line: u32) -> T {
        self.0.foreign_keys.push(fk(columns, ref_table, ref_columns, line));
        self
    }

    pub fn inferred_fk(mut self, columns: &[&str], ref_table: &str, ref_columns: &[&str], line: u32) -> T {
        let mut f = fk(columns, ref_table, ref_columns, line);
        f.inferred = true;
        f.origin.notation = Notation::Inferred;
        self.0.foreign_keys.push(f);
        self
    }
}

pub fn fk(columns: &[&str], ref_table: &str, ref_columns: &[&str], line: u32) -> ForeignKey {
    ForeignKey {
        name: None,
        columns: strings(columns),
        ref_table: ref_table.to_string(),
        ref_columns: strings(ref_columns),
        on_delete: None,
        on_update: None,
        inferred: false,
        origin: at(line),
    }
}

/// A plain B-tree index on columns.
pub fn index(name: &str, table: &str, columns: &[&str], line: u32) -> Index {
    Index {
        name: Some(name.to_string()),
        table: table.to_string(),
        parts: columns.iter().map(|c| IndexPart::column(*c)).collect(),
        unique: false,
        method: None,
        predicate: None,
        include: Vec::new(),
        origin: at(line),
    }
}

pub fn extension(name: &str, line: u32) -> Extension {
    Extension { name: name.to_string(), origin: at(line) }
}

pub fn hint(table: &str, kind: QueryHintKind, columns: &[&str], descending: bool, line: u32) -> QueryHint {
    QueryHint { table: table.to_string(), kind, columns: strings(columns), descending, origin: at(line) }
}

pub fn schema(tables: Vec<T>) -> Schema {
    Schema { tables: tables.into_iter().map(|t| t.0).collect(), ..Schema::default() }
}

pub fn strings(names: &[&str]) -> Vec<String> {
    names.iter().map(|s| s.to_string()).collect()
}

/// Runs one rule's `run` and returns its findings.
pub fn findings(rule: fn(&Schema, &mut Vec<model::Diagnostic>), schema: &Schema) -> Vec<model::Diagnostic> {
    let mut out = Vec::new();
    rule(schema, &mut out);
    out
}
