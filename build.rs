//! Embeds the default rule set (`rules/`) in the binary, and the corpus
//! `icprules gen` starts from: the shipped applications (`examples/` and
//! `tests/cases/`, without `tests/cases/invariant/`, whose applications break
//! the format on purpose), with the whitespace between tokens taken out.

use std::path::{Path, PathBuf};
use std::{env, fs};

fn main() {
    let root =
        PathBuf::from(env::var("CARGO_MANIFEST_DIR").expect("cargo sets CARGO_MANIFEST_DIR"));
    let rules = root.join("rules");
    println!("cargo:rerun-if-changed={}", rules.display());
    let mut files = Vec::new();
    collect(&rules, &mut files);
    files.sort();
    let mut out = String::from(
        "/// The default rule files: path relative to `rules/`, text.\npub const FILES: &[(&str, &str)] = &[\n",
    );
    for file in &files {
        let relative = file.strip_prefix(&rules).expect("under rules/");
        let name = relative
            .components()
            .map(|c| c.as_os_str().to_string_lossy())
            .collect::<Vec<_>>()
            .join("/");
        out.push_str(&format!(
            "    ({name:?}, include_str!({:?})),\n",
            file.display().to_string()
        ));
    }
    out.push_str("];\n");
    let out_dir = PathBuf::from(env::var("OUT_DIR").expect("cargo sets OUT_DIR"));
    fs::write(out_dir.join("embedded_rules.rs"), out).expect("writing the embedded rule list");
    embed_corpus(&root, &out_dir);
}

fn embed_corpus(root: &Path, out_dir: &Path) {
    let mut files = Vec::new();
    for dir in ["examples", "tests/cases"] {
        println!("cargo:rerun-if-changed={}", root.join(dir).display());
        collect_with(&root.join(dir), "json", &mut files);
    }
    let invariant = root.join("tests/cases/invariant");
    files.retain(|f| !f.starts_with(&invariant));
    // In the order `icprules gen --corpus examples --corpus tests/cases`
    // reads them, so that a seed gives the same applications either way.
    files.sort();
    let mut out = String::from(
        "/// The shipped applications: path in the repository, JSON text.\npub const CORPUS: &[(&str, &str)] = &[\n",
    );
    for file in &files {
        // A file that is not text is no application to start from.
        let Ok(text) = fs::read_to_string(file) else {
            continue;
        };
        let name = file
            .strip_prefix(root)
            .expect("under the repository")
            .components()
            .map(|c| c.as_os_str().to_string_lossy())
            .collect::<Vec<_>>()
            .join("/");
        out.push_str(&format!("    ({name:?}, {:?}),\n", minified(&text)));
    }
    out.push_str("];\n");
    fs::write(out_dir.join("embedded_corpus.rs"), out).expect("writing the embedded corpus");
}

/// JSON text without the whitespace between tokens.
fn minified(json: &str) -> String {
    let mut out = String::with_capacity(json.len());
    let mut in_string = false;
    let mut escaped = false;
    for c in json.chars() {
        if in_string {
            out.push(c);
            match c {
                _ if escaped => escaped = false,
                '\\' => escaped = true,
                '"' => in_string = false,
                _ => {}
            }
        } else if !c.is_whitespace() {
            in_string = c == '"';
            out.push(c);
        }
    }
    out
}

fn collect(dir: &Path, files: &mut Vec<PathBuf>) {
    collect_with(dir, "icp", files)
}

fn collect_with(dir: &Path, extension: &str, files: &mut Vec<PathBuf>) {
    let Ok(entries) = fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            println!("cargo:rerun-if-changed={}", path.display());
            collect_with(&path, extension, files);
        } else if path.extension().is_some_and(|e| e == extension) {
            println!("cargo:rerun-if-changed={}", path.display());
            files.push(path);
        }
    }
}
