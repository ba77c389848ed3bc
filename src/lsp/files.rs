//! The editor's unsaved buffers laid over the files on disk, and which rule
//! set each file belongs to (the rule set's root is found as `icprules lint
//! FILE` finds it: [`crate::rules::find_root`]). Each rule set is analysed
//! again when one of its files changes; a file is parsed again only when its
//! text changed.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use super::snapshot::{FileView, Shift, Snapshot};
use crate::rules::{self, Buffers, LoadError};
use crate::source::{FileId, LineIndex, SourceFile, Sources};
use crate::syntax::{SyntaxError, ast, parse_file};

/// Where a rule set's companions are, when the editor says (else they are
/// looked for in the folders above the rule set: `tests/cases`,
/// `docs/coverage.md`).
#[derive(Clone, Debug, Default)]
pub struct Settings {
    pub cases: Option<PathBuf>,
    pub coverage: Option<PathBuf>,
    /// Lints not to report, as `icprules lint --allow` (`missing-translation`
    /// while the provinces are being translated).
    pub allow: Vec<String>,
}

#[derive(Default)]
pub struct Workspace {
    buffers: Buffers,
    versions: HashMap<PathBuf, i32>,
    /// The root of each file asked about.
    roots: HashMap<PathBuf, PathBuf>,
    /// Roots that are files: files that belong to no rule set.
    alone: std::collections::HashSet<PathBuf>,
    projects: BTreeMap<PathBuf, Project>,
    pub settings: Settings,
}

#[derive(Default)]
struct Project {
    snapshot: Option<Snapshot>,
    dirty: bool,
    /// The last parse of each file's text (by path in the rule set).
    parsed: HashMap<String, Arc<Parsed>>,
    /// The last parse of each file's text that had no syntax errors.
    good: HashMap<String, Arc<Parsed>>,
    /// Files whose diagnostics were last published non-empty.
    published: BTreeSet<PathBuf>,
}

struct Parsed {
    text: Arc<str>,
    id: FileId,
    file: ast::File,
    errors: Vec<SyntaxError>,
}

impl Parsed {
    fn new(text: Arc<str>, id: FileId) -> Arc<Parsed> {
        let (file, errors) = parse_file(&text, id);
        Arc::new(Parsed {
            text,
            id,
            file,
            errors,
        })
    }

    fn is(&self, text: &Arc<str>, id: FileId) -> bool {
        self.id == id && (Arc::ptr_eq(&self.text, text) || self.text == *text)
    }
}

/// What to publish for one file: its diagnostics in `root`'s snapshot
/// (`file`), or nothing any more (`file` is `None`).
pub struct Publication {
    pub root: PathBuf,
    pub path: PathBuf,
    pub file: Option<FileId>,
    pub version: Option<i32>,
}

impl Workspace {
    pub fn new(settings: Settings) -> Workspace {
        Workspace {
            settings,
            ..Workspace::default()
        }
    }

    pub fn open(&mut self, path: PathBuf, text: Arc<str>, version: i32) {
        self.versions.insert(path.clone(), version);
        self.buffers.insert(path.clone(), text);
        self.mark_dirty(&path);
    }

    pub fn change(&mut self, path: PathBuf, text: Arc<str>, version: i32) {
        self.open(path, text, version);
    }

    pub fn text(&self, path: &Path) -> Option<&Arc<str>> {
        self.buffers.get(path)
    }

    /// The editor closed the file: it is read from disk again.
    pub fn close(&mut self, path: &Path) {
        self.buffers.remove(path);
        self.versions.remove(path);
        self.mark_dirty(path);
    }

    /// Files changed on disk (saved, or changed by another program): every
    /// rule set is read again, and roots are looked for again (a schema may
    /// have come or gone).
    pub fn disk_changed(&mut self) {
        self.roots.clear();
        self.alone.clear();
        for project in self.projects.values_mut() {
            project.dirty = true;
        }
    }

    /// The root of the rule set a file belongs to; the file itself when it
    /// belongs to none.
    pub fn root_of(&mut self, path: &Path) -> PathBuf {
        if let Some(root) = self.roots.get(path) {
            return root.clone();
        }
        let root = rules::find_root(path, &self.buffers).unwrap_or_else(|| {
            self.alone.insert(path.to_path_buf());
            path.to_path_buf()
        });
        self.roots.insert(path.to_path_buf(), root.clone());
        root
    }

    fn mark_dirty(&mut self, path: &Path) {
        let root = self.root_of(path);
        self.projects.entry(root).or_default().dirty = true;
    }

    /// The analysis of the rule set a file belongs to, brought up to date,
    /// and the file's id in it.
    pub fn snapshot_for(&mut self, path: &Path) -> Option<(&Snapshot, FileId)> {
        let root = self.root_of(path);
        let snapshot = self.project(&root)?;
        let id = snapshot.file_id(path)?;
        Some((snapshot, id))
    }

    /// The analysis of the rule set at `root`, brought up to date.
    pub fn project(&mut self, root: &Path) -> Option<&Snapshot> {
        self.projects
            .entry(root.to_path_buf())
            .or_insert_with(|| Project {
                dirty: true,
                ..Project::default()
            });
        self.refresh_one(root);
        self.projects.get(root)?.snapshot.as_ref()
    }

    pub fn snapshot(&self, root: &Path) -> Option<&Snapshot> {
        self.projects.get(root)?.snapshot.as_ref()
    }

    /// Analyses every rule set that changed; returns what to publish.
    pub fn refresh(&mut self) -> Vec<Publication> {
        let dirty: Vec<PathBuf> = self
            .projects
            .iter()
            .filter(|(_, p)| p.dirty)
            .map(|(root, _)| root.clone())
            .collect();
        let mut out = Vec::new();
        for root in dirty {
            if self.refresh_one(&root) {
                out.extend(self.publications(&root));
            }
        }
        out
    }

    /// Analyses a rule set if it changed; true when it did.
    fn refresh_one(&mut self, root: &Path) -> bool {
        let Some(project) = self.projects.get_mut(root) else {
            return false;
        };
        if !project.dirty {
            return false;
        }
        project.dirty = false;
        let alone = self.alone.contains(root);
        match load(root, alone, &self.buffers) {
            Ok(sources) => {
                let snapshot = analyse(root, alone, sources, project, &self.settings);
                project.snapshot = Some(snapshot);
                true
            }
            // The previous analysis stays until the files can be read again.
            Err(e) => {
                super::log(&format!(
                    "cannot read the rule set `{}`: {e}",
                    root.display()
                ));
                false
            }
        }
    }

    fn publications(&mut self, root: &Path) -> Vec<Publication> {
        let Some(project) = self.projects.get_mut(root) else {
            return Vec::new();
        };
        let Some(snapshot) = &project.snapshot else {
            return Vec::new();
        };
        let mut out = Vec::new();
        let mut now = BTreeSet::new();
        for (id, view) in snapshot.files.iter().enumerate() {
            let id = id as FileId;
            let has = !snapshot.diagnostics(id).is_empty();
            if has {
                now.insert(view.path.clone());
            }
            // Open files always hear, so that an editor knows they are clean.
            let open = self.versions.contains_key(&view.path);
            if has || open || project.published.contains(&view.path) {
                out.push(Publication {
                    root: root.to_path_buf(),
                    path: view.path.clone(),
                    file: Some(id),
                    version: self.versions.get(&view.path).copied(),
                });
            }
        }
        for gone in project.published.difference(&now) {
            if snapshot.file_id(gone).is_none() {
                out.push(Publication {
                    root: root.to_path_buf(),
                    path: gone.clone(),
                    file: None,
                    version: None,
                });
            }
        }
        project.published = now;
        out
    }
}

/// The files of the rule set at `root` (or the one file, when `root` is a
/// file), buffers over disk.
fn load(root: &Path, alone: bool, buffers: &Buffers) -> Result<Sources, LoadError> {
    if !alone {
        return rules::load_rule_set(root, buffers);
    }
    let name = root
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let file = match buffers.get(root) {
        Some(text) => SourceFile {
            path: name,
            text: text.clone(),
        },
        None => rules::source_file(root, name, rules::read_rule_file(root)?)?,
    };
    Ok(Sources::new(vec![file]))
}

/// Parses what changed and checks the rule set, a broken file as its last
/// text without syntax errors.
fn analyse(
    root: &Path,
    alone: bool,
    current: Sources,
    project: &mut Project,
    settings: &Settings,
) -> Snapshot {
    let base = if alone {
        root.parent().map(Path::to_path_buf).unwrap_or_default()
    } else {
        root.to_path_buf()
    };
    let mut checked_files = Vec::with_capacity(current.files.len());
    let mut parsed = Vec::with_capacity(current.files.len());
    let mut views = Vec::with_capacity(current.files.len());
    for (i, file) in current.files.iter().enumerate() {
        let id = i as FileId;
        let now = match project.parsed.get(&file.path) {
            Some(p) if p.is(&file.text, id) => p.clone(),
            _ => Parsed::new(file.text.clone(), id),
        };
        if now.errors.is_empty() {
            project.good.insert(file.path.clone(), now.clone());
        }
        let checked = match project.good.get(&file.path) {
            Some(good) if !now.errors.is_empty() && good.id == id => good.clone(),
            Some(good) if !now.errors.is_empty() => Parsed::new(good.text.clone(), id),
            _ => now.clone(),
        };
        // The analysis owns its trees: the one copy of each made per change.
        parsed.push((checked.file.clone(), checked.errors.clone()));
        views.push(FileView {
            path: base.join(&file.path),
            lines: LineIndex::new(&file.text),
            syntax_errors: now.errors.iter().map(|e| e.to_diagnostic()).collect(),
            shift: Shift::between(&checked.text, &file.text),
            text: file.text.clone(),
        });
        checked_files.push(SourceFile {
            path: file.path.clone(),
            text: checked.text.clone(),
        });
        project.parsed.insert(file.path.clone(), now);
    }
    // Files no longer in the rule set are forgotten.
    project
        .parsed
        .retain(|path, _| current.find(path).is_some());
    project.good.retain(|path, _| current.find(path).is_some());
    let sources = Sources {
        files: checked_files,
        shown_under: String::new(),
        notes: Vec::new(),
    };
    let analysis = crate::check::analyze_parsed(&sources, parsed);
    let companion = |set: &Option<PathBuf>, default: &str| match set {
        Some(path) if path.is_absolute() => Some(path.clone()),
        Some(path) => Some(base.join(path)),
        None => base
            .ancestors()
            .map(|dir| dir.join(default))
            .find(|p| p.exists()),
    };
    let coverage = companion(&settings.coverage, "docs/coverage.md")
        .and_then(|p| std::fs::read_to_string(p).ok())
        .map(|text| {
            crate::coverage::rows(&text)
                .into_iter()
                .map(|r| {
                    let ids = r.ids.iter().map(|s| s.to_string()).collect();
                    (r.section.to_string(), r.bullet.to_string(), ids)
                })
                .collect()
        })
        .unwrap_or_default();
    Snapshot {
        root: root.to_path_buf(),
        sources,
        analysis,
        files: views,
        coverage,
        cases: companion(&settings.cases, "tests/cases").filter(|p| p.is_dir()),
        allow: settings.allow.clone(),
    }
}
