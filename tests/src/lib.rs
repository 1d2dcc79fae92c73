//! Helpers shared by the cross-crate tests in this folder (`models.rs`,
//! `client.rs`, `spec.rs`, ...): where the workspace and the fixtures are.

use std::path::{Path, PathBuf};

use serde_json::Value;

/// The workspace root.
pub fn workspace_root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("tests/ lives in the workspace root")
}

/// The files of the one-endpoint API, as `openapi/apis.toml` names them.
pub struct BitgoFiles {
    pub spec: String,
    pub models: String,
    pub client: String,
    pub mock: String,
}

/// Where the `bitgo` API of `openapi/apis.toml` keeps its spec and crates.
pub fn bitgo_files() -> BitgoFiles {
    let text = std::fs::read_to_string(workspace_root().join("openapi/apis.toml"))
        .expect("openapi/apis.toml");
    let table: toml::Table = text.parse().expect("openapi/apis.toml is TOML");
    let api = table["api"]
        .as_array()
        .and_then(|apis| {
            apis.iter()
                .find(|a| a.get("name").and_then(|n| n.as_str()) == Some("bitgo"))
        })
        .expect("openapi/apis.toml lists the `bitgo` API");
    let field = |key: &str| {
        api[key]
            .as_str()
            .expect("a path")
            .trim_end_matches('/')
            .to_string()
    };
    let generated = |key: &str| format!("{}/src/generated.rs", field(key));
    BitgoFiles {
        spec: field("spec"),
        models: generated("models"),
        client: generated("client"),
        mock: generated("mock"),
    }
}

/// `tests/fixtures/NAME`.
pub fn fixture_path(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("fixtures")
        .join(name)
}

/// `tests/fixtures/NAME`, parsed as JSON.
pub fn fixture(name: &str) -> Value {
    let path = fixture_path(name);
    let text = std::fs::read_to_string(&path)
        .unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()));
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// A local HTTP/1.1 server on 127.0.0.1 that answers each request with the
/// next response of a script, for sequences that mock servers do not model
/// (500 then 200, a delay, a raw HTML body). It records every request head.
pub mod scripted {
    use std::sync::{Arc, Mutex};
    use std::time::Duration;

    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    use tokio::net::TcpListener;

    /// One scripted answer.
    #[derive(Clone, Debug)]
    pub struct Reply {
        pub status: u16,
        pub headers: Vec<(String, String)>,
        pub body: String,
        /// Wait this long before answering.
        pub delay: Duration,
    }

    impl Reply {
        pub fn json(status: u16, body: &serde_json::Value) -> Self {
            Reply {
                status,
                headers: vec![("content-type".into(), "application/json".into())],
                body: body.to_string(),
                delay: Duration::ZERO,
            }
        }

        pub fn text(status: u16, content_type: &str, body: &str) -> Self {
            Reply {
                status,
                headers: vec![("content-type".into(), content_type.into())],
                body: body.to_string(),
                delay: Duration::ZERO,
            }
        }

        pub fn header(mut self, name: &str, value: &str) -> Self {
            self.headers.push((name.into(), value.into()));
            self
        }

        pub fn delay(mut self, delay: Duration) -> Self {
            self.delay = delay;
            self
        }
    }

    /// The running server; it stops when dropped.
    pub struct Server {
        pub base_url: String,
        requests: Arc<Mutex<Vec<String>>>,
        task: tokio::task::JoinHandle<()>,
    }

    impl Server {
        /// Serves `script` in order; the last reply repeats.
        pub async fn start(script: Vec<Reply>) -> Server {
            let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
            let base_url = format!("http://{}", listener.local_addr().unwrap());
            let requests = Arc::new(Mutex::new(Vec::new()));
            let seen = requests.clone();
            let task = tokio::spawn(async move {
                let next = Arc::new(Mutex::new(0usize));
                loop {
                    let Ok((mut socket, _)) = listener.accept().await else {
                        return;
                    };
                    let (script, seen, next) = (script.clone(), seen.clone(), next.clone());
                    tokio::spawn(async move {
                        let mut head = Vec::new();
                        let mut buffer = [0u8; 4096];
                        while !head.windows(4).any(|w| w == b"\r\n\r\n") {
                            match socket.read(&mut buffer).await {
                                Ok(0) | Err(_) => return,
                                Ok(n) => head.extend_from_slice(&buffer[..n]),
                            }
                        }
                        let index = {
                            let mut next = next.lock().unwrap();
                            let i = (*next).min(script.len() - 1);
                            *next += 1;
                            i
                        };
                        seen.lock()
                            .unwrap()
                            .push(String::from_utf8_lossy(&head).into_owned());
                        let reply = &script[index];
                        tokio::time::sleep(reply.delay).await;
                        let mut response = format!(
                            "HTTP/1.1 {} X\r\ncontent-length: {}\r\nconnection: close\r\n",
                            reply.status,
                            reply.body.len()
                        );
                        for (name, value) in &reply.headers {
                            response.push_str(&format!("{name}: {value}\r\n"));
                        }
                        response.push_str("\r\n");
                        response.push_str(&reply.body);
                        let _ = socket.write_all(response.as_bytes()).await;
                        let _ = socket.shutdown().await;
                    });
                }
            });
            Server {
                base_url,
                requests,
                task,
            }
        }

        /// The request heads received so far (request line and headers).
        pub fn requests(&self) -> Vec<String> {
            self.requests.lock().unwrap().clone()
        }
    }

    impl Drop for Server {
        fn drop(&mut self) {
            self.task.abort();
        }
    }
}
