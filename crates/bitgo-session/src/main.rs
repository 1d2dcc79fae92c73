//! `bitgo-session`: what may this BitGo access token do?
//!
//! ```text
//! BITGO_ACCESS_TOKEN=... bitgo-session [--env prod|test | --base-url URL] [--skip-oauth] [--json] [--timeout SECS]
//! ```
//!
//! The token is read from `BITGO_ACCESS_TOKEN` only: a command-line argument
//! would show in `ps` and in shell history.
//!
//! Exit status: 0 success, 2 usage, 3 authentication (401), 4 other API error,
//! 5 network or timeout. Errors are one line on stderr.

use std::process::ExitCode;
use std::time::Duration;

use bitgo_client::{ApiError, Client, Environment, RetryPolicy};
use bitgo_models::ScopedUserSession;
use chrono::{DateTime, Utc};
use clap::{Parser, ValueEnum};

#[derive(Parser)]
#[command(
    name = "bitgo-session",
    version,
    about = "Print what a BitGo access token may do: its user, scopes, expiry, IP restrictions and unlock state.",
    after_help = "The token is read from the BITGO_ACCESS_TOKEN environment variable.\n\nExit status: 0 success, 2 usage, 3 authentication (401), 4 other API error, 5 network or timeout."
)]
struct Args {
    /// BitGo environment
    #[arg(long, value_enum, default_value_t = Env::Prod, conflicts_with = "base_url")]
    env: Env,
    /// Talk to this base URL instead (a gateway, or a mock server)
    #[arg(long, value_name = "URL")]
    base_url: Option<String>,
    /// Skip the SSO check that answers 401 when the enterprise needs OAuth
    #[arg(long)]
    skip_oauth: bool,
    /// Print the session as JSON instead of a summary
    #[arg(long)]
    json: bool,
    /// Give up after this many seconds, retries included
    #[arg(long, value_name = "SECS", default_value_t = 30, value_parser = clap::value_parser!(u64).range(1..=3600))]
    timeout: u64,
}

#[derive(Clone, Copy, ValueEnum)]
enum Env {
    Prod,
    Test,
}

const EXIT_USAGE: u8 = 2;
const EXIT_AUTH: u8 = 3;
const EXIT_API: u8 = 4;
const EXIT_NETWORK: u8 = 5;

fn main() -> ExitCode {
    let args = match Args::try_parse() {
        Ok(args) => args,
        Err(e) => {
            let _ = e.print();
            return if e.use_stderr() {
                ExitCode::from(EXIT_USAGE)
            } else {
                ExitCode::SUCCESS
            };
        }
    };
    let environment = match args.env {
        Env::Prod => Environment::Production,
        Env::Test => Environment::Test,
    };
    let deadline = Duration::from_secs(args.timeout);
    let mut builder = Client::builder(environment)
        .timeout(deadline)
        .retry(RetryPolicy {
            deadline,
            ..RetryPolicy::default()
        });
    if let Some(url) = &args.base_url {
        builder = builder.base_url(url);
    }
    let client = match builder.token_from_env().and_then(|b| b.build()) {
        Ok(client) => client,
        Err(e) => {
            eprintln!("bitgo-session: {e}");
            return ExitCode::from(EXIT_USAGE);
        }
    };

    let runtime = match tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
    {
        Ok(runtime) => runtime,
        Err(e) => {
            eprintln!("bitgo-session: cannot start: {e}");
            return ExitCode::FAILURE;
        }
    };
    match runtime.block_on(client.scoped_session(args.skip_oauth)) {
        Ok(session) => {
            if args.json {
                println!(
                    "{}",
                    serde_json::to_string_pretty(&session).unwrap_or_default()
                );
            } else {
                print!("{}", summary(&session, Utc::now()));
            }
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("bitgo-session: {e}");
            ExitCode::from(exit_code(&e))
        }
    }
}

fn exit_code(error: &ApiError) -> u8 {
    if error.is_unauthorized() {
        EXIT_AUTH
    } else if error.is_network() {
        EXIT_NETWORK
    } else {
        EXIT_API
    }
}

/// The human summary: one `label: value` line per fact.
fn summary(session: &ScopedUserSession, now: DateTime<Utc>) -> String {
    let token = &session.access_token;
    let or_none = |v: Option<&str>| v.unwrap_or("-").to_string();
    let mut lines = vec![
        ("user", session.authentication_metadata.user_id.to_string()),
        ("enterprise", or_none(token.enterprise.as_deref())),
        ("token id", token.id.to_string()),
        ("label", or_none(token.label.as_deref())),
        (
            "scopes",
            if token.scope.is_empty() {
                "-".to_string()
            } else {
                token.scope.join(", ")
            },
        ),
        (
            "expires",
            token
                .expires
                .map_or("-".to_string(), |at| relative(at, now)),
        ),
        (
            "ip restrictions",
            if token.ip_restrict.is_empty() {
                "none".to_string()
            } else {
                token.ip_restrict.join(", ")
            },
        ),
    ];
    let unlocked_until = token
        .unlock
        .get("expires")
        .and_then(|v| v.as_str())
        .and_then(|s| DateTime::parse_from_rfc3339(s).ok())
        .map(|at| at.with_timezone(&Utc));
    lines.push((
        "unlocked until",
        match (token.unlock.is_empty(), unlocked_until) {
            (true, _) => "locked".to_string(),
            (false, Some(at)) => relative(at, now),
            (false, None) => "unlocked".to_string(),
        },
    ));
    lines
        .into_iter()
        .map(|(label, value)| format!("{:<17}{value}\n", format!("{label}:")))
        .collect()
}

/// `2026-11-02 10:15:27 UTC (in 59m)` or `(3h ago)`.
fn relative(at: DateTime<Utc>, now: DateTime<Utc>) -> String {
    let seconds = (at - now).num_seconds();
    let span = |s: i64| match s {
        s if s < 60 => format!("{s}s"),
        s if s < 3600 => format!("{}m", s / 60),
        s if s < 86_400 => format!("{}h {}m", s / 3600, s % 3600 / 60),
        s => format!("{}d {}h", s / 86_400, s % 86_400 / 3600),
    };
    let when = if seconds >= 0 {
        format!("in {}", span(seconds))
    } else {
        format!("{} ago", span(-seconds))
    };
    format!("{} ({when})", at.format("%Y-%m-%d %H:%M:%S UTC"))
}
