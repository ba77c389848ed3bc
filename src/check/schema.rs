//! The facts schema as the checker resolved it: types by index, fields by slot.

use std::collections::HashMap;
use std::fmt::Write;

use crate::lang::{Lang, Localized};
use crate::value::{Data, Val};

/// The type of a value. Records and enums are indices into the [`Schema`].
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum Type {
    Int,
    /// A day, `YYYY-MM-DD`; its value is the day number ([`crate::date::Date`]).
    Date,
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

#[derive(Clone, Debug, PartialEq)]
pub struct EnumDef {
    pub name: String,
    pub variants: Vec<String>,
    /// What reports call each value, by index (`北京市`, `Beijing`).
    pub labels: Vec<Localized<String>>,
    pub lookup: HashMap<String, u32>,
}

impl EnumDef {
    /// The label of a value in `lang` (or the other language), else its name.
    pub fn label(&self, value: u32, lang: Lang) -> &str {
        let index = value as usize;
        self.labels
            .get(index)
            .and_then(|l| l.get(lang))
            .or_else(|| self.variants.get(index))
            .map_or("?", String::as_str)
    }
}

#[derive(Clone, Debug, PartialEq)]
pub struct FieldDef {
    pub name: String,
    pub ty: Type,
    /// Declared `name?:`: the key may be absent from the JSON object.
    pub optional_key: bool,
    /// What reports call the field (`省份`, `province`).
    pub label: Localized<String>,
    /// The least value an `int` field takes: `Some(0)` for a field declared
    /// `count` (a whole number of 0 or more).
    pub minimum: Option<i64>,
}

impl FieldDef {
    /// The label in `lang` (or the other language), else the field's name.
    pub fn label(&self, lang: Lang) -> &str {
        self.label.get(lang).unwrap_or(&self.name)
    }
}

#[derive(Clone, Debug, PartialEq)]
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
#[derive(Clone, Debug, PartialEq)]
pub struct Uploads {
    pub list: u32,
    pub kind: u32,
    pub target: Option<u32>,
    pub kind_enum: u32,
}

/// Two schemas are equal when an application reads the same under both:
/// the same records, fields, types, enums and labels.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Schema {
    pub enums: Vec<EnumDef>,
    pub records: Vec<RecordDef>,
    /// The record an application is.
    pub input: u32,
    pub uploads: Option<Uploads>,
    /// Input fields (slots) every result repeats, as `report` declares.
    pub report: Vec<u32>,
    /// The input field (slot, a `date`) that holds an application's date, as
    /// `as_of` declares.
    pub as_of: Option<u32>,
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
            Type::Date => "date".into(),
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

    /// Writes a value of a known type as messages show it to people, in
    /// `lang`: enum values by their labels, lists joined as the language
    /// joins them, `yes`/`no` (`是`/`否`), null as "not given" (`未填写`).
    pub fn show(&self, val: &Val, ty: &Type, lang: Lang) -> String {
        let mut out = String::new();
        self.write_val(&mut out, val, ty, lang, false);
        out
    }

    /// Like [`Schema::show`], with texts quoted: for the facts behind a
    /// finding, where an empty text must still be visible.
    pub fn show_fact(&self, val: &Val, ty: &Type, lang: Lang) -> String {
        let mut out = String::new();
        self.write_val(&mut out, val, ty, lang, true);
        out
    }

    fn write_val(&self, out: &mut String, val: &Val, ty: &Type, lang: Lang, quoted: bool) {
        if val.is_null() {
            out.push_str(lang.not_given());
            return;
        }
        match ty.non_null() {
            Type::Enum(e) => {
                if let Val::Enum(v) | Val::Fact(Data::Enum(v)) = val {
                    out.push_str(self.enum_def(*e).label(*v, lang));
                }
            }
            Type::List(elem) => {
                let items = val.to_vec();
                if matches!(elem.non_null(), Type::Record(_)) && !items.is_empty() {
                    let _ = write!(
                        out,
                        "{}",
                        lang.pick(format!("{} 项", items.len()), {
                            let n = items.len();
                            format!("{n} item{}", if n == 1 { "" } else { "s" })
                        })
                    );
                    return;
                }
                let items: Vec<String> = items
                    .iter()
                    .map(|item| {
                        let mut s = String::new();
                        self.write_val(&mut s, item, elem, lang, quoted);
                        s
                    })
                    .collect();
                out.push_str(&lang.join(&items));
            }
            Type::Record(r) => {
                let _ = write!(out, "{} {{...}}", self.record(*r).name);
            }
            Type::Int => {
                let _ = write!(out, "{}", val.as_int());
            }
            Type::Date => {
                let _ = write!(out, "{}", crate::date::Date(val.as_int()));
            }
            Type::Bool => out.push_str(lang.yes_no(val.as_bool())),
            _ if quoted => out.push_str(&lang.quote(val.as_text())),
            _ => out.push_str(val.as_text()),
        }
    }

    /// A JSON path of the application (`websites[0].domains[1].holder.name`)
    /// as people read it, by the labels of its fields: `website 1 › domain 2
    /// › holder › name` (`网站 1 › 域名 2 › 持有者 › 名称`). A part that is not
    /// a field of the schema is kept as written.
    pub fn describe_path(&self, path: &str, lang: Lang) -> String {
        let mut record = Some(self.input);
        let mut parts: Vec<String> = Vec::new();
        for segment in path.split('.') {
            let (name, indices) = match segment.find('[') {
                Some(i) => (&segment[..i], &segment[i..]),
                None => (segment, ""),
            };
            let field = record.and_then(|r| {
                let def = self.record(r);
                def.field(name).map(|slot| &def.fields[slot as usize])
            });
            let Some(field) = field else {
                parts.push(segment.to_string());
                record = None;
                continue;
            };
            let label = field.label(lang);
            let mut ty = field.ty.non_null();
            if indices.is_empty() {
                parts.push(label.to_string());
            }
            // `[0]`, `[0][1]`: one element of a list, counted from 1.
            for index in indices.split(['[', ']']).filter(|s| !s.is_empty()) {
                let number = index
                    .parse::<usize>()
                    .map_or_else(|_| index.to_string(), |i| (i + 1).to_string());
                parts.push(format!("{label} {number}"));
                if let Type::List(elem) = ty {
                    ty = elem.non_null();
                }
            }
            record = match ty {
                Type::Record(r) => Some(*r),
                _ => None,
            };
        }
        parts.join(" › ")
    }
}
