//! Where a key or value of an application is in its JSON text.
//!
//! The reader goes through the text once, fast, and knows where it is only
//! when serde_json reports a syntax error. An invalid application is rare,
//! so its errors are placed afterwards: this scan walks the text again along
//! an error's path to the key or value it is about. It reads only what JSON
//! text up to that place must be (the reader has parsed it), never recurses
//! (a value nested 100,000 levels deep is skipped in a loop), and gives up
//! (`None`) on anything unexpected.

use std::ops::Range;

/// One step of a path into a JSON document.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Step {
    /// The `nth` (0-based) member named so of an object: a key given twice
    /// has two.
    Key(String, usize),
    Index(usize),
}

/// A path as the errors write it (`websites[0].domains[1].holder`): field
/// names (which hold no `.` or `[`) and indexes.
pub fn steps(path: &str) -> Vec<Step> {
    let mut steps = Vec::new();
    for part in path.split('.').filter(|p| !p.is_empty()) {
        let (name, indexes) = part.split_once('[').unwrap_or((part, ""));
        if !name.is_empty() {
            steps.push(Step::Key(name.to_string(), 0));
        }
        for index in indexes.split('[') {
            if let Ok(i) = index.trim_end_matches(']').parse() {
                steps.push(Step::Index(i));
            }
        }
    }
    steps
}

/// A value found in the text, and its key when it is a member of an object.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Found {
    pub key: Option<Range<usize>>,
    pub value: Range<usize>,
}

/// The value at `path` in `text` (byte ranges; the key with its quotes).
pub fn find(text: &str, path: &[Step]) -> Option<Found> {
    let bytes = text.as_bytes();
    let mut found = Found {
        key: None,
        value: value_at(bytes, skip_ws(bytes, 0))?,
    };
    for step in path {
        let start = found.value.start;
        found = match (step, bytes[start]) {
            (Step::Key(name, nth), b'{') => member(text, start, name, *nth)?,
            (Step::Index(index), b'[') => Found {
                key: None,
                value: element(bytes, start, *index)?,
            },
            _ => return None,
        };
    }
    Some(found)
}

/// The value starting at `at`: its range.
fn value_at(bytes: &[u8], at: usize) -> Option<Range<usize>> {
    Some(at..value_end(bytes, at)?)
}

fn skip_ws(bytes: &[u8], mut i: usize) -> usize {
    while i < bytes.len() && matches!(bytes[i], b' ' | b'\t' | b'\n' | b'\r') {
        i += 1;
    }
    i
}

/// Past the string whose opening quote is at `at`.
fn string_end(bytes: &[u8], at: usize) -> Option<usize> {
    let mut i = at + 1;
    while i < bytes.len() {
        match bytes[i] {
            b'\\' => i += 2,
            b'"' => return Some(i + 1),
            _ => i += 1,
        }
    }
    None
}

/// Past the value that starts at `at`.
fn value_end(bytes: &[u8], at: usize) -> Option<usize> {
    match *bytes.get(at)? {
        b'"' => string_end(bytes, at),
        b'{' | b'[' => {
            let mut depth = 0usize;
            let mut i = at;
            while i < bytes.len() {
                match bytes[i] {
                    b'"' => {
                        i = string_end(bytes, i)?;
                        continue;
                    }
                    b'{' | b'[' => depth += 1,
                    b'}' | b']' => {
                        depth -= 1;
                        if depth == 0 {
                            return Some(i + 1);
                        }
                    }
                    _ => {}
                }
                i += 1;
            }
            None
        }
        b',' | b'}' | b']' | b':' => None,
        _ => {
            let mut i = at;
            while i < bytes.len()
                && !matches!(
                    bytes[i],
                    b',' | b'}' | b']' | b' ' | b'\t' | b'\n' | b'\r' | b'"'
                )
            {
                i += 1;
            }
            Some(i)
        }
    }
}

/// The `nth` member named `name` of the object at `at`.
fn member(text: &str, at: usize, name: &str, mut nth: usize) -> Option<Found> {
    let bytes = text.as_bytes();
    let mut i = skip_ws(bytes, at + 1);
    if bytes.get(i) == Some(&b'}') {
        return None;
    }
    loop {
        if bytes.get(i) != Some(&b'"') {
            return None;
        }
        let key = i..string_end(bytes, i)?;
        i = skip_ws(bytes, key.end);
        if bytes.get(i) != Some(&b':') {
            return None;
        }
        let value = value_at(bytes, skip_ws(bytes, i + 1))?;
        if key_is(&text[key.clone()], name) {
            if nth == 0 {
                return Some(Found {
                    key: Some(key),
                    value,
                });
            }
            nth -= 1;
        }
        i = skip_ws(bytes, value.end);
        match bytes.get(i) {
            Some(b',') => i = skip_ws(bytes, i + 1),
            _ => return None,
        }
    }
}

/// Whether a key as written (with its quotes and escapes) is `name`.
fn key_is(written: &str, name: &str) -> bool {
    let inner = &written[1..written.len() - 1];
    if !inner.contains('\\') {
        return inner == name;
    }
    serde_json::from_str::<String>(written).is_ok_and(|k| k == name)
}

/// The `index`th element of the list at `at`.
fn element(bytes: &[u8], at: usize, index: usize) -> Option<Range<usize>> {
    let mut i = skip_ws(bytes, at + 1);
    if bytes.get(i) == Some(&b']') {
        return None;
    }
    for n in 0.. {
        let value = value_at(bytes, i)?;
        if n == index {
            return Some(value);
        }
        i = skip_ws(bytes, value.end);
        match bytes.get(i) {
            Some(b',') => i = skip_ws(bytes, i + 1),
            _ => return None,
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key(name: &str) -> Step {
        Step::Key(name.into(), 0)
    }

    fn text_of<'a>(text: &'a str, found: &Found) -> (Option<&'a str>, &'a str) {
        (
            found.key.clone().map(|k| &text[k]),
            &text[found.value.clone()],
        )
    }

    #[test]
    fn paths_are_split_into_steps() {
        assert_eq!(
            steps("websites[0].domains[12].holder"),
            [
                key("websites"),
                Step::Index(0),
                key("domains"),
                Step::Index(12),
                key("holder")
            ]
        );
        assert_eq!(steps(""), []);
    }

    #[test]
    fn finds_keys_and_whole_values() {
        let text = r#" { "a": [1, {"b" : "x y", "c": {"d": [true]}}], "é": -1.5e3 } "#;
        let found = find(text, &steps("a[1].b")).expect("found");
        assert_eq!(text_of(text, &found), (Some(r#""b""#), r#""x y""#));
        let found = find(text, &steps("a[1].c")).expect("found");
        assert_eq!(text_of(text, &found).1, r#"{"d": [true]}"#);
        let found = find(text, &steps("é")).expect("found");
        assert_eq!(text_of(text, &found), (Some(r#""é""#), "-1.5e3"));
        assert_eq!(find(text, &steps("a[2]")), None);
        assert_eq!(find(text, &steps("z")), None);
    }

    #[test]
    fn a_key_given_twice_has_two_members() {
        let text = r#"{"a": 1, "a": 2}"#;
        let second = find(text, &[Step::Key("a".into(), 1)]).expect("found");
        assert_eq!(text_of(text, &second), (Some(r#""a""#), "2"));
    }

    #[test]
    fn escaped_keys_and_quotes_in_strings() {
        let text = r#"{"x": "}\"]", "\u0061": 3}"#;
        let found = find(text, &steps("a")).expect("found");
        assert_eq!(text_of(text, &found).1, "3");
    }

    #[test]
    fn broken_text_gives_up() {
        for text in ["", "{", "{\"a\" 1}", "[1,", "{\"a\": [", "\"abc"] {
            assert!(find(text, &steps("a[0]")).is_none(), "{text}");
        }
        let deep = "[".repeat(100_000);
        assert!(find(&deep, &steps("[0]")).is_none());
    }
}
