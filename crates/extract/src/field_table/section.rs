//! What the paragraphs of a section say about the table its field table defines:
//! `**Table Name**: x`, `**논리명**: 사용자`, `**Primary Key**: id`, `**Foreign Keys**: a → t.c`.

use super::words::{is_ident, Constraints, FkTarget};
use crate::context::{labelled_lines, Labelled, NamedTable};
use crate::scan::{Heading, TextItem};
use model::{Notation, Origin};
use std::sync::Arc;

/// What labelled paragraphs under one heading state.
#[derive(Debug, Clone, Default)]
pub(super) struct Given {
    /// The level of the heading the paragraphs are under (0 before any heading).
    pub level: u8,
    pub name: Option<(NamedTable, Origin)>,
    pub label: Option<String>,
    pub primary_key: Option<(Vec<String>, Origin)>,
    /// (column, target, where the column is written).
    pub foreign_keys: Vec<(String, FkTarget, Origin)>,
    /// The table the headings above the paragraphs name, for keys no field table takes.
    pub heading: Option<(NamedTable, Origin)>,
    /// The lines of the paragraphs (and bullets) read into this section.
    pub items: Vec<u32>,
    /// Whether a field table took what the section says.
    pub used: bool,
}

/// The labelled paragraphs in effect at a point of a document, one entry per heading level.
#[derive(Debug, Default)]
pub(super) struct Sections {
    stack: Vec<Given>,
    /// Sections a new `**Table Name**` line closed before any field table took them.
    closed: Vec<Given>,
}

impl Sections {
    /// A heading closes the sections at its level and deeper; returns those no field table took.
    pub fn heading(&mut self, h: &Heading) -> Vec<Given> {
        let keep = self.stack.iter().position(|g| g.level >= h.level).unwrap_or(self.stack.len());
        let mut out = std::mem::take(&mut self.closed);
        out.extend(self.stack.split_off(keep).into_iter().filter(|g| !g.used));
        out
    }

    /// The end of the document closes every section; returns those no field table took.
    pub fn finish(&mut self) -> Vec<Given> {
        let mut out = std::mem::take(&mut self.closed);
        out.extend(std::mem::take(&mut self.stack).into_iter().filter(|g| !g.used));
        out
    }

    /// Reads the `Label: value` lines of a paragraph into the innermost section. Of a bullet
    /// (`bullet`), only names are read: keys in bullets are the list front-end's.
    pub fn paragraph(&mut self, file: &Arc<str>, p: &TextItem, bullet: bool) {
        let mut lines = labelled_lines(&p.raw);
        if bullet {
            lines.retain(|(l, _)| matches!(l, Labelled::TableName(_) | Labelled::LogicalName(_)));
        }
        if lines.is_empty() {
            return;
        }
        let level = p.headings.last().map_or(0, |h| h.level);
        if self.stack.last().is_none_or(|g| g.level != level) {
            let heading = super::heading_table(&p.headings).map(|(n, h)| {
                let o = super::heading_origin(file, h, &n.name);
                (n, o)
            });
            self.stack.push(Given { level, heading, ..Given::default() });
        }
        let Some(given) = self.stack.last_mut() else { return };
        given.items.push(p.line);
        let raw_lines: Vec<&str> = p.raw.lines().collect();
        let origin_of = |n: u32, needle: &str| {
            let line = raw_lines.get(n as usize).copied().unwrap_or("");
            let at = line.find(needle).map(|b| line[..b].chars().count() as u32).unwrap_or(0);
            let base = if n == 0 { p.column } else { 1 };
            Origin::new(file.clone(), p.line + n, base + at, Notation::FieldTable)
        };
        for (item, n) in lines {
            match item {
                Labelled::TableName(t) => {
                    let o = origin_of(n, &t.name);
                    // A second table name in one section starts a new table: what was said of
                    // the previous one stays with it.
                    if given.used || given.name.is_some() {
                        let fresh =
                            Given { level, heading: given.heading.clone(), items: vec![p.line], ..Given::default() };
                        let old = std::mem::replace(given, fresh);
                        if !old.used {
                            self.closed.push(old);
                        }
                    }
                    given.name = Some((t, o));
                }
                Labelled::LogicalName(l) => given.label = Some(l),
                Labelled::PrimaryKey(cols) => {
                    let o = origin_of(n, &cols[0]);
                    given.primary_key = Some((cols, o));
                }
                Labelled::ForeignKeys(text) => {
                    for part in split_fk_list(&text) {
                        let Some((col, rest)) = first_word(&part) else { continue };
                        let mut words = Constraints::default();
                        words.read(&rest);
                        if words.fk.is_none() {
                            words = Constraints::default();
                            words.read(&format!("REFERENCES {rest}"));
                        }
                        if let Some(fk) = words.fk {
                            let o = origin_of(n, &col);
                            given.foreign_keys.push((col, fk, o));
                        }
                    }
                }
            }
        }
    }

    /// What the sections in effect say, innermost first for each part, for a field table that
    /// takes it (the sections count as used).
    pub fn given(&mut self) -> Option<Given> {
        if self.stack.is_empty() {
            return None;
        }
        let mut out = Given::default();
        for g in self.stack.iter_mut().rev() {
            g.used = true;
            out.items.extend(g.items.iter().copied());
            if out.name.is_none() && g.name.is_some() {
                out.name = g.name.clone();
                out.level = g.level;
            }
            if out.label.is_none() {
                out.label = g.label.clone();
            }
            if out.primary_key.is_none() {
                out.primary_key = g.primary_key.clone();
            }
            if out.foreign_keys.is_empty() {
                out.foreign_keys = g.foreign_keys.clone();
            }
        }
        Some(out)
    }
}

/// The column an entry starts with and the rest (`studio_id → studios.id`).
fn first_word(entry: &str) -> Option<(String, String)> {
    let end = entry.find(|c: char| !(c.is_alphanumeric() || c == '_')).unwrap_or(entry.len());
    let name = &entry[..end];
    is_ident(name).then(|| (name.to_string(), entry[end..].trim().to_string()))
}

/// `a → t.c, b → u(c, d)`: one entry per column, commas inside parentheses kept.
fn split_fk_list(text: &str) -> Vec<String> {
    let (mut parts, mut cur, mut depth) = (Vec::new(), String::new(), 0usize);
    for c in text.chars() {
        match c {
            '(' => depth += 1,
            ')' => depth = depth.saturating_sub(1),
            ',' | ';' if depth == 0 => {
                parts.push(std::mem::take(&mut cur));
                continue;
            }
            _ => {}
        }
        cur.push(c);
    }
    parts.push(cur);
    parts.into_iter().map(|p| p.trim().to_string()).filter(|p| !p.is_empty()).collect()
}
