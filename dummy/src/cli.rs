//! The `intercom-dummy` command: the dummy Intercom server for test suites in any language.
//!
//! ```sh
//! cargo run -p intercom-dummy -- --port 4010
//! ```
//!
//! The binary is [`run`] on the process's arguments; programs that want the server in a child
//! process of their own (the SDK's benchmarks) call it too.

use std::{ffi::OsString, net::SocketAddr, process::ExitCode, time::Duration};

use clap::Parser;

use crate::{
    DEFAULT_ACCESS_TOKEN, DEFAULT_API_KEY, DEFAULT_APP_ID, DEFAULT_BODY_TIMEOUT,
    DEFAULT_HEADER_TIMEOUT, DEFAULT_LOG_BYTES, DEFAULT_LOG_CAPACITY, DEFAULT_MAX_CONNECTIONS,
    DEFAULT_MAX_EVENTS, DEFAULT_MAX_METADATA_BYTES, DEFAULT_MAX_USERS, DummyServer,
    DummyServerBuilder, RateLimitConfig,
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
    --access-token <TOKEN>   Bearer token accepted on /events, /users, /conversations and
                             /messages [default: dummy-access-token]
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

/// What the command line asked for. The flags, their meanings and the `--help` text are those of
/// the hand-parsed command line this replaced (scripts start the server with them).
#[derive(Debug, PartialEq, Parser)]
#[command(name = "intercom-dummy", version, override_help = USAGE)]
struct Options {
    #[arg(long, default_value = "127.0.0.1")]
    host: String,
    #[arg(long, default_value_t = 4010, value_parser = number::<u16>("--port"))]
    port: u16,
    #[arg(long, default_value = DEFAULT_APP_ID)]
    app_id: String,
    #[arg(long, default_value = DEFAULT_API_KEY)]
    api_key: String,
    #[arg(long, default_value = DEFAULT_ACCESS_TOKEN)]
    access_token: String,
    #[arg(long, value_parser = number::<u32>("--rate-limit"))]
    rate_limit: Option<u32>,
    #[arg(long, default_value_t = 60, value_parser = number::<u64>("--rate-window"))]
    rate_window: u64,
    #[arg(long, default_value_t = 0, value_parser = number::<usize>("--seed-users"))]
    seed_users: usize,
    #[arg(long, default_value_t = DEFAULT_LOG_CAPACITY, value_parser = number::<usize>("--request-log"))]
    request_log: usize,
    #[arg(long, default_value_t = DEFAULT_LOG_BYTES, value_parser = number::<usize>("--request-log-bytes"))]
    request_log_bytes: usize,
    #[arg(long, default_value_t = DEFAULT_MAX_CONNECTIONS, value_parser = number::<usize>("--max-connections"))]
    max_connections: usize,
    #[arg(long, default_value_t = DEFAULT_HEADER_TIMEOUT.as_secs(), value_parser = number::<u64>("--header-timeout"))]
    header_timeout: u64,
    #[arg(long, default_value_t = DEFAULT_BODY_TIMEOUT.as_secs(), value_parser = number::<u64>("--body-timeout"))]
    body_timeout: u64,
    #[arg(long, default_value_t = DEFAULT_MAX_USERS, value_parser = number::<usize>("--max-users"))]
    max_users: usize,
    #[arg(long, default_value_t = DEFAULT_MAX_EVENTS, value_parser = number::<usize>("--max-events"))]
    max_events: usize,
    #[arg(long, default_value_t = DEFAULT_MAX_METADATA_BYTES, value_parser = number::<usize>("--max-metadata-bytes"))]
    max_metadata_bytes: usize,
    #[arg(long)]
    quiet: bool,
}

/// A number, or the old command line's message for one that is not.
fn number<T>(
    flag: &'static str,
) -> impl Fn(&str) -> Result<T, String> + Clone + Send + Sync + 'static
where
    T: std::str::FromStr,
{
    move |text: &str| {
        text.parse()
            .map_err(|_| format!("{flag} expects a number, got `{text}`"))
    }
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
        builder = builder.rate_limit(RateLimitConfig::new(
            limit,
            Duration::from_secs(options.rate_window),
        ));
    }
    Ok(builder)
}

/// Runs the command with these arguments (the first is the program name, as in
/// `std::env::args_os()`): serves until interrupted (Ctrl-C or SIGTERM) and returns the exit
/// status; `--help` and `--version` print and return 0, bad arguments 2.
///
/// ```no_run
/// use std::process::ExitCode;
///
/// fn main() -> ExitCode {
///     ExitCode::from(intercom_dummy::cli::run(["intercom-dummy", "--port", "4010"]))
/// }
/// ```
pub fn run<I, T>(args: I) -> u8
where
    I: IntoIterator<Item = T>,
    T: Into<OsString> + Clone,
{
    let options = match Options::try_parse_from(args) {
        Ok(options) => options,
        Err(e) => {
            let _ = e.print();
            return u8::try_from(e.exit_code()).unwrap_or(2);
        }
    };
    let builder = match builder(&options) {
        Ok(builder) => builder,
        Err(message) => {
            eprintln!("error: {message}");
            return 2;
        }
    };
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(runtime) => runtime,
        Err(e) => {
            eprintln!("error: cannot start the runtime: {e}");
            return 1;
        }
    };
    if runtime.block_on(serve(builder, &options)) == ExitCode::SUCCESS {
        0
    } else {
        1
    }
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
    println!(
        "  users:  curl -s -H 'Authorization: Bearer <access token>' '{}/users?per_page=50'",
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

    fn parse(text: &str) -> Result<Options, clap::Error> {
        Options::try_parse_from(std::iter::once("intercom-dummy").chain(text.split_whitespace()))
    }

    #[test]
    fn parses_flags_with_spaces_or_equals() {
        let options =
            parse("--port 4011 --rate-limit=5 --rate-window 2 --api-key k --request-log 0 --quiet")
                .unwrap();
        assert_eq!(options.port, 4011);
        assert_eq!(options.rate_limit, Some(5));
        assert_eq!(options.rate_window, 2);
        assert_eq!(options.api_key, "k");
        assert_eq!(options.request_log, 0);
        assert!(options.quiet);
        let options = parse(
            "--request-log-bytes 1000 --max-connections=8 --header-timeout 2 --body-timeout 3 \
             --max-users 10 --max-events 20 --max-metadata-bytes 30",
        )
        .unwrap();
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
        let defaults = parse("").unwrap();
        assert_eq!((defaults.host.as_str(), defaults.port), ("127.0.0.1", 4010));
        assert_eq!(defaults.api_key, DEFAULT_API_KEY);
        assert_eq!(defaults.request_log, DEFAULT_LOG_CAPACITY);
        assert_eq!(
            parse("--port 1 -h").unwrap_err().kind(),
            clap::error::ErrorKind::DisplayHelp
        );
        assert_eq!(
            parse("-V").unwrap_err().kind(),
            clap::error::ErrorKind::DisplayVersion
        );
    }

    #[test]
    fn refuses_what_it_does_not_understand() {
        assert!(parse("--port").is_err());
        let error = parse("--port abc").unwrap_err().to_string();
        assert!(
            error.contains("--port expects a number, got `abc`"),
            "{error}"
        );
        assert!(parse("--frobnicate").is_err());
        let mut options = parse("").unwrap();
        options.host = "not-an-ip".to_string();
        assert!(builder(&options).is_err());
        options.host = "::1".to_string();
        assert!(builder(&options).is_ok());
    }
}
