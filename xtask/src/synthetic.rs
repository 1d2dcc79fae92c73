//! Synthetic specs in the style of `openapi/bitgo.yaml`, scaled to any number
//! of operations, for measuring how the pipeline's cost grows.
//!
//! Operation `i` is `GET /api/v2/synthetic/{i}/session` with an optional
//! boolean query parameter (default false), a 200 body of its own
//! (`Session{i}`, wrapping `Token{i}` with a pattern, formats, arrays and open
//! objects) and 400/401 bodies of the shared `ErrorResponse`. So `n`
//! operations have `2n + 1` component schemas.

use std::fmt::Write;

/// The YAML text of a synthetic spec with `operations` operations.
pub fn spec_yaml(operations: usize) -> String {
    let mut out = String::with_capacity(2_000 + operations * 2_200);
    out.push_str(
        "openapi: 3.0.3\n\
         info:\n  title: Synthetic scoped sessions\n  version: 1.0.0\n\
         servers:\n  - url: https://synthetic.example\n    description: production\n\
         paths:\n",
    );
    for i in 0..operations {
        write!(
            out,
            r##"  /api/v2/synthetic/{i}/session:
    get:
      operationId: getSyntheticSession{i}
      summary: Get synthetic session {i}
      description: Route to get synthetic session {i}
      parameters:
        - name: skipOAuth
          in: query
          required: false
          description: Skip the SSO check
          schema:
            type: boolean
            default: false
      responses:
        "200":
          description: The session
          content:
            application/json:
              schema:
                $ref: "#/components/schemas/Session{i}"
        "400":
          description: Invalid request
          content:
            application/json:
              schema:
                $ref: "#/components/schemas/ErrorResponse"
        "401":
          description: Not authenticated
          content:
            application/json:
              schema:
                $ref: "#/components/schemas/ErrorResponse"
"##
        )
        .unwrap();
    }
    out.push_str("components:\n  schemas:\n");
    out.push_str(
        "    ErrorResponse:\n      type: object\n      required: [context, error, requestId]\n      \
         properties:\n        name: {type: string}\n        context: {type: object}\n        \
         error: {type: string}\n        requestId: {type: string}\n",
    );
    for i in 0..operations {
        write!(
            out,
            r##"    Session{i}:
      description: Synthetic session {i}
      type: object
      required: [token, metadata]
      properties:
        token:
          $ref: "#/components/schemas/Token{i}"
        metadata:
          type: object
          description: Metadata {i}
    Token{i}:
      description: Synthetic token {i}
      type: object
      required: [id, isExtensible]
      properties:
        id:
          type: string
          pattern: "^[0-9a-f]{{32}}$"
          example: 59cd72485007a239fb00282ed480da1f
        created:
          type: string
          format: date-time
        ip:
          type: string
          format: ipv4
        isExtensible:
          type: boolean
        label:
          type: string
          minLength: 1
        scope:
          type: array
          items:
            type: string
        unlock:
          type: object
"##
        )
        .unwrap();
    }
    out
}

/// The shape that makes typify 0.8's `allOf` merging blow up: a property
/// declared in two `allOf` branches, each time wrapped as
/// `{allOf: [$ref Union], description}`, where `Union` is a `oneOf` of
/// `members` schemas that are `allOf` compositions themselves (BitGo's
/// `TransactionRequestLite.intent`). Without the `single-ref-allof`
/// normalization pass, time grows about fivefold per four members.
pub fn allof_union_yaml(members: usize) -> String {
    let mut out = String::from(
        "openapi: 3.0.3\ninfo: {title: allOf union, version: \"1\"}\npaths:\n  /child:\n    get:\n      operationId: getChild\n      responses:\n        \"200\":\n          description: ok\n          content:\n            application/json:\n              schema: {$ref: \"#/components/schemas/Child\"}\ncomponents:\n  schemas:\n    Base:\n      type: object\n      properties:\n        id: {type: string}\n",
    );
    for i in 0..members {
        out.push_str(&format!(
            "    Member{i}:\n      allOf:\n        - $ref: \"#/components/schemas/Base\"\n        - type: object\n          required: [kind]\n          properties:\n            kind: {{type: string, enum: [m{i}]}}\n            field{i}: {{type: integer}}\n"
        ));
    }
    out.push_str("    Union:\n      oneOf:\n");
    for i in 0..members {
        out.push_str(&format!(
            "        - $ref: \"#/components/schemas/Member{i}\"\n"
        ));
    }
    out.push_str(
        "    Parent:\n      type: object\n      properties:\n        intent:\n          description: the intent\n          allOf:\n            - $ref: \"#/components/schemas/Union\"\n    Child:\n      allOf:\n        - $ref: \"#/components/schemas/Parent\"\n        - type: object\n          properties:\n            intent:\n              description: the child's intent\n              allOf:\n                - $ref: \"#/components/schemas/Union\"\n",
    );
    out
}

#[cfg(test)]
mod tests {
    use super::spec_yaml;

    #[test]
    fn synthetic_specs_are_valid_and_generate() {
        for n in [1, 3] {
            let spec = openapi_codegen::spec::parse("synthetic.yaml", &spec_yaml(n)).unwrap();
            let openapi = spec.openapi().unwrap();
            assert_eq!(openapi.paths.paths.len(), n);
            assert_eq!(
                openapi.components.as_ref().unwrap().schemas.len(),
                2 * n + 1
            );
            let api = crate::config::Api {
                builders: true,
                ..crate::config::Api::standalone(std::path::Path::new("synthetic.yaml"))
            };
            let text = openapi_codegen::generate::render(&spec, &api.settings())
                .unwrap()
                .client;
            for i in 0..n {
                assert!(
                    text.contains(&format!("pub fn get_synthetic_session{i}(")),
                    "{text}"
                );
            }
        }
    }
}
