//! Rust types for BitGo's **Get Internal Scoped User Session** API
//! (`GET /api/v2/internal/user/scopedsession`), generated from
//! `openapi/bitgo.yaml` by `cargo xtask generate`.
//!
//! Every schema of the spec is a type here: [`ScopedUserSession`] (the 200
//! body), [`AccessToken`], [`AuthenticationMetadata`] and [`ErrorResponse`]
//! (the 400 and 401 body). Each implements `Serialize`, `Deserialize`,
//! `Debug`, `Clone`, `PartialEq` and (with the default feature `schemars`)
//! `schemars::JsonSchema`, and has a builder.
//! Constrained strings are newtypes that validate on deserialization and on
//! `parse`/`try_from`; objects accept fields the spec does not name, so a
//! field that BitGo adds does not break old code.
//!
//! Strings the spec marks `format: password` (the access token's `token`) are
//! [`Secret`]s: they print as `[redacted]` and serialize as themselves.
//!
//! [`decode::from_slice`] and [`decode::from_str`] deserialize like
//! `serde_json`, and their errors name the failing field.
//!
//! ```
//! use bitgo_models::{AccessTokenId, ScopedUserSession};
//!
//! let body = r#"{
//!     "accessToken": {"id": "59cd72485007a239fb00282ed480da1f", "isExtensible": false},
//!     "authenticationMetadata": {"userId": "u1", "userContext": {}}
//! }"#;
//! let session: ScopedUserSession = serde_json::from_str(body)?;
//! assert_eq!(session.access_token.id.as_str(), "59cd72485007a239fb00282ed480da1f");
//!
//! // The spec's pattern is enforced, and the error names the field.
//! assert!("not-hex".parse::<AccessTokenId>().is_err());
//! let bad = body.replace("59cd72485007a239fb00282ed480da1f", "XYZ");
//! let error = bitgo_models::decode::from_str::<ScopedUserSession>(&bad).unwrap_err();
//! assert_eq!(error.path(), "accessToken.id");
//! # Ok::<(), serde_json::Error>(())
//! ```

pub mod decode;
// Written by `cargo xtask generate` and printed by prettyplease; rustfmt leaves it be.
#[rustfmt::skip]
mod generated;
mod secret;

pub use generated::*;
pub use secret::Secret;
