//! Fuzz target: any bytes, read as a markdown document, go through the whole pipeline (scan, every
//! front-end, merge, checks, renderers, DDL for each engine) without panicking.
//! Run: `cargo +nightly fuzz run markdown_to_model` from this folder (see README "Fuzzing").
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data).into_owned();
    let files = [extract::SourceFile { name: "fuzz.md".into(), text: text.clone() }];
    let extraction = extract::extract(&files, &extract::Options::default());
    let mut diagnostics = extraction.diagnostics;
    diagnostics.extend(check::check(&extraction.schema));
    let mut sources = render::Sources::default();
    sources.insert("fuzz.md", text);
    let _ = render::human(&diagnostics, &sources, false);
    let _ = render::diagnostics_json(&diagnostics);
    let _ = render::schema_json(&extraction.schema);
    let _ = render::mermaid(&extraction.schema);
    for kind in dialect::EngineKind::ALL {
        let _ = dialect::engine(kind).create_schema(&extraction.schema);
    }
});
