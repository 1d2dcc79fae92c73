//! [`ApiError`]: every way a call can fail, as one value that prints as one
//! line with the status and BitGo's `requestId`, and never panics.

use std::cell::Cell;
use std::fmt;

use bitgo_models::ErrorResponse;
use reqwest::StatusCode;

/// Why [`Client::scoped_session`](crate::Client::scoped_session) failed.
#[derive(Debug)]
pub enum ApiError {
    /// BitGo answered with an error status and its documented `ErrorResponse`
    /// (400 and 401, or another status with the same body).
    Api {
        status: StatusCode,
        body: ErrorResponse,
    },
    /// An error status whose body is not an `ErrorResponse`: an old-style
    /// `{"error": "..."}`, BitGo's error without `context`, or a proxy's HTML page.
    UnexpectedBody {
        status: StatusCode,
        /// The `error` (or `message`) field of a JSON body.
        message: Option<String>,
        /// The `requestId` of a JSON body.
        request_id: Option<String>,
        /// The body, cut to [`EXCERPT_CHARS`] characters.
        excerpt: String,
    },
    /// A 200 whose body breaks the schema; `field` names where.
    InvalidSession { field: String, message: String },
    /// No response within the timeout or the retry deadline.
    Timeout(reqwest::Error),
    /// The connection failed, or the response could not be read.
    Network(reqwest::Error),
    /// The request could not be built (an invalid parameter).
    InvalidRequest(String),
}

/// How much of an unexpected body an error keeps.
pub const EXCERPT_CHARS: usize = 200;

impl ApiError {
    /// The HTTP status, when there was a response.
    pub fn status(&self) -> Option<StatusCode> {
        match self {
            ApiError::Api { status, .. } | ApiError::UnexpectedBody { status, .. } => Some(*status),
            ApiError::InvalidSession { .. } => Some(StatusCode::OK),
            _ => None,
        }
    }

    /// BitGo's `requestId`, when the body had one.
    pub fn request_id(&self) -> Option<&str> {
        match self {
            ApiError::Api { body, .. } => Some(&body.request_id),
            ApiError::UnexpectedBody { request_id, .. } => request_id.as_deref(),
            _ => None,
        }
    }

    /// True for 401: the token is missing, wrong, expired, or needs OAuth.
    pub fn is_unauthorized(&self) -> bool {
        self.status() == Some(StatusCode::UNAUTHORIZED)
    }

    /// True when no response arrived in time.
    pub fn is_timeout(&self) -> bool {
        matches!(self, ApiError::Timeout(_))
    }

    /// True for connection and transport failures, timeouts included.
    pub fn is_network(&self) -> bool {
        matches!(self, ApiError::Timeout(_) | ApiError::Network(_))
    }
}

impl fmt::Display for ApiError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let request_id = |f: &mut fmt::Formatter<'_>, id: Option<&str>| match id {
            Some(id) => write!(f, " (requestId {id})"),
            None => Ok(()),
        };
        match self {
            ApiError::Api { status, body } => {
                write!(f, "HTTP {status}: {}", one_line(&body.error))?;
                if let Some(name) = &body.name {
                    write!(f, " [{name}]")?;
                }
                request_id(f, Some(&body.request_id))
            }
            ApiError::UnexpectedBody {
                status,
                message,
                request_id: id,
                excerpt,
            } => {
                match message {
                    Some(message) => write!(f, "HTTP {status}: {}", one_line(message))?,
                    None => write!(f, "HTTP {status}: unexpected body: {}", one_line(excerpt))?,
                }
                request_id(f, id.as_deref())
            }
            ApiError::InvalidSession { field, message } => {
                write!(
                    f,
                    "HTTP 200 OK with a body that breaks the schema at {field}: {message}"
                )
            }
            ApiError::Timeout(e) => write!(f, "timed out: {}", without_url(e)),
            ApiError::Network(e) => write!(f, "network error: {}", without_url(e)),
            ApiError::InvalidRequest(message) => write!(f, "invalid request: {message}"),
        }
    }
}

impl std::error::Error for ApiError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            ApiError::Timeout(e) | ApiError::Network(e) => Some(e),
            _ => None,
        }
    }
}

fn one_line(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// reqwest's message and its sources, without the URL (which the user chose,
/// and which could carry credentials in a gateway setup).
fn without_url(error: &reqwest::Error) -> String {
    let mut message = error.to_string();
    if let Some(url) = error.url() {
        message = message.replace(&format!(" for url ({url})"), "");
    }
    let mut source = std::error::Error::source(error);
    while let Some(s) = source {
        message.push_str(": ");
        message.push_str(&s.to_string());
        source = s.source();
    }
    message
}

tokio::task_local! {
    /// The status of the last response of the call in progress, recorded by
    /// the `exec` hook: progenitor drops it from some of its errors.
    pub(crate) static LAST_STATUS: Cell<Option<StatusCode>>;
}

/// Builds an [`ApiError`] for an error status from the raw body.
pub(crate) fn from_body(status: StatusCode, body: &[u8]) -> ApiError {
    if let Ok(typed) = serde_json::from_slice::<ErrorResponse>(body) {
        return ApiError::Api {
            status,
            body: typed,
        };
    }
    let json: Option<serde_json::Value> = serde_json::from_slice(body).ok();
    let field = |name: &str| {
        json.as_ref()
            .and_then(|j| j.get(name))
            .and_then(|v| v.as_str())
            .map(str::to_string)
    };
    let text = String::from_utf8_lossy(body);
    let mut excerpt: String = text.chars().take(EXCERPT_CHARS).collect();
    if text.chars().count() > EXCERPT_CHARS {
        excerpt.push('…');
    }
    ApiError::UnexpectedBody {
        status,
        message: field("error").or_else(|| field("message")),
        request_id: field("requestId"),
        excerpt,
    }
}

/// Maps what the generated client returned into an [`ApiError`].
pub(crate) async fn from_progenitor(
    error: progenitor_client::Error<ErrorResponse>,
    status: Option<StatusCode>,
) -> ApiError {
    use progenitor_client::Error as E;
    match error {
        E::ErrorResponse(response) => {
            let status = response.status();
            ApiError::Api {
                status,
                body: response.into_inner(),
            }
        }
        E::InvalidResponsePayload(bytes, _) => match status {
            Some(status) if status.is_success() => {
                match bitgo_models::decode::from_slice::<bitgo_models::ScopedUserSession>(&bytes) {
                    Err(e) => ApiError::InvalidSession {
                        field: e.path().to_string(),
                        message: e.inner().to_string(),
                    },
                    Ok(_) => ApiError::InvalidSession {
                        field: ".".to_string(),
                        message: "the body did not decode".to_string(),
                    },
                }
            }
            Some(status) => from_body(status, &bytes),
            None => from_body(StatusCode::INTERNAL_SERVER_ERROR, &bytes),
        },
        E::UnexpectedResponse(response) => {
            let status = response.status();
            match response.bytes().await {
                Ok(body) => from_body(status, &body),
                Err(e) => classify(e),
            }
        }
        E::CommunicationError(e) | E::ResponseBodyError(e) => classify(e),
        E::InvalidRequest(message) => ApiError::InvalidRequest(message),
        other => ApiError::InvalidRequest(other.to_string()),
    }
}

fn classify(error: reqwest::Error) -> ApiError {
    if error.is_timeout() {
        ApiError::Timeout(error)
    } else {
        ApiError::Network(error)
    }
}
