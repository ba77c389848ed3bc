//! Reads an application: JSON text to [`Data`], validated against the schema
//! in the same pass (no intermediate JSON tree).

use std::cell::{Cell, RefCell};
use std::fmt;
use std::ops::Range;

use serde::de::{self, DeserializeSeed, IgnoredAny, MapAccess, SeqAccess, Visitor};

use crate::check::schema::{Schema, Type};
use crate::diagnostic::{closest, did_you_mean};
use crate::value::Data;

use super::locate::{self, Step};

/// The most errors reported for one application; past it, they are counted.
pub const MAX_INPUT_ERRORS: usize = 20;

/// The most elements a list of an application may hold: far more than any
/// filing has websites, domains or anything else, and a bound on the memory
/// one list takes (the size of an application bounds the rest).
pub const MAX_LIST_ELEMENTS: usize = 1_000_000;

/// Why an application could not be read: every error found, in document
/// order, up to [`MAX_INPUT_ERRORS`].
#[derive(Clone, Debug, PartialEq)]
pub struct InputErrors {
    /// Never empty.
    pub errors: Vec<InputError>,
    /// Errors found past [`MAX_INPUT_ERRORS`], not reported one by one.
    pub more: usize,
}

impl InputErrors {
    pub fn one(error: InputError) -> Self {
        InputErrors {
            errors: vec![error],
            more: 0,
        }
    }

    /// The first error in the document.
    pub fn first(&self) -> &InputError {
        &self.errors[0]
    }

    /// How many errors were found.
    pub fn count(&self) -> usize {
        self.errors.len() + self.more
    }
}

impl fmt::Display for InputErrors {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, error) in self.errors.iter().enumerate() {
            if i > 0 {
                writeln!(f)?;
            }
            write!(f, "{error}")?;
        }
        if self.more > 0 {
            write!(f, "\nand {} more", self.more)?;
        }
        Ok(())
    }
}

/// One thing wrong with an application.
#[derive(Clone, Debug, PartialEq)]
pub struct InputError {
    /// JSON path of the offending value (`websites[0].admin.age`); of the
    /// object, for a key that is unknown, given twice or missing; empty for
    /// the whole document or a syntax error.
    pub path: String,
    pub message: String,
    /// What the format wants there and what the input has, when the error
    /// is a mismatch of the two. Boxed to keep errors (and every `Result`
    /// that may hold one) small.
    pub mismatch: Option<Box<Mismatch>>,
    pub help: Option<String>,
    /// Where the error is in the JSON text: the line and column (1-based, in
    /// characters; a byte order mark is not counted) where the key or value
    /// it is about starts. `None` when it has no place in the text.
    pub line: Option<usize>,
    pub column: Option<usize>,
    /// The line and column just past its end.
    pub end_line: Option<usize>,
    pub end_column: Option<usize>,
    /// The same place as a byte range of the text as given, to show it.
    pub span: Option<Range<usize>>,
    /// What to say at that place (`None`: "here").
    pub label: Option<String>,
    /// Other places that explain the error: the facts an invariant read.
    pub related: Vec<Related>,
}

/// A fact behind an error, and where it is.
#[derive(Clone, Debug, PartialEq)]
pub struct Related {
    pub path: String,
    pub label: String,
    pub span: Option<Range<usize>>,
}

impl InputError {
    /// An error at `path` that has no place in the text (yet).
    pub fn new(path: impl Into<String>, message: impl Into<String>) -> Self {
        InputError {
            path: path.into(),
            message: message.into(),
            mismatch: None,
            help: None,
            line: None,
            column: None,
            end_line: None,
            end_column: None,
            span: None,
            label: None,
            related: Vec::new(),
        }
    }

    /// Places the error at `span` of `text` (the text as given; `bom` bytes
    /// of byte order mark at its start, which columns do not count).
    pub fn place(&mut self, text: &str, bom: usize, span: Range<usize>) {
        let (line, column) = position(text, bom, span.start);
        let (end_line, end_column) = position(text, bom, span.end);
        self.line = Some(line);
        self.column = Some(column);
        self.end_line = Some(end_line);
        self.end_column = Some(end_column);
        self.span = Some(span);
    }
}

/// What was expected and what was found (`an int`, `the text "forty"`).
#[derive(Clone, Debug, PartialEq)]
pub struct Mismatch {
    pub expected: String,
    pub found: String,
}

impl fmt::Display for InputError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.path.is_empty() {
            write!(f, "{}", self.message)?;
        } else {
            write!(f, "`{}`: {}", self.path, self.message)?;
        }
        if let (Some(line), Some(column)) = (self.line, self.column) {
            write!(f, " (line {line}, column {column})")?;
        }
        if let Some(help) = &self.help {
            write!(f, "; {help}")?;
        }
        Ok(())
    }
}

/// The 1-based line and column, in characters, of a byte offset of `text`,
/// not counting the `bom` bytes at its start.
fn position(text: &str, bom: usize, offset: usize) -> (usize, usize) {
    let mut offset = offset.clamp(bom, text.len());
    while !text.is_char_boundary(offset) {
        offset -= 1;
    }
    crate::source::line_column(&text[bom..], offset - bom)
}

/// The longest piece of a value quoted back in an error: a 100 MB string
/// in the wrong place must not make a 100 MB message.
const SHOWN_CHARS: usize = 60;

/// `text` as an error quotes it: cut to [`SHOWN_CHARS`] characters.
pub(crate) fn shown(text: &str) -> String {
    match text.char_indices().nth(SHOWN_CHARS) {
        Some((end, _)) => format!("{}…", &text[..end]),
        None => text.to_string(),
    }
}

const BOM: &str = "\u{feff}";

/// The text of an application file, which must be UTF-8; the error names
/// the line and column of the first byte that is not.
pub fn decode(bytes: &[u8]) -> Result<&str, InputErrors> {
    std::str::from_utf8(bytes).map_err(|e| {
        let at = e.valid_up_to();
        let byte = bytes[at];
        let utf16 = bytes.starts_with(&[0xff, 0xfe]) || bytes.starts_with(&[0xfe, 0xff]);
        let mut error = InputError {
            mismatch: Some(Box::new(Mismatch {
                expected: "UTF-8 text".into(),
                found: format!("the byte `0x{byte:02x}`"),
            })),
            help: Some(if utf16 {
                "the file is UTF-16: save it as UTF-8".to_string()
            } else {
                "save the application as UTF-8".to_string()
            }),
            ..InputError::new(
                "",
                format!("expected UTF-8 text, found the byte `0x{byte:02x}`"),
            )
        };
        // Up to the bad byte the text is the file's; it is one character.
        let text = std::str::from_utf8(&bytes[..at]).unwrap_or_default();
        let bom = if text.starts_with(BOM) { BOM.len() } else { 0 };
        error.place(text, bom, at..at);
        error.end_column = error.column.map(|c| c + 1);
        // In the text shown (read lossily), the byte is U+FFFD.
        error.span = Some(at..at + char::REPLACEMENT_CHARACTER.len_utf8());
        InputErrors::one(error)
    })
}

/// Reads one application (a JSON object of the schema's input record).
/// A leading byte order mark is ignored. Every error of the format is
/// reported (up to [`MAX_INPUT_ERRORS`]), in document order, each placed at
/// the key or value it is about.
pub fn read_application(schema: &Schema, json: &str) -> Result<Data, InputErrors> {
    let text = json;
    let (json, bom) = match json.strip_prefix(BOM) {
        Some(rest) => (rest, BOM.len()),
        None => (json, 0),
    };
    if json.trim().is_empty() {
        return Err(InputErrors::one(InputError::new(
            "",
            format!(
                "expected an application (an object, `{}`), found no JSON",
                schema.record(schema.input).name
            ),
        )));
    }
    let reader = Reader {
        schema,
        path: RefCell::new(Vec::new()),
        failures: RefCell::new(Vec::new()),
        more: Cell::new(0),
        suggested: Cell::new(None),
    };
    let root = Type::Record(schema.input);
    let mut de = serde_json::Deserializer::from_str(json);
    let result = Seed {
        reader: &reader,
        ty: &root,
        minimum: None,
    }
    .deserialize(&mut de)
    .and_then(|data| de.end().map(|_| data));
    let broken = result
        .as_ref()
        .err()
        .map(|e| syntax_error(json, &reader, e));
    let failures = reader.failures.into_inner();
    let more = reader.more.get();
    if failures.is_empty()
        && let Ok(data) = result
    {
        return Ok(data);
    }
    let mut errors: Vec<InputError> = failures
        .into_iter()
        .map(|failure| failure.placed(text, json, bom))
        .collect();
    // The JSON broke after the errors found so far.
    errors.extend(broken.map(|(mut error, span)| {
        if let Some(span) = span {
            error.place(text, bom, bom + span.start..bom + span.end);
        }
        error
    }));
    sort_by_place(&mut errors);
    Err(InputErrors { errors, more })
}

/// Places an error about a fact of a valid application (an invariant it
/// fails) and the facts related to it: at the member that holds each (key
/// and value, when they are on one line), or, for a key that is not given,
/// at the closing brace of the object where it would go, said in `lang`
/// (the language of the invariant's message).
pub(crate) fn place_fact(text: &str, error: &mut InputError, lang: crate::lang::Lang) {
    let (json, bom) = match text.strip_prefix(BOM) {
        Some(rest) => (rest, BOM.len()),
        None => (text, 0),
    };
    let (span, label) = fact_span(json, &error.path, lang);
    if let Some(span) = span {
        error.label = label;
        error.place(text, bom, bom + span.start..bom + span.end);
    }
    for related in &mut error.related {
        related.span = fact_span(json, &related.path, lang)
            .0
            .map(|s| bom + s.start..bom + s.end);
    }
}

/// Where the fact at `path` is, and what to say there when it is not given.
fn fact_span(
    json: &str,
    path: &str,
    lang: crate::lang::Lang,
) -> (Option<Range<usize>>, Option<String>) {
    let mut steps = locate::steps(path);
    if let Some(found) = locate::find(json, &steps) {
        let span = match found.key {
            Some(key) if !json[key.start..found.value.end].contains('\n') => {
                key.start..found.value.end
            }
            Some(key) => key,
            None => found.value,
        };
        return (Some(span), None);
    }
    let Some(Step::Key(key, _)) = steps.pop() else {
        return (None, None);
    };
    match locate::find(json, &steps) {
        Some(object) if json.as_bytes()[object.value.start] == b'{' => (
            Some(object.value.end - 1..object.value.end),
            Some(lang.pick(
                format!("此处缺少 `{key}`"),
                format!("`{key}` is missing here"),
            )),
        ),
        _ => (None, None),
    }
}

/// Document order; errors with no place (the whole document) first.
pub(crate) fn sort_by_place(errors: &mut [InputError]) {
    errors.sort_by_key(|e| e.span.as_ref().map(|s| s.start));
}

/// The error serde_json stopped at (bad JSON, or JSON nested too deep for
/// it), with the path being read and the place in `json` it points at.
fn syntax_error(
    json: &str,
    reader: &Reader<'_>,
    error: &serde_json::Error,
) -> (InputError, Option<Range<usize>>) {
    let text = error.to_string();
    let message = match text.find(" at line ") {
        Some(i) => text[..i].to_string(),
        None => text,
    };
    let span = (error.line() > 0).then(|| {
        let end = offset_of(json, error.line(), error.column());
        let start = token_start(json, end);
        if start < end {
            start..end
        } else {
            // Nothing before: the character the JSON broke at.
            let next = json[end..].chars().next().filter(|c| *c != '\n');
            end..end + next.map_or(0, char::len_utf8)
        }
    });
    let mut error = InputError::new(reader.path_string(), format!("invalid JSON: {message}"));
    let at = span.as_ref().and_then(|s| json[s.start..].chars().next());
    error.help = json_help(&message, at).map(str::to_string);
    (error, span)
}

/// How to write what serde_json stopped at, by its message and the
/// character there: its words ("expected ident") are about its parser.
fn json_help(message: &str, at: Option<char>) -> Option<&'static str> {
    let quoted = "JSON writes strings and keys in double quotes: `\"zhejiang\"`";
    match (message, at) {
        ("trailing comma", _) => Some("remove the `,` after the last item"),
        (_, Some('\'')) => Some(quoted),
        (_, Some('/')) => Some("JSON has no comments: remove it"),
        ("expected ident", _) => Some(
            "`true`, `false` and `null` are written in full, in lower case; \
             JSON writes text in double quotes: `\"zhejiang\"`",
        ),
        ("expected value" | "key must be a string", Some(c)) if c.is_alphabetic() => Some(quoted),
        _ => None,
    }
}

/// The byte offset of serde_json's (1-based) line and column (in bytes),
/// which point just past what it read last.
fn offset_of(text: &str, line: usize, column: usize) -> usize {
    let start: usize = text
        .split_inclusive('\n')
        .take(line.saturating_sub(1))
        .map(str::len)
        .sum();
    let start = start.min(text.len());
    let line_len = text[start..].find('\n').unwrap_or(text.len() - start);
    let mut offset = start + column.saturating_sub(1).min(line_len);
    while !text.is_char_boundary(offset) {
        offset -= 1;
    }
    offset
}

/// Where the JSON token that ends at `end` starts, to underline all of it.
fn token_start(text: &str, end: usize) -> usize {
    // A token longer than this is underlined from here: a 100 MB string is
    // not searched back to its quote (its line is too long to show anyway).
    let mut window = end.saturating_sub(4096);
    while !text.is_char_boundary(window) {
        window += 1;
    }
    let before = &text[window..end];
    if let Some(inner) = before.strip_suffix('"') {
        return window + inner.rfind('"').unwrap_or(0);
    }
    window
        + before
            .char_indices()
            .rev()
            .find(|(_, c)| !(c.is_ascii_alphanumeric() || matches!(c, '.' | '+' | '-')))
            .map_or(0, |(i, c)| i + c.len_utf8())
}

#[derive(Clone, Copy)]
enum Segment<'s> {
    Key(&'s str),
    Index(usize),
}

struct Reader<'s> {
    schema: &'s Schema,
    path: RefCell<Vec<Segment<'s>>>,
    /// The errors found, with their paths; serde only carries a string.
    failures: RefCell<Vec<Failure>>,
    /// Errors found past [`MAX_INPUT_ERRORS`].
    more: Cell<usize>,
    /// The field the last unknown key may be a misspelling of.
    suggested: Cell<Option<usize>>,
}

/// An error as the reader finds it: where it is by path, not yet in the text.
struct Failure {
    steps: Vec<Step>,
    path: String,
    target: Target,
    message: String,
    mismatch: Option<Box<Mismatch>>,
    help: Option<String>,
}

/// What of the place at `steps` the error is about.
enum Target {
    /// The value there.
    Value,
    /// The key there (the last step), not its value.
    Key,
    /// The object there, which lacks this key: pointed at by its closing
    /// brace, where the key would go.
    Missing(String),
}

impl Failure {
    /// The error, placed in `text` (the text as given) by its path in
    /// `json` (the text after the `bom`).
    fn placed(self, text: &str, json: &str, bom: usize) -> InputError {
        let mut error = InputError {
            mismatch: self.mismatch,
            help: self.help,
            ..InputError::new(self.path, self.message)
        };
        let found = locate::find(json, &self.steps);
        let span = match (&self.target, found) {
            (_, None) => None,
            (Target::Value, Some(found)) => Some(found.value),
            (Target::Key, Some(found)) => found.key,
            (Target::Missing(key), Some(found)) => {
                error.label = Some(format!("`{key}` is missing here"));
                Some(found.value.end - 1..found.value.end)
            }
        };
        if let Some(span) = span {
            error.place(text, bom, bom + span.start..bom + span.end);
        }
        error
    }
}

impl<'s> Reader<'s> {
    /// Records an error about the value being read, with what was expected
    /// and what was found for `--batch` results to carry apart from the
    /// message. Returns the value that stands in for the one refused.
    fn fail_with(
        &self,
        message: String,
        expected_found: Option<(String, String)>,
        help: Option<String>,
    ) -> Data {
        self.record(Target::Value, None, message, expected_found, help);
        Data::Null
    }

    fn fail(&self, message: String, help: Option<String>) -> Data {
        self.fail_with(message, None, help)
    }

    /// Records an error; `last` is a step past the current path (a key).
    #[cold]
    #[inline(never)]
    fn record(
        &self,
        target: Target,
        last: Option<Step>,
        message: String,
        expected_found: Option<(String, String)>,
        help: Option<String>,
    ) {
        let mut failures = self.failures.borrow_mut();
        if failures.len() >= MAX_INPUT_ERRORS {
            self.more.set(self.more.get() + 1);
            return;
        }
        let mut steps: Vec<Step> = self
            .path
            .borrow()
            .iter()
            .map(|s| match s {
                Segment::Key(k) => Step::Key(k.to_string(), 0),
                Segment::Index(i) => Step::Index(*i),
            })
            .collect();
        steps.extend(last);
        failures.push(Failure {
            steps,
            path: self.path_string(),
            target,
            message,
            mismatch: expected_found
                .map(|(expected, found)| Box::new(Mismatch { expected, found })),
            help,
        });
    }

    fn path_string(&self) -> String {
        let mut out = String::new();
        for segment in self.path.borrow().iter() {
            match segment {
                Segment::Key(k) => {
                    if !out.is_empty() {
                        out.push('.');
                    }
                    out.push_str(k);
                }
                Segment::Index(i) => {
                    out.push('[');
                    out.push_str(&i.to_string());
                    out.push(']');
                }
            }
        }
        out
    }

    fn mismatch(&self, ty: &Type, found: String) -> Data {
        let expected = self.expected(ty);
        self.fail_with(
            format!("expected {expected}, found {found}"),
            Some((expected, found)),
            None,
        )
    }

    fn expected(&self, ty: &Type) -> String {
        match ty {
            Type::Nullable(inner) => format!("{} or null", self.expected(inner)),
            Type::List(inner) => format!("a list of {}", self.plural(inner)),
            Type::Record(r) => format!("an object (`{}`)", self.schema.record(*r).name),
            Type::Enum(e) => {
                let name = &self.schema.enum_def(*e).name;
                // `an `Action` value`: the article goes by how the name sounds.
                let article = if name.starts_with(['A', 'E', 'I', 'O', 'a', 'e', 'i', 'o']) {
                    "an"
                } else {
                    "a"
                };
                format!("{article} `{name}` value")
            }
            Type::Int => "an int".into(),
            Type::Date => "a date (`\"YYYY-MM-DD\"`)".into(),
            Type::Text => "a text".into(),
            Type::Bool => "true or false".into(),
            Type::Null | Type::Error => "null".into(),
        }
    }

    /// What a list of `ty` holds, as in "a list of ...".
    fn plural(&self, ty: &Type) -> String {
        match ty {
            Type::Nullable(inner) => format!("{} or nulls", self.plural(inner)),
            Type::List(inner) => format!("lists of {}", self.plural(inner)),
            Type::Record(r) => format!("objects (`{}`)", self.schema.record(*r).name),
            Type::Enum(e) => format!("`{}` values", self.schema.enum_def(*e).name),
            Type::Int => "ints".into(),
            Type::Date => "dates (`\"YYYY-MM-DD\"`)".into(),
            Type::Text => "texts".into(),
            Type::Bool => "true or false values".into(),
            Type::Null | Type::Error => "nulls".into(),
        }
    }
}

#[derive(Clone, Copy)]
struct Seed<'r, 's> {
    reader: &'r Reader<'s>,
    ty: &'s Type,
    /// The least value of an int field (a `count`: 0).
    minimum: Option<i64>,
}

impl<'de> DeserializeSeed<'de> for Seed<'_, '_> {
    type Value = Data;

    fn deserialize<D: de::Deserializer<'de>>(self, deserializer: D) -> Result<Data, D::Error> {
        deserializer.deserialize_any(self)
    }
}

impl Seed<'_, '_> {
    /// An int read as `written`, which must not be below the field's minimum.
    fn int(self, v: i64, written: &str) -> Data {
        match self.minimum {
            Some(least) if v < least => self.reader.fail_with(
                format!("expected a count ({least} or more), found the number `{written}`"),
                Some((
                    format!("a count ({least} or more)"),
                    format!("the number `{written}`"),
                )),
                Some("a count cannot be negative".into()),
            ),
            _ => Data::Int(v),
        }
    }
}

impl<'de, 's> Visitor<'de> for Seed<'_, 's> {
    type Value = Data;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.reader.expected(self.ty))
    }

    fn visit_unit<E: de::Error>(self) -> Result<Data, E> {
        match self.ty {
            Type::Nullable(_) => Ok(Data::Null),
            ty => Ok(self.reader.mismatch(ty, "null".into())),
        }
    }

    fn visit_bool<E: de::Error>(self, v: bool) -> Result<Data, E> {
        match self.ty.non_null() {
            Type::Bool => Ok(Data::Bool(v)),
            _ => Ok(self.reader.mismatch(self.ty, format!("`{v}`"))),
        }
    }

    fn visit_i64<E: de::Error>(self, v: i64) -> Result<Data, E> {
        match self.ty.non_null() {
            Type::Int => Ok(self.int(v, &v.to_string())),
            _ => Ok(self.reader.mismatch(self.ty, format!("the number `{v}`"))),
        }
    }

    fn visit_u64<E: de::Error>(self, v: u64) -> Result<Data, E> {
        match (self.ty.non_null(), i64::try_from(v)) {
            (Type::Int, Ok(i)) => Ok(self.int(i, &v.to_string())),
            (Type::Int, Err(_)) => Ok(self.reader.fail_with(
                format!("the number `{v}` is out of range for an int"),
                Some(("an int".into(), format!("the number `{v}`"))),
                Some(format!("an int is between {} and {}", i64::MIN, i64::MAX)),
            )),
            _ => Ok(self.reader.mismatch(self.ty, format!("the number `{v}`"))),
        }
    }

    fn visit_f64<E: de::Error>(self, v: f64) -> Result<Data, E> {
        // A whole number written as a float (`41.0`, `1e2`, `-0`) is the int
        // it equals, as JSON Schema's `integer` takes it. serde_json also
        // reads integers past the range of i64 and u64 as floats.
        if matches!(self.ty.non_null(), Type::Int) && v.fract() == 0.0 {
            // Past 2^53 a float is not every whole number: the one read may
            // not be the one written (`9007199254740993.0` reads as ...992).
            const TWO_53: f64 = 9_007_199_254_740_992.0;
            if (-TWO_53..=TWO_53).contains(&v) {
                return Ok(self.int(v as i64, &format!("{v:?}")));
            }
            // 2^63 is exact as a float; every whole float below it fits.
            const TWO_63: f64 = 9_223_372_036_854_775_808.0;
            if (-TWO_63..TWO_63).contains(&v) {
                return Ok(self.reader.fail(
                    // Not the number as read: it may not be the one written.
                    "a number written with a fraction or an exponent is read exactly as an int only up to 9007199254740992 (2^53), and this one is larger".to_string(),
                    Some("write a whole number this large without `.0` or an exponent".into()),
                ));
            }
            return Ok(self.reader.fail(
                format!("the number `{v:e}` is out of range for an int"),
                Some(format!("an int is between {} and {}", i64::MIN, i64::MAX)),
            ));
        }
        // `{:?}` keeps the fraction that `{}` drops from `1.0`.
        Ok(self.reader.mismatch(self.ty, format!("the number `{v:?}`")))
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<Data, E> {
        match self.ty.non_null() {
            Type::Text => Ok(Data::Text(v.into())),
            // A date is read as its day number, which rules compare.
            Type::Date => match crate::date::Date::parse(v) {
                Ok(d) => Ok(Data::Int(d.0)),
                Err(e) => Ok(self.reader.fail_with(
                    if v.is_empty() {
                        "an empty text is not a date".to_string()
                    } else {
                        format!("`{}` is not a date", shown(v))
                    },
                    Some((
                        self.reader.expected(self.ty),
                        format!("the text {:?}", shown(v)),
                    )),
                    Some(e.help(v)),
                )),
            },
            Type::Enum(e) => {
                let def = self.reader.schema.enum_def(*e);
                // Comparing with each name beats hashing for enums this small.
                let found = if def.variants.len() <= 32 {
                    def.variants.iter().position(|n| n == v).map(|i| i as u32)
                } else {
                    def.lookup.get(v).copied()
                };
                match found {
                    Some(i) => Ok(Data::Enum(i)),
                    None => Ok(self.reader.fail_with(
                        format!("unknown `{}` value `{}`", def.name, shown(v)),
                        Some((
                            self.reader.expected(self.ty),
                            format!("the text {:?}", shown(v)),
                        )),
                        did_you_mean(v, def.variants.iter().map(String::as_str)).or_else(|| {
                            Some(format!("expected one of: {}", def.variants.join(", ")))
                        }),
                    )),
                }
            }
            _ => Ok(self
                .reader
                .mismatch(self.ty, format!("the text {:?}", shown(v)))),
        }
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Data, A::Error> {
        let Type::List(elem) = self.ty.non_null() else {
            let refused = self.reader.mismatch(self.ty, "a list".into());
            // Read past it; what is in it does not matter.
            while seq.next_element::<IgnoredAny>()?.is_some() {}
            return Ok(refused);
        };
        let mut items = Vec::with_capacity(seq.size_hint().unwrap_or(0));
        loop {
            if items.len() == MAX_LIST_ELEMENTS {
                // The rest is read past, not kept.
                let mut more = 0usize;
                while seq.next_element::<IgnoredAny>()?.is_some() {
                    more += 1;
                }
                if more == 0 {
                    break;
                }
                return Ok(self.reader.fail(
                    format!(
                        "the list has {} elements, more than the {MAX_LIST_ELEMENTS} a list may hold",
                        MAX_LIST_ELEMENTS + more
                    ),
                    Some("an application lists at most a million of anything: split it".into()),
                ));
            }
            self.reader
                .path
                .borrow_mut()
                .push(Segment::Index(items.len()));
            let item = seq.next_element_seed(Seed {
                reader: self.reader,
                ty: elem,
                minimum: None,
            })?;
            self.reader.path.borrow_mut().pop();
            match item {
                Some(item) => items.push(item),
                None => break,
            }
        }
        Ok(Data::List(items.into_boxed_slice()))
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Data, A::Error> {
        let Type::Record(r) = self.ty.non_null() else {
            let refused = self.reader.mismatch(self.ty, "an object".into());
            while map.next_entry::<IgnoredAny, IgnoredAny>()?.is_some() {}
            return Ok(refused);
        };
        let record = self.reader.schema.record(*r);
        // Filled in place (one allocation per record); `seen` tells a key
        // given as null from a key not given.
        let mut fields: Vec<Data> = (0..record.fields.len()).map(|_| Data::Null).collect();
        let mut seen = Seen::new(record.fields.len());
        let mut next = 0;
        // Fields that unknown keys may be misspellings of: that they are
        // missing goes without saying.
        let mut misspelt = Vec::new();
        while let Some(slot) = map.next_key_seed(KeySeed {
            reader: self.reader,
            record: *r,
            next,
        })? {
            if slot == UNKNOWN_KEY {
                // Already reported; its value is not read.
                misspelt.extend(self.reader.suggested.take());
                map.next_value::<IgnoredAny>()?;
                continue;
            }
            next = slot + 1;
            let field = &record.fields[slot];
            // JSON leaves duplicate keys to the reader; taking the last one
            // silently could hide the value a filer meant.
            if !seen.insert(slot) {
                self.reader.given_twice(&record.name, &field.name);
                map.next_value::<IgnoredAny>()?;
                continue;
            }
            self.reader
                .path
                .borrow_mut()
                .push(Segment::Key(&field.name));
            let value = map.next_value_seed(Seed {
                reader: self.reader,
                ty: &field.ty,
                minimum: field.minimum,
            })?;
            self.reader.path.borrow_mut().pop();
            fields[slot] = value;
        }
        for (slot, field) in record.fields.iter().enumerate() {
            if !seen.contains(slot) && !field.optional_key && !misspelt.contains(&slot) {
                self.reader.missing(&field.name, &field.ty);
            }
        }
        Ok(Data::Record(fields.into_boxed_slice()))
    }
}

impl Reader<'_> {
    /// Reports a key given twice in the object being read.
    #[cold]
    #[inline(never)]
    fn given_twice(&self, record: &str, key: &str) {
        self.record(
            Target::Key,
            Some(Step::Key(key.to_string(), self.times_given(key))),
            format!("the key `{key}` appears twice in `{record}`"),
            Some((
                format!("the key `{key}` once"),
                format!("the key `{key}` twice"),
            )),
            Some("keep one of them".into()),
        );
    }

    /// Reports a key missing from the object being read.
    #[cold]
    #[inline(never)]
    fn missing(&self, key: &str, ty: &Type) {
        self.record(
            Target::Missing(key.to_string()),
            None,
            format!("missing key `{key}`: expected {}", self.expected(ty)),
            Some((format!("the key `{key}`"), "an object without it".into())),
            None,
        );
    }

    /// How many times a key of the object being read has been reported as
    /// given twice, plus one: which member of that name the next report is
    /// about.
    fn times_given(&self, key: &str) -> usize {
        let path = self.path_string();
        1 + self
            .failures
            .borrow()
            .iter()
            .filter(|f| {
                matches!(f.target, Target::Key)
                    && f.path == path
                    && matches!(f.steps.last(), Some(Step::Key(k, _)) if k == key)
            })
            .count()
    }
}

/// The keys of an object read so far: a bit set, on the stack for records of
/// up to 64 fields.
enum Seen {
    Small(u64),
    Large(Vec<bool>),
}

impl Seen {
    fn new(fields: usize) -> Self {
        if fields <= 64 {
            Seen::Small(0)
        } else {
            Seen::Large(vec![false; fields])
        }
    }

    /// Marks the slot; `false` if it was already marked.
    fn insert(&mut self, slot: usize) -> bool {
        match self {
            Seen::Small(bits) => {
                let new = *bits & (1 << slot) == 0;
                *bits |= 1 << slot;
                new
            }
            Seen::Large(flags) => !std::mem::replace(&mut flags[slot], true),
        }
    }

    fn contains(&self, slot: usize) -> bool {
        match self {
            Seen::Small(bits) => *bits & (1 << slot) != 0,
            Seen::Large(flags) => flags[slot],
        }
    }
}

/// What [`KeySeed`] gives for a key the record does not have (and
/// [`Reader::suggested`] the field it may be a misspelling of).
const UNKNOWN_KEY: usize = usize::MAX;

/// Turns an object key into its field slot; reports an unknown key.
struct KeySeed<'r, 's> {
    reader: &'r Reader<'s>,
    record: u32,
    /// The slot after the previous key's: keys usually come in schema order,
    /// so this one is tried first.
    next: usize,
}

impl<'de> DeserializeSeed<'de> for KeySeed<'_, '_> {
    type Value = usize;

    fn deserialize<D: de::Deserializer<'de>>(self, deserializer: D) -> Result<usize, D::Error> {
        deserializer.deserialize_str(self)
    }
}

impl<'de> Visitor<'de> for KeySeed<'_, '_> {
    type Value = usize;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a key")
    }

    fn visit_str<E: de::Error>(self, key: &str) -> Result<usize, E> {
        let record = self.reader.schema.record(self.record);
        let in_order = record.fields.get(self.next).is_some_and(|f| f.name == key);
        let slot = if in_order {
            Some(self.next)
        } else {
            record.fields.iter().position(|f| f.name == key)
        };
        match slot {
            Some(slot) => Ok(slot),
            None => Ok(self.unknown(key)),
        }
    }
}

impl KeySeed<'_, '_> {
    /// Reports a key the record does not have, with the field it may be a
    /// misspelling of. Out of the way of the keys that are fine.
    #[cold]
    #[inline(never)]
    fn unknown(&self, key: &str) -> usize {
        let record = self.reader.schema.record(self.record);
        let names = record.fields.iter().map(|f| f.name.as_str());
        let suggested = closest(key, names);
        let help = suggested.map(|name| format!("did you mean `{name}`?"));
        self.reader.record(
            Target::Key,
            Some(Step::Key(key.to_string(), 0)),
            format!("unknown key `{}` in `{}`", shown(key), record.name),
            Some((
                format!("a key of `{}`", record.name),
                format!("the key `{}`", shown(key)),
            )),
            help,
        );
        self.reader
            .suggested
            .set(suggested.and_then(|name| record.fields.iter().position(|f| f.name == name)));
        UNKNOWN_KEY
    }
}
