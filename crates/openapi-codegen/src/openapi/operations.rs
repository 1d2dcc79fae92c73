//! The operations of a document: each method of each path item.

use serde_json::Value;

use super::pointer::join;

/// The HTTP methods a path item can hold, in OpenAPI 3.0's order.
pub const METHODS: [&str; 8] = [
    "get", "put", "post", "delete", "options", "head", "patch", "trace",
];

/// One operation: its pointer, path, method and operationId.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OperationRef {
    /// `/paths/~1a/get`.
    pub pointer: String,
    /// `/a`.
    pub path: String,
    /// `get`.
    pub method: String,
    /// Empty when the operation has none.
    pub id: String,
}

impl OperationRef {
    /// The pointer of the operation's path item.
    pub fn path_item(&self) -> String {
        join("/paths", &self.path)
    }

    /// Its parameters as `doc` lists them, its path item's first, each
    /// through its `$ref`.
    pub fn parameters<'a>(&self, doc: &'a Value) -> Vec<&'a Value> {
        [self.path_item(), self.pointer.clone()]
            .iter()
            .filter_map(|owner| doc.pointer(&format!("{owner}/parameters"))?.as_array())
            .flatten()
            .map(|parameter| super::resolve::resolve(doc, parameter))
            .collect()
    }
}

/// Every operation of `doc`, by path then method.
pub fn operations(doc: &Value) -> Vec<OperationRef> {
    let mut out = Vec::new();
    let Some(Value::Object(paths)) = doc.get("paths") else {
        return out;
    };
    for (path, item) in paths {
        let Value::Object(item) = item else { continue };
        for method in METHODS {
            if let Some(operation) = item.get(method) {
                out.push(OperationRef {
                    pointer: format!("{}/{method}", join("/paths", path)),
                    path: path.clone(),
                    method: method.to_string(),
                    id: operation
                        .get("operationId")
                        .and_then(Value::as_str)
                        .unwrap_or_default()
                        .to_string(),
                });
            }
        }
    }
    out
}

/// The names of `path`'s template expressions, in order: `/a/{b}/c.{d}` →
/// `["b", "d"]` (an unclosed `{` starts none).
pub fn template_names(path: &str) -> Vec<&str> {
    let mut names = Vec::new();
    let mut rest = path;
    while let Some((_, after)) = rest.split_once('{') {
        let Some((name, tail)) = after.split_once('}') else {
            break;
        };
        names.push(name);
        rest = tail;
    }
    names
}

/// `path` with its template expressions' names left out (`/a/{b}` →
/// `/a/{}`): paths that differ only in those names are one endpoint.
pub fn template_shape(path: &str) -> String {
    let mut shape = String::with_capacity(path.len());
    let mut rest = path;
    while let Some((before, after)) = rest.split_once('{') {
        let Some((_, tail)) = after.split_once('}') else {
            break;
        };
        shape.push_str(before);
        shape.push_str("{}");
        rest = tail;
    }
    shape.push_str(rest);
    shape
}

/// Removes the operation at `op`, and its path item when no operation is left.
pub fn remove(doc: &mut Value, op: &OperationRef) {
    if let Some(Value::Object(item)) = doc.pointer_mut(&op.path_item()) {
        item.remove(&op.method);
        let has_operation = METHODS.iter().any(|m| item.contains_key(*m));
        if !has_operation && let Some(Value::Object(paths)) = doc.get_mut("paths") {
            paths.remove(&op.path);
        }
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn operations_are_listed_and_removed_with_empty_path_items() {
        let mut doc = json!({"paths": {"/a/{id}": {
            "parameters": [], "get": {"operationId": "getA"}, "x-other": {}
        }}});
        let found = operations(&doc);
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].pointer, "/paths/~1a~1{id}/get");
        assert_eq!(found[0].id, "getA");
        remove(&mut doc, &found[0]);
        assert_eq!(doc, json!({"paths": {}}));
    }

    #[test]
    fn a_path_template_names_its_expressions() {
        assert_eq!(template_names("/a/{b}/c.{d}"), ["b", "d"]);
        assert_eq!(template_names("/{a}{b}"), ["a", "b"]);
        assert!(template_names("/a/b").is_empty());
        assert_eq!(template_names("/a/{b}/{c"), ["b"]);
        assert_eq!(template_shape("/a/{b}/c.{d}"), "/a/{}/c.{}");
        assert_eq!(template_shape("/a/{b}/{c"), "/a/{}/{c");
        assert_eq!(template_shape("/a"), "/a");
    }
}
