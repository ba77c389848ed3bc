//! Reads an application: JSON text to [`Data`], validated against the schema
//! in the same pass (no intermediate JSON tree).

use std::cell::RefCell;
use std::fmt;

use serde::de::{self, DeserializeSeed, MapAccess, SeqAccess, Visitor};

use crate::check::schema::{Schema, Type};
use crate::diagnostic::did_you_mean;
use crate::value::Data;

/// Why an application could not be read.
#[derive(Clone, Debug, PartialEq)]
pub struct InputError {
    /// JSON path of the offending value (`websites[0].admin.age`); empty for
    /// the whole document or a syntax error.
    pub path: String,
    pub message: String,
    /// What the format wants there and what the input has, when the error
    /// is a mismatch of the two. Boxed to keep errors (and every `Result`
    /// that may hold one) small.
    pub mismatch: Option<Box<Mismatch>>,
    pub help: Option<String>,
    /// Where in the JSON text (1-based), when the error was found reading it;
    /// `None` for an invariant that the whole application fails.
    pub line: Option<usize>,
    pub column: Option<usize>,
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
pub fn decode(bytes: &[u8]) -> Result<&str, InputError> {
    std::str::from_utf8(bytes).map_err(|e| {
        let valid = &bytes[..e.valid_up_to()];
        let line = valid.iter().filter(|b| **b == b'\n').count() + 1;
        let line_start = valid.iter().rposition(|b| *b == b'\n').map_or(0, |i| i + 1);
        let byte = bytes[e.valid_up_to()];
        let utf16 = bytes.starts_with(&[0xff, 0xfe]) || bytes.starts_with(&[0xfe, 0xff]);
        InputError {
            path: String::new(),
            message: format!("expected UTF-8 text, found the byte `0x{byte:02x}`"),
            mismatch: Some(Box::new(Mismatch {
                expected: "UTF-8 text".into(),
                found: format!("the byte `0x{byte:02x}`"),
            })),
            help: Some(if utf16 {
                "the file is UTF-16: save it as UTF-8".to_string()
            } else {
                "save the application as UTF-8".to_string()
            }),
            line: Some(line),
            column: Some(e.valid_up_to() - line_start + 1),
        }
    })
}

/// Reads one application (a JSON object of the schema's input record).
/// A leading byte order mark is ignored; positions in errors count it.
pub fn read_application(schema: &Schema, json: &str) -> Result<Data, InputError> {
    let (json, bom) = match json.strip_prefix(BOM) {
        Some(rest) => (rest, BOM.len()),
        None => (json, 0),
    };
    if json.trim().is_empty() {
        return Err(InputError {
            path: String::new(),
            message: format!(
                "expected an application (an object, `{}`), found no JSON",
                schema.record(schema.input).name
            ),
            mismatch: None,
            help: None,
            // Nothing to point at.
            line: None,
            column: None,
        });
    }
    let reader = Reader {
        schema,
        path: RefCell::new(Vec::new()),
        error: RefCell::new(None),
    };
    let root = Type::Record(schema.input);
    let mut de = serde_json::Deserializer::from_str(json);
    let result = Seed {
        reader: &reader,
        ty: &root,
    }
    .deserialize(&mut de)
    .and_then(|data| de.end().map(|_| data));
    result.map_err(|e| {
        let column = if e.line() == 1 {
            e.column() + bom
        } else {
            e.column()
        };
        let (line, column) = (Some(e.line()), Some(column));
        let path = reader.path_string();
        match reader.error.into_inner() {
            Some(Failure {
                path,
                message,
                mismatch,
                help,
            }) => InputError {
                path,
                message,
                mismatch,
                help,
                line,
                column,
            },
            None => {
                let text = e.to_string();
                let message = match text.find(" at line ") {
                    Some(i) => text[..i].to_string(),
                    None => text,
                };
                // The path to the value being read when the JSON broke.
                InputError {
                    path,
                    message: format!("invalid JSON: {message}"),
                    mismatch: None,
                    help: None,
                    line,
                    column,
                }
            }
        }
    })
}

enum Segment<'s> {
    Key(&'s str),
    Index(usize),
}

struct Reader<'s> {
    schema: &'s Schema,
    path: RefCell<Vec<Segment<'s>>>,
    /// The first error found, with its path; serde only carries a string.
    error: RefCell<Option<Failure>>,
}

struct Failure {
    path: String,
    message: String,
    mismatch: Option<Box<Mismatch>>,
    help: Option<String>,
}

impl<'s> Reader<'s> {
    /// Fails with what was expected and what was found, for `--batch`
    /// results to carry apart from the message.
    fn fail_with<E: de::Error>(
        &self,
        message: String,
        expected_found: Option<(String, String)>,
        help: Option<String>,
    ) -> E {
        let mut error = self.error.borrow_mut();
        if error.is_none() {
            *error = Some(Failure {
                path: self.path_string(),
                message,
                mismatch: expected_found
                    .map(|(expected, found)| Box::new(Mismatch { expected, found })),
                help,
            });
        }
        E::custom("invalid application")
    }

    fn fail<E: de::Error>(&self, message: String, help: Option<String>) -> E {
        self.fail_with(message, None, help)
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

    fn mismatch<E: de::Error>(&self, ty: &Type, found: String) -> E {
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
            Type::Enum(e) => format!("a `{}` value", self.schema.enum_def(*e).name),
            Type::Int => "an int".into(),
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
}

impl<'de> DeserializeSeed<'de> for Seed<'_, '_> {
    type Value = Data;

    fn deserialize<D: de::Deserializer<'de>>(self, deserializer: D) -> Result<Data, D::Error> {
        deserializer.deserialize_any(self)
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
            ty => Err(self.reader.mismatch(ty, "null".into())),
        }
    }

    fn visit_bool<E: de::Error>(self, v: bool) -> Result<Data, E> {
        match self.ty.non_null() {
            Type::Bool => Ok(Data::Bool(v)),
            _ => Err(self.reader.mismatch(self.ty, format!("`{v}`"))),
        }
    }

    fn visit_i64<E: de::Error>(self, v: i64) -> Result<Data, E> {
        match self.ty.non_null() {
            Type::Int => Ok(Data::Int(v)),
            _ => Err(self.reader.mismatch(self.ty, format!("the number `{v}`"))),
        }
    }

    fn visit_u64<E: de::Error>(self, v: u64) -> Result<Data, E> {
        match (self.ty.non_null(), i64::try_from(v)) {
            (Type::Int, Ok(i)) => Ok(Data::Int(i)),
            (Type::Int, Err(_)) => Err(self.reader.fail_with(
                format!("the number `{v}` is out of range for an int"),
                Some(("an int".into(), format!("the number `{v}`"))),
                Some(format!("an int is between {} and {}", i64::MIN, i64::MAX)),
            )),
            _ => Err(self.reader.mismatch(self.ty, format!("the number `{v}`"))),
        }
    }

    fn visit_f64<E: de::Error>(self, v: f64) -> Result<Data, E> {
        // serde_json reads integers past the range of i64 and u64 as floats.
        if matches!(self.ty.non_null(), Type::Int) && v.fract() == 0.0 {
            return Err(self.reader.fail(
                format!("the number `{v:e}` is out of range for an int"),
                Some(format!("an int is between {} and {}", i64::MIN, i64::MAX)),
            ));
        }
        // `{:?}` keeps the fraction that `{}` drops from `1.0`.
        Err(self.reader.mismatch(self.ty, format!("the number `{v:?}`")))
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<Data, E> {
        match self.ty.non_null() {
            Type::Text => Ok(Data::Text(v.into())),
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
                    None => Err(self.reader.fail_with(
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
            _ => Err(self
                .reader
                .mismatch(self.ty, format!("the text {:?}", shown(v)))),
        }
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Data, A::Error> {
        let Type::List(elem) = self.ty.non_null() else {
            return Err(self.reader.mismatch(self.ty, "a list".into()));
        };
        let mut items = Vec::with_capacity(seq.size_hint().unwrap_or(0));
        loop {
            self.reader
                .path
                .borrow_mut()
                .push(Segment::Index(items.len()));
            let item = seq.next_element_seed(Seed {
                reader: self.reader,
                ty: elem,
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
            return Err(self.reader.mismatch(self.ty, "an object".into()));
        };
        let record = self.reader.schema.record(*r);
        // Filled in place (one allocation per record); `seen` tells a key
        // given as null from a key not given.
        let mut fields: Vec<Data> = vec![Data::Null; record.fields.len()];
        let mut seen = Seen::new(record.fields.len());
        let mut next = 0;
        while let Some(slot) = map.next_key_seed(KeySeed {
            reader: self.reader,
            record: *r,
            next,
        })? {
            next = slot + 1;
            let field = &record.fields[slot];
            // JSON leaves duplicate keys to the reader; taking the last one
            // silently could hide the value a filer meant.
            if !seen.insert(slot) {
                return Err(self.reader.fail_with(
                    format!(
                        "the key `{}` appears twice in `{}`",
                        field.name, record.name
                    ),
                    Some((
                        format!("the key `{}` once", field.name),
                        format!("the key `{}` twice", field.name),
                    )),
                    Some("keep one of them".into()),
                ));
            }
            self.reader
                .path
                .borrow_mut()
                .push(Segment::Key(&field.name));
            let value = map.next_value_seed(Seed {
                reader: self.reader,
                ty: &field.ty,
            })?;
            self.reader.path.borrow_mut().pop();
            fields[slot] = value;
        }
        for (slot, field) in record.fields.iter().enumerate() {
            if !seen.contains(slot) && !field.optional_key {
                return Err(self.reader.fail_with(
                    format!(
                        "missing key `{}`: expected {}",
                        field.name,
                        self.reader.expected(&field.ty)
                    ),
                    Some((
                        format!("the key `{}`", field.name),
                        "an object without it".into(),
                    )),
                    None,
                ));
            }
        }
        Ok(Data::Record(fields.into_boxed_slice()))
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

/// Turns an object key into its field slot, or fails on an unknown key.
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
            None => {
                let help = did_you_mean(key, record.fields.iter().map(|f| f.name.as_str()));
                Err(self.reader.fail_with(
                    format!("unknown key `{}` in `{}`", shown(key), record.name),
                    Some((
                        format!("a key of `{}`", record.name),
                        format!("the key `{}`", shown(key)),
                    )),
                    help,
                ))
            }
        }
    }
}
