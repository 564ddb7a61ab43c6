//! A text block as a grid of display cells: wide (CJK) characters take two cells, so that a box
//! border lines up with what the author saw. Every cell knows the file column it came from.

use unicode_width::UnicodeWidthChar;

/// One cell of the grid.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct Cell {
    pub ch: char,
    /// The 1-based character column in the file line.
    pub column: u32,
    /// The second cell of a wide character.
    pub filler: bool,
}

/// The rows of a block, in display cells.
pub(super) struct Grid {
    pub rows: Vec<Vec<Cell>>,
    /// The file line of row 0.
    pub first_line: u32,
}

impl Grid {
    /// The grid of `content`, whose first line is file line `first_line` and whose lines start
    /// `indent` characters into the file line. Tabs count as one cell.
    pub fn new(content: &str, first_line: u32, indent: u32) -> Grid {
        let rows = content
            .split('\n')
            .map(|line| {
                let mut row = Vec::new();
                for (i, ch) in line.chars().enumerate() {
                    let column = indent + i as u32 + 1;
                    let ch = if ch == '\t' { ' ' } else { ch };
                    row.push(Cell { ch, column, filler: false });
                    if ch.width().unwrap_or(0) == 2 {
                        row.push(Cell { ch, column, filler: true });
                    }
                }
                row
            })
            .collect();
        Grid { rows, first_line }
    }

    /// The character at row `r`, cell `c`; a space outside the text (ragged lines) and for the
    /// second cell of a wide character.
    pub fn at(&self, r: usize, c: usize) -> char {
        match self.rows.get(r).and_then(|row| row.get(c)) {
            Some(cell) if !cell.filler => cell.ch,
            _ => ' ',
        }
    }

    /// The file column of row `r`, cell `c` (past the end: one after the last character).
    pub fn column(&self, r: usize, c: usize) -> u32 {
        match self.rows.get(r) {
            Some(row) => match row.get(c) {
                Some(cell) => cell.column,
                None => row.last().map_or(1, |x| x.column + 1),
            },
            None => 1,
        }
    }

    pub fn line(&self, r: usize) -> u32 {
        self.first_line + r as u32
    }

    /// The text of row `r` between cells `from` (inclusive) and `to` (exclusive).
    pub fn text(&self, r: usize, from: usize, to: usize) -> String {
        (from..to)
            .map(|c| (c, self.rows.get(r).and_then(|row| row.get(c))))
            .filter_map(|(_, cell)| match cell {
                Some(cell) if !cell.filler => Some(cell.ch),
                Some(_) => None,
                None => Some(' '),
            })
            .collect()
    }

    pub fn width(&self) -> usize {
        self.rows.iter().map(Vec::len).max().unwrap_or(0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wide_characters_take_two_cells_and_keep_their_file_column() {
        let g = Grid::new("│회원│\n│ab  │", 5, 2);
        assert_eq!(g.at(0, 5), '│');
        assert_eq!(g.at(1, 5), '│');
        assert_eq!(g.at(0, 2), ' ');
        assert_eq!((g.column(0, 3), g.column(0, 5)), (5, 6));
        assert_eq!(g.text(0, 1, 5), "회원");
        assert_eq!((g.at(7, 7), g.line(1)), (' ', 6));
    }
}
