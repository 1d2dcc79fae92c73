//! The front half of the pipeline, shared by `generate` and `diff`:
//! read → validate the document → select operations → normalize →
//! validate for progenitor → typed OpenAPI. Its product, a [`Spec`], is
//! what progenitor is given. In the whole pipeline, with two cores, each
//! check runs on a second thread beside the next step: the outcome is the
//! same, errors included.

use std::time::Duration;

use openapiv3::OpenAPI;
use serde_json::Value;

use crate::error::{Error, ErrorKind, Errors};
use crate::normalize;
use crate::openapi::Document;
use crate::openapi::select::Selection;
use crate::panic;
use crate::threads::{beside, two_cores};
use crate::timings::Timings;
use crate::validate::{self, Problem};

/// A loaded, validated and normalized spec.
#[derive(Debug, Clone)]
pub struct Spec {
    /// The path as the user named it.
    pub display_path: String,
    /// Lower-case hex SHA-256 of the text, recorded in each generated file.
    pub sha256: String,
    /// The normalized document as JSON ([`Spec::openapi`] types it).
    pub json: Value,
    /// What the normalization passes changed or dropped (empty for a spec
    /// that progenitor takes as written).
    pub normalized: normalize::Report,
    /// How long each stage took.
    pub timings: Vec<(String, Duration)>,
    /// The passes and output rewrites left out (`LoadOptions::skip_passes`).
    pub skipped: Vec<String>,
}

impl Spec {
    /// The document typed, as progenitor takes it. Made when asked rather
    /// than kept: progenitor needs it for a moment, and kept it was 33 MB of
    /// the generator's peak on BitGo's `api.yaml` (typing it again costs
    /// 0.2 s there); the whole pipeline (`crate::generate`) hands
    /// progenitor the one [`load`] typed to check it. It cannot fail on a
    /// spec [`load`] returned.
    pub fn openapi(&self) -> Result<OpenAPI, Errors> {
        typed(&self.json, &self.display_path)
    }
}

/// `json` typed; what does not fit the type is an error at its pointer.
fn typed(json: &Value, file: &str) -> Result<OpenAPI, Errors> {
    serde_path_to_error::deserialize(json).map_err(|e| {
        let pointer = crate::openapi::pointer::from_serde_path(e.path());
        Errors::one(Error::new(
            ErrorKind::Invalid,
            file,
            pointer,
            e.into_inner().to_string(),
        ))
    })
}

/// How to load: which operations, and which passes to skip.
#[derive(Debug, Clone, Default)]
pub struct LoadOptions {
    /// Keep only these operations (and the schemas they reach).
    pub selection: Option<Selection>,
    /// Names of normalization passes, or output rewrites, not to run (to
    /// see what stock progenitor does without one).
    pub skip_passes: Vec<String>,
}

/// Parses `text` with every pass and no selection; `file` names it in messages.
pub fn parse(file: &str, text: &str) -> Result<Spec, Errors> {
    load(Document::parse(file, text)?, &LoadOptions::default())
}

/// Reads `path` with every pass and no selection; `file` names it in messages.
pub fn read(path: &std::path::Path, file: &str) -> Result<Spec, Errors> {
    load(Document::read(path, file)?, &LoadOptions::default())
}

/// The front half of the pipeline on a document, on this thread alone
/// (its callers that load several, the diff's two sides, have their own
/// threads).
pub fn load(document: Document, options: &LoadOptions) -> Result<Spec, Errors> {
    load_with(document, options, passes, false).map(|(spec, _)| spec)
}

/// [`load`], with the typed document it checked: what progenitor is given
/// next when the whole pipeline runs (`crate::generate`), where typing it
/// again cost as much as the check (90 ms on BitGo's `api.yaml`). With two
/// cores, the checks run on a second thread beside the passes and the
/// typed parse.
pub(crate) fn load_typed(
    document: Document,
    options: &LoadOptions,
) -> Result<(Spec, OpenAPI), Errors> {
    load_with(document, options, passes, two_cores())
}

fn passes(doc: &mut Value, options: &LoadOptions) -> normalize::Report {
    normalize::normalize(doc, &options.skip_passes)
}

/// [`load_typed`] with the passes given, the checks on a second thread
/// beside them if `threads`.
fn load_with(
    document: Document,
    options: &LoadOptions,
    normalize: impl FnOnce(&mut Value, &LoadOptions) -> normalize::Report,
    threads: bool,
) -> Result<(Spec, OpenAPI), Errors> {
    let Document {
        file,
        sha256,
        mut json,
    } = document;
    let invalid = |problems: Vec<Problem>| {
        Errors(
            problems
                .into_iter()
                .map(|(pointer, message)| Error::new(ErrorKind::Invalid, &file, pointer, message))
                .collect(),
        )
    };
    let mut timings = Timings::start();
    // The rest of the front half: on a document the meta-schema check has
    // passed, or is checking beside it.
    let front = |json: &mut Value, timings: &mut Timings| {
        if let Some(selection) = &options.selection {
            selection.apply(json);
        }
        let normalized = normalize(json, options);
        timings.stage(if threads {
            "normalize (the document validated beside it)"
        } else {
            "normalize"
        });
        let (problems, openapi) = beside(
            threads,
            || validate::for_progenitor(json),
            || typed(json, &file),
        );
        (normalized, problems, openapi)
    };
    let loaded = if threads {
        // The check reads the document as written while the passes rewrite
        // a copy (on the 1000-operation spec, one after the other, the
        // check took 100-145 ms and the passes 240-430 ms in a slow
        // period). Its verdict comes first: what the passes made of a
        // document it refuses, a panic too (a pass may take a valid
        // document for granted), is thrown away unseen.
        let as_written = json.clone();
        let (problems, front) = beside(
            true,
            || validate::document(&as_written),
            || panic::catch(|| front(&mut json, &mut timings)),
        );
        drop(as_written);
        if !problems.is_empty() {
            return Err(invalid(problems));
        }
        front.map_err(|message| {
            Errors::one(Error::new(
                ErrorKind::Output,
                &file,
                "",
                format!("loading the spec panicked (a bug in this generator): {message}"),
            ))
        })?
    } else {
        // The passes see only a document the check passed; nothing is
        // caught (`panic::catch` holds a process-wide lock, and the diff
        // loads its two sides at once).
        let problems = validate::document(&json);
        if !problems.is_empty() {
            return Err(invalid(problems));
        }
        timings.stage("validate the document");
        front(&mut json, &mut timings)
    };
    let (normalized, problems, openapi) = loaded;
    if !problems.is_empty() {
        return Err(invalid(problems));
    }
    let openapi = openapi?;
    timings.stage(if threads {
        "validate for progenitor beside the typed parse"
    } else {
        "validate for progenitor, typed parse"
    });
    let spec = Spec {
        display_path: file,
        sha256,
        json,
        normalized,
        timings: timings.into_stages(),
        skipped: options.skip_passes.clone(),
    };
    Ok((spec, openapi))
}

#[cfg(test)]
mod tests {
    use super::*;

    const MINIMAL: &str = r##"
openapi: 3.0.3
info: {title: t, version: "1"}
paths:
  /a:
    get:
      operationId: getA
      responses:
        200:
          description: ok
          content:
            application/json:
              schema: {$ref: "#/components/schemas/A"}
components:
  schemas:
    A: {type: object}
    E: {type: object}
"##;

    /// The validation's verdict on `text` as written (no normalization):
    /// the last line of defence before progenitor.
    fn errors(text: &str) -> Vec<String> {
        let loaded = Document::parse("spec.yaml", text).and_then(|document| {
            load_with(
                document,
                &LoadOptions::default(),
                |_, _| Default::default(),
                false,
            )
        });
        match loaded {
            Ok(_) => Vec::new(),
            Err(e) => e.0.iter().map(ToString::to_string).collect(),
        }
    }

    /// With the checks on a second thread or not: the same spec, and the
    /// meta-schema's verdict before whatever the passes did with what it
    /// refuses; beside the check, a pass's panic is an error rather than a
    /// crash.
    #[test]
    fn the_checks_beside_the_passes_change_nothing_but_the_time() {
        let load = |text: &str, threads: bool, panics: bool| {
            let document = Document::parse("spec.yaml", text).unwrap();
            load_with(
                document,
                &LoadOptions::default(),
                |doc, options| {
                    assert!(!panics, "boom");
                    normalize::normalize(doc, &options.skip_passes)
                },
                threads,
            )
            .map(|(spec, _)| (spec.json, spec.normalized))
            .map_err(|e| e.to_string())
        };
        let repaired = MINIMAL.replace("      operationId: getA\n", "");
        let invalid = MINIMAL.replace("    A: {type: object}", "    A: {type: objekt}");
        for threads in [false, true] {
            assert_eq!(
                load(&repaired, threads, false),
                load(&repaired, !threads, false)
            );
            assert_eq!(
                load(&repaired, threads, false).unwrap().0["paths"]["/a"]["get"]["operationId"],
                "get_a"
            );
            let refused = load(&invalid, threads, true).unwrap_err();
            assert!(
                refused.starts_with("spec.yaml: /components/schemas/A/type: "),
                "{refused}"
            );
        }
        // Beside the check, a pass's panic on a document it passes is an
        // error (on one thread the passes never see what it refuses).
        assert_eq!(
            load(&repaired, true, true).unwrap_err(),
            "spec.yaml: /: loading the spec panicked (a bug in this generator): boom"
        );
    }

    #[test]
    fn normalization_repairs_what_the_validation_refuses() {
        let two_error_bodies = MINIMAL.replace(
            "components:",
            "        400:\n          description: bad\n          content:\n            application/json:\n              schema: {$ref: \"#/components/schemas/E\"}\n        401:\n          description: unauthorized\n          content:\n            application/json:\n              schema: {$ref: \"#/components/schemas/A\"}\ncomponents:",
        );
        assert_eq!(errors(&two_error_bodies).len(), 1);
        let spec = parse("spec.yaml", &two_error_bodies).unwrap();
        assert_eq!(spec.normalized.changes.len(), 1, "{:?}", spec.normalized);
        assert!(
            spec.json
                .pointer("/components/schemas/GetAError/oneOf")
                .is_some()
        );
        let unnamed = MINIMAL.replace("      operationId: getA\n", "");
        assert_eq!(errors(&unnamed).len(), 1);
        let spec = parse("spec.yaml", &unnamed).unwrap();
        assert_eq!(spec.json["paths"]["/a"]["get"]["operationId"], "get_a");
    }

    #[test]
    fn minimal_spec_is_valid_and_numeric_status_keys_are_read() {
        let spec = parse("spec.yaml", MINIMAL).unwrap();
        assert_eq!(spec.sha256.len(), 64);
        assert!(spec.json.pointer("/paths/~1a/get/responses/200").is_some());
    }

    #[test]
    fn yaml_syntax_error_names_the_line() {
        assert_eq!(
            errors("openapi: 3.0.3\ninfo: [unclosed\n"),
            ["spec.yaml: line 3 column 1: invalid YAML: did not find expected ',' or ']'"]
                .map(String::from)
        );
    }

    #[test]
    fn openapi_31_is_refused() {
        let text = MINIMAL.replace("openapi: 3.0.3", "openapi: 3.1.0");
        assert_eq!(
            errors(&text),
            ["spec.yaml: /openapi: OpenAPI 3.1.0 is not supported; progenitor accepts 3.0.x only"]
        );
    }

    #[test]
    fn missing_and_duplicate_operation_ids() {
        let missing = MINIMAL.replace("      operationId: getA\n", "");
        assert_eq!(
            errors(&missing),
            [
                "spec.yaml: /paths/~1a/get: missing operationId; progenitor names the client method after it"
            ]
        );
        let duplicate = MINIMAL.replace(
            "components:",
            "  /b:\n    get:\n      operationId: getA\n      responses:\n        204: {description: none}\ncomponents:",
        );
        assert_eq!(
            errors(&duplicate),
            [
                "spec.yaml: /paths/~1b/get/operationId: duplicate operationId \"getA\"; it is already used at /paths/~1a/get"
            ]
        );
    }

    #[test]
    fn path_templates_and_path_parameters_must_match() {
        let undeclared = MINIMAL.replace("  /a:\n", "  /a/{id}/{id}:\n");
        assert_eq!(
            errors(&undeclared),
            [
                "spec.yaml: /paths/~1a~1{id}~1{id}/get: the path's `{id}` has no path parameter (OpenAPI requires one; progenitor panics on it)"
            ]
        );
        let stray = MINIMAL.replace(
            "      operationId: getA\n",
            "      operationId: getA\n      parameters: [{name: id, in: path, required: true, schema: {type: string}}]\n",
        );
        assert_eq!(
            errors(&stray),
            [
                "spec.yaml: /paths/~1a/get/parameters: path parameter `id` is not in the path (OpenAPI requires it there; progenitor panics on it, or never sends it)"
            ]
        );
        // The pass `path-parameters` repairs both.
        for text in [undeclared, stray] {
            parse("spec.yaml", &text).unwrap();
        }
    }

    #[test]
    fn dangling_and_external_refs() {
        let dangling = MINIMAL.replace("schemas/A\"}", "schemas/Nope\"}");
        assert_eq!(
            errors(&dangling),
            [
                "spec.yaml: /paths/~1a/get/responses/200/content/application~1json/schema/$ref: $ref \"#/components/schemas/Nope\" does not resolve: nothing at \"/components/schemas/Nope\""
            ]
        );
        let external = MINIMAL.replace("\"#/components/schemas/A\"", "\"other.yaml#/A\"");
        assert_eq!(errors(&external).len(), 1);
        assert!(errors(&external)[0].contains("points outside this file"));
    }

    #[test]
    fn discriminator_mappings_name_schemas_or_refer_to_them() {
        let mapped = |mapping: &str| {
            MINIMAL.replace(
                "A: {type: object}",
                &format!(
                    "A: {{oneOf: [{{$ref: \"#/components/schemas/E\"}}], discriminator: {{propertyName: k, mapping: {{{mapping}}}}}}}"
                ),
            )
        };
        assert_eq!(errors(&mapped("e: E")), Vec::<String>::new());
        assert_eq!(
            errors(&mapped("e: \"#/components/schemas/E\"")),
            Vec::<String>::new()
        );
        assert_eq!(
            errors(&mapped("e: Nope")),
            [
                "spec.yaml: /components/schemas/A/discriminator/mapping/e: $ref \"#/components/schemas/Nope\" does not resolve: nothing at \"/components/schemas/Nope\""
            ]
        );
    }

    #[test]
    fn two_error_bodies_are_refused() {
        let text = MINIMAL.replace(
            "components:",
            "        400:\n          description: bad\n          content:\n            application/json:\n              schema: {$ref: \"#/components/schemas/E\"}\n        401:\n          description: unauthorized\n          content:\n            application/json:\n              schema: {$ref: \"#/components/schemas/A\"}\ncomponents:",
        );
        assert_eq!(
            errors(&text),
            [
                "spec.yaml: /paths/~1a/get/responses: the error responses have 2 different bodies (401 -> #/components/schemas/A; 400 -> #/components/schemas/E); progenitor supports one error body schema per operation"
            ]
        );
    }

    #[test]
    fn same_error_body_twice_is_fine_and_default_counts_in_both_sets() {
        let text = MINIMAL.replace(
            "components:",
            "        400:\n          description: bad\n          content:\n            application/json:\n              schema: {$ref: \"#/components/schemas/E\"}\n        401:\n          description: unauthorized\n          content:\n            application/json:\n              schema: {$ref: \"#/components/schemas/E\"}\ncomponents:",
        );
        assert!(errors(&text).is_empty());
        let with_default = MINIMAL.replace(
            "components:",
            "        default:\n          description: other\n          content:\n            application/json:\n              schema: {$ref: \"#/components/schemas/E\"}\ncomponents:",
        );
        let found = errors(&with_default);
        assert_eq!(found.len(), 1, "{found:?}");
        assert!(found[0].contains("the success responses have 2 different bodies"));
    }

    #[test]
    fn json_response_without_schema_is_refused() {
        let text = MINIMAL.replace(
            "              schema: {$ref: \"#/components/schemas/A\"}\n",
            "",
        );
        let text = text.replace("application/json:\n", "application/json: {}\n");
        assert_eq!(
            errors(&text),
            [
                "spec.yaml: /paths/~1a/get/responses/200/content/application~1json: a JSON response needs a schema; progenitor cannot type it without one"
            ]
        );
    }

    #[test]
    fn typed_errors_carry_a_pointer() {
        let text = MINIMAL.replace("A: {type: object}", "A: {type: object, required: 7}");
        let found = errors(&text);
        assert_eq!(found.len(), 1, "{found:?}");
        assert!(
            found[0].starts_with("spec.yaml: /components/schemas/A"),
            "{found:?}"
        );
    }

    #[test]
    fn non_mapping_documents_are_refused() {
        assert_eq!(errors(""), ["spec.yaml: /: the document is empty"]);
        assert_eq!(
            errors("- a\n- b\n"),
            ["spec.yaml: /: the document is not a mapping; expected an OpenAPI 3.0 object"]
        );
    }
}
