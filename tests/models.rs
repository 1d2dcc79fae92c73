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

/// `AccessToken` as serde's derive reads it: the generated struct's fields
/// and serde attributes, copied, with `#[derive(Deserialize)]`. The
/// generated one reads through the output rewrite `table-struct-fields`.
mod derived {
    use super::*;
    #[derive(serde::Deserialize, serde::Serialize)]
    pub struct AccessToken {
        #[serde(
            rename = "bitgoAdminPermissions",
            default,
            skip_serializing_if = "Vec::is_empty"
        )]
        bitgo_admin_permissions: Vec<String>,
        #[serde(skip_serializing_if = "Option::is_none")]
        client: Option<String>,
        #[serde(skip_serializing_if = "Option::is_none")]
        created: Option<chrono::DateTime<chrono::offset::Utc>>,
        #[serde(skip_serializing_if = "Option::is_none")]
        enterprise: Option<String>,
        #[serde(skip_serializing_if = "Option::is_none")]
        expires: Option<chrono::DateTime<chrono::offset::Utc>>,
        #[serde(rename = "extensionAddress", skip_serializing_if = "Option::is_none")]
        extension_address: Option<String>,
        id: AccessTokenId,
        #[serde(skip_serializing_if = "Option::is_none")]
        internal: Option<bool>,
        #[serde(skip_serializing_if = "Option::is_none")]
        ip: Option<std::net::Ipv4Addr>,
        #[serde(rename = "ipRestrict", default, skip_serializing_if = "Vec::is_empty")]
        ip_restrict: Vec<String>,
        #[serde(rename = "isExtensible")]
        is_extensible: bool,
        #[serde(skip_serializing_if = "Option::is_none")]
        label: Option<String>,
        #[serde(default, skip_serializing_if = "Vec::is_empty")]
        organizations: Vec<String>,
        #[serde(skip_serializing_if = "Option::is_none")]
        origin: Option<String>,
        #[serde(default, skip_serializing_if = "Vec::is_empty")]
        scope: Vec<String>,
        #[serde(skip_serializing_if = "Option::is_none")]
        token: Option<bitgo_models::Secret>,
        #[serde(default, skip_serializing_if = "serde_json::Map::is_empty")]
        unlock: serde_json::Map<String, Value>,
        #[serde(skip_serializing_if = "Option::is_none")]
        user: Option<bitgo_models::AccessTokenUser>,
    }
}

/// What reading `text` gives: the value written back, or serde_json's error.
fn read_as<T: serde::de::DeserializeOwned + serde::Serialize>(text: &str) -> Result<Value, String> {
    let value = serde_json::from_str::<T>(text).map_err(|e| e.to_string())?;
    Ok(serde_json::to_value(value).unwrap())
}

/// Reading a [`serde_json::Value`] (a map with owned keys) instead of text.
fn read_value_as<T: serde::de::DeserializeOwned + serde::Serialize>(
    value: &Value,
) -> Result<Value, String> {
    let read = serde_json::from_value::<T>(value.clone()).map_err(|e| e.to_string())?;
    Ok(serde_json::to_value(read).unwrap())
}

#[test]
fn a_struct_read_through_its_table_reads_as_serdes_derive_does() {
    use bitgo_models::AccessToken;
    let full = fixture("session_full.json")["accessToken"].clone();
    let minimal = fixture("session_minimal.json")["accessToken"].clone();
    let mut inputs: Vec<String> = vec![full.to_string(), minimal.to_string()];
    // Each property missing, null, of the wrong type, and twice.
    for name in full.as_object().unwrap().keys() {
        let mut without = full.clone();
        without.as_object_mut().unwrap().remove(name);
        inputs.push(without.to_string());
        for value in [Value::Null, json!(17), json!({"a": [1]})] {
            let mut changed = full.clone();
            changed[name] = value;
            inputs.push(changed.to_string());
        }
        let text = full.to_string();
        inputs.push(format!(r#"{{"{name}": {}, {}"#, full[name], &text[1..]));
    }
    inputs.extend(
        [
            // Unknown keys (also one named as a Rust field, not its serde name).
            r#"{"id": "59cd72485007a239fb00282ed480da1f", "isExtensible": true, "is_extensible": 1, "x": {"y": [null]}}"#,
            r#"{}"#,
            r#"{"isExtensible": true}"#,
            // Not an object.
            r#""59cd72485007a239fb00282ed480da1f""#,
            r#"null"#,
            r#"17"#,
            // serde's derive also reads a struct from a sequence, in declaration order.
            r#"[]"#,
            r#"[["admin"], "c"]"#,
            r#"[[], null, null, null, null, null, "59cd72485007a239fb00282ed480da1f", null, null, [], true, null, [], null, [], null, {}, null]"#,
            r#"[[], null, null, null, null, null, "59cd72485007a239fb00282ed480da1f", null, null, [], true, null, [], null, [], null, {}, null, 1]"#,
            r#"[[], null, null, null, null, null, "59cd72485007a239fb00282ed480da1f", null, null, [], true]"#,
            r#"[[], null, null, null, null, null, "59cd72485007a239fb00282ed480da1f", null, null, [], "no"]"#,
            // Broken text.
            r#"{"id": "59cd72485007a239fb00282ed480da1f", "isExtensible": true"#,
            r#"{"id": "59cd72485007a239fb00282ed480da1f", "isExtensible": true,}"#,
        ]
        .map(String::from),
    );
    let mut errors = 0;
    for text in &inputs {
        let ours = read_as::<AccessToken>(text);
        assert_eq!(ours, read_as::<derived::AccessToken>(text), "{text}");
        errors += usize::from(ours.is_err());
        if let Ok(value) = serde_json::from_str::<Value>(text) {
            assert_eq!(
                read_value_as::<AccessToken>(&value),
                read_value_as::<derived::AccessToken>(&value),
                "{text}"
            );
        }
    }
    // The inputs reach both outcomes: the comparison could fail either way.
    assert!(
        errors > 20 && errors < inputs.len() - 20,
        "{errors} of {}",
        inputs.len()
    );
}

/// A writer that takes `room` bytes and then fails.
struct Cramped {
    written: Vec<u8>,
    room: usize,
}

impl std::io::Write for Cramped {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        if self.written.len() + buf.len() > self.room {
            return Err(std::io::Error::other(format!(
                "full at {}",
                self.written.len()
            )));
        }
        self.written.extend_from_slice(buf);
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

#[test]
fn a_struct_written_through_its_table_stops_at_the_first_error_as_serdes_derive_does() {
    let full = fixture("session_full.json")["accessToken"].to_string();
    let ours: bitgo_models::AccessToken = serde_json::from_str(&full).unwrap();
    let derived: derived::AccessToken = serde_json::from_str(&full).unwrap();
    let whole = serde_json::to_vec(&ours).unwrap();
    assert_eq!(whole, serde_json::to_vec(&derived).unwrap());
    // A serializer that fails at every possible byte: the same bytes are
    // written before the error, the same error comes back, nothing after it.
    for room in 0..=whole.len() {
        let written = write_cramped(&ours, room);
        assert_eq!(written, write_cramped(&derived, room), "room {room}");
        assert_eq!(written.0.is_ok(), room == whole.len(), "room {room}");
    }
}

/// What serde_json writes of `value` into `room` bytes, and its error.
fn write_cramped<T: serde::Serialize>(value: &T, room: usize) -> (Result<(), String>, Vec<u8>) {
    let mut out = Cramped {
        written: Vec::new(),
        room,
    };
    let result = serde_json::to_writer(&mut out, value).map_err(|e| e.to_string());
    (result, out.written)
}
