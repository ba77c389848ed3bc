//! The tokens of a rule file by class, for highlighting: read from the same
//! grammar as the parser (the recovering parse, so a broken file is
//! highlighted up to and after its broken pieces), with the comments that
//! the grammar keeps silent.

use pest::Parser;

use super::parse::{IcpParser, Rule};
use crate::source::{FileId, Span};

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TokenClass {
    Keyword,
    String,
    Number,
    Comment,
    Operator,
    /// A name: what it names is for the checker to say.
    Name,
    /// The name of a rule, a rule set or a rule id after `overrides`.
    RuleName,
}

/// The tokens of a text, in order, none overlapping.
pub fn tokens(text: &str, file: FileId) -> Vec<(Span, TokenClass)> {
    let mut out: Vec<(Span, TokenClass)> = Vec::new();
    if let Ok(pairs) = IcpParser::parse(Rule::file, text) {
        for pair in pairs.flatten() {
            let s = pair.as_span();
            let span = Span::new(file, s.start(), s.end());
            let class = match pair.as_rule() {
                Rule::int | Rule::date => TokenClass::Number,
                Rule::string | Rule::template_text | Rule::brace_escape => TokenClass::String,
                // The quotes of a message; its holes are code.
                Rule::template => {
                    out.push((
                        Span::new(file, s.start(), s.start() + 1),
                        TokenClass::String,
                    ));
                    out.push((Span::new(file, s.end() - 1, s.end()), TokenClass::String));
                    continue;
                }
                Rule::ident => TokenClass::Name,
                Rule::rule_name | Rule::rule_ref => TokenClass::RuleName,
                Rule::severity | Rule::uploads_key | Rule::lang => TokenClass::Keyword,
                Rule::eq_op
                | Rule::ne_op
                | Rule::le_op
                | Rule::ge_op
                | Rule::lt_op
                | Rule::gt_op
                | Rule::add_op
                | Rule::sub_op => TokenClass::Operator,
                other if format!("{other:?}").starts_with("kw_") => TokenClass::Keyword,
                _ => continue,
            };
            out.push((span, class));
        }
    }
    for c in crate::fmt::comments(text) {
        out.push((Span::new(file, c.start, c.end), TokenClass::Comment));
    }
    out.sort_by_key(|(s, _)| (s.start, std::cmp::Reverse(s.end)));
    // A `rule_ref` holds two `rule_name`s and a string its inner text: keep
    // the outer token.
    let mut kept: Vec<(Span, TokenClass)> = Vec::with_capacity(out.len());
    for (span, class) in out {
        if kept.last().is_some_and(|(last, _)| span.start < last.end) {
            continue;
        }
        kept.push((span, class));
    }
    kept
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn classes_follow_the_grammar() {
        let text = "// note\nruleset r when n >= 18 {\n  rule a overrides x.y {\n    message \"m {n}\"\n  }\n}\n";
        let classes: Vec<(&str, TokenClass)> = tokens(text, 0)
            .into_iter()
            .map(|(s, c)| (&text[s.range()], c))
            .collect();
        use TokenClass::*;
        assert_eq!(
            classes,
            [
                ("// note", Comment),
                ("ruleset", Keyword),
                ("r", Name),
                ("when", Keyword),
                ("n", Name),
                (">=", Operator),
                ("18", Number),
                ("rule", Keyword),
                ("a", RuleName),
                ("overrides", Keyword),
                ("x.y", RuleName),
                ("message", Keyword),
                ("\"", String),
                ("m ", String),
                ("n", Name),
                ("\"", String),
            ]
        );
    }
}
