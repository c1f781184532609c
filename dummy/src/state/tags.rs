//! Tags: created, updated, and put on or taken off users by `user_id` or email.

use super::{Store, StoreError, TagRecord, users::TagFilter};
use intercom_api::types;

/// The colour of a tag created without one (the documents' examples show green).
const DEFAULT_COLOR: &str = "green";

/// A tag as the API returns it.
pub(crate) fn view(tag: &TagRecord) -> types::Tag {
    types::Tag {
        id: Some(tag.id.to_string()),
        name: tag.name.clone(),
        color: Some(tag.color.clone()),
        segment: Some(false),
        tagged_user_count: Some(i64::try_from(tag.members.len()).unwrap_or(i64::MAX)),
        extra: Default::default(),
    }
}

impl Store {
    /// The tag a user-list filter names (both given: they must name the same tag).
    pub(crate) fn tag_matching(&self, filter: TagFilter<'_>) -> Option<&TagRecord> {
        let by_id = filter.tag_id.map(|id| {
            id.parse::<u64>()
                .ok()
                .and_then(|id| self.tags.values().find(|t| t.id == id))
        });
        let by_name = filter.tag_name.map(|name| self.tags.get(name));
        match (by_id, by_name) {
            (Some(a), Some(b)) => a.filter(|a| b.is_some_and(|b| a.id == b.id)),
            (Some(a), None) => a,
            (None, Some(b)) => b,
            (None, None) => None,
        }
    }

    /// `GET /v1/tags?name=...`.
    pub(crate) fn get_tag(&self, name: &str) -> Result<types::Tag, StoreError> {
        self.tags.get(name).map(view).ok_or(StoreError::TagNotFound)
    }

    /// `POST /v1/tags`: creates the tag, or updates it when the name exists (so a retried
    /// create is harmless), and tags the users listed.
    pub(crate) fn create_tag(&mut self, request: types::TagCreateRequest) -> types::Tag {
        let tagging = request.tag_or_untag.is_some();
        self.write_tag(
            request.name,
            request.color,
            tagging.then_some(true),
            &request.user_ids,
            &request.emails,
        )
    }

    /// `PUT /v1/tags`: the tag must exist; tags or untags the users listed.
    pub(crate) fn update_tag(
        &mut self,
        request: types::TagUpdateRequest,
    ) -> Result<types::Tag, StoreError> {
        if !self.tags.contains_key(&request.name) {
            return Err(StoreError::TagNotFound);
        }
        let tag = request.tag_or_untag.map(|t| t == types::TagOrUntag::Tag);
        Ok(self.write_tag(
            request.name,
            request.color,
            tag,
            &request.user_ids,
            &request.emails,
        ))
    }

    /// Creates or updates the tag `name`; with `tag` `Some(true)` tags, `Some(false)` untags the
    /// users named (unknown users are skipped, as a bulk call would).
    fn write_tag(
        &mut self,
        name: String,
        color: Option<types::TagColor>,
        tag: Option<bool>,
        user_ids: &[String],
        emails: &[String],
    ) -> types::Tag {
        let users: Vec<u64> = user_ids
            .iter()
            .filter_map(|id| self.by_user_id.get(id))
            .chain(emails.iter().filter_map(|e| self.by_email.get(e)))
            .copied()
            .collect();
        let next_tag = &mut self.next_tag;
        let record = self.tags.entry(name).or_insert_with_key(|name| {
            let id = *next_tag;
            *next_tag += 1;
            TagRecord {
                id,
                name: name.clone(),
                color: DEFAULT_COLOR.to_string(),
                members: Default::default(),
            }
        });
        if let Some(color) = color {
            record.color = color.to_string();
        }
        let tag_id = record.id;
        for seq in users {
            let Some(user) = self.users.get_mut(&seq) else {
                continue;
            };
            match tag {
                Some(true) => {
                    record.members.insert(seq);
                    user.tags.insert(tag_id);
                }
                Some(false) => {
                    record.members.remove(&seq);
                    user.tags.remove(&tag_id);
                }
                None => {}
            }
        }
        view(record)
    }
}
