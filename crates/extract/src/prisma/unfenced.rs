//! Prisma written outside a fence: `model X { … }` and `enum X { … }` in plain markdown text
//! (a paragraph, or paragraphs and indented blocks when blank lines split a model), and
//! unlabelled fences whose content is Prisma. Each run becomes one block at its own lines,
//! so that positions stay those of the file.

use crate::scan::{BlockLang, CodeBlock, Document, Item};

/// A run of markdown items holding Prisma declarations, as a block for the Prisma parser.
pub(super) struct Run {
    pub block: CodeBlock,
    /// The lines of the items it was made of (to mark them read).
    pub lines: Vec<u32>,
}

/// The Prisma written outside ```prisma fences in `doc`.
pub(super) fn runs(doc: &Document) -> Vec<Run> {
    let mut out = Vec::new();
    let mut i = 0;
    while i < doc.items.len() {
        let item = &doc.items[i];
        i += 1;
        if let Item::Block(b) = item {
            if b.lang == BlockLang::Unlabelled && b.first_line > b.fence_line && starts_declaration(&b.content) {
                out.push(Run { block: b.clone(), lines: vec![b.fence_line] });
            }
            continue;
        }
        let Some((text, line)) = prose(item) else { continue };
        if !starts_declaration(&text) {
            continue;
        }
        let mut lines: Vec<(u32, String)> = vec![(line, text)];
        let mut depth = depth_change(&lines[0].1);
        // A model split by blank lines goes on in the next paragraphs or indented blocks.
        while depth > 0 {
            let Some((text, line)) = doc.items.get(i).and_then(prose) else { break };
            depth += depth_change(&text);
            lines.push((line, text));
            i += 1;
        }
        let headings = item.headings().to_vec();
        out.push(assemble(lines, headings));
    }
    out
}

/// The text of a paragraph or indented block with its first line, indented as in the file.
fn prose(item: &Item) -> Option<(String, u32)> {
    match item {
        Item::Paragraph(p) => {
            let raw = p.raw.trim_end_matches(['\n', '\r']).replace('\r', "");
            Some((format!("{}{raw}", " ".repeat(p.column.saturating_sub(1) as usize)), p.line))
        }
        // An indented block (no fence): its lines lost their indentation.
        Item::Block(b) if b.lang == BlockLang::Unlabelled && b.first_line == b.fence_line => {
            let pad = " ".repeat(b.indent as usize);
            let text: Vec<String> = b.content.trim_end_matches('\n').split('\n').map(|l| format!("{pad}{l}")).collect();
            Some((text.join("\n"), b.first_line))
        }
        _ => None,
    }
}

fn assemble(parts: Vec<(u32, String)>, headings: Vec<crate::scan::Heading>) -> Run {
    let first = parts[0].0;
    let mut content = String::new();
    let mut at = first;
    for (line, text) in &parts {
        while at < *line {
            content.push('\n');
            at += 1;
        }
        content.push_str(text);
        content.push('\n');
        at += text.matches('\n').count() as u32 + 1;
    }
    Run {
        block: CodeBlock {
            info: String::new(),
            lang: BlockLang::Prisma,
            content,
            fence_line: first,
            first_line: first,
            indent: 0,
            headings,
            preceding_text: None,
            line_starts: Default::default(),
        },
        lines: parts.iter().map(|(l, _)| *l).collect(),
    }
}

/// Whether `text` opens with a Prisma declaration: `model Name {`, `enum Name {`, with only
/// comments or blank lines before it.
fn starts_declaration(text: &str) -> bool {
    let Some(first) = text.lines().map(str::trim).find(|l| !l.is_empty() && !l.starts_with("//")) else {
        return false;
    };
    let mut words = first.split_whitespace();
    let (Some(kw), Some(name), Some(brace), None) = (words.next(), words.next(), words.next(), words.next()) else {
        return false;
    };
    matches!(kw, "model" | "enum" | "view" | "type")
        && brace == "{"
        && name.chars().next().is_some_and(|c| c.is_ascii_alphabetic())
        && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
}

/// `{` minus `}` outside strings and `//` comments.
fn depth_change(text: &str) -> i64 {
    let mut depth = 0;
    for line in text.lines() {
        let mut quote = false;
        let mut prev = ' ';
        for c in line.chars() {
            match c {
                '"' => quote = !quote,
                '/' if !quote && prev == '/' => break,
                '{' if !quote => depth += 1,
                '}' if !quote => depth -= 1,
                _ => {}
            }
            prev = c;
        }
    }
    depth
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scan::scan;

    #[test]
    fn a_model_split_by_blank_lines_is_one_run_at_its_lines() {
        let md = "Intro.\n\nmodel Hive {\n  id Int @id\n\n  label String\n\n      frames Frame[]\n}\n\nenum Kind {\n  A\n}\n";
        let doc = scan("d.md".into(), md);
        let runs = runs(&doc);
        assert_eq!(runs.len(), 2);
        assert_eq!(runs[0].block.first_line, 3);
        assert_eq!(runs[0].lines, [3, 6, 8, 9]);
        let lines: Vec<&str> = runs[0].block.content.lines().collect();
        assert_eq!(lines[0], "model Hive {");
        assert_eq!(lines[3].trim(), "label String");
        assert_eq!(lines[5].trim(), "frames Frame[]");
        assert_eq!(runs[1].block.first_line, 11);
    }

    #[test]
    fn prose_about_models_is_not_a_run() {
        for md in ["The model User { is described below }.\n", "model the data {\n", "models Foo {\n}\n"] {
            assert!(runs(&scan("d.md".into(), md)).is_empty(), "{md}");
        }
        assert_eq!(depth_change("a { \"}\" // }\n}"), 0);
    }
}
