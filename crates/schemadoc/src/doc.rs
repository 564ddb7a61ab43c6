//! `schemadoc doc`: an index page and a page per table, with ERD pictures when Graphviz is there.

use crate::graphviz::{self, Picture};
use anyhow::{Context, Result};
use model::{Diagnostic, Schema};
use render::docs::{index, page_name, table_page, Lang};
use std::io::IsTerminal;
use std::path::Path;

/// What was written, to print.
pub struct Written {
    pub pages: usize,
    pub pictures: usize,
    /// Why pictures were left out, when they were.
    pub note: Option<String>,
}

pub fn write(schema: &Schema, findings: &[Diagnostic], title: &str, lang: Lang, dir: &Path) -> Result<Written> {
    std::fs::create_dir_all(dir).with_context(|| format!("cannot create `{}`", dir.display()))?;
    let draw = graphviz::available();
    let mut pictures = 0;
    let overview = if draw {
        // A large design gets the overview of its groups; a small one, the whole diagram.
        let sections = render::erd::Groups::new();
        let groups = render::erd::groups(schema, render::erd::GroupBy::Auto, &sections);
        let graph = if schema.tables.len() > render::erd::LARGE && !groups.is_empty() {
            render::erd::overview(schema, &groups, Some(title))
        } else {
            render::erd::dot(schema, &render::erd::DotOptions { groups, title: None })
        };
        save(dir, "erd.svg", &graphviz::render(&graph, Picture::Svg)?)?;
        pictures += 1;
        Some("erd.svg")
    } else {
        None
    };
    save(dir, "README.md", index(schema, title, lang, overview).as_bytes())?;
    let progress = progress(schema.tables.len() as u64);
    for table in &schema.tables {
        let page = page_name(table);
        let picture = if draw {
            let name = format!("{}.svg", page.trim_end_matches(".md"));
            let around = schema.neighbourhood(&[table.qualified_name()], 1);
            let graph = render::erd::dot(&around, &render::erd::DotOptions::default());
            save(dir, &name, &graphviz::render(&graph, Picture::Svg)?)?;
            pictures += 1;
            Some(name)
        } else {
            None
        };
        save(dir, &page, table_page(schema, table, findings, lang, picture.as_deref()).as_bytes())?;
        if let Some(p) = &progress {
            p.inc(1);
        }
    }
    if let Some(p) = progress {
        p.finish_and_clear();
    }
    let note =
        (!draw).then(|| "Graphviz `dot` is not installed: pages show Mermaid diagrams instead of pictures".to_string());
    Ok(Written { pages: schema.tables.len() + 1, pictures, note })
}

/// A progress bar on a terminal; nothing when standard error is piped.
fn progress(len: u64) -> Option<indicatif::ProgressBar> {
    if !std::io::stderr().is_terminal() || len < 20 {
        return None;
    }
    let bar = indicatif::ProgressBar::new(len);
    if let Ok(style) = indicatif::ProgressStyle::with_template("{msg} {bar:30} {pos}/{len} tables ({eta})") {
        bar.set_style(style);
    }
    bar.set_message("writing pages");
    Some(bar)
}

fn save(dir: &Path, name: &str, bytes: &[u8]) -> Result<()> {
    let path = dir.join(name);
    std::fs::write(&path, bytes).with_context(|| format!("cannot write `{}`", path.display()))
}
