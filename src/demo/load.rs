//! The bulk load. A generating thread makes chunks of enterprises while the database stores the
//! previous ones:
//!
//! - SQLite has one writer, so one connection stores each chunk (enterprises, milestones,
//!   history) in one transaction.
//! - PostgreSQL spends most of its time checking foreign keys and maintaining indexes, work it
//!   does per backend process. Three connections form a pipeline — enterprises, milestones,
//!   history — each committing its table's part of a chunk before handing the chunk on, so the
//!   rows a foreign key names are always committed before the rows that name them.
//!
//! Both end by refreshing the planner's statistics of the loaded tables.

use std::sync::mpsc::{sync_channel, Receiver, SyncSender};
use std::sync::{Arc, Mutex, PoisonError};

use super::generate::{Catalogue, Chunk, Generator, Staff};
use super::plan::Plan;
use super::progress::Progress;
use super::{postgres, sqlite, Options};
use crate::db::{Db, DbConnection};
use crate::error::AppError;

/// Enterprises per chunk (one transaction per chunk and table).
const CHUNK: u64 = 10_000;

/// What a load stored.
#[derive(Debug, Default)]
pub struct Loaded {
    /// Enterprises.
    pub enterprises: u64,
    /// Milestones.
    pub milestones: u64,
    /// History entries.
    pub history: u64,
    /// Id of the first enterprise (for the demo enterprise account).
    pub first_enterprise: Option<String>,
}

/// What the load needs from the run, shared with the threads.
#[derive(Clone)]
pub struct Inputs {
    /// Distributions.
    pub plan: Arc<Plan>,
    /// Reviewers and the province officer.
    pub staff: Arc<Staff>,
    /// Milestone catalogue.
    pub types: Arc<Catalogue>,
    /// Size and seed.
    pub options: Options,
}

/// Runs the generator on its own thread, turning each chunk into `T` there; stops early when
/// the receiver hangs up (a writer failed).
fn spawn_generator<T, F>(inputs: Inputs, tx: SyncSender<Result<T, String>>, prepare: F)
where
    T: Send + 'static,
    F: Fn(Chunk) -> T + Send + 'static,
{
    std::thread::spawn(move || {
        let mut generator = Generator::new(&inputs.plan, &inputs.staff, &inputs.types, inputs.options.seed);
        let mut left = inputs.options.enterprises;
        while left > 0 {
            let n = left.min(CHUNK);
            left -= n;
            let batch = generator.chunk(n).map(&prepare);
            let stop = batch.is_err();
            if tx.send(batch).is_err() || stop {
                return;
            }
        }
    });
}

fn first_error(results: impl IntoIterator<Item = Result<(), String>>) -> Result<(), String> {
    results.into_iter().collect::<Result<Vec<()>, String>>().map(drop)
}

/// Loads on SQLite through one pooled connection.
pub async fn sqlite(db: &Db, inputs: Inputs) -> Result<Loaded, String> {
    let (tx, rx) = sync_channel(2);
    let progress = Progress::new(inputs.options.enterprises, inputs.options.progress);
    spawn_generator(inputs, tx, |chunk| chunk);
    db.run(move |conn| {
        let DbConnection::Sqlite(c) = conn else {
            return Err(AppError::internal("the SQLite loader got another connection"));
        };
        let mut progress = progress;
        let mut loaded = Loaded::default();
        sqlite::begin(c)?;
        let written = (|| {
            for chunk in rx.iter() {
                let chunk = chunk.map_err(AppError::internal)?;
                sqlite::write(c, &chunk, &mut progress)?;
                loaded.count(&chunk);
            }
            Ok::<_, AppError>(())
        })();
        drop(rx);
        let restored = sqlite::end(c);
        progress.finish();
        written?;
        restored?;
        sqlite::analyze(c)?;
        Ok(loaded)
    })
    .await
    .map_err(|e| e.to_string())
}

impl Loaded {
    fn count(&mut self, chunk: &Chunk) {
        if self.first_enterprise.is_none() {
            self.first_enterprise = chunk.enterprises.first().map(|e| e.id.clone());
        }
        self.enterprises += chunk.enterprises.len() as u64;
        self.milestones += chunk.milestones.len() as u64;
        self.history += chunk.history.len() as u64;
    }
}

/// One stage of the PostgreSQL pipeline: stores its table's part of each batch and passes the
/// batch on once that is committed.
fn stage(
    conn: &mut DbConnection,
    rx: Receiver<Result<postgres::Batch, String>>,
    next: Option<SyncSender<Result<postgres::Batch, String>>>,
    table: postgres::Table,
    progress: &Mutex<Progress>,
) -> Result<(), AppError> {
    let DbConnection::Pg(c) = conn else {
        return Err(AppError::internal("the PostgreSQL loader got another connection"));
    };
    postgres::begin(c)?;
    let written = (|| {
        for batch in rx.iter() {
            let batch = batch.map_err(AppError::internal)?;
            let rows = postgres::write(c, &batch, table)?;
            let enterprises = if next.is_none() { batch.enterprises() } else { 0 };
            progress.lock().unwrap_or_else(PoisonError::into_inner).advance(enterprises, rows);
            if let Some(next) = &next {
                // The next stage hung up: it failed and reports why.
                if next.send(Ok(batch)).is_err() {
                    break;
                }
            }
        }
        Ok::<_, AppError>(())
    })();
    drop(rx);
    let restored = postgres::end(c);
    written?;
    restored?;
    Ok(())
}

/// Loads on PostgreSQL through a three-connection pipeline.
pub async fn postgres(db: &Db, inputs: Inputs) -> Result<Loaded, String> {
    let progress = Arc::new(Mutex::new(Progress::new(inputs.options.enterprises, inputs.options.progress)));
    let totals = Arc::new(Mutex::new(Loaded::default()));
    let (to_enterprises, enterprises_rx) = sync_channel(2);
    let (to_milestones, milestones_rx) = sync_channel(2);
    let (to_history, history_rx) = sync_channel(2);
    let counted = totals.clone();
    spawn_generator(inputs, to_enterprises, move |chunk| {
        counted.lock().unwrap_or_else(PoisonError::into_inner).count(&chunk);
        postgres::Batch::render(&chunk)
    });
    let run = |rx, next, table| {
        let progress = progress.clone();
        db.run(move |c| stage(c, rx, next, table, &progress))
    };
    let (a, b, c) = futures_util::future::join3(
        run(enterprises_rx, Some(to_milestones), postgres::Table::Enterprises),
        run(milestones_rx, Some(to_history), postgres::Table::Milestones),
        run(history_rx, None, postgres::Table::History),
    )
    .await;
    progress.lock().unwrap_or_else(PoisonError::into_inner).finish();
    first_error([a, b, c].map(|r| r.map_err(|e| e.to_string())))?;
    db.run(|c| match c {
        DbConnection::Pg(c) => Ok(postgres::analyze(c)?),
        DbConnection::Sqlite(_) => Ok(()),
    })
    .await
    .map_err(|e| e.to_string())?;
    let loaded = std::mem::take(&mut *totals.lock().unwrap_or_else(PoisonError::into_inner));
    Ok(loaded)
}
