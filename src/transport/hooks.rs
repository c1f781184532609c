//! progenitor's `ClientHooks` for the generated client: every operation goes through the
//! [`Transport`](super::Transport).

use progenitor_client::{ClientHooks, OperationInfo};

use crate::{
    generated::Client,
    operations::{self, Operation},
};

/// The table's entry for the operation progenitor is running.
fn operation(info: &OperationInfo) -> Result<&'static Operation, String> {
    operations::by_name(info.operation_id).ok_or_else(|| {
        format!(
            "operation `{}` is not in the operation table (the generated code is stale)",
            info.operation_id
        )
    })
}

impl ClientHooks<super::Transport> for Client {
    async fn pre<E>(
        &self,
        request: &mut reqwest::Request,
        info: &OperationInfo,
    ) -> Result<(), progenitor_client::Error<E>> {
        operation(info)
            .and_then(|operation| self.inner.prepare(request, operation))
            .map_err(progenitor_client::Error::InvalidRequest)
    }

    async fn exec(
        &self,
        request: reqwest::Request,
        info: &OperationInfo,
    ) -> reqwest::Result<reqwest::Response> {
        match operations::by_name(info.operation_id) {
            Some(operation) => self.inner.execute(&self.client, request, operation).await,
            // `pre` has refused the request already; were it sent, it would get no retries.
            None => self.client.execute(request).await,
        }
    }
}
