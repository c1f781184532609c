//! [`SqliteJournal`]: the journal in an SQLite file (feature `journal`).

use std::path::{Path, PathBuf};

use rusqlite::{Connection, OptionalExtension, params};

use super::{JournalEntry, JournalError, JournalStore};

/// The journal in an SQLite file: one row per event, written in one transaction per batch,
/// committed with `synchronous=FULL` in WAL mode (durable when the call returns).
///
/// ```
/// use intercom_api::journal::{JournalEntry, JournalStore, SqliteJournal};
///
/// let path = std::env::temp_dir().join(format!("journal-doc-{}.sqlite", std::process::id()));
/// let entry = JournalEntry { fingerprint: [3; 32], created_at: 1_700_000_000, acknowledged: false };
/// SqliteJournal::open(&path)?.record_assigned(&[(5, entry)])?;
/// // Another process (or a rerun after a crash) finds it.
/// assert_eq!(SqliteJournal::open(&path)?.load(&[5])?, vec![Some(entry)]);
/// # std::fs::remove_file(&path).ok();
/// # Ok::<(), intercom_api::journal::JournalError>(())
/// ```
pub struct SqliteJournal {
    connection: Connection,
    path: PathBuf,
}

impl std::fmt::Debug for SqliteJournal {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SqliteJournal")
            .field("path", &self.path)
            .finish_non_exhaustive()
    }
}

/// The schema's version, in SQLite's `user_version`.
const SCHEMA_VERSION: i64 = 1;

impl SqliteJournal {
    /// Opens (creating if needed) the journal at `path`.
    ///
    /// ```
    /// use intercom_api::journal::SqliteJournal;
    ///
    /// // A directory is not a journal: the error names the path.
    /// let error = SqliteJournal::open(std::env::temp_dir()).unwrap_err();
    /// assert!(error.to_string().contains(&std::env::temp_dir().display().to_string()), "{error}");
    /// ```
    pub fn open(path: impl AsRef<Path>) -> Result<SqliteJournal, JournalError> {
        let path = path.as_ref().to_path_buf();
        let fail = |what: &str, e: rusqlite::Error| {
            JournalError::Store(format!("{what} {}: {e}", path.display()))
        };
        let connection = Connection::open(&path).map_err(|e| fail("cannot open", e))?;
        connection
            .execute_batch(
                "PRAGMA journal_mode = WAL;
                 PRAGMA synchronous = FULL;
                 CREATE TABLE IF NOT EXISTS events (
                     idx INTEGER PRIMARY KEY,
                     fingerprint BLOB NOT NULL,
                     created_at INTEGER NOT NULL,
                     acknowledged INTEGER NOT NULL DEFAULT 0
                 );",
            )
            .map_err(|e| fail("cannot set up", e))?;
        let version: i64 = connection
            .query_row("PRAGMA user_version", [], |row| row.get(0))
            .map_err(|e| fail("cannot read", e))?;
        match version {
            0 => connection
                .execute_batch(&format!("PRAGMA user_version = {SCHEMA_VERSION}"))
                .map_err(|e| fail("cannot set up", e))?,
            SCHEMA_VERSION => {}
            other => {
                return Err(JournalError::Store(format!(
                    "{} has schema version {other}; this version reads {SCHEMA_VERSION}",
                    path.display()
                )));
            }
        }
        Ok(SqliteJournal { connection, path })
    }

    /// The file's path.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Entries recorded, and of those acknowledged.
    ///
    /// ```
    /// # let path = std::env::temp_dir().join(format!("journal-counts-{}.sqlite", std::process::id()));
    /// let journal = intercom_api::journal::SqliteJournal::open(&path)?;
    /// assert_eq!(journal.counts()?, (0, 0));
    /// # std::fs::remove_file(&path).ok();
    /// # Ok::<(), intercom_api::journal::JournalError>(())
    /// ```
    pub fn counts(&self) -> Result<(u64, u64), JournalError> {
        self.connection
            .query_row(
                "SELECT COUNT(*), COALESCE(SUM(acknowledged), 0) FROM events",
                [],
                |row| Ok((row.get::<_, i64>(0)? as u64, row.get::<_, i64>(1)? as u64)),
            )
            .map_err(|e| self.error("cannot read", e))
    }

    fn error(&self, what: &str, e: rusqlite::Error) -> JournalError {
        JournalError::Store(format!("{what} {}: {e}", self.path.display()))
    }
}

/// An index as SQLite's signed integer (indices past `i64::MAX` are refused, not wrapped).
fn key(index: u64) -> rusqlite::Result<i64> {
    i64::try_from(index).map_err(|e| rusqlite::Error::ToSqlConversionFailure(Box::new(e)))
}

impl JournalStore for SqliteJournal {
    fn load(&mut self, indices: &[u64]) -> Result<Vec<Option<JournalEntry>>, JournalError> {
        let read = || -> rusqlite::Result<Vec<Option<JournalEntry>>> {
            let mut statement = self.connection.prepare_cached(
                "SELECT fingerprint, created_at, acknowledged FROM events WHERE idx = ?1",
            )?;
            indices
                .iter()
                .map(|&index| {
                    statement
                        .query_row(params![key(index)?], |row| {
                            let bytes: Vec<u8> = row.get(0)?;
                            let mut fingerprint = [0; 32];
                            // A shorter or longer blob (a damaged file) never matches an event.
                            if bytes.len() == 32 {
                                fingerprint.copy_from_slice(&bytes);
                            }
                            Ok(JournalEntry {
                                fingerprint,
                                created_at: row.get(1)?,
                                acknowledged: row.get::<_, i64>(2)? != 0,
                            })
                        })
                        .optional()
                })
                .collect()
        };
        read().map_err(|e| self.error("cannot read", e))
    }

    fn record_assigned(&mut self, entries: &[(u64, JournalEntry)]) -> Result<(), JournalError> {
        let write = |connection: &mut Connection| -> rusqlite::Result<()> {
            let transaction = connection.transaction()?;
            {
                let mut statement = transaction.prepare_cached(
                    "INSERT OR REPLACE INTO events (idx, fingerprint, created_at, acknowledged)
                     VALUES (?1, ?2, ?3, ?4)",
                )?;
                for (index, entry) in entries {
                    statement.execute(params![
                        key(*index)?,
                        &entry.fingerprint[..],
                        entry.created_at,
                        entry.acknowledged
                    ])?;
                }
            }
            transaction.commit()
        };
        write(&mut self.connection).map_err(|e| self.error("cannot write", e))
    }

    fn record_acknowledged(&mut self, indices: &[u64]) -> Result<(), JournalError> {
        let write = |connection: &mut Connection| -> rusqlite::Result<()> {
            let transaction = connection.transaction()?;
            {
                let mut statement = transaction
                    .prepare_cached("UPDATE events SET acknowledged = 1 WHERE idx = ?1")?;
                for index in indices {
                    statement.execute(params![key(*index)?])?;
                }
            }
            transaction.commit()
        };
        write(&mut self.connection).map_err(|e| self.error("cannot write", e))
    }
}
