//! The generated types accept what the spec allows and reject what it forbids,
//! with errors that name the field.

use bitgo_models::decode::{self, DecodeError};
use bitgo_models::{AccessTokenId, ErrorResponse, ScopedUserSession};
use bitgo_tests::fixture;
use serde_json::{Value, json};

fn decode_session(body: &Value) -> Result<ScopedUserSession, DecodeError> {
    decode::from_str(&body.to_string())
}

#[test]
fn full_200_body_deserializes_into_typed_fields() {
    let session = decode_session(&fixture("session_full.json")).unwrap();
    let token = &session.access_token;
    assert_eq!(token.id.as_str(), "59cd72485007a239fb00282ed480da1f");
    assert!(token.is_extensible);
    assert_eq!(token.ip, Some("127.0.0.1".parse().unwrap()));
    assert_eq!(token.ip_restrict, ["203.0.113.7", "198.51.100.0/24"]);
    assert_eq!(token.scope.len(), 10);
    assert_eq!(
        token.expires.unwrap().to_rfc3339(),
        "2026-11-02T10:15:27.431+00:00"
    );
    assert_eq!(token.unlock["txValueLimit"], json!(0));
    assert_eq!(
        token.user.as_ref().map(|u| u.as_str()),
        Some("59cd72485007a239fb00282ed480da1f")
    );
    let metadata = &session.authentication_metadata;
    assert_eq!(metadata.user_context["verified"], json!(true));
    assert_eq!(metadata.wallet_context.len(), 1);
}

#[test]
fn minimal_200_body_leaves_optional_fields_empty() {
    let session = decode_session(&fixture("session_minimal.json")).unwrap();
    assert_eq!(session.access_token.ip, None);
    assert!(session.access_token.scope.is_empty());
    assert!(session.access_token.unlock.is_empty());
    assert!(!session.access_token.is_extensible);
}

#[test]
fn error_body_deserializes() {
    let error: ErrorResponse = decode::from_str(&fixture("error_400.json").to_string()).unwrap();
    assert_eq!(error.name.as_deref(), Some("InvalidQueryParameter"));
    assert_eq!(error.error, "skipOAuth must be a boolean");
    assert_eq!(error.request_id, "cl3l5h7kq0001a8s1g2h3j4k5");
    assert_eq!(error.context["parameter"], json!("skipOAuth"));
}

/// Sets `pointer` in the full body to `value` and returns the decode error.
fn reject(pointer: &str, value: Value) -> DecodeError {
    let mut body = fixture("session_full.json");
    *body.pointer_mut(pointer).unwrap() = value;
    decode_session(&body).expect_err("the body breaks the schema")
}

#[test]
fn id_that_breaks_the_pattern_is_rejected_naming_the_field() {
    let error = reject("/accessToken/id", json!("59CD72485007A239FB00282ED480DA1F"));
    assert_eq!(error.path(), "accessToken.id");
    assert!(
        error
            .to_string()
            .contains(r#"doesn't match pattern "^[0-9a-f]{32}$""#),
        "{error}"
    );
    assert!("abc".parse::<AccessTokenId>().is_err());
}

#[test]
fn bad_ipv4_is_rejected_naming_the_field() {
    let error = reject("/accessToken/ip", json!("127.0.0.256"));
    assert_eq!(error.path(), "accessToken.ip");
    assert!(
        error.to_string().contains("invalid IPv4 address syntax"),
        "{error}"
    );
}

#[test]
fn bad_date_time_is_rejected_naming_the_field() {
    let error = reject("/accessToken/created", json!("yesterday"));
    assert_eq!(error.path(), "accessToken.created");
    assert!(
        error
            .to_string()
            .contains("input contains invalid characters"),
        "{error}"
    );
}

#[test]
fn empty_user_id_breaks_min_length() {
    let error = reject("/authenticationMetadata/userId", json!(""));
    assert_eq!(error.path(), "authenticationMetadata.userId");
    assert!(
        error.to_string().contains("shorter than 1 characters"),
        "{error}"
    );
}

#[test]
fn missing_required_field_is_rejected_naming_it() {
    let mut body = fixture("session_full.json");
    body["accessToken"]
        .as_object_mut()
        .unwrap()
        .remove("isExtensible");
    let error = decode_session(&body).unwrap_err();
    assert_eq!(error.path(), "accessToken");
    assert!(
        error.to_string().contains("missing field `isExtensible`"),
        "{error}"
    );

    let mut body = fixture("error_401.json");
    body.as_object_mut().unwrap().remove("requestId");
    let error = decode::from_str::<ErrorResponse>(&body.to_string()).unwrap_err();
    assert!(
        error.to_string().contains("missing field `requestId`"),
        "{error}"
    );
}

#[test]
fn unknown_fields_are_accepted_at_every_level() {
    let mut body = fixture("session_full.json");
    body["addedByBitGo"] = json!({"any": "thing"});
    body["accessToken"]["newTokenField"] = json!(42);
    body["authenticationMetadata"]["newMetadataField"] = json!([1, 2]);
    let session = decode_session(&body).unwrap();
    assert_eq!(
        session,
        decode_session(&fixture("session_full.json")).unwrap()
    );
}

#[test]
fn null_in_optional_scalars_reads_as_absent() {
    let mut body = fixture("session_full.json");
    for field in [
        "client", "created", "expires", "internal", "ip", "label", "token", "user",
    ] {
        body["accessToken"][field] = Value::Null;
    }
    body["accessToken"]["unlock"] = json!({});
    let token = decode_session(&body).unwrap().access_token;
    assert_eq!(token.client, None);
    assert_eq!(token.created, None);
    assert_eq!(token.internal, None);
    assert_eq!(token.ip, None);
    assert_eq!(token.user, None);
}

#[test]
fn trailing_garbage_is_rejected() {
    let text = format!("{} x", fixture("session_minimal.json"));
    let error = decode::from_str::<ScopedUserSession>(&text).unwrap_err();
    assert_eq!(error.path(), ".");
}

#[test]
fn builders_validate_and_build() {
    let token = bitgo_models::AccessToken::builder()
        .id("59cd72485007a239fb00282ed480da1f")
        .is_extensible(true);
    let token: bitgo_models::AccessToken = token.try_into().unwrap();
    assert!(token.is_extensible);

    let invalid: Result<bitgo_models::AccessToken, _> = bitgo_models::AccessToken::builder()
        .id("not-hex")
        .is_extensible(true)
        .try_into();
    assert!(invalid.is_err());
}

#[test]
fn the_access_token_value_never_prints_but_round_trips() {
    let body = fixture("session_full.json");
    let value = body["accessToken"]["token"].as_str().unwrap().to_string();
    let session = decode_session(&body).unwrap();
    let token = session.access_token.token.as_ref().unwrap();
    assert_eq!(token.expose(), value);
    assert!(!format!("{session:?}").contains(&value));
    assert!(format!("{session:?}").contains("token: Some([redacted])"));
    assert_eq!(token.to_string(), "[redacted]");
    assert_eq!(
        serde_json::to_value(&session).unwrap()["accessToken"]["token"],
        json!(value)
    );
}
