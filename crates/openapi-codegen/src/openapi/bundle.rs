//! Specs written as several files: a `$ref` to another file
//! (`../models/Agent.json`, `schemas.yaml#/Wallet`) is brought into the one
//! document progenitor takes, as bundlers (`redocly bundle`) do. A schema
//! becomes a component schema named after what it is (`Agent` from its file
//! name, `Wallet` from the pointer's last segment) and the reference points
//! at it; anything else (a path item, a parameter, a response) is written in
//! place. References inside a referenced file, local ones (`#/...`)
//! included, are read against that file. Files are read once; a schema
//! referred to twice is one component.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde_json::{Map, Value};

use super::pointer::{join, unescape};
use super::resolve::{is_schema_name, schema_ref};
use super::walk::{self, Position};

/// How deep references that are written in place may nest (a path item
/// file that refers to itself would never end).
const MAX_DEPTH: usize = 32;

/// A problem: the pointer of the `$ref` in the root document (or `""`), and
/// what went wrong, naming the file it is in when that is not the root.
pub type Problem = (String, String);

/// Whether `doc` refers to another file anywhere.
pub fn has_external_refs(doc: &Value) -> bool {
    let References { found, mapped } = references(doc, Position::Object, true);
    !found.is_empty() || !mapped.is_empty()
}

/// The references under a value that another file must resolve: to other
/// files, and (in a file other than the root) local ones too.
struct References {
    /// (the referring object's pointer, its position, the reference): a
    /// keyword object's `$ref`, or a map of names given as a reference.
    found: Vec<(String, Position, String)>,
    /// A discriminator's mapping values that refer to schemas: (the
    /// schema's pointer, the mapping key, the reference).
    mapped: Vec<(String, String, String)>,
}

fn references(value: &Value, position: Position, in_root: bool) -> References {
    let mut found: Vec<(String, Position, String)> = Vec::new();
    let mut mapped: Vec<(String, String, String)> = Vec::new();
    walk::visit(value, "", position, &mut |node, map| {
        if let Some(Value::String(r)) = map.get("$ref")
            && (!r.starts_with('#') || !in_root)
        {
            found.push((node.pointer.to_string(), node.position, r.clone()));
        }
        // A map of names given as a reference (DigitalOcean's
        // `properties: {$ref: attributes.yml#/load_balancer_droplet_ids}`,
        // which JSON Reference lets any object be): written in place.
        for (key, child) in map {
            let place = walk::child(node.position, key);
            if matches!(place, Position::Names(_))
                && let Some(Value::String(r)) = child.get("$ref")
                && (!r.starts_with('#') || !in_root)
            {
                found.push((join(node.pointer, key), place, r.clone()));
            }
        }
        if node.position == Position::Schema
            && let Some(Value::Object(mapping)) =
                map.get("discriminator").and_then(|d| d.get("mapping"))
        {
            for (key, r) in mapping {
                if let Some(r) = r.as_str()
                    && !is_schema_name(r)
                    && (!r.starts_with('#') || !in_root)
                {
                    mapped.push((node.pointer.to_string(), key.clone(), r.to_string()));
                }
            }
        }
    });
    References { found, mapped }
}

/// Brings every file `doc` (read from `root`) refers to into it. Returns the
/// files read, with their text, for the document's hash.
pub fn bundle(doc: &mut Value, root: &Path) -> Result<Vec<(PathBuf, String)>, Problem> {
    bundle_with(doc, root, &mut |path| {
        std::fs::read_to_string(path).map_err(|e| e.to_string())
    })
}

/// A file's text by its path, or why it cannot be read.
pub type Reader<'a> = dyn FnMut(&Path) -> Result<String, String> + 'a;

/// [`bundle`], reading each file with `read` (`cargo xtask diff --base`
/// reads them from a git revision).
pub fn bundle_with(
    doc: &mut Value,
    root: &Path,
    read: &mut Reader<'_>,
) -> Result<Vec<(PathBuf, String)>, Problem> {
    let root = canonical(root);
    let mut bundler = Bundler {
        read,
        root: root.clone(),
        files: BTreeMap::new(),
        texts: Vec::new(),
        components: BTreeMap::new(),
        taken: doc
            .pointer("/components/schemas")
            .and_then(Value::as_object)
            .map(|s| s.keys().cloned().collect())
            .unwrap_or_default(),
        added: Vec::new(),
    };
    bundler.components_in_files(doc)?;
    bundler.bundle(doc, Position::Object, &root, 0)?;
    if !bundler.added.is_empty() {
        let object = doc
            .as_object_mut()
            .expect("an OpenAPI document is a mapping");
        let components = object
            .entry("components")
            .or_insert_with(|| Value::Object(Map::new()));
        if let Value::Object(components) = components {
            let schemas = components
                .entry("schemas")
                .or_insert_with(|| Value::Object(Map::new()));
            if let Value::Object(schemas) = schemas {
                schemas.extend(bundler.added);
            }
        }
    }
    Ok(bundler.texts)
}

struct Bundler<'r, 'a> {
    read: &'r mut Reader<'a>,
    /// The root document's path: references into it stay local.
    root: PathBuf,
    /// Each file read, as JSON.
    files: BTreeMap<PathBuf, Value>,
    texts: Vec<(PathBuf, String)>,
    /// (file, pointer) of each schema made a component → its name.
    components: BTreeMap<(PathBuf, String), String>,
    /// Component schema names in use.
    taken: std::collections::BTreeSet<String>,
    /// The component schemas made, in order.
    added: Vec<(String, Value)>,
}

impl Bundler<'_, '_> {
    /// A component schema that is only a reference to another file
    /// (`AccessToken: {$ref: schemas/access-token.yaml}`, a split spec's
    /// usual shape) becomes what it refers to, under its own name; other
    /// references to that schema name it.
    fn components_in_files(&mut self, doc: &mut Value) -> Result<(), Problem> {
        let Some(Value::Object(schemas)) = doc.pointer("/components/schemas") else {
            return Ok(());
        };
        let direct: Vec<(String, String)> = schemas
            .iter()
            .filter_map(|(name, schema)| {
                let map = schema.as_object()?;
                let reference = map.get("$ref")?.as_str()?;
                (map.len() == 1 && !reference.starts_with('#'))
                    .then(|| (name.clone(), reference.to_string()))
            })
            .collect();
        let root = self.root.clone();
        for (name, reference) in direct {
            let at = join(&join("/components/schemas", &name), "$ref");
            let (file, fragment) = self
                .locate(&root, &reference)
                .map_err(|m| (at.clone(), m))?;
            if file == root {
                continue;
            }
            self.components
                .insert((file.clone(), fragment.clone()), name.clone());
            let mut target = self.target(&file, &fragment).map_err(|m| (at.clone(), m))?;
            self.bundle(&mut target, Position::Schema, &file, 1)?;
            if let Some(slot) = doc.pointer_mut(&join("/components/schemas", &name)) {
                *slot = target;
            }
        }
        Ok(())
    }

    /// Rewrites the references under `value` (at `position`, read from
    /// `file`). Problems name the pointer under `value`.
    fn bundle(
        &mut self,
        value: &mut Value,
        position: Position,
        file: &Path,
        depth: usize,
    ) -> Result<(), Problem> {
        let in_root = file == self.root;
        let References { found, mapped } = references(value, position, in_root);
        for (at, key, reference) in mapped {
            let pointer = join(&format!("{at}/discriminator/mapping"), &key);
            let located = |message: String| {
                if in_root {
                    (pointer.clone(), message)
                } else {
                    (
                        String::new(),
                        format!("in {} at {pointer}: {message}", file.display()),
                    )
                }
            };
            let (target_file, fragment) = self.locate(file, &reference).map_err(located)?;
            let replacement = if target_file == self.root {
                format!("#{fragment}")
            } else {
                self.component(&target_file, &fragment, depth)
                    .map_err(located)?
            };
            if let Some(slot) = value.pointer_mut(&pointer) {
                *slot = Value::String(replacement);
            }
        }
        for (at, position, reference) in found {
            let located = |message: String| {
                if in_root {
                    (join(&at, "$ref"), message)
                } else {
                    (
                        String::new(),
                        format!("in {} at {}: {message}", file.display(), join(&at, "$ref")),
                    )
                }
            };
            let (target_file, fragment) = self.locate(file, &reference).map_err(located)?;
            let replacement = if target_file == self.root {
                // Back into the root document: a local reference.
                Replacement::Reference(format!("#{fragment}"))
            } else if position == Position::Schema {
                Replacement::Reference(
                    self.component(&target_file, &fragment, depth)
                        .map_err(located)?,
                )
            } else {
                if depth >= MAX_DEPTH {
                    return Err(located(format!(
                        "$ref {reference:?}: references nest deeper than {MAX_DEPTH} files (a cycle?)"
                    )));
                }
                let mut target = self.target(&target_file, &fragment).map_err(located)?;
                self.bundle(&mut target, position, &target_file, depth + 1)?;
                Replacement::Value(target)
            };
            let Some(slot) = value.pointer_mut(&at) else {
                continue;
            };
            match replacement {
                Replacement::Reference(r) => {
                    if let Value::Object(map) = slot {
                        map.insert("$ref".to_string(), Value::String(r));
                    }
                }
                Replacement::Value(v) => *slot = v,
            }
        }
        Ok(())
    }

    /// The file and fragment a reference names, read against `file`.
    fn locate(&self, file: &Path, reference: &str) -> Result<(PathBuf, String), String> {
        let (path, fragment) = reference.split_once('#').unwrap_or((reference, ""));
        if path.contains("://") {
            return Err(format!(
                "$ref {reference:?} points at a URL; only files beside the spec are read"
            ));
        }
        let target = if path.is_empty() {
            file.to_path_buf()
        } else {
            canonical(&file.parent().unwrap_or(Path::new(".")).join(path))
        };
        Ok((target, fragment.to_string()))
    }

    /// The value at `fragment` in `file`, read once.
    fn target(&mut self, file: &Path, fragment: &str) -> Result<Value, String> {
        if !self.files.contains_key(file) {
            let text =
                (self.read)(file).map_err(|e| format!("cannot read {}: {e}", file.display()))?;
            let json = super::yaml::to_json(&text)
                .map_err(|(at, message)| format!("{}: {at}: {message}", file.display()))?;
            self.texts.push((file.to_path_buf(), text));
            self.files.insert(file.to_path_buf(), json);
        }
        let doc = &self.files[file];
        let found = if fragment.is_empty() {
            Some(doc)
        } else {
            doc.pointer(fragment)
        };
        found
            .cloned()
            .ok_or_else(|| format!("nothing at {fragment:?} in {}", file.display()))
    }

    /// The reference to the component schema made of `fragment` in `file`
    /// (made on first use, with its own references brought in).
    fn component(&mut self, file: &Path, fragment: &str, depth: usize) -> Result<String, String> {
        let key = (file.to_path_buf(), fragment.to_string());
        if let Some(name) = self.components.get(&key) {
            return Ok(schema_ref(name));
        }
        let mut target = self.target(file, fragment)?;
        let wanted = match fragment.rsplit_once('/') {
            Some((_, last)) if !last.is_empty() => unescape(last),
            _ => file
                .file_stem()
                .map(|s| s.to_string_lossy().into_owned())
                .unwrap_or_else(|| "Schema".to_string()),
        };
        let mut name = wanted.clone();
        let mut n = 2;
        while self.taken.contains(&name) {
            name = format!("{wanted}{n}");
            n += 1;
        }
        self.taken.insert(name.clone());
        self.components.insert(key, name.clone());
        self.bundle(&mut target, Position::Schema, file, depth + 1)
            .map_err(|(at, message)| {
                if at.is_empty() {
                    message
                } else {
                    format!("in {} at {at}: {message}", file.display())
                }
            })?;
        self.added.push((name.clone(), target));
        Ok(schema_ref(&name))
    }
}

enum Replacement {
    Reference(String),
    Value(Value),
}

/// `path` made absolute and without `..`, so that one file has one key
/// (the file need not exist: reading it says so).
fn canonical(path: &Path) -> PathBuf {
    if let Ok(path) = path.canonicalize() {
        return path;
    }
    let mut out = PathBuf::new();
    for part in path.components() {
        match part {
            std::path::Component::ParentDir => {
                out.pop();
            }
            std::path::Component::CurDir => {}
            other => out.push(other),
        }
    }
    out
}

/// The hash of a spec read from several files: the root's text, then each
/// file's path (relative to the root's folder) and text.
pub fn sha256_of(root_text: &str, root: &Path, files: &[(PathBuf, String)]) -> String {
    let base = canonical(root);
    let base = base.parent().unwrap_or(Path::new(""));
    let mut all = root_text.to_string();
    let mut sorted: Vec<&(PathBuf, String)> = files.iter().collect();
    sorted.sort_by(|a, b| a.0.cmp(&b.0));
    for (path, text) in sorted {
        let relative = path.strip_prefix(base).unwrap_or(path);
        all.push_str(&format!("\n--- {}\n", relative.display()));
        all.push_str(text);
    }
    super::yaml::sha256_hex(all.as_bytes())
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    fn write(dir: &Path, name: &str, text: &str) {
        let path = dir.join(name);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    }

    #[test]
    fn files_become_components_and_inline_objects() {
        let dir = std::env::temp_dir().join(format!("bundle-test-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        write(
            &dir,
            "models/Agent.json",
            r##"{"type": "object", "properties": {"ship": {"$ref": "./Ship.json"}, "meta": {"$ref": "#/definitions/Meta"}}, "definitions": {"Meta": {"type": "object"}}, "discriminator": {"propertyName": "kind", "mapping": {"ship": "./Ship.json", "named": "Meta"}}}"##,
        );
        write(&dir, "models/Ship.json", r#"{"type": "string"}"#);
        write(
            &dir,
            "models/attributes.yaml",
            "droplet_ids:\n  droplet_ids: {type: array, items: {type: integer}}\n",
        );
        write(
            &dir,
            "paths/agents.yaml",
            "get:\n  operationId: getAgents\n  parameters:\n    - $ref: '../params.yaml#/Limit'\n  responses:\n    '200':\n      description: ok\n      content:\n        application/json:\n          schema: {$ref: '../models/Agent.json'}\n",
        );
        write(
            &dir,
            "params.yaml",
            "Limit: {name: limit, in: query, schema: {type: integer}}\n",
        );
        let root = dir.join("spec/openapi.yaml");
        write(&dir, "spec/openapi.yaml", "");
        let mut doc = json!({
            "openapi": "3.0.3",
            "paths": {"/agents": {"$ref": "../paths/agents.yaml"}},
            "components": {"schemas": {"Agent": {"type": "string"},
                "Twice": {"$ref": "../models/Agent.json"}}}
        });
        let files = bundle(&mut doc, &root).unwrap();
        assert_eq!(files.len(), 4, "{files:?}");
        let operation = &doc["paths"]["/agents"]["get"];
        assert_eq!(operation["operationId"], "getAgents");
        assert_eq!(operation["parameters"][0]["name"], "limit");
        // The root's `Twice` is only a reference to the file: it becomes
        // the schema, and the operation's reference names it.
        assert_eq!(
            operation["responses"]["200"]["content"]["application/json"]["schema"]["$ref"],
            "#/components/schemas/Twice"
        );
        let schemas = &doc["components"]["schemas"];
        assert_eq!(schemas["Agent"], json!({"type": "string"}));
        assert_eq!(
            schemas["Twice"]["properties"]["ship"]["$ref"],
            "#/components/schemas/Ship"
        );
        // A local reference inside a file is that file's.
        assert_eq!(
            schemas["Twice"]["properties"]["meta"]["$ref"],
            "#/components/schemas/Meta"
        );
        // A map of properties given as a reference is written in place.
        let mut names = json!({"openapi": "3.0.3", "paths": {}, "components": {"schemas": {
            "Remove": {"type": "object",
                "properties": {"$ref": "../models/attributes.yaml#/droplet_ids"}}}}});
        // The only reference to another file is the map's: it is found.
        assert!(has_external_refs(&names));
        bundle(&mut names, &root).unwrap();
        assert_eq!(
            names["components"]["schemas"]["Remove"]["properties"],
            json!({"droplet_ids": {"type": "array", "items": {"type": "integer"}}})
        );
        // A name the root has already gets a number.
        let mut taken = json!({"openapi": "3.0.3", "paths": {},
            "components": {"schemas": {"Ship": {"type": "integer"},
                "Uses": {"type": "array", "items": {"$ref": "../models/Ship.json"}}}}});
        bundle(&mut taken, &root).unwrap();
        assert_eq!(
            taken["components"]["schemas"]["Uses"]["items"]["$ref"],
            "#/components/schemas/Ship2"
        );
        assert_eq!(schemas["Meta"], json!({"type": "object"}));
        // A mapping's references are references; its names stay names.
        assert_eq!(
            schemas["Twice"]["discriminator"]["mapping"],
            json!({"ship": "#/components/schemas/Ship", "named": "Meta"})
        );
        assert!(!has_external_refs(&doc));

        let mut missing = json!({"openapi": "3.0.3", "paths": {"/x": {"$ref": "nope.yaml"}}});
        let (at, message) = bundle(&mut missing, &root).unwrap_err();
        assert_eq!(at, "/paths/~1x/$ref");
        assert!(message.starts_with("cannot read "), "{message}");
        let mut url =
            json!({"openapi": "3.0.3", "paths": {"/x": {"$ref": "https://example.com/a.yaml"}}});
        assert!(bundle(&mut url, &root).unwrap_err().1.contains("URL"));
        let _ = std::fs::remove_dir_all(&dir);
    }
}
