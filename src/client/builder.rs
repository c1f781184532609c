//! [`ClientBuilder`]: credentials, region or base URL, version, timeouts, retries.

use std::{fmt, net::IpAddr, sync::Arc, time::Duration};

use base64::Engine;
use reqwest::{Url, header::HeaderValue};
use secrecy::{ExposeSecret, SecretString};

use super::Client;
use crate::{
    clock::{Clock, SystemClock},
    error::Error,
    generated,
    rate_limit::RateLimitState,
    retry::RetryConfig,
    transport::{Settings, Transport},
};

/// Defaults of a [`ClientBuilder`], in one place.
///
/// ```
/// use std::time::Duration;
/// use intercom_api::defaults;
///
/// assert_eq!(defaults::TIMEOUT, Duration::from_secs(30));
/// assert_eq!(defaults::CONNECT_TIMEOUT, Duration::from_secs(10));
/// assert_eq!(defaults::CALL_TIMEOUT, Duration::from_secs(60));
/// assert_eq!(defaults::MAX_RESPONSE_BYTES, 16 * 1024 * 1024);
/// assert_eq!(defaults::MAX_PAGES, 10_000);
/// ```
pub mod defaults {
    use std::time::Duration;

    /// One attempt, answer included: 30 s.
    pub const TIMEOUT: Duration = Duration::from_secs(30);
    /// Opening the connection: 10 s.
    pub const CONNECT_TIMEOUT: Duration = Duration::from_secs(10);
    /// A whole call, every attempt and every wait between them included: 60 s (two attempts
    /// that time out, or several quick ones with their backoff).
    pub const CALL_TIMEOUT: Duration = Duration::from_secs(60);
    /// The largest answer body read: 16 MiB. A page of 500 users (the most a page holds) takes
    /// 0.5 to 1 MiB with the seed documents' users; 16 MiB leaves room for 32 KiB of custom
    /// data, tags and segments per user.
    pub const MAX_RESPONSE_BYTES: u64 = 16 << 20;
    /// The most pages one page stream reads: 10,000 (5,000,000 users at 500 per page).
    pub const MAX_PAGES: u64 = 10_000;
    /// `intercom-api-rust/<crate version>`.
    pub const USER_AGENT: &str = concat!("intercom-api-rust/", env!("CARGO_PKG_VERSION"));
    /// The `Intercom-Version` sent on Data Events API calls unless the builder says otherwise:
    /// `2.14`, the `default` of the description's `IntercomVersion` parameter.
    ///
    /// A numbered version keeps the answers' shape fixed: without the header Intercom uses the
    /// version set in the workspace, which can change under a running client, and `Preview`
    /// (the documents' `Unstable`, renamed) changes without notice. 2.14 is what Intercom's own
    /// Node SDK sends by default, and its Data Events API is the one the description follows.
    pub const INTERCOM_VERSION: &str = "2.14";
}

/// Where the workspace's data lives; each region has its own API host.
///
/// ```
/// use intercom_api::{Client, Region};
///
/// assert_eq!(Region::default(), Region::Us);
/// let client = Client::builder().token("my-access-token").region(Region::Au).build()?;
/// assert_eq!(client.base_url(), "https://api.au.intercom.io");
/// # Ok::<(), intercom_api::Error>(())
/// ```
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Region {
    /// `https://api.intercom.io` (the default).
    #[default]
    Us,
    /// `https://api.eu.intercom.io`.
    Eu,
    /// `https://api.au.intercom.io`.
    Au,
}

impl Region {
    /// The region's base URL.
    ///
    /// ```
    /// use intercom_api::Region;
    ///
    /// assert_eq!(Region::Us.base_url(), "https://api.intercom.io");
    /// assert_eq!(Region::Eu.base_url(), "https://api.eu.intercom.io");
    /// ```
    pub fn base_url(self) -> &'static str {
        match self {
            Region::Us => "https://api.intercom.io",
            Region::Eu => "https://api.eu.intercom.io",
            Region::Au => "https://api.au.intercom.io",
        }
    }
}

/// Builds a [`Client`]; every setter takes and returns the builder by value.
///
/// Defaults: region [`Region::Us`], `Intercom-Version: 2.14` on the calls whose description takes
/// the header ([`defaults::INTERCOM_VERSION`]), timeouts, the response size limit and the page
/// limit from [`defaults`], [`RetryConfig::standard`], the system clock, no waiting for the
/// rate-limit reset. At least one credential is required.
///
/// ```
/// use std::time::Duration;
/// use intercom_api::{Client, Region, RetryConfig};
///
/// let client = Client::builder()
///     .basic("my-app-id", "my-api-key")       // v1 API
///     .token("my-access-token")               // Data Events API
///     .region(Region::Eu)
///     .intercom_version("2.11")
///     .timeout(Duration::from_secs(10))
///     .retry(RetryConfig::standard().with_max_attempts(5))
///     .build()?;
/// assert_eq!(client.base_url(), "https://api.eu.intercom.io");
/// // Credentials never print.
/// assert!(!format!("{client:?}").contains("my-api-key"));
/// # Ok::<(), intercom_api::Error>(())
/// ```
#[must_use]
pub struct ClientBuilder {
    basic: Option<(String, SecretString)>,
    token: Option<SecretString>,
    region: Region,
    base_url: Option<String>,
    allow_insecure_http: bool,
    intercom_version: Option<String>,
    timeout: Duration,
    connect_timeout: Duration,
    user_agent: String,
    retry: RetryConfig,
    http_client: Option<reqwest::Client>,
    clock: Arc<dyn Clock>,
    wait_on_rate_limit: bool,
    call_timeout: Duration,
    max_response_bytes: u64,
    max_pages: u64,
}

impl fmt::Debug for ClientBuilder {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ClientBuilder")
            .field("app_id", &self.basic.as_ref().map(|(app_id, _)| app_id))
            .field("api_key", &self.basic.as_ref().map(|_| "[REDACTED]"))
            .field("token", &self.token.as_ref().map(|_| "[REDACTED]"))
            .field("region", &self.region)
            .field("base_url", &self.base_url)
            .field("allow_insecure_http", &self.allow_insecure_http)
            .field("intercom_version", &self.intercom_version)
            .field("timeout", &self.timeout)
            .field("connect_timeout", &self.connect_timeout)
            .field("user_agent", &self.user_agent)
            .field("retry", &self.retry)
            .field("http_client", &self.http_client.is_some())
            .field("clock", &self.clock)
            .field("wait_on_rate_limit", &self.wait_on_rate_limit)
            .field("call_timeout", &self.call_timeout)
            .field("max_response_bytes", &self.max_response_bytes)
            .field("max_pages", &self.max_pages)
            .finish()
    }
}

impl Default for ClientBuilder {
    fn default() -> Self {
        ClientBuilder {
            basic: None,
            token: None,
            region: Region::default(),
            base_url: None,
            allow_insecure_http: false,
            intercom_version: Some(defaults::INTERCOM_VERSION.to_string()),
            timeout: defaults::TIMEOUT,
            connect_timeout: defaults::CONNECT_TIMEOUT,
            user_agent: defaults::USER_AGENT.to_string(),
            retry: RetryConfig::standard(),
            http_client: None,
            clock: Arc::new(SystemClock),
            wait_on_rate_limit: false,
            call_timeout: defaults::CALL_TIMEOUT,
            max_response_bytes: defaults::MAX_RESPONSE_BYTES,
            max_pages: defaults::MAX_PAGES,
        }
    }
}

impl ClientBuilder {
    /// A builder with the defaults.
    ///
    /// ```
    /// use intercom_api::ClientBuilder;
    ///
    /// let client = ClientBuilder::new().token("my-access-token").build()?;
    /// assert_eq!(client.base_url(), "https://api.intercom.io");
    /// # Ok::<(), intercom_api::Error>(())
    /// ```
    pub fn new() -> Self {
        Self::default()
    }

    /// v1 credentials: HTTP Basic with the app id as user name and an API key as password.
    pub fn basic(mut self, app_id: impl Into<String>, api_key: impl Into<String>) -> Self {
        self.basic = Some((app_id.into(), SecretString::from(api_key.into())));
        self
    }

    /// Data Events API credential: a Bearer access token.
    pub fn token(mut self, access_token: impl Into<String>) -> Self {
        self.token = Some(SecretString::from(access_token.into()));
        self
    }

    /// The region whose API host to use (ignored when [`base_url`](Self::base_url) is set).
    pub fn region(mut self, region: Region) -> Self {
        self.region = region;
        self
    }

    /// Another base URL: the dummy server, a proxy (a path such as `/intercom` is kept). A
    /// trailing slash is fine. Plain `http://` is refused for hosts other than loopback unless
    /// [`allow_insecure_http`](Self::allow_insecure_http) is set.
    pub fn base_url(mut self, url: impl Into<String>) -> Self {
        self.base_url = Some(url.into());
        self
    }

    /// Allows a plain `http://` base URL on a host other than loopback (credentials then travel
    /// unencrypted).
    pub fn allow_insecure_http(mut self) -> Self {
        self.allow_insecure_http = true;
        self
    }

    /// Sends `Intercom-Version: <version>` on Data Events API calls instead of
    /// [`defaults::INTERCOM_VERSION`]. Intercom's unreleased version is called `Preview` (the
    /// documents' `Unstable`, renamed); any value is sent as given.
    pub fn intercom_version(mut self, version: impl Into<String>) -> Self {
        self.intercom_version = Some(version.into());
        self
    }

    /// Sends no `Intercom-Version` header: Intercom then answers with the version set in the
    /// workspace (which an admin can change).
    pub fn without_intercom_version(mut self) -> Self {
        self.intercom_version = None;
        self
    }

    /// Time allowed for one attempt, answer included (default 30 s); see also
    /// [`call_timeout`](Self::call_timeout).
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = timeout;
        self
    }

    /// Time allowed for a whole call, every attempt and every wait included (default 60 s; like
    /// smithy-rs's operation timeout beside its attempt timeout). A retry whose wait would end
    /// after it is not made (the last answer is returned); an attempt still running when it
    /// passes ends with [`Error::Timeout`] and [`TimeLimit::Call`](crate::TimeLimit::Call). Each
    /// page of a page stream is one call.
    pub fn call_timeout(mut self, timeout: Duration) -> Self {
        self.call_timeout = timeout;
        self
    }

    /// The largest answer body the client reads, in bytes (default 16 MiB, see
    /// [`defaults::MAX_RESPONSE_BYTES`]). A larger answer, announced by `Content-Length` or
    /// found while reading, is [`Error::ResponseTooLarge`]; memory stays under the limit
    /// whatever the server sends.
    pub fn max_response_bytes(mut self, limit: u64) -> Self {
        self.max_response_bytes = limit;
        self
    }

    /// The most pages one page stream (`.pages()`, `.stream()`, `.collect_all()`) reads
    /// (default 10,000; at least 1). When the server still announces a next page after that
    /// many, the stream ends with [`Error::TooManyPages`].
    pub fn max_pages(mut self, limit: u64) -> Self {
        self.max_pages = limit.max(1);
        self
    }

    /// Time allowed to open a connection (default 10 s).
    pub fn connect_timeout(mut self, timeout: Duration) -> Self {
        self.connect_timeout = timeout;
        self
    }

    /// The `User-Agent` header (default `intercom-api-rust/<version>`).
    pub fn user_agent(mut self, user_agent: impl Into<String>) -> Self {
        self.user_agent = user_agent.into();
        self
    }

    /// What to retry and how long to wait in between (default [`RetryConfig::standard`]).
    pub fn retry(mut self, retry: RetryConfig) -> Self {
        self.retry = retry;
        self
    }

    /// Your own `reqwest::Client` (proxies, TLS roots, pools). Its timeouts, user agent and
    /// redirect policy are then yours: [`timeout`](Self::timeout),
    /// [`connect_timeout`](Self::connect_timeout) and [`user_agent`](Self::user_agent) are not
    /// applied, and the client built here does not follow redirects while reqwest's default does.
    ///
    /// With this crate's default `rustls` feature, reqwest itself has no crypto provider (this
    /// crate hands its own clients rustls with `ring`): a `reqwest::Client` you build needs
    /// reqwest's own `rustls` feature (on in `reqwest = "0.13"`), or a provider installed
    /// with `rustls::crypto::CryptoProvider::install_default`.
    pub fn http_client(mut self, client: reqwest::Client) -> Self {
        self.http_client = Some(client);
        self
    }

    /// The time source and sleeper of retries and rate-limit waits (tests use a fake).
    pub fn clock(mut self, clock: Arc<dyn Clock>) -> Self {
        self.clock = clock;
        self
    }

    /// When the last answer said no request is left in the window, wait for the reset before
    /// sending instead of getting a 429 (off by default). The wait is bounded like a retry's: a
    /// reset further away than [`RetryConfig::max_backoff`] (or than the rest of the
    /// [`call_timeout`](Self::call_timeout)) is not waited for; the call fails at once with
    /// [`Error::RateLimited`] carrying the wait.
    pub fn wait_on_rate_limit(mut self, wait: bool) -> Self {
        self.wait_on_rate_limit = wait;
        self
    }

    /// Reads credentials from the environment: `INTERCOM_ACCESS_TOKEN`, and/or
    /// `INTERCOM_APP_ID` with `INTERCOM_API_KEY`. A variable that is set but empty, or holds
    /// whitespace (a trailing newline from a file), control or non-ASCII characters, or an app
    /// id without its key (or the reverse), is an error naming the variable, never its value.
    /// The host is always the US one: add [`region`](Self::region) for an EU or AU workspace.
    ///
    /// ```
    /// use std::time::Duration;
    /// use intercom_api::ClientBuilder;
    ///
    /// // The credentials from the environment, every other setting from here.
    /// if let Ok(builder) = ClientBuilder::from_env() {
    ///     let client = builder.timeout(Duration::from_secs(10)).build()?;
    ///     println!("talking to {}", client.base_url());
    /// }
    /// # Ok::<(), intercom_api::Error>(())
    /// ```
    pub fn from_env() -> Result<Self, Error> {
        Self::from_lookup(|name| std::env::var(name).ok())
    }

    /// [`from_env`](Self::from_env) with the variables read from `lookup`.
    pub(crate) fn from_lookup(lookup: impl Fn(&str) -> Option<String>) -> Result<Self, Error> {
        let read = |name: &str| -> Result<Option<String>, Error> {
            match lookup(name) {
                None => Ok(None),
                Some(value) if value.trim().is_empty() => Err(Error::Config(format!(
                    "the environment variable {name} is set but empty"
                ))),
                Some(value) => {
                    // Named here: `build` would only say "the API key", not where it came from.
                    check_credential(&value, &format!("the environment variable {name}"))?;
                    Ok(Some(value))
                }
            }
        };
        let token = read("INTERCOM_ACCESS_TOKEN")?;
        let app_id = read("INTERCOM_APP_ID")?;
        let api_key = read("INTERCOM_API_KEY")?;
        let mut builder = ClientBuilder::new();
        match (app_id, api_key) {
            (Some(app_id), Some(api_key)) => builder = builder.basic(app_id, api_key),
            (Some(_), None) => {
                return Err(Error::Config(
                    "INTERCOM_APP_ID is set but INTERCOM_API_KEY is missing".to_string(),
                ));
            }
            (None, Some(_)) => {
                return Err(Error::Config(
                    "INTERCOM_API_KEY is set but INTERCOM_APP_ID is missing".to_string(),
                ));
            }
            (None, None) if token.is_none() => {
                return Err(Error::Config(
                    "no credentials in the environment: set INTERCOM_ACCESS_TOKEN, or \
                     INTERCOM_APP_ID and INTERCOM_API_KEY"
                        .to_string(),
                ));
            }
            (None, None) => {}
        }
        if let Some(token) = token {
            builder = builder.token(token);
        }
        Ok(builder)
    }

    /// Checks the settings and builds the client.
    ///
    /// ```
    /// use intercom_api::{Client, Error};
    ///
    /// let client = Client::builder().basic("my-app-id", "my-api-key").build()?;
    /// // Without a credential there is nothing to build.
    /// let error = Client::builder().build().unwrap_err();
    /// assert!(matches!(error, Error::Config(_)));
    /// assert!(error.to_string().contains("no credentials"), "{error}");
    /// # Ok::<(), Error>(())
    /// ```
    pub fn build(self) -> Result<Client, Error> {
        let basic = match &self.basic {
            None => None,
            Some((app_id, api_key)) => {
                check_credential(app_id, "the app id")?;
                if app_id.contains(':') {
                    return Err(Error::Config(
                        "the app id contains ':', which HTTP Basic cannot carry in a user name"
                            .to_string(),
                    ));
                }
                check_credential(api_key.expose_secret(), "the API key")?;
                let pair = format!("{app_id}:{}", api_key.expose_secret());
                let encoded = base64::engine::general_purpose::STANDARD.encode(pair);
                Some(sensitive(
                    format!("Basic {encoded}"),
                    "the app id or API key",
                )?)
            }
        };
        let bearer = match &self.token {
            None => None,
            Some(token) => {
                check_credential(token.expose_secret(), "the access token")?;
                Some(sensitive(
                    format!("Bearer {}", token.expose_secret()),
                    "the access token",
                )?)
            }
        };
        if basic.is_none() && bearer.is_none() {
            return Err(Error::Config(
                "no credentials: call .basic(app_id, api_key) and/or .token(access_token)"
                    .to_string(),
            ));
        }
        let intercom_version = self
            .intercom_version
            .as_deref()
            .map(|version| {
                HeaderValue::from_str(version).map_err(|_| {
                    Error::Config(format!(
                        "the Intercom version {version:?} is not a valid header value"
                    ))
                })
            })
            .transpose()?;
        let base = self.checked_base_url()?;
        let attempt_timeout = self.http_client.is_none().then_some(self.timeout);
        let http = match self.http_client {
            Some(client) => client,
            None => {
                let http = reqwest::Client::builder()
                    .timeout(self.timeout)
                    .connect_timeout(self.connect_timeout)
                    .user_agent(self.user_agent)
                    // Intercom does not redirect; a 3xx is reported, not followed with credentials.
                    .redirect(reqwest::redirect::Policy::none());
                #[cfg(feature = "rustls")]
                let http = http.tls_backend_preconfigured(super::tls::config()?);
                http.build().map_err(|e| {
                    Error::Config(format!("the HTTP client could not be built: {e}"))
                })?
            }
        };
        let transport = Transport::new(Settings {
            basic,
            bearer,
            intercom_version,
            retry: self.retry,
            clock: self.clock,
            rate_limit: RateLimitState::default(),
            wait_on_rate_limit: self.wait_on_rate_limit,
            max_response_bytes: self.max_response_bytes,
            attempt_timeout,
            call_timeout: self.call_timeout,
            max_pages: self.max_pages,
        });
        let base_url = base.as_str().trim_end_matches('/');
        Ok(Client {
            raw: Arc::new(generated::Client::new_with_client(
                base_url, http, transport,
            )),
        })
    }

    /// The base URL, parsed, without a trailing slash, refused when it is plain http elsewhere
    /// than on loopback (unless allowed).
    fn checked_base_url(&self) -> Result<Url, Error> {
        let raw = self.base_url.as_deref().unwrap_or(self.region.base_url());
        // Errors show the URL without its user info, query and fragment: they may hold a key.
        let text = shown_url(raw);
        let url = Url::parse(raw.trim())
            .map_err(|e| Error::Config(format!("the base URL {text:?} is not a URL: {e}")))?;
        if url.query().is_some() || url.fragment().is_some() {
            return Err(Error::Config(format!(
                "the base URL {text:?} must not have a query or fragment"
            )));
        }
        if !url.username().is_empty() || url.password().is_some() {
            return Err(Error::Config(
                "the base URL must not carry credentials; use .basic() or .token()".to_string(),
            ));
        }
        match url.scheme() {
            "https" => Ok(url),
            "http" if self.allow_insecure_http || is_loopback(&url) => Ok(url),
            "http" => Err(Error::Config(format!(
                "the base URL {text:?} is plain http on a host other than loopback; credentials \
                 would travel unencrypted (use https, or .allow_insecure_http())"
            ))),
            other => Err(Error::Config(format!(
                "the base URL {text:?} has the scheme {other:?}; use https"
            ))),
        }
    }
}

/// A base URL as error messages show it: user info, query and fragment (where a credential
/// may hide) replaced by `[REDACTED]`, whether or not the text parses.
fn shown_url(text: &str) -> String {
    let text = text.trim();
    let (mut shown, rest) = match text.find(['?', '#']) {
        Some(cut) => (text[..cut].to_string(), Some(&text[cut..cut + 1])),
        None => (text.to_string(), None),
    };
    // User info ends at the last `@`: a password may hold a `/` that ends the host early.
    if let Some(start) = shown.find("://").map(|i| i + 3)
        && let Some(at) = shown[start..].rfind('@')
    {
        shown.replace_range(start..start + at, "[REDACTED]");
    }
    if let Some(separator) = rest {
        shown.push_str(separator);
        shown.push_str("[REDACTED]");
    }
    shown
}

fn is_loopback(url: &Url) -> bool {
    match url.host() {
        Some(url::Host::Domain(domain)) => domain.eq_ignore_ascii_case("localhost"),
        Some(url::Host::Ipv4(ip)) => IpAddr::V4(ip).is_loopback(),
        Some(url::Host::Ipv6(ip)) => IpAddr::V6(ip).is_loopback(),
        None => false,
    }
}

/// Refuses an empty credential, or one with whitespace or control characters (a trailing
/// newline read from a file), naming it but never showing it.
fn check_credential(value: &str, what: &str) -> Result<(), Error> {
    if value.trim().is_empty() {
        return Err(Error::Config(format!("{what} is empty")));
    }
    if value.chars().any(|c| c.is_whitespace() || c.is_control()) {
        return Err(Error::Config(format!(
            "{what} contains whitespace or control characters (a trailing newline read from a \
             file?)"
        )));
    }
    if !value.is_ascii() {
        return Err(Error::Config(format!(
            "{what} contains characters other than ASCII"
        )));
    }
    Ok(())
}

/// A header value marked sensitive (never printed by `Debug`, never logged by hyper).
fn sensitive(value: String, what: &str) -> Result<HeaderValue, Error> {
    let mut header = HeaderValue::from_str(&value).map_err(|_| {
        Error::Config(format!(
            "{what} contains characters not allowed in a header"
        ))
    })?;
    header.set_sensitive(true);
    Ok(header)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_default_intercom_version_is_the_descriptions() {
        let parameter =
            &crate::schema::description()["components"]["parameters"]["IntercomVersion"];
        assert_eq!(parameter["schema"]["default"], defaults::INTERCOM_VERSION);
        let builder = ClientBuilder::default();
        assert_eq!(builder.intercom_version.as_deref(), Some("2.14"));
        assert_eq!(builder.without_intercom_version().intercom_version, None);
    }

    #[test]
    fn a_base_url_wins_over_the_region_and_a_version_that_is_no_header_is_refused() {
        let proxied = crate::Client::builder()
            .token("t")
            .region(Region::Eu)
            .base_url("https://proxy.example.com")
            .build()
            .unwrap();
        assert_eq!(proxied.base_url(), "https://proxy.example.com");
        let refused = crate::Client::builder()
            .token("t")
            .intercom_version("2.11\r\n")
            .build()
            .unwrap_err();
        assert!(
            matches!(&refused, Error::Config(m) if m.contains("Intercom version")),
            "{refused}"
        );
    }

    fn lookup<'a>(vars: &'a [(&'a str, &'a str)]) -> impl Fn(&str) -> Option<String> + 'a {
        move |name| {
            vars.iter()
                .find(|(k, _)| *k == name)
                .map(|(_, v)| v.to_string())
        }
    }

    fn config_error(result: Result<ClientBuilder, Error>) -> String {
        match result {
            Err(Error::Config(message)) => message,
            other => panic!("expected a configuration error, got {other:?}"),
        }
    }

    #[test]
    fn env_with_a_token_or_an_app_id_and_key_builds() {
        let token =
            ClientBuilder::from_lookup(lookup(&[("INTERCOM_ACCESS_TOKEN", "tok")])).unwrap();
        assert!(token.token.is_some() && token.basic.is_none());
        let basic = ClientBuilder::from_lookup(lookup(&[
            ("INTERCOM_APP_ID", "app"),
            ("INTERCOM_API_KEY", "key"),
        ]))
        .unwrap();
        assert_eq!(basic.basic.as_ref().map(|(id, _)| id.as_str()), Some("app"));
        assert!(basic.build().is_ok());
    }

    #[test]
    fn base_url_errors_never_show_user_info_or_query() {
        assert_eq!(
            shown_url(" https://api.intercom.io/x "),
            "https://api.intercom.io/x"
        );
        assert_eq!(
            shown_url("https://app:key@api.example.com/p?api_key=k#t"),
            "https://[REDACTED]@api.example.com/p?[REDACTED]"
        );
        assert_eq!(shown_url("https://a@b@[::1"), "https://[REDACTED]@[::1");
        assert_eq!(
            shown_url("https://a:b/c@host/p"),
            "https://[REDACTED]@host/p"
        );
        assert_eq!(
            shown_url("no scheme@host#frag"),
            "no scheme@host#[REDACTED]"
        );
        for url in [
            "https://app:s3cret@api.example.com",
            "https://api.example.com/?key=s3cret",
            "http://app:s3cret@example.com/",
            "ftp://app:s3cret@example.com",
            "https://app:s3cret@[::1",
            "https://app:s3/cret@api.example.com",
        ] {
            let error = ClientBuilder::new()
                .basic("app", "key")
                .base_url(url)
                .build()
                .unwrap_err()
                .to_string();
            assert!(
                !error.contains("s3cret") && !error.contains("s3/cret"),
                "{error}"
            );
        }
    }

    #[test]
    fn env_errors_name_the_variable() {
        let message = config_error(ClientBuilder::from_lookup(lookup(&[(
            "INTERCOM_APP_ID",
            "app",
        )])));
        assert_eq!(
            message,
            "INTERCOM_APP_ID is set but INTERCOM_API_KEY is missing"
        );
        let message = config_error(ClientBuilder::from_lookup(lookup(&[(
            "INTERCOM_ACCESS_TOKEN",
            " ",
        )])));
        assert_eq!(
            message,
            "the environment variable INTERCOM_ACCESS_TOKEN is set but empty"
        );
        let message = config_error(ClientBuilder::from_lookup(lookup(&[])));
        assert!(message.contains("INTERCOM_ACCESS_TOKEN"), "{message}");
        assert!(
            message.contains("INTERCOM_APP_ID and INTERCOM_API_KEY"),
            "{message}"
        );
    }
}
