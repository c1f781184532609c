//! `intercom events import FILE`: one event per line, journaled, paced at the quota.

use std::{
    fs::File,
    io::{BufReader, BufWriter, Write},
    path::PathBuf,
    sync::{Arc, Mutex},
};

use futures_util::StreamExt;
use indicatif::ProgressBar;
use intercom_api::{
    BulkOutcome, BulkStatus, Client, journal::SqliteJournal, resources::DEFAULT_BULK_CONCURRENCY,
};
use serde_json::json;

use crate::{
    default_rejects, line,
    lines::{self, Line},
    progress, shown,
};

/// Arguments of `events import`.
#[derive(Debug, clap::Args)]
pub(crate) struct ImportArgs {
    /// The events: a JSON Lines file, one object per line with `event_name`, one of `user_id`,
    /// `email` or `id`, and optionally `created_at` (UNIX seconds) and `metadata`. Blank lines
    /// are skipped; a line longer than 1 MiB or not UTF-8 is rejected like any invalid line.
    file: PathBuf,
    /// A journal file (SQLite, created if missing): a rerun with the same file and journal skips
    /// the events Intercom acknowledged and sends the rest with the `created_at` first given, so
    /// that each event is counted once, however often a run was interrupted.
    #[arg(long)]
    journal: Option<PathBuf>,
    /// Requests in flight at most.
    #[arg(long, default_value_t = DEFAULT_BULK_CONCURRENCY)]
    concurrency: usize,
    /// Where invalid lines and refused events are written, one JSON object per line with the
    /// line number and the error [default: FILE.rejects.jsonl].
    #[arg(long)]
    rejects: Option<PathBuf>,
}

/// The rejects file and its counts.
struct Rejects {
    out: BufWriter<File>,
    invalid: u64,
    refused: u64,
    /// The first write error (reported at the end: the import goes on).
    error: Option<std::io::Error>,
}

impl Rejects {
    fn write(&mut self, record: serde_json::Value) {
        let written = serde_json::to_writer(&mut self.out, &record)
            .map_err(std::io::Error::from)
            .and_then(|()| self.out.write_all(b"\n"));
        if let Err(error) = written {
            self.error.get_or_insert(error);
        }
    }
}

/// Counts of the run.
#[derive(Default)]
struct Tally {
    accepted: u64,
    earlier: u64,
    refused: u64,
}

/// Runs the import: `Ok(true)` when nothing was rejected.
pub(crate) async fn run(client: Client, args: ImportArgs) -> Result<bool, String> {
    let total = count_lines(&args.file)?;
    let rejects_path = args
        .rejects
        .clone()
        .unwrap_or_else(|| default_rejects(&args.file));
    let out = File::create(&rejects_path)
        .map_err(|e| format!("cannot create {}: {e}", shown(&rejects_path)))?;
    let rejects = Arc::new(Mutex::new(Rejects {
        out: BufWriter::new(out),
        invalid: 0,
        refused: 0,
        error: None,
    }));
    let input =
        File::open(&args.file).map_err(|e| format!("cannot open {}: {e}", shown(&args.file)))?;
    let bar = progress::bar(Some(total), "events");
    let read_error = Arc::new(Mutex::new(None));
    let events = {
        let (rejects, bar, read_error) = (rejects.clone(), bar.clone(), read_error.clone());
        lines::numbered(BufReader::new(input))
            // A read error ends the input (reported at the end).
            .map_while(move |(number, line)| match line {
                Ok(line) => Some((number, line)),
                Err(error) => {
                    *lock(&read_error) = Some(format!("line {number}: {error}"));
                    None
                }
            })
            .filter(|(_, line)| !is_blank(line))
            .filter_map(move |(number, line)| {
                let (error, input) = match line {
                    Line::Text(text) => match line::parse(&text) {
                        Ok(event) => return Some((number, event)),
                        Err(error) => (error, text),
                    },
                    Line::Invalid { error, start } => (error, start),
                };
                let mut rejects = lock(&rejects);
                rejects.invalid += 1;
                rejects.write(json!({"line": number, "error": error, "input": input}));
                bar.inc(1);
                None
            })
    };
    let request = client
        .events()
        .create_many_indexed(events)
        .concurrency(args.concurrency);
    let mut tally = Tally::default();
    let mut journal_error = None;
    match &args.journal {
        Some(path) => {
            let journal = SqliteJournal::open(path).map_err(|e| e.to_string())?;
            let mut outcomes = std::pin::pin!(request.journal(journal).stream());
            while let Some(outcome) = outcomes.next().await {
                match outcome {
                    Ok(outcome) => record(outcome, &mut tally, &rejects, &bar),
                    Err(error) => journal_error = Some(error),
                }
            }
        }
        None => {
            let mut outcomes = std::pin::pin!(request.stream());
            while let Some(outcome) = outcomes.next().await {
                record(outcome, &mut tally, &rejects, &bar);
            }
        }
    }
    bar.finish();
    let mut rejects = lock(&rejects);
    if let Err(error) = rejects.out.flush() {
        rejects.error.get_or_insert(error);
    }
    eprintln!(
        "{} events: {} accepted ({} in earlier runs), {} refused, {} invalid lines",
        tally.accepted + tally.earlier + tally.refused + rejects.invalid,
        tally.accepted + tally.earlier,
        tally.earlier,
        tally.refused,
        rejects.invalid,
    );
    if let Some(error) = journal_error {
        return Err(format!(
            "stopped: {error}; events after it were not sent (rejects so far in {})",
            shown(&rejects_path)
        ));
    }
    if let Some(error) = lock(&read_error).take() {
        return Err(format!("cannot read {}: {error}", shown(&args.file)));
    }
    if let Some(error) = &rejects.error {
        return Err(format!("cannot write {}: {error}", shown(&rejects_path)));
    }
    let clean = rejects.invalid == 0 && tally.refused == 0;
    if !clean {
        eprintln!("rejected lines with their errors: {}", shown(&rejects_path));
    }
    Ok(clean)
}

fn record(outcome: BulkOutcome, tally: &mut Tally, rejects: &Mutex<Rejects>, bar: &ProgressBar) {
    match outcome.status {
        BulkStatus::Accepted => tally.accepted += 1,
        BulkStatus::AcceptedEarlier => tally.earlier += 1,
        BulkStatus::Failed(error) => {
            tally.refused += 1;
            let mut rejects = lock(rejects);
            rejects.refused += 1;
            rejects.write(json!({
                "line": outcome.index,
                "error": error.to_string(),
                "event": outcome.event,
            }));
        }
        // Future statuses count as refused, never silently.
        _ => tally.refused += 1,
    }
    bar.inc(1);
    bar.set_message(format!(
        "accepted {}, failed {}",
        tally.accepted + tally.earlier,
        tally.refused + lock(rejects).invalid
    ));
}

/// Non-blank lines of the file (the progress bar's total).
fn count_lines(path: &std::path::Path) -> Result<u64, String> {
    let file = File::open(path).map_err(|e| format!("cannot open {}: {e}", shown(path)))?;
    let mut count = 0;
    for (number, line) in lines::numbered(BufReader::new(file)) {
        let line = line.map_err(|e| format!("cannot read {} line {number}: {e}", shown(path)))?;
        count += u64::from(!is_blank(&line));
    }
    Ok(count)
}

/// Blank lines are skipped (an unreadable line is not blank: it is rejected).
fn is_blank(line: &Line) -> bool {
    matches!(line, Line::Text(text) if text.trim().is_empty())
}

fn lock<T>(mutex: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(|e| e.into_inner())
}
