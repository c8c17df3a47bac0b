//! A running `caseload serve` and a small HTTP client for it, for the dashboard's tests
//! (tests/serve.rs over HTTP, tests/browser.rs in Chromium).

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::process::{Child, ChildStdout, Command, Stdio};
use std::time::{Duration, Instant};

use super::root;

/// A running `caseload serve`, stopped when dropped.
pub struct Server {
    child: Child,
    _stdout: BufReader<ChildStdout>,
    /// `127.0.0.1:PORT`.
    pub host: String,
    /// The access token from the printed address.
    pub token: String,
}

impl Server {
    /// Starts `caseload serve SCENARIO --port 0` from the project root and reads the address it
    /// prints.
    pub fn start(scenario: &str) -> Server {
        Server::start_with(scenario, &[])
    }

    /// Starts `caseload serve SCENARIO --port 0 ARGS...` as [`Server::start`] does.
    pub fn start_with(scenario: &str, args: &[&str]) -> Server {
        let mut child = Command::new(env!("CARGO_BIN_EXE_caseload"))
            .args(["serve", scenario, "--port", "0"])
            .args(args)
            .current_dir(root())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("the binary runs");
        let mut stdout = BufReader::new(child.stdout.take().expect("piped"));
        let mut line = String::new();
        stdout.read_line(&mut line).expect("the address line");
        let url = line
            .split_whitespace()
            .find(|w| w.starts_with("http://"))
            .unwrap_or_else(|| panic!("no address in {line:?}"));
        let rest = url.strip_prefix("http://").expect("http");
        let (host, token) = rest.split_once("/?token=").expect("a token in the address");
        assert_eq!(token.len(), 32, "128 bits in hex: {token}");
        assert!(
            host.starts_with("127.0.0.1:"),
            "loopback by default: {host}"
        );
        Server {
            child,
            _stdout: stdout,
            host: host.to_string(),
            token: token.to_string(),
        }
    }

    /// The request `method path` with `headers` and a form `body`; the status, the headers
    /// (lowercase names) and the body.
    pub fn request(
        &self,
        method: &str,
        path: &str,
        headers: &[(&str, &str)],
        body: &str,
    ) -> Answer {
        let mut stream = TcpStream::connect(&self.host).expect("the server listens");
        let mut text = format!(
            "{method} {path} HTTP/1.1\r\nHost: {}\r\nConnection: close\r\n",
            self.host
        );
        for (name, value) in headers {
            text.push_str(&format!("{name}: {value}\r\n"));
        }
        if method == "POST" {
            text.push_str("Content-Type: application/x-www-form-urlencoded\r\n");
            text.push_str(&format!("Content-Length: {}\r\n", body.len()));
        }
        text.push_str("\r\n");
        text.push_str(body);
        stream.write_all(text.as_bytes()).expect("send");
        let mut bytes = Vec::new();
        stream.read_to_end(&mut bytes).expect("receive");
        Answer::parse(&bytes)
    }

    /// The address `caseload serve` printed, with its token.
    pub fn url(&self) -> String {
        format!("http://{}/?token={}", self.host, self.token)
    }

    /// GET with the token's cookie.
    pub fn get(&self, path: &str) -> Answer {
        let cookie = format!("caseload_token={}", self.token);
        self.request("GET", path, &[("Cookie", &cookie)], "")
    }

    /// Asserts that GET `path` (with the token) is the dashboard's own "not found" page, and
    /// that it reached no file of the project.
    pub fn assert_not_found(&self, path: &str) {
        let answer = self.get(path);
        assert_eq!(answer.status, 404, "{path}");
        let text = answer.text();
        assert!(
            text.contains("There is no such page on this dashboard."),
            "{path}: {text}"
        );
        assert!(!text.contains("[package]"), "{path}: {text}");
        assert_eq!(answer.header("cache-control"), Some("no-store"), "{path}");
    }

    /// POST of a form with the token's header.
    pub fn post(&self, path: &str, form: &str) -> Answer {
        self.request("POST", path, &[("X-Caseload-Token", &self.token)], form)
    }

    /// Polls today's page until today's team is solved (two minutes at most); the page.
    pub fn wait_for_today(&self) -> Answer {
        let started = Instant::now();
        loop {
            let answer = self.get("/today.html");
            if answer.status == 200 {
                return answer;
            }
            assert!(
                started.elapsed() < Duration::from_secs(120),
                "today's team unsolved"
            );
            std::thread::sleep(Duration::from_millis(100));
        }
    }

    /// Polls what-if `n` until it is no longer solving (two minutes at most); its state.
    pub fn wait_for(&self, n: usize) -> String {
        self.wait_for_in("", n)
    }

    /// Polls what-if `n` of the team whose pages are under `base` (`/team/2` of a folder) as
    /// [`Server::wait_for`] does.
    pub fn wait_for_in(&self, base: &str, n: usize) -> String {
        let started = Instant::now();
        loop {
            let state = self.get(&format!("{base}/whatif/{n}/state")).text();
            if state != "solving" {
                return state;
            }
            assert!(
                started.elapsed() < Duration::from_secs(120),
                "still solving"
            );
            std::thread::sleep(Duration::from_millis(100));
        }
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// An HTTP answer.
pub struct Answer {
    /// The status code.
    pub status: u16,
    /// The headers, names in lowercase.
    pub headers: Vec<(String, String)>,
    /// The body.
    pub body: Vec<u8>,
}

impl Answer {
    /// An answer read to its end.
    pub fn parse(bytes: &[u8]) -> Answer {
        let end = bytes
            .windows(4)
            .position(|w| w == b"\r\n\r\n")
            .expect("a header");
        let head = String::from_utf8_lossy(&bytes[..end]).to_string();
        let mut lines = head.lines();
        let status = lines.next().expect("a status line")[9..12]
            .parse()
            .expect("a status");
        let headers = lines
            .filter_map(|l| l.split_once(": "))
            .map(|(n, v)| (n.to_lowercase(), v.to_string()))
            .collect();
        Answer {
            status,
            headers,
            body: bytes[end + 4..].to_vec(),
        }
    }

    /// The first header named `name`.
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    }

    /// The body as text.
    pub fn text(&self) -> String {
        String::from_utf8(self.body.clone()).expect("UTF-8")
    }
}
