//! progenitor's `ClientHooks` for the generated client: every operation goes through the
//! [`Transport`](super::Transport).

use progenitor_client::{ClientHooks, OperationInfo};

use crate::generated::Client;

impl ClientHooks<super::Transport> for Client {
    async fn pre<E>(
        &self,
        request: &mut reqwest::Request,
        _info: &OperationInfo,
    ) -> Result<(), progenitor_client::Error<E>> {
        self.inner
            .prepare(request)
            .map_err(progenitor_client::Error::InvalidRequest)
    }

    async fn exec(
        &self,
        request: reqwest::Request,
        info: &OperationInfo,
    ) -> reqwest::Result<reqwest::Response> {
        self.inner
            .execute(&self.client, request, info.operation_id)
            .await
    }
}
