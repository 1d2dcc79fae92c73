//! The rule registry: every kind of change the diff reports, with its wire
//! severity in each direction, the semver bump it needs in the models and
//! the client crate, and what it means. Each rule has a fixture pair,
//! `tests/diff/<id>/{base,revision}.yaml`, that the test suite runs.

use super::{Bump, Severity};

/// One kind of change.
#[derive(Debug, PartialEq, Eq)]
pub struct Rule {
    /// Stable identifier, as printed in reports.
    pub id: &'static str,
    /// Wire severity when the schema is sent by the client (a request).
    pub request: Severity,
    /// Wire severity when the schema is read by the client (a response).
    pub response: Severity,
    /// The bump the models crate needs. For a constraint's change
    /// (`property-pattern-*`, `property-limit-*`) the target model decides
    /// it change by change (`target::types::constrained`): major where the
    /// Rust type changes (a plain string becomes a checked newtype, an
    /// integer another integer type: `minimum: 1` is a `NonZeroU64`), minor
    /// where a checked newtype checks other values, patch where typify
    /// checks the constraint nowhere; the one here is a string's.
    pub models: Bump,
    /// The bump the client crate needs (at least the models', which it re-exports).
    pub client: Bump,
    /// What it means, for the reader of a report.
    pub description: &'static str,
}

use Bump::{Major, Minor, Patch};
use Severity::{Breaking, Compatible, MayBreak};

macro_rules! rules {
    ($($name:ident = $id:literal, $request:expr, $response:expr, $models:expr, $client:expr, $description:literal;)*) => {
        $(
            #[doc = $description]
            pub const $name: Rule = Rule {
                id: $id,
                request: $request,
                response: $response,
                models: $models,
                client: $client,
                description: $description,
            };
        )*
        /// Every rule, in the order reports list kinds.
        pub const RULES: &[&Rule] = &[$(&$name),*];
    };
}

rules! {
    OPERATION_REMOVED = "operation-removed", Breaking, Breaking, Patch, Major,
        "An operation was removed: calls to it fail, and its client method is gone.";
    OPERATION_ADDED = "operation-added", Compatible, Compatible, Patch, Minor,
        "A new operation: a new client method.";
    OPERATION_DESCRIPTION_CHANGED = "operation-description-changed", Compatible, Compatible, Patch, Patch,
        "An operation's summary or description changed: docs only.";
    OPERATION_DEPRECATION_CHANGED = "operation-deprecation-changed", Compatible, Compatible, Patch, Patch,
        "An operation was deprecated (or no longer is): progenitor marks nothing deprecated in Rust, so docs only.";
    SECURITY_TIGHTENED = "security-tightened", Breaking, Breaking, Patch, Patch,
        "An operation's security requirements changed so that a way old clients authenticate is no longer listed, or credentials are needed where none were. progenitor ignores security: the generated client sends what hand-written code gives it.";
    SECURITY_LOOSENED = "security-loosened", Compatible, Compatible, Patch, Patch,
        "An operation offers new ways to authenticate, every old one kept, or needs no credentials.";
    OPERATION_ID_CHANGED = "operation-id-changed", Compatible, Compatible, Patch, Major,
        "An operationId changed: the same request on the wire, a renamed client method.";
    PARAMETER_REMOVED = "request-parameter-removed", MayBreak, MayBreak, Patch, Major,
        "A parameter was removed: the server may reject or ignore it, and the method loses an argument.";
    PARAMETER_BECAME_REQUIRED = "request-parameter-became-required", Breaking, Breaking, Patch, Major,
        "A parameter became required: old clients may not send it.";
    PARAMETER_BECAME_OPTIONAL = "request-parameter-became-optional", Compatible, Compatible, Patch, Major,
        "A parameter became optional: the argument becomes an Option.";
    PARAMETER_SERIALIZATION_CHANGED = "request-parameter-serialization-changed", Breaking, Breaking, Patch, Patch,
        "A parameter's `style` or `explode` changed: the same values go out in another form (`a=1&a=2` or `a=1,2`), which a server reading the other form misreads; the generated client sends the new form.";
    PARAMETER_DESCRIPTION_CHANGED = "request-parameter-description-changed", Compatible, Compatible, Patch, Patch,
        "A parameter's description changed: docs only.";
    REQUIRED_PARAMETER_ADDED = "request-required-parameter-added", Breaking, Breaking, Patch, Major,
        "A new required parameter: old clients do not send it.";
    OPTIONAL_PARAMETER_ADDED = "request-optional-parameter-added", Compatible, Compatible, Patch, Minor,
        "A new optional parameter.";
    SUCCESS_STATUS_REMOVED = "response-success-status-removed", Breaking, Breaking, Patch, Minor,
        "A success status was removed: the operation answers differently.";
    ERROR_STATUS_REMOVED = "response-error-status-removed", MayBreak, MayBreak, Patch, Minor,
        "A documented error status was removed: its body now arrives untyped.";
    RESPONSE_BODY_CHANGED = "response-body-changed", Breaking, Breaking, Patch, Major,
        "A response gained or lost its JSON body.";
    PATH_PARAMETER_RENAMED = "path-parameter-renamed", Compatible, Compatible, Patch, Minor,
        "A path parameter was renamed (`{accountID}` -> `{accountId}`): the same URL on the wire, a renamed argument.";
    REQUEST_BODY_REMOVED = "request-body-removed", MayBreak, MayBreak, Patch, Major,
        "The request body was removed: the server may reject or ignore it, and the method loses its argument.";
    REQUIRED_REQUEST_BODY_ADDED = "request-required-body-added", Breaking, Breaking, Patch, Major,
        "A required request body: old clients do not send it.";
    OPTIONAL_REQUEST_BODY_ADDED = "request-optional-body-added", Compatible, Compatible, Patch, Major,
        "An optional request body: a new argument.";
    REQUEST_BODY_BECAME_REQUIRED = "request-body-became-required", Breaking, Breaking, Patch, Major,
        "The request body became required: old clients may not send it.";
    REQUEST_BODY_MEDIA_TYPE_CHANGED = "request-body-media-type-changed", Breaking, Breaking, Patch, Patch,
        "The request body's media type changed (`application/json` -> `application/x-www-form-urlencoded`): a server that reads one cannot read the other; the method keeps its signature and sends the new form.";
    REQUEST_BODY_BECAME_UNSENDABLE = "request-body-became-unsendable", Breaking, Breaking, Patch, Major,
        "The request body's media types became ones progenitor cannot send (`multipart/form-data`): a server that reads the old one cannot read them, and the generated client leaves the operation out.";
    REQUEST_BODY_BECAME_SENDABLE = "request-body-became-sendable", Breaking, Breaking, Patch, Minor,
        "The request body's media types became ones progenitor sends, where it sent none before: a server that reads the old one cannot read it, and the operation joins the generated client.";
    SERVER_REMOVED = "server-removed", MayBreak, MayBreak, Patch, Major,
        "A server was removed: clients that call it reach an address the spec no longer lists; its `servers` constant is gone.";
    SERVER_ADDED = "server-added", Compatible, Compatible, Patch, Minor,
        "A new server: a new `servers` constant.";
    SERVER_URL_CHANGED = "server-url-changed", MayBreak, MayBreak, Patch, Patch,
        "A server's URL changed (its constant keeps its name): clients built before call the old address.";
    SERVER_RENAMED = "server-renamed", Compatible, Compatible, Patch, Major,
        "A server's description changed, and with it the name of its `servers` constant; the same URL.";
    OPERATION_SERVERS_CHANGED = "operation-servers-changed", MayBreak, MayBreak, Patch, Patch,
        "A path's or an operation's own `servers` changed: the operation is served elsewhere. progenitor ignores them: the generated client calls the base URL it is given.";
    RESPONSE_DESCRIPTION_CHANGED = "response-description-changed", Compatible, Compatible, Patch, Patch,
        "A response's description changed: docs only.";
    STATUS_ADDED = "response-status-added", Compatible, Compatible, Patch, Minor,
        "A newly documented status.";
    SCHEMA_REMOVED = "schema-removed", Compatible, Compatible, Major, Major,
        "A component schema was removed: its Rust type is gone.";
    SCHEMA_ADDED = "schema-added", Compatible, Compatible, Minor, Minor,
        "A new component schema: a new Rust type.";
    SCHEMA_DESCRIPTION_CHANGED = "schema-description-changed", Compatible, Compatible, Patch, Patch,
        "A schema's description changed: docs only.";
    REQUIRED_PROPERTY_REMOVED = "required-property-removed", Compatible, Breaking, Major, Major,
        "A required property was removed: old readers expect it always; the Rust field is gone.";
    OPTIONAL_PROPERTY_REMOVED = "optional-property-removed", Compatible, MayBreak, Major, Major,
        "An optional property was removed: old readers may rely on it; the Rust field is gone.";
    PROPERTY_BECAME_OPTIONAL = "property-became-optional", Compatible, Breaking, Major, Major,
        "A property became optional: old readers expect it always; the Rust field becomes an Option.";
    PROPERTY_BECAME_REQUIRED = "property-became-required", Breaking, Compatible, Major, Major,
        "A property became required: old writers may not send it; the Rust field loses its Option.";
    OPTIONAL_PROPERTY_ADDED = "property-added-optional", Compatible, Compatible, Major, Major,
        "A new optional property: old readers ignore it; a new public field breaks struct literals.";
    REQUIRED_PROPERTY_ADDED = "property-added-required", Breaking, Compatible, Major, Major,
        "A new required property: old writers do not send it.";
    REFERENCE_RENAMED = "reference-renamed", Compatible, Compatible, Major, Major,
        "A `$ref` names another schema; the wire is judged by the structures (compared apart), the Rust type is another.";
    ADDITIONAL_PROPERTIES_NARROWED = "additional-properties-narrowed", Breaking, Compatible, Major, Major,
        "Fewer members beyond the declared properties are valid (any -> a schema's or none, a schema's -> none): old writers may send what is now refused. Rust: `deny_unknown_fields` comes (minor) or an `extra` map of the schema's type comes or goes (major).";
    ADDITIONAL_PROPERTIES_WIDENED = "additional-properties-widened", Compatible, Breaking, Major, Major,
        "More members beyond the declared properties are valid (none -> any or a schema's, a schema's -> any): old readers may reject or misread them. Rust: `deny_unknown_fields` goes (minor) or an `extra` map comes or goes (major).";
    ADDITIONAL_PROPERTIES_MAP_CHANGED = "additional-properties-map-changed", Compatible, Compatible, Major, Major,
        "`additionalProperties: {}` against absent or `true` beside properties: the same wire, but typify makes an `extra` map field of `{}` only.";
    ONE_OF_MEMBER_ADDED = "one-of-member-added", Compatible, Breaking, Major, Major,
        "A `oneOf`/`anyOf` member was added: old readers (a closed Rust enum) cannot read it.";
    ONE_OF_MEMBER_REMOVED = "one-of-member-removed", Breaking, Compatible, Major, Major,
        "A `oneOf`/`anyOf` member was removed: old writers may still send it.";
    PROPERTY_TYPE_CHANGED = "property-type-changed", Breaking, Breaking, Major, Major,
        "A property's type changed.";
    TYPE_REMOVED = "property-type-removed", Compatible, Breaking, Major, Major,
        "A type was dropped (any value is valid): values of other types old readers reject may arrive; the Rust type becomes `serde_json::Value`.";
    TYPE_ADDED = "property-type-added", Breaking, Compatible, Major, Major,
        "A value of any type got one: values of other types old writers send may be refused; a typed Rust type replaces `serde_json::Value`.";
    FORMAT_REMOVED = "property-format-removed", Compatible, Breaking, Major, Major,
        "A format was dropped: values old readers reject may arrive.";
    FORMAT_ADDED = "property-format-added", Breaking, Compatible, Major, Major,
        "A format was added: values old writers send may be refused.";
    FORMAT_CHANGED = "property-format-changed", Breaking, Breaking, Major, Major,
        "A format changed: another type.";
    PATTERN_REMOVED = "property-pattern-removed", Compatible, Breaking, Major, Major,
        "A pattern was dropped: values old readers reject may arrive; a string newtype that checked only it becomes a plain `String`.";
    PATTERN_ADDED = "property-pattern-added", Breaking, Compatible, Major, Major,
        "A pattern was added: values old writers send may be refused; a plain `String` becomes a checked newtype.";
    PATTERN_CHANGED = "property-pattern-changed", MayBreak, Breaking, Minor, Minor,
        "A pattern changed: whether it accepts a superset cannot be decided here; the newtype checks the new one.";
    LIMIT_LOOSENED = "property-limit-loosened", Compatible, Breaking, Minor, Minor,
        "A length, value or item limit was loosened: values old readers reject may arrive.";
    LIMIT_TIGHTENED = "property-limit-tightened", Breaking, Compatible, Minor, Minor,
        "A length, value or item limit was tightened: values old writers send may be refused.";
    LIMIT_REMOVED = "property-limit-removed", Compatible, Breaking, Major, Major,
        "A length, value or item limit was removed: values old readers reject may arrive.";
    LIMIT_ADDED = "property-limit-added", Breaking, Compatible, Major, Major,
        "A length, value or item limit was added: values old writers send may be refused.";
    ENUM_ADDED = "property-enum-added", Breaking, Compatible, Major, Major,
        "A free value became an enum: a closed Rust enum replaces it.";
    ENUM_REMOVED = "property-enum-removed", Compatible, Breaking, Major, Major,
        "An enum became a free value.";
    ENUM_VALUE_ADDED = "property-enum-value-added", Compatible, Breaking, Major, Major,
        "Enum values were added: a closed Rust enum rejects them.";
    ENUM_VALUE_REMOVED = "property-enum-value-removed", Breaking, Compatible, Major, Major,
        "Enum values were removed: old writers may send them.";
    BECAME_NULLABLE = "property-became-nullable", Compatible, Breaking, Major, Major,
        "A value became nullable: old readers may get null.";
    BECAME_NON_NULLABLE = "property-became-non-nullable", Breaking, Compatible, Major, Major,
        "A value is no longer nullable: old writers may send null.";
    DEFAULT_CHANGED = "property-default-changed", MayBreak, MayBreak, Patch, Patch,
        "A default changed: an absent value now means something else.";
    PROPERTY_DESCRIPTION_CHANGED = "property-description-changed", Compatible, Compatible, Patch, Patch,
        "A property's description changed: docs only.";
    PROPERTY_DEPRECATION_CHANGED = "property-deprecation-changed", Compatible, Compatible, Patch, Patch,
        "A schema or property was deprecated (or no longer is): typify marks nothing deprecated in Rust, so docs only.";
    PROPERTY_EXAMPLE_CHANGED = "property-example-changed", Compatible, Compatible, Patch, Patch,
        "A property's example changed: docs only.";
}

/// The rule with this id.
pub fn by_id(id: &str) -> Option<&'static Rule> {
    RULES.iter().copied().find(|r| r.id == id)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_are_unique_and_the_client_bump_covers_the_models() {
        let mut ids: Vec<&str> = RULES.iter().map(|r| r.id).collect();
        ids.sort();
        ids.dedup();
        assert_eq!(ids.len(), RULES.len());
        for rule in RULES {
            assert!(rule.client >= rule.models, "{}", rule.id);
            assert_eq!(by_id(rule.id), Some(*rule));
        }
    }
}
