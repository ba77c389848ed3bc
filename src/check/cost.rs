//! What a call of a definition costs, loops aside: the definition bodies it
//! evaluates. A definition that calls another twice, which calls another
//! twice, and so on 40 levels deep, evaluates 2^40 bodies for one call while
//! the depth limit ([`super::depth`]) sees only 40 levels. The evaluator's
//! step budget stops such a rule on each application; this finds the
//! definition before any application does.

use super::program::{DefCode, Expr};

/// Bodies one call may evaluate before its definition is reported.
pub const MAX_BODIES: u64 = 1 << 16;

/// For each definition (in order), the bodies a call of it evaluates (itself
/// included, saturating), and the definitions it calls.
pub struct Costs {
    pub bodies: Vec<u64>,
    calls: Vec<Vec<u32>>,
}

impl Costs {
    /// `defs` in order; `None` for one not checked.
    pub fn of<'d>(defs: impl Iterator<Item = Option<&'d DefCode>>) -> Costs {
        let defs: Vec<Option<&DefCode>> = defs.collect();
        let calls: Vec<Vec<u32>> = defs
            .iter()
            .map(|d| {
                let mut calls = Vec::new();
                if let Some(code) = d {
                    calls_in(&code.body, &mut calls);
                }
                calls
            })
            .collect();
        let mut costs = Costs {
            bodies: vec![0; defs.len()],
            calls,
        };
        let mut done = vec![false; defs.len()];
        for def in 0..defs.len() {
            costs.count(def, &defs, &mut done);
        }
        costs
    }

    fn count(&mut self, def: usize, defs: &[Option<&DefCode>], done: &mut [bool]) -> u64 {
        if done[def] {
            return self.bodies[def];
        }
        // The checker rejects recursion; a cycle here counts once.
        done[def] = true;
        self.bodies[def] = 1;
        let mut total = 1u64;
        for i in 0..self.calls[def].len() {
            let callee = self.calls[def][i] as usize;
            let b = self.count(callee, defs, done);
            // A definition without parameters is evaluated once per
            // application, however often it is called.
            let once = defs[callee].is_some_and(|c| c.params == 0);
            total = total.saturating_add(if once { 1 } else { b });
        }
        self.bodies[def] = total;
        total
    }

    /// The definitions over [`MAX_BODIES`] whose callees are all under it:
    /// where the growth crosses the limit (those that call them are over it
    /// too, and need no report of their own).
    pub fn runaway(&self) -> Vec<usize> {
        (0..self.bodies.len())
            .filter(|&d| {
                self.bodies[d] > MAX_BODIES
                    && self.calls[d]
                        .iter()
                        .all(|&c| self.bodies[c as usize] <= MAX_BODIES)
            })
            .collect()
    }
}

/// The definitions `expr` calls, once per call written.
fn calls_in(expr: &Expr, out: &mut Vec<u32>) {
    let mut stack = vec![expr];
    while let Some(e) = stack.pop() {
        match e {
            Expr::Const(_) | Expr::Input(_) | Expr::Local(_) => {}
            Expr::Field(a, _)
            | Expr::Not(a)
            | Expr::InConsts(a, _)
            | Expr::Wording(_, a)
            | Expr::Memo(_, a)
            | Expr::Terms(a, _) => stack.push(a),
            Expr::And(a, b)
            | Expr::Or(a, b)
            | Expr::Eq(a, b)
            | Expr::Compare(_, a, b)
            | Expr::Add(a, b)
            | Expr::Sub(a, b)
            | Expr::Concat(a, b)
            | Expr::Append(a, b)
            | Expr::InList(a, b)
            | Expr::InIndexed(_, a, b) => stack.extend([&**a, &**b]),
            Expr::InSet(a, set) => {
                stack.push(a);
                stack.extend(set);
            }
            Expr::Quantifier(_, binders, body) => {
                stack.extend(binders.iter().map(|(_, e)| e));
                stack.push(body);
            }
            Expr::Count(binders, filter) => {
                stack.extend(binders.iter().map(|(_, e)| e));
                stack.extend(filter.as_deref());
            }
            Expr::Comprehension(elem, binders, filter) => {
                stack.push(elem);
                stack.extend(binders.iter().map(|(_, e)| e));
                stack.extend(filter.as_deref());
            }
            Expr::Join(_, join) => stack.push(&join.original),
            Expr::Builtin(_, args) => stack.extend(args),
            Expr::Call(def, args) => {
                out.push(*def);
                stack.extend(args);
            }
        }
    }
}
