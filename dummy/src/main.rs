//! `intercom-dummy`: the dummy Intercom server as a command (see `--help`).

use std::process::ExitCode;

fn main() -> ExitCode {
    ExitCode::from(intercom_dummy::cli::run(std::env::args_os()))
}
