//! Go to definition and find references: definitions, records, enums and
//! their values, fields, locals, imported files, cited sections, and rules
//! (the rules that override a national rule are its references).

use crate::check::index::Symbol;
use crate::lsp::snapshot::Snapshot;
use crate::source::{FileId, Span};

/// Where the name at an offset is declared.
pub fn definition(snapshot: &Snapshot, file: FileId, offset: usize) -> Option<Span> {
    let at = snapshot.to_checked(file, offset);
    let (_, symbol) = snapshot.analysis.index.symbol_at(file, at)?;
    let span = snapshot.analysis.index.decls.get(symbol)?;
    Some(snapshot.to_current(*span))
}

/// Every place that names what the name at an offset names, its
/// declaration first when asked for.
pub fn references(
    snapshot: &Snapshot,
    file: FileId,
    offset: usize,
    declaration: bool,
) -> Vec<Span> {
    let at = snapshot.to_checked(file, offset);
    let Some((_, symbol)) = snapshot.analysis.index.symbol_at(file, at) else {
        return Vec::new();
    };
    // Spans compare equal whatever their place (see `Span`): compare places.
    let place = |s: &Span| (s.file, s.start, s.end);
    let declared = snapshot.analysis.index.decls.get(symbol).map(place);
    snapshot
        .analysis
        .index
        .occurrences(symbol)
        .into_iter()
        // A file's "declaration" is its start, not a place that names it.
        .filter(|span| {
            let is_declaration = Some(place(span)) == declared;
            !is_declaration || (declaration && !is_file(symbol))
        })
        .map(|span| snapshot.to_current(span))
        .collect()
}

fn is_file(symbol: &Symbol) -> bool {
    matches!(symbol, Symbol::File(_))
}
