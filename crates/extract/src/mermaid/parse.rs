//! The lines of a Mermaid `erDiagram`: entity blocks with attributes, relationship lines, and
//! the syntax problems found, each with its file position.

use crate::scan::CodeBlock;
use crate::types::parse_loose_type;
use model::TypeKind;

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
    /// How many characters the name takes in the line (with its quotes, if quoted).
    pub len: u32,
}

/// A line of the diagram that cannot be read: where, how many characters to mark, and why.
#[derive(Debug, Clone)]
pub(super) struct SyntaxError {
    pub pos: Pos,
    pub len: u32,
    pub message: String,
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
    /// How many characters the relationship takes in the line.
    pub len: u32,
    /// The text after `:` (`"is assigned"` → `is assigned`), empty when there is none.
    pub label: String,
}

/// One erDiagram.
#[derive(Debug, Default)]
pub(super) struct Diagram {
    pub entities: Vec<EntityBlock>,
    /// Entities named on a line of their own or in relationships.
    pub mentions: Vec<EntityRef>,
    pub relationships: Vec<Relationship>,
    pub errors: Vec<SyntaxError>,
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
            // A line that starts another entity block or is a relationship ends an entity whose
            // `}` was forgotten; reading it as attributes would move the next entity's columns.
            match interruption(text, start, &at) {
                Some(next) => {
                    let name = &entity.entity.name;
                    diagram.errors.push(SyntaxError {
                        pos: entity.entity.pos,
                        len: entity.entity.len,
                        message: format!("entity `{name}` is not closed before {next}: `}}` is missing"),
                    });
                    close(entity, &mut diagram);
                }
                None => {
                    match attributes(text, start, &at, &mut entity.attrs, &mut diagram.errors) {
                        true => close(entity, &mut diagram),
                        false => open = Some(entity),
                    }
                    continue;
                }
            }
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
        if let Some(rel) = relationship(text, start, &at, trimmed) {
            diagram.mentions.push(rel.left.clone());
            diagram.mentions.push(rel.right.clone());
            diagram.relationships.push(rel);
            continue;
        }
        let Some((entity, rest)) = entity_ref(text, start, &at) else {
            diagram.errors.push(SyntaxError {
                pos: at(start),
                len: chars(trimmed),
                message: format!("cannot read `{trimmed}` as an entity or relationship"),
            });
            continue;
        };
        let after = text[rest..].trim_start();
        if after.is_empty() {
            diagram.mentions.push(entity);
            continue;
        }
        if !after.starts_with('{') {
            diagram.errors.push(SyntaxError {
                pos: at(text.len() - after.len()),
                len: chars(after),
                message: format!("expected `{{` or a relationship after `{}`", entity.name),
            });
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
        diagram.errors.push(SyntaxError {
            pos: entity.entity.pos,
            len: entity.entity.len,
            message: format!("entity `{name}` is not closed: `}}` is missing"),
        });
        close(entity, &mut diagram);
    }
    started.then_some(diagram)
}

/// What a line inside an open entity block starts instead of an attribute: another entity block
/// (`` `NAME` ``) or a relationship (`the relationship line`).
fn interruption(text: &str, start: usize, at: &dyn Fn(usize) -> Pos) -> Option<String> {
    if let Some((entity, rest)) = entity_ref(text, start, at) {
        if text[rest..].trim_start().starts_with('{') {
            return Some(format!("`{}`", entity.name));
        }
    }
    relationship(text, start, at, text.trim()).map(|r| format!("the relationship `{} – {}`", r.left.name, r.right.name))
}

fn chars(s: &str) -> u32 {
    s.chars().count() as u32
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
    let len = chars(&text[start..end]);
    Some((EntityRef { name, pos: at(start), len }, end))
}

/// A relationship line, in symbols (`A ||--o{ B : label`) or in words (`A 1 to zero or more B : label`);
/// `trimmed` is the line's text without surrounding space.
fn relationship(text: &str, start: usize, at: &dyn Fn(usize) -> Pos, trimmed: &str) -> Option<Relationship> {
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
    let (right, after_right) = entity_ref(text, right_start, at)?;
    let label = text[after_right..].trim_start().strip_prefix(':').unwrap_or("").trim().trim_matches('"').trim();
    Some(Relationship {
        left,
        right,
        left_card,
        right_card,
        pos: at(start),
        len: chars(trimmed),
        label: label.to_string(),
    })
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
    errors: &mut Vec<SyntaxError>,
) -> bool {
    let tokens = tokenize(text, from);
    let error = |pos: usize, tok: &str, message: String| SyntaxError { pos: at(pos), len: chars(tok), message };
    let mut i = 0;
    while i < tokens.len() {
        let (tok, pos) = &tokens[i];
        if tok == "}" {
            if let Some((extra, p)) = tokens.get(i + 1) {
                errors.push(error(*p, extra, format!("unexpected `{extra}` after `}}`")));
            }
            return true;
        }
        if tok.starts_with('"') {
            errors.push(error(*pos, tok, format!("a comment {tok} must follow an attribute's type and name")));
            i += 1;
            continue;
        }
        let ty = tok.clone();
        i += 1;
        // NOTE: a lower-case `pk` may be a column's name; only upper-case key marks stand for keys here.
        let key_marks = |t: &str| is_keys(t).is_some() && t == t.to_ascii_uppercase();
        let name = tokens.get(i).filter(|(t, _)| t != "}" && !t.starts_with('"') && !key_marks(t));
        let Some((name, name_pos)) = name else {
            // One word where `type name` belongs: a type word lacks the name, anything else the type.
            let message = if matches!(parse_loose_type(&ty).kind, TypeKind::Other { .. }) {
                format!("attribute `{ty}` has no type: write `type name`")
            } else {
                format!("attribute of type `{ty}` has no name: write `type name`")
            };
            errors.push(error(*pos, &ty, message));
            // Its keys and comment go with it.
            while tokens.get(i).is_some_and(|(t, _)| t == "," || is_keys(t).is_some()) {
                i += 1;
            }
            if tokens.get(i).is_some_and(|(t, _)| t.starts_with('"')) {
                i += 1;
            }
            continue;
        };
        i += 1;
        let mut keys = Vec::new();
        while let Some((t, _)) = tokens.get(i) {
            match is_keys(t) {
                Some(parsed) => keys.extend(parsed),
                None if t == "," => {}
                None => break,
            }
            i += 1;
        }
        let mut comment = None;
        if let Some((t, _)) = tokens.get(i).filter(|(t, _)| t.starts_with('"')) {
            comment = Some(t.trim_matches('"').to_string());
            i += 1;
        }
        out.push(Attribute { ty, name: name.clone(), pos: at(*name_pos), keys, comment });
        if let Some((t, p)) = tokens.get(i).filter(|(t, _)| t != "}") {
            errors.push(error(*p, t, format!("unexpected `{t}` after attribute `{name}`; one attribute per line")));
            // Skip the rest of the line, but honour a closing brace on it.
            return tokens[i..].iter().any(|(t, _)| t == "}");
        }
    }
    false
}

/// The keys of a word made only of key marks (`PK`, `PK,FK`, `FK,`); `None` for any other word.
fn is_keys(word: &str) -> Option<Vec<Key>> {
    let parts: Vec<&str> = word.split(',').map(str::trim).filter(|p| !p.is_empty()).collect();
    if parts.is_empty() {
        return None;
    }
    parts.iter().map(|p| key(p)).collect()
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
    fn an_unclosed_entity_ends_where_the_next_one_starts() {
        let d = diagram(
            "```mermaid\nerDiagram\n  ROOMS {\n    int id PK\n    string name\n  BOOKINGS {\n    int id PK\n    int room_id FK\n  }\n```\n",
        )
        .unwrap();
        let messages: Vec<(u32, u32, &str)> =
            d.errors.iter().map(|e| (e.pos.line, e.len, e.message.as_str())).collect();
        assert_eq!(messages, [(3, 5, "entity `ROOMS` is not closed before `BOOKINGS`: `}` is missing")]);
        let attrs: Vec<(&str, Vec<&str>)> = d
            .entities
            .iter()
            .map(|e| (e.entity.name.as_str(), e.attrs.iter().map(|a| a.name.as_str()).collect()))
            .collect();
        assert_eq!(attrs, [("ROOMS", vec!["id", "name"]), ("BOOKINGS", vec!["id", "room_id"])]);
    }

    #[test]
    fn a_relationship_line_also_ends_an_unclosed_entity() {
        let d =
            diagram("```mermaid\nerDiagram\n  ROOMS {\n    int id PK\n  ROOMS ||--o{ BOOKINGS : has\n```\n").unwrap();
        assert_eq!(d.errors.len(), 1, "{:?}", d.errors);
        assert!(d.errors[0].message.contains("not closed before the relationship"), "{:?}", d.errors);
        assert_eq!(d.relationships.len(), 1);
        assert_eq!(d.entities[0].attrs.len(), 1);
    }

    #[test]
    fn a_lone_word_says_which_half_is_missing() {
        let d = diagram(
            "```mermaid\nerDiagram\n  B {\n    int id PK\n    starts_at\n    string\n    user_id FK\n    int pk\n  }\n```\n",
        )
        .unwrap();
        let messages: Vec<(u32, u32, &str)> =
            d.errors.iter().map(|e| (e.pos.column, e.len, e.message.as_str())).collect();
        assert_eq!(
            messages,
            [
                (5, 9, "attribute `starts_at` has no type: write `type name`"),
                (5, 6, "attribute of type `string` has no name: write `type name`"),
                (5, 7, "attribute `user_id` has no type: write `type name`"),
            ]
        );
        // A lower-case `pk` is a name, not a key mark.
        let names: Vec<&str> = d.entities[0].attrs.iter().map(|a| a.name.as_str()).collect();
        assert_eq!(names, ["id", "pk"]);
    }

    #[test]
    fn broken_lines_are_errors() {
        let d = diagram("```mermaid\nerDiagram\n  A ||--\n  B {\n    string\n    string x y z\n```\n").unwrap();
        assert_eq!(d.errors.len(), 4, "{:?}", d.errors);
        assert_eq!(d.entities.len(), 1);
    }
}
