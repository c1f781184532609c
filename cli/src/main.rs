//! `intercom`: bulk work against the Intercom API from the command line.
//!
//! ```text
//! intercom events import events.jsonl --journal events.journal   # exit 1 if anything was rejected
//! intercom users export > users.jsonl
//! ```
//!
//! Credentials come from the same environment variables as `Client::from_env`
//! (`INTERCOM_ACCESS_TOKEN`, or `INTERCOM_APP_ID` with `INTERCOM_API_KEY`).

mod export;
mod import;
mod line;
mod lines;
mod progress;

use std::{path::PathBuf, process::ExitCode};

use clap::{Parser, Subcommand, ValueEnum};
use intercom_api::{Client, ClientBuilder, Region};

/// Exit code when something was rejected (an invalid line or an event Intercom refused).
const EXIT_REJECTED: u8 = 1;
/// Exit code when the command could not run to the end (configuration, files, journal).
const EXIT_FAILED: u8 = 2;

/// Bulk work against the Intercom API. Credentials: INTERCOM_ACCESS_TOKEN, or INTERCOM_APP_ID
/// with INTERCOM_API_KEY.
#[derive(Debug, Parser)]
#[command(name = "intercom", version)]
struct Cli {
    /// The workspace's region (its API host).
    #[arg(
        long,
        value_enum,
        global = true,
        default_value = "us",
        conflicts_with = "base_url"
    )]
    region: RegionArg,
    /// Another API base URL (e.g. a test server).
    #[arg(long, global = true)]
    base_url: Option<String>,
    #[command(subcommand)]
    command: Command,
}

#[derive(Clone, Copy, Debug, ValueEnum)]
enum RegionArg {
    Us,
    Eu,
    Au,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Data events.
    #[command(subcommand)]
    Events(EventsCommand),
    /// Users.
    #[command(subcommand)]
    Users(UsersCommand),
}

#[derive(Debug, Subcommand)]
enum EventsCommand {
    /// Submits the events of a JSON Lines file (one event per line), paced at the rate quota.
    Import(import::ImportArgs),
}

#[derive(Debug, Subcommand)]
enum UsersCommand {
    /// Writes every user as JSON Lines to standard output (progress on standard error).
    Export(export::ExportArgs),
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
    {
        Ok(runtime) => runtime,
        Err(error) => return fail(&format!("cannot start the runtime: {error}")),
    };
    let client = match client(&cli) {
        Ok(client) => client,
        Err(error) => return fail(&error.to_string()),
    };
    let outcome = runtime.block_on(async {
        match cli.command {
            Command::Events(EventsCommand::Import(args)) => import::run(client, args).await,
            Command::Users(UsersCommand::Export(args)) => export::run(client, args).await,
        }
    });
    match outcome {
        Ok(true) => ExitCode::SUCCESS,
        Ok(false) => ExitCode::from(EXIT_REJECTED),
        Err(message) => fail(&message),
    }
}

fn client(cli: &Cli) -> Result<Client, intercom_api::Error> {
    let mut builder = ClientBuilder::from_env()?;
    builder = match &cli.base_url {
        Some(url) => builder.base_url(url.clone()),
        None => builder.region(match cli.region {
            RegionArg::Us => Region::Us,
            RegionArg::Eu => Region::Eu,
            RegionArg::Au => Region::Au,
        }),
    };
    builder.build()
}

fn fail(message: &str) -> ExitCode {
    eprintln!("intercom: {message}");
    ExitCode::from(EXIT_FAILED)
}

/// A path for messages.
fn shown(path: &std::path::Path) -> std::path::Display<'_> {
    path.display()
}

/// `PATH.rejects.jsonl` beside the input.
fn default_rejects(input: &std::path::Path) -> PathBuf {
    let mut name = input.as_os_str().to_owned();
    name.push(".rejects.jsonl");
    PathBuf::from(name)
}
