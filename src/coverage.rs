//! The coverage table (`docs/coverage.md`): every bullet of the regulations
//! with the rules that implement it, or why none does. `icprules sources
//! --check` compares it with the rules; the language server shows, over a
//! rule's `source`, the bullets mapped to that rule.
//!
//! Its rows are `| SECTION | BULLET | IMPLEMENTED BY |`, where the last cell
//! lists rule ids in backticks, or gives a reason in words.

/// One row of a coverage table.
pub struct Row<'t> {
    /// 1-based.
    pub line: usize,
    pub section: &'t str,
    /// What the regulations say, as the table quotes it.
    pub bullet: &'t str,
    /// The rule ids it lists; none when it gives a reason instead.
    pub ids: Vec<&'t str>,
}

/// The data rows of the Markdown tables in `text` (header and separator rows
/// are skipped: their first cell is not a section number).
pub fn rows(text: &str) -> Vec<Row<'_>> {
    let mut rows = Vec::new();
    for (i, line) in text.lines().enumerate() {
        let line_text = line.trim();
        if !line_text.starts_with('|') {
            continue;
        }
        let cells: Vec<&str> = line_text
            .trim_matches('|')
            .split('|')
            .map(str::trim)
            .collect();
        let Some(section) = cells.first() else {
            continue;
        };
        if !section.starts_with(|c: char| c.is_ascii_digit()) || cells.len() < 3 {
            continue;
        }
        // Ids are listed first; a reason in words may quote field names.
        let last = cells[cells.len() - 1];
        let listed = if last.starts_with('`') { last } else { "" };
        let ids = listed
            .split('`')
            .skip(1)
            .step_by(2)
            .filter(|id| id.contains('.') && !id.contains(' '))
            .collect();
        rows.push(Row {
            line: i + 1,
            section,
            bullet: cells[1],
            ids,
        });
    }
    rows
}
