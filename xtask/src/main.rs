//! Developer tasks for intercom-api (regenerate, check and diff the OpenAPI description).
//!
//! The commands themselves are tracked in their own issue; this stub keeps the workspace building.

fn main() {
    eprintln!("xtask: no commands yet");
    std::process::exit(2);
}
