//! Parameters passed as wordings: a definition whose text parameter is only
//! compared by wording (`contains`, `contains_word`, ...), or only passed on
//! to such parameters, takes the parameter's wording instead of the text,
//! so that the text is normalised once where the definition is called, not
//! once for each comparison inside it. `names_financial_activity(name)`
//! compares the name with dozens of terms, through `names_word(name, term)`:
//! its callers now normalise the name once.

use super::program::{Expr, Program};
use crate::value::Val;

/// Rewrites definitions and their calls; see the module's documentation.
pub fn pass_wordings(program: &mut Program) {
    let mut bodies: Vec<Expr> = program.defs.iter().map(|d| d.body.clone()).collect();
    let params: Vec<usize> = program.defs.iter().map(|d| d.params).collect();
    // Greatest fixpoint: every parameter is a wording until a use says not.
    let mut only: Vec<Vec<bool>> = params.iter().map(|n| vec![true; *n]).collect();
    loop {
        let mut changed = false;
        for (d, body) in bodies.iter_mut().enumerate() {
            let mut ok = vec![true; params[d]];
            let mut used = vec![false; params[d]];
            uses(body, &only, &mut ok, &mut used);
            for p in 0..params[d] {
                if only[d][p] && !(ok[p] && used[p]) {
                    only[d][p] = false;
                    changed = true;
                }
            }
        }
        if !changed {
            break;
        }
    }
    if only.iter().all(|params| !params.contains(&true)) {
        return;
    }
    for d in 0..program.defs.len() {
        let mine = only[d].clone();
        rewrite(&mut program.defs[d].body, &mine, &only);
    }
    for scope in &mut program.scopes {
        if let Some(cond) = &mut scope.cond {
            rewrite(cond, &[], &only);
        }
    }
    for rule in program.rules.iter_mut().chain(&mut program.invariants) {
        rule.exprs_mut(&mut |e| rewrite(e, &[], &only));
    }
}

/// Marks the parameters (the first slots) that `expr` uses other than as a
/// wording (`ok` false) and those it uses at all.
fn uses(expr: &mut Expr, only: &[Vec<bool>], ok: &mut [bool], used: &mut [bool]) {
    match expr {
        Expr::Wording(_, inner) => {
            if let Expr::Local(p) = **inner
                && (p as usize) < ok.len()
            {
                used[p as usize] = true;
                return;
            }
            uses(inner, only, ok, used);
        }
        Expr::Call(callee, args) => {
            for (i, arg) in args.iter_mut().enumerate() {
                if let Expr::Local(p) = arg
                    && (*p as usize) < ok.len()
                    && only[*callee as usize].get(i) == Some(&true)
                {
                    used[*p as usize] = true;
                    continue;
                }
                uses(arg, only, ok, used);
            }
        }
        Expr::Local(p) => {
            if let Some(ok) = ok.get_mut(*p as usize) {
                *ok = false;
            }
        }
        // Only read (on a copy of the bodies).
        other => other.children_mut(&mut |child| uses(child, only, ok, used)),
    }
}

/// Makes the uses of the wording parameters `mine` plain locals and the
/// arguments of wording parameters wordings.
fn rewrite(expr: &mut Expr, mine: &[bool], only: &[Vec<bool>]) {
    match expr {
        Expr::Wording(_, inner) => {
            if let Expr::Local(p) = **inner
                && mine.get(p as usize) == Some(&true)
            {
                *expr = Expr::Local(p);
                return;
            }
            rewrite(inner, mine, only);
        }
        Expr::Call(callee, args) => {
            let callee = *callee as usize;
            for (i, arg) in args.iter_mut().enumerate() {
                if only[callee].get(i) != Some(&true) {
                    rewrite(arg, mine, only);
                    continue;
                }
                match arg {
                    // Already a wording.
                    Expr::Local(p) if mine.get(*p as usize) == Some(&true) => {}
                    Expr::Const(Val::Text(t)) => {
                        *arg = Expr::Const(Val::Text(crate::eval::wording::wording(t).into()));
                    }
                    _ => {
                        rewrite(arg, mine, only);
                        let text = std::mem::replace(arg, Expr::Const(Val::Null));
                        *arg = Expr::Wording(0, Box::new(text));
                    }
                }
            }
        }
        other => other.children_mut(&mut |child| rewrite(child, mine, only)),
    }
}
