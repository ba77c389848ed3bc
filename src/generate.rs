//! Synthetic applications, for benchmarks and load tests of `--batch`.
//!
//! Nothing here knows what an application is about: the generator is driven
//! by the checked program's schema and made realistic by a corpus of real
//! applications (the shipped examples and test cases). Each application is a
//! corpus application picked at random with zero to three mutations, each
//! made at a random place reached by a walk down from the root:
//!
//! - an enum value becomes another value of its enum, a bool flips, an int
//!   moves a little (a quarter of its size, at least 2; never below zero if
//!   it was not), a text takes the text at the same place in another corpus
//!   application (the *donor*);
//! - a list loses or repeats one of its elements, or gains one from the
//!   donor's list at the same place;
//! - a value that may be null (or a key that may be absent) becomes null, or,
//!   when null, takes the donor's value;
//! - now and then a whole record is replaced by the donor's.
//!
//! A mutated application that breaks an invariant of the format is drawn
//! again, so every application generated is valid input; the mutations give
//! the mix of accepted and rejected ones. The same seed and corpus always
//! give the same applications: the random numbers come from SplitMix64,
//! written out here so that no dependency upgrade can change them.

use std::io::Write;

use crate::check::Program;
use crate::check::schema::{Schema, Type};
use crate::eval::validate;
use crate::value::Data;

mod embedded {
    include!(concat!(env!("OUT_DIR"), "/embedded_corpus.rs"));
}

/// The corpus built into the binary: the shipped applications (`examples/`
/// and `tests/cases/` but for the invariant cases), as (path, JSON text), in
/// path order. Built for the built-in rules: with other rules some may not
/// be valid.
pub fn shipped_corpus() -> &'static [(&'static str, &'static str)] {
    embedded::CORPUS
}

/// Tries to get a valid application from mutations before falling back to
/// an unchanged corpus application.
const ATTEMPTS: usize = 16;
/// At most this many mutations per application.
const MAX_MUTATIONS: usize = 3;

pub struct Generator<'p> {
    program: &'p Program,
    corpus: Vec<Data>,
    rng: SplitMix64,
}

impl<'p> Generator<'p> {
    /// A generator over a non-empty corpus of valid applications; `None`
    /// when the corpus is empty.
    pub fn new(program: &'p Program, corpus: Vec<Data>, seed: u64) -> Option<Self> {
        if corpus.is_empty() {
            return None;
        }
        Some(Generator {
            program,
            corpus,
            rng: SplitMix64(seed),
        })
    }

    /// The next application: always valid input.
    pub fn next_application(&mut self) -> Data {
        let schema = &self.program.schema;
        let root = Type::Record(schema.input);
        for _ in 0..ATTEMPTS {
            let mut application = self.corpus[self.rng.below(self.corpus.len())].clone();
            let mutations = self.rng.below(MAX_MUTATIONS + 1);
            for _ in 0..mutations {
                let donor = &self.corpus[self.rng.below(self.corpus.len())];
                mutate(
                    schema,
                    &mut self.rng,
                    &mut application,
                    &root,
                    false,
                    Some(donor),
                );
            }
            if validate(self.program, &application).is_ok() {
                return application;
            }
        }
        self.corpus[self.rng.below(self.corpus.len())].clone()
    }

    /// Appends the application as one line of JSON, keys in schema order.
    pub fn write_line(&self, application: &Data, out: &mut Vec<u8>) {
        let schema = &self.program.schema;
        write_json(schema, application, &Type::Record(schema.input), out);
        out.push(b'\n');
    }
}

/// Makes one mutation somewhere in `data`. `absent_ok` is a key that may be
/// absent; `donor` is the value at the same place in another application.
fn mutate(
    schema: &Schema,
    rng: &mut SplitMix64,
    data: &mut Data,
    ty: &Type,
    absent_ok: bool,
    donor: Option<&Data>,
) {
    let donor = donor.filter(|d| **d != Data::Null);
    if absent_ok || ty.is_nullable() {
        if *data == Data::Null {
            if let Some(donor) = donor {
                *data = donor.clone();
            }
            return;
        }
        if rng.one_in(5) {
            *data = Data::Null;
            return;
        }
    }
    match (data, ty.non_null()) {
        (Data::Record(fields), Type::Record(r)) => {
            if let Some(donor) = donor
                && rng.one_in(10)
            {
                *fields = match donor {
                    Data::Record(d) => d.clone(),
                    _ => return,
                };
                return;
            }
            let slot = rng.below(fields.len());
            let field = &schema.record(*r).fields[slot];
            let donor = match donor {
                Some(Data::Record(d)) => d.get(slot),
                _ => None,
            };
            mutate(
                schema,
                rng,
                &mut fields[slot],
                &field.ty,
                field.optional_key,
                donor,
            );
        }
        (Data::List(items), Type::List(elem)) => {
            let donor_items: &[Data] = match donor {
                Some(Data::List(d)) => d,
                _ => &[],
            };
            match rng.below(6) {
                0 if !items.is_empty() => {
                    let mut list = std::mem::take(items).into_vec();
                    list.remove(rng.below(list.len()));
                    *items = list.into_boxed_slice();
                }
                1 if !items.is_empty() => {
                    let mut list = std::mem::take(items).into_vec();
                    let i = rng.below(list.len());
                    list.insert(i + 1, list[i].clone());
                    *items = list.into_boxed_slice();
                }
                2 if !donor_items.is_empty() => {
                    let mut list = std::mem::take(items).into_vec();
                    list.push(donor_items[rng.below(donor_items.len())].clone());
                    *items = list.into_boxed_slice();
                }
                _ if !items.is_empty() => {
                    let i = rng.below(items.len());
                    let donor =
                        (!donor_items.is_empty()).then(|| &donor_items[i % donor_items.len()]);
                    mutate(schema, rng, &mut items[i], elem, false, donor);
                }
                _ => {}
            }
        }
        (Data::Enum(v), Type::Enum(e)) => {
            *v = rng.below(schema.enum_def(*e).variants.len()) as u32;
        }
        (Data::Bool(b), _) => *b = !*b,
        (Data::Int(i), _) => {
            let reach = (i.unsigned_abs() / 4).max(2);
            let delta = rng.below(2 * reach as usize + 1) as i64 - reach as i64;
            let moved = i.saturating_add(delta);
            *i = if *i >= 0 { moved.max(0) } else { moved };
        }
        (Data::Text(t), _) => {
            if let Some(Data::Text(d)) = donor {
                *t = d.clone();
            }
        }
        _ => {}
    }
}

/// Writes a value as JSON the way the schema lays it out: records as objects
/// with their keys in declaration order (leaving out absent optional keys),
/// enum values by name.
fn write_json(schema: &Schema, data: &Data, ty: &Type, out: &mut Vec<u8>) {
    match (data, ty.non_null()) {
        (Data::Null, _) => out.extend_from_slice(b"null"),
        (Data::Bool(b), _) => out.extend_from_slice(if *b { b"true" } else { b"false" }),
        (Data::Int(i), Type::Date) => {
            let _ = write!(out, "\"{}\"", crate::date::Date(*i));
        }
        (Data::Int(i), _) => {
            let _ = write!(out, "{i}");
        }
        (Data::Text(t), _) => {
            serde_json::to_writer(&mut *out, &**t).expect("a text serializes");
        }
        (Data::Enum(v), Type::Enum(e)) => {
            let name = &schema.enum_def(*e).variants[*v as usize];
            serde_json::to_writer(&mut *out, name).expect("a text serializes");
        }
        (Data::List(items), Type::List(elem)) => {
            out.push(b'[');
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.push(b',');
                }
                write_json(schema, item, elem, out);
            }
            out.push(b']');
        }
        (Data::Record(fields), Type::Record(r)) => {
            out.push(b'{');
            let mut first = true;
            for (value, field) in fields.iter().zip(&schema.record(*r).fields) {
                if field.optional_key && *value == Data::Null {
                    continue;
                }
                if !first {
                    out.push(b',');
                }
                first = false;
                serde_json::to_writer(&mut *out, &field.name).expect("a text serializes");
                out.push(b':');
                write_json(schema, value, &field.ty, out);
            }
            out.push(b'}');
        }
        // The data was read against this schema, so its shape matches.
        _ => out.extend_from_slice(b"null"),
    }
}

/// SplitMix64 (Steele, Lea and Flood, 2014): small, fast, and good enough
/// to pick places and values.
struct SplitMix64(u64);

impl SplitMix64 {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }

    /// A number in `0..n` (`n` > 0); the modulo bias is negligible for the
    /// small `n` used here.
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }

    fn one_in(&mut self, n: usize) -> bool {
        self.below(n) == 0
    }
}
