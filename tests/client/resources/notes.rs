//! Notes (`/v1/users/notes`).

use intercom_api::types;

use super::ben;
use crate::support::{
    fixtures::{decode, fixture},
    mock::{assert_sent, client_answering, raw_client_answering},
};

// The request each operation of the generated client sends, and its documented answer.

#[tokio::test]
async fn create_note() {
    let request = fixture("createNote.request.json");
    let (server, client) =
        raw_client_answering(200, Some(fixture("createNote.response.json"))).await;
    let body: types::NoteRequest = decode(request.clone());
    let note = client.create_note().body(body).send().await.unwrap();
    assert_sent(&server, "POST", "/v1/users/notes", &[], Some(request)).await;
    assert_eq!(note.html, "<p>This is the text of my note.</p>");
    assert_eq!(note.created_at, None);
}

// The handle, `client.notes()`.

#[tokio::test]
async fn notes_create() {
    let (server, client) = client_answering(200, Some(fixture("createNote.response.json"))).await;
    let note = client
        .notes()
        .create(ben(), "This is the text of my note.")
        .send()
        .await
        .unwrap();
    assert_eq!(note.html, "<p>This is the text of my note.</p>");
    let body = fixture("createNote.request.json");
    assert_sent(&server, "POST", "/v1/users/notes", &[], Some(body)).await;
}
