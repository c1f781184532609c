//! Benchmark 4, decode: a page of 500 users, as the dummy server serves it over HTTP, decoded
//! into the SDK's types (`types::UserList`, what `users().list()` decodes: `serde_json::from_slice`
//! on the buffered body) and into `serde_json::Value`, in MB/s of JSON.
//!
//! ```sh
//! cargo bench --bench decode
//! cargo bench --bench decode -- --samples 15 --sample-ms 200
//! ```
//!
//! Two pages: the server's seed users (few fields), and users shaped like the documents'
//! `getUser` example (custom data, social profiles, location data), each fetched once from an
//! embedded `DummyServer` on 127.0.0.1; then decoding is timed in a loop (median of samples).

mod support;

use std::{
    hint::black_box,
    time::{Duration, Instant},
};

use intercom_api::types;
use intercom_dummy::DummyServer;
use support::{Options, Table};

const PER_PAGE: usize = 500;

/// The documents' `getUser` example as user `i`.
fn docs_user(template: &types::User, i: usize) -> types::User {
    let mut user = template.clone();
    user.email = Some(format!("user{i}@example.com"));
    user.user_id = Some(i.to_string());
    user
}

async fn fetch_page(server: &DummyServer) -> bytes::Bytes {
    let credentials = server.credentials();
    let response = reqwest::Client::new()
        .get(format!("{}/v1/users", server.base_url()))
        .query(&[("per_page", PER_PAGE)])
        .basic_auth(&credentials.app_id, Some(&credentials.api_key))
        .send()
        .await
        .expect("GET /v1/users");
    assert_eq!(response.status(), 200);
    response.bytes().await.expect("the page")
}

/// Median, minimum and maximum MB/s of `decode` over `samples` samples of at least `sample`.
fn measure(body: &[u8], samples: usize, sample: Duration, decode: impl Fn(&[u8])) -> [f64; 3] {
    // Warm-up and calibration.
    let started = Instant::now();
    let mut calibration = 0u64;
    while started.elapsed() < sample / 2 || calibration < 3 {
        decode(body);
        calibration += 1;
    }
    let per_iter = started.elapsed().as_secs_f64() / calibration as f64;
    let iterations = ((sample.as_secs_f64() / per_iter).ceil() as u64).max(1);
    let mut rates: Vec<f64> = (0..samples)
        .map(|_| {
            let started = Instant::now();
            for _ in 0..iterations {
                decode(body);
            }
            let seconds = started.elapsed().as_secs_f64();
            body.len() as f64 * iterations as f64 / seconds / 1e6
        })
        .collect();
    let median = support::median(&mut rates);
    [median, rates[0], rates[rates.len() - 1]]
}

fn main() {
    let options = Options::from_env();
    let samples: usize = options.sized("samples", 15, 2);
    let sample = Duration::from_millis(options.sized("sample-ms", 200, 5));

    let template: types::User = serde_json::from_str(include_str!(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/fixtures/getUser.response.json"
    )))
    .expect("the getUser fixture decodes");
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .expect("runtime");
    let pages = runtime.block_on(async {
        let seeded = DummyServer::builder()
            .seed_users(PER_PAGE)
            .request_log_capacity(0)
            .start()
            .await
            .expect("server");
        let docs = DummyServer::builder()
            .request_log_capacity(0)
            .start()
            .await
            .expect("server");
        docs.state()
            .insert_users((1..=PER_PAGE).map(|i| docs_user(&template, i)))
            .expect("insert");
        [
            ("seed users", fetch_page(&seeded).await),
            ("getUser-shaped users", fetch_page(&docs).await),
        ]
    });
    drop(runtime);

    support::header(
        "4. Decode: a 500-user page into types::UserList vs serde_json::Value",
        &options,
    );
    println!(
        "{samples} samples of >= {} ms each per cell; MB = 10^6 bytes of JSON; median (min–max)\n",
        sample.as_millis()
    );
    let mut table = Table::new(&[
        "page",
        "bytes",
        "types::UserList MB/s",
        "serde_json::Value MB/s",
        "types/Value",
        "µs per page (types)",
    ]);
    for (name, body) in &pages {
        let typed: types::UserList = serde_json::from_slice(body).expect("decodes");
        assert_eq!(typed.users.len(), PER_PAGE, "{name}: a full page");
        let types_rate = measure(body, samples, sample, |b| {
            black_box(serde_json::from_slice::<types::UserList>(black_box(b)).expect("decodes"));
        });
        let value_rate = measure(body, samples, sample, |b| {
            black_box(serde_json::from_slice::<serde_json::Value>(black_box(b)).expect("decodes"));
        });
        let cell = |[median, min, max]: [f64; 3]| format!("{median:.0} ({min:.0}–{max:.0})");
        table.row(vec![
            name.to_string(),
            support::thousands(body.len() as f64),
            cell(types_rate),
            cell(value_rate),
            format!("{:.2}", types_rate[0] / value_rate[0]),
            format!("{:.0}", body.len() as f64 / types_rate[0]),
        ]);
    }
    table.print();
    println!("Load after: {}", support::loadavg());
}
