//! The generated client against a local mock server on 127.0.0.1: what goes
//! on the wire, and how each documented response comes back.

use bitgo_client::{Client, Error};
use bitgo_tests::fixture;
use httpmock::Method::GET;
use httpmock::MockServer;

const PATH: &str = "/api/v2/internal/user/scopedsession";

#[tokio::test]
async fn sends_get_without_skip_oauth_unless_set_and_parses_200() {
    let server = MockServer::start_async().await;
    let body = fixture("session_full.json");
    let mock = server
        .mock_async(|when, then| {
            when.method(GET)
                .path(PATH)
                .query_param_missing("skipOAuth")
                .header("accept", "application/json")
                .header_missing("api-version");
            then.status(200).json_body(body.clone());
        })
        .await;

    let client = Client::new(&server.base_url()).unwrap();
    let response = client
        .get_internal_scoped_user_session()
        .send()
        .await
        .unwrap();
    mock.assert_async().await;
    assert_eq!(response.status(), 200);
    let session = response.into_inner();
    assert_eq!(
        session.access_token.id.as_str(),
        "59cd72485007a239fb00282ed480da1f"
    );
    assert_eq!(session, serde_json::from_value(body).unwrap());
}

#[tokio::test]
async fn sends_skip_oauth_when_set() {
    let server = MockServer::start_async().await;
    for value in [true, false] {
        let mock = server
            .mock_async(|when, then| {
                when.method(GET)
                    .path(PATH)
                    .query_param("skipOAuth", value.to_string());
                then.status(200).json_body(fixture("session_minimal.json"));
            })
            .await;
        let client = Client::new(&server.base_url()).unwrap();
        client
            .get_internal_scoped_user_session()
            .skip_o_auth(value)
            .send()
            .await
            .unwrap();
        mock.assert_async().await;
        mock.delete_async().await;
    }
}

#[tokio::test]
async fn a_path_prefix_in_the_base_url_is_kept() {
    let server = MockServer::start_async().await;
    let mock = server
        .mock_async(|when, then| {
            when.method(GET).path(format!("/gateway/bitgo{PATH}"));
            then.status(200).json_body(fixture("session_minimal.json"));
        })
        .await;
    let client = Client::new(&format!("{}/gateway/bitgo", server.base_url())).unwrap();
    client
        .get_internal_scoped_user_session()
        .send()
        .await
        .unwrap();
    mock.assert_async().await;
}

async fn error_for(status: u16, fixture_name: &str) -> Error<bitgo_models::ErrorResponse> {
    let server = MockServer::start_async().await;
    server
        .mock_async(|when, then| {
            when.method(GET).path(PATH);
            then.status(status).json_body(fixture(fixture_name));
        })
        .await;
    let client = Client::new(&server.base_url()).unwrap();
    client
        .get_internal_scoped_user_session()
        .send()
        .await
        .expect_err("an error status")
}

#[tokio::test]
async fn parses_400_into_error_response() {
    match error_for(400, "error_400.json").await {
        Error::ErrorResponse(response) => {
            assert_eq!(response.status(), 400);
            assert_eq!(response.error, "skipOAuth must be a boolean");
            assert_eq!(response.request_id, "cl3l5h7kq0001a8s1g2h3j4k5");
        }
        other => panic!("expected a typed error response, got {other:?}"),
    }
}

#[tokio::test]
async fn parses_401_into_error_response() {
    match error_for(401, "error_401.json").await {
        Error::ErrorResponse(response) => {
            assert_eq!(response.status(), 401);
            assert_eq!(response.name.as_deref(), Some("OAuthRequired"));
            assert_eq!(response.request_id, "cl3l5h7kq0002b9t2h3j4k5l6");
        }
        other => panic!("expected a typed error response, got {other:?}"),
    }
}

#[tokio::test]
async fn an_undocumented_status_is_unexpected() {
    match error_for(418, "error_400.json").await {
        Error::UnexpectedResponse(response) => assert_eq!(response.status(), 418),
        other => panic!("expected an unexpected response, got {other:?}"),
    }
}
