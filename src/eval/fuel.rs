//! The step budget ("fuel") of an evaluation: what turns a runaway rule set
//! into an error naming the rule, instead of a hang or an exhausted memory.
//!
//! Each rule (and each scope condition and invariant) gets, on each
//! application, [`BASE`] steps plus [`PER_VALUE`] steps for each value of
//! the application (each field, list element and the record itself). A step
//! is one expression evaluated, one element of a loop, one element of a list
//! built or indexed, [`BYTES_PER_STEP`] bytes of text built or normalised;
//! memory therefore grows no faster than the steps do.
//!
//! The shipped rules take at most 2,741 steps for one rule on the
//! applications of the test cases, and under 10 steps per value for one
//! rule on big applications (`tests/bounds.rs` measures both and keeps a
//! margin of 100 times): the budget is orders of magnitude above what a
//! rule that is linear in the application needs, and far below what one
//! that doubles its work 40 times over does (2^40 steps).

/// Steps every rule gets, however small the application.
pub const BASE: u64 = 1_000_000;
/// Steps a rule gets for each value of the application.
pub const PER_VALUE: u64 = 1_000;
/// Bytes of text built or normalised per step.
pub const BYTES_PER_STEP: usize = 16;
