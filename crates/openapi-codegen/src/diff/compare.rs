//! The comparison: operations by method and path, their parameters by
//! place and name, responses by status, component schemas by name and their
//! properties; each difference is reported as one [`Rule`] of the registry.

use std::collections::{BTreeMap, BTreeSet};

use serde_json::Value;

use super::rules::{self, Rule};
use super::{Change, Crates, Use};
use crate::openapi::operations::operations;
use crate::openapi::pointer::join;
use crate::openapi::resolve::{reference_of, references, resolve, schema_name};
use crate::openapi::walk::{self, Position};
use crate::target::naming::{field_name, method_name, type_name};
use crate::target::responses::{Set, in_set, json_media};

/// Collects changes, naming Rust items with the one namer.
pub(super) struct Comparison<'a> {
    pub old: &'a Value,
    pub new: &'a Value,
    pub crates: &'a Crates,
    pub changes: Vec<Change>,
}

impl Comparison<'_> {
    fn emit(
        &mut self,
        rule: &'static Rule,
        used: Use,
        location: &str,
        detail: String,
        items: Vec<String>,
    ) {
        self.changes.push(Change {
            kind: rule.id,
            location: location.to_string(),
            detail,
            severity: used.verdict(rule),
            rust_items: items,
            models_bump: rule.models,
            client_bump: rule.client.max(rule.models),
        });
    }

    fn method(&self, op: &Value) -> String {
        let id = op["operationId"].as_str().unwrap_or("");
        format!("{}::Client::{}", self.crates.client, method_name(id))
    }

    fn type_item(&self, name: &str) -> String {
        format!("{}::{}", self.crates.models, type_name(name))
    }

    pub fn run(&mut self) {
        let (old, new) = (self.old, self.new);
        let by_key = |doc: &Value| -> BTreeMap<(String, String), Value> {
            operations(doc)
                .into_iter()
                .map(|op| {
                    let value = doc["paths"][&op.path][&op.method].clone();
                    ((op.method.to_uppercase(), op.path), value)
                })
                .collect()
        };
        let (old_ops, new_ops) = (by_key(old), by_key(new));
        for ((method, path), old_op) in &old_ops {
            let location = format!("{method} {path}");
            match new_ops.get(&(method.clone(), path.clone())) {
                None => {
                    let item = self.method(old_op);
                    self.emit(
                        &rules::OPERATION_REMOVED,
                        Use::BOTH,
                        &location,
                        "the operation was removed".into(),
                        vec![item],
                    );
                }
                Some(new_op) => self.operation(&location, old_op, new_op),
            }
        }
        for ((method, path), new_op) in &new_ops {
            if !old_ops.contains_key(&(method.clone(), path.clone())) {
                let item = self.method(new_op);
                self.emit(
                    &rules::OPERATION_ADDED,
                    Use::BOTH,
                    &format!("{method} {path}"),
                    "a new operation".into(),
                    vec![item],
                );
            }
        }
        self.schemas();
    }

    fn operation(&mut self, location: &str, old: &Value, new: &Value) {
        let method = self.method(old);
        for key in ["description", "summary"] {
            if old.get(key) != new.get(key) {
                self.emit(
                    &rules::OPERATION_DESCRIPTION_CHANGED,
                    Use::BOTH,
                    location,
                    format!("{key} changed"),
                    vec![method.clone()],
                );
            }
        }
        if old.get("operationId") != new.get("operationId") {
            let items = vec![method.clone(), self.method(new)];
            self.emit(
                &rules::OPERATION_ID_CHANGED,
                Use::BOTH,
                location,
                format!(
                    "operationId {} -> {}",
                    old["operationId"], new["operationId"]
                ),
                items,
            );
        }
        self.parameters(location, &method, old, new);
        self.responses(location, &method, old, new);
    }

    fn parameters(&mut self, location: &str, method: &str, old: &Value, new: &Value) {
        let params = |root: &Value, op: &Value| -> BTreeMap<(String, String), Value> {
            op["parameters"]
                .as_array()
                .into_iter()
                .flatten()
                .map(|p| resolve(root, p).clone())
                .map(|p| {
                    let key = (
                        p["in"].as_str().unwrap_or("").to_string(),
                        p["name"].as_str().unwrap_or("").to_string(),
                    );
                    (key, p)
                })
                .collect()
        };
        let (old_params, new_params) = (params(self.old, old), params(self.new, new));
        let required = |p: &Value| p["required"] == Value::Bool(true);
        let request = Use::REQUEST;
        for ((place, name), old_param) in &old_params {
            let at = format!("{location} {place} parameter {name}");
            let item = vec![format!("{method}({})", method_name(name))];
            let Some(new_param) = new_params.get(&(place.clone(), name.clone())) else {
                self.emit(
                    &rules::PARAMETER_REMOVED,
                    request,
                    &at,
                    "the parameter was removed; the server may reject or ignore it".into(),
                    item,
                );
                continue;
            };
            if !required(old_param) && required(new_param) {
                self.emit(
                    &rules::PARAMETER_BECAME_REQUIRED,
                    request,
                    &at,
                    "optional -> required".into(),
                    item.clone(),
                );
            } else if required(old_param) && !required(new_param) {
                self.emit(
                    &rules::PARAMETER_BECAME_OPTIONAL,
                    request,
                    &at,
                    "required -> optional".into(),
                    item.clone(),
                );
            }
            let (old_schema, new_schema) = (
                resolve(self.old, &old_param["schema"]),
                resolve(self.new, &new_param["schema"]),
            );
            if old_schema.get("default") != new_schema.get("default") {
                let detail = format!(
                    "default {} -> {}",
                    show(old_schema.get("default")),
                    show(new_schema.get("default"))
                );
                self.emit(
                    &rules::PARAMETER_DEFAULT_CHANGED,
                    request,
                    &at,
                    detail,
                    item.clone(),
                );
            }
            if old_schema.get("type") != new_schema.get("type") {
                let detail = format!(
                    "type {} -> {}",
                    show(old_schema.get("type")),
                    show(new_schema.get("type"))
                );
                self.emit(
                    &rules::PARAMETER_TYPE_CHANGED,
                    request,
                    &at,
                    detail,
                    item.clone(),
                );
            }
            if old_param.get("description") != new_param.get("description") {
                self.emit(
                    &rules::PARAMETER_DESCRIPTION_CHANGED,
                    request,
                    &at,
                    "description changed".into(),
                    item,
                );
            }
        }
        for ((place, name), new_param) in &new_params {
            if old_params.contains_key(&(place.clone(), name.clone())) {
                continue;
            }
            let at = format!("{location} {place} parameter {name}");
            let item = vec![format!("{method}({})", method_name(name))];
            if required(new_param) {
                self.emit(
                    &rules::REQUIRED_PARAMETER_ADDED,
                    request,
                    &at,
                    "a new required parameter; old clients do not send it".into(),
                    item,
                );
            } else {
                self.emit(
                    &rules::OPTIONAL_PARAMETER_ADDED,
                    request,
                    &at,
                    "a new optional parameter".into(),
                    item,
                );
            }
        }
    }

    fn responses(&mut self, location: &str, method: &str, old: &Value, new: &Value) {
        let responses = |op: &Value| op["responses"].as_object().cloned().unwrap_or_default();
        let (old_responses, new_responses) = (responses(old), responses(new));
        let body = |root: &Value, response: &Value| -> Option<String> {
            let response = resolve(root, response);
            let content = response.get("content")?.as_object()?;
            let schema = content.get(json_media(content)?)?.get("schema")?;
            Some(match reference_of(schema) {
                Some(r) => r.to_string(),
                None => schema.to_string(),
            })
        };
        let has_range = old_responses.contains_key("2XX");
        let item = vec![method.to_string()];
        let response = Use::RESPONSE;
        for (status, old_response) in &old_responses {
            let at = format!("{location} response {status}");
            let Some(new_response) = new_responses.get(status) else {
                if in_set(status, Set::Success, has_range) {
                    self.emit(
                        &rules::SUCCESS_STATUS_REMOVED,
                        response,
                        &at,
                        "a success status was removed".into(),
                        item.clone(),
                    );
                } else {
                    self.emit(
                        &rules::ERROR_STATUS_REMOVED,
                        response,
                        &at,
                        "a documented error status was removed: its body now arrives untyped"
                            .into(),
                        item.clone(),
                    );
                }
                continue;
            };
            let (old_body, new_body) = (body(self.old, old_response), body(self.new, new_response));
            if old_body != new_body {
                let detail = format!(
                    "body {} -> {}",
                    old_body.as_deref().unwrap_or("none"),
                    new_body.as_deref().unwrap_or("none")
                );
                self.emit(
                    &rules::RESPONSE_BODY_CHANGED,
                    response,
                    &at,
                    detail,
                    item.clone(),
                );
            }
            if resolve(self.old, old_response).get("description")
                != resolve(self.new, new_response).get("description")
            {
                self.emit(
                    &rules::RESPONSE_DESCRIPTION_CHANGED,
                    response,
                    &at,
                    "description changed".into(),
                    item.clone(),
                );
            }
        }
        for status in new_responses.keys() {
            if !old_responses.contains_key(status) {
                self.emit(
                    &rules::STATUS_ADDED,
                    response,
                    &format!("{location} response {status}"),
                    "a newly documented status".into(),
                    item.clone(),
                );
            }
        }
    }

    fn schemas(&mut self) {
        let schemas = |json: &Value| {
            json["components"]["schemas"]
                .as_object()
                .cloned()
                .unwrap_or_default()
        };
        let (old_schemas, new_schemas) = (schemas(self.old), schemas(self.new));
        let (old_uses, new_uses) = (uses(self.old), uses(self.new));
        for (name, old_schema) in &old_schemas {
            let used = old_uses.get(name).copied().unwrap_or_default()
                | new_uses.get(name).copied().unwrap_or_default();
            let item = self.type_item(name);
            match new_schemas.get(name) {
                None => self.emit(
                    &rules::SCHEMA_REMOVED,
                    used,
                    name,
                    "the schema was removed".into(),
                    vec![item],
                ),
                Some(new_schema) => self.schema(name, name, old_schema, new_schema, used),
            }
        }
        for name in new_schemas.keys() {
            if !old_schemas.contains_key(name) {
                let item = self.type_item(name);
                let used = new_uses.get(name).copied().unwrap_or_default();
                self.emit(
                    &rules::SCHEMA_ADDED,
                    used,
                    name,
                    "a new schema".into(),
                    vec![item],
                );
            }
        }
    }

    fn schema(&mut self, type_name: &str, location: &str, old: &Value, new: &Value, used: Use) {
        let type_item = self.type_item(type_name);
        if old.get("description") != new.get("description") {
            self.emit(
                &rules::SCHEMA_DESCRIPTION_CHANGED,
                used,
                location,
                "description changed".into(),
                vec![type_item.clone()],
            );
        }
        let properties = |s: &Value| s["properties"].as_object().cloned().unwrap_or_default();
        let required = |s: &Value| -> BTreeSet<String> {
            s["required"]
                .as_array()
                .into_iter()
                .flatten()
                .filter_map(Value::as_str)
                .map(str::to_string)
                .collect()
        };
        let (old_props, new_props) = (properties(old), properties(new));
        let (old_required, new_required) = (required(old), required(new));
        for (name, old_prop) in &old_props {
            let at = format!("{location}.{name}");
            let field = vec![format!("{type_item}::{}", field_name(name))];
            let was_required = old_required.contains(name);
            let Some(new_prop) = new_props.get(name) else {
                let (rule, which) = if was_required {
                    (&rules::REQUIRED_PROPERTY_REMOVED, "required")
                } else {
                    (&rules::OPTIONAL_PROPERTY_REMOVED, "optional")
                };
                self.emit(
                    rule,
                    used,
                    &at,
                    format!("the {which} property was removed"),
                    field,
                );
                continue;
            };
            let is_required = new_required.contains(name);
            if was_required && !is_required {
                self.emit(
                    &rules::PROPERTY_BECAME_OPTIONAL,
                    used,
                    &at,
                    "required -> optional: old clients expect it always".into(),
                    field.clone(),
                );
            } else if !was_required && is_required {
                self.emit(
                    &rules::PROPERTY_BECAME_REQUIRED,
                    used,
                    &at,
                    "optional -> required: the Rust field loses its Option".into(),
                    field.clone(),
                );
            }
            let (old_resolved, new_resolved) =
                (resolve(self.old, old_prop), resolve(self.new, new_prop));
            self.property(&at, old_resolved, new_resolved, used, &field);
            if old_prop.get("$ref") != new_prop.get("$ref") {
                let detail = format!(
                    "$ref {} -> {}",
                    show(old_prop.get("$ref")),
                    show(new_prop.get("$ref"))
                );
                self.emit(&rules::PROPERTY_REFERENCE_CHANGED, used, &at, detail, field);
            }
        }
        for name in new_props.keys().filter(|n| !old_props.contains_key(*n)) {
            let at = format!("{location}.{name}");
            let field = vec![format!("{type_item}::{}", field_name(name))];
            if new_required.contains(name) {
                self.emit(
                    &rules::REQUIRED_PROPERTY_ADDED,
                    used,
                    &at,
                    "a new required property".into(),
                    field,
                );
            } else {
                self.emit(
                    &rules::OPTIONAL_PROPERTY_ADDED,
                    used,
                    &at,
                    "a new optional property; old clients ignore it".into(),
                    field,
                );
            }
        }
    }

    fn property(&mut self, at: &str, old: &Value, new: &Value, used: Use, field: &[String]) {
        let push = |this: &mut Self, rule: &'static Rule, detail: String| {
            this.emit(rule, used, at, detail, field.to_vec());
        };
        if old.get("type") != new.get("type") {
            push(
                self,
                &rules::PROPERTY_TYPE_CHANGED,
                format!(
                    "type {} -> {}",
                    show(old.get("type")),
                    show(new.get("type"))
                ),
            );
        }
        for (key, [removed, added, changed]) in [
            (
                "format",
                [
                    &rules::FORMAT_REMOVED,
                    &rules::FORMAT_ADDED,
                    &rules::FORMAT_CHANGED,
                ],
            ),
            (
                "pattern",
                [
                    &rules::PATTERN_REMOVED,
                    &rules::PATTERN_ADDED,
                    &rules::PATTERN_CHANGED,
                ],
            ),
        ] {
            match (old.get(key), new.get(key)) {
                (a, b) if a == b => {}
                (Some(a), None) => push(self, removed, format!("{key} {a} dropped")),
                (None, Some(b)) => push(self, added, format!("{key} {b} added")),
                (a, b) => push(self, changed, format!("{key} {} -> {}", show(a), show(b))),
            }
        }
        for (key, looser_when_larger) in [
            ("minLength", false),
            ("maxLength", true),
            ("minimum", false),
            ("maximum", true),
        ] {
            let (a, b) = (
                old.get(key).and_then(Value::as_f64),
                new.get(key).and_then(Value::as_f64),
            );
            let rule = match (a, b) {
                (a, b) if a == b => continue,
                (Some(_), None) => &rules::LIMIT_REMOVED,
                (None, Some(_)) => &rules::LIMIT_ADDED,
                (Some(a), Some(b)) if (b > a) == looser_when_larger => &rules::LIMIT_LOOSENED,
                _ => &rules::LIMIT_TIGHTENED,
            };
            push(
                self,
                rule,
                format!("{key} {} -> {}", show(old.get(key)), show(new.get(key))),
            );
        }
        let values = |s: &Value| -> Option<BTreeSet<String>> {
            s.get("enum")
                .and_then(Value::as_array)
                .map(|v| v.iter().map(Value::to_string).collect())
        };
        match (values(old), values(new)) {
            (a, b) if a == b => {}
            (None, Some(_)) => push(self, &rules::ENUM_ADDED, "the value became an enum".into()),
            (Some(_), None) => push(
                self,
                &rules::ENUM_REMOVED,
                "the value is no longer an enum".into(),
            ),
            (Some(a), Some(b)) => {
                let added: Vec<&String> = b.difference(&a).collect();
                let removed: Vec<&String> = a.difference(&b).collect();
                if !added.is_empty() {
                    push(
                        self,
                        &rules::ENUM_VALUE_ADDED,
                        format!("enum values added: {added:?}"),
                    );
                }
                if !removed.is_empty() {
                    push(
                        self,
                        &rules::ENUM_VALUE_REMOVED,
                        format!("enum values removed: {removed:?}"),
                    );
                }
            }
            (None, None) => {}
        }
        let nullable = |s: &Value| s.get("nullable") == Some(&Value::Bool(true));
        match (nullable(old), nullable(new)) {
            (false, true) => push(self, &rules::BECAME_NULLABLE, "nullable -> true".into()),
            (true, false) => push(
                self,
                &rules::BECAME_NON_NULLABLE,
                "nullable -> false".into(),
            ),
            _ => {}
        }
        if old.get("default") != new.get("default") {
            push(
                self,
                &rules::DEFAULT_CHANGED,
                format!(
                    "default {} -> {}",
                    show(old.get("default")),
                    show(new.get("default"))
                ),
            );
        }
        if old.get("description") != new.get("description") {
            push(
                self,
                &rules::PROPERTY_DESCRIPTION_CHANGED,
                "description changed".into(),
            );
        }
        if old.get("example") != new.get("example") {
            push(
                self,
                &rules::PROPERTY_EXAMPLE_CHANGED,
                "example changed".into(),
            );
        }
        if let (Some(a), Some(b)) = (old.get("items"), new.get("items"))
            && a != b
        {
            let (a, b) = (resolve(self.old, a), resolve(self.new, b));
            self.property(&format!("{at}[]"), a, b, used, field);
        }
    }
}

fn show(value: Option<&Value>) -> String {
    value.map_or("(none)".to_string(), Value::to_string)
}

/// Where each component schema is reached from: requests (parameters and
/// request bodies) and responses, following references.
pub fn uses(doc: &Value) -> BTreeMap<String, Use> {
    let mut out: BTreeMap<String, Use> = BTreeMap::new();
    for op in operations(doc) {
        let operation = &doc["paths"][&op.path][&op.method];
        let path_item = &doc["paths"][&op.path];
        let mut roots: Vec<(Use, String, &Value)> = Vec::new();
        for (owner, owner_pointer) in [(path_item, op.path_item()), (operation, op.pointer.clone())]
        {
            if let Some(parameters) = owner.get("parameters") {
                roots.push((Use::REQUEST, join(&owner_pointer, "parameters"), parameters));
            }
        }
        if let Some(body) = operation.get("requestBody") {
            roots.push((Use::REQUEST, join(&op.pointer, "requestBody"), body));
        }
        if let Some(responses) = operation.get("responses") {
            roots.push((Use::RESPONSE, join(&op.pointer, "responses"), responses));
        }
        for (used, at, value) in roots {
            let position = walk::child(Position::Object, at.rsplit('/').next().unwrap_or(""));
            let mut queue: Vec<String> = references(value, &at, position)
                .into_iter()
                .map(|(_, r)| r)
                .collect();
            let mut seen = BTreeSet::new();
            while let Some(reference) = queue.pop() {
                if !seen.insert(reference.clone()) {
                    continue;
                }
                // Responses, parameters and request bodies may be references too.
                let Some(target) = crate::openapi::resolve::target(doc, &reference) else {
                    continue;
                };
                if let Some(name) = schema_name(&reference) {
                    *out.entry(name.clone()).or_default() =
                        out.get(&name).copied().unwrap_or_default() | used;
                    queue.extend(
                        references(target, &reference[1..], Position::Schema)
                            .into_iter()
                            .map(|(_, r)| r),
                    );
                } else {
                    queue.extend(
                        references(target, &reference[1..], Position::Object)
                            .into_iter()
                            .map(|(_, r)| r),
                    );
                }
            }
        }
    }
    out
}
