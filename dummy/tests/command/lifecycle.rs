//! A server (the library's `DummyServer`) stops when shut down or dropped.

use std::time::Duration;

use intercom_dummy::DummyServer;

#[tokio::test]
async fn a_server_stops_when_shut_down_or_dropped() {
    let server = DummyServer::start().await.expect("starts");
    let url = format!("{}/v1/users", server.base_url());
    let http = reqwest::Client::new();
    assert_eq!(
        http.get(&url)
            .basic_auth("dummy-app-id", Some("dummy-api-key"))
            .send()
            .await
            .expect("answers")
            .status(),
        200
    );
    server.shutdown().await;
    let after = reqwest::Client::new().get(&url).send().await;
    assert!(
        after.is_err_and(|e| e.is_connect()),
        "nothing listens any more"
    );

    let dropped = DummyServer::start().await.expect("starts");
    let addr = dropped.addr();
    drop(dropped);
    let mut refused = false;
    for _ in 0..500 {
        if tokio::net::TcpStream::connect(addr).await.is_err() {
            refused = true;
            break;
        }
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    assert!(refused, "the port is released after the drop");
}
