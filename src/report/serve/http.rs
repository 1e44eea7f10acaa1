//! The HTTP side of `serve`: tiny_http on one address, a thread per
//! request (bounded), GET and HEAD only, the Host header checked.

use std::net::{IpAddr, SocketAddr};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::Duration;

use super::{Live, Reply, WAIT_PATH};

/// Page requests handled at once; more are answered 503 (the live script
/// retries a second later).
const MAX_HANDLERS: usize = 64;
/// Live pages' waits held open at once, counted apart from page requests so
/// that open tabs never take every handler a page load needs.
const MAX_WAITS: usize = 32;
/// How long a live page's wait is held open before it is answered with
/// the unchanged version (the script then asks again); under the usual
/// proxy and browser timeouts.
const WAIT: Duration = Duration::from_secs(25);

/// Where [`Server::run`] writes one line per request.
pub type Log = Arc<dyn Fn(&str) + Send + Sync>;

/// A bound server, not yet answering.
pub struct Server {
    http: Arc<tiny_http::Server>,
    /// Set by the stopper: the end of `run` is a stop, not a failure.
    stopping: Arc<AtomicBool>,
    addr: SocketAddr,
    /// A name besides loopback names and IP addresses that the Host header
    /// may carry (`--host NAME`).
    extra_host: Option<String>,
}

impl Server {
    /// Listens on `host:port` (port 0: a free one).
    pub fn bind(host: &str, port: u16) -> Result<Server, String> {
        let shown = if host.contains(':') {
            format!("[{host}]:{port}")
        } else {
            format!("{host}:{port}")
        };
        let http = tiny_http::Server::http((host, port)).map_err(|e| {
            let why = e.to_string();
            let hint = if why.contains("in use") {
                "; choose another --port, or leave it out for a free one"
            } else {
                ""
            };
            format!("cannot listen on {shown}: {why}{hint}")
        })?;
        let addr = http
            .server_addr()
            .to_ip()
            .ok_or_else(|| format!("cannot listen on {shown}: not an IP address"))?;
        let extra_host = match host.parse::<IpAddr>() {
            Ok(_) => None,
            Err(_) => Some(host.to_ascii_lowercase()),
        };
        Ok(Server {
            http: Arc::new(http),
            stopping: Arc::new(AtomicBool::new(false)),
            addr,
            extra_host,
        })
    }

    /// The address it listens on.
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// The report's address for a browser (127.0.0.1 when it listens on
    /// loopback or every address).
    pub fn url(&self) -> String {
        let port = self.addr.port();
        match self.addr.ip() {
            IpAddr::V4(ip) if ip.is_loopback() || ip.is_unspecified() => {
                format!("http://127.0.0.1:{port}/")
            }
            IpAddr::V6(ip) if ip.is_loopback() || ip.is_unspecified() => {
                format!("http://[::1]:{port}/")
            }
            _ => format!("http://{}/", self.addr),
        }
    }

    /// A handle that stops [`Server::run`] from another thread.
    pub fn stopper(&self) -> impl Fn() + Send + Sync + 'static {
        let (http, stopping) = (self.http.clone(), self.stopping.clone());
        move || {
            stopping.store(true, Ordering::SeqCst);
            http.unblock()
        }
    }

    /// Answers requests until stopped (`Ok`); `log` gets one line per
    /// request. An error is the server failing to accept connections (no
    /// more file descriptors, say): it then answers nothing more.
    pub fn run(&self, live: Arc<Live>, log: Option<Log>) -> Result<(), String> {
        let pages = Arc::new(AtomicUsize::new(0));
        let waits = Arc::new(AtomicUsize::new(0));
        // refusals are written on a thread of their own: a response on a
        // connection waits for the one before it (a held wait), and the
        // loop that takes requests must never wait
        let (refuse, refused) = std::sync::mpsc::channel::<tiny_http::Request>();
        std::thread::Builder::new()
            .name("revarch-refuse".into())
            .spawn(move || {
                for request in refused {
                    let _ = request.respond(
                        tiny_http::Response::from_string("busy, try again\n").with_status_code(503),
                    );
                }
            })
            .map_err(|e| format!("cannot start a thread: {e}"))?;
        loop {
            let request = match self.http.recv() {
                Ok(r) => r,
                Err(_) if self.stopping.load(Ordering::SeqCst) => return Ok(()),
                Err(e) => return Err(format!("the server stopped accepting connections: {e}")),
            };
            let (busy, cap) = if request.url().starts_with(WAIT_PATH) {
                (&waits, MAX_WAITS)
            } else {
                (&pages, MAX_HANDLERS)
            };
            if busy.fetch_add(1, Ordering::SeqCst) >= cap {
                busy.fetch_sub(1, Ordering::SeqCst);
                let _ = refuse.send(request);
                continue;
            }
            let (live, done, log) = (live.clone(), busy.clone(), log.clone());
            let port = self.addr.port();
            let extra = self.extra_host.clone();
            let spawned = std::thread::Builder::new()
                .name("revarch-serve".into())
                .spawn(move || {
                    handle(request, &live, port, extra.as_deref(), log.as_deref());
                    done.fetch_sub(1, Ordering::SeqCst);
                });
            if spawned.is_err() {
                // no thread: the request went with the closure, and tiny_http
                // answers a dropped request with a 500
                busy.fetch_sub(1, Ordering::SeqCst);
            }
        }
    }
}

fn handle(
    request: tiny_http::Request,
    live: &Live,
    port: u16,
    extra: Option<&str>,
    log: Option<&(dyn Fn(&str) + Send + Sync)>,
) {
    let method = request.method().as_str().to_string();
    let url = request.url().to_string();
    let host = request
        .headers()
        .iter()
        .find(|h| h.field.equiv("Host"))
        .map(|h| h.value.as_str().to_string());
    // the request line as sent, with control characters escaped: it
    // reaches the terminal before anything checked it
    let shown = format!("{} {}", method.escape_debug(), url.escape_debug());
    if let Some(log) = log.filter(|_| url.starts_with(WAIT_PATH)) {
        // logged as it starts: it may take until the next change
        log(&format!("{shown} (waits for a change)"));
    }
    let reply = answer(live, &method, &url, host.as_deref(), port, extra);
    if let Some(log) = log.filter(|_| !url.starts_with(WAIT_PATH)) {
        log(&format!("{shown} {}", reply.status));
    }
    // tiny_http leaves out the body of a HEAD reply itself
    let _ = request.respond(response(reply));
}

/// The reply to one request, before HTTP.
fn answer(
    live: &Live,
    method: &str,
    url: &str,
    host: Option<&str>,
    port: u16,
    extra: Option<&str>,
) -> Reply {
    if !host_allowed(host, port, extra) {
        return Reply::text(
            403,
            "refused: the Host header names neither this machine nor the --host revarch serve was started with",
        );
    }
    if method != "GET" && method != "HEAD" {
        return Reply::text(
            405,
            "method not allowed: the report is read with GET or HEAD",
        );
    }
    let (path, query) = url.split_once('?').unwrap_or((url, ""));
    if path == WAIT_PATH {
        let since = query
            .split('&')
            .find_map(|kv| kv.strip_prefix("v="))
            .and_then(|v| v.parse::<u64>().ok());
        let version = match since {
            Some(v) => live.wait(v, WAIT),
            None => live.version(),
        };
        return Reply::text(200, &version.to_string());
    }
    live.get(path)
}

fn response(reply: Reply) -> tiny_http::Response<std::io::Cursor<Vec<u8>>> {
    let header = |k: &str, v: &str| tiny_http::Header::from_bytes(k.as_bytes(), v.as_bytes());
    let mut headers = vec![
        header("Content-Type", reply.content_type),
        header("Cache-Control", "no-store"),
        header("X-Content-Type-Options", "nosniff"),
        header("Referrer-Policy", "no-referrer"),
        // the pages' own script is none; the live script is a file of
        // this server, and nothing is fetched from anywhere else
        header(
            "Content-Security-Policy",
            "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; frame-ancestors 'self'",
        ),
    ];
    if let Some(to) = &reply.location {
        headers.push(header("Location", to));
    }
    if reply.status == 405 {
        headers.push(header("Allow", "GET, HEAD"));
    }
    let len = reply.body.len();
    tiny_http::Response::new(
        tiny_http::StatusCode(reply.status),
        headers.into_iter().flatten().collect(),
        std::io::Cursor::new(reply.body),
        Some(len),
        None,
    )
}

/// Whether a request's Host header may be answered: `localhost` or an IP
/// address (what a browser sends for a loopback or LAN address), or the
/// `--host` name, with the server's port. Any other name is refused: a
/// page of another site whose name was made to point at this machine
/// (DNS rebinding) sends its own name.
pub fn host_allowed(host: Option<&str>, port: u16, extra: Option<&str>) -> bool {
    let Some(host) = host.map(str::trim).filter(|h| !h.is_empty()) else {
        return false;
    };
    let (name, given_port) = if let Some(rest) = host.strip_prefix('[') {
        // [v6]:port
        let Some((ip, after)) = rest.split_once(']') else {
            return false;
        };
        if ip.parse::<std::net::Ipv6Addr>().is_err() {
            return false;
        }
        match after {
            "" => (ip, None),
            p => match p.strip_prefix(':') {
                Some(p) => (ip, Some(p)),
                None => return false,
            },
        }
    } else {
        match host.rsplit_once(':') {
            Some((n, p)) => (n, Some(p)),
            None => (host, None),
        }
    };
    let port_ok = match given_port {
        Some(p) => p.parse::<u16>() == Ok(port),
        None => port == 80,
    };
    let name = name.trim_end_matches('.').to_ascii_lowercase();
    let name_ok = name == "localhost"
        || name.parse::<IpAddr>().is_ok()
        || host.starts_with('[')
        || extra.is_some_and(|e| e.trim_end_matches('.') == name);
    port_ok && name_ok
}
