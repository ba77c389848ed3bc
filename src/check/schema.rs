//! The facts schema as the checker resolved it: types by index, fields by slot.

use std::collections::HashMap;
use std::fmt::Write;

use crate::value::{Data, Val};

/// The type of a value. Records and enums are indices into the [`Schema`].
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum Type {
    Int,
    Text,
    Bool,
    Enum(u32),
    Record(u32),
    List(Box<Type>),
    Nullable(Box<Type>),
    /// The type of the literal `null`.
    Null,
    /// The type of an expression that already has an error reported: it
    /// matches everything, so one mistake gives one diagnostic.
    Error,
}

impl Type {
    pub fn nullable(self) -> Type {
        match self {
            Type::Nullable(_) | Type::Null | Type::Error => self,
            other => Type::Nullable(Box::new(other)),
        }
    }

    /// The type without its `?`.
    pub fn non_null(&self) -> &Type {
        match self {
            Type::Nullable(inner) => inner,
            other => other,
        }
    }

    pub fn is_nullable(&self) -> bool {
        matches!(self, Type::Nullable(_) | Type::Null)
    }
}

#[derive(Clone, Debug)]
pub struct EnumDef {
    pub name: String,
    pub variants: Vec<String>,
    pub lookup: HashMap<String, u32>,
}

#[derive(Clone, Debug)]
pub struct FieldDef {
    pub name: String,
    pub ty: Type,
    /// Declared `name?:`: the key may be absent from the JSON object.
    pub optional_key: bool,
}

#[derive(Clone, Debug)]
pub struct RecordDef {
    pub name: String,
    pub fields: Vec<FieldDef>,
}

impl RecordDef {
    pub fn field(&self, name: &str) -> Option<u32> {
        self.fields
            .iter()
            .position(|f| f.name == name)
            .map(|i| i as u32)
    }
}

/// Where uploaded documents are: the input's list field, and in each upload
/// the field naming its type and the one naming what it is for.
#[derive(Clone, Debug)]
pub struct Uploads {
    pub list: u32,
    pub kind: u32,
    pub target: Option<u32>,
    pub kind_enum: u32,
}

#[derive(Clone, Debug, Default)]
pub struct Schema {
    pub enums: Vec<EnumDef>,
    pub records: Vec<RecordDef>,
    /// The record an application is.
    pub input: u32,
    pub uploads: Option<Uploads>,
    /// Input fields (slots) every result repeats, as `report` declares.
    pub report: Vec<u32>,
}

impl Schema {
    pub fn record(&self, id: u32) -> &RecordDef {
        &self.records[id as usize]
    }

    pub fn enum_def(&self, id: u32) -> &EnumDef {
        &self.enums[id as usize]
    }

    pub fn type_name(&self, ty: &Type) -> String {
        match ty {
            Type::Int => "int".into(),
            Type::Text => "text".into(),
            Type::Bool => "bool".into(),
            Type::Enum(e) => self.enum_def(*e).name.clone(),
            Type::Record(r) => self.record(*r).name.clone(),
            Type::List(inner) => format!("[{}]", self.type_name(inner)),
            Type::Nullable(inner) => format!("{}?", self.type_name(inner)),
            Type::Null => "null".into(),
            Type::Error => "?".into(),
        }
    }

    /// Writes a value of a known type as messages and explanations show it:
    /// texts as they are, enum values by name, lists in brackets.
    pub fn show(&self, val: &Val, ty: &Type) -> String {
        let mut out = String::new();
        self.write_val(&mut out, val, ty);
        out
    }

    fn write_val(&self, out: &mut String, val: &Val, ty: &Type) {
        if val.is_null() {
            out.push_str("null");
            return;
        }
        match ty.non_null() {
            Type::Enum(e) => {
                if let Val::Enum(v) | Val::Fact(Data::Enum(v)) = val {
                    out.push_str(
                        self.enum_def(*e)
                            .variants
                            .get(*v as usize)
                            .map_or("?", |s| s),
                    );
                }
            }
            Type::List(elem) => {
                out.push('[');
                for (i, item) in val.to_vec().iter().enumerate() {
                    if i > 0 {
                        out.push_str(", ");
                    }
                    self.write_val(out, item, elem);
                }
                out.push(']');
            }
            Type::Record(r) => {
                let _ = write!(out, "{} {{...}}", self.record(*r).name);
            }
            Type::Int => {
                let _ = write!(out, "{}", val.as_int());
            }
            Type::Bool => {
                let _ = write!(out, "{}", val.as_bool());
            }
            _ => out.push_str(val.as_text()),
        }
    }

    /// Like [`Schema::show`], with texts quoted: for fact values, where an
    /// empty text must still be visible.
    pub fn show_fact(&self, val: &Val, ty: &Type) -> String {
        match ty.non_null() {
            Type::Text if !val.is_null() => format!("{:?}", val.as_text()),
            Type::List(elem) if **elem == Type::Text => {
                let items: Vec<String> = val
                    .to_vec()
                    .iter()
                    .map(|v| format!("{:?}", v.as_text()))
                    .collect();
                format!("[{}]", items.join(", "))
            }
            _ => self.show(val, ty),
        }
    }
}
