//! Expressions: which parentheses to write, and where a long one breaks.
//!
//! The AST keeps no parentheses; they are written where the precedence of
//! `syntax/parse.rs` needs them, and in three places where a reader would
//! otherwise have to remember it: an `and` inside an `or`, a comparison inside
//! a comparison, a `not (...)` before an `and` or `or` (`(not (a and b)) or
//! c`), and a quantifier anywhere but on its own (its body extends as far
//! right as it can).

use crate::syntax::ast::*;

/// The column a line should not pass.
pub const WIDTH: usize = 100;

/// How tightly an expression binds, loosest first: the Pratt table of
/// `syntax/parse.rs`, with quantifiers (whose body extends to the right)
/// looser than everything.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
enum Prec {
    Quantifier,
    Or,
    And,
    Not,
    Compare,
    Sum,
    Atom,
}

fn op_prec(op: BinaryOp) -> Prec {
    match op {
        BinaryOp::Or => Prec::Or,
        BinaryOp::And => Prec::And,
        BinaryOp::Add | BinaryOp::Sub => Prec::Sum,
        BinaryOp::Eq
        | BinaryOp::Ne
        | BinaryOp::Lt
        | BinaryOp::Le
        | BinaryOp::Gt
        | BinaryOp::Ge
        | BinaryOp::In
        | BinaryOp::NotIn => Prec::Compare,
    }
}

fn prec(e: &Expr) -> Prec {
    match &e.node {
        ExprKind::Binary(op, ..) => op_prec(*op),
        ExprKind::Not(_) => Prec::Not,
        ExprKind::Quantifier(..) => Prec::Quantifier,
        _ => Prec::Atom,
    }
}

/// Whether `child`, an operand of `op` (on the right when `right`), is
/// written in parentheses.
fn operand_parens(op: BinaryOp, right: bool, child: &Expr) -> bool {
    let (parent, child_prec) = (op_prec(op), prec(child));
    match child_prec {
        Prec::Quantifier => true,
        // `not (a and b) or c` reads as if `not` took the whole line.
        Prec::Not if !right && parent <= Prec::And => {
            matches!(&child.node, ExprKind::Not(x) if not_parens(x))
        }
        // `not` is a prefix: as the operand of a comparison or a sum it
        // would take the rest of the operand with it.
        Prec::Not => parent > Prec::Not,
        Prec::Atom => false,
        // Comparisons do not chain: `(a == b) == c`.
        Prec::Compare if parent == Prec::Compare => true,
        // `a or b and c` is `a or (b and c)`: say so.
        Prec::And if parent == Prec::Or => true,
        // Operators are left-associative: a chain continues on the left only.
        _ if child_prec == parent => right,
        _ => child_prec < parent,
    }
}

fn not_parens(child: &Expr) -> bool {
    matches!(prec(child), Prec::Quantifier | Prec::Or | Prec::And)
}

/// A field's base and a binder's list are postfix expressions in the grammar.
fn postfix_parens(child: &Expr) -> bool {
    prec(child) != Prec::Atom
}

/// Width of a text in columns, as a terminal or editor shows it: two for a
/// Chinese character.
pub fn width(s: &str) -> usize {
    crate::lang::width(s)
}

fn parens(s: String, wrap: bool) -> String {
    if wrap { format!("({s})") } else { s }
}

/// A string literal.
pub fn quote(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// A message: a string whose `{expression}` holes are written flat, and whose
/// literal braces are doubled.
pub fn template(t: &Template) -> String {
    let mut out = String::from("\"");
    for part in &t.parts {
        match part {
            TemplatePart::Text(s) => {
                for c in s.chars() {
                    match c {
                        '"' => out.push_str("\\\""),
                        '\\' => out.push_str("\\\\"),
                        '\n' => out.push_str("\\n"),
                        '\t' => out.push_str("\\t"),
                        '{' => out.push_str("{{"),
                        '}' => out.push_str("}}"),
                        c => out.push(c),
                    }
                }
            }
            TemplatePart::Hole(e) => {
                out.push('{');
                out.push_str(&flat(e));
                out.push('}');
            }
        }
    }
    out.push('"');
    out
}

pub fn binders(bs: &[Binder]) -> String {
    bs.iter()
        .map(|b| {
            let source = parens(flat(&b.source), postfix_parens(&b.source));
            format!("{} in {source}", b.name.node)
        })
        .collect::<Vec<_>>()
        .join(", ")
}

fn quantifier_word(q: Quantifier) -> &'static str {
    match q {
        Quantifier::All => "all",
        Quantifier::Any => "any",
        Quantifier::None => "none",
    }
}

fn join(es: &[Expr]) -> String {
    es.iter().map(flat).collect::<Vec<_>>().join(", ")
}

fn filter(f: &Option<Box<Expr>>) -> String {
    f.as_ref()
        .map(|f| format!(" where {}", flat(f)))
        .unwrap_or_default()
}

/// The expression on one line.
pub fn flat(e: &Expr) -> String {
    match &e.node {
        ExprKind::Int(n) => n.to_string(),
        ExprKind::Date(d) => d.to_string(),
        ExprKind::Text(s) => quote(s),
        ExprKind::Bool(b) => b.to_string(),
        ExprKind::Null => "null".to_string(),
        ExprKind::Name(n) => n.clone(),
        ExprKind::Field(base, field) => {
            format!(
                "{}.{}",
                parens(flat(base), postfix_parens(base)),
                field.node
            )
        }
        ExprKind::Call(name, args) => format!("{}({})", name.node, join(args)),
        ExprKind::Not(x) => format!("not {}", parens(flat(x), not_parens(x))),
        ExprKind::Binary(op, l, r) => format!(
            "{} {} {}",
            parens(flat(l), operand_parens(*op, false, l)),
            op.symbol(),
            parens(flat(r), operand_parens(*op, true, r))
        ),
        ExprKind::Set(xs) => format!("{{{}}}", join(xs)),
        ExprKind::Quantifier(q, bs, body) => {
            format!("{} {}: {}", quantifier_word(*q), binders(bs), flat(body))
        }
        ExprKind::Count(bs, f) => format!("count({}{})", binders(bs), filter(f)),
        ExprKind::Comprehension(elem, bs, f) => {
            format!("[{} for {}{}]", flat(elem), binders(bs), filter(f))
        }
    }
}

/// The expression starting at column `col`, broken over lines if it does not
/// fit: continuation lines start at column `cont`, and `tail` columns must be
/// left free after its last line (for a closing bracket or ` {`). Lines after
/// the first carry their indentation.
pub fn layout(e: &Expr, col: usize, cont: usize, tail: usize) -> String {
    let one_line = flat(e);
    if col + width(&one_line) + tail <= WIDTH {
        return one_line;
    }
    match &e.node {
        ExprKind::Binary(op, l, r) if !matches!(op, BinaryOp::And | BinaryOp::Or) => {
            // A comparison or sum breaks before its operator, or keeps the
            // operator between its operands and breaks one of them instead
            // (`t in {a, b,\n c}`, `count(... where a\n and b) == 1`):
            // whichever takes fewer lines.
            let (left, right) = (operand_parens(*op, false, l), operand_parens(*op, true, r));
            let symbol = op.symbol();
            let right_flat = parens(flat(r), right);
            let hug_left = format!(
                "{} {symbol} {right_flat}",
                bracketed(
                    l,
                    left,
                    col,
                    cont,
                    tail + symbol.len() + 2 + width(&right_flat)
                )
            );
            let left_flat = parens(flat(l), left);
            let at = col + width(&left_flat) + symbol.len() + 2;
            let hug_right = format!(
                "{left_flat} {symbol} {}",
                bracketed(r, right, at, cont, tail)
            );
            shortest(
                vec![broken_chain(e, *op, col, cont, tail), hug_left, hug_right],
                col,
                tail,
            )
        }
        ExprKind::Binary(op, ..) => broken_chain(e, *op, col, cont, tail),
        ExprKind::Not(x) => {
            let wrap = not_parens(x);
            format!("not {}", bracketed(x, wrap, col + 4, cont, tail))
        }
        ExprKind::Quantifier(q, bs, body) => format!(
            "{} {}:\n{}{}",
            quantifier_word(*q),
            binders(bs),
            " ".repeat(cont),
            layout(body, cont, cont + 2, tail)
        ),
        ExprKind::Call(name, args) => {
            let at = col + width(&name.node) + 1;
            format!("{}({})", name.node, one_per_line(args, at, tail + 1))
        }
        ExprKind::Set(xs) => format!("{{{}}}", filled(xs, col + 1, tail + 1)),
        ExprKind::Count(bs, f) => {
            let head = format!("count({}", binders(bs));
            let filter = filter_layout(f, col + width(&head), col + 6, tail + 1);
            format!("{head}{filter})")
        }
        ExprKind::Comprehension(elem, bs, f) => {
            // `[element`, `for ...` and `where ...` each on a line.
            let at = col + 1;
            let mut out = format!("[{}", layout(elem, at, at, 0));
            let binders = format!("for {}", binders(bs));
            out.push_str(&format!("\n{}{binders}", " ".repeat(at)));
            if let Some(f) = f {
                let cond_at = at + "where ".len();
                let cond = layout(f, cond_at, cond_at, tail + 1);
                out.push_str(&format!("\n{}where {cond}", " ".repeat(at)));
            }
            out.push(']');
            out
        }
        // Names, literals and field chains do not break.
        _ => one_line,
    }
}

/// `e` broken before each operator of its outer chain (of `op`'s
/// precedence), the continuation lines at column `cont`.
fn broken_chain(e: &Expr, op: BinaryOp, col: usize, cont: usize, tail: usize) -> String {
    let (first, rest) = chain(e, op_prec(op));
    let mut out = operand(first, rest[0].0, false, col, cont, 0);
    for (i, (op, x)) in rest.iter().enumerate() {
        let last_tail = if i + 1 == rest.len() { tail } else { 0 };
        out.push('\n');
        out.push_str(&" ".repeat(cont));
        out.push_str(op.symbol());
        out.push(' ');
        let at = cont + op.symbol().len() + 1;
        out.push_str(&operand(x, *op, true, at, cont, last_tail));
    }
    out
}

/// Whether text laid out from column `col`, with `tail` columns after it,
/// stays within [`WIDTH`] (lines after the first carry their indentation).
fn fits(text: &str, col: usize, tail: usize) -> bool {
    let lines: Vec<&str> = text.split('\n').collect();
    lines.iter().enumerate().all(|(i, line)| {
        let start = if i == 0 { col } else { 0 };
        let end = if i + 1 == lines.len() { tail } else { 0 };
        start + width(line) + end <= WIDTH
    })
}

/// An operand of a broken chain. One in parentheses is laid out inside them,
/// its continuation lines aligned with its start; one without goes on two
/// columns further than the chain.
fn operand(x: &Expr, op: BinaryOp, right: bool, col: usize, cont: usize, tail: usize) -> String {
    if operand_parens(op, right, x) {
        bracketed(x, true, col, cont, tail)
    } else {
        layout(x, col, cont + 2, tail)
    }
}

fn bracketed(x: &Expr, wrap: bool, col: usize, cont: usize, tail: usize) -> String {
    if wrap {
        format!("({})", layout(x, col + 1, col + 1, tail + 1))
    } else {
        layout(x, col, cont + 2, tail)
    }
}

/// ` where COND` from column `col`: continuation lines aligned with the
/// condition, or if they do not fit there, at column `inner` (the start of
/// the bracket's content).
fn filter_layout(f: &Option<Box<Expr>>, col: usize, inner: usize, tail: usize) -> String {
    let Some(f) = f else {
        return String::new();
    };
    let at = col + " where ".len();
    let aligned = format!(" where {}", layout(f, at, at, tail));
    let from_bracket = format!(" where {}", layout(f, at, inner, tail));
    shortest(vec![aligned, from_bracket], col, tail)
}

/// Of layouts of one thing, the one that fits in the fewest lines; the
/// first of those (the first is taken too if none fits).
fn shortest(candidates: Vec<String>, col: usize, tail: usize) -> String {
    let mut best: Option<(usize, String)> = None;
    for c in candidates {
        let lines = c.lines().count();
        let better = match &best {
            None => true,
            Some((best_lines, _)) => fits(&c, col, tail) && lines < *best_lines,
        };
        if better {
            best = Some((lines, c));
        }
    }
    best.map(|(_, c)| c).unwrap_or_default()
}

/// The operands of a chain of operators of one precedence, left to right:
/// `a and b and c` is `a` then `and b`, `and c`.
fn chain(e: &Expr, level: Prec) -> (&Expr, Vec<(BinaryOp, &Expr)>) {
    let mut rest = Vec::new();
    let mut cur = e;
    while let ExprKind::Binary(op, l, r) = &cur.node {
        if op_prec(*op) != level || (level == Prec::Compare && !rest.is_empty()) {
            break;
        }
        rest.push((*op, &**r));
        cur = l;
    }
    rest.reverse();
    (cur, rest)
}

/// Call arguments, one a line, aligned after the `(`.
fn one_per_line(args: &[Expr], col: usize, tail: usize) -> String {
    let parts: Vec<String> = args
        .iter()
        .enumerate()
        .map(|(i, a)| {
            let t = if i + 1 == args.len() { tail } else { 1 };
            layout(a, col, col, t)
        })
        .collect();
    parts.join(&format!(",\n{}", " ".repeat(col)))
}

/// Set elements, as many a line as fit, aligned after the `{`.
fn filled(xs: &[Expr], col: usize, tail: usize) -> String {
    let items: Vec<String> = xs
        .iter()
        .enumerate()
        .map(|(i, x)| {
            let text = flat(x);
            if i + 1 == xs.len() { text } else { text + "," }
        })
        .collect();
    fill(&items, col, tail)
}

/// Items separated by a space, as many a line as fit in the width, the
/// following lines starting at `col`; `tail` is what follows the last item
/// on its line.
pub(super) fn fill(items: &[String], col: usize, tail: usize) -> String {
    let mut out = String::new();
    let mut at = col;
    for (i, item) in items.iter().enumerate() {
        let needs = width(item) + if i + 1 == items.len() { tail } else { 0 };
        if i > 0 {
            if at + 1 + needs <= WIDTH {
                out.push(' ');
                at += 1;
            } else {
                out.push('\n');
                out.push_str(&" ".repeat(col));
                at = col;
            }
        }
        out.push_str(item);
        at += width(item);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::syntax::parse_file;

    fn expr(text: &str) -> Expr {
        let (file, errors) = parse_file(&format!("def x = {text}"), 0);
        assert!(errors.is_empty(), "{errors:?}");
        match file.items.into_iter().next() {
            Some(Item::Def(d)) => d.body,
            other => panic!("not a def: {other:?}"),
        }
    }

    #[test]
    fn writes_the_parentheses_precedence_needs() {
        for (text, written) in [
            ("(a or b) and c", "(a or b) and c"),
            ("a and (b and c)", "a and (b and c)"),
            ("(a and b) and c", "a and b and c"),
            ("not (a and b)", "not (a and b)"),
            ("(not a) == b", "(not a) == b"),
            ("not (a == b)", "not a == b"),
            ("a - (b + c)", "a - (b + c)"),
            ("(a + b).c", "(a + b).c"),
            ("count(x in (a + b))", "count(x in (a + b))"),
            ("(all x in xs: p) and q", "(all x in xs: p) and q"),
        ] {
            assert_eq!(flat(&expr(text)), written, "{text}");
        }
    }

    #[test]
    fn adds_parentheses_where_they_help_the_reader() {
        assert_eq!(flat(&expr("a and b or c")), "(a and b) or c");
        assert_eq!(flat(&expr("(a == b) == c")), "(a == b) == c");
        assert_eq!(flat(&expr("not (a and b) or c")), "(not (a and b)) or c");
        assert_eq!(flat(&expr("c or not (a and b)")), "c or not (a and b)");
        assert_eq!(flat(&expr("not a or b")), "not a or b");
        assert_eq!(
            flat(&expr("q and all x in xs: p")),
            "q and (all x in xs: p)"
        );
    }

    #[test]
    fn a_long_chain_breaks_before_each_operator() {
        let long = "aaaaaaaaaaaaaaaaaaaa";
        let e = expr(&format!(
            "{long} or {long} and ({long} or {long}) or {long}"
        ));
        assert_eq!(
            layout(&e, 60, 4, 0),
            format!("{long}\n    or ({long} and ({long} or {long}))\n    or {long}")
        );
    }
}
