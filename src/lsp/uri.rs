//! `file://` URIs and paths. Editors name files by URI, percent-encoded;
//! rule sets are found and read by path.

use std::path::{Path, PathBuf};

/// The path of a `file://` URI; `None` for other schemes.
pub fn to_path(uri: &str) -> Option<PathBuf> {
    let rest = uri.strip_prefix("file://")?;
    // `file:///x` has an empty authority; `file://localhost/x` names this machine.
    let rest = rest.strip_prefix("localhost").unwrap_or(rest);
    if !rest.starts_with('/') {
        return None;
    }
    let bytes = decode(rest)?;
    Some(PathBuf::from(String::from_utf8(bytes).ok()?))
}

/// The `file://` URI of an absolute path.
pub fn from_path(path: &Path) -> String {
    let mut uri = String::from("file://");
    for byte in path.to_string_lossy().bytes() {
        if byte.is_ascii_alphanumeric() || b"/-._~".contains(&byte) {
            uri.push(byte as char);
        } else {
            uri.push_str(&format!("%{byte:02X}"));
        }
    }
    uri
}

fn decode(text: &str) -> Option<Vec<u8>> {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            let hex = text.get(i + 1..i + 3)?;
            out.push(u8::from_str_radix(hex, 16).ok()?);
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_survive_the_round_trip() {
        for path in [
            "/work/rules/provinces/beijing.icp",
            "/tmp/规则 集/a#b%c.icp",
        ] {
            let uri = from_path(Path::new(path));
            assert!(uri.is_ascii(), "{uri}");
            assert_eq!(to_path(&uri), Some(PathBuf::from(path)));
        }
        assert_eq!(
            to_path("file:///tmp/%E8%A7%84%20x.icp"),
            Some(PathBuf::from("/tmp/规 x.icp"))
        );
        assert_eq!(
            to_path("file://localhost/tmp/a.icp"),
            Some(PathBuf::from("/tmp/a.icp"))
        );
        assert_eq!(to_path("untitled:Untitled-1"), None);
        assert_eq!(to_path("file:///bad%zz"), None);
    }
}
