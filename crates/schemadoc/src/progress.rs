//! Progress on long work, on a terminal only: nothing is drawn when standard error is piped.

use indicatif::{ProgressBar, ProgressStyle};
use std::io::IsTerminal;
use std::time::Duration;

/// Designs with fewer tables than this are drawn too fast to need a spinner.
pub const SPINNER_TABLES: usize = 30;

/// A spinner while Graphviz lays out a diagram of `tables` tables; `None` when standard error
/// is not a terminal or the diagram is small. Clear it with `finish_and_clear`.
pub fn drawing(tables: usize) -> Option<ProgressBar> {
    if tables < SPINNER_TABLES || !std::io::stderr().is_terminal() {
        return None;
    }
    let spinner = ProgressBar::new_spinner();
    if let Ok(style) = ProgressStyle::with_template("{spinner} {msg} ({elapsed})") {
        spinner.set_style(style);
    }
    spinner.set_message(format!("drawing the diagram of {tables} tables with Graphviz"));
    spinner.tick();
    spinner.enable_steady_tick(Duration::from_millis(120));
    Some(spinner)
}

/// Runs `work` under [`drawing`]'s spinner.
pub fn while_drawing<T>(tables: usize, work: impl FnOnce() -> T) -> T {
    let spinner = drawing(tables);
    let result = work();
    if let Some(s) = spinner {
        s.finish_and_clear();
    }
    result
}
