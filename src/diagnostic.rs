//! The diagnostic every stage reports: a message, where it is, and how to fix it.
//!
//! Each stage has its own error enum (`syntax::SyntaxError`,
//! `check::CheckError`) that says what went wrong; both become a
//! [`Diagnostic`], which miette renders over the whole file.

use std::fmt;
use std::sync::Arc;

use crate::source::{Sources, Span, char_boundary, line_column};
use crate::terminal::{escaped, unsafe_char};

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Level {
    Warning,
    Error,
}

#[derive(Clone, Debug)]
pub struct Diagnostic {
    pub level: Level,
    /// A stable, kebab-case name (`unknown-field`, `unused-definition`).
    pub code: &'static str,
    pub message: String,
    pub span: Span,
    pub label: String,
    pub help: Option<String>,
    /// Other places that explain it, each with what to say there (in the
    /// same file: the text shows one file).
    pub related: Vec<(Span, String)>,
}

impl Diagnostic {
    pub fn error(
        code: &'static str,
        message: String,
        span: Span,
        label: impl Into<String>,
    ) -> Self {
        Diagnostic {
            level: Level::Error,
            code,
            message,
            span,
            label: label.into(),
            help: None,
            related: Vec::new(),
        }
    }

    pub fn warning(
        code: &'static str,
        message: String,
        span: Span,
        label: impl Into<String>,
    ) -> Self {
        Diagnostic {
            level: Level::Warning,
            ..Diagnostic::error(code, message, span, label)
        }
    }

    pub fn with_help(mut self, help: Option<String>) -> Self {
        self.help = help;
        self
    }

    /// Adds a place that explains the diagnostic.
    pub fn with_related(mut self, span: Span, label: impl Into<String>) -> Self {
        self.related.push((span, label.into()));
        self
    }

    /// Attaches the file text so that miette can render it. Where the lines
    /// around the span are too long to show (a minified JSON file, a huge
    /// generated line), the report names the place instead of quoting it.
    pub fn report(&self, sources: &Sources) -> Report {
        let file = sources.file(self.span.file);
        // What the input says reaches a terminal escaped (crate::terminal).
        let mut diagnostic = self.clone();
        diagnostic.message = escaped(&diagnostic.message).into_owned();
        diagnostic.label = escaped(&diagnostic.label).into_owned();
        diagnostic.help = diagnostic.help.map(|h| escaped(&h).into_owned());
        for (_, label) in &mut diagnostic.related {
            *label = escaped(label).into_owned();
        }
        let (shown, location) = match lines_around(&file.text, self.span) {
            Some(_) => (
                Some(Shown {
                    name: escaped(&sources.shown_path(self.span.file)).into_owned(),
                    text: file.text.clone(),
                }),
                None,
            ),
            None => {
                let (line, column) = line_column(&file.text, self.span.start as usize);
                let path = sources.shown_path(self.span.file);
                let path = escaped(&path);
                (None, Some(format!("{path}:{line}:{column}")))
            }
        };
        Report {
            diagnostic,
            source: shown,
            location,
        }
    }
}

/// Lines longer than this are not quoted: miette prints lines whole, and an
/// error is to fit on a screen.
const MAX_QUOTED_LINE: usize = 300;

/// The text of the lines miette shows for `span` (one before, the span's,
/// one after), if none is too long to quote or holds a character a terminal
/// must not get as it is (crate::terminal): those are named, not quoted.
fn lines_around(text: &str, span: Span) -> Option<&str> {
    let start = char_boundary(text, span.start as usize);
    let end = char_boundary(text, (span.end as usize).max(start));
    let mut from = text[..start].rfind('\n').unwrap_or(0);
    from = text[..from].rfind('\n').map_or(0, |i| i + 1);
    let mut to = text[end..].find('\n').map_or(text.len(), |i| end + i + 1);
    to = text[to..].find('\n').map_or(text.len(), |i| to + i);
    let shown = &text[from..to];
    shown
        .split('\n')
        .all(|line| line.len() <= MAX_QUOTED_LINE && quotable(line))
        .then_some(shown)
}

/// Whether a line can be quoted to a terminal: a tab and the `\r` of a
/// Windows line end can, no other control character can.
fn quotable(line: &str) -> bool {
    let line = line.strip_suffix('\r').unwrap_or(line);
    line.chars().all(|c| c == '\t' || !unsafe_char(c))
}

/// A file as miette shows it, with the column of the place it names (in
/// `[path:line:column]`) counted in characters, as the JSON output counts
/// it, where miette counts bytes.
#[derive(Debug)]
struct Shown {
    name: String,
    text: Arc<str>,
}

impl miette::SourceCode for Shown {
    fn read_span<'a>(
        &'a self,
        span: &miette::SourceSpan,
        context_lines_before: usize,
        context_lines_after: usize,
    ) -> Result<Box<dyn miette::SpanContents<'a> + 'a>, miette::MietteError> {
        let text: &'a str = &self.text;
        let contents = text.read_span(span, context_lines_before, context_lines_after)?;
        // miette reads the place it names with no lines of context.
        let column = if context_lines_before == 0 {
            let (line, column) = line_column(text, span.offset());
            // Nor does an editor count a byte order mark.
            let bom = line == 1 && text.starts_with('\u{feff}') && span.offset() > 0;
            column - 1 - usize::from(bom)
        } else {
            contents.column()
        };
        Ok(Box::new(miette::MietteSpanContents::new_named(
            self.name.clone(),
            contents.data(),
            *contents.span(),
            contents.line(),
            column,
            contents.line_count(),
        )))
    }
}

/// A diagnostic with its source text, ready for miette.
#[derive(Debug)]
pub struct Report {
    diagnostic: Diagnostic,
    /// `None` when the lines are too long to quote.
    source: Option<Shown>,
    /// `path:line:column`, said in the message when the source is not quoted.
    location: Option<String>,
}

impl fmt::Display for Report {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.diagnostic.message)?;
        if let Some(location) = &self.location {
            write!(f, " (at {location})")?;
        }
        Ok(())
    }
}

impl std::error::Error for Report {}

impl miette::Diagnostic for Report {
    fn code<'a>(&'a self) -> Option<Box<dyn fmt::Display + 'a>> {
        Some(Box::new(self.diagnostic.code))
    }

    fn severity(&self) -> Option<miette::Severity> {
        Some(match self.diagnostic.level {
            Level::Error => miette::Severity::Error,
            Level::Warning => miette::Severity::Warning,
        })
    }

    fn help<'a>(&'a self) -> Option<Box<dyn fmt::Display + 'a>> {
        self.diagnostic
            .help
            .as_ref()
            .map(|h| Box::new(h) as Box<dyn fmt::Display>)
    }

    fn source_code(&self) -> Option<&dyn miette::SourceCode> {
        self.source.as_ref().map(|s| s as &dyn miette::SourceCode)
    }

    fn labels(&self) -> Option<Box<dyn Iterator<Item = miette::LabeledSpan> + '_>> {
        self.source.as_ref()?;
        let label = miette::LabeledSpan::new_primary_with_span(
            Some(self.diagnostic.label.clone()),
            self.diagnostic.span,
        );
        let related = self
            .diagnostic
            .related
            .iter()
            .filter(|(span, _)| span.file == self.diagnostic.span.file)
            .map(|(span, label)| miette::LabeledSpan::new_with_span(Some(label.clone()), *span));
        Some(Box::new(std::iter::once(label).chain(related)))
    }
}

/// Renders diagnostics as plain text (no colour), as the tests and
/// `--color never` show them.
pub fn render_plain(diagnostics: &[Diagnostic], sources: &Sources) -> String {
    render(diagnostics, sources, false)
}

/// Renders diagnostics, in colour for a terminal.
pub fn render(diagnostics: &[Diagnostic], sources: &Sources, colour: bool) -> String {
    let theme = if colour {
        miette::GraphicalTheme::unicode()
    } else {
        miette::GraphicalTheme::unicode_nocolor()
    };
    let handler = miette::GraphicalReportHandler::new_themed(theme).with_width(100);
    let mut out = String::new();
    for d in diagnostics {
        let report = d.report(sources);
        let mut rendered = String::new();
        // Writing to a String cannot fail, so an error is miette's refusal of
        // a span; the message is still worth showing.
        match handler.render_report(&mut rendered, &report) {
            Ok(()) => out.push_str(&rendered),
            Err(_) => out.push_str(&format!("{}: {report}\n", d.code)),
        }
    }
    out
}

/// "did you mean `x`?" for the closest candidate within a small edit distance.
pub fn did_you_mean<'a>(
    name: &str,
    candidates: impl IntoIterator<Item = &'a str>,
) -> Option<String> {
    closest(name, candidates).map(|c| format!("did you mean `{c}`?"))
}

/// The name a help from [`did_you_mean`] suggests.
pub fn suggestion(help: &str) -> Option<&str> {
    help.strip_prefix("did you mean `")?.strip_suffix("`?")
}

pub fn closest<'a>(name: &str, candidates: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    let chars = name.chars().count();
    let limit = (chars / 3).max(1) + 1;
    candidates
        .into_iter()
        // Names this far apart in length are no typo of each other; skipping
        // them keeps a 100 MB name from costing 100 MB x candidates steps.
        .filter(|c| c.chars().count().abs_diff(chars) <= limit)
        .map(|c| (edit_distance(name, c), c))
        .filter(|(d, _)| *d <= limit)
        .min_by_key(|(d, _)| *d)
        .map(|(_, c)| c)
}

/// Levenshtein distance, by characters.
fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut diagonal = row[0];
        row[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let above = row[j + 1];
            row[j + 1] = if ca == *cb {
                diagonal
            } else {
                1 + diagonal.min(above).min(row[j])
            };
            diagonal = above;
        }
    }
    row[b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn suggests_the_closest_name() {
        assert_eq!(closest("provnce", ["province", "action"]), Some("province"));
        assert_eq!(closest("zzz", ["province", "action"]), None);
        assert_eq!(edit_distance("kitten", "sitting"), 3);
        let help = did_you_mean("provnce", ["province"]).expect("close");
        assert_eq!(suggestion(&help), Some("province"));
    }
}
