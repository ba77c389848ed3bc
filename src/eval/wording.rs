//! Wording: what a text says, apart from how it is typed. The functions that
//! ask whether a text says something (`contains`, `starts_with`,
//! `ends_with`, `same_wording`) compare the wording of both sides; `==` and
//! the functions that take text apart compare characters exactly.
//!
//! The wording of a text is the text
//!
//! 1. in Unicode NFKC, so that full-width and half-width forms are one
//!    (`（集团）` and `(集团)`, `，` and `,`, `ＡＢＣ` and `ABC`);
//! 2. with the Chinese marks that NFKC keeps mapped to their ASCII
//!    counterparts (`。` `、` `“` `”` `‘` `’`), and the dots that separate
//!    the parts of a name (`•` `・` `‧` `∙` `⋅`) mapped to the middle dot `·`
//!    of Chinese identity documents;
//! 3. in lower case;
//! 4. with each run of white space made one space, and no space at all next
//!    to a punctuation mark or a Chinese, Japanese or Korean character,
//!    which are written without spaces (`XX' s blog` is `xx's blog`);
//! 5. without white space and sentence punctuation (`.` `,` `;` `:` `!` `?`)
//!    at its end: a final `。` does not change what a remark says.
//!
//! A space at the start is kept (before a word), so that a rule can ask for
//! a word that starts somewhere (`contains(" " + name, " pawn")` finds
//! `Pawnshop`, not `Spawn`); `starts_with` and `same_wording` leave it out.

use unicode_normalization::UnicodeNormalization;

/// The wording of `text` (see the module's documentation).
pub fn wording(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    // ASCII needs no normalization: the common case costs no NFKC pass.
    if text.is_ascii() {
        push_wording(&mut out, text.chars());
    } else {
        push_wording(&mut out, text.nfkc());
    }
    let end = out
        .trim_end_matches(|c: char| c.is_whitespace() || ".,;:!?".contains(c))
        .len();
    out.truncate(end);
    out
}

fn push_wording(out: &mut String, chars: impl Iterator<Item = char>) {
    // The last character written, and whether spaces came after it.
    let mut last: Option<char> = None;
    let mut spaces = false;
    for c in chars {
        if c.is_whitespace() {
            spaces = true;
            continue;
        }
        let c = match c {
            '。' => '.',
            '、' => ',',
            '“' | '”' => '"',
            '‘' | '’' => '\'',
            // The dot between the parts of a transliterated or an ethnic
            // minority name (`阿卜杜·热合曼`), as input methods and
            // registrars variously type it.
            '•' | '・' | '‧' | '∙' | '⋅' => '·',
            c => c,
        };
        // At the start of the text, a space before a word is kept:
        // `contains(" " + name, " pawn")` asks for a word that starts there.
        if spaces && last.is_none_or(spaced) && spaced(c) {
            out.push(' ');
        }
        spaces = false;
        for lower in c.to_lowercase() {
            out.push(lower);
            last = Some(lower);
        }
    }
}

/// Whether a space next to `c` separates words: not next to punctuation,
/// and not in scripts written without spaces.
fn spaced(c: char) -> bool {
    c.is_alphanumeric() && !unspaced_script(c)
}

/// Chinese, Japanese and Korean characters.
fn unspaced_script(c: char) -> bool {
    matches!(c as u32,
        0x3040..=0x30FF      // hiragana, katakana
        | 0x3400..=0x4DBF    // CJK extension A
        | 0x4E00..=0x9FFF    // CJK unified ideographs
        | 0xAC00..=0xD7AF    // hangul syllables
        | 0xF900..=0xFAFF    // CJK compatibility ideographs
        | 0x20000..=0x3FFFF) // CJK extensions B and later
}

pub fn contains(text: &str, part: &str) -> bool {
    worded::contains(&wording(text), &wording(part))
}

pub fn starts_with(text: &str, prefix: &str) -> bool {
    worded::starts_with(&wording(text), &wording(prefix))
}

pub fn ends_with(text: &str, suffix: &str) -> bool {
    worded::ends_with(&wording(text), &wording(suffix))
}

/// `word` is a whole word of `text`, comparing wording: neither character
/// next to it is a letter or digit of a script written with spaces between
/// words. Chinese, Japanese and Korean characters are no part of such a word,
/// as those scripts have no spaces between words, so `p2p` is a word of
/// `P2P网贷`; to find a Chinese word, use `contains`. The empty word is in no
/// text.
pub fn contains_word(text: &str, word: &str) -> bool {
    worded::contains_word(&wording(text), &wording(word))
}

pub fn same_wording(a: &str, b: &str) -> bool {
    // Names compared this way are equal almost always: no need to read them.
    a == b || worded::same_wording(&wording(a), &wording(b))
}

/// The same functions on wordings (texts that [`wording`] returned): what
/// the evaluator calls, as the checker makes the builtins' arguments
/// wordings.
pub mod worded {
    use super::spaced;
    use crate::check::program::{TermMatch, Terms};

    pub fn contains(text: &str, part: &str) -> bool {
        find(text, 0, part).is_some()
    }

    /// Where `part` is in `text` at or after `from`. Rules look for short
    /// terms in short names, dozens of them per name: setting up the
    /// standard library's two-way search costs more than a plain scan
    /// there, which is linear in the text for a term of bounded length.
    fn find(text: &str, from: usize, part: &str) -> Option<usize> {
        const SHORT: usize = 32;
        let (hay, needle) = (&text.as_bytes()[from..], part.as_bytes());
        let Some((&first, rest)) = needle.split_first() else {
            return Some(from);
        };
        if needle.len() > SHORT {
            return text[from..].find(part).map(|at| from + at);
        }
        let last = hay.len().checked_sub(needle.len())?;
        // A match of a whole UTF-8 text starts at a character boundary.
        (0..=last)
            .find(|&i| hay[i] == first && &hay[i + 1..i + needle.len()] == rest)
            .map(|at| from + at)
    }

    pub fn starts_with(text: &str, prefix: &str) -> bool {
        text.trim_start().starts_with(prefix.trim_start())
    }

    pub fn ends_with(text: &str, suffix: &str) -> bool {
        text.ends_with(suffix)
    }

    pub fn contains_word(text: &str, word: &str) -> bool {
        let word = word.trim_start();
        if word.is_empty() {
            return false;
        }
        let mut from = 0;
        // Every occurrence, overlapping ones too: one that is not a whole word
        // may hide, by overlapping it, one that is.
        while let Some(at) = find(text, from, word) {
            let before = text[..at].chars().next_back();
            let after = text[at + word.len()..].chars().next();
            if !before.is_some_and(spaced) && !after.is_some_and(spaced) {
                return true;
            }
            from = at + text[at..].chars().next().map_or(1, char::len_utf8);
        }
        false
    }

    pub fn same_wording(a: &str, b: &str) -> bool {
        a.trim_start() == b.trim_start()
    }

    /// Whether `text` contains one of the terms, as [`contains`] or
    /// [`contains_word`] (by the term's kind) would find it: one pass over
    /// the text for every term.
    pub fn any_term(text: &str, terms: &Terms) -> bool {
        // The empty text is in every text; the empty word in none.
        if terms.matches_every_text {
            return true;
        }
        terms.automaton.find_overlapping_iter(text).any(|found| {
            let (how, term) = &terms.terms[found.pattern().as_usize()];
            match how {
                TermMatch::Contains => true,
                // The empty word, found between any two bytes, is no word.
                TermMatch::Word if term.is_empty() => false,
                TermMatch::Word => {
                    let before = text[..found.start()].chars().next_back();
                    let after = text[found.end()..].chars().next();
                    !before.is_some_and(spaced) && !after.is_some_and(spaced)
                }
            }
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn width_is_not_wording() {
        assert_eq!(
            wording("阿里巴巴（集团）有限公司"),
            wording("阿里巴巴(集团)有限公司")
        );
        assert_eq!(wording("ＡＢＣ１２３"), "abc123");
        assert!(same_wording("用于分享，上线后", "用于分享,上线后"));
    }

    #[test]
    fn the_dot_in_a_name_is_one_dot_however_typed() {
        for typed in [
            "阿卜杜•热合曼",
            "阿卜杜・热合曼",
            "阿卜杜･热合曼",
            "阿卜杜‧热合曼",
        ] {
            assert!(same_wording(typed, "阿卜杜·热合曼"), "{typed}");
        }
        assert!(
            !same_wording("阿卜杜.热合曼", "阿卜杜·热合曼"),
            "a full stop is no name dot"
        );
    }

    #[test]
    fn a_final_full_stop_is_not_wording() {
        assert_eq!(wording("多个域名指向同一网站。"), "多个域名指向同一网站");
        assert_eq!(
            wording("The domain names direct to the same website."),
            "the domain names direct to the same website"
        );
        assert!(ends_with("张三的博客。", "的博客"));
    }

    #[test]
    fn spaces_separate_words_only_where_words_are_spaced() {
        assert_eq!(wording("XX' s blog"), "xx's blog");
        assert_eq!(wording("XX’s   blog"), "xx's blog");
        assert_eq!(
            wording("本网站为个人网站， 用于 分享"),
            "本网站为个人网站,用于分享"
        );
        assert_eq!(wording("main  content"), "main content");
        assert!(!contains("maincontent", "main content"), "words stay apart");
    }

    #[test]
    fn a_space_at_an_end_marks_where_a_word_starts() {
        assert!(contains(" Pawnshop Co.", " pawn"));
        assert!(!contains(" Dalian Spawn Games", " pawn"));
        assert!(starts_with(
            "  This website is a personal website",
            "this website"
        ));
        assert!(ends_with("Zhang's blog \n", "'s blog"));
        assert!(same_wording(" Alibaba Ltd", "Alibaba Ltd "));
    }

    #[test]
    fn whole_words() {
        assert!(contains_word(
            "Lanshan Wealth  Management Co.",
            "wealth management"
        ));
        assert!(contains_word("天府P2P网贷", "p2p"));
        assert!(contains_word("Ｐ２Ｐ Lending", "p2p"));
        assert!(contains_word("(Pawn) Co.", "pawn"));
        assert!(!contains_word("Dalian Spawn Games", "pawn"));
        assert!(!contains_word("Pawnshop", "pawn"));
        assert!(contains_word("yx x x", "x x"));
        assert!(!contains_word("anything", ""));
    }

    #[test]
    fn terms_in_one_pass_find_what_each_finds() {
        use crate::check::program::{TermMatch, Terms};
        let texts = [
            "Lanshan Wealth  Management Co.",
            "天府P2P网贷",
            "Dalian Spawn Games",
            "Pawnshop",
            "(Pawn) Co.",
            "yx x x",
            "",
            "loans",
            "Sloane",
        ];
        let terms = [
            (TermMatch::Word, "wealth management"),
            (TermMatch::Word, "pawn"),
            (TermMatch::Word, " loan"),
            (TermMatch::Word, "loans"),
            (TermMatch::Word, "x x"),
            (TermMatch::Word, ""),
            (TermMatch::Contains, "网贷"),
            (TermMatch::Contains, "spawn"),
        ];
        for text in texts {
            let text = wording(text);
            for n in 1..=terms.len() {
                for start in 0..=terms.len() - n {
                    let some = &terms[start..start + n];
                    let each = some.iter().any(|(how, t)| {
                        let t = wording(t);
                        match how {
                            TermMatch::Contains => worded::contains(&text, &t),
                            TermMatch::Word => worded::contains_word(&text, &t),
                        }
                    });
                    let set =
                        Terms::new(some.iter().map(|(h, t)| (*h, wording(t).into())).collect());
                    assert_eq!(worded::any_term(&text, &set), each, "{text:?} {some:?}");
                }
            }
        }
    }

    #[test]
    fn other_words_are_other_wording() {
        assert!(!same_wording(
            "阿里巴巴（集团）有限公司",
            "阿里巴巴集团有限公司"
        ));
        assert!(!contains("多个域名指向不同网站", "域名指向同一网站"));
        assert!(!starts_with("本站为企业网站", "本网站为个人网站"));
    }
}
