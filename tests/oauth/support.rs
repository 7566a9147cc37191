//! Shared by the oauth integration tests: a server process guard, a
//! minimal HTTP/1.0 client with a cookie jar, and RS256 by the `rsa` crate.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::process::{Child, Command, Stdio};
use std::time::{SystemTime, UNIX_EPOCH};

use base64::engine::general_purpose::URL_SAFE_NO_PAD as B64;
use base64::Engine;
use cognito_wasm::http::HttpRequest;
use cognito_wasm::jwt::{Rs256Verifier, RsaPublicJwk};
use rsa::pkcs1v15::{Signature, VerifyingKey};
use rsa::signature::Verifier;
use rsa::{BigUint, RsaPublicKey};
use sha2::Sha256;

/// A server process; killed on drop, so also when an assertion fails.
pub struct Server {
    child: Child,
    /// Its 127.0.0.1 port.
    pub port: u16,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Starts `cmd` and reads its stdout until `port_of` finds the port in a
/// line; later output is drained so a full pipe never blocks or kills it.
pub fn start_server(mut cmd: Command, port_of: impl Fn(&str) -> Option<u16>) -> Server {
    let mut child = cmd
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("the server program must be installed");
    let mut stdout = BufReader::new(child.stdout.take().expect("piped stdout"));
    let mut seen = String::new();
    for _ in 0..50 {
        let mut line = String::new();
        if stdout.read_line(&mut line).unwrap_or(0) == 0 {
            break;
        }
        if let Some(port) = port_of(line.trim()) {
            std::thread::spawn(move || std::io::copy(&mut stdout, &mut std::io::sink()));
            return Server { child, port };
        }
        seen.push_str(&line);
    }
    let _ = child.kill();
    let _ = child.wait();
    panic!("the server did not start: {seen:?}");
}

pub struct Response {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
}

impl Response {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }
}

/// A minimal HTTP/1.0 client with a cookie jar: enough for a loopback test
/// (HTTP/1.0 so the server closes the connection and never chunks).
pub struct Browser {
    pub port: u16,
    pub cookies: Vec<(String, String)>,
}

impl Browser {
    pub fn send(
        &mut self,
        method: &str,
        url: &str,
        headers: &[(&str, &str)],
        body: Option<&str>,
    ) -> Response {
        let origin = format!("http://127.0.0.1:{}", self.port);
        let path = url.strip_prefix(&origin).unwrap_or(url);
        assert!(path.starts_with('/'), "not on the provider: {url}");
        let mut req = format!(
            "{method} {path} HTTP/1.0\r\nHost: 127.0.0.1:{}\r\n",
            self.port
        );
        for (k, v) in headers {
            req.push_str(&format!("{k}: {v}\r\n"));
        }
        if !self.cookies.is_empty() {
            let jar: Vec<String> = self
                .cookies
                .iter()
                .map(|(k, v)| format!("{k}={v}"))
                .collect();
            req.push_str(&format!("Cookie: {}\r\n", jar.join("; ")));
        }
        let body = body.unwrap_or("");
        req.push_str(&format!("Content-Length: {}\r\n\r\n{body}", body.len()));
        let mut stream = TcpStream::connect(("127.0.0.1", self.port)).expect("connect");
        stream.write_all(req.as_bytes()).expect("write");
        let mut raw = Vec::new();
        if let Err(e) = stream.read_to_end(&mut raw) {
            panic!("read failed ({e}) for request:\n{req}");
        }
        let split = raw
            .windows(4)
            .position(|w| w == b"\r\n\r\n")
            .expect("header end");
        let head = String::from_utf8_lossy(&raw[..split]).into_owned();
        let mut lines = head.split("\r\n");
        let status = lines
            .next()
            .unwrap()
            .split(' ')
            .nth(1)
            .unwrap()
            .parse()
            .unwrap();
        let headers: Vec<(String, String)> = lines
            .filter_map(|l| l.split_once(':'))
            .map(|(k, v)| (k.trim().to_owned(), v.trim().to_owned()))
            .collect();
        for (k, v) in &headers {
            if k.eq_ignore_ascii_case("set-cookie") {
                let pair = v.split(';').next().unwrap_or("");
                if let Some((name, value)) = pair.split_once('=') {
                    self.cookies.retain(|(n, _)| n != name);
                    self.cookies.push((name.to_owned(), value.to_owned()));
                }
            }
        }
        Response {
            status,
            headers,
            body: raw[split + 4..].to_vec(),
        }
    }

    pub fn run(&mut self, req: &HttpRequest) -> Response {
        let headers: Vec<(&str, &str)> =
            req.headers.iter().map(|(k, v)| (*k, v.as_str())).collect();
        self.send(req.method, &req.url, &headers, req.body.as_deref())
    }
}

/// RS256 by the `rsa` crate, from the JWK's n and e.
pub struct RsaCrate;

impl Rs256Verifier for RsaCrate {
    fn verify_rs256(&self, key: &RsaPublicJwk, input: &[u8], sig: &[u8]) -> bool {
        let (Ok(n), Ok(e)) = (B64.decode(&key.n), B64.decode(&key.e)) else {
            return false;
        };
        let Ok(pk) = RsaPublicKey::new(BigUint::from_bytes_be(&n), BigUint::from_bytes_be(&e))
        else {
            return false;
        };
        let Ok(sig) = Signature::try_from(sig) else {
            return false;
        };
        VerifyingKey::<Sha256>::new(pk).verify(input, &sig).is_ok()
    }
}

pub fn now() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap()
        .as_secs()
}

pub fn error_code(e: cognito_wasm::Error) -> String {
    match e {
        cognito_wasm::Error::OAuth(cognito_wasm::oauth::OAuthError::EndpointError {
            error,
            ..
        }) => error,
        other => other.code().to_owned(),
    }
}

/// Starts the release emulator binary (`COGNITO_EMULATOR_BIN`, or
/// `target/release/cognito-emulator`) on a free 127.0.0.1 port with `seed`
/// (a path relative to the repository) and waits for its first line.
pub fn start_emulator(seed: &str) -> Server {
    let root = std::path::PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let bin = std::env::var_os("COGNITO_EMULATOR_BIN")
        .map(std::path::PathBuf::from)
        .unwrap_or_else(|| root.join("target/release/cognito-emulator"));
    assert!(
        bin.exists(),
        "{} is missing: cargo build --release -p cognito-emulator",
        bin.display()
    );
    let mut cmd = Command::new(bin);
    cmd.args(["--port", "0", "--host", "127.0.0.1", "--seed"])
        .arg(root.join(seed));
    start_server(cmd, |line| {
        line.strip_prefix("listening on http://127.0.0.1:")?
            .split(|c: char| !c.is_ascii_digit())
            .next()?
            .parse()
            .ok()
    })
}
