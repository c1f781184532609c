//! How a chosen [`Fault`] turns into what the client gets.

use std::time::{Duration, SystemTime, UNIX_EPOCH};

use bytes::Bytes;
use hyper::http::{HeaderName, HeaderValue, StatusCode, header::RETRY_AFTER};

use super::{
    faults::{ChosenFault, Fault, FaultTiming},
    reply::{ApiError, ErrorShape, HTML, JSON, Reply},
};

/// What the connection does with a request.
#[derive(Debug)]
pub(crate) enum Outcome {
    /// Send this response.
    Answer(Reply),
    /// Send this response's head and half its body, then close the connection.
    CutOff(Reply),
    /// Close the connection without a response.
    Drop,
}

const BAD_GATEWAY_PAGE: &str = "<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n\
<body>\r\n<center><h1>502 Bad Gateway</h1></center>\r\n<hr><center>nginx</center>\r\n\
</body>\r\n</html>\r\n";

const LOGIN_PAGE: &str = "<!DOCTYPE html>\n<html><head><title>Sign in</title></head>\n\
<body><h1>Please sign in to continue</h1><form method=\"post\" action=\"/login\">\
<input name=\"user\"><input name=\"password\" type=\"password\"></form></body></html>\n";

/// A JSON document that is broken beyond repair.
const MALFORMED_JSON: &[u8] = b"{\"type\": \"user\", \"email\": , ]";

/// Carries out `chosen`: `process` handles the request normally, and is called before the
/// fault strikes ([`FaultTiming::AfterProcessing`]), after a delay, or not at all.
pub(crate) async fn answer(
    chosen: ChosenFault,
    shape: ErrorShape,
    request_id: &str,
    process: impl FnOnce() -> Reply,
) -> Outcome {
    match (chosen.timing, chosen.fault) {
        (FaultTiming::BeforeProcessing, Fault::Delay(wait)) => {
            tokio::time::sleep(wait).await;
            Outcome::Answer(process())
        }
        (FaultTiming::AfterProcessing, Fault::Delay(wait)) => {
            let reply = process();
            tokio::time::sleep(wait).await;
            Outcome::Answer(reply)
        }
        (FaultTiming::BeforeProcessing, fault) => damage(fault, None, shape, request_id),
        (FaultTiming::AfterProcessing, fault) => {
            let reply = process();
            damage(fault, Some(reply), shape, request_id)
        }
    }
}

/// The response `fault` makes of the server's own `reply` (or, when the request was not
/// processed, of a stand-in JSON body).
fn damage(fault: Fault, reply: Option<Reply>, shape: ErrorShape, request_id: &str) -> Outcome {
    let injected = |status: StatusCode, code: &'static str| {
        let reason = status.canonical_reason().unwrap_or("Error");
        ApiError::new(status, code, format!("{reason} (injected fault)"))
    };
    // The body a damaging fault works on: the server's answer, or an error object.
    let answer = || {
        let mut reply = reply.clone().unwrap_or_else(|| {
            let mut stand_in = injected(StatusCode::OK, "injected_fault").render(shape, request_id);
            stand_in.status = StatusCode::OK;
            stand_in
        });
        if reply.body.is_empty() {
            reply.body = injected(reply.status, "injected_fault")
                .render(shape, request_id)
                .body;
            reply.content_type = Some(JSON);
        }
        reply
    };
    match fault {
        Fault::TooManyRequests { retry_after } => Outcome::Answer(
            injected(StatusCode::TOO_MANY_REQUESTS, "rate_limit_exceeded")
                .with_header(RETRY_AFTER, HeaderValue::from(whole_seconds(retry_after)))
                .render(shape, request_id),
        ),
        Fault::RateLimitReset { reset_after } => {
            let reset = unix_now().saturating_add(whole_seconds(reset_after));
            Outcome::Answer(
                injected(StatusCode::TOO_MANY_REQUESTS, "rate_limit_exceeded")
                    .with_header(
                        HeaderName::from_static("x-ratelimit-reset"),
                        HeaderValue::from(reset),
                    )
                    .with_header(
                        HeaderName::from_static("x-ratelimit-remaining"),
                        HeaderValue::from_static("0"),
                    )
                    .render(shape, request_id),
            )
        }
        Fault::Status(code) => {
            let status = StatusCode::from_u16(code).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
            let kind = if status.is_server_error() {
                "server_error"
            } else {
                "injected_fault"
            };
            Outcome::Answer(injected(status, kind).render(shape, request_id))
        }
        Fault::BadGatewayHtml => {
            Outcome::Answer(Reply::html(StatusCode::BAD_GATEWAY, BAD_GATEWAY_PAGE))
        }
        Fault::HtmlPage => Outcome::Answer(Reply::html(StatusCode::OK, LOGIN_PAGE)),
        Fault::DropConnection => Outcome::Drop,
        Fault::DropMidBody => Outcome::CutOff(answer()),
        Fault::TruncatedJson => {
            let mut reply = answer();
            reply.body = reply.body.slice(..reply.body.len() / 2);
            reply.content_type = Some(JSON);
            Outcome::Answer(reply)
        }
        Fault::MalformedJson => {
            let mut reply = answer();
            reply.body = Bytes::from_static(MALFORMED_JSON);
            reply.content_type = Some(JSON);
            Outcome::Answer(reply)
        }
        Fault::JsonAsHtml => {
            let mut reply = answer();
            reply.content_type = Some(HTML);
            Outcome::Answer(reply)
        }
        // Handled by `answer`; a delay damages nothing.
        Fault::Delay(_) => Outcome::Answer(answer()),
    }
}

/// Whole seconds, rounded up.
fn whole_seconds(duration: Duration) -> u64 {
    duration
        .as_secs()
        .saturating_add(u64::from(duration.subsec_nanos() > 0))
}

fn unix_now() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap_or_default()
        .as_secs()
}
