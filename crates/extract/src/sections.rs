//! The document section each table is written in, for grouping diagrams and docs by the
//! document's own structure.

use crate::scan::{self, Item};
use crate::SourceFile;
use model::{name_key, Schema};
use std::collections::BTreeMap;

/// The section heading each table's definition stands under, by [`name_key`] of the table's
/// qualified name. A section is a heading at the document's top structural level: the shallowest
/// heading level that occurs more than once in the file (a lone `# Title` is the document's name,
/// not a section). Tables before the first such heading, or in files without one, have no section.
pub fn table_sections(files: &[SourceFile], schema: &Schema) -> BTreeMap<String, String> {
    let mut out = BTreeMap::new();
    for file in files {
        let doc = scan::scan(file.name.clone(), &file.text);
        let mut counts: BTreeMap<u8, usize> = BTreeMap::new();
        let mut headings: Vec<(u32, u8, &str)> = Vec::new();
        for item in &doc.items {
            if let Item::Heading(h) = item {
                *counts.entry(h.level).or_default() += 1;
                headings.push((h.line, h.level, h.text.as_str()));
            }
        }
        let Some(level) = counts.iter().find(|(_, n)| **n > 1).map(|(l, _)| *l) else { continue };
        for table in schema.tables.iter().filter(|t| *t.origin.file == *file.name) {
            let section = headings
                .iter()
                .rfind(|(line, l, _)| *l == level && *line <= table.origin.line)
                .map(|(_, _, text)| text.trim().to_string());
            if let Some(section) = section.filter(|s| !s.is_empty()) {
                out.insert(name_key(&table.qualified_name()), section);
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{extract, Options};
    use std::sync::Arc;

    #[test]
    fn tables_are_grouped_under_the_repeated_heading_level() {
        let text = "# 쇼핑몰 설계\n\n## 회원\n\n```sql\nCREATE TABLE users (id INT PRIMARY KEY);\n```\n\n\
                    ## 주문\n\n### 주문 본문\n\n```sql\nCREATE TABLE orders (id INT PRIMARY KEY);\n```\n";
        let files = vec![SourceFile { name: Arc::from("doc.md"), text: text.to_string() }];
        let schema = extract(&files, &Options::default()).schema;
        let sections = table_sections(&files, &schema);
        assert_eq!(sections.get("users").map(String::as_str), Some("회원"));
        assert_eq!(sections.get("orders").map(String::as_str), Some("주문"));
    }
}
