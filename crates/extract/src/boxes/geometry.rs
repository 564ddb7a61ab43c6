//! Where the boxes and the lines between them are in a grid: a box is a rectangle of corners
//! and edges (`┌─┐│└┘`, `╔═╗║╚╝`, `+-+|`), a line is a run of connector characters outside
//! every box that touches two boxes; its ends tell which side is the parent when they say it
//! (a crow's foot `}o` on the many side, an arrowhead on the referenced side, `1` and `N`).

use super::grid::Grid;
use std::collections::BTreeSet;

const TOP_LEFT: &[char] = &['┌', '╔', '╭', '┏', '╒', '╓', '+'];
const TOP_RIGHT: &[char] = &['┐', '╗', '╮', '┓', '╕', '╖', '+'];
const BOTTOM_LEFT: &[char] = &['└', '╚', '╰', '┗', '╘', '╙', '+'];
const BOTTOM_RIGHT: &[char] = &['┘', '╝', '╯', '┛', '╛', '╜', '+'];
/// Edge characters; lines attach to edges with tees or arrowheads (`┬`, `▼`).
const HORIZONTAL: &[char] =
    &['─', '═', '━', '-', '=', '┬', '┴', '┼', '╤', '╧', '╪', '┯', '┷', '+', '▼', '▲', 'v', '^', '↓', '↑'];
const VERTICAL: &[char] =
    &['│', '║', '┃', '|', '├', '┤', '┼', '╟', '╢', '╠', '╣', '╞', '╡', '┠', '┨', '+', '▶', '◀', '►', '◄', '<', '>'];
const ARROWS: &[char] = &['>', '<', '^', 'v', '▶', '◀', '▲', '▼', '►', '◄', '→', '←', '↑', '↓', '▷', '◁'];
/// Characters a line between boxes is drawn with, its ends and labels included.
const CONNECTORS: &[char] = &[
    '─', '━', '═', '-', '=', '│', '┃', '║', '|', '┌', '┐', '└', '┘', '╭', '╮', '╰', '╯', '├', '┤', '┬', '┴', '┼', '+',
    '>', '<', '^', 'v', '▶', '◀', '▲', '▼', '►', '◄', '→', '←', '↑', '↓', '▷', '◁', '}', '{', 'o', 'O', '*', '1', 'N',
    'n', 'M', 'm', ':', '.', '…',
];

/// How much work finding boxes may take before giving up on a pathological block.
const BUDGET: usize = 4_000_000;

/// A box: the cells of its corners (inclusive).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(super) struct Rect {
    pub top: usize,
    pub left: usize,
    pub bottom: usize,
    pub right: usize,
}

impl Rect {
    fn contains(&self, o: &Rect) -> bool {
        self != o && self.top <= o.top && self.left <= o.left && self.bottom >= o.bottom && self.right >= o.right
    }

    fn covers(&self, r: usize, c: usize) -> bool {
        (self.top..=self.bottom).contains(&r) && (self.left..=self.right).contains(&c)
    }

    fn on_border(&self, r: usize, c: usize) -> bool {
        self.covers(r, c) && (r == self.top || r == self.bottom || c == self.left || c == self.right)
    }
}

/// The boxes of `g`, outermost only, top to bottom and left to right.
pub(super) fn boxes(g: &Grid) -> Vec<Rect> {
    let mut found: Vec<Rect> = Vec::new();
    let mut budget = BUDGET;
    for top in 0..g.rows.len() {
        for left in 0..g.rows[top].len() {
            if !TOP_LEFT.contains(&g.at(top, left)) {
                continue;
            }
            let mut right = left + 1;
            while HORIZONTAL.contains(&g.at(top, right)) || TOP_RIGHT.contains(&g.at(top, right)) {
                if budget == 0 {
                    return outermost(found);
                }
                budget -= 1;
                if right > left + 1 && TOP_RIGHT.contains(&g.at(top, right)) {
                    if let Some(bottom) = close(g, top, left, right, &mut budget) {
                        found.push(Rect { top, left, bottom, right });
                        break;
                    }
                }
                right += 1;
            }
        }
    }
    outermost(found)
}

/// The bottom row of the box whose top edge runs from `left` to `right` on row `top`: the last
/// row of its left edge that closes it (a `+---+` title separator closes it too, earlier).
fn close(g: &Grid, top: usize, left: usize, right: usize, budget: &mut usize) -> Option<usize> {
    let mut bottom = None;
    let mut r = top + 1;
    while r < g.rows.len() && (VERTICAL.contains(&g.at(r, left)) || BOTTOM_LEFT.contains(&g.at(r, left))) {
        *budget = budget.saturating_sub(right - left);
        if *budget == 0 {
            return None;
        }
        let closes = r > top + 1
            && BOTTOM_LEFT.contains(&g.at(r, left))
            && BOTTOM_RIGHT.contains(&g.at(r, right))
            && (left + 1..right).all(|c| HORIZONTAL.contains(&g.at(r, c)));
        if closes {
            bottom = Some(r);
        }
        if !VERTICAL.contains(&g.at(r, right)) && !BOTTOM_RIGHT.contains(&g.at(r, right)) {
            break;
        }
        // A `└` or `┘` ends the edge: nothing below belongs to this box.
        if closes && g.at(r, left) != '+' {
            break;
        }
        r += 1;
    }
    bottom
}

fn outermost(mut found: Vec<Rect>) -> Vec<Rect> {
    found.sort();
    found.dedup();
    let keep: Vec<Rect> = found.iter().filter(|r| !found.iter().any(|o| o.contains(r))).copied().collect();
    // Overlapping boxes that do not nest are a drawing we cannot tell apart: keep the first.
    let mut out: Vec<Rect> = Vec::new();
    for r in keep {
        let overlaps =
            out.iter().any(|o| r.top <= o.bottom && o.top <= r.bottom && r.left <= o.right && o.left <= r.right);
        if !overlaps {
            out.push(r);
        }
    }
    out
}

/// A line between two boxes (indexes into the boxes).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Wire {
    pub a: usize,
    pub b: usize,
    /// `Some(true)` when the drawing says box `a` is the parent.
    pub a_is_parent: Option<bool>,
    /// The cell where the line leaves box `a`.
    pub row: usize,
    pub col: usize,
}

/// The lines of `g` that join exactly two of `rects`.
pub(super) fn wires(g: &Grid, rects: &[Rect]) -> Vec<Wire> {
    let inside = |r: usize, c: usize| rects.iter().any(|x| x.covers(r, c));
    let is_conn = |r: usize, c: usize| CONNECTORS.contains(&g.at(r, c)) && !inside(r, c);
    let mut seen: BTreeSet<(usize, usize)> = BTreeSet::new();
    let mut out = Vec::new();
    for r0 in 0..g.rows.len() {
        for c0 in 0..g.rows[r0].len() {
            if seen.contains(&(r0, c0)) || !is_conn(r0, c0) {
                continue;
            }
            // The connected run of connector cells.
            let mut comp = Vec::new();
            let mut stack = vec![(r0, c0)];
            seen.insert((r0, c0));
            while let Some((r, c)) = stack.pop() {
                comp.push((r, c));
                for (nr, nc) in neighbours(r, c) {
                    if !seen.contains(&(nr, nc)) && is_conn(nr, nc) {
                        seen.insert((nr, nc));
                        stack.push((nr, nc));
                    }
                }
            }
            // Boxes it touches, with the cells that touch each.
            let mut ends: Vec<(usize, Vec<(usize, usize)>)> = Vec::new();
            for &(r, c) in &comp {
                for (nr, nc) in neighbours(r, c) {
                    for (k, rect) in rects.iter().enumerate() {
                        if rect.on_border(nr, nc) {
                            match ends.iter_mut().find(|(i, _)| *i == k) {
                                Some((_, cells)) => cells.push((r, c)),
                                None => ends.push((k, vec![(r, c)])),
                            }
                        }
                    }
                }
            }
            let [(a, a_cells), (b, b_cells)] = &ends[..] else { continue };
            // Only drawn lines: a label alone beside two boxes (`1`, `N`) is no line.
            if !comp.iter().any(|&(r, c)| matches!(g.at(r, c), '─' | '━' | '═' | '-' | '=' | '│' | '┃' | '║' | '|'))
            {
                continue;
            }
            let near = |cells: &[(usize, usize)]| -> Vec<char> {
                let mut chars: Vec<char> = cells.iter().map(|&(r, c)| g.at(r, c)).collect();
                for &(r, c) in cells {
                    for (nr, nc) in neighbours(r, c) {
                        if comp.contains(&(nr, nc)) {
                            chars.push(g.at(nr, nc));
                        }
                    }
                }
                chars
            };
            let (na, nb) = (near(a_cells), near(b_cells));
            let touch = |cells: &[(usize, usize)]| cells.iter().map(|&(r, c)| g.at(r, c)).collect::<Vec<char>>();
            let many = |cs: &[char]| cs.iter().any(|c| matches!(c, '{' | '}' | 'N' | 'n' | 'M' | 'm' | '*'));
            let one = |cs: &[char]| cs.contains(&'1');
            let arrow = |cs: &[char]| cs.iter().any(|c| ARROWS.contains(c));
            let a_is_parent = if many(&na) != many(&nb) {
                Some(many(&nb))
            } else if one(&na) != one(&nb) {
                Some(one(&na))
            } else if arrow(&touch(a_cells)) != arrow(&touch(b_cells)) {
                Some(arrow(&touch(a_cells)))
            } else {
                None
            };
            let (row, col) = a_cells.iter().min().copied().unwrap_or((r0, c0));
            out.push(Wire { a: *a, b: *b, a_is_parent, row, col });
        }
    }
    out
}

fn neighbours(r: usize, c: usize) -> impl Iterator<Item = (usize, usize)> {
    [(r.wrapping_sub(1), c), (r + 1, c), (r, c.wrapping_sub(1)), (r, c + 1)]
        .into_iter()
        .filter(|&(r, c)| r != usize::MAX && c != usize::MAX)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn grid(s: &str) -> Grid {
        Grid::new(s, 1, 0)
    }

    #[test]
    fn box_drawing_and_plus_boxes_are_found_with_their_lines() {
        let g = grid("┌──────┐     +-------+\n│ a    │──<--| b     |\n│ x_id │     +-------+\n└──────┘     | id PK |\n             +-------+\n");
        let rects = boxes(&g);
        assert_eq!(
            rects,
            [Rect { top: 0, left: 0, bottom: 3, right: 7 }, Rect { top: 0, left: 13, bottom: 4, right: 21 }]
        );
        let w = wires(&g, &rects);
        assert_eq!(w.len(), 1, "{w:?}");
        assert_eq!((w[0].a, w[0].b, w[0].row, w[0].col), (0, 1, 1, 8));
    }

    #[test]
    fn arrowheads_on_edges_keep_the_box() {
        let g = grid("┌────┐\n│ a  │\n└─┬──┘\n  │\n┌─▼──┐\n│ b  │\n└────┘\n");
        let rects = boxes(&g);
        assert_eq!(rects.len(), 2);
        let w = wires(&g, &rects);
        assert_eq!((w.len(), w[0].a, w[0].b), (1, 0, 1));
    }

    #[test]
    fn crow_feet_and_labels_tell_the_parent() {
        let g = grid("+---+        +---+\n| a |}o----||| b |\n+---+        +---+\n\n+---+        +---+\n| c |1------N| d |\n+---+        +---+\n");
        let rects = boxes(&g);
        let w = wires(&g, &rects);
        assert_eq!(w.iter().map(|w| w.a_is_parent).collect::<Vec<_>>(), [Some(false), Some(true)]);
    }

    #[test]
    fn ragged_and_broken_drawings_do_not_panic() {
        for s in ["┌──┐\n│", "┌\n└┘", "+-+\n+", "+--+\n|  \n+--+", "│──│", "++\n++", "┌─┐\n│회│\n└─┘", ""]
        {
            let g = grid(s);
            let r = boxes(&g);
            let _ = wires(&g, &r);
        }
        let big = "+".repeat(300) + "\n";
        let g = grid(&big.repeat(300));
        let r = boxes(&g);
        let _ = wires(&g, &r);
    }
}
