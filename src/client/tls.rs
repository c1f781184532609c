//! The TLS configuration of the HTTP client the builder makes (feature `rustls`, on by
//! default): rustls with the `ring` crypto provider and the platform's certificate verifier,
//! offering HTTP/2 and HTTP/1.1. It is handed to reqwest whole, so the crate installs no
//! process-wide crypto provider.

use std::sync::Arc;

use rustls_platform_verifier::BuilderVerifierExt;

use crate::Error;

/// The rustls configuration of the client's own HTTP client.
pub(super) fn config() -> Result<rustls::ClientConfig, Error> {
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let mut config = rustls::ClientConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .and_then(|builder| builder.with_platform_verifier())
        .map_err(|e| Error::Config(format!("the TLS configuration could not be built: {e}")))?
        .with_no_client_auth();
    config.alpn_protocols = vec![b"h2".to_vec(), b"http/1.1".to_vec()];
    Ok(config)
}
