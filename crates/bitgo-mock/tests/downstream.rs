//! How a downstream crate tests its code against a typed stub of the API.

use bitgo_client::types::{ErrorResponse, ScopedUserSession};
use bitgo_client::{ApiError, Client};
use bitgo_mock::MockServerExt;
use httpmock::MockServer;

/// The code under test: does the token allow spending?
async fn can_spend(client: &Client) -> Result<bool, ApiError> {
    let session = client.scoped_session(true).await?;
    Ok(session
        .access_token
        .scope
        .iter()
        .any(|s| s == "wallet_spend_all"))
}

fn session(scopes: &[&str]) -> ScopedUserSession {
    serde_json::from_value(serde_json::json!({
        "accessToken": {"id": "59cd72485007a239fb00282ed480da1f", "isExtensible": false, "scope": scopes},
        "authenticationMetadata": {"userId": "u1", "userContext": {}}
    }))
    .unwrap()
}

#[tokio::test]
async fn a_typed_200_stub() {
    let server = MockServer::start_async().await;
    let body = session(&["wallet_view_all", "wallet_spend_all"]);
    let mock = server.get_internal_scoped_user_session(|when, then| {
        when.skip_o_auth(true);
        then.ok(&body);
    });
    let client = Client::new(&server.base_url()).unwrap();
    assert!(can_spend(&client).await.unwrap());
    mock.assert();
}

#[tokio::test]
async fn a_typed_401_stub() {
    let server = MockServer::start_async().await;
    let error: ErrorResponse = serde_json::from_value(serde_json::json!({
        "context": {}, "error": "token expired", "requestId": "r-1"
    }))
    .unwrap();
    server.get_internal_scoped_user_session(|when, then| {
        when.skip_o_auth(true);
        then.unauthorized(&error);
    });
    let client = Client::new(&server.base_url()).unwrap();
    let failure = can_spend(&client).await.unwrap_err();
    assert!(failure.is_unauthorized());
    assert_eq!(failure.request_id(), Some("r-1"));
}
