//! A downstream program: print what an access token may do.
//!
//! ```sh
//! BITGO_ACCESS_TOKEN=... cargo run -p bitgo-client --example scoped_session -- test
//! ```

use bitgo_client::{ApiError, Client, Environment};
use bitgo_models::ScopedUserSession;

#[tokio::main(flavor = "current_thread")]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let environment = match std::env::args().nth(1).as_deref() {
        Some("prod") => Environment::Production,
        _ => Environment::Test,
    };
    let client = Client::builder(environment).token_from_env()?.build()?;

    match client.scoped_session(false).await {
        Ok(session) => print_summary(&session),
        // 401: the token is wrong, expired, or the enterprise needs OAuth.
        Err(e) if e.is_unauthorized() => return Err(format!("not signed in: {e}").into()),
        // Any other failure prints as one line with the status and requestId.
        Err(e @ (ApiError::Api { .. } | ApiError::UnexpectedBody { .. })) => return Err(e.into()),
        Err(e) => return Err(format!("could not reach BitGo: {e}").into()),
    }
    Ok(())
}

fn print_summary(session: &ScopedUserSession) {
    let token = &session.access_token;
    println!(
        "user:    {}",
        session.authentication_metadata.user_id.as_str()
    );
    println!("scopes:  {}", token.scope.join(", "));
    if let Some(expires) = token.expires {
        println!("expires: {expires}");
    }
    if !token.ip_restrict.is_empty() {
        println!("ips:     {}", token.ip_restrict.join(", "));
    }
}
