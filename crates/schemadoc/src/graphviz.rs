//! Running Graphviz `dot` to turn a DOT graph into a picture.

use anyhow::{anyhow, bail, Context, Result};
use std::io::Write;
use std::process::{Command, Stdio};

/// The picture formats `dot` is asked for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Picture {
    Svg,
    Png,
}

impl Picture {
    fn flag(self) -> &'static str {
        match self {
            Picture::Svg => "-Tsvg",
            Picture::Png => "-Tpng",
        }
    }
}

/// Whether Graphviz `dot` can be run here.
pub fn available() -> bool {
    Command::new("dot").arg("-V").stdout(Stdio::null()).stderr(Stdio::null()).status().is_ok_and(|s| s.success())
}

/// Lays out `graph` with Graphviz `dot` and returns the picture's bytes.
pub fn render(graph: &str, picture: Picture) -> Result<Vec<u8>> {
    let mut child = Command::new("dot")
        .arg(picture.flag())
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .map_err(|e| match e.kind() {
            std::io::ErrorKind::NotFound => anyhow!(
                "Graphviz `dot` is not installed: install it (Debian/Ubuntu: `apt-get install graphviz`, \
                 macOS: `brew install graphviz`) or ask for `--format dot`"
            ),
            _ => anyhow!("cannot run Graphviz `dot`: {e}"),
        })?;
    // Feed the graph from another thread so that a large picture cannot fill the output pipe while
    // the input is still being written.
    let mut stdin = child.stdin.take().context("Graphviz `dot` has no standard input")?;
    let input = graph.to_string();
    let writer = std::thread::spawn(move || stdin.write_all(input.as_bytes()));
    let output = child.wait_with_output().context("Graphviz `dot` did not finish")?;
    let written = writer.join().map_err(|_| anyhow!("writing to Graphviz `dot` failed"))?;
    if !output.status.success() {
        let message = String::from_utf8_lossy(&output.stderr);
        let first: Vec<&str> = message.lines().take(6).collect();
        bail!("Graphviz `dot` failed: {}", first.join("\n"));
    }
    written.context("cannot write the graph to Graphviz `dot`")?;
    Ok(output.stdout)
}
