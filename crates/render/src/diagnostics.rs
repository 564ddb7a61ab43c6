use crate::Sources;
use model::{Diagnostic, Severity, Span};
use std::fmt::Write as _;
use unicode_width::UnicodeWidthStr;

/// How many terminal columns a tab is shown as, in source lines and under them alike.
const TAB_WIDTH: usize = 4;

/// Renders diagnostics for a terminal in the style of rustc: a header per diagnostic, the marked
/// source lines with carets (`^` for the primary span, `-` for related ones), related spans in
/// other files under `:::`, notes and help, and a summary line counting them.
///
/// Diagnostics appear in the order given. Spans whose file or line is unknown, or that start past
/// the end of their line, are shown as a location without source. With `color`, ANSI colours are
/// added; without it, the text is plain. An empty slice gives an empty string.
pub fn human(diags: &[Diagnostic], sources: &Sources, color: bool) -> String {
    let paint = Paint { color };
    let mut out = String::new();
    for diag in diags {
        render_one(&mut out, diag, sources, paint);
        out.push('\n');
    }
    if let Some(line) = summary(diags, paint) {
        out.push_str(&line);
        out.push('\n');
    }
    out
}

/// Where a span's marker goes on its displayed line: the display column it starts at (0-based) and
/// how many columns it covers (at least one). `None` when the span starts past the end of the line
/// (a point just after the last character is still on the line).
///
/// `column` is 1-based in characters (0 is read as 1) and `len` counts characters (0 marks a single
/// point); a span running past the end of the line is cut at the end.
pub fn marker_position(line: &str, column: u32, len: u32) -> Option<(usize, usize)> {
    let shown = DisplayLine::new(line);
    let start = usize::try_from(column.max(1) - 1).ok()?;
    if start > shown.char_count() {
        return None;
    }
    let len = usize::try_from(len.max(1)).unwrap_or(usize::MAX);
    let end = start.saturating_add(len).min(shown.char_count());
    let offset = shown.width_before(start);
    let width = shown.width_before(end).saturating_sub(offset).max(1);
    Some((offset, width))
}

/// A source line as it is printed: tabs expanded to [`TAB_WIDTH`] spaces and control characters
/// replaced by their visible Unicode pictures, so that the terminal shows exactly what is measured.
pub(crate) struct DisplayLine {
    pub(crate) text: String,
    /// Byte offset in `text` where the display of each source character starts, plus the end.
    starts: Vec<usize>,
}

impl DisplayLine {
    pub(crate) fn new(line: &str) -> Self {
        let mut text = String::with_capacity(line.len());
        let mut starts = Vec::with_capacity(line.len() + 1);
        for c in line.chars() {
            starts.push(text.len());
            match c {
                '\t' => text.extend(std::iter::repeat_n(' ', TAB_WIDTH)),
                c if (c as u32) < 0x20 => text.push(char::from_u32(0x2400 + c as u32).unwrap_or('\u{fffd}')),
                '\u{7f}' => text.push('\u{2421}'),
                c if c.is_control() => text.push('\u{fffd}'),
                c => text.push(c),
            }
        }
        starts.push(text.len());
        DisplayLine { text, starts }
    }

    pub(crate) fn char_count(&self) -> usize {
        self.starts.len() - 1
    }

    /// Display columns taken by the first `chars` characters.
    pub(crate) fn width_before(&self, chars: usize) -> usize {
        let end = self.starts[chars.min(self.char_count())];
        self.text[..end].width()
    }
}

/// Adds ANSI colours when enabled.
#[derive(Clone, Copy)]
struct Paint {
    color: bool,
}

const BOLD: &str = "1";
const RED: &str = "1;31";
const YELLOW: &str = "1;33";
const CYAN: &str = "1;36";
const BLUE: &str = "1;34";

impl Paint {
    fn paint(self, style: &str, text: &str) -> String {
        if self.color && !text.is_empty() {
            format!("\x1b[{style}m{text}\x1b[0m")
        } else {
            text.to_string()
        }
    }

    fn severity(self, severity: Severity) -> &'static str {
        match severity {
            Severity::Error => RED,
            Severity::Warning => YELLOW,
            Severity::Info => CYAN,
        }
    }
}

/// One marker under a source line.
struct Annotation<'a> {
    line: u32,
    column: u32,
    len: u32,
    primary: bool,
    label: Option<&'a str>,
}

/// The marked lines of one file, shown under a `-->` or `:::` location.
struct Section<'a> {
    location: String,
    file: &'a str,
    annotations: Vec<Annotation<'a>>,
}

fn location(span: &Span) -> String {
    if span.line == 0 {
        span.file.to_string()
    } else {
        format!("{}:{}:{}", span.file, span.line, span.column.max(1))
    }
}

/// Whether a span can be shown with its source line.
fn renderable(span: &Span, sources: &Sources) -> bool {
    sources.line(&span.file, span.line).is_some_and(|line| marker_position(line, span.column, span.len).is_some())
}

fn one_line(text: &str) -> String {
    text.lines().map(str::trim_end).collect::<Vec<_>>().join(" ")
}

fn render_one(out: &mut String, diag: &Diagnostic, sources: &Sources, paint: Paint) {
    // Header: `warning[rule]: message`.
    let sev = paint.severity(diag.severity);
    let head =
        if diag.rule.is_empty() { diag.severity.to_string() } else { format!("{}[{}]", diag.severity, diag.rule) };
    let _ = writeln!(out, "{}{}", paint.paint(sev, &head), paint.paint(BOLD, &format!(": {}", diag.message)));

    // Gather sections: the primary file first, then other files in order of first mention.
    let mut primary = Section { location: location(&diag.span), file: &diag.span.file, annotations: Vec::new() };
    let primary_shown = renderable(&diag.span, sources);
    if primary_shown {
        primary.annotations.push(Annotation {
            line: diag.span.line,
            column: diag.span.column,
            len: diag.span.len,
            primary: true,
            label: None,
        });
    }
    let mut others: Vec<Section> = Vec::new();
    let mut notes: Vec<String> = Vec::new();
    for related in &diag.related {
        let span = &related.span;
        if !renderable(span, sources) {
            notes.push(format!("{}: {}", location(span), one_line(&related.message)));
            continue;
        }
        let annotation = Annotation {
            line: span.line,
            column: span.column,
            len: span.len,
            primary: false,
            label: Some(&related.message),
        };
        if primary_shown && span.file == diag.span.file {
            primary.annotations.push(annotation);
        } else if let Some(section) = others.iter_mut().find(|s| s.file == &*span.file) {
            section.annotations.push(annotation);
        } else {
            others.push(Section { location: location(span), file: &span.file, annotations: vec![annotation] });
        }
    }

    // The gutter is as wide as the longest line number shown.
    let widest =
        std::iter::once(&primary).chain(&others).flat_map(|s| s.annotations.iter().map(|a| a.line)).max().unwrap_or(0);
    let gutter = widest.to_string().len();
    let pad = " ".repeat(gutter);
    let bar = paint.paint(BLUE, "|");
    let empty_gutter = format!("{pad} {bar}");

    let _ = writeln!(out, "{pad}{} {}", paint.paint(BLUE, "-->"), primary.location);
    if !primary.annotations.is_empty() {
        out.push_str(&empty_gutter);
        out.push('\n');
        render_section(out, &primary, sources, paint, diag.severity, gutter);
    }
    for section in &others {
        out.push_str(&empty_gutter);
        out.push('\n');
        let _ = writeln!(out, "{pad}{} {}", paint.paint(BLUE, ":::"), section.location);
        out.push_str(&empty_gutter);
        out.push('\n');
        render_section(out, section, sources, paint, diag.severity, gutter);
    }

    let mut trailers: Vec<(&str, String)> = notes.into_iter().map(|n| ("note", n)).collect();
    if let Some(help) = &diag.help {
        trailers.push(("help", help.clone()));
    }
    if !trailers.is_empty() {
        out.push_str(&empty_gutter);
        out.push('\n');
    }
    for (kind, text) in trailers {
        let indent = " ".repeat(gutter + 3 + kind.len() + 2);
        let mut lines = text.lines();
        let first = lines.next().unwrap_or("");
        let _ = writeln!(out, "{pad} {} {}: {first}", paint.paint(BLUE, "="), paint.paint(BOLD, kind));
        for line in lines {
            let _ = writeln!(out, "{indent}{line}");
        }
    }
}

fn render_section(
    out: &mut String,
    section: &Section,
    sources: &Sources,
    paint: Paint,
    severity: Severity,
    gutter: usize,
) {
    let mut lines: Vec<u32> = section.annotations.iter().map(|a| a.line).collect();
    lines.sort_unstable();
    lines.dedup();
    let pad = " ".repeat(gutter);
    let bar = paint.paint(BLUE, "|");
    let mut previous: Option<u32> = None;
    for &n in &lines {
        if let Some(prev) = previous {
            let gap = n - prev;
            if gap == 2 {
                // One hidden line: showing it is shorter than eliding it.
                source_line(out, sources.line(section.file, prev + 1).unwrap_or(""), prev + 1, gutter, paint);
            } else if gap > 2 {
                out.push_str(&paint.paint(BLUE, "..."));
                out.push('\n');
            }
        }
        previous = Some(n);
        let Some(text) = sources.line(section.file, n) else { continue };
        source_line(out, text, n, gutter, paint);
        let mut here: Vec<&Annotation> = section.annotations.iter().filter(|a| a.line == n).collect();
        here.sort_by_key(|a| (!a.primary, a.column, a.len));
        for a in here {
            let Some((offset, width)) = marker_position(text, a.column, a.len) else { continue };
            let (ch, style) = if a.primary { ('^', paint.severity(severity)) } else { ('-', BLUE) };
            let mut marks: String = std::iter::repeat_n(ch, width).collect();
            if let Some(label) = a.label.map(one_line).filter(|l| !l.is_empty()) {
                marks.push(' ');
                marks.push_str(&label);
            }
            let _ = writeln!(out, "{pad} {bar} {}{}", " ".repeat(offset), paint.paint(style, &marks));
        }
    }
}

fn source_line(out: &mut String, text: &str, n: u32, gutter: usize, paint: Paint) {
    let shown = DisplayLine::new(text);
    let number = paint.paint(BLUE, &format!("{n:<gutter$} |"));
    if shown.text.is_empty() {
        let _ = writeln!(out, "{number}");
    } else {
        let _ = writeln!(out, "{number} {}", shown.text);
    }
}

/// `error: 3 errors, 2 warnings and 1 info emitted`, headed by the worst severity present.
fn summary(diags: &[Diagnostic], paint: Paint) -> Option<String> {
    let count = |s: Severity| diags.iter().filter(|d| d.severity == s).count();
    let (errors, warnings, infos) = (count(Severity::Error), count(Severity::Warning), count(Severity::Info));
    let worst = diags.iter().map(|d| d.severity).max()?;
    let mut parts = Vec::new();
    if errors > 0 {
        parts.push(format!("{errors} error{}", if errors == 1 { "" } else { "s" }));
    }
    if warnings > 0 {
        parts.push(format!("{warnings} warning{}", if warnings == 1 { "" } else { "s" }));
    }
    if infos > 0 {
        parts.push(format!("{infos} info"));
    }
    let listed = match parts.as_slice() {
        [] => return None,
        [one] => one.clone(),
        [init @ .., last] => format!("{} and {last}", init.join(", ")),
    };
    Some(format!(
        "{}{}",
        paint.paint(paint.severity(worst), worst.as_str()),
        paint.paint(BOLD, &format!(": {listed} emitted"))
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ascii_marker_is_column_minus_one() {
        assert_eq!(marker_position("  session_id TEXT", 3, 10), Some((2, 10)));
    }

    #[test]
    fn korean_syllables_take_two_columns() {
        // `사용자 id`: three syllables (6 columns) and a space before `id`.
        assert_eq!(marker_position("사용자 id", 5, 2), Some((7, 2)));
        assert_eq!(marker_position("사용자 id", 1, 3), Some((0, 6)));
        assert_eq!(marker_position("사용자 id", 2, 1), Some((2, 2)));
    }

    #[test]
    fn tabs_expand_to_four_columns() {
        assert_eq!(marker_position("\tid", 2, 2), Some((4, 2)));
        assert_eq!(marker_position("a\tb", 2, 1), Some((1, 4)));
    }

    #[test]
    fn emoji_and_combining_marks() {
        // An emoji is two columns; a combining acute accent adds none.
        assert_eq!(marker_position("🎉x", 2, 1), Some((2, 1)));
        assert_eq!(marker_position("e\u{301}x", 3, 1), Some((1, 1)));
        // Marking only the zero-width mark still shows one caret.
        assert_eq!(marker_position("e\u{301}x", 2, 1), Some((1, 1)));
    }

    #[test]
    fn control_characters_are_shown_one_column_wide() {
        let shown = DisplayLine::new("a\u{1b}b");
        assert_eq!(shown.text, "a\u{241b}b");
        assert_eq!(marker_position("a\u{1b}b", 3, 1), Some((2, 1)));
    }

    #[test]
    fn zero_length_and_past_end_spans() {
        assert_eq!(marker_position("abc", 2, 0), Some((1, 1)));
        // Just after the last character is still on the line.
        assert_eq!(marker_position("abc", 4, 0), Some((3, 1)));
        assert_eq!(marker_position("abc", 5, 1), None);
        assert_eq!(marker_position("", 1, 3), Some((0, 1)));
        assert_eq!(marker_position("abc", 2, 100), Some((1, 2)));
        assert_eq!(marker_position("abc", 0, 1), Some((0, 1)));
        assert_eq!(marker_position("abc", u32::MAX, u32::MAX), None);
        assert_eq!(marker_position("abc", 3, u32::MAX), Some((2, 1)));
    }

    #[test]
    fn summary_phrasing() {
        let span = Span::new("a.md".into(), 1, 1, 0);
        let e = Diagnostic::error("r", span.clone(), "m");
        let w = Diagnostic::warning("r", span.clone(), "m");
        let i = Diagnostic::info("r", span, "m");
        let paint = Paint { color: false };
        assert_eq!(summary(&[], paint), None);
        assert_eq!(summary(std::slice::from_ref(&w), paint).as_deref(), Some("warning: 1 warning emitted"));
        assert_eq!(summary(&[i.clone(), i.clone()], paint).as_deref(), Some("info: 2 info emitted"));
        assert_eq!(
            summary(&[e.clone(), w.clone(), e, w.clone(), i], paint).as_deref(),
            Some("error: 2 errors, 2 warnings and 1 info emitted")
        );
        assert_eq!(summary(&[w.clone(), w], paint).as_deref(), Some("warning: 2 warnings emitted"));
    }

    #[test]
    fn empty_input_renders_nothing() {
        assert_eq!(human(&[], &Sources::new(), true), "");
    }
}
