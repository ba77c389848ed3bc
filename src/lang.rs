//! The languages of the output: Chinese, the language of the filings, the
//! filers and the administrations, and English. Rule files give their
//! messages, labels and section titles in both (`zh "…" en "…"`); this module
//! holds what the tool itself says around them: how lists, yes and no and a
//! missing value read in each language, and which language to use.
//!
//! Nothing here is about ICP: every label and title lives in the rule files.

use std::fmt;

use unicode_width::UnicodeWidthStr;

/// An output language.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Lang {
    Zh,
    /// The language of rule files written before translations (a `message`
    /// without a language is English), so the default of the library.
    #[default]
    En,
}

impl Lang {
    pub const ALL: [Lang; 2] = [Lang::Zh, Lang::En];

    /// The tag rule files and `--lang` use.
    pub fn code(self) -> &'static str {
        match self {
            Lang::Zh => "zh",
            Lang::En => "en",
        }
    }

    pub fn from_code(code: &str) -> Option<Lang> {
        match code {
            "zh" => Some(Lang::Zh),
            "en" => Some(Lang::En),
            _ => None,
        }
    }

    /// The other language: where a text is missing in this one.
    pub fn other(self) -> Lang {
        match self {
            Lang::Zh => Lang::En,
            Lang::En => Lang::Zh,
        }
    }

    /// The language the locale asks for: `LC_ALL`, else `LANG`; a value
    /// starting with `zh` (`zh_CN.UTF-8`, `zh_TW`) is Chinese, any other
    /// (`C`, `en_US.UTF-8`, unset) English.
    pub fn from_env() -> Lang {
        let var = |name| std::env::var(name).ok().filter(|v| !v.is_empty());
        Lang::from_locale(var("LC_ALL").or_else(|| var("LANG")).as_deref())
    }

    pub fn from_locale(locale: Option<&str>) -> Lang {
        match locale {
            Some(l) if l.starts_with("zh") => Lang::Zh,
            _ => Lang::En,
        }
    }

    /// `zh` or `en`, whichever this is.
    pub fn pick<T>(self, zh: T, en: T) -> T {
        match self {
            Lang::Zh => zh,
            Lang::En => en,
        }
    }

    /// Items joined as the language joins a list: `北京市、上海市、天津市`;
    /// `Beijing, Shanghai and Tianjin`. An empty list reads "none".
    pub fn join(self, items: &[String]) -> String {
        match (self, items) {
            (_, []) => self.pick("无", "none").to_string(),
            (Lang::Zh, _) => items.join("、"),
            (Lang::En, [one]) => one.clone(),
            (Lang::En, [init @ .., last]) => format!("{} and {last}", init.join(", ")),
        }
    }

    pub fn yes_no(self, value: bool) -> &'static str {
        match (self, value) {
            (Lang::Zh, true) => "是",
            (Lang::Zh, false) => "否",
            (Lang::En, true) => "yes",
            (Lang::En, false) => "no",
        }
    }

    /// A value that is null: the application leaves it out.
    pub fn not_given(self) -> &'static str {
        self.pick("未填写", "not given")
    }

    /// A text the application gave, quoted so that an empty one shows.
    pub fn quote(self, text: &str) -> String {
        match self {
            Lang::Zh => format!("“{text}”"),
            Lang::En => format!("{text:?}"),
        }
    }

    /// The pause between a label and its value: `省份：北京市`, `province: Beijing`.
    pub fn colon(self) -> &'static str {
        self.pick("：", ": ")
    }
}

impl serde::Serialize for Lang {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.code())
    }
}

impl fmt::Display for Lang {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}

/// A text given in each language, or in some: a message, a label, a title.
/// Where one language is missing, the other stands in for it (rule files
/// that are not translated yet still say something).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Localized<T> {
    pub zh: Option<T>,
    pub en: Option<T>,
}

impl<T> Localized<T> {
    pub fn new() -> Self {
        Localized { zh: None, en: None }
    }

    pub fn slot(&mut self, lang: Lang) -> &mut Option<T> {
        match lang {
            Lang::Zh => &mut self.zh,
            Lang::En => &mut self.en,
        }
    }

    /// Exactly the text in `lang`, if given.
    pub fn exactly(&self, lang: Lang) -> Option<&T> {
        match lang {
            Lang::Zh => self.zh.as_ref(),
            Lang::En => self.en.as_ref(),
        }
    }

    /// The text in `lang`, or else in the other language.
    pub fn get(&self, lang: Lang) -> Option<&T> {
        self.exactly(lang).or_else(|| self.exactly(lang.other()))
    }

    /// The languages that have no text.
    pub fn missing(&self) -> Vec<Lang> {
        Lang::ALL
            .into_iter()
            .filter(|l| self.exactly(*l).is_none())
            .collect()
    }

    /// The texts given, Chinese first.
    pub fn values(&self) -> impl Iterator<Item = &T> {
        self.zh.iter().chain(&self.en)
    }

    pub fn map<U>(&self, mut f: impl FnMut(&T) -> U) -> Localized<U> {
        Localized {
            zh: self.zh.as_ref().map(&mut f),
            en: self.en.as_ref().map(&mut f),
        }
    }
}

/// Columns a text takes in a terminal: two for each Chinese character
/// (East Asian width), one for most others.
pub fn width(text: &str) -> usize {
    text.width()
}

/// `text` followed by spaces up to `columns` columns (as terminals count
/// them); unchanged when it is wider.
pub fn pad(text: &str, columns: usize) -> String {
    let mut out = text.to_string();
    out.extend(std::iter::repeat_n(
        ' ',
        columns.saturating_sub(width(text)),
    ));
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_locale_picks_chinese_only_for_zh() {
        assert_eq!(Lang::from_locale(Some("zh_CN.UTF-8")), Lang::Zh);
        assert_eq!(Lang::from_locale(Some("zh_TW")), Lang::Zh);
        assert_eq!(Lang::from_locale(Some("en_US.UTF-8")), Lang::En);
        assert_eq!(Lang::from_locale(Some("C")), Lang::En);
        assert_eq!(Lang::from_locale(None), Lang::En);
    }

    #[test]
    fn lists_join_as_each_language_joins_them() {
        let items = |xs: &[&str]| xs.iter().map(|x| x.to_string()).collect::<Vec<_>>();
        assert_eq!(
            Lang::Zh.join(&items(&["北京市", "上海市", "天津市"])),
            "北京市、上海市、天津市"
        );
        assert_eq!(
            Lang::En.join(&items(&["Beijing", "Shanghai", "Tianjin"])),
            "Beijing, Shanghai and Tianjin"
        );
        assert_eq!(
            Lang::En.join(&items(&["Beijing", "Shanghai"])),
            "Beijing and Shanghai"
        );
        assert_eq!(Lang::En.join(&items(&["Beijing"])), "Beijing");
        assert_eq!(Lang::Zh.join(&[]), "无");
        assert_eq!(Lang::En.join(&[]), "none");
    }

    #[test]
    fn a_missing_language_falls_back_to_the_other() {
        let only_en = Localized {
            zh: None,
            en: Some("x"),
        };
        assert_eq!(only_en.get(Lang::Zh), Some(&"x"));
        assert_eq!(only_en.exactly(Lang::Zh), None);
        assert_eq!(only_en.missing(), [Lang::Zh]);
    }

    #[test]
    fn chinese_characters_take_two_columns() {
        assert_eq!(width("营业执照"), 8);
        assert_eq!(width("provided"), 8);
        assert_eq!(pad("已提供", 8), "已提供  ");
        assert_eq!(width(&pad("已提供", 8)), width(&pad("missing", 8)));
    }
}
