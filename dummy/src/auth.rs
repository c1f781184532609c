//! The credentials the dummy accepts, and checking a request's `Authorization` header.
//!
//! Each operation takes the credentials its `security` in the description names: the v1 API
//! HTTP Basic with the app id as user name and the API key as password, the Data Events API a
//! Bearer access token (and not Basic: Intercom did not accept it there).

use std::fmt;

use base64::{Engine, engine::general_purpose::STANDARD};
use hyper::http::{HeaderMap, header::AUTHORIZATION};

use intercom_api::operations::Credential;

/// The app id the v1 documents use for their dummy app.
pub const DEFAULT_APP_ID: &str = "dummy-app-id";
/// The API key the v1 documents use for their dummy app.
///
/// ```
/// use intercom_api::Client;
/// use intercom_dummy::{DEFAULT_API_KEY, DEFAULT_APP_ID};
///
/// # #[tokio::main]
/// # async fn main() -> Result<(), Box<dyn std::error::Error>> {
/// # let server = intercom_dummy::DummyServer::start().await?;
/// // What `curl -u dummy-app-id:dummy-api-key` sends, from this crate's client.
/// let client = Client::builder().base_url(server.base_url()).basic(DEFAULT_APP_ID, DEFAULT_API_KEY).build()?;
/// assert_eq!(client.users().list().send().await?.total_count, 0);
/// # Ok(())
/// # }
/// ```
pub const DEFAULT_API_KEY: &str = "dummy-api-key";
/// The access token the dummy accepts on `/events` unless told otherwise.
pub const DEFAULT_ACCESS_TOKEN: &str = "dummy-access-token";

/// What a dummy server accepts: an app id and API key (HTTP Basic, `/v1` and `/events`) and an
/// access token (Bearer, `/events`).
///
/// `Debug` shows the app id only; the key and the token are printed as `<redacted>`.
///
/// ```
/// use intercom_dummy::Credentials;
///
/// let credentials = Credentials::default();
/// assert_eq!(credentials.app_id, "dummy-app-id");
/// assert_eq!(credentials.api_key, "dummy-api-key");
/// assert_eq!(credentials.access_token, "dummy-access-token");
/// // `curl -u dummy-app-id:dummy-api-key` sends this header:
/// assert_eq!(credentials.basic_auth_header(), "Basic ZHVtbXktYXBwLWlkOmR1bW15LWFwaS1rZXk=");
/// assert!(!format!("{credentials:?}").contains("dummy-api-key"));
/// ```
#[derive(Clone, PartialEq, Eq)]
pub struct Credentials {
    /// The HTTP Basic user name (`dummy-app-id` by default).
    pub app_id: String,
    /// The HTTP Basic password (`dummy-api-key` by default).
    pub api_key: String,
    /// The Bearer token of the events API (`dummy-access-token` by default).
    pub access_token: String,
}

impl Default for Credentials {
    fn default() -> Self {
        Credentials {
            app_id: DEFAULT_APP_ID.to_string(),
            api_key: DEFAULT_API_KEY.to_string(),
            access_token: DEFAULT_ACCESS_TOKEN.to_string(),
        }
    }
}

impl fmt::Debug for Credentials {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Credentials")
            .field("app_id", &self.app_id)
            .field("api_key", &"<redacted>")
            .field("access_token", &"<redacted>")
            .finish()
    }
}

impl Credentials {
    /// The `Authorization` value for HTTP Basic with the app id and API key.
    ///
    /// ```
    /// use intercom_dummy::Credentials;
    ///
    /// let credentials = Credentials {
    ///     app_id: "app".to_string(),
    ///     api_key: "key".to_string(),
    ///     ..Credentials::default()
    /// };
    /// // base64 of `app:key`.
    /// assert_eq!(credentials.basic_auth_header(), "Basic YXBwOmtleQ==");
    /// ```
    pub fn basic_auth_header(&self) -> String {
        let pair = format!("{}:{}", self.app_id, self.api_key);
        format!("Basic {}", STANDARD.encode(pair))
    }

    /// The `Authorization` value for the access token (`Bearer ...`).
    ///
    /// ```
    /// use intercom_dummy::Credentials;
    ///
    /// assert_eq!(Credentials::default().bearer_auth_header(), "Bearer dummy-access-token");
    /// ```
    pub fn bearer_auth_header(&self) -> String {
        format!("Bearer {}", self.access_token)
    }

    /// Whether the request's `Authorization` header carries one of the `accepted` credentials
    /// (an operation's `security`), with the right secret.
    pub(crate) fn accepts(&self, accepted: &[Credential], headers: &HeaderMap) -> bool {
        let Some(value) = headers.get(AUTHORIZATION).and_then(|v| v.to_str().ok()) else {
            return false;
        };
        let (scheme, credentials) = value.trim().split_once(' ').unwrap_or((value, ""));
        let credentials = credentials.trim();
        if scheme.eq_ignore_ascii_case("basic") {
            accepted.contains(&Credential::Basic) && self.basic_matches(credentials)
        } else if scheme.eq_ignore_ascii_case("bearer") {
            accepted.contains(&Credential::Bearer) && credentials == self.access_token
        } else {
            false
        }
    }

    fn basic_matches(&self, encoded: &str) -> bool {
        let Ok(decoded) = STANDARD.decode(encoded) else {
            return false;
        };
        let Ok(pair) = std::str::from_utf8(&decoded) else {
            return false;
        };
        pair.split_once(':')
            .is_some_and(|(user, password)| user == self.app_id && password == self.api_key)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use hyper::http::HeaderValue;

    fn with(value: &[u8]) -> HeaderMap {
        let mut headers = HeaderMap::new();
        if let Ok(v) = HeaderValue::from_bytes(value) {
            headers.insert(AUTHORIZATION, v);
        }
        headers
    }

    #[test]
    fn each_credential_only_where_the_operation_accepts_it() {
        const BASIC: &[Credential] = &[Credential::Basic];
        const BEARER: &[Credential] = &[Credential::Bearer];
        let c = Credentials::default();
        let basic = with(c.basic_auth_header().as_bytes());
        let bearer = with(c.bearer_auth_header().as_bytes());
        assert!(c.accepts(BASIC, &basic));
        assert!(!c.accepts(BEARER, &basic));
        assert!(c.accepts(BEARER, &bearer));
        assert!(!c.accepts(BASIC, &bearer));
        assert!(c.accepts(BEARER, &with(b"bearer dummy-access-token")));
        let either = &[Credential::Bearer, Credential::Basic];
        assert!(c.accepts(either, &basic) && c.accepts(either, &bearer));
    }

    #[test]
    fn anything_else_is_refused() {
        let c = Credentials::default();
        for bad in [
            &b""[..],
            b"Basic",
            b"Basic !!!",
            b"Basic ZHVtbXktYXBwLWlk",
            b"Basic ZHVtbXktYXBwLWlkOndyb25n",
            b"Bearer wrong",
            b"Token dummy-access-token",
            b"Basic \xff\xfe",
        ] {
            let both = &[Credential::Basic, Credential::Bearer];
            assert!(!c.accepts(both, &with(bad)), "{bad:?}");
        }
        assert!(!c.accepts(&[Credential::Basic], &HeaderMap::new()));
    }
}
