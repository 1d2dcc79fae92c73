//! JSON pointers (RFC 6901): how every message names a place in a spec.

/// RFC 6901 escaping of one pointer segment (`~` → `~0`, `/` → `~1`).
pub fn escape(segment: &str) -> String {
    let mut out = String::with_capacity(segment.len());
    push_escaped(&mut out, segment);
    out
}

/// Appends `segment`, escaped, to `pointer` (the walker's hot path: no
/// allocation when the segment has nothing to escape). The test is two
/// byte searches (memchr, optimized in `core` whatever our profile):
/// `contains(['~', '/'])` decodes each char through unoptimized generic
/// code, and was a quarter of normalizing `api.yaml` (callgrind).
pub fn push_escaped(pointer: &mut String, segment: &str) {
    let bytes = segment.as_bytes();
    if !bytes.contains(&b'~') && !bytes.contains(&b'/') {
        pointer.push_str(segment);
        return;
    }
    for c in segment.chars() {
        match c {
            '~' => pointer.push_str("~0"),
            '/' => pointer.push_str("~1"),
            c => pointer.push(c),
        }
    }
}

/// The inverse of [`escape`].
pub fn unescape(segment: &str) -> String {
    segment.replace("~1", "/").replace("~0", "~")
}

/// A pointer as a URI fragment writes it, percent-decoded (RFC 6901 §6:
/// `#/components/schemas/My%20Schema` names `My Schema`); `None` when a
/// `%` is not followed by two hex digits or the bytes are not UTF-8.
pub fn percent_decoded(fragment: &str) -> Option<String> {
    if !fragment.contains('%') {
        return Some(fragment.to_string());
    }
    let bytes = fragment.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            let hex = fragment.get(i + 1..i + 3)?;
            out.push(u8::from_str_radix(hex, 16).ok()?);
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8(out).ok()
}

/// `pointer` with one more segment.
pub fn join(pointer: &str, segment: &str) -> String {
    format!("{pointer}/{}", escape(segment))
}

/// The pointer of a list of unescaped segments.
pub fn of<S: AsRef<str>>(segments: &[S]) -> String {
    segments
        .iter()
        .map(|s| format!("/{}", escape(s.as_ref())))
        .collect()
}

/// The pointer of the place serde was at when it failed.
pub fn from_serde_path(path: &serde_path_to_error::Path) -> String {
    use serde_path_to_error::Segment;
    let segments: Vec<String> = path
        .iter()
        .filter_map(|segment| match segment {
            Segment::Seq { index } => Some(index.to_string()),
            Segment::Map { key } => Some(key.clone()),
            Segment::Enum { variant } => Some(variant.clone()),
            Segment::Unknown => None,
        })
        .collect();
    of(&segments)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn segments_round_trip_through_escaping() {
        for segment in ["/api/v2/{id}", "a~b", "~1", "plain"] {
            assert_eq!(unescape(&escape(segment)), segment);
        }
        assert_eq!(join("/paths", "/a/{id}"), "/paths/~1a~1{id}");
        assert_eq!(escape("~/~1/é"), "~0~1~01~1é");
        let mut pointer = "/p".to_string();
        push_escaped(&mut pointer, "a/b");
        assert_eq!(pointer, "/pa~1b");
        assert_eq!(
            of(&["components", "schemas", "a/b~"]),
            "/components/schemas/a~1b~0"
        );
    }
}
