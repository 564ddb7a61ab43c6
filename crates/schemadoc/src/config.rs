//! The configuration file: `schemadoc.toml` (or `.schemadoc.toml`), or the `[tool.schemadoc]`
//! section of a `pyproject.toml`, the nearest one found walking up from the first document.

use anyhow::{bail, Context, Result};
use std::path::{Path, PathBuf};

/// The keys a configuration may hold, as written in the file.
pub const KEYS: &[&str] = &[
    "dialect",
    "prefer",
    "allow",
    "warn",
    "deny",
    "ignore-tables",
    "exclude",
    "backup",
    "lock-timeout",
    "statement-timeout",
];

/// What a configuration file says. Every list is empty when the file does not say.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Config {
    /// The file it was read from (`None`: no file).
    pub path: Option<PathBuf>,
    /// The documents' SQL dialect when they do not say.
    pub dialect: Option<String>,
    /// Notations to trust first when notations disagree.
    pub prefer: Vec<String>,
    /// Rules or severities not reported.
    pub allow: Vec<String>,
    /// Rules or severities reported as warnings.
    pub warn: Vec<String>,
    /// Rules reported as errors, or severities that fail the run.
    pub deny: Vec<String>,
    /// Table name patterns (`*`, `?`) whose findings are not reported.
    pub ignore_tables: Vec<String>,
    /// Live table name patterns that `plan`, `apply` and `drift` leave alone (`--exclude`).
    pub exclude: Vec<String>,
    /// The folder `apply` and `load` back the database up into before changing it (`--backup`),
    /// relative to the configuration file.
    pub backup: Option<PathBuf>,
    /// How long an applied statement waits for a lock (`2s`), before `--lock-timeout`.
    pub lock_timeout: Option<String>,
    /// How long an applied statement may run (`30min`, `0` for no limit), before `--statement-timeout`.
    pub statement_timeout: Option<String>,
}

/// The configuration for `docs`: `explicit` when given, else the nearest file above the first
/// document; none with `disabled` (`--no-config`).
pub fn for_documents(docs: &[PathBuf], explicit: Option<&Path>, disabled: bool) -> Result<Config> {
    if disabled {
        return Ok(Config::default());
    }
    load(docs.first().map(PathBuf::as_path).unwrap_or(Path::new(".")), explicit)
}

/// The configuration for documents under `start`: `explicit` when given, else the nearest file
/// found walking up from `start`, else none.
pub fn load(start: &Path, explicit: Option<&Path>) -> Result<Config> {
    if let Some(path) = explicit {
        let text = std::fs::read_to_string(path).with_context(|| format!("cannot read `{}`", path.display()))?;
        let pyproject = path.file_name().is_some_and(|n| n == "pyproject.toml");
        return parse(&text, path, pyproject)?
            .with_context(|| format!("`{}` has no [tool.schemadoc] section", path.display()));
    }
    let start = std::fs::canonicalize(start).unwrap_or_else(|_| start.to_path_buf());
    let mut dir = if start.is_dir() { Some(start.as_path()) } else { start.parent() };
    while let Some(d) = dir {
        for (name, pyproject) in [("schemadoc.toml", false), (".schemadoc.toml", false), ("pyproject.toml", true)] {
            let path = d.join(name);
            let Ok(text) = std::fs::read_to_string(&path) else { continue };
            if let Some(config) = parse(&text, &path, pyproject)? {
                return Ok(config);
            }
        }
        dir = d.parent();
    }
    Ok(Config::default())
}

/// The configuration `text` holds; `None` for a `pyproject.toml` without `[tool.schemadoc]`.
pub fn parse(text: &str, path: &Path, pyproject: bool) -> Result<Option<Config>> {
    let shown = path.display();
    let doc = toml_edit::Document::parse(text).map_err(|e| anyhow::anyhow!("`{shown}` is not valid TOML: {e}"))?;
    let root = doc.as_table();
    let table = if pyproject {
        match root.get("tool").and_then(|t| t.as_table_like()).and_then(|t| t.get("schemadoc")) {
            Some(item) => {
                item.as_table_like().with_context(|| format!("`{shown}`: [tool.schemadoc] is not a table"))?
            }
            None => return Ok(None),
        }
    } else {
        root as &dyn toml_edit::TableLike
    };
    let mut config = Config { path: Some(path.to_path_buf()), ..Config::default() };
    for (key, item) in table.iter() {
        let normal = key.replace('_', "-");
        let list = || strings(item).with_context(|| format!("`{shown}`: `{key}` must be a list of strings"));
        match normal.as_str() {
            "dialect" => {
                let value = item.as_str().with_context(|| format!("`{shown}`: `dialect` must be a string"))?;
                config.dialect = Some(value.to_string());
            }
            "prefer" => config.prefer = list()?,
            "allow" => config.allow = list()?,
            "warn" => config.warn = list()?,
            "deny" => config.deny = list()?,
            "ignore-tables" => config.ignore_tables = list()?,
            "exclude" => config.exclude = list()?,
            "backup" => {
                let value =
                    item.as_str().with_context(|| format!("`{shown}`: `backup` must be a folder, as a string"))?;
                let base = path.parent().unwrap_or(Path::new("."));
                config.backup = Some(base.join(value));
            }
            "lock-timeout" | "statement-timeout" => {
                let value = match (item.as_str(), item.as_integer()) {
                    (Some(text), _) => text.to_string(),
                    (None, Some(seconds)) => seconds.to_string(),
                    _ => bail!("`{shown}`: `{key}` must be a duration such as \"2s\" or \"500ms\""),
                };
                if let Err(e) = dialect::parse_duration(&value) {
                    bail!("`{shown}`: `{key}` {e}");
                }
                if normal == "lock-timeout" {
                    config.lock_timeout = Some(value);
                } else {
                    config.statement_timeout = Some(value);
                }
            }
            _ => {
                let hint = KEYS
                    .iter()
                    .filter(|k| model::edit_distance(k, &normal) <= 2)
                    .min_by_key(|k| model::edit_distance(k, &normal))
                    .map(|k| format!("; did you mean `{k}`?"))
                    .unwrap_or_else(|| format!("; the keys are {}", KEYS.join(", ")));
                bail!("`{shown}`: unknown key `{key}`{hint}");
            }
        }
    }
    Ok(Some(config))
}

/// A string or a list of strings.
fn strings(item: &toml_edit::Item) -> Option<Vec<String>> {
    if let Some(s) = item.as_str() {
        return Some(vec![s.to_string()]);
    }
    item.as_array()?.iter().map(|v| v.as_str().map(str::to_string)).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(text: &str, pyproject: bool) -> Result<Option<Config>> {
        parse(text, Path::new("schemadoc.toml"), pyproject)
    }

    #[test]
    fn every_key_is_read() {
        let c = read(
            "dialect = \"postgres\"\nprefer = [\"sql\", \"prisma\"]\nallow = [\"info\"]\nwarn = \"unknown-type\"\n\
             deny = [\"warning\", \"missing-primary-key\"]\nignore_tables = [\"legacy_*\"]\n",
            false,
        )
        .unwrap()
        .unwrap();
        assert_eq!(c.dialect.as_deref(), Some("postgres"));
        assert_eq!(c.prefer, ["sql", "prisma"]);
        assert_eq!(c.allow, ["info"]);
        assert_eq!(c.warn, ["unknown-type"]);
        assert_eq!(c.deny, ["warning", "missing-primary-key"]);
        assert_eq!(c.ignore_tables, ["legacy_*"]);
    }

    #[test]
    fn timeouts_are_durations() {
        let c = read("lock-timeout = \"500ms\"\nstatement_timeout = 0\n", false).unwrap().unwrap();
        assert_eq!(c.lock_timeout.as_deref(), Some("500ms"));
        assert_eq!(c.statement_timeout.as_deref(), Some("0"));
        let e = read("lock-timeout = \"soon\"\n", false).unwrap_err().to_string();
        assert!(e.contains("`lock-timeout` `soon` is not a duration"), "{e}");
        let e = read("lock-timeout = [1]\n", false).unwrap_err().to_string();
        assert!(e.contains("must be a duration"), "{e}");
    }

    #[test]
    fn pyproject_needs_its_section() {
        assert_eq!(read("[tool.black]\nline-length = 100\n", true).unwrap(), None);
        let c = read("[tool.schemadoc]\nallow = [\"missing-foreign-key\"]\n", true).unwrap().unwrap();
        assert_eq!(c.allow, ["missing-foreign-key"]);
    }

    #[test]
    fn unknown_keys_and_wrong_types_are_errors() {
        let e = read("alow = [\"info\"]\n", false).unwrap_err().to_string();
        assert_eq!(e, "`schemadoc.toml`: unknown key `alow`; did you mean `allow`?");
        let e = read("colour = 1\n", false).unwrap_err().to_string();
        assert!(e.contains("the keys are dialect, prefer"), "{e}");
        let e = read("allow = [1]\n", false).unwrap_err().to_string();
        assert!(e.contains("`allow` must be a list of strings"), "{e}");
        assert!(read("allow = [\n", false).unwrap_err().to_string().contains("is not valid TOML"));
    }

    #[test]
    fn the_nearest_file_walking_up_wins() {
        let root = std::env::temp_dir().join(format!("schemadoc-config-{}", std::process::id()));
        let deep = root.join("a/b");
        std::fs::create_dir_all(&deep).unwrap();
        std::fs::write(root.join("schemadoc.toml"), "allow = [\"info\"]\n").unwrap();
        std::fs::write(root.join("a/pyproject.toml"), "[tool.other]\n").unwrap();
        std::fs::write(deep.join("doc.md"), "# x\n").unwrap();
        let c = load(&deep.join("doc.md"), None).unwrap();
        assert_eq!(c.allow, ["info"]);
        std::fs::write(root.join("a/pyproject.toml"), "[tool.schemadoc]\ndeny = [\"warning\"]\n").unwrap();
        let c = load(&deep.join("doc.md"), None).unwrap();
        assert_eq!((c.allow.len(), c.deny.as_slice()), (0, ["warning".to_string()].as_slice()));
        let _ = std::fs::remove_dir_all(&root);
    }
}
