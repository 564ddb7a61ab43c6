//! What a box says: its title (the table, possibly wrapped over two lines, possibly cut short
//! with `..`/`…`) and its column lines (`- id (PK)`, `PK id int`, `patron_id FK → patrons`).

use super::geometry::Rect;
use super::grid::Grid;
use crate::sketch::{is_name, read_marks, SketchColumn};

/// The text a box holds.
#[derive(Debug, Clone, PartialEq)]
pub(super) struct Boxed {
    /// The title as written, wrapped lines joined.
    pub title: String,
    /// Where the title starts: (row, cell).
    pub title_at: (usize, usize),
    pub columns: Vec<SketchColumn>,
    /// Lines inside the box that are not columns: (row, cell, text).
    pub unread: Vec<(usize, usize, String)>,
}

/// A line of the box's inside: its row, the cell its text starts at, the text, and whether it
/// runs up to the right edge (a title cut by the width of the box).
struct Inner {
    row: usize,
    at: usize,
    text: String,
    full: bool,
}

/// Reads box `b` of `g`; `None` when it has no title or no column line.
pub(super) fn read(g: &Grid, b: &Rect) -> Option<Boxed> {
    // The inside, split at separator rows (`├───┤`, `+---+`) and blank lines.
    let mut sections: Vec<Vec<Inner>> = vec![Vec::new()];
    // Whether the first lines end at a separator row (then they are all the title).
    let mut ruled = false;
    for r in b.top + 1..b.bottom {
        let inside = g.text(r, b.left + 1, b.right);
        let trimmed = inside.trim();
        if separator(&inside) || trimmed.is_empty() {
            if sections.len() == 1 && !sections[0].is_empty() {
                ruled = separator(&inside);
            }
            if !sections.last().is_some_and(Vec::is_empty) {
                sections.push(Vec::new());
            }
            continue;
        }
        let lead = inside.chars().take_while(|c| c.is_whitespace()).count();
        let at = cell_of(g, r, b.left + 1, lead);
        let full = !inside.ends_with(' ');
        sections.last_mut().expect("a section").push(Inner { row: r, at, text: trimmed.to_string(), full });
    }
    sections.retain(|s| !s.is_empty());
    let mut sections = sections.into_iter();
    let mut first = sections.next()?;
    if !ruled && marked_line(&first[0].text) {
        return None;
    }
    let n = first.len();
    let take = if ruled && n <= 3 && !first.iter().any(|l| marked_line(&l.text)) {
        n
    } else {
        1 + usize::from(n >= 2 && continues(&first[0], &first[1]))
    };
    let rest_of_first: Vec<Inner> = first.drain(take.min(n)..).collect();
    let title_lines = first;
    let mut rest: Vec<Inner> = rest_of_first;
    let mut title = String::new();
    for (i, l) in title_lines.iter().enumerate() {
        if i > 0 && !(title.ends_with(['_', '-']) || title_lines[i - 1].full) {
            title.push(' ');
        }
        title.push_str(&l.text);
    }
    let title_at = (title_lines[0].row, title_lines[0].at);
    rest.extend(sections.flatten());
    let mut columns = Vec::new();
    let mut unread = Vec::new();
    for l in rest {
        match columns_of(&l.text, g.line(l.row), g.column(l.row, l.at)) {
            Some(cs) => columns.extend(cs),
            None => unread.push((l.row, l.at, l.text)),
        }
    }
    (!columns.is_empty()).then_some(Boxed { title, title_at, columns, unread })
}

/// The cell `n` characters into row `r` from cell `from`.
fn cell_of(g: &Grid, r: usize, from: usize, n: usize) -> usize {
    let mut c = from;
    let mut left = n;
    while left > 0 && c < g.width() {
        c += 1;
        if g.rows.get(r).and_then(|row| row.get(c)).is_some_and(|x| x.filler) {
            c += 1;
        }
        left -= 1;
    }
    c
}

/// Whether the second line continues the title on the first: the first ends in `_`/`-` or runs
/// up to the edge, and the second is one word without marks.
fn continues(first: &Inner, second: &Inner) -> bool {
    // `(auto-generated)`, `(회원)`: a note on the title.
    if second.text.starts_with('(') && second.text.ends_with(')') {
        return true;
    }
    let one_word = !second.text.contains(char::is_whitespace) && !column_line(&second.text);
    one_word && (first.text.ends_with(['_', '-']) || first.full) && !bullet(&second.text)
}

fn separator(inside: &str) -> bool {
    let t = inside.trim();
    !t.is_empty() && t.chars().all(|c| matches!(c, '─' | '═' | '━' | '-' | '=' | '┼' | '+' | '┬' | '┴'))
}

fn bullet(t: &str) -> bool {
    t.starts_with(['-', '*', '•', '·', '+', '◦', '▪'])
}

/// Whether a line reads as a column (a bullet, or a name followed by a key mark or a type).
fn column_line(t: &str) -> bool {
    bullet(t) || column(t, 0, 0).is_some_and(|c| c.pk || c.fk || c.unique || c.ty.is_some() || c.target.is_some())
}

/// The columns of a line: one, or several a bullet lists (`- id, name, version`).
fn columns_of(text: &str, line: u32, column: u32) -> Option<Vec<SketchColumn>> {
    if let Some(one) = self::column(text, line, column) {
        return Some(vec![one]);
    }
    let body = text.trim();
    let body = if bullet(body) { body[body.chars().next().map_or(0, char::len_utf8)..].trim_start() } else { body };
    let lead = text.len() - body.len();
    if !body.contains(',') {
        return None;
    }
    let mut out = Vec::new();
    let mut offset = lead;
    for part in body.split(',') {
        let at = column + text[..offset + part.len() - part.trim_start().len()].chars().count() as u32;
        offset += part.len() + 1;
        out.push(self::column(part, line, at)?);
    }
    Some(out)
}

/// Whether a line is a column by its marks (a bullet, `PK`/`FK`/`UK`, a target), whatever the
/// words after its name.
fn marked_line(t: &str) -> bool {
    bullet(t) || column(t, 0, 0).is_some_and(|c| c.pk || c.fk || c.unique || c.target.is_some())
}

/// One column line: `- id (PK)`, `PK  id  bigint`, `🔑 id`, `patron_id(FK) → patrons`,
/// `inventory_tr..` (a name cut short, resolved later).
pub(super) fn column(text: &str, line: u32, column: u32) -> Option<SketchColumn> {
    let mut c = SketchColumn { line, column, ..Default::default() };
    let text = text.trim();
    let mut t = text;
    if bullet(t) {
        t = t[t.chars().next().map_or(0, char::len_utf8)..].trim_start();
    }
    // Leading marks: `PK id`, `PK,FK id`, `🔑 id`.
    loop {
        let word: String = t.chars().take_while(|ch| !ch.is_whitespace()).collect();
        let marks: Vec<&str> = word.split([',', '/']).collect();
        let is_mark = |m: &&str| matches!(m.to_ascii_uppercase().as_str(), "PK" | "FK" | "UK" | "UQ" | "🔑" | "#");
        if word.is_empty() || !marks.iter().all(is_mark) || t.len() == word.len() {
            break;
        }
        for m in &marks {
            match m.to_ascii_uppercase().as_str() {
                "PK" | "🔑" => c.pk = true,
                "FK" | "#" => c.fk = true,
                _ => c.unique = true,
            }
        }
        t = t[word.len()..].trim_start();
    }
    let end = t.find(|ch: char| !(ch.is_alphanumeric() || ch == '_' || ch == '$')).unwrap_or(t.len());
    let (name, mut rest) = t.split_at(end);
    let mut name = name.to_string();
    // A name cut short by the box: `inventory_tr..`, `inventory_tr…`.
    for cut in ["..", "…"] {
        if let Some(r) = rest.strip_prefix(cut) {
            name.push_str(cut);
            rest = r.trim_start_matches('.');
        }
    }
    let bare = name.trim_end_matches(['.', '…']);
    // `title, description`: several columns, for `columns_of`.
    if rest.trim_start().starts_with(',') {
        return None;
    }
    if !is_name(bare) || !read_marks(rest, &mut c) {
        return None;
    }
    c.name = name;
    c.column = column + text[..text.len() - t.len()].chars().count() as u32;
    Some(c)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::boxes::geometry::boxes;

    fn one(s: &str) -> Boxed {
        let g = Grid::new(s, 1, 0);
        let b = boxes(&g);
        read(&g, &b[0]).expect("a table box")
    }

    #[test]
    fn title_blank_line_and_bulleted_columns() {
        let b = one("┌──────────────┐\n│  patrons     │\n│              │\n│ - id (PK)    │\n│ - card_no    │\n└──────────────┘\n");
        assert_eq!(b.title, "patrons");
        assert_eq!(b.title_at, (1, 3));
        let names: Vec<(&str, bool)> = b.columns.iter().map(|c| (c.name.as_str(), c.pk)).collect();
        assert_eq!(names, [("id", true), ("card_no", false)]);
        assert_eq!((b.columns[0].line, b.columns[0].column), (4, 5));
    }

    #[test]
    fn separators_wrapped_titles_and_cut_names() {
        let b = one("+-------------+\n| inventory_  |\n| transfers   |\n+-------------+\n| PK id int   |\n| FK item_i.. |\n| note text   |\n| 수량 int    |\n+-------------+\n");
        assert_eq!(b.title, "inventory_transfers");
        let cols: Vec<(&str, bool, bool, Option<&str>)> =
            b.columns.iter().map(|c| (c.name.as_str(), c.pk, c.fk, c.ty.as_deref())).collect();
        assert_eq!(
            cols,
            [
                ("id", true, false, Some("int")),
                ("item_i..", false, true, None),
                ("note", false, false, Some("text")),
                ("수량", false, false, Some("int"))
            ]
        );
    }

    #[test]
    fn a_title_that_fills_the_box_goes_on() {
        let b = one("┌────────────┐\n│inventory_tr│\n│ansfers     │\n├────────────┤\n│ id PK      │\n└────────────┘\n");
        assert_eq!(b.title, "inventory_transfers");
        let b = one("┌──────────┐\n│ 회원     │\n│ (members)│\n├──────────┤\n│ id PK    │\n└──────────┘\n");
        assert_eq!(b.title, "회원 (members)");
    }

    #[test]
    fn title_notes_and_listed_columns() {
        let b = one("┌──────────────────┐\n│  personas        │\n│  (auto-generated)│\n│                  │\n│ - id, name, ver  │\n│ - tags[]         │\n└──────────────────┘\n");
        assert_eq!(b.title, "personas (auto-generated)");
        let names: Vec<(&str, u32)> = b.columns.iter().map(|c| (c.name.as_str(), c.column)).collect();
        assert_eq!(names, [("id", 5), ("name", 9), ("ver", 15), ("tags", 5)]);
        assert!(b.unread.is_empty(), "{:?}", b.unread);
    }

    #[test]
    fn boxes_without_columns_are_not_tables() {
        let g = Grid::new("┌──────┐\n│ API  │\n└──────┘\n", 1, 0);
        assert!(read(&g, &boxes(&g)[0]).is_none());
    }
}
