//! The floor for deserialization benchmarks: the same fields as the generated
//! `ScopedUserSession`, as plain strings and collections, with no pattern,
//! format or length checks and no secret wrapper.
#![allow(dead_code)]

use serde::Deserialize;
use serde_json::{Map, Value};

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ScopedUserSession {
    pub access_token: AccessToken,
    pub authentication_metadata: AuthenticationMetadata,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct AccessToken {
    #[serde(default)]
    pub bitgo_admin_permissions: Vec<String>,
    pub client: Option<String>,
    pub created: Option<String>,
    pub enterprise: Option<String>,
    pub expires: Option<String>,
    pub extension_address: Option<String>,
    pub id: String,
    pub internal: Option<bool>,
    pub ip: Option<String>,
    #[serde(default)]
    pub ip_restrict: Vec<String>,
    pub is_extensible: bool,
    pub label: Option<String>,
    #[serde(default)]
    pub organizations: Vec<String>,
    pub origin: Option<String>,
    pub token: Option<String>,
    #[serde(default)]
    pub scope: Vec<String>,
    #[serde(default)]
    pub unlock: Map<String, Value>,
    pub user: Option<String>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct AuthenticationMetadata {
    pub user_id: String,
    #[serde(default)]
    pub enterprise_context: Map<String, Value>,
    #[serde(default)]
    pub organization_context: Map<String, Value>,
    pub user_context: Map<String, Value>,
    #[serde(default)]
    pub spoofer_context: Map<String, Value>,
    #[serde(default)]
    pub wallet_context: Map<String, Value>,
}
