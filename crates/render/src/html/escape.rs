//! Text and names made safe for HTML: every character with a meaning in markup becomes an entity,
//! and every table gets an element id no other table can have.

use model::Table;

/// `text` for an HTML text node or a double- or single-quoted attribute value.
pub(crate) fn esc(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            // NUL is not allowed in HTML text; other control characters print as nothing useful.
            '\0' => out.push('\u{FFFD}'),
            c if c.is_control() && c != '\n' && c != '\t' => out.push(' '),
            c => out.push(c),
        }
    }
    out
}

/// `text` on one line: runs of white space (line breaks too) as one space, then escaped.
pub(crate) fn esc_line(text: &str) -> String {
    esc(&text.split_whitespace().collect::<Vec<_>>().join(" "))
}

/// The element id of a table's section: `t-` and its qualified name, letters and digits of any
/// script, `-`, `_` and `.` kept, every other character written as `~HEX~` (so two names never
/// share an id, and an id never holds white space or markup).
pub(crate) fn anchor(table: &Table) -> String {
    anchor_of(&table.qualified_name())
}

pub(crate) fn anchor_of(name: &str) -> String {
    let mut out = String::from("t-");
    for c in name.chars() {
        if c.is_alphanumeric() || matches!(c, '-' | '_' | '.') {
            out.push(c);
        } else {
            out.push_str(&format!("~{:x}~", u32::from(c)));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn markup_characters_become_entities() {
        assert_eq!(
            esc("<script>alert(\"x\" & 'y')</script>"),
            "&lt;script&gt;alert(&quot;x&quot; &amp; &#39;y&#39;)&lt;/script&gt;"
        );
        assert_eq!(esc("주문\0"), "주문\u{FFFD}");
        assert_eq!(esc_line(" a\n  b "), "a b");
    }

    #[test]
    fn anchors_are_distinct_and_free_of_markup() {
        assert_eq!(anchor_of("주문_내역"), "t-주문_내역");
        assert_eq!(anchor_of("sales.orders"), "t-sales.orders");
        assert_eq!(anchor_of("a b"), "t-a~20~b");
        assert_ne!(anchor_of("a b"), anchor_of("a_b"));
        assert_eq!(anchor_of("<x>\"'"), "t-~3c~x~3e~~22~~27~");
    }
}
