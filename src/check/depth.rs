//! The evaluation depth limit: how deeply the evaluator recurses for an
//! expression, counting the bodies of the definitions it calls.
//!
//! The parser bounds the nesting written in one expression
//! ([`crate::syntax::MAX_NESTING`]), but a chain of definitions that call each
//! other nests without limit in the text: the checker (which checks a callee
//! when it meets its first call) and the evaluator would recurse along the
//! whole chain. Both are bounded here, so that a rule set either checks and
//! runs within the stack of a 2 MiB thread or gets a diagnostic.

use super::program::Expr;

/// How deeply an expression may nest once the definitions it calls are
/// counted in. At this depth the evaluator and the checker still run on a
/// 2 MiB thread in a debug build (`tests/bad_inputs.rs` tests it).
pub const MAX_EVAL_DEPTH: usize = 128;

/// How many levels the evaluator recurses for `expr`, with `defs[i]` the
/// depth of definition `i`'s body (0 for one not checked yet).
pub fn eval_depth(expr: &Expr, defs: &[usize]) -> usize {
    let one = |e: &Expr| eval_depth(e, defs);
    1 + match expr {
        Expr::Const(_) | Expr::Input(_) | Expr::Local(_) => 0,
        Expr::Field(e, _) | Expr::Not(e) | Expr::InConsts(e, _) | Expr::Wording(_, e) => one(e),
        Expr::Memo(_, e) | Expr::Terms(e, _) => one(e),
        Expr::InIndexed(_, a, b) => one(a).max(one(b)),
        // Its index is built by going through the expression's own loops.
        Expr::Join(_, join) => one(&join.original)
            .max(
                bound(&join.binders, defs)
                    + 1
                    + one(&join.key).max(join.inner.as_ref().map_or(0, one)),
            )
            .max(join.residual.as_ref().map_or(0, one)),
        Expr::And(a, b)
        | Expr::Or(a, b)
        | Expr::Eq(a, b)
        | Expr::Compare(_, a, b)
        | Expr::Add(a, b)
        | Expr::Sub(a, b)
        | Expr::Concat(a, b)
        | Expr::Append(a, b)
        | Expr::InList(a, b) => one(a).max(one(b)),
        Expr::InSet(e, set) => set.iter().map(one).fold(one(e), usize::max),
        // A binder is one more loop of `for_each` around what follows it.
        Expr::Quantifier(_, binders, body) => bound(binders, defs).max(binders.len() + one(body)),
        Expr::Count(binders, filter) => {
            bound(binders, defs).max(binders.len() + filter.as_deref().map_or(0, one))
        }
        Expr::Comprehension(elem, binders, filter) => bound(binders, defs)
            .max(binders.len() + one(elem).max(filter.as_deref().map_or(0, one))),
        Expr::Builtin(_, args) => args.iter().map(one).max().unwrap_or(0),
        Expr::Call(def, args) => args
            .iter()
            .map(one)
            .fold(defs.get(*def as usize).copied().unwrap_or(0), usize::max),
    }
}

/// The depth of the binders' sources, each evaluated inside the loops of the
/// binders before it.
fn bound(binders: &[(u32, Expr)], defs: &[usize]) -> usize {
    binders
        .iter()
        .enumerate()
        .map(|(i, (_, source))| i + eval_depth(source, defs))
        .max()
        .unwrap_or(0)
}
