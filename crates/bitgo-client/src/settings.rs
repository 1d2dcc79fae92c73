//! Building a [`Client`]: environment or base URL, bearer token, timeouts, retries.

use std::fmt;
use std::sync::Arc;
use std::time::Duration;

use reqwest::header::{self, HeaderMap, HeaderValue};
use rustls_platform_verifier::BuilderVerifierExt;

use crate::retry::RetryPolicy;
use crate::{Client, Clock, servers};

/// The environment variable that [`ClientBuilder::token_from_env`] reads.
pub const TOKEN_ENV: &str = "BITGO_ACCESS_TOKEN";

/// `User-Agent: bitgo-client/<version>` on every request.
pub const USER_AGENT: &str = concat!("bitgo-client/", env!("CARGO_PKG_VERSION"));

/// A BitGo environment, with the base URL the spec lists for it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Environment {
    /// `https://app.bitgo.com`
    Production,
    /// `https://app.bitgo-test.com`
    Test,
}

impl Environment {
    /// The base URL, from the spec's `servers`.
    pub fn base_url(self) -> &'static str {
        match self {
            Environment::Production => servers::PRODUCTION,
            Environment::Test => servers::TEST,
        }
    }
}

/// Per-client settings that the request hooks read (the generated client's
/// inner value). [`ClientBuilder`] makes them; build them yourself only for
/// `Client::new_with_client` with a `reqwest::Client` of your own. Such a
/// client needs a rustls crypto provider: this crate's reqwest has none built
/// in, so install one first (`rustls::crypto::ring::default_provider().install_default()`).
#[derive(Debug, Clone)]
pub struct Settings {
    pub(crate) retry: RetryPolicy,
    /// The per-attempt timeout: a request's own timeout replaces the client's
    /// in reqwest, so the retry loop needs to know it.
    pub(crate) attempt_timeout: Duration,
    pub(crate) clock: Clock,
}

impl Settings {
    /// `retry` for failed attempts, each attempt limited to `attempt_timeout`.
    pub fn new(retry: RetryPolicy, attempt_timeout: Duration) -> Self {
        Settings {
            retry,
            attempt_timeout,
            clock: Clock::system(),
        }
    }

    /// The clock the retry loop reads and waits on (default: the system's).
    pub fn with_clock(mut self, clock: Clock) -> Self {
        self.clock = clock;
        self
    }
}

impl Default for Settings {
    /// The builder's defaults: [`RetryPolicy::default`] and 30 s per attempt.
    fn default() -> Self {
        Settings::new(RetryPolicy::default(), Duration::from_secs(30))
    }
}

/// Why a client could not be built.
#[derive(Debug)]
pub enum BuildError {
    /// [`ClientBuilder::token_from_env`] found no usable `BITGO_ACCESS_TOKEN`.
    MissingToken,
    /// The token cannot go in an HTTP header (it has control characters).
    InvalidToken,
    /// The base URL is not an absolute `http` or `https` URL.
    InvalidBaseUrl(String),
    /// reqwest refused the configuration.
    Http(reqwest::Error),
}

impl fmt::Display for BuildError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            BuildError::MissingToken => write!(f, "{TOKEN_ENV} is not set or is empty"),
            BuildError::InvalidToken => {
                f.write_str("the access token has characters that cannot go in an HTTP header")
            }
            BuildError::InvalidBaseUrl(url) => {
                write!(f, "base URL {url:?} is not an absolute http(s) URL")
            }
            BuildError::Http(e) => write!(f, "cannot build the HTTP client: {e}"),
        }
    }
}

impl std::error::Error for BuildError {}

/// Builds a [`Client`]. Start with [`Client::builder`].
#[derive(Clone)]
pub struct ClientBuilder {
    base_url: String,
    token: Option<String>,
    connect_timeout: Duration,
    timeout: Duration,
    retry: RetryPolicy,
    clock: Clock,
}

impl fmt::Debug for ClientBuilder {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ClientBuilder")
            .field("base_url", &self.base_url)
            .field("token", &self.token.as_ref().map(|_| "[redacted]"))
            .field("connect_timeout", &self.connect_timeout)
            .field("timeout", &self.timeout)
            .field("retry", &self.retry)
            .field("clock", &self.clock)
            .finish()
    }
}

impl ClientBuilder {
    pub(crate) fn new(environment: Environment) -> Self {
        ClientBuilder {
            base_url: environment.base_url().to_string(),
            token: None,
            connect_timeout: Duration::from_secs(10),
            timeout: Duration::from_secs(30),
            retry: RetryPolicy::default(),
            clock: Clock::system(),
        }
    }

    /// Talks to `base_url` instead of an environment: a mock server, or a
    /// gateway with a path prefix (`https://gw.example/bitgo`).
    pub fn base_url(mut self, base_url: impl Into<String>) -> Self {
        self.base_url = base_url.into().trim_end_matches('/').to_string();
        self
    }

    /// Sends `Authorization: Bearer <token>`. The token never appears in
    /// `Debug` output or error messages.
    pub fn token(mut self, token: impl Into<String>) -> Self {
        self.token = Some(token.into());
        self
    }

    /// Reads the token from `BITGO_ACCESS_TOKEN`.
    pub fn token_from_env(self) -> Result<Self, BuildError> {
        match std::env::var(TOKEN_ENV) {
            Ok(token) if !token.trim().is_empty() => Ok(self.token(token.trim())),
            _ => Err(BuildError::MissingToken),
        }
    }

    /// Time allowed to open a connection (default 10 s).
    pub fn connect_timeout(mut self, timeout: Duration) -> Self {
        self.connect_timeout = timeout;
        self
    }

    /// Time allowed for one attempt, from connecting to the end of the body
    /// (default 30 s). The retry policy's deadline bounds all attempts together.
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = timeout;
        self
    }

    /// How failed attempts are retried (default: [`RetryPolicy::default`]).
    pub fn retry(mut self, retry: RetryPolicy) -> Self {
        self.retry = retry;
        self
    }

    /// The clock the retries read and wait on (default: the system's). A
    /// [`Clock::simulated`] one makes retry tests instant and independent of
    /// the machine's speed.
    pub fn clock(mut self, clock: Clock) -> Self {
        self.clock = clock;
        self
    }

    pub fn build(self) -> Result<Client, BuildError> {
        let url = reqwest::Url::parse(&self.base_url)
            .map_err(|_| BuildError::InvalidBaseUrl(self.base_url.clone()))?;
        if !matches!(url.scheme(), "http" | "https") || url.cannot_be_a_base() {
            return Err(BuildError::InvalidBaseUrl(self.base_url));
        }
        let mut headers = HeaderMap::new();
        if let Some(token) = &self.token {
            let mut value = HeaderValue::from_str(&format!("Bearer {token}"))
                .map_err(|_| BuildError::InvalidToken)?;
            // Redacted in reqwest's Debug output and kept out of HTTP/2 header compression tables.
            value.set_sensitive(true);
            headers.insert(header::AUTHORIZATION, value);
        }
        let http = reqwest::Client::builder()
            .tls_backend_preconfigured(tls_config())
            .user_agent(USER_AGENT)
            .default_headers(headers)
            .connect_timeout(self.connect_timeout)
            .timeout(self.timeout)
            .build()
            .map_err(BuildError::Http)?;
        let settings = Settings {
            retry: self.retry,
            attempt_timeout: self.timeout,
            clock: self.clock,
        };
        Ok(Client::new_with_client(&self.base_url, http, settings))
    }
}

/// rustls with the ring provider, passed to reqwest explicitly so that no
/// process-wide provider has to be installed.
fn tls_config() -> rustls::ClientConfig {
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let builder = rustls::ClientConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .expect("ring supports the default TLS versions");
    match builder.clone().with_platform_verifier() {
        Ok(verifying) => verifying.with_no_client_auth(),
        // No platform roots could be loaded: fall back to an empty store, so
        // TLS connections fail with a certificate error rather than a panic.
        Err(_) => builder
            .with_root_certificates(rustls::RootCertStore::empty())
            .with_no_client_auth(),
    }
}
