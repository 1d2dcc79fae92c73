//! A downstream program: print what an access token may do.
//!
//! ```sh
//! BITGO_ACCESS_TOKEN=... cargo run -p bitgo-client --example scoped_session -- https://app.bitgo-test.com
//! ```

use bitgo_client::{Client, Error};
use bitgo_models::ScopedUserSession;

#[tokio::main(flavor = "current_thread")]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let base_url = std::env::args()
        .nth(1)
        .unwrap_or_else(|| "https://app.bitgo-test.com".into());
    let token = std::env::var("BITGO_ACCESS_TOKEN").map_err(|_| "set BITGO_ACCESS_TOKEN")?;

    let mut authorization: reqwest::header::HeaderValue = format!("Bearer {token}").parse()?;
    authorization.set_sensitive(true);
    let http = reqwest::Client::builder()
        .default_headers(
            [(reqwest::header::AUTHORIZATION, authorization)]
                .into_iter()
                .collect(),
        )
        .build()?;
    let client = Client::new_with_client(&base_url, http);

    match client.get_internal_scoped_user_session().send().await {
        Ok(response) => print_summary(&response.into_inner()),
        // 400 and 401 carry BitGo's typed ErrorResponse.
        Err(Error::ErrorResponse(e)) => {
            return Err(format!("{} (request {}): {}", e.status(), e.request_id, e.error).into());
        }
        Err(e) => return Err(e.into()),
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
