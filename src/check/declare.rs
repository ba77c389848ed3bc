//! The declarations of a rule set: types, the input record, uploads and
//! reported fields, resolved into the [`Schema`].

use std::collections::HashMap;

use super::Checker;
use super::error::CheckError;
use super::index::Symbol;
use super::schema::{EnumDef, FieldDef, RecordDef, Type, Uploads};
use crate::diagnostic::did_you_mean;
use crate::source::Span;
use crate::syntax::ast::{self, Item};

impl Checker<'_> {
    /// The first enum or record declared with this name.
    fn first_type_named(&self, name: &str) -> Option<Span> {
        self.files
            .iter()
            .flat_map(|f| &f.items)
            .find_map(|item| match item {
                Item::Enum(e) if e.name.node == name => Some(e.name.span),
                Item::Record(r) if r.name.node == name => Some(r.name.span),
                _ => None,
            })
    }

    pub(super) fn declare_types(&mut self) {
        for ast in self.files {
            for item in &ast.items {
                let (name, ty) = match item {
                    Item::Enum(e) => {
                        let mut lookup = HashMap::new();
                        let enum_id = self.schema.enums.len() as u32;
                        let mut labels = Vec::new();
                        for (i, v) in e.variants.iter().enumerate() {
                            let value = Symbol::Value {
                                enum_id,
                                value: i as u32,
                            };
                            self.index.declare(value, v.name.span);
                            if lookup.insert(v.name.node.clone(), i as u32).is_some() {
                                let first = e.variants.iter().find(|w| w.name.node == v.name.node);
                                self.error(CheckError::Duplicate {
                                    ruleset_elsewhere: None,
                                    name: v.name.node.clone(),
                                    span: v.name.span,
                                    what: "value",
                                    first: first.map(|w| self.first_at(w.name.span)),
                                });
                            }
                            labels.push(self.localize(&v.labels).map(|l| l.node.clone()));
                        }
                        self.schema.enums.push(EnumDef {
                            name: e.name.node.clone(),
                            variants: e.variants.iter().map(|v| v.name.node.clone()).collect(),
                            labels,
                            lookup,
                        });
                        (&e.name, Type::Enum(self.schema.enums.len() as u32 - 1))
                    }
                    Item::Record(r) => {
                        self.schema.records.push(RecordDef {
                            name: r.name.node.clone(),
                            fields: Vec::new(),
                        });
                        (&r.name, Type::Record(self.schema.records.len() as u32 - 1))
                    }
                    _ => continue,
                };
                let symbol = match ty {
                    Type::Enum(e) => Symbol::Enum(e),
                    _ => Symbol::Record(self.schema.records.len() as u32 - 1),
                };
                self.index.declare(symbol, name.span);
                let builtin = matches!(
                    name.node.as_str(),
                    "text" | "int" | "date" | "bool" | "count"
                );
                if builtin || self.type_names.insert(name.node.clone(), ty).is_some() {
                    let first = (!builtin)
                        .then(|| self.first_type_named(&name.node))
                        .flatten();
                    self.error(CheckError::Duplicate {
                        ruleset_elsewhere: None,
                        name: name.node.clone(),
                        span: name.span,
                        what: "type",
                        first: first.map(|span| self.first_at(span)),
                    });
                }
            }
        }
    }

    pub(super) fn declare_fields(&mut self) {
        let mut record = 0;
        for ast in self.files {
            for item in &ast.items {
                let Item::Record(r) = item else { continue };
                let mut fields: Vec<FieldDef> = Vec::new();
                for f in &r.fields {
                    if fields.iter().any(|g| g.name == f.name.node) {
                        let first = r.fields.iter().find(|g| g.name.node == f.name.node);
                        self.error(CheckError::Duplicate {
                            ruleset_elsewhere: None,
                            name: f.name.node.clone(),
                            span: f.name.span,
                            what: "field",
                            first: first.map(|g| self.first_at(g.name.span)),
                        });
                        continue;
                    }
                    let symbol = Symbol::Field {
                        record: record as u32,
                        slot: fields.len() as u32,
                    };
                    self.index.declare(symbol, f.name.span);
                    // `count` is an `int` of 0 or more: a property of the
                    // field (the reader refuses a negative value, the JSON
                    // Schema says `minimum`), not a type of its own.
                    let (mut ty, minimum) = match count_field(&f.ty) {
                        Some(nullable) => {
                            let ty = if nullable {
                                Type::Int.nullable()
                            } else {
                                Type::Int
                            };
                            (ty, Some(0))
                        }
                        None => (self.resolve_type(&f.ty), None),
                    };
                    if f.optional_key {
                        ty = ty.nullable();
                    }
                    let label = self.localize(&f.labels).map(|l| l.node.clone());
                    fields.push(FieldDef {
                        name: f.name.node.clone(),
                        ty,
                        optional_key: f.optional_key,
                        label,
                        minimum,
                    });
                }
                self.schema.records[record].fields = fields;
                record += 1;
            }
        }
    }

    pub(super) fn resolve_type(&mut self, t: &ast::TypeExpr) -> Type {
        match &t.node {
            ast::TypeExprKind::Named(name) => match name.as_str() {
                "text" => Type::Text,
                "int" => Type::Int,
                "date" => Type::Date,
                "bool" => Type::Bool,
                "count" => {
                    self.error(CheckError::UnknownType {
                        name: name.clone(),
                        span: t.span,
                        help: Some(
                            "`count` is the type of a record's field (`count` or `count?`); \
                             elsewhere write `int`"
                                .into(),
                        ),
                    });
                    Type::Error
                }
                _ => match self.type_names.get(name) {
                    Some(ty) => {
                        let ty = ty.clone();
                        match ty {
                            Type::Enum(e) => self.index.reference(t.span, Symbol::Enum(e)),
                            Type::Record(r) => self.index.reference(t.span, Symbol::Record(r)),
                            _ => {}
                        }
                        ty
                    }
                    None => {
                        let names = self
                            .type_names
                            .keys()
                            .map(String::as_str)
                            .chain(["text", "int", "date", "bool"]);
                        let help = did_you_mean(name, names);
                        self.error(CheckError::UnknownType {
                            name: name.clone(),
                            span: t.span,
                            help,
                        });
                        Type::Error
                    }
                },
            },
            ast::TypeExprKind::List(inner) => Type::List(Box::new(self.resolve_type(inner))),
            ast::TypeExprKind::Nullable(inner) => self.resolve_type(inner).nullable(),
        }
    }

    /// Declares the input record, the uploads and the reported fields; false
    /// when there is no usable input record.
    pub(super) fn declare_input(&mut self) -> bool {
        let mut input = None;
        let mut uploads = None;
        let mut report = Vec::new();
        let mut as_of: Vec<&ast::Ident> = Vec::new();
        for ast in self.files {
            for item in &ast.items {
                match item {
                    Item::Report(fields) => report.extend(fields),
                    Item::AsOf(field) => as_of.push(field),
                    Item::Input(name) if input.is_some() => {
                        self.error(CheckError::SecondInput { span: name.span });
                    }
                    Item::Input(name) => input = Some(name),
                    Item::Uploads(u) => uploads = Some(u),
                    _ => {}
                }
            }
        }
        let Some(input) = input else {
            self.error(CheckError::NoInput {
                span: Span::default(),
            });
            return false;
        };
        match self.type_names.get(&input.node) {
            Some(Type::Record(r)) => {
                self.schema.input = *r;
                self.index.reference(input.span, Symbol::Record(*r));
            }
            Some(_) => {
                self.error(CheckError::InputNotRecord {
                    name: input.node.clone(),
                    span: input.span,
                });
                return false;
            }
            None => {
                let help = did_you_mean(&input.node, self.type_names.keys().map(String::as_str));
                self.error(CheckError::UnknownType {
                    name: input.node.clone(),
                    span: input.span,
                    help,
                });
                return false;
            }
        }
        if let Some(u) = uploads {
            self.schema.uploads = self.declare_uploads(u);
        }
        let input = self.schema.record(self.schema.input).clone();
        let input_id = self.schema.input;
        for field in report {
            let slot = self.input_field(&input, input_id, field);
            match slot {
                Some(slot)
                    if matches!(
                        input.fields[slot as usize].ty.non_null(),
                        Type::Enum(_) | Type::Text | Type::Int | Type::Date | Type::Bool
                    ) =>
                {
                    self.schema.report.push(slot)
                }
                Some(_) => self.error(CheckError::BadDeclaration {
                    message: format!("`report` repeats plain values; `{}` is not one", field.node),
                    span: field.span,
                }),
                None => self.error(CheckError::unknown_field(&input, field)),
            }
        }
        for (i, field) in as_of.into_iter().enumerate() {
            let slot = self.input_field(&input, input_id, field);
            match slot {
                _ if i > 0 => self.error(CheckError::Duplicate {
                    ruleset_elsewhere: None,
                    name: "as_of".into(),
                    span: field.span,
                    what: "declaration",
                    first: None,
                }),
                Some(slot) if *input.fields[slot as usize].ty.non_null() == Type::Date => {
                    self.schema.as_of = Some(slot)
                }
                Some(slot) => self.error(CheckError::BadDeclaration {
                    message: format!(
                        "`as_of` names the `date` field that dates an application; `{}` is `{}`",
                        field.node,
                        self.schema.type_name(&input.fields[slot as usize].ty)
                    ),
                    span: field.span,
                }),
                None => self.error(CheckError::unknown_field(&input, field)),
            }
        }
        true
    }

    /// The slot of the input record's field `field` names, recorded as a
    /// reference to it for the editor.
    fn input_field(&mut self, input: &RecordDef, input_id: u32, field: &ast::Ident) -> Option<u32> {
        let slot = input.field(&field.node)?;
        let symbol = Symbol::Field {
            record: input_id,
            slot,
        };
        self.index.reference(field.span, symbol);
        Some(slot)
    }

    pub(super) fn declare_uploads(&mut self, u: &ast::Uploads) -> Option<Uploads> {
        let entry = |key: &str| {
            u.entries
                .iter()
                .find(|(k, _)| k.node == key)
                .map(|(_, v)| v)
        };
        let bad = |message: String, span: Span| CheckError::BadDeclaration { message, span };
        let input = self.schema.record(self.schema.input).clone();
        let Some(list_name) = entry("list") else {
            self.error(bad(
                "`uploads` needs `list`: the input field that holds the uploads".into(),
                u.span,
            ));
            return None;
        };
        let Some(list) = input.field(&list_name.node) else {
            self.error(CheckError::unknown_field(&input, list_name));
            return None;
        };
        let symbol = Symbol::Field {
            record: self.schema.input,
            slot: list,
        };
        self.index.reference(list_name.span, symbol);
        let upload = match &input.fields[list as usize].ty {
            Type::List(elem) => match **elem {
                Type::Record(r) => Some(r),
                _ => None,
            },
            _ => None,
        };
        let Some(upload_id) = upload else {
            self.error(bad(
                format!("`{}` is not a list of records", list_name.node),
                list_name.span,
            ));
            return None;
        };
        let upload = self.schema.record(upload_id).clone();
        let field_of = |checker: &mut Self, key: &str| -> Option<(u32, Type)> {
            let name = entry(key)?;
            match upload.field(&name.node) {
                Some(slot) => {
                    let symbol = Symbol::Field {
                        record: upload_id,
                        slot,
                    };
                    checker.index.reference(name.span, symbol);
                    Some((slot, upload.fields[slot as usize].ty.clone()))
                }
                None => {
                    checker.error(CheckError::unknown_field(&upload, name));
                    None
                }
            }
        };
        let Some((kind, Type::Enum(kind_enum))) = field_of(self, "kind") else {
            self.error(bad(
                "`uploads` needs `kind`: an enum field naming each upload's type".into(),
                u.span,
            ));
            return None;
        };
        let target = match field_of(self, "target") {
            Some((slot, ty)) if *ty.non_null() == Type::Text => Some(slot),
            Some(_) => {
                self.error(bad(
                    "`target` must be a `text` or `text?` field".into(),
                    u.span,
                ));
                None
            }
            None => None,
        };
        Some(Uploads {
            list,
            kind,
            target,
            kind_enum,
        })
    }
}

/// Whether a field's type is `count` (`Some(false)`) or `count?`
/// (`Some(true)`).
fn count_field(t: &ast::TypeExpr) -> Option<bool> {
    match &t.node {
        ast::TypeExprKind::Named(name) if name == "count" => Some(false),
        ast::TypeExprKind::Nullable(inner) => match &inner.node {
            ast::TypeExprKind::Named(name) if name == "count" => Some(true),
            _ => None,
        },
        _ => None,
    }
}
