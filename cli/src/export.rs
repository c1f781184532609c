//! `intercom users export`: every user as JSON Lines on standard output.

use std::io::Write;

use futures_util::TryStreamExt;
use intercom_api::{Client, resources::MAX_USERS_PER_PAGE};

use crate::progress;

/// Arguments of `users export`.
#[derive(Debug, clap::Args)]
pub(crate) struct ExportArgs {
    /// Users per page requested.
    #[arg(long, default_value_t = MAX_USERS_PER_PAGE)]
    per_page: u64,
}

/// Writes every user, a page in memory at a time; `Ok(true)` when all were written.
pub(crate) async fn run(client: Client, args: ExportArgs) -> Result<bool, String> {
    let stdout = std::io::stdout();
    let mut out = std::io::BufWriter::new(stdout.lock());
    let bar = progress::bar(None, "users");
    let mut pages = std::pin::pin!(client.users().list().per_page(args.per_page).pages());
    let mut written = 0u64;
    while let Some(page) = pages
        .try_next()
        .await
        .map_err(|e| format!("after {written} users: {e}"))?
    {
        if bar.length().is_none() {
            bar.set_length(u64::try_from(page.total_count).unwrap_or(0));
            bar.set_style(progress::bar(Some(0), "users").style());
        }
        for user in &page.users {
            serde_json::to_writer(&mut out, user)
                .map_err(std::io::Error::from)
                .and_then(|()| out.write_all(b"\n"))
                .map_err(|e| format!("cannot write to standard output: {e}"))?;
            written += 1;
            bar.inc(1);
        }
    }
    out.flush()
        .map_err(|e| format!("cannot write to standard output: {e}"))?;
    bar.finish();
    eprintln!("{written} users exported");
    Ok(true)
}
