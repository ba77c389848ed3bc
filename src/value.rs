//! Values: the facts of an application ([`Data`], read from JSON once) and
//! the values rules compute with ([`Val`], which borrows the facts).

use std::sync::Arc;

/// One fact of an application, laid out as the schema says: a record is its
/// fields in declaration order (the checker turns field names into these
/// indices), an enum value is the index of its variant.
#[derive(Clone, Debug, PartialEq)]
pub enum Data {
    Null,
    Bool(bool),
    Int(i64),
    Text(Box<str>),
    Enum(u32),
    List(Box<[Data]>),
    Record(Box<[Data]>),
}

/// A value during evaluation. Facts are borrowed (`Fact`), so reading the
/// application costs no copy; values computed by rules are owned. Shared
/// with `Arc`, not `Rc`, because a checked program holds constant values and
/// is shared by the threads of a batch.
#[derive(Clone, Debug)]
pub enum Val<'a> {
    Null,
    Bool(bool),
    Int(i64),
    Enum(u32),
    Text(Arc<str>),
    Fact(&'a Data),
    List(Arc<[Val<'a>]>),
}

impl<'a> Val<'a> {
    /// Facts that are scalars read as their owned counterpart; lists and
    /// records stay borrowed.
    pub fn of(data: &'a Data) -> Val<'a> {
        match data {
            Data::Null => Val::Null,
            Data::Bool(b) => Val::Bool(*b),
            Data::Int(i) => Val::Int(*i),
            Data::Enum(e) => Val::Enum(*e),
            _ => Val::Fact(data),
        }
    }

    pub fn is_null(&self) -> bool {
        matches!(self, Val::Null | Val::Fact(Data::Null))
    }

    pub fn as_bool(&self) -> bool {
        matches!(self, Val::Bool(true) | Val::Fact(Data::Bool(true)))
    }

    pub fn as_int(&self) -> i64 {
        match self {
            Val::Int(i) | Val::Fact(Data::Int(i)) => *i,
            _ => 0,
        }
    }

    pub fn as_text(&self) -> &str {
        match self {
            Val::Text(t) => t,
            Val::Fact(Data::Text(t)) => t,
            _ => "",
        }
    }

    /// The record's fields, if this is a record.
    pub fn fields(&self) -> Option<&'a [Data]> {
        match self {
            Val::Fact(Data::Record(fields)) => Some(fields),
            _ => None,
        }
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    pub fn len(&self) -> usize {
        match self {
            Val::Fact(Data::List(items)) => items.len(),
            Val::List(items) => items.len(),
            Val::Text(t) => t.chars().count(),
            Val::Fact(Data::Text(t)) => t.chars().count(),
            _ => 0,
        }
    }

    /// Calls `f` on each element of a list, stopping when it returns `false`.
    pub fn each(&self, mut f: impl FnMut(Val<'a>) -> bool) {
        match self {
            Val::Fact(Data::List(items)) => {
                for item in items.iter() {
                    if !f(Val::of(item)) {
                        return;
                    }
                }
            }
            Val::List(items) => {
                for item in items.iter() {
                    if !f(item.clone()) {
                        return;
                    }
                }
            }
            _ => {}
        }
    }

    pub fn to_vec(&self) -> Vec<Val<'a>> {
        let mut out = Vec::with_capacity(self.len());
        self.each(|v| {
            out.push(v);
            true
        });
        out
    }

    /// Equality of scalars (the checker allows `==` on nothing else); null
    /// equals only null.
    pub fn equals(&self, other: &Val<'a>) -> bool {
        match (self.scalar(), other.scalar()) {
            (Scalar::Null, Scalar::Null) => true,
            (Scalar::Bool(a), Scalar::Bool(b)) => a == b,
            (Scalar::Int(a), Scalar::Int(b)) => a == b,
            (Scalar::Enum(a), Scalar::Enum(b)) => a == b,
            (Scalar::Text(a), Scalar::Text(b)) => a == b,
            _ => false,
        }
    }

    fn scalar(&self) -> Scalar<'_> {
        match self {
            Val::Null | Val::Fact(Data::Null) => Scalar::Null,
            Val::Bool(b) | Val::Fact(Data::Bool(b)) => Scalar::Bool(*b),
            Val::Int(i) | Val::Fact(Data::Int(i)) => Scalar::Int(*i),
            Val::Enum(e) | Val::Fact(Data::Enum(e)) => Scalar::Enum(*e),
            Val::Text(t) => Scalar::Text(t),
            Val::Fact(Data::Text(t)) => Scalar::Text(t),
            _ => Scalar::Other,
        }
    }
}

enum Scalar<'v> {
    Null,
    Bool(bool),
    Int(i64),
    Enum(u32),
    Text(&'v str),
    Other,
}

/// A scalar as a hash key: two values are [`Val::equals`] exactly when their
/// keys are equal. Lists and records have none (they equal nothing).
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum Key<'a> {
    Null,
    Bool(bool),
    Int(i64),
    Enum(u32),
    Text(TextKey<'a>),
}

/// The text of a key: borrowed from the application, or shared with a value
/// a rule computed.
#[derive(Clone, Debug)]
pub enum TextKey<'a> {
    Fact(&'a str),
    Shared(Arc<str>),
}

impl TextKey<'_> {
    fn as_str(&self) -> &str {
        match self {
            TextKey::Fact(t) => t,
            TextKey::Shared(t) => t,
        }
    }
}

impl PartialEq for TextKey<'_> {
    fn eq(&self, other: &Self) -> bool {
        self.as_str() == other.as_str()
    }
}

impl Eq for TextKey<'_> {}

impl std::hash::Hash for TextKey<'_> {
    fn hash<H: std::hash::Hasher>(&self, state: &mut H) {
        self.as_str().hash(state);
    }
}

impl<'a> Val<'a> {
    /// The value as a hash key, if it is a scalar.
    pub fn key(&self) -> Option<Key<'a>> {
        let data: &'a Data = match self {
            Val::Null => return Some(Key::Null),
            Val::Bool(b) => return Some(Key::Bool(*b)),
            Val::Int(i) => return Some(Key::Int(*i)),
            Val::Enum(e) => return Some(Key::Enum(*e)),
            Val::Text(t) => return Some(Key::Text(TextKey::Shared(t.clone()))),
            Val::List(_) => return None,
            Val::Fact(data) => data,
        };
        Some(match data {
            Data::Null => Key::Null,
            Data::Bool(b) => Key::Bool(*b),
            Data::Int(i) => Key::Int(*i),
            Data::Enum(e) => Key::Enum(*e),
            Data::Text(t) => Key::Text(TextKey::Fact(t)),
            Data::List(_) | Data::Record(_) => return None,
        })
    }

    /// Where a list is, for telling whether two lists are the same one: the
    /// address and length of its elements (none for other values).
    pub fn list_identity(&self) -> Option<(usize, usize)> {
        match self {
            Val::Fact(Data::List(items)) => Some((items.as_ptr() as usize, items.len())),
            Val::List(items) => Some((items.as_ptr() as usize, items.len())),
            _ => None,
        }
    }
}

impl Data {
    /// How many values the fact holds, itself included.
    pub fn count_values(&self) -> u64 {
        let mut count = 0u64;
        let mut stack = vec![self];
        while let Some(data) = stack.pop() {
            count += 1;
            if let Data::List(items) | Data::Record(items) = data {
                stack.extend(items.iter());
            }
        }
        count
    }
}
