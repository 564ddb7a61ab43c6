//! The lines of a Mermaid `erDiagram`: entity blocks with attributes, relationship lines, and
//! the syntax problems found, each with its file position.

use crate::scan::CodeBlock;

/// A place in the markdown file: 1-based line and column (in characters).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(super) struct Pos {
    pub line: u32,
    pub column: u32,
}

/// An entity name as written, with where.
#[derive(Debug, Clone)]
pub(super) struct EntityRef {
    pub name: String,
    pub pos: Pos,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Key {
    Pk,
    Fk,
    Uk,
}

/// `type name [PK, FK] "comment"`.
#[derive(Debug, Clone)]
pub(super) struct Attribute {
    pub ty: String,
    pub name: String,
    pub pos: Pos,
    pub keys: Vec<Key>,
    pub comment: Option<String>,
}

/// `NAME { … }`.
#[derive(Debug, Clone)]
pub(super) struct EntityBlock {
    pub entity: EntityRef,
    pub attrs: Vec<Attribute>,
}

/// How many rows of an entity take part in a relationship.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Card {
    ZeroOrOne,
    ExactlyOne,
    ZeroOrMore,
    OneOrMore,
}

impl Card {
    pub fn many(self) -> bool {
        matches!(self, Card::ZeroOrMore | Card::OneOrMore)
    }

    fn left(s: &str) -> Option<Card> {
        Some(match s {
            "|o" => Card::ZeroOrOne,
            "||" => Card::ExactlyOne,
            "}o" => Card::ZeroOrMore,
            "}|" => Card::OneOrMore,
            _ => return None,
        })
    }

    fn right(s: &str) -> Option<Card> {
        Some(match s {
            "o|" => Card::ZeroOrOne,
            "||" => Card::ExactlyOne,
            "o{" => Card::ZeroOrMore,
            "|{" => Card::OneOrMore,
            _ => return None,
        })
    }

    /// Mermaid's word aliases (`zero or more`, `only one`, `1+`).
    fn words(words: &[&str]) -> Option<Card> {
        let phrase = words.join(" ").to_ascii_lowercase();
        Some(match phrase.as_str() {
            "one or zero" | "zero or one" => Card::ZeroOrOne,
            "only one" | "1" => Card::ExactlyOne,
            "zero or more" | "zero or many" | "many(0)" | "0+" => Card::ZeroOrMore,
            "one or more" | "one or many" | "many(1)" | "1+" => Card::OneOrMore,
            _ => return None,
        })
    }
}

/// `A ||--o{ B : "label"`.
#[derive(Debug, Clone)]
pub(super) struct Relationship {
    pub left: EntityRef,
    pub right: EntityRef,
    pub left_card: Card,
    pub right_card: Card,
    /// Where the line starts.
    pub pos: Pos,
}

/// One erDiagram.
#[derive(Debug, Default)]
pub(super) struct Diagram {
    pub entities: Vec<EntityBlock>,
    /// Entities named on a line of their own or in relationships.
    pub mentions: Vec<EntityRef>,
    pub relationships: Vec<Relationship>,
    pub errors: Vec<(Pos, String)>,
    /// Entity blocks written without attributes (`NAME { }`).
    pub empty: Vec<EntityRef>,
}

/// Parses a mermaid block; `None` when it is not an `erDiagram`.
pub(super) fn parse(block: &CodeBlock) -> Option<Diagram> {
    let mut diagram = Diagram::default();
    let mut started = false;
    let mut in_front_matter = false;
    let mut open: Option<EntityBlock> = None;
    for (idx, raw) in block.content.split('\n').enumerate() {
        let line_no = block.first_line + idx as u32;
        let at = |byte: usize| Pos {
            line: line_no,
            column: raw.get(..byte).map(|s| s.chars().count()).unwrap_or(0) as u32 + 1 + block.indent,
        };
        let text = strip_comment(raw);
        let trimmed = text.trim();
        if !started {
            if trimmed == "---" {
                in_front_matter = !in_front_matter;
                continue;
            }
            if in_front_matter || trimmed.is_empty() || trimmed.starts_with("%%") {
                continue;
            }
            let mut words = trimmed.split_whitespace();
            if words.next() != Some("erDiagram") {
                return None;
            }
            started = true;
            continue;
        }
        if trimmed.is_empty() {
            continue;
        }
        let start = text.len() - text.trim_start().len();
        if let Some(mut entity) = open.take() {
            match attributes(text, start, &at, &mut entity.attrs, &mut diagram.errors) {
                true => close(entity, &mut diagram),
                false => open = Some(entity),
            }
            continue;
        }
        let first = trimmed.split_whitespace().next().unwrap_or("");
        if matches!(
            first,
            "direction"
                | "title"
                | "accTitle"
                | "accTitle:"
                | "accDescr"
                | "accDescr:"
                | "classDef"
                | "class"
                | "style"
        ) {
            continue;
        }
        if let Some(rel) = relationship(text, start, &at) {
            diagram.mentions.push(rel.left.clone());
            diagram.mentions.push(rel.right.clone());
            diagram.relationships.push(rel);
            continue;
        }
        let Some((entity, rest)) = entity_ref(text, start, &at) else {
            diagram.errors.push((at(start), format!("cannot read `{}` as an entity or relationship", trimmed)));
            continue;
        };
        let after = text[rest..].trim_start();
        if after.is_empty() {
            diagram.mentions.push(entity);
            continue;
        }
        if !after.starts_with('{') {
            diagram.errors.push((at(rest), format!("expected `{{` or a relationship after `{}`", entity.name)));
            continue;
        }
        let body = text.len() - after.len() + 1;
        let mut block = EntityBlock { entity, attrs: Vec::new() };
        if attributes(text, body, &at, &mut block.attrs, &mut diagram.errors) {
            close(block, &mut diagram);
        } else {
            open = Some(block);
        }
    }
    if let Some(entity) = open {
        let name = entity.entity.name.clone();
        diagram.errors.push((entity.entity.pos, format!("entity `{name}` is not closed: `}}` is missing")));
        close(entity, &mut diagram);
    }
    started.then_some(diagram)
}

fn close(entity: EntityBlock, diagram: &mut Diagram) {
    if entity.attrs.is_empty() {
        diagram.empty.push(entity.entity);
    } else {
        diagram.entities.push(entity);
    }
}

/// The line without a `%%` comment (outside quotes).
fn strip_comment(line: &str) -> &str {
    let mut quote = false;
    let bytes = line.as_bytes();
    for (i, &b) in bytes.iter().enumerate() {
        match b {
            b'"' => quote = !quote,
            b'%' if !quote && bytes.get(i + 1) == Some(&b'%') => return &line[..i],
            _ => {}
        }
    }
    line
}

/// An entity name at `start` (`NAME`, `"a name"`, `NAME["Alias"]`) and the byte after it.
fn entity_ref(text: &str, start: usize, at: &dyn Fn(usize) -> Pos) -> Option<(EntityRef, usize)> {
    let rest = &text[start..];
    let (name, mut end) = if let Some(q) = rest.strip_prefix('"') {
        let close = q.find('"')?;
        (q[..close].to_string(), start + close + 2)
    } else {
        let len = rest
            .find(|c: char| c.is_whitespace() || matches!(c, '[' | '{' | '}' | ':' | '"' | ','))
            .unwrap_or(rest.len());
        (rest[..len].to_string(), start + len)
    };
    if name.trim().is_empty() || !name.chars().any(|c| c.is_alphanumeric()) {
        return None;
    }
    if text[end..].starts_with('[') {
        let close = text[end..].find(']')?;
        end += close + 1;
    }
    Some((EntityRef { name, pos: at(start) }, end))
}

/// A relationship line, in symbols (`A ||--o{ B : label`) or in words (`A 1 to zero or more B : label`).
fn relationship(text: &str, start: usize, at: &dyn Fn(usize) -> Pos) -> Option<Relationship> {
    let (left, after_left) = entity_ref(text, start, at)?;
    let rest = text[after_left..].trim_start();
    let op_start = text.len() - rest.len();
    let (left_card, right_card, after_op) = if let Some(op) = rest.get(..6).filter(|op| is_operator(op)) {
        (Card::left(&op[..2])?, Card::right(&op[4..])?, op_start + 6)
    } else {
        // Word aliases: up to the `to`, cardinality words, `to`, cardinality words, entity.
        let colon = rest.find(':').unwrap_or(rest.len());
        let words: Vec<&str> = rest[..colon].split_whitespace().collect();
        let to = words.iter().position(|w| *w == "to")?;
        let left_words = if to > 0 && words[to - 1] == "optionally" { &words[..to - 1] } else { &words[..to] };
        let right_words = words.get(to + 1..words.len().saturating_sub(1))?;
        let left_card = Card::words(left_words)?;
        let right_card = Card::words(right_words)?;
        let last = words.last()?;
        let pos = rest[..colon].rfind(last)?;
        (left_card, right_card, op_start + pos)
    };
    let right_start = after_op + (text[after_op..].len() - text[after_op..].trim_start().len());
    let (right, _) = entity_ref(text, right_start, at)?;
    Some(Relationship { left, right, left_card, right_card, pos: at(start) })
}

fn is_operator(op: &str) -> bool {
    let b = op.as_bytes();
    b.len() == 6
        && op.is_char_boundary(2)
        && op.is_char_boundary(4)
        && Card::left(&op[..2]).is_some()
        && matches!(&b[2..4], b"--" | b".." | b".-" | b"-.")
        && Card::right(&op[4..]).is_some()
}

/// Reads attributes from `text[from..]`; true when the entity's `}` was found.
fn attributes(
    text: &str,
    from: usize,
    at: &dyn Fn(usize) -> Pos,
    out: &mut Vec<Attribute>,
    errors: &mut Vec<(Pos, String)>,
) -> bool {
    let tokens = tokenize(text, from);
    let mut i = 0;
    while i < tokens.len() {
        let (tok, pos) = &tokens[i];
        if tok == "}" {
            if let Some((extra, p)) = tokens.get(i + 1) {
                errors.push((at(*p), format!("unexpected `{extra}` after `}}`")));
            }
            return true;
        }
        if tok.starts_with('"') {
            errors.push((at(*pos), format!("a comment {tok} must follow an attribute's type and name")));
            i += 1;
            continue;
        }
        let ty = tok.clone();
        i += 1;
        let Some((name, name_pos)) = tokens.get(i).filter(|(t, _)| t != "}" && !t.starts_with('"')) else {
            errors.push((at(*pos), format!("attribute `{ty}` has no name: write `type name`")));
            continue;
        };
        i += 1;
        let mut keys = Vec::new();
        while let Some((t, _)) = tokens.get(i) {
            let parts: Vec<&str> = t.split(',').map(str::trim).filter(|p| !p.is_empty()).collect();
            let parsed: Vec<Option<Key>> = parts.iter().map(|p| key(p)).collect();
            if t != "," && (parts.is_empty() || parsed.iter().any(Option::is_none)) {
                break;
            }
            keys.extend(parsed.into_iter().flatten());
            i += 1;
        }
        let mut comment = None;
        if let Some((t, _)) = tokens.get(i).filter(|(t, _)| t.starts_with('"')) {
            comment = Some(t.trim_matches('"').to_string());
            i += 1;
        }
        out.push(Attribute { ty, name: name.clone(), pos: at(*name_pos), keys, comment });
        if let Some((t, p)) = tokens.get(i).filter(|(t, _)| t != "}") {
            errors.push((at(*p), format!("unexpected `{t}` after attribute `{name}`; one attribute per line")));
            // Skip the rest of the line, but honour a closing brace on it.
            return tokens[i..].iter().any(|(t, _)| t == "}");
        }
    }
    false
}

fn key(word: &str) -> Option<Key> {
    match word.to_ascii_uppercase().as_str() {
        "PK" => Some(Key::Pk),
        "FK" => Some(Key::Fk),
        "UK" => Some(Key::Uk),
        _ => None,
    }
}

/// Words, quoted strings and `}` of `text[from..]`, with their byte offsets. A type's
/// parenthesised arguments stay in one word (`decimal(10, 2)`).
fn tokenize(text: &str, from: usize) -> Vec<(String, usize)> {
    let mut out = Vec::new();
    let s = &text[from..];
    let mut chars = s.char_indices().peekable();
    while let Some(&(i, c)) = chars.peek() {
        if c.is_whitespace() {
            chars.next();
            continue;
        }
        if c == '}' {
            chars.next();
            out.push(("}".to_string(), from + i));
            continue;
        }
        let mut word = String::new();
        if c == '"' {
            word.push(c);
            chars.next();
            for (_, c) in chars.by_ref() {
                word.push(c);
                if c == '"' {
                    break;
                }
            }
        } else {
            let mut depth = 0i32;
            while let Some(&(_, c)) = chars.peek() {
                if depth == 0 && (c.is_whitespace() || c == '}' || c == '"') {
                    break;
                }
                match c {
                    '(' => depth += 1,
                    ')' => depth -= 1,
                    _ => {}
                }
                word.push(c);
                chars.next();
            }
        }
        out.push((word, from + i));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scan::{scan, Item};

    fn diagram(text: &str) -> Option<Diagram> {
        let doc = scan("t.md".into(), text);
        let Some(Item::Block(b)) = doc.items.into_iter().find(|i| matches!(i, Item::Block(_))) else {
            panic!("no block")
        };
        parse(&b)
    }

    #[test]
    fn entities_attributes_and_relationships() {
        let d = diagram(
            "```mermaid\n---\ntitle: x\n---\nerDiagram\n  %% 주석\n  USERS ||--o{ JOB_LOGS : \"has\"\n  USERS {\n    TEXT id PK \"🗄️ SQLite (AUTO)\"\n    decimal(10, 2) price\n    TEXT job_id PK,FK\n  }\n  C[\"Customer\"] { string name }\n  CAR 1 to zero or more DRIVER : allows\n```\n",
        )
        .unwrap();
        assert!(d.errors.is_empty(), "{:?}", d.errors);
        assert_eq!(d.entities.len(), 2);
        let u = &d.entities[0];
        assert_eq!((u.entity.name.as_str(), u.entity.pos), ("USERS", Pos { line: 8, column: 3 }));
        assert_eq!(u.attrs[0].comment.as_deref(), Some("🗄️ SQLite (AUTO)"));
        assert_eq!(u.attrs[0].pos, Pos { line: 9, column: 10 });
        assert_eq!(u.attrs[1].ty, "decimal(10, 2)");
        assert_eq!(u.attrs[2].keys, [Key::Pk, Key::Fk]);
        assert_eq!(d.entities[1].entity.name, "C");
        assert_eq!(d.relationships.len(), 2);
        assert_eq!(d.relationships[0].right_card, Card::ZeroOrMore);
        assert_eq!(d.relationships[1].left_card, Card::ExactlyOne);
        assert_eq!(d.relationships[1].right.name, "DRIVER");
    }

    #[test]
    fn other_diagrams_are_not_read() {
        assert!(diagram("```mermaid\ngraph TD\n  A --> B\n```\n").is_none());
    }

    #[test]
    fn broken_lines_are_errors() {
        let d = diagram("```mermaid\nerDiagram\n  A ||--\n  B {\n    string\n    string x y z\n```\n").unwrap();
        assert_eq!(d.errors.len(), 4, "{:?}", d.errors);
        assert_eq!(d.entities.len(), 1);
    }
}
