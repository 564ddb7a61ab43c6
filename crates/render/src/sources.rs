use std::collections::BTreeMap;
use std::ops::Range;
use std::sync::Arc;

/// The text of the files diagnostics point into, so that reports can quote the marked lines.
///
/// A leading byte-order mark is dropped and lines may end in `\n` or `\r\n`; line numbers are
/// 1-based, as in [`model::Span`].
#[derive(Debug, Clone, Default)]
pub struct Sources {
    files: BTreeMap<Arc<str>, SourceFile>,
}

#[derive(Debug, Clone)]
struct SourceFile {
    text: String,
    /// Byte range of each line in `text`, without its line terminator.
    lines: Vec<Range<usize>>,
}

impl SourceFile {
    fn new(text: String) -> Self {
        let body_start = if text.starts_with('\u{feff}') { '\u{feff}'.len_utf8() } else { 0 };
        let mut lines = Vec::new();
        let mut start = body_start;
        let bytes = text.as_bytes();
        while start < text.len() {
            let end = text[start..].find('\n').map_or(text.len(), |i| start + i);
            let content_end = if end > start && bytes[end - 1] == b'\r' { end - 1 } else { end };
            lines.push(start..content_end);
            start = end + 1;
        }
        SourceFile { text, lines }
    }
}

impl Sources {
    pub fn new() -> Self {
        Self::default()
    }

    /// Adds (or replaces) the text of the file called `name`, the name spans use.
    pub fn insert(&mut self, name: impl Into<Arc<str>>, text: impl Into<String>) {
        self.files.insert(name.into(), SourceFile::new(text.into()));
    }

    /// Whether the text of `file` is known.
    pub fn contains(&self, file: &str) -> bool {
        self.files.contains_key(file)
    }

    /// Line `n` (1-based) of `file`, without its line terminator (and without a leading BOM on
    /// line 1), or `None` when the file or the line is unknown.
    pub fn line(&self, file: &str, n: u32) -> Option<&str> {
        let source = self.files.get(file)?;
        let index = usize::try_from(n).ok()?.checked_sub(1)?;
        let range = source.lines.get(index)?;
        source.text.get(range.clone())
    }

    /// How many lines `file` has, when it is known.
    pub fn line_count(&self, file: &str) -> Option<usize> {
        self.files.get(file).map(|f| f.lines.len())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lines_drop_bom_and_crlf() {
        let mut sources = Sources::new();
        sources.insert("a.md", "\u{feff}first\r\nsecond\n\r\nlast");
        assert_eq!(sources.line("a.md", 1), Some("first"));
        assert_eq!(sources.line("a.md", 2), Some("second"));
        assert_eq!(sources.line("a.md", 3), Some(""));
        assert_eq!(sources.line("a.md", 4), Some("last"));
        assert_eq!(sources.line("a.md", 5), None);
        assert_eq!(sources.line_count("a.md"), Some(4));
    }

    #[test]
    fn missing_files_and_line_zero_are_none() {
        let mut sources = Sources::new();
        sources.insert("a.md", "x\n");
        assert_eq!(sources.line("a.md", 0), None);
        assert_eq!(sources.line("a.md", 2), None);
        assert_eq!(sources.line("b.md", 1), None);
        assert!(sources.contains("a.md"));
        assert!(!sources.contains("b.md"));
    }

    #[test]
    fn empty_and_bom_only_files_have_no_lines() {
        let mut sources = Sources::new();
        sources.insert("empty.md", "");
        sources.insert("bom.md", "\u{feff}");
        assert_eq!(sources.line_count("empty.md"), Some(0));
        assert_eq!(sources.line_count("bom.md"), Some(0));
        assert_eq!(sources.line("bom.md", 1), None);
    }
}
