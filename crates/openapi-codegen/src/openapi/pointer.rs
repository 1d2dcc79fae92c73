//! JSON pointers (RFC 6901): how every message names a place in a spec.

/// RFC 6901 escaping of one pointer segment (`~` → `~0`, `/` → `~1`).
pub fn escape(segment: &str) -> String {
    segment.replace('~', "~0").replace('/', "~1")
}

/// The inverse of [`escape`].
pub fn unescape(segment: &str) -> String {
    segment.replace("~1", "/").replace("~0", "~")
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
        assert_eq!(
            of(&["components", "schemas", "a/b~"]),
            "/components/schemas/a~1b~0"
        );
    }
}
