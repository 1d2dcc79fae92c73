//! The comparison, operation by operation: operations are matched by method
//! and path template (parameter names aside), then their parameters, request
//! body and response bodies are compared **structurally**: `$ref`s followed,
//! at any depth (properties, items, additional properties, `allOf`/`oneOf`/
//! `anyOf` members), cycles cut. A `$ref` whose target has the same structure
//! is no change on the wire (only a renamed Rust type).
//!
//! Each difference is one finding, keyed by the rule and the place in the
//! spec (JSON pointer) where it is, and located under every operation that
//! reaches it, with the direction it is reached in (a request or a
//! response). Its severity is the rule's for the directions it is used in:
//! the stricter where it is both sent and read.

use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};
use std::rc::Rc;

use serde_json::Value;

use super::rules::{self, Rule};
use super::{Bump, Change, Crates, Use};
use crate::openapi::operations::{OperationRef, operations, template_names, template_shape};
use crate::openapi::pointer::join;
use crate::openapi::resolve::{reference_of, resolve, resolve_at};
use crate::target::bodies::{self, Encoding};
use crate::target::naming::{field_name, method_name, server_constants, type_name};
use crate::target::parameters::serialization;
use crate::target::responses::{Set, in_set, json_media};
use crate::target::types::{Constrained, constrained};

/// A difference inside a schema, relative to where the walk entered it.
#[derive(Debug, Clone)]
struct Rel {
    rule: &'static Rule,
    /// The models crate's bump where the target model decides it (a
    /// constraint's change: whether the Rust type changes); else the rule's.
    models: Option<Bump>,
    /// `logs[].type`: the path from the entry point, as a reader writes it.
    path: String,
    /// Where in the new spec (or the old, for what is gone).
    pointer: String,
    detail: String,
}

/// One finding with every place it is reached from.
#[derive(Debug)]
struct Finding {
    rule: &'static Rule,
    /// See [`Rel::models`].
    models: Option<Bump>,
    pointer: String,
    detail: String,
    locations: BTreeSet<String>,
    used: Use,
    rust_items: BTreeSet<String>,
}

/// The body the generated client sends of a request body: its media type
/// (as [`bodies::sent_media`] picks it), the pointer of the body's
/// `content`, and its schema with its pointer.
struct Sent<'a> {
    media: &'a str,
    content: String,
    schema: Option<(String, &'a Value)>,
}

impl<'a> Sent<'a> {
    /// What the client sends of the request body `holder`, written at `at`;
    /// none when it can send none of its media types (or it has none).
    fn of(doc: &'a Value, at: &str, holder: &'a Value) -> Option<Sent<'a>> {
        let (at, holder) = resolve_at(doc, at, holder);
        let content = holder.get("content")?.as_object()?;
        let media = bodies::sent_media(content)?;
        let content_at = join(&at, "content");
        let schema = content[media]
            .get("schema")
            .map(|schema| (join(&join(&content_at, media), "schema"), schema));
        Some(Sent {
            media,
            content: content_at,
            schema,
        })
    }
}

/// Collects findings, naming Rust items with the one namer.
pub(super) struct Comparison<'a> {
    pub old: &'a Value,
    pub new: &'a Value,
    pub crates: &'a Crates,
    findings: BTreeMap<(&'static str, String, String), Finding>,
    memo: HashMap<(String, String), Rc<Vec<Rel>>>,
    in_progress: HashSet<(String, String)>,
}

impl<'a> Comparison<'a> {
    pub fn new(old: &'a Value, new: &'a Value, crates: &'a Crates) -> Self {
        Comparison {
            old,
            new,
            crates,
            findings: BTreeMap::new(),
            memo: HashMap::new(),
            in_progress: HashSet::new(),
        }
    }

    /// Records a finding reached from `location` in `used` direction(s),
    /// and returns it (to give it the models' bump the target model decides).
    fn record(
        &mut self,
        rule: &'static Rule,
        pointer: &str,
        detail: String,
        location: String,
        used: Use,
        rust: Vec<String>,
    ) -> &mut Finding {
        let finding = self
            .findings
            .entry((rule.id, pointer.to_string(), detail.clone()))
            .or_insert_with(|| Finding {
                rule,
                models: None,
                pointer: pointer.to_string(),
                detail,
                locations: BTreeSet::new(),
                used: Use::default(),
                rust_items: BTreeSet::new(),
            });
        finding.locations.insert(location);
        finding.used = finding.used | used;
        finding.rust_items.extend(rust);
        finding
    }

    fn method(&self, op: &Value) -> String {
        let id = op["operationId"].as_str().unwrap_or("");
        format!("{}::Client::{}", self.crates.client, method_name(id))
    }

    fn type_item(&self, name: &str) -> String {
        format!("{}::{}", self.crates.models, type_name(name))
    }

    /// The Rust item a change at `pointer` touches: a component's type, or
    /// its field; `method` for what is inline in an operation.
    fn rust_item(&self, pointer: &str, method: &str) -> String {
        let Some(rest) = pointer.strip_prefix("/components/schemas/") else {
            return method.to_string();
        };
        let mut segments = rest.split('/').map(crate::openapi::pointer::unescape);
        let component = segments.next().unwrap_or_default();
        let mut field = None;
        let mut previous = String::new();
        for segment in segments {
            if previous == "properties" {
                field = Some(segment.clone());
                break;
            }
            previous = segment;
        }
        match field {
            Some(field) => format!("{}::{}", self.type_item(&component), field_name(&field)),
            None => self.type_item(&component),
        }
    }

    pub fn run(mut self) -> Vec<Change> {
        let by_key = |doc: &Value| -> BTreeMap<(String, String), OperationRef> {
            operations(doc)
                .into_iter()
                .map(|op| ((op.method.to_uppercase(), template_shape(&op.path)), op))
                .collect()
        };
        let (old_ops, new_ops) = (by_key(self.old), by_key(self.new));
        for (key, old_op) in &old_ops {
            let old_value = &self.old["paths"][&old_op.path][&old_op.method];
            let location = format!("{} {}", key.0, old_op.path);
            match new_ops.get(key) {
                None => {
                    let item = self.method(old_value);
                    self.record(
                        &rules::OPERATION_REMOVED,
                        &old_op.pointer,
                        "the operation was removed".into(),
                        location,
                        Use::BOTH,
                        vec![item],
                    );
                }
                Some(new_op) => self.operation(old_op, new_op),
            }
        }
        for (key, new_op) in &new_ops {
            if !old_ops.contains_key(key) {
                let new_value = &self.new["paths"][&new_op.path][&new_op.method];
                let item = self.method(new_value);
                self.record(
                    &rules::OPERATION_ADDED,
                    &new_op.pointer,
                    "a new operation".into(),
                    format!("{} {}", key.0, new_op.path),
                    Use::BOTH,
                    vec![item],
                );
            }
        }
        self.components();
        self.servers();
        self.findings
            .into_values()
            .map(|f| {
                // A change reached from operations is shown there; under
                // `components` only when no operation reaches it.
                let reached = f.locations.iter().any(|l| !l.starts_with("components › "));
                let locations: Vec<String> = f
                    .locations
                    .into_iter()
                    .filter(|l| !reached || !l.starts_with("components › "))
                    .collect();
                Change {
                    kind: f.rule.id,
                    location: locations.first().cloned().unwrap_or_default(),
                    locations,
                    pointer: f.pointer,
                    detail: f.detail,
                    severity: f.used.verdict(f.rule),
                    rust_items: f.rust_items.into_iter().collect(),
                    models_bump: f.models.unwrap_or(f.rule.models),
                    client_bump: f.models.unwrap_or(f.rule.client.max(f.rule.models)),
                }
            })
            .collect()
    }

    fn operation(&mut self, old_op: &OperationRef, new_op: &OperationRef) {
        let (old, new) = (self.old, self.new);
        let old_value = &old["paths"][&old_op.path][&old_op.method];
        let new_value = &new["paths"][&new_op.path][&new_op.method];
        let location = format!("{} {}", new_op.method.to_uppercase(), new_op.path);
        let method = self.method(old_value);
        if old_op.path != new_op.path {
            self.record(
                &rules::PATH_PARAMETER_RENAMED,
                &new_op.pointer,
                format!(
                    "{} -> {}: the same URL on the wire",
                    old_op.path, new_op.path
                ),
                location.clone(),
                Use::REQUEST,
                vec![method.clone()],
            );
        }
        for key in ["description", "summary"] {
            if old_value.get(key) != new_value.get(key) {
                self.record(
                    &rules::OPERATION_DESCRIPTION_CHANGED,
                    &join(&new_op.pointer, key),
                    format!("{key} changed"),
                    location.clone(),
                    Use::BOTH,
                    vec![method.clone()],
                );
            }
        }
        if let Some((rule, detail)) = security_change(
            effective_security(old, old_value),
            effective_security(new, new_value),
        ) {
            let pointer = if new_value.get("security").is_some() {
                join(&new_op.pointer, "security")
            } else {
                "/security".to_string()
            };
            self.record(
                rule,
                &pointer,
                detail,
                location.clone(),
                Use::REQUEST,
                vec![method.clone()],
            );
        }
        if let Some(detail) = deprecation(old_value, new_value) {
            self.record(
                &rules::OPERATION_DEPRECATION_CHANGED,
                &join(&new_op.pointer, "deprecated"),
                detail,
                location.clone(),
                Use::BOTH,
                vec![method.clone()],
            );
        }
        if old_value.get("operationId") != new_value.get("operationId") {
            let items = vec![method.clone(), self.method(new_value)];
            self.record(
                &rules::OPERATION_ID_CHANGED,
                &join(&new_op.pointer, "operationId"),
                format!(
                    "operationId {} -> {}",
                    old_value["operationId"], new_value["operationId"]
                ),
                location.clone(),
                Use::BOTH,
                items,
            );
        }
        // A path's or an operation's own servers, which progenitor ignores.
        let own_servers = |doc: &'a Value, op: &OperationRef, value: &'a Value| {
            value.get("servers").or_else(|| {
                doc.pointer(&op.path_item())
                    .and_then(|item| item.get("servers"))
            })
        };
        let (old_servers, new_servers) = (
            own_servers(old, old_op, old_value),
            own_servers(new, new_op, new_value),
        );
        if old_servers != new_servers {
            let show = |servers: Option<&Value>| {
                servers
                    .and_then(Value::as_array)
                    .map(|list| {
                        list.iter()
                            .map(|s| s["url"].as_str().unwrap_or("?").to_string())
                            .collect::<Vec<_>>()
                            .join(", ")
                    })
                    .unwrap_or_else(|| "(the spec's)".into())
            };
            let pointer =
                if new_value.get("servers").is_some() || old_value.get("servers").is_some() {
                    join(&new_op.pointer, "servers")
                } else {
                    join(&new_op.path_item(), "servers")
                };
            self.record(
                &rules::OPERATION_SERVERS_CHANGED,
                &pointer,
                format!("servers {} -> {}", show(old_servers), show(new_servers)),
                location.clone(),
                Use::BOTH,
                vec![method.clone()],
            );
        }
        self.parameters(old_op, new_op, &location, &method);
        self.request_body(old_op, new_op, &location, &method);
        self.responses(old_op, new_op, &location, &method);
    }

    /// A parameter's key: its place and name, or for a path parameter its
    /// position in the template (a renamed path parameter is the same one).
    fn parameters_of(
        doc: &'a Value,
        op: &OperationRef,
    ) -> BTreeMap<(String, String), (String, &'a Value)> {
        let path_names = template_names(&op.path);
        let mut out = BTreeMap::new();
        for owner in [op.path_item(), op.pointer.clone()] {
            let Some(Value::Array(list)) = doc.pointer(&format!("{owner}/parameters")) else {
                continue;
            };
            for (i, parameter) in list.iter().enumerate() {
                let (at, parameter) =
                    resolve_at(doc, &format!("{owner}/parameters/{i}"), parameter);
                let place = parameter["in"].as_str().unwrap_or("").to_string();
                let name = parameter["name"].as_str().unwrap_or("").to_string();
                let key = match path_names.iter().position(|n| *n == name) {
                    Some(position) if place == "path" => format!("#{position}"),
                    _ => name,
                };
                out.insert((place, key), (at, parameter));
            }
        }
        out
    }

    fn parameters(
        &mut self,
        old_op: &OperationRef,
        new_op: &OperationRef,
        location: &str,
        method: &str,
    ) {
        let (old_params, new_params) = (
            Self::parameters_of(self.old, old_op),
            Self::parameters_of(self.new, new_op),
        );
        let required = |p: &Value| p["required"] == Value::Bool(true);
        for (key, (old_at, old_param)) in &old_params {
            let name = old_param["name"].as_str().unwrap_or("");
            let at = format!("{location} › {} {name}", key.0);
            let item = vec![format!("{method}({})", method_name(name))];
            let Some((new_at, new_param)) = new_params.get(key) else {
                self.record(
                    &rules::PARAMETER_REMOVED,
                    old_at,
                    "the parameter was removed; the server may reject or ignore it".into(),
                    at,
                    Use::REQUEST,
                    item,
                );
                continue;
            };
            if !required(old_param) && required(new_param) {
                self.record(
                    &rules::PARAMETER_BECAME_REQUIRED,
                    new_at,
                    "optional -> required".into(),
                    at.clone(),
                    Use::REQUEST,
                    item.clone(),
                );
            } else if required(old_param) && !required(new_param) {
                self.record(
                    &rules::PARAMETER_BECAME_OPTIONAL,
                    new_at,
                    "required -> optional".into(),
                    at.clone(),
                    Use::REQUEST,
                    item.clone(),
                );
            }
            // A style changes any value's form; `explode` only a list's or
            // an object's.
            let (old_form, new_form) = (serialization(old_param), serialization(new_param));
            let composite = |doc: &Value, p: &Value| {
                p.get("schema").is_some_and(|s| {
                    let s = resolve(doc, s);
                    matches!(
                        s.get("type").and_then(Value::as_str),
                        Some("array" | "object")
                    ) || s.get("items").is_some()
                        || s.get("properties").is_some()
                })
            };
            if old_form.0 != new_form.0
                || (old_form.1 != new_form.1
                    && (composite(self.old, old_param) || composite(self.new, new_param)))
            {
                let said = |(style, explode): (&str, bool)| {
                    format!("{style}{}", if explode { ", exploded" } else { "" })
                };
                self.record(
                    &rules::PARAMETER_SERIALIZATION_CHANGED,
                    new_at,
                    format!("{} -> {}", said(old_form), said(new_form)),
                    at.clone(),
                    Use::REQUEST,
                    item.clone(),
                );
            }
            if old_param.get("description") != new_param.get("description") {
                self.record(
                    &rules::PARAMETER_DESCRIPTION_CHANGED,
                    &join(new_at, "description"),
                    "description changed".into(),
                    at.clone(),
                    Use::REQUEST,
                    item.clone(),
                );
            }
            if let (Some(old_schema), Some(new_schema)) =
                (old_param.get("schema"), new_param.get("schema"))
            {
                let rels = self.schema(
                    old_schema,
                    &join(old_at, "schema"),
                    new_schema,
                    &join(new_at, "schema"),
                );
                self.attach(&rels, &at, Use::REQUEST, method, Some(&item));
            }
        }
        for (key, (new_at, new_param)) in &new_params {
            if old_params.contains_key(key) {
                continue;
            }
            let name = new_param["name"].as_str().unwrap_or("");
            let at = format!("{location} › {} {name}", key.0);
            let item = vec![format!("{method}({})", method_name(name))];
            let (rule, detail) = if required(new_param) {
                (
                    &rules::REQUIRED_PARAMETER_ADDED,
                    "a new required parameter; old clients do not send it",
                )
            } else {
                (&rules::OPTIONAL_PARAMETER_ADDED, "a new optional parameter")
            };
            self.record(rule, new_at, detail.into(), at, Use::REQUEST, item);
        }
    }

    /// The JSON body schema of a response, with its pointer.
    fn json_schema(doc: &'a Value, at: &str, holder: &'a Value) -> Option<(String, &'a Value)> {
        let (at, holder) = resolve_at(doc, at, holder);
        let content = holder.get("content")?.as_object()?;
        let media = json_media(content)?;
        let schema = content[media].get("schema")?;
        Some((join(&join(&join(&at, "content"), media), "schema"), schema))
    }

    fn request_body(
        &mut self,
        old_op: &OperationRef,
        new_op: &OperationRef,
        location: &str,
        method: &str,
    ) {
        let (old, new) = (self.old, self.new);
        let old_body = old.pointer(&join(&old_op.pointer, "requestBody"));
        let new_body = new.pointer(&join(&new_op.pointer, "requestBody"));
        let at = format!("{location} › body");
        let item = vec![method.to_string()];
        let required =
            |doc: &Value, body: &Value| resolve(doc, body)["required"] == Value::Bool(true);
        match (old_body, new_body) {
            (None, None) => {}
            (Some(_), None) => {
                self.record(
                    &rules::REQUEST_BODY_REMOVED,
                    &join(&old_op.pointer, "requestBody"),
                    "the request body was removed".into(),
                    at,
                    Use::REQUEST,
                    item,
                );
            }
            (None, Some(body)) => {
                let rule = if required(new, body) {
                    &rules::REQUIRED_REQUEST_BODY_ADDED
                } else {
                    &rules::OPTIONAL_REQUEST_BODY_ADDED
                };
                self.record(
                    rule,
                    &join(&new_op.pointer, "requestBody"),
                    "a new request body".into(),
                    at,
                    Use::REQUEST,
                    item,
                );
            }
            (Some(old_body), Some(new_body)) => {
                if !required(old, old_body) && required(new, new_body) {
                    self.record(
                        &rules::REQUEST_BODY_BECAME_REQUIRED,
                        &join(&new_op.pointer, "requestBody"),
                        "optional -> required".into(),
                        at.clone(),
                        Use::REQUEST,
                        item.clone(),
                    );
                }
                let old_sent = Sent::of(old, &join(&old_op.pointer, "requestBody"), old_body);
                let new_sent = Sent::of(new, &join(&new_op.pointer, "requestBody"), new_body);
                self.request_media(&old_sent, &new_sent, at.clone(), item);
                if let (
                    Some(Sent {
                        media: old_media,
                        schema: Some((old_at, old_schema)),
                        ..
                    }),
                    Some(Sent {
                        media: new_media,
                        schema: Some((new_at, new_schema)),
                        ..
                    }),
                ) = (old_sent, new_sent)
                    && bodies::encoding(old_media).is_some_and(Encoding::typed)
                    && bodies::encoding(new_media).is_some_and(Encoding::typed)
                {
                    let rels = self.schema(old_schema, &old_at, new_schema, &new_at);
                    self.attach(&rels, &at, Use::REQUEST, method, None);
                }
            }
        }
    }

    /// The media type the client sends changed (or progenitor can send it
    /// no more, or now can).
    fn request_media(
        &mut self,
        old: &Option<Sent<'a>>,
        new: &Option<Sent<'a>>,
        at: String,
        item: Vec<String>,
    ) {
        let (rule, pointer, detail) = match (old, new) {
            (Some(old), Some(new)) if bodies::essence(old.media) != bodies::essence(new.media) => (
                &rules::REQUEST_BODY_MEDIA_TYPE_CHANGED,
                &new.content,
                format!(
                    "`{}` -> `{}`: the client sends the body in the new form",
                    old.media, new.media
                ),
            ),
            (Some(old), None) => (
                &rules::REQUEST_BODY_BECAME_UNSENDABLE,
                &old.content,
                format!(
                    "`{}` -> none progenitor sends: the generated client leaves the operation out",
                    old.media
                ),
            ),
            (None, Some(new)) => (
                &rules::REQUEST_BODY_BECAME_SENDABLE,
                &new.content,
                format!(
                    "none progenitor sends -> `{}`: the operation joins the generated client",
                    new.media
                ),
            ),
            _ => return,
        };
        let pointer = pointer.clone();
        self.record(rule, &pointer, detail, at, Use::REQUEST, item);
    }

    fn responses(
        &mut self,
        old_op: &OperationRef,
        new_op: &OperationRef,
        location: &str,
        method: &str,
    ) {
        let (old, new) = (self.old, self.new);
        let listed = |doc: &'a Value, op: &OperationRef| -> BTreeMap<&'a str, &'a Value> {
            doc.pointer(&join(&op.pointer, "responses"))
                .and_then(Value::as_object)
                .into_iter()
                .flatten()
                .map(|(status, response)| (status.as_str(), response))
                .collect()
        };
        let (old_responses, new_responses) = (listed(old, old_op), listed(new, new_op));
        let has_range = old_responses.contains_key("2XX");
        let item = vec![method.to_string()];
        for (&status, &old_response) in &old_responses {
            let at = format!("{location} › {status}");
            let old_at = join(&join(&old_op.pointer, "responses"), status);
            let new_at = join(&join(&new_op.pointer, "responses"), status);
            let Some(&new_response) = new_responses.get(status) else {
                let (rule, detail) = if in_set(status, Set::Success, has_range) {
                    (
                        &rules::SUCCESS_STATUS_REMOVED,
                        "a success status was removed",
                    )
                } else {
                    (
                        &rules::ERROR_STATUS_REMOVED,
                        "a documented error status was removed: its body now arrives untyped",
                    )
                };
                self.record(
                    rule,
                    &old_at,
                    detail.into(),
                    at,
                    Use::RESPONSE,
                    item.clone(),
                );
                continue;
            };
            if resolve(old, old_response).get("description")
                != resolve(new, new_response).get("description")
            {
                self.record(
                    &rules::RESPONSE_DESCRIPTION_CHANGED,
                    &join(&new_at, "description"),
                    "description changed".into(),
                    at.clone(),
                    Use::RESPONSE,
                    item.clone(),
                );
            }
            let old_schema = Self::json_schema(old, &old_at, old_response);
            let new_schema = Self::json_schema(new, &new_at, new_response);
            match (old_schema, new_schema) {
                (Some((old_at, old_schema)), Some((new_at, new_schema))) => {
                    let rels = self.schema(old_schema, &old_at, new_schema, &new_at);
                    self.attach(&rels, &at, Use::RESPONSE, method, None);
                }
                (None, None) => {}
                (old_schema, new_schema) => {
                    self.record(
                        &rules::RESPONSE_BODY_CHANGED,
                        &new_at,
                        format!(
                            "JSON body {} -> {}",
                            if old_schema.is_some() {
                                "present"
                            } else {
                                "none"
                            },
                            if new_schema.is_some() {
                                "present"
                            } else {
                                "none"
                            }
                        ),
                        at,
                        Use::RESPONSE,
                        item.clone(),
                    );
                }
            }
        }
        for status in new_responses.keys() {
            if !old_responses.contains_key(status) {
                self.record(
                    &rules::STATUS_ADDED,
                    &join(&join(&new_op.pointer, "responses"), status),
                    "a newly documented status".into(),
                    format!("{location} › {status}"),
                    Use::RESPONSE,
                    item.clone(),
                );
            }
        }
    }

    /// The spec's servers, which `add-servers` makes constants of (named
    /// by the one namer): matched by URL, then by the constant's name.
    fn servers(&mut self) {
        struct Server<'v> {
            at: String,
            url: &'v str,
            name: String,
        }
        fn list(doc: &Value) -> Vec<Server<'_>> {
            let servers: Vec<&Value> = doc
                .get("servers")
                .and_then(Value::as_array)
                .into_iter()
                .flatten()
                .collect();
            let descriptions: Vec<&str> = servers
                .iter()
                .map(|s| {
                    s.get("description")
                        .and_then(Value::as_str)
                        .unwrap_or_default()
                })
                .collect();
            servers
                .iter()
                .zip(server_constants(&descriptions))
                .enumerate()
                .map(|(i, (server, (name, _)))| Server {
                    at: format!("/servers/{i}"),
                    url: server["url"].as_str().unwrap_or_default(),
                    name,
                })
                .collect()
        }
        let (mut old, mut new) = (list(self.old), list(self.new));
        let item = |name: &str| format!("{}::servers::{name}", self.crates.client);
        let mut found: Vec<(&'static Rule, String, String, Vec<String>)> = Vec::new();
        // The same URL: its constant may be renamed.
        old.retain(|o| {
            let Some(at) = new.iter().position(|n| n.url == o.url) else {
                return true;
            };
            let n = new.remove(at);
            if n.name != o.name {
                found.push((
                    &rules::SERVER_RENAMED,
                    join(&n.at, "description"),
                    format!("{}: `servers::{}` -> `servers::{}`", o.url, o.name, n.name),
                    vec![item(&o.name), item(&n.name)],
                ));
            }
            false
        });
        // The same constant: its URL changed.
        old.retain(|o| {
            let Some(at) = new.iter().position(|n| n.name == o.name) else {
                return true;
            };
            let n = new.remove(at);
            found.push((
                &rules::SERVER_URL_CHANGED,
                join(&n.at, "url"),
                format!("`servers::{}`: {} -> {}", o.name, o.url, n.url),
                vec![item(&o.name)],
            ));
            false
        });
        for o in old {
            found.push((
                &rules::SERVER_REMOVED,
                o.at,
                format!("{} (`servers::{}`) was removed", o.url, o.name),
                vec![item(&o.name)],
            ));
        }
        for n in new {
            found.push((
                &rules::SERVER_ADDED,
                n.at,
                format!("{} (`servers::{}`) was added", n.url, n.name),
                vec![item(&n.name)],
            ));
        }
        for (rule, pointer, detail, items) in found {
            self.record(rule, &pointer, detail, "servers".into(), Use::BOTH, items);
        }
    }

    /// Component schemas: added and removed types, their descriptions, and
    /// the structure of those not reached from any operation (a Rust change
    /// only).
    fn components(&mut self) {
        let schemas = |json: &Value| {
            json["components"]["schemas"]
                .as_object()
                .cloned()
                .unwrap_or_default()
        };
        let (old_schemas, new_schemas) = (schemas(self.old), schemas(self.new));
        for (name, old_schema) in &old_schemas {
            let at = join("/components/schemas", name);
            let location = format!("components › {name}");
            let item = self.type_item(name);
            match new_schemas.get(name) {
                None => {
                    self.record(
                        &rules::SCHEMA_REMOVED,
                        &at,
                        "the schema was removed".into(),
                        location,
                        Use::default(),
                        vec![item],
                    );
                }
                Some(new_schema) => {
                    if old_schema.get("description") != new_schema.get("description") {
                        self.record(
                            &rules::SCHEMA_DESCRIPTION_CHANGED,
                            &join(&at, "description"),
                            "description changed".into(),
                            location.clone(),
                            Use::default(),
                            vec![item.clone()],
                        );
                    }
                    let rels = self.schema(old_schema, &at, new_schema, &at);
                    self.attach(&rels, &location, Use::default(), &item, None);
                }
            }
        }
        for name in new_schemas.keys() {
            if !old_schemas.contains_key(name) {
                let item = self.type_item(name);
                self.record(
                    &rules::SCHEMA_ADDED,
                    &join("/components/schemas", name),
                    "a new schema".into(),
                    format!("components › {name}"),
                    Use::default(),
                    vec![item],
                );
            }
        }
    }

    /// Records the differences of one schema pair under `location`.
    fn attach(
        &mut self,
        rels: &[Rel],
        location: &str,
        used: Use,
        method: &str,
        items: Option<&Vec<String>>,
    ) {
        for rel in rels {
            let at = if rel.path.is_empty() {
                location.to_string()
            } else {
                format!("{location} › {}", rel.path)
            };
            let rust = match items {
                Some(items) => items.clone(),
                None => vec![self.rust_item(&rel.pointer, method)],
            };
            self.record(rel.rule, &rel.pointer, rel.detail.clone(), at, used, rust)
                .models = rel.models;
        }
    }

    /// The structural differences between two schemas (each given with the
    /// pointer where it is written), `$ref`s followed; memoized by the pair
    /// of places reached, and empty for a pair already being compared (a cycle).
    fn schema(&mut self, old: &Value, old_at: &str, new: &Value, new_at: &str) -> Rc<Vec<Rel>> {
        let (old_doc, new_doc) = (self.old, self.new);
        let mut out = Vec::new();
        // The reference itself: another name for the same structure is a
        // Rust change only; its structure is compared below either way.
        if let (Some(a), Some(b)) = (reference_of(old), reference_of(new))
            && a != b
        {
            out.push(Rel {
                rule: &rules::REFERENCE_RENAMED,
                models: None,
                path: String::new(),
                pointer: new_at.to_string(),
                detail: format!("$ref {a} -> {b}"),
            });
        }
        let (old_ptr, old_schema) = resolve_at(old_doc, old_at, old);
        let (new_ptr, new_schema) = resolve_at(new_doc, new_at, new);
        let key = (old_ptr.clone(), new_ptr.clone());
        let inner = if let Some(done) = self.memo.get(&key) {
            done.clone()
        } else if !self.in_progress.insert(key.clone()) {
            Rc::new(Vec::new())
        } else {
            let found = Rc::new(self.structure(old_schema, &old_ptr, new_schema, &new_ptr));
            self.in_progress.remove(&key);
            self.memo.insert(key, found.clone());
            found
        };
        if out.is_empty() {
            return inner;
        }
        out.extend(inner.iter().cloned());
        Rc::new(out)
    }

    fn structure(&mut self, old: &Value, old_at: &str, new: &Value, new_at: &str) -> Vec<Rel> {
        let (old_doc, new_doc) = (self.old, self.new);
        let (o, n) = (
            Flat::of(old_doc, old_at, old),
            Flat::of(new_doc, new_at, new),
        );
        let mut out = Vec::new();
        let mut push = |rule: &'static Rule, pointer: &str, detail: String| {
            out.push(Rel {
                rule,
                models: None,
                path: String::new(),
                pointer: pointer.to_string(),
                detail,
            });
        };
        let show = |value: Option<&Value>| value.map_or("(none)".to_string(), Value::to_string);
        // Where a keyword's change is: the schema that now states it, or
        // that stated it before.
        let place = |key: &str| -> String {
            n.keywords
                .get(key)
                .or_else(|| o.keywords.get(key))
                .map_or(new_at.to_string(), |(at, _)| at.clone())
        };
        let (ok, nk) = (|key: &str| o.keyword(key), |key: &str| n.keyword(key));
        // A constraint's change (pattern, limits) changes the Rust type as
        // the target model says: another type (major), a newtype that checks
        // other values (minor), or no type at all (patch).
        let (old_constrained, new_constrained) = (constrained(ok), constrained(nk));
        let constraint_bump = if old_constrained != new_constrained {
            Bump::Major
        } else if old_constrained == Constrained::CheckedString {
            Bump::Minor
        } else {
            Bump::Patch
        };
        let mut constraints: Vec<(&'static Rule, String, String)> = Vec::new();
        if ok("type") != nk("type") {
            let rule = match (ok("type"), nk("type")) {
                (Some(_), None) => &rules::TYPE_REMOVED,
                (None, Some(_)) => &rules::TYPE_ADDED,
                _ => &rules::PROPERTY_TYPE_CHANGED,
            };
            push(
                rule,
                &place("type"),
                format!("type {} -> {}", show(ok("type")), show(nk("type"))),
            );
        }
        match (ok("format"), nk("format")) {
            (a, b) if a == b => {}
            (Some(a), None) => push(
                &rules::FORMAT_REMOVED,
                &place("format"),
                format!("format {a} dropped"),
            ),
            (None, Some(b)) => push(
                &rules::FORMAT_ADDED,
                &place("format"),
                format!("format {b} added"),
            ),
            (a, b) => push(
                &rules::FORMAT_CHANGED,
                &place("format"),
                format!("format {} -> {}", show(a), show(b)),
            ),
        }
        match (ok("pattern"), nk("pattern")) {
            (a, b) if a == b => {}
            (Some(a), None) => constraints.push((
                &rules::PATTERN_REMOVED,
                place("pattern"),
                format!("pattern {a} dropped"),
            )),
            (None, Some(b)) => constraints.push((
                &rules::PATTERN_ADDED,
                place("pattern"),
                format!("pattern {b} added"),
            )),
            (a, b) => constraints.push((
                &rules::PATTERN_CHANGED,
                place("pattern"),
                format!("pattern {} -> {}", show(a), show(b)),
            )),
        }
        for (key, looser_when_larger) in [
            ("minLength", false),
            ("maxLength", true),
            ("minimum", false),
            ("maximum", true),
            ("minItems", false),
            ("maxItems", true),
        ] {
            let (a, b) = (
                ok(key).and_then(Value::as_f64),
                nk(key).and_then(Value::as_f64),
            );
            let rule = match (a, b) {
                (a, b) if a == b => continue,
                (Some(_), None) => &rules::LIMIT_REMOVED,
                (None, Some(_)) => &rules::LIMIT_ADDED,
                (Some(a), Some(b)) if (b > a) == looser_when_larger => &rules::LIMIT_LOOSENED,
                _ => &rules::LIMIT_TIGHTENED,
            };
            constraints.push((
                rule,
                place(key),
                format!("{key} {} -> {}", show(ok(key)), show(nk(key))),
            ));
        }
        // OpenAPI 3.0's `exclusiveMinimum: true` moves its bound inward.
        for key in ["exclusiveMinimum", "exclusiveMaximum"] {
            let exclusive = |v: Option<&Value>| v == Some(&Value::Bool(true));
            let rule = match (exclusive(ok(key)), exclusive(nk(key))) {
                (false, true) => &rules::LIMIT_TIGHTENED,
                (true, false) => &rules::LIMIT_LOOSENED,
                _ => continue,
            };
            constraints.push((
                rule,
                place(key),
                format!("{key} {} -> {}", show(ok(key)), show(nk(key))),
            ));
        }
        // A multiple of the old `multipleOf` accepts fewer values; a divisor
        // more; any other change both (a finding each way).
        let (a, b) = (
            ok("multipleOf").and_then(Value::as_f64),
            nk("multipleOf").and_then(Value::as_f64),
        );
        let divides = |a: f64, b: f64| a != 0.0 && (b / a).fract() == 0.0;
        let multiple_rules: &[&'static Rule] = match (a, b) {
            (a, b) if a == b => &[],
            (Some(_), None) => &[&rules::LIMIT_REMOVED],
            (None, Some(_)) => &[&rules::LIMIT_ADDED],
            (Some(a), Some(b)) if divides(a, b) => &[&rules::LIMIT_TIGHTENED],
            (Some(a), Some(b)) if divides(b, a) => &[&rules::LIMIT_LOOSENED],
            _ => &[&rules::LIMIT_TIGHTENED, &rules::LIMIT_LOOSENED],
        };
        for rule in multiple_rules {
            constraints.push((
                rule,
                place("multipleOf"),
                format!(
                    "multipleOf {} -> {}",
                    show(ok("multipleOf")),
                    show(nk("multipleOf"))
                ),
            ));
        }
        let values = |v: Option<&Value>| -> Option<BTreeSet<String>> {
            v.and_then(Value::as_array)
                .map(|v| v.iter().map(Value::to_string).collect())
        };
        match (values(ok("enum")), values(nk("enum"))) {
            (a, b) if a == b => {}
            (None, Some(_)) => push(
                &rules::ENUM_ADDED,
                &place("enum"),
                "the value became an enum".into(),
            ),
            (Some(_), None) => push(
                &rules::ENUM_REMOVED,
                &place("enum"),
                "the value is no longer an enum".into(),
            ),
            (Some(a), Some(b)) => {
                let added: Vec<&String> = b.difference(&a).collect();
                let removed: Vec<&String> = a.difference(&b).collect();
                if !added.is_empty() {
                    push(
                        &rules::ENUM_VALUE_ADDED,
                        &place("enum"),
                        format!("enum values added: {}", list(&added)),
                    );
                }
                if !removed.is_empty() {
                    push(
                        &rules::ENUM_VALUE_REMOVED,
                        &place("enum"),
                        format!("enum values removed: {}", list(&removed)),
                    );
                }
            }
            (None, None) => {}
        }
        let nullable = |v: Option<&Value>| v == Some(&Value::Bool(true));
        match (nullable(ok("nullable")), nullable(nk("nullable"))) {
            (false, true) => push(
                &rules::BECAME_NULLABLE,
                &place("nullable"),
                "nullable -> true".into(),
            ),
            (true, false) => push(
                &rules::BECAME_NON_NULLABLE,
                &place("nullable"),
                "nullable -> false".into(),
            ),
            _ => {}
        }
        if ok("default") != nk("default") {
            push(
                &rules::DEFAULT_CHANGED,
                &place("default"),
                format!("default {} -> {}", show(ok("default")), show(nk("default"))),
            );
        }
        // A component's own description is reported once, as the schema's.
        let is_component =
            new_at.starts_with("/components/schemas/") && new_at.matches('/').count() == 3;
        if !is_component && old.get("description") != new.get("description") {
            push(
                &rules::PROPERTY_DESCRIPTION_CHANGED,
                new_at,
                "description changed".into(),
            );
        }
        if old.get("example") != new.get("example") {
            push(
                &rules::PROPERTY_EXAMPLE_CHANGED,
                new_at,
                "example changed".into(),
            );
        }
        if let Some(detail) = deprecation(old, new) {
            push(&rules::PROPERTY_DEPRECATION_CHANGED, new_at, detail);
        }
        out.extend(constraints.into_iter().map(|(rule, pointer, detail)| Rel {
            rule,
            models: Some(constraint_bump),
            path: String::new(),
            pointer,
            detail,
        }));
        self.properties(&o, &n, &mut out);
        for (key, suffix) in [
            ("items", "[]"),
            ("additionalProperties", "{}"),
            ("not", "!"),
        ] {
            if let (Some((a_at, a)), Some((b_at, b))) = (o.children.get(key), n.children.get(key))
                && (a.is_object() && b.is_object())
            {
                let rels = self.schema(a, a_at, b, b_at);
                out.extend(rels.iter().map(|r| prefixed(r, suffix)));
            }
        }
        if let Some(rel) = additional_properties(&o, &n) {
            out.push(rel);
        }
        self.members(&o, &n, &mut out);
        out
    }

    fn properties(&mut self, o: &Flat, n: &Flat, out: &mut Vec<Rel>) {
        for (name, (old_pointer, old_prop)) in &o.properties {
            let was_required = o.required.contains(name);
            let Some((new_pointer, new_prop)) = n.properties.get(name) else {
                let (rule, which) = if was_required {
                    (&rules::REQUIRED_PROPERTY_REMOVED, "required")
                } else {
                    (&rules::OPTIONAL_PROPERTY_REMOVED, "optional")
                };
                out.push(Rel {
                    rule,
                    models: None,
                    path: name.clone(),
                    pointer: old_pointer.clone(),
                    detail: format!("the {which} property was removed"),
                });
                continue;
            };
            let is_required = n.required.contains(name);
            if was_required != is_required {
                let (rule, detail) = if was_required {
                    (
                        &rules::PROPERTY_BECAME_OPTIONAL,
                        "required -> optional: old readers expect it always",
                    )
                } else {
                    (
                        &rules::PROPERTY_BECAME_REQUIRED,
                        "optional -> required: old writers may not send it",
                    )
                };
                out.push(Rel {
                    rule,
                    models: None,
                    path: name.clone(),
                    pointer: new_pointer.clone(),
                    detail: detail.into(),
                });
            }
            let rels = self.schema(old_prop, old_pointer, new_prop, new_pointer);
            out.extend(rels.iter().map(|r| prefixed(r, name)));
        }
        for (name, (new_pointer, _)) in n
            .properties
            .iter()
            .filter(|(name, _)| !o.properties.contains_key(*name))
        {
            let (rule, detail) = if n.required.contains(name) {
                (&rules::REQUIRED_PROPERTY_ADDED, "a new required property")
            } else {
                (
                    &rules::OPTIONAL_PROPERTY_ADDED,
                    "a new optional property; old readers ignore it",
                )
            };
            out.push(Rel {
                rule,
                models: None,
                path: name.clone(),
                pointer: new_pointer.clone(),
                detail: detail.into(),
            });
        }
    }

    /// `oneOf`, `anyOf`: members matched by their `$ref` where they have
    /// one, otherwise by position.
    fn members(&mut self, o: &Flat, n: &Flat, out: &mut Vec<Rel>) {
        for key in ["oneOf", "anyOf"] {
            let empty = Vec::new();
            let (old_list_at, old_members) = o
                .unions
                .get(key)
                .map_or((o.at.clone(), &empty), |(at, m)| (at.clone(), *m));
            let (new_list_at, new_members) = n
                .unions
                .get(key)
                .map_or((n.at.clone(), &empty), |(at, m)| (at.clone(), *m));
            if old_members.is_empty() && new_members.is_empty() {
                continue;
            }
            let names = |members: &[Value]| -> String {
                members
                    .iter()
                    .enumerate()
                    .map(|(i, m)| describe(m, i))
                    .collect::<Vec<_>>()
                    .join(", ")
            };
            // A value that became, or stopped being, a union is one change.
            if old_members.is_empty() {
                out.push(Rel {
                    rule: &rules::ONE_OF_MEMBER_ADDED,
                    models: None,
                    path: String::new(),
                    pointer: new_list_at,
                    detail: format!("became a `{key}` of {}", names(new_members)),
                });
                continue;
            }
            if new_members.is_empty() {
                out.push(Rel {
                    rule: &rules::ONE_OF_MEMBER_REMOVED,
                    models: None,
                    path: String::new(),
                    pointer: old_list_at,
                    detail: format!("no longer a `{key}` of {}", names(old_members)),
                });
                continue;
            }
            let mut matched_new = BTreeSet::new();
            for (i, old_member) in old_members.iter().enumerate() {
                let by_ref = reference_of(old_member)
                    .and_then(|r| new_members.iter().position(|m| reference_of(m) == Some(r)));
                let by_position = (reference_of(old_member).is_none()
                    && i < new_members.len()
                    && reference_of(&new_members[i]).is_none())
                .then_some(i);
                let Some(j) = by_ref.or(by_position).filter(|j| !matched_new.contains(j)) else {
                    out.push(Rel {
                        rule: &rules::ONE_OF_MEMBER_REMOVED,
                        models: None,
                        path: String::new(),
                        pointer: join(&old_list_at, &i.to_string()),
                        detail: format!("`{key}` member {} removed", describe(old_member, i)),
                    });
                    continue;
                };
                matched_new.insert(j);
                let rels = self.schema(
                    old_member,
                    &join(&old_list_at, &i.to_string()),
                    &new_members[j],
                    &join(&new_list_at, &j.to_string()),
                );
                out.extend(rels.iter().cloned());
            }
            for (j, new_member) in new_members.iter().enumerate() {
                if !matched_new.contains(&j) {
                    out.push(Rel {
                        rule: &rules::ONE_OF_MEMBER_ADDED,
                        models: None,
                        path: String::new(),
                        pointer: join(&new_list_at, &j.to_string()),
                        detail: format!("`{key}` member {} added", describe(new_member, j)),
                    });
                }
            }
        }
    }
}

/// A schema with its `allOf` members merged in, as the wire sees it: an
/// `allOf` of a `$ref` and an inline object is the same value as the object
/// written out, so refactoring one into the other is no change.
struct Flat<'v> {
    /// Where the schema itself is.
    at: String,
    /// Each keyword with the pointer of the schema that states it (the
    /// schema's own first, then its members').
    keywords: BTreeMap<&'static str, (String, &'v Value)>,
    properties: BTreeMap<String, (String, &'v Value)>,
    required: BTreeSet<String>,
    /// `items`, `additionalProperties`, `not`.
    children: BTreeMap<&'static str, (String, &'v Value)>,
    /// `oneOf`, `anyOf`, with the pointer of their list.
    unions: BTreeMap<&'static str, (String, &'v Vec<Value>)>,
}

/// The keywords compared as values, and those `target::types::constrained`
/// reads (`items`, `oneOf`, `anyOf` are compared as schemas apart).
const KEYWORDS: [&str; 19] = [
    "type",
    "format",
    "pattern",
    "minLength",
    "maxLength",
    "minimum",
    "maximum",
    "exclusiveMinimum",
    "exclusiveMaximum",
    "multipleOf",
    "minItems",
    "maxItems",
    "enum",
    "nullable",
    "default",
    "description",
    "items",
    "oneOf",
    "anyOf",
];

impl<'v> Flat<'v> {
    fn of(doc: &'v Value, at: &str, schema: &'v Value) -> Flat<'v> {
        let mut flat = Flat {
            at: at.to_string(),
            keywords: BTreeMap::new(),
            properties: BTreeMap::new(),
            required: BTreeSet::new(),
            children: BTreeMap::new(),
            unions: BTreeMap::new(),
        };
        flat.merge(doc, at, schema, 8);
        flat
    }

    fn keyword(&self, key: &str) -> Option<&'v Value> {
        self.keywords.get(key).map(|(_, v)| *v)
    }

    fn merge(&mut self, doc: &'v Value, at: &str, schema: &'v Value, depth: u8) {
        let Some(map) = schema.as_object() else {
            return;
        };
        for key in KEYWORDS {
            if let Some(value) = map.get(key) {
                self.keywords
                    .entry(key)
                    .or_insert_with(|| (at.to_string(), value));
            }
        }
        if let Some(Value::Object(properties)) = map.get("properties") {
            let properties_at = join(at, "properties");
            for (name, property) in properties {
                self.properties
                    .entry(name.clone())
                    .or_insert_with(|| (join(&properties_at, name), property));
            }
        }
        for name in map
            .get("required")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
        {
            if let Some(name) = name.as_str() {
                self.required.insert(name.to_string());
            }
        }
        for key in ["items", "additionalProperties", "not"] {
            if let Some(child) = map.get(key) {
                self.children
                    .entry(key)
                    .or_insert_with(|| (join(at, key), child));
            }
        }
        for key in ["oneOf", "anyOf"] {
            if let Some(Value::Array(members)) = map.get(key) {
                self.unions
                    .entry(key)
                    .or_insert_with(|| (join(at, key), members));
            }
        }
        if depth == 0 {
            return;
        }
        if let Some(Value::Array(members)) = map.get("allOf") {
            let members_at = join(at, "allOf");
            for (i, member) in members.iter().enumerate() {
                let (member_at, member) =
                    resolve_at(doc, &join(&members_at, &i.to_string()), member);
                self.merge(doc, &member_at, member, depth - 1);
            }
        }
    }
}

/// The security requirements an operation is under: its own, else the
/// document's; each an alternative (a client meets one), as the set of
/// schemes it needs (scopes aside: the server decides what they grant).
fn effective_security<'v>(doc: &'v Value, operation: &'v Value) -> BTreeSet<BTreeSet<&'v str>> {
    operation
        .get("security")
        .or_else(|| doc.get("security"))
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .filter_map(Value::as_object)
        .map(|requirement| requirement.keys().map(String::as_str).collect())
        .collect()
}

/// How an operation's security changed for a client built before: an
/// alternative it may use is gone (or credentials are needed where none
/// were), or only new ways are offered (or none are needed).
fn security_change(
    old: BTreeSet<BTreeSet<&str>>,
    new: BTreeSet<BTreeSet<&str>>,
) -> Option<(&'static Rule, String)> {
    if old == new {
        return None;
    }
    // No requirement, or an empty one among them, means no credentials.
    let open =
        |set: &BTreeSet<BTreeSet<&str>>| set.is_empty() || set.iter().any(BTreeSet::is_empty);
    let show = |set: &BTreeSet<BTreeSet<&str>>| {
        if open(set) {
            return "none needed".to_string();
        }
        set.iter()
            .map(|all| {
                all.iter()
                    .map(|s| format!("`{s}`"))
                    .collect::<Vec<_>>()
                    .join(" and ")
            })
            .collect::<Vec<_>>()
            .join(" or ")
    };
    let kept = open(&new) || (!open(&old) && old.iter().all(|a| new.contains(a)));
    let rule = if kept {
        &rules::SECURITY_LOOSENED
    } else {
        &rules::SECURITY_TIGHTENED
    };
    Some((rule, format!("security: {} -> {}", show(&old), show(&new))))
}

/// `deprecated: true` set or cleared, in words.
fn deprecation(old: &Value, new: &Value) -> Option<String> {
    let deprecated = |v: &Value| v.get("deprecated") == Some(&Value::Bool(true));
    match (deprecated(old), deprecated(new)) {
        (false, true) => Some("deprecated".into()),
        (true, false) => Some("no longer deprecated".into()),
        _ => None,
    }
}

/// What an object allows beyond its declared properties (its
/// `additionalProperties`), on the wire.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Extra {
    /// Absent, `true` or `{}`: any member.
    Any,
    /// `false`: none.
    Forbidden,
    /// A schema: members of it.
    Typed,
}

impl Extra {
    fn of(value: Option<&Value>) -> Extra {
        match value {
            Some(Value::Bool(false)) => Extra::Forbidden,
            Some(Value::Object(schema)) if !schema.is_empty() => Extra::Typed,
            _ => Extra::Any,
        }
    }

    fn describe(self) -> &'static str {
        match self {
            Extra::Any => "any",
            Extra::Forbidden => "none (false)",
            Extra::Typed => "typed by a schema",
        }
    }
}

/// What typify makes of `additionalProperties` in a struct (an object with
/// properties): an `extra` map field for a schema (`{}` too),
/// `deny_unknown_fields` for `false`. Of an object without properties it
/// makes a map whose values are `Value` for `{}` as for none (and for a
/// schema a map of its type, for `false` an empty struct).
fn extra_in_rust(value: Option<&Value>, properties: bool) -> (bool, bool) {
    let map = match value {
        Some(Value::Object(schema)) => properties || !schema.is_empty(),
        _ => false,
    };
    (map, value == Some(&Value::Bool(false)))
}

/// A change of `additionalProperties` (two schemas are compared as
/// schemas): fewer members are valid (`additional-properties-narrowed`) or
/// more (`-widened`); the models' bump is major where the `extra` map comes
/// or goes (or the object has no properties: typify's map changes), minor
/// where only a struct's `deny_unknown_fields` does. `{}` against absent or
/// `true` is the same wire, yet a struct's map comes or goes
/// (`additional-properties-map-changed`).
fn additional_properties(o: &Flat<'_>, n: &Flat<'_>) -> Option<Rel> {
    fn value<'v>(flat: &Flat<'v>) -> Option<&'v Value> {
        flat.children.get("additionalProperties").map(|(_, v)| *v)
    }
    let (old_value, new_value) = (value(o), value(n));
    if old_value.is_some_and(Value::is_object) && new_value.is_some_and(Value::is_object) {
        return None;
    }
    let (old, new) = (Extra::of(old_value), Extra::of(new_value));
    let (old_struct, new_struct) = (!o.properties.is_empty(), !n.properties.is_empty());
    let (old_rust, new_rust) = (
        extra_in_rust(old_value, old_struct),
        extra_in_rust(new_value, new_struct),
    );
    let rule = match (old, new) {
        (a, b) if a == b && old_rust == new_rust => return None,
        (a, b) if a == b => &rules::ADDITIONAL_PROPERTIES_MAP_CHANGED,
        (Extra::Any, _) | (Extra::Typed, Extra::Forbidden) => {
            &rules::ADDITIONAL_PROPERTIES_NARROWED
        }
        _ => &rules::ADDITIONAL_PROPERTIES_WIDENED,
    };
    // Only a struct keeps its type when `deny_unknown_fields` comes or
    // goes; a map becomes a struct, or its values another type.
    let models = if old_rust.0 != new_rust.0 || !(old_struct && new_struct) {
        Bump::Major
    } else {
        Bump::Minor
    };
    let pointer = n
        .children
        .get("additionalProperties")
        .or_else(|| o.children.get("additionalProperties"))
        .map_or_else(|| n.at.clone(), |(at, _)| at.clone());
    let show = |value: Option<&Value>| value.map_or("(none)".to_string(), Value::to_string);
    Some(Rel {
        rule,
        models: Some(models),
        path: String::new(),
        pointer,
        detail: if old == new {
            format!(
                "additionalProperties {} -> {}: the same members; typify's `extra` map {}",
                show(old_value),
                show(new_value),
                if new_rust.0 { "comes" } else { "goes" }
            )
        } else {
            format!(
                "additionalProperties {} -> {}: {} -> {}",
                show(old_value),
                show(new_value),
                old.describe(),
                new.describe()
            )
        },
    })
}

/// `rel` seen from one level up: `segment` before its path.
fn prefixed(rel: &Rel, segment: &str) -> Rel {
    let path = match (segment, rel.path.as_str()) {
        (s, "") => s.to_string(),
        ("[]" | "{}" | "!", p) if p.starts_with('[') || p.starts_with('{') => {
            format!("{segment}{p}")
        }
        ("[]" | "{}" | "!", p) => format!("{segment}.{p}"),
        (s, p) if p.starts_with('[') || p.starts_with('{') => format!("{s}{p}"),
        (s, p) => format!("{s}.{p}"),
    };
    Rel {
        path,
        ..rel.clone()
    }
}

fn describe(member: &Value, index: usize) -> String {
    match reference_of(member) {
        Some(r) => format!("`{}`", r.rsplit('/').next().unwrap_or(r)),
        None => format!("#{index}"),
    }
}

fn list(values: &[&String]) -> String {
    values
        .iter()
        .map(|v| v.as_str())
        .collect::<Vec<_>>()
        .join(", ")
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Alternatives as written: `&[&["a", "b"], &["c"]]` is `a and b, or c`.
    fn security(alternatives: &[&[&'static str]]) -> BTreeSet<BTreeSet<&'static str>> {
        alternatives
            .iter()
            .map(|all| all.iter().copied().collect())
            .collect()
    }

    #[test]
    fn security_tightens_where_an_old_way_in_is_gone() {
        let rule = |old: &[&[&'static str]], new: &[&[&'static str]]| {
            security_change(security(old), security(new)).map(|(rule, _)| rule.id)
        };
        assert_eq!(rule(&[&["bearer"]], &[&["bearer"]]), None);
        assert_eq!(rule(&[], &[&["bearer"]]), Some("security-tightened"));
        // An empty requirement among them: no credentials needed.
        assert_eq!(rule(&[&[]], &[&["bearer"]]), Some("security-tightened"));
        assert_eq!(
            rule(&[&["bearer"]], &[&["bearer"], &[]]),
            Some("security-loosened")
        );
        assert_eq!(
            rule(&[&["bearer"]], &[&["bearer"], &["key"]]),
            Some("security-loosened")
        );
        assert_eq!(
            rule(&[&["bearer"], &["key"]], &[&["key"]]),
            Some("security-tightened")
        );
        // Both at once is another alternative than either.
        assert_eq!(
            rule(&[&["bearer"]], &[&["bearer", "key"]]),
            Some("security-tightened")
        );
        assert_eq!(rule(&[&["bearer"]], &[]), Some("security-loosened"));
    }
}
