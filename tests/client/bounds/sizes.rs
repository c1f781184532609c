//! Answer sizes, error excerpts and decode paths: an answer over the limit is refused (unread
//! when announced), one under it is read whole, and what an error shows of a body stays short.

use intercom_api::Error;
use serde_json::json;

use crate::support::hostile::{Hostile, Reply};

use super::{builder, get_user, user};

#[tokio::test]
async fn an_answer_announced_over_the_limit_is_refused_unread() {
    let server = Hostile::start(|_| Reply::Announced {
        length: 2 << 30,
        fill: b' ',
    })
    .await;
    let client = builder(&server).build().unwrap();
    let error = get_user(&client).await.unwrap_err();
    let Error::ResponseTooLarge {
        operation,
        status,
        limit,
    } = &error
    else {
        panic!("expected ResponseTooLarge, got {error:?}")
    };
    assert_eq!(
        (operation.as_str(), status.as_u16(), *limit),
        ("get_user", 200, intercom_api::defaults::MAX_RESPONSE_BYTES)
    );
    let text = error.to_string();
    assert!(
        text.contains("get_user") && text.contains("16777216 bytes"),
        "{text}"
    );
    assert!(!error.is_retryable());
    assert_eq!(error.status().map(|s| s.as_u16()), Some(200));
    // Not retried: the same request would bring the same answer.
    assert_eq!(server.requests(), 1);
}

#[tokio::test]
async fn an_endless_chunked_answer_stops_at_the_limit() {
    let server = Hostile::start(|_| Reply::Chunked {
        status: 200,
        total: None,
        fill: b'[',
    })
    .await;
    let client = builder(&server)
        .max_response_bytes(256 * 1024)
        .build()
        .unwrap();
    let error = get_user(&client).await.unwrap_err();
    assert!(
        matches!(&error, Error::ResponseTooLarge { limit: 262_144, operation, .. } if operation == "get_user"),
        "{error:?}"
    );
    assert_eq!(server.requests(), 1);
}

#[tokio::test]
async fn a_long_error_answer_is_refused_too() {
    // 2 MiB of an HTML error page, chunked: over a 1 MiB limit whatever the status.
    let server = Hostile::start(|_| Reply::Chunked {
        status: 502,
        total: Some(2 << 20),
        fill: b'<',
    })
    .await;
    let client = builder(&server)
        .max_response_bytes(1 << 20)
        .build()
        .unwrap();
    let error = get_user(&client).await.unwrap_err();
    assert!(
        matches!(&error, Error::ResponseTooLarge { status, .. } if status.as_u16() == 502),
        "{error:?}"
    );
    assert_eq!(server.requests(), 1);
}

#[tokio::test]
async fn an_answer_in_many_chunks_under_the_limit_is_read_whole() {
    let page = json!({
        "type": "user.list",
        "users": (0..200).map(user).collect::<Vec<_>>(),
        "page": 1, "next_page": null, "previous_page": null, "total_count": 200, "total_pages": 1,
    });
    let body = page.to_string().into_bytes();
    let size = body.len() as u64;
    let server = Hostile::start(move |_| Reply::ChunkedBody {
        body: body.clone(),
        chunk: 1000,
    })
    .await;
    // Exactly the body's size is allowed.
    let client = builder(&server).max_response_bytes(size).build().unwrap();
    let page = client.users().list().send().await.unwrap();
    assert_eq!(page.users.len(), 200);
    assert_eq!(page.users[199].user_id.as_deref(), Some("199"));
    // One byte less is not.
    let client = builder(&server)
        .max_response_bytes(size - 1)
        .build()
        .unwrap();
    let error = client.users().list().send().await.unwrap_err();
    assert!(matches!(error, Error::ResponseTooLarge { .. }), "{error:?}");
}

#[tokio::test]
async fn an_error_excerpt_is_a_few_hundred_characters() {
    let html = format!("<html>{}</html>", "<p>bad gateway</p>\n".repeat(50_000));
    let server = Hostile::start(move |_| Reply::Full {
        status: 502,
        headers: vec![("content-type".into(), "text/html".into())],
        body: html.clone().into_bytes(),
    })
    .await;
    let client = builder(&server).build().unwrap();
    let error = get_user(&client).await.unwrap_err();
    let Error::Api(api) = &error else {
        panic!("expected Api, got {error:?}")
    };
    assert_eq!(api.status.as_u16(), 502);
    assert!(
        api.message.starts_with("<html><p>bad gateway</p> <p>"),
        "{}",
        api.message
    );
    assert!(api.message.ends_with('…'), "{}", api.message);
    assert!(api.message.chars().count() <= 201, "{}", api.message);
    assert!(error.to_string().len() < 1_000);
}

#[tokio::test]
async fn a_decode_path_of_huge_keys_is_shortened() {
    // 100 nested keys of 64 KiB, then the body breaks off: the failing path is 6.5 M characters.
    let key = "k".repeat(64 * 1024);
    let mut body = String::from(r#"{"type":"user","id":"1","custom_data":"#);
    for _ in 0..100 {
        body.push_str(&format!("{{\"{key}\":"));
    }
    body.push('[');
    let server = Hostile::start(move |_| Reply::Full {
        status: 200,
        headers: vec![("content-type".into(), "application/json".into())],
        body: body.clone().into_bytes(),
    })
    .await;
    let client = builder(&server).build().unwrap();
    let error = get_user(&client).await.unwrap_err();
    let Error::Decode(decode) = &error else {
        panic!("expected Decode, got {error:?}")
    };
    assert!(
        decode.path.starts_with("custom_data.kkk"),
        "{}",
        decode.path
    );
    assert!(decode.path.ends_with('…'));
    assert!(decode.path.chars().count() <= 301, "{}", decode.path.len());
    assert!(decode.body_excerpt.chars().count() <= 201);
    let text = error.to_string();
    assert!(text.len() < 2_000, "{} characters", text.len());
}
