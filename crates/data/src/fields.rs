//! Which table a file fills and which column each of its fields goes to: exact names, camelCase ↔
//! snake_case, singular ↔ plural file names, and the user's explicit mappings.

use crate::LoadError;
use model::{name_eq, Schema, Table};
use std::path::Path;

/// `--map FILE.FIELD=TABLE.COLUMN` (or `FILE.FIELD=COLUMN`): where one field of one file goes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FieldMap {
    /// The file, by its name without extension (`users` for `data/users.json`).
    pub file: String,
    pub field: String,
    pub column: String,
}

impl FieldMap {
    pub fn parse(spec: &str) -> Result<FieldMap, LoadError> {
        let bad = || {
            LoadError::Option(format!(
                "--map `{spec}`: write `file.field=table.column`, e.g. `users.kakaoId=users.kakao_id`"
            ))
        };
        let (from, to) = spec.split_once('=').ok_or_else(bad)?;
        let (file, field) = from.trim().split_once('.').ok_or_else(bad)?;
        let column = to.trim().rsplit('.').next().unwrap_or_default();
        if file.is_empty() || field.is_empty() || column.is_empty() {
            return Err(bad());
        }
        Ok(FieldMap { file: file.to_string(), field: field.to_string(), column: column.to_string() })
    }
}

/// `--table FILE=TABLE`: the table a file fills, when its name does not say.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TableMap {
    /// The file's name, with or without extension, or its path.
    pub file: String,
    pub table: String,
}

impl TableMap {
    pub fn parse(spec: &str) -> Result<TableMap, LoadError> {
        match spec.split_once('=') {
            Some((f, t)) if !f.trim().is_empty() && !t.trim().is_empty() => {
                Ok(TableMap { file: f.trim().to_string(), table: t.trim().to_string() })
            }
            _ => Err(LoadError::Option(format!(
                "--table `{spec}`: write `file=table`, e.g. `credit.json=credit_history`"
            ))),
        }
    }
}

/// A name reduced to what camelCase, snake_case and kebab-case spellings share: `emailVerified`,
/// `email_verified` and `email-verified` are all `emailverified`.
pub fn loose(name: &str) -> String {
    name.chars().filter(|c| !matches!(c, '_' | '-' | ' ')).flat_map(char::to_lowercase).collect()
}

/// The stem of a file name: `users` for `data/users.json`, `logs` for `logs.jsonl`.
pub fn stem(path: &Path) -> String {
    let name = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    name.split('.').next().unwrap_or_default().to_string()
}

/// The table `path` fills: from `--table`, else the table its name names (exactly, in another
/// case style, or singular/plural).
pub fn table_for<'a>(path: &Path, schema: &'a Schema, maps: &[TableMap]) -> Result<&'a Table, LoadError> {
    let stem = stem(path);
    let file_name = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    let explicit = maps.iter().find(|m| m.file == file_name || m.file == stem || Path::new(&m.file) == path);
    let stated = |t: &&Table| !t.is_declared_only();
    if let Some(m) = explicit {
        return schema.table(&m.table).filter(stated).ok_or_else(|| LoadError::NoTable {
            path: path.to_path_buf(),
            detail: format!("--table names `{}`, which the document does not define with columns", m.table),
        });
    }
    let wanted = loose(&stem);
    let mut candidates = vec![wanted.clone()];
    candidates.extend(model::singular_plural_variants(&stem).iter().map(|v| loose(v)));
    for c in &candidates {
        if let Some(t) = schema.tables.iter().filter(stated).find(|t| loose(&t.name) == *c) {
            return Ok(t);
        }
    }
    let suggestion = model::suggest_name(&stem, schema.tables.iter().filter(stated).map(|t| t.name.as_str()));
    Err(LoadError::NoTable {
        path: path.to_path_buf(),
        detail: match suggestion {
            Some(s) => format!("no table is named like `{stem}`; did you mean `--table {file_name}={s}`?"),
            None => format!("no table is named like `{stem}`; name one with `--table {file_name}=TABLE`"),
        },
    })
}

/// The column a field of `file_stem` goes to: an explicit mapping, else the column whose name is
/// the field's in any case style.
pub fn column_for(table: &Table, file_stem: &str, field: &str, maps: &[FieldMap]) -> Option<usize> {
    if let Some(m) = maps.iter().find(|m| m.file == file_stem && m.field == field) {
        return table.columns.iter().position(|c| name_eq(&c.name, &m.column));
    }
    if let Some(i) = table.columns.iter().position(|c| c.name == field) {
        return Some(i);
    }
    let l = loose(field);
    table.columns.iter().position(|c| loose(&c.name) == l)
}

#[cfg(test)]
mod tests {
    use super::*;
    use model::{Column, DataType, Notation, Origin, TypeKind};

    fn origin() -> Origin {
        Origin::new("d.md".into(), 1, 1, Notation::Sql)
    }

    fn table(name: &str, cols: &[&str]) -> Table {
        let mut t = Table::new(name, origin());
        for c in cols {
            t.columns.push(Column::new(*c, DataType::new(TypeKind::Text, "TEXT"), origin()));
        }
        t
    }

    #[test]
    fn files_find_their_tables() {
        let schema = Schema {
            tables: vec![table("user", &["id"]), table("credit_history", &["id"]), table("categories", &["id"])],
            ..Schema::default()
        };
        let t = |p: &str| table_for(Path::new(p), &schema, &[]).map(|t| t.name.clone());
        assert_eq!(t("data/users.json").unwrap(), "user");
        assert_eq!(t("creditHistory.json").unwrap(), "credit_history");
        assert_eq!(t("category.jsonl").unwrap(), "categories");
        let e = t("credits.json").unwrap_err().to_string();
        assert!(e.contains("--table credits.json="), "{e}");
        let maps = [TableMap::parse("credits.json=credit_history").unwrap()];
        assert_eq!(table_for(Path::new("x/credits.json"), &schema, &maps).unwrap().name, "credit_history");
    }

    #[test]
    fn fields_find_their_columns() {
        let t = table("users", &["id", "email_verified", "kakao_talk_id"]);
        assert_eq!(column_for(&t, "users", "emailVerified", &[]), Some(1));
        assert_eq!(column_for(&t, "users", "kakaoId", &[]), None);
        let maps = [FieldMap::parse("users.kakaoId=users.kakao_talk_id").unwrap()];
        assert_eq!(column_for(&t, "users", "kakaoId", &maps), Some(2));
        assert!(FieldMap::parse("kakaoId=kakao_id").is_err());
    }
}
