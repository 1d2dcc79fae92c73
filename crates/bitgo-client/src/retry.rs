//! Retrying the idempotent GET: 408, 429, 5xx and connection errors, with
//! bounded exponential backoff and jitter, `Retry-After`, and a deadline.

use std::time::{Duration, SystemTime};

use reqwest::StatusCode;

use crate::Clock;

/// How failed attempts are retried.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RetryPolicy {
    /// Attempts in all, the first included (1 disables retries).
    pub max_attempts: u32,
    /// The delay before the first retry; it doubles each time.
    pub initial_delay: Duration,
    /// No single delay is longer (a longer `Retry-After` ends the retries).
    pub max_delay: Duration,
    /// All attempts and delays together finish within this.
    pub deadline: Duration,
}

impl Default for RetryPolicy {
    fn default() -> Self {
        RetryPolicy {
            max_attempts: 4,
            initial_delay: Duration::from_millis(200),
            max_delay: Duration::from_secs(10),
            deadline: Duration::from_secs(60),
        }
    }
}

impl RetryPolicy {
    /// One attempt only.
    pub fn none() -> Self {
        RetryPolicy {
            max_attempts: 1,
            ..RetryPolicy::default()
        }
    }
}

/// Statuses worth another attempt. 400 and 401 never are.
pub(crate) fn is_retryable_status(status: StatusCode) -> bool {
    status == StatusCode::REQUEST_TIMEOUT
        || status == StatusCode::TOO_MANY_REQUESTS
        || status.is_server_error()
}

/// Errors worth another attempt: the request may not have reached the server,
/// or the server did not answer in time.
pub(crate) fn is_retryable_error(error: &reqwest::Error) -> bool {
    error.is_connect() || error.is_timeout() || error.is_request()
}

/// The delay before retry number `retry` (1-based): `initial * 2^(retry-1)`,
/// capped at `max_delay`, with "equal jitter" (between half and all of it).
pub(crate) fn backoff(policy: &RetryPolicy, retry: u32) -> Duration {
    let exponential = policy
        .initial_delay
        .saturating_mul(2u32.saturating_pow(retry.saturating_sub(1)));
    let capped = exponential.min(policy.max_delay);
    let half = capped / 2;
    half + half.mul_f64(fastrand::f64())
}

/// `Retry-After` as seconds or an HTTP date.
pub(crate) fn retry_after(response: &reqwest::Response) -> Option<Duration> {
    let value = response
        .headers()
        .get(reqwest::header::RETRY_AFTER)?
        .to_str()
        .ok()?
        .trim();
    if let Ok(seconds) = value.parse::<u64>() {
        return Some(Duration::from_secs(seconds));
    }
    let at = httpdate::parse_http_date(value).ok()?;
    Some(at.duration_since(SystemTime::now()).unwrap_or_default())
}

/// Sends `request` under `policy`, returning the last response or error.
///
/// An attempt whose timeout was shortened to fit the deadline, and that
/// then timed out, says less than the answer before it: the earlier
/// response (say a 503) is returned instead of the timeout.
pub(crate) async fn execute(
    http: &reqwest::Client,
    policy: &RetryPolicy,
    attempt_timeout: Duration,
    clock: &Clock,
    request: reqwest::Request,
) -> reqwest::Result<reqwest::Response> {
    let deadline = clock.now() + policy.deadline;
    let mut attempt = 1;
    let mut previous: Option<reqwest::Result<reqwest::Response>> = None;
    let mut original = Some(request);
    loop {
        let remaining = deadline.saturating_duration_since(clock.now());
        let cut_by_deadline = remaining < attempt_timeout;
        let replay = original
            .as_ref()
            .filter(|_| attempt < policy.max_attempts)
            .and_then(reqwest::Request::try_clone);
        // The last attempt (or a body that cannot be replayed) sends the original.
        let is_last = replay.is_none();
        let mut this = match replay {
            Some(copy) => copy,
            None => original.take().expect("the original is sent once, last"),
        };
        limit_timeout(&mut this, remaining.min(attempt_timeout));
        let result = http.execute(this).await;
        if cut_by_deadline
            && matches!(&result, Err(error) if error.is_timeout())
            && let Some(previous) = previous
        {
            return previous;
        }
        if is_last {
            return result;
        }
        let wait = match &result {
            Ok(response) if is_retryable_status(response.status()) => match retry_after(response) {
                Some(after) if after > policy.max_delay => return result,
                Some(after) => after,
                None => backoff(policy, attempt),
            },
            Err(error) if is_retryable_error(error) => backoff(policy, attempt),
            _ => return result,
        };
        if clock.now() + wait >= deadline {
            return result;
        }
        // Read now: returned later, its body must not outlive its request's timeout.
        previous = Some(match result {
            Ok(response) => buffered(response).await,
            Err(error) => Err(error),
        });
        clock.sleep(wait).await;
        attempt += 1;
    }
}

/// The same response with its body already read, so that it can be
/// returned after later attempts (its request's timeout no longer applies).
async fn buffered(response: reqwest::Response) -> reqwest::Result<reqwest::Response> {
    use reqwest::ResponseBuilderExt;
    let mut builder = http::Response::builder()
        .status(response.status())
        .version(response.version())
        .url(response.url().clone());
    if let Some(headers) = builder.headers_mut() {
        *headers = response.headers().clone();
    }
    let body = response.bytes().await?;
    Ok(builder
        .body(body)
        .expect("the parts of a response make a response")
        .into())
}

/// Sets one attempt's timeout: the per-attempt timeout, or what is left of
/// the deadline if that is less.
fn limit_timeout(request: &mut reqwest::Request, limit: Duration) {
    let limit = limit.max(Duration::from_millis(1));
    let timeout = request.timeout_mut();
    *timeout = Some(timeout.map_or(limit, |t| t.min(limit)));
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backoff_doubles_is_capped_and_jittered() {
        let policy = RetryPolicy {
            initial_delay: Duration::from_millis(100),
            max_delay: Duration::from_millis(350),
            ..RetryPolicy::default()
        };
        for _ in 0..100 {
            let first = backoff(&policy, 1);
            assert!((Duration::from_millis(50)..=Duration::from_millis(100)).contains(&first));
            let second = backoff(&policy, 2);
            assert!((Duration::from_millis(100)..=Duration::from_millis(200)).contains(&second));
            let capped = backoff(&policy, 30);
            assert!((Duration::from_millis(175)..=Duration::from_millis(350)).contains(&capped));
        }
    }

    #[test]
    fn only_transient_statuses_are_retried() {
        for code in [408, 429, 500, 502, 503, 504] {
            assert!(
                is_retryable_status(StatusCode::from_u16(code).unwrap()),
                "{code}"
            );
        }
        for code in [200, 400, 401, 403, 404, 409] {
            assert!(
                !is_retryable_status(StatusCode::from_u16(code).unwrap()),
                "{code}"
            );
        }
    }
}
