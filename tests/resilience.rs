//! `bitgo-client` in production conditions, against local servers on
//! 127.0.0.1: typed and untyped errors, retries, timeouts, the deadline,
//! secrets, and one client shared by many tasks.
//!
//! What the retry tests assert about time is read from a simulated clock
//! ([`Clock::simulated`]: it moves only by the retry loop's waits), so it
//! holds however busy the machine is. Requests still travel over loopback
//! in real time, under real timeouts long enough for a loaded machine.
//! (tokio's paused clock was tried: it jumps to the next timer whenever the
//! runtime waits on a socket that the kernel has not made ready yet, and so
//! timed attempts out on a loaded machine.)

use std::time::Duration;

use bitgo_client::{ApiError, Client, Clock, Environment, RetryPolicy};
use bitgo_tests::fixture;
use bitgo_tests::scripted::{Reply, Server};
use serde_json::json;

const TOKEN: &str = "v2xsecret0123456789abcdef";

fn fast_retries() -> RetryPolicy {
    RetryPolicy {
        max_attempts: 3,
        initial_delay: Duration::from_millis(10),
        max_delay: Duration::from_secs(2),
        deadline: Duration::from_secs(10),
    }
}

fn client(server: &Server) -> Client {
    Client::builder(Environment::Test)
        .base_url(&server.base_url)
        .token(TOKEN)
        .retry(fast_retries())
        .clock(Clock::simulated())
        .build()
        .unwrap()
}

async fn call(script: Vec<Reply>) -> (Result<bitgo_models::ScopedUserSession, ApiError>, Server) {
    let server = Server::start(script).await;
    let result = client(&server).scoped_session(false).await;
    (result, server)
}

#[tokio::test]
async fn ok_sends_bearer_token_and_user_agent_and_no_api_version() {
    let (result, server) = call(vec![Reply::json(200, &fixture("session_full.json"))]).await;
    let session = result.unwrap();
    assert_eq!(session.access_token.scope.len(), 10);
    let requests = server.requests();
    assert_eq!(requests.len(), 1);
    let head = requests[0].to_ascii_lowercase();
    assert!(
        head.starts_with("get /api/v2/internal/user/scopedsession http/1.1"),
        "{head}"
    );
    assert!(
        head.contains(&format!(
            "authorization: bearer {}",
            TOKEN.to_ascii_lowercase()
        )),
        "{head}"
    );
    assert!(
        head.contains(&format!(
            "user-agent: bitgo-client/{}",
            env!("CARGO_PKG_VERSION")
        )),
        "{head}"
    );
    assert!(!head.contains("api-version"), "{head}");
}

#[tokio::test]
async fn skip_oauth_goes_in_the_query() {
    let server = Server::start(vec![Reply::json(200, &fixture("session_minimal.json"))]).await;
    client(&server).scoped_session(true).await.unwrap();
    assert!(
        server.requests()[0].starts_with("GET /api/v2/internal/user/scopedsession?skipOAuth=true ")
    );
}

#[tokio::test]
async fn status_400_is_typed_with_request_id_and_not_retried() {
    let (result, server) = call(vec![Reply::json(400, &fixture("error_400.json"))]).await;
    let error = result.unwrap_err();
    assert!(matches!(error, ApiError::Api { .. }), "{error:?}");
    assert_eq!(error.status().map(|s| s.as_u16()), Some(400));
    assert_eq!(error.request_id(), Some("cl3l5h7kq0001a8s1g2h3j4k5"));
    assert_eq!(
        error.to_string(),
        "HTTP 400 Bad Request: skipOAuth must be a boolean [InvalidQueryParameter] (requestId cl3l5h7kq0001a8s1g2h3j4k5)"
    );
    assert_eq!(server.requests().len(), 1, "400 is never retried");
}

#[tokio::test]
async fn status_401_with_context_is_typed() {
    let (result, server) = call(vec![Reply::json(401, &fixture("error_401.json"))]).await;
    let error = result.unwrap_err();
    assert!(error.is_unauthorized());
    assert!(matches!(error, ApiError::Api { .. }), "{error:?}");
    assert_eq!(error.request_id(), Some("cl3l5h7kq0002b9t2h3j4k5l6"));
    assert_eq!(server.requests().len(), 1, "401 is never retried");
}

#[tokio::test]
async fn status_401_without_context_keeps_message_and_request_id() {
    // BitGo's documented error example has no `context`.
    let body = json!({"error": "unauthorized", "name": "Unauthorized", "requestId": "ck1"});
    let (result, _) = call(vec![Reply::json(401, &body)]).await;
    let error = result.unwrap_err();
    assert!(error.is_unauthorized());
    assert_eq!(error.request_id(), Some("ck1"));
    assert_eq!(
        error.to_string(),
        "HTTP 401 Unauthorized: unauthorized (requestId ck1)"
    );

    // The old 401 body.
    let (result, _) = call(vec![Reply::json(
        401,
        &json!({"error": "Authorization required"}),
    )])
    .await;
    let error = result.unwrap_err();
    assert_eq!(
        error.to_string(),
        "HTTP 401 Unauthorized: Authorization required"
    );
    match error {
        ApiError::UnexpectedBody { excerpt, .. } => {
            assert_eq!(excerpt, r#"{"error":"Authorization required"}"#)
        }
        other => panic!("{other:?}"),
    }
}

#[tokio::test]
async fn html_502_gives_status_and_a_short_excerpt() {
    let page = format!(
        "<html><body><h1>502 Bad Gateway</h1>{}</body></html>",
        "x".repeat(500)
    );
    let (result, server) = call(vec![Reply::text(502, "text/html", &page)]).await;
    let error = result.unwrap_err();
    assert_eq!(error.status().map(|s| s.as_u16()), Some(502));
    match &error {
        ApiError::UnexpectedBody {
            excerpt, message, ..
        } => {
            assert!(excerpt.starts_with("<html><body><h1>502 Bad Gateway</h1>"));
            assert_eq!(excerpt.chars().count(), bitgo_client::EXCERPT_CHARS + 1);
            assert_eq!(message, &None);
        }
        other => panic!("{other:?}"),
    }
    assert!(
        error
            .to_string()
            .starts_with("HTTP 502 Bad Gateway: unexpected body: <html>")
    );
    assert_eq!(
        server.requests().len(),
        3,
        "5xx is retried up to max_attempts"
    );
}

#[tokio::test]
async fn bad_id_in_a_200_names_the_field() {
    let mut body = fixture("session_full.json");
    body["accessToken"]["id"] = json!("NOT-HEX");
    let (result, _) = call(vec![Reply::json(200, &body)]).await;
    let error = result.unwrap_err();
    match &error {
        ApiError::InvalidSession { field, .. } => assert_eq!(field, "accessToken.id"),
        other => panic!("{other:?}"),
    }
    assert!(
        error
            .to_string()
            .contains("at accessToken.id: doesn't match pattern"),
        "{error}"
    );
}

#[tokio::test]
async fn status_500_then_200_is_retried() {
    let (result, server) = call(vec![
        Reply::json(500, &json!({"error": "boom"})),
        Reply::json(200, &fixture("session_minimal.json")),
    ])
    .await;
    result.unwrap();
    assert_eq!(server.requests().len(), 2);
}

#[tokio::test]
async fn status_429_honours_retry_after() {
    let server = Server::start(vec![
        Reply::json(429, &json!({"error": "slow down"})).header("retry-after", "1"),
        Reply::json(200, &fixture("session_minimal.json")),
    ])
    .await;
    let clock = Clock::simulated();
    let started = clock.now();
    let client = Client::builder(Environment::Test)
        .base_url(&server.base_url)
        .retry(fast_retries())
        .clock(clock.clone())
        .build()
        .unwrap();
    client.scoped_session(false).await.unwrap();
    assert_eq!(server.requests().len(), 2);
    // The one wait was the server's second, not the policy's 5–10 ms.
    assert_eq!(clock.now() - started, Duration::from_secs(1));
}

#[tokio::test]
async fn a_slow_server_times_out() {
    let server = Server::start(vec![
        Reply::json(200, &fixture("session_minimal.json")).delay(Duration::from_secs(5)),
    ])
    .await;
    let client = Client::builder(Environment::Test)
        .base_url(&server.base_url)
        .timeout(Duration::from_millis(200))
        .retry(RetryPolicy::none())
        .build()
        .unwrap();
    let error = client.scoped_session(false).await.unwrap_err();
    assert!(error.is_timeout(), "{error:?}");
    assert!(error.to_string().starts_with("timed out"), "{error}");
}

#[tokio::test]
async fn the_deadline_bounds_all_attempts() {
    let server = Server::start(vec![Reply::json(503, &json!({"error": "down"}))]).await;
    let clock = Clock::simulated();
    let client = Client::builder(Environment::Test)
        .base_url(&server.base_url)
        .retry(RetryPolicy {
            max_attempts: 100,
            initial_delay: Duration::from_secs(10),
            max_delay: Duration::from_secs(20),
            deadline: Duration::from_secs(70),
        })
        .clock(clock.clone())
        .build()
        .unwrap();
    let started = clock.now();
    let error = client.scoped_session(false).await.unwrap_err();
    // Bounded by the deadline, not by the 100 attempts (over 1,000 s of
    // waits): no wait starts that would end past it.
    let waited = clock.now() - started;
    assert!(waited < Duration::from_secs(70), "{waited:?}");
    // The caller gets the server's answer, not a timeout.
    assert_eq!(error.status().map(|s| s.as_u16()), Some(503), "{error:?}");
    // Waits are jittered between half and all of 10, 20, 20, … s: at least
    // 4 attempts fit in 70 s (10 + 20 + 20 < 70) and at most 8
    // (5 + 6 × 10 < 70 < 5 + 7 × 10). Each attempt but perhaps the last has
    // seconds of real time to get its answer.
    let attempts = server.requests().len();
    assert!((4..=8).contains(&attempts), "{attempts} attempts");
}

#[tokio::test]
async fn an_attempt_cut_short_by_the_deadline_returns_the_answer_before_it() {
    // 503 at once, then an answer too slow for what is left of the deadline.
    let server = Server::start(vec![
        Reply::json(503, &json!({"error": "down"})),
        Reply::json(200, &fixture("session_minimal.json")).delay(Duration::from_secs(30)),
    ])
    .await;
    let client = Client::builder(Environment::Test)
        .base_url(&server.base_url)
        .retry(RetryPolicy {
            max_attempts: 5,
            initial_delay: Duration::from_millis(10),
            max_delay: Duration::from_millis(20),
            deadline: Duration::from_secs(2),
        })
        .clock(Clock::simulated())
        .build()
        .unwrap();
    let error = client.scoped_session(false).await.unwrap_err();
    assert_eq!(error.status().map(|s| s.as_u16()), Some(503), "{error:?}");
    assert_eq!(server.requests().len(), 2);
}

#[tokio::test]
async fn connection_refused_is_a_network_error() {
    // Bind then drop a listener: nothing listens on that port now.
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let client = Client::builder(Environment::Test)
        .base_url(format!("http://127.0.0.1:{port}"))
        .token(TOKEN)
        .retry(fast_retries())
        .build()
        .unwrap();
    let error = client.scoped_session(false).await.unwrap_err();
    assert!(error.is_network(), "{error:?}");
    assert!(!error.to_string().contains(TOKEN));
}

#[tokio::test]
async fn one_client_serves_100_concurrent_tasks() {
    let server = Server::start(vec![Reply::json(200, &fixture("session_minimal.json"))]).await;
    let client = std::sync::Arc::new(client(&server));
    let tasks: Vec<_> = (0..100)
        .map(|_| {
            let client = client.clone();
            tokio::spawn(async move { client.scoped_session(false).await })
        })
        .collect();
    for task in tasks {
        task.await.unwrap().unwrap();
    }
    assert_eq!(server.requests().len(), 100);
}

#[test]
fn the_token_never_prints() {
    let builder = Client::builder(Environment::Production).token(TOKEN);
    assert!(!format!("{builder:?}").contains(TOKEN));
    let client = builder.build().unwrap();
    let debug = format!("{client:?}");
    assert!(!debug.contains(TOKEN), "{debug}");
}

#[test]
fn environments_take_their_urls_from_the_spec() {
    assert_eq!(Environment::Production.base_url(), "https://app.bitgo.com");
    assert_eq!(Environment::Test.base_url(), "https://app.bitgo-test.com");
    assert_eq!(bitgo_client::servers::PRODUCTION, "https://app.bitgo.com");
}

#[test]
fn bad_configuration_is_an_error_not_a_panic() {
    let error = Client::new("not a url").unwrap_err();
    assert_eq!(
        error.to_string(),
        "base URL \"not a url\" is not an absolute http(s) URL"
    );
    let error = Client::builder(Environment::Test)
        .token("bad\ntoken")
        .build()
        .unwrap_err();
    assert!(
        matches!(error, bitgo_client::BuildError::InvalidToken),
        "{error:?}"
    );
    assert!(!error.to_string().contains("bad"), "{error}");
}

#[tokio::test]
async fn tokens_never_print_in_errors_or_debug() {
    let body = fixture("session_full.json");
    let secret = body["accessToken"]["token"].as_str().unwrap().to_string();
    let (result, _) = call(vec![Reply::json(200, &body)]).await;
    let session = result.unwrap();
    assert!(!format!("{session:?}").contains(&secret));

    let mut broken = body.clone();
    broken["accessToken"]["id"] = json!(0);
    let (result, _) = call(vec![Reply::json(200, &broken)]).await;
    let error = result.unwrap_err();
    for shown in [error.to_string(), format!("{error:?}")] {
        assert!(!shown.contains(&secret), "{shown}");
        assert!(!shown.contains(TOKEN), "{shown}");
    }
}

#[tokio::test]
async fn your_own_reqwest_client_works_with_default_settings() {
    let server = Server::start(vec![Reply::json(200, &fixture("session_minimal.json"))]).await;
    // reqwest's rustls has no built-in crypto provider here: a client of your
    // own needs one installed (bitgo-client's builder passes ring itself).
    let _ = rustls::crypto::ring::default_provider().install_default();
    let http = reqwest::Client::builder().build().unwrap();
    let settings = bitgo_client::Settings::default();
    let client = Client::new_with_client(&server.base_url, http, settings);
    client.scoped_session(false).await.unwrap();
    assert!(
        !server.requests()[0]
            .to_ascii_lowercase()
            .contains("api-version")
    );
}
