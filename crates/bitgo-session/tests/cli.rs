//! `bitgo-session` run as a process against local servers on 127.0.0.1.

use std::process::{Command, Output};

use bitgo_tests::fixture;
use bitgo_tests::scripted::{Reply, Server};
use serde_json::json;

const TOKEN: &str = "v2xcli0123456789abcdefsecret";

async fn run(server: Option<&Server>, args: &[&str]) -> Output {
    let mut command = Command::new(env!("CARGO_BIN_EXE_bitgo-session"));
    if let Some(server) = server {
        command.args(["--base-url", &server.base_url]);
    }
    command.args(args).env("BITGO_ACCESS_TOKEN", TOKEN);
    tokio::task::spawn_blocking(move || command.output().unwrap())
        .await
        .unwrap()
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

fn assert_no_token(output: &Output) {
    assert!(!text(&output.stdout).contains(TOKEN));
    assert!(!text(&output.stderr).contains(TOKEN));
}

#[tokio::test]
async fn prints_a_summary() {
    let server = Server::start(vec![Reply::json(200, &fixture("session_full.json"))]).await;
    let output = run(Some(&server), &[]).await;
    assert_eq!(output.status.code(), Some(0), "{}", text(&output.stderr));
    let stdout = text(&output.stdout);
    let line = |label: &str, value: &str| format!("{:<17}{value}", format!("{label}:"));
    for (label, value) in [
        ("user", "59cd72485007a239fb00282ed480da1f\n"),
        ("enterprise", "5cc7dd3e8d1f4f3f0e05f2a9c3e8a1b0\n"),
        (
            "scopes",
            "crypto_compare, user_manage, openid, profile, wallet_create",
        ),
        ("expires", "2026-11-02 10:15:27 UTC ("),
        ("ip restrictions", "203.0.113.7, 198.51.100.0/24\n"),
        ("unlocked until", "2026-11-02 10:20:00 UTC ("),
    ] {
        assert!(stdout.contains(&line(label, value)), "{label}: {stdout}");
    }
    assert_no_token(&output);
    let head = &server.requests()[0];
    assert!(
        head.contains(&format!("authorization: Bearer {TOKEN}")),
        "{head}"
    );
}

#[tokio::test]
async fn json_prints_the_body() {
    let server = Server::start(vec![Reply::json(200, &fixture("session_minimal.json"))]).await;
    let output = run(Some(&server), &["--json", "--skip-oauth"]).await;
    assert_eq!(output.status.code(), Some(0));
    let printed: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(printed, fixture("session_minimal.json"));
    assert!(
        server.requests()[0].starts_with("GET /api/v2/internal/user/scopedsession?skipOAuth=true ")
    );
}

#[tokio::test]
async fn unauthorized_exits_3_with_the_servers_message() {
    let server = Server::start(vec![Reply::json(401, &fixture("error_401.json"))]).await;
    let output = run(Some(&server), &[]).await;
    assert_eq!(output.status.code(), Some(3));
    assert_eq!(
        text(&output.stderr),
        "bitgo-session: HTTP 401 Unauthorized: This enterprise requires OAuth sign-in [OAuthRequired] (requestId cl3l5h7kq0002b9t2h3j4k5l6)\n"
    );
    assert!(output.stdout.is_empty());
    assert_no_token(&output);
}

#[tokio::test]
async fn other_api_errors_exit_4() {
    let server = Server::start(vec![Reply::json(400, &fixture("error_400.json"))]).await;
    let output = run(Some(&server), &[]).await;
    assert_eq!(output.status.code(), Some(4));
    assert_eq!(text(&output.stderr).lines().count(), 1);
    assert!(text(&output.stderr).contains("(requestId cl3l5h7kq0001a8s1g2h3j4k5)"));

    let server = Server::start(vec![Reply::json(200, &json!({"accessToken": {}}))]).await;
    let output = run(Some(&server), &[]).await;
    assert_eq!(output.status.code(), Some(4));
    assert!(
        text(&output.stderr).contains("at accessToken: missing field"),
        "{}",
        text(&output.stderr)
    );
}

#[tokio::test]
async fn network_errors_exit_5() {
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let url = format!("http://127.0.0.1:{port}");
    let output = run(None, &["--base-url", &url, "--timeout", "1"]).await;
    assert_eq!(output.status.code(), Some(5), "{}", text(&output.stderr));
    assert!(text(&output.stderr).starts_with("bitgo-session: "));
    assert_no_token(&output);
}

#[tokio::test]
async fn usage_errors_exit_2() {
    for args in [
        vec!["--frobnicate"],
        vec!["--env", "staging"],
        vec!["--env", "test", "--base-url", "http://127.0.0.1:1"],
        vec!["--timeout", "0"],
        vec!["--base-url", "not a url"],
    ] {
        let output = run(None, &args).await;
        assert_eq!(
            output.status.code(),
            Some(2),
            "{args:?}: {}",
            text(&output.stderr)
        );
    }
    let output = Command::new(env!("CARGO_BIN_EXE_bitgo-session"))
        .env_remove("BITGO_ACCESS_TOKEN")
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
    assert_eq!(
        text(&output.stderr),
        "bitgo-session: BITGO_ACCESS_TOKEN is not set or is empty\n"
    );
}
