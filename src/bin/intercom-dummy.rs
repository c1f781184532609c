//! `intercom-dummy`: the embedded dummy Intercom server as a command, for test suites in any
//! language.
//!
//! ```sh
//! cargo run --features dummy --bin intercom-dummy -- --port 4010
//! ```
//!
//! Arguments are parsed by hand: a handful of flags does not justify a parser crate in the
//! build of everyone who enables the `dummy` feature.

use std::{net::SocketAddr, process::ExitCode, time::Duration};

use intercom_api::dummy::{
    DEFAULT_ACCESS_TOKEN, DEFAULT_API_KEY, DEFAULT_APP_ID, DEFAULT_BODY_TIMEOUT,
    DEFAULT_HEADER_TIMEOUT, DEFAULT_LOG_BYTES, DEFAULT_LOG_CAPACITY, DEFAULT_MAX_CONNECTIONS,
    DEFAULT_MAX_EVENTS, DEFAULT_MAX_METADATA_BYTES, DEFAULT_MAX_USERS, DummyServer,
    DummyServerBuilder, RateLimit,
};

const USAGE: &str = "\
intercom-dummy: a dummy Intercom server (v1 REST API and Data Events API), in memory.

USAGE:
    intercom-dummy [OPTIONS]

OPTIONS:
    --port <PORT>            Port to listen on [default: 4010; 0 picks a free one]
    --host <ADDRESS>         Address to listen on [default: 127.0.0.1]
    --app-id <ID>            HTTP Basic user name accepted [default: dummy-app-id]
    --api-key <KEY>          HTTP Basic password accepted [default: dummy-api-key]
    --access-token <TOKEN>   Bearer token accepted on /events [default: dummy-access-token]
    --rate-limit <N>         Allow N requests per window, then answer 429 [default: off]
    --rate-window <SECONDS>  The rate-limit window [default: 60]
    --seed-users <N>         Start with N users (user{i}@example.com, user_id {i})
    --request-log <N>        Keep the last N requests in the request log [default: 10000;
                             0 keeps none, e.g. for load tests]
    --request-log-bytes <BYTES>
                             ... and at most BYTES of them [default: 67108864 (64 MiB)]
    --max-connections <N>    Keep at most N connections open; at the limit a new one closes
                             the oldest one not being answered [default: 512]
    --header-timeout <SECONDS>
                             Close a connection whose request headers take longer [default: 30]
    --body-timeout <SECONDS> Answer 400 to a request whose body takes longer [default: 30]
    --max-users <N>          Store at most N users; creating more is answered 402
                             [default: 1000000]
    --max-events <N>         Store at most N distinct events; more are answered 402
                             [default: 2000000]
    --max-metadata-bytes <BYTES>
                             Largest event metadata / user custom_data, in bytes of JSON;
                             larger is answered 400 [default: 65536]
    --quiet                  Do not print a line per request
    -h, --help               Print this help
    -V, --version            Print the version

Serves until interrupted (Ctrl-C or SIGTERM). Example:
    curl -s -u dummy-app-id:dummy-api-key http://127.0.0.1:4010/v1/users
";

/// What the command line asked for.
#[derive(Debug, PartialEq)]
struct Options {
    host: String,
    port: u16,
    app_id: String,
    api_key: String,
    access_token: String,
    rate_limit: Option<u32>,
    rate_window: u64,
    seed_users: usize,
    request_log: usize,
    request_log_bytes: usize,
    max_connections: usize,
    header_timeout: u64,
    body_timeout: u64,
    max_users: usize,
    max_events: usize,
    max_metadata_bytes: usize,
    quiet: bool,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            host: "127.0.0.1".to_string(),
            port: 4010,
            app_id: DEFAULT_APP_ID.to_string(),
            api_key: DEFAULT_API_KEY.to_string(),
            access_token: DEFAULT_ACCESS_TOKEN.to_string(),
            rate_limit: None,
            rate_window: 60,
            seed_users: 0,
            request_log: DEFAULT_LOG_CAPACITY,
            request_log_bytes: DEFAULT_LOG_BYTES,
            max_connections: DEFAULT_MAX_CONNECTIONS,
            header_timeout: DEFAULT_HEADER_TIMEOUT.as_secs(),
            body_timeout: DEFAULT_BODY_TIMEOUT.as_secs(),
            max_users: DEFAULT_MAX_USERS,
            max_events: DEFAULT_MAX_EVENTS,
            max_metadata_bytes: DEFAULT_MAX_METADATA_BYTES,
            quiet: false,
        }
    }
}

/// What to do.
#[derive(Debug, PartialEq)]
enum Command {
    Serve(Options),
    Help,
    Version,
}

fn parse(args: impl IntoIterator<Item = String>) -> Result<Command, String> {
    let mut options = Options::default();
    let mut args = args.into_iter();
    while let Some(arg) = args.next() {
        let (flag, inline) = match arg.split_once('=') {
            Some((flag, value)) if flag.starts_with("--") => {
                (flag.to_string(), Some(value.to_string()))
            }
            _ => (arg.clone(), None),
        };
        let mut value = |name: &str| {
            inline
                .clone()
                .or_else(|| args.next())
                .ok_or_else(|| format!("{name} needs a value"))
        };
        match flag.as_str() {
            "-h" | "--help" => return Ok(Command::Help),
            "-V" | "--version" => return Ok(Command::Version),
            "--quiet" => options.quiet = true,
            "--host" => options.host = value("--host")?,
            "--port" => options.port = number(&value("--port")?, "--port")?,
            "--app-id" => options.app_id = value("--app-id")?,
            "--api-key" => options.api_key = value("--api-key")?,
            "--access-token" => options.access_token = value("--access-token")?,
            "--rate-limit" => {
                options.rate_limit = Some(number(&value("--rate-limit")?, "--rate-limit")?)
            }
            "--rate-window" => {
                options.rate_window = number(&value("--rate-window")?, "--rate-window")?
            }
            "--seed-users" => options.seed_users = number(&value("--seed-users")?, "--seed-users")?,
            "--request-log" => {
                options.request_log = number(&value("--request-log")?, "--request-log")?
            }
            "--request-log-bytes" => {
                options.request_log_bytes =
                    number(&value("--request-log-bytes")?, "--request-log-bytes")?
            }
            "--max-connections" => {
                options.max_connections = number(&value("--max-connections")?, "--max-connections")?
            }
            "--header-timeout" => {
                options.header_timeout = number(&value("--header-timeout")?, "--header-timeout")?
            }
            "--body-timeout" => {
                options.body_timeout = number(&value("--body-timeout")?, "--body-timeout")?
            }
            "--max-users" => options.max_users = number(&value("--max-users")?, "--max-users")?,
            "--max-events" => options.max_events = number(&value("--max-events")?, "--max-events")?,
            "--max-metadata-bytes" => {
                options.max_metadata_bytes =
                    number(&value("--max-metadata-bytes")?, "--max-metadata-bytes")?
            }
            other => return Err(format!("unknown argument `{other}`")),
        }
    }
    Ok(Command::Serve(options))
}

fn number<T: std::str::FromStr>(text: &str, flag: &str) -> Result<T, String> {
    text.parse()
        .map_err(|_| format!("{flag} expects a number, got `{text}`"))
}

fn builder(options: &Options) -> Result<DummyServerBuilder, String> {
    let addr: SocketAddr = format!("{}:{}", options.host, options.port)
        .parse()
        .or_else(|_| format!("[{}]:{}", options.host, options.port).parse())
        .map_err(|_| format!("`{}` is not an IP address", options.host))?;
    let mut builder = DummyServer::builder()
        .bind(addr)
        .app_id(&options.app_id)
        .api_key(&options.api_key)
        .access_token(&options.access_token)
        .seed_users(options.seed_users)
        .request_log_capacity(options.request_log)
        .request_log_bytes(options.request_log_bytes)
        .max_connections(options.max_connections)
        .header_timeout(Duration::from_secs(options.header_timeout))
        .body_timeout(Duration::from_secs(options.body_timeout))
        .max_users(options.max_users)
        .max_events(options.max_events)
        .max_metadata_bytes(options.max_metadata_bytes)
        .verbose(!options.quiet);
    if let Some(limit) = options.rate_limit {
        builder = builder.rate_limit(RateLimit::new(
            limit,
            Duration::from_secs(options.rate_window),
        ));
    }
    Ok(builder)
}

fn main() -> ExitCode {
    let options = match parse(std::env::args().skip(1)) {
        Ok(Command::Serve(options)) => options,
        Ok(Command::Help) => {
            print!("{USAGE}");
            return ExitCode::SUCCESS;
        }
        Ok(Command::Version) => {
            println!("intercom-dummy {}", env!("CARGO_PKG_VERSION"));
            return ExitCode::SUCCESS;
        }
        Err(message) => {
            eprintln!("error: {message}\n\n{USAGE}");
            return ExitCode::from(2);
        }
    };
    let builder = match builder(&options) {
        Ok(builder) => builder,
        Err(message) => {
            eprintln!("error: {message}");
            return ExitCode::from(2);
        }
    };
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(runtime) => runtime,
        Err(e) => {
            eprintln!("error: cannot start the runtime: {e}");
            return ExitCode::FAILURE;
        }
    };
    runtime.block_on(serve(builder, &options))
}

async fn serve(builder: DummyServerBuilder, options: &Options) -> ExitCode {
    let server = match builder.start().await {
        Ok(server) => server,
        Err(e) => {
            eprintln!(
                "error: cannot listen on {}:{}: {e}",
                options.host, options.port
            );
            return ExitCode::FAILURE;
        }
    };
    let credentials = server.credentials();
    println!("intercom-dummy listening on {}", server.base_url());
    println!(
        "  v1:     curl -s -u {}:<api key> {}/v1/users",
        credentials.app_id,
        server.base_url()
    );
    println!(
        "  events: curl -s -H 'Authorization: Bearer <access token>' '{}/events?type=user&user_id=1'",
        server.base_url()
    );
    if options.api_key == DEFAULT_API_KEY && options.access_token == DEFAULT_ACCESS_TOKEN {
        println!(
            "  (default credentials: api key {DEFAULT_API_KEY}, access token {DEFAULT_ACCESS_TOKEN})"
        );
    }
    println!("Ctrl-C to stop.");
    interrupted().await;
    println!("shutting down");
    server.shutdown().await;
    ExitCode::SUCCESS
}

/// Returns on Ctrl-C (SIGINT) or, on Unix, SIGTERM (what `docker stop` and CI runners send).
async fn interrupted() {
    let ctrl_c = async {
        if let Err(e) = tokio::signal::ctrl_c().await {
            eprintln!("error: cannot wait for Ctrl-C: {e}");
            std::future::pending::<()>().await;
        }
    };
    #[cfg(unix)]
    {
        use tokio::signal::unix::{SignalKind, signal};
        match signal(SignalKind::terminate()) {
            Ok(mut terminate) => {
                tokio::select! {
                    _ = ctrl_c => {}
                    _ = terminate.recv() => {}
                }
            }
            Err(_) => ctrl_c.await,
        }
    }
    #[cfg(not(unix))]
    ctrl_c.await;
}

#[cfg(test)]
mod tests {
    use super::*;

    fn args(text: &str) -> Vec<String> {
        text.split_whitespace().map(str::to_string).collect()
    }

    #[test]
    fn parses_flags_with_spaces_or_equals() {
        let Command::Serve(options) = parse(args(
            "--port 4011 --rate-limit=5 --rate-window 2 --api-key k --request-log 0 --quiet",
        ))
        .unwrap() else {
            panic!("expected serve");
        };
        assert_eq!(options.port, 4011);
        assert_eq!(options.rate_limit, Some(5));
        assert_eq!(options.rate_window, 2);
        assert_eq!(options.api_key, "k");
        assert_eq!(options.request_log, 0);
        assert!(options.quiet);
        let Command::Serve(options) = parse(args(
            "--request-log-bytes 1000 --max-connections=8 --header-timeout 2 --body-timeout 3 \
             --max-users 10 --max-events 20 --max-metadata-bytes 30",
        ))
        .unwrap() else {
            panic!("expected serve");
        };
        assert_eq!(
            (options.request_log_bytes, options.max_connections),
            (1000, 8)
        );
        assert_eq!((options.header_timeout, options.body_timeout), (2, 3));
        assert_eq!(
            (
                options.max_users,
                options.max_events,
                options.max_metadata_bytes
            ),
            (10, 20, 30)
        );
        assert_eq!(parse(args("")).unwrap(), Command::Serve(Options::default()));
        assert_eq!(parse(args("--port 1 -h")).unwrap(), Command::Help);
        assert_eq!(parse(args("-V")).unwrap(), Command::Version);
    }

    #[test]
    fn refuses_what_it_does_not_understand() {
        assert_eq!(parse(args("--port")).unwrap_err(), "--port needs a value");
        assert_eq!(
            parse(args("--port abc")).unwrap_err(),
            "--port expects a number, got `abc`"
        );
        assert_eq!(
            parse(args("--frobnicate")).unwrap_err(),
            "unknown argument `--frobnicate`"
        );
        let options = Options {
            host: "not-an-ip".to_string(),
            ..Options::default()
        };
        assert!(builder(&options).is_err());
        let v6 = Options {
            host: "::1".to_string(),
            ..Options::default()
        };
        assert!(builder(&v6).is_ok());
    }
}
