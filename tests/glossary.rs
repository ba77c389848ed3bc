//! One vocabulary: the wrong variants that `docs/glossary.md` lists for each
//! term appear nowhere in `rules/`, except inside a correct term
//! (`社会信用代码` inside `统一社会信用代码`).

use std::path::Path;

/// A row of the glossary: the correct Chinese terms and the wrong ones.
struct Term {
    english: String,
    correct: Vec<String>,
    wrong: Vec<String>,
}

/// The rows of every table whose last column is `not`.
fn glossary() -> Vec<Term> {
    let text = std::fs::read_to_string("docs/glossary.md").expect("docs/glossary.md");
    let mut terms = Vec::new();
    let mut in_table = false;
    for line in text.lines() {
        let cells: Vec<&str> = line
            .trim()
            .trim_matches('|')
            .split('|')
            .map(str::trim)
            .collect();
        if !line.starts_with('|') {
            in_table = false;
            continue;
        }
        if cells.last() == Some(&"not") {
            in_table = true;
            continue;
        }
        if !in_table || cells.len() != 3 || cells[0].starts_with("---") {
            continue;
        }
        let split = |cell: &str| -> Vec<String> {
            cell.split('、')
                .map(str::trim)
                .filter(|t| !t.is_empty() && *t != "—")
                .map(str::to_string)
                .collect()
        };
        terms.push(Term {
            english: cells[0].to_string(),
            correct: split(cells[1]),
            wrong: split(cells[2]),
        });
    }
    terms
}

/// Each wrong variant found in `text` that no correct term covers, with the
/// term it stands for.
fn wrong_terms(text: &str, terms: &[Term]) -> Vec<(String, String)> {
    let correct: Vec<&str> = terms
        .iter()
        .flat_map(|t| t.correct.iter().map(String::as_str))
        .collect();
    let covered = |start: usize, end: usize| {
        correct.iter().any(|c| {
            c.len() > end - start
                && text
                    .match_indices(c)
                    .any(|(at, m)| at <= start && end <= at + m.len())
        })
    };
    let mut found = Vec::new();
    for term in terms {
        for wrong in &term.wrong {
            for (at, m) in text.match_indices(wrong.as_str()) {
                if !covered(at, at + m.len()) {
                    found.push((wrong.clone(), term.correct.join("、")));
                }
            }
        }
    }
    found
}

fn rule_files(dir: &Path, out: &mut Vec<std::path::PathBuf>) {
    for entry in std::fs::read_dir(dir).expect("rules/") {
        let path = entry.expect("entry").path();
        if path.is_dir() {
            rule_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "icp") {
            out.push(path);
        }
    }
}

#[test]
fn the_glossary_is_read() {
    let terms = glossary();
    assert!(terms.len() > 80, "{} terms", terms.len());
    let legal = terms
        .iter()
        .find(|t| t.english == "legal representative")
        .expect("legal representative");
    assert_eq!(legal.correct, ["法定代表人"]);
    assert_eq!(legal.wrong, ["法人代表", "法定代理人"]);
    for t in &terms {
        for w in &t.wrong {
            assert!(
                !terms.iter().any(|u| u.correct.contains(w)),
                "`{w}` is both wrong and correct"
            );
        }
    }
}

#[test]
fn a_wrong_variant_is_found_unless_a_correct_term_covers_it() {
    let terms = glossary();
    let found = wrong_terms(
        "请上传统一社会信用代码证书和法人代表的身份证，统一社会信用代码证明",
        &terms,
    );
    let wrong: Vec<&str> = found.iter().map(|(w, _)| w.as_str()).collect();
    assert_eq!(wrong, ["法人代表", "统一社会信用代码证明"]);
}

#[test]
fn the_rules_use_the_glossary_terms() {
    let terms = glossary();
    let mut files = Vec::new();
    rule_files(Path::new("rules"), &mut files);
    files.sort();
    assert!(files.len() > 30);
    let mut problems = Vec::new();
    for file in files {
        let text = std::fs::read_to_string(&file).expect("rule file");
        for (wrong, right) in wrong_terms(&text, &terms) {
            problems.push(format!("{}: `{wrong}`, write `{right}`", file.display()));
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}
