//! A dedicated, low-priority pool of threads for argon2 (login checks, new passwords).
//!
//! One argon2id verification costs ~20 ms of CPU. Run on the general blocking pool, a login
//! storm took as many threads as there were logins and starved the database reads of CPU. Here
//! hashing has its own few threads (one per core by default), lowered in scheduling priority so
//! that request handling always wins the CPU, and a bounded queue: beyond it the service answers
//! 503 at once instead of piling up work that outlives impatient clients.

use std::sync::mpsc::{sync_channel, Receiver, SyncSender, TrySendError};
use std::sync::{Arc, Mutex};

use actix_web::http::{header, StatusCode};

use crate::error::AppError;

/// How many hashing jobs may wait for a thread before new ones are refused.
const QUEUE: usize = 128;

/// The nice value of hashing threads (0 = normal, 19 = lowest): they still get every idle cycle,
/// but a waking request handler preempts them.
#[cfg(target_os = "linux")]
const NICE: libc::c_int = 10;

type Job = Box<dyn FnOnce() + Send>;

/// Handle on the hashing threads; clones share them.
#[derive(Clone, Debug)]
pub struct Hasher {
    queue: SyncSender<Job>,
}

impl Hasher {
    /// Starts `threads` hashing threads (at least one).
    pub fn start(threads: usize) -> std::io::Result<Self> {
        let (queue, jobs) = sync_channel::<Job>(QUEUE);
        let jobs = Arc::new(Mutex::new(jobs));
        for i in 0..threads.max(1) {
            let jobs = jobs.clone();
            std::thread::Builder::new().name(format!("argon2-{i}")).spawn(move || work(&jobs))?;
        }
        Ok(Self { queue })
    }

    /// Runs `f` on a hashing thread and waits for its answer without blocking the caller's
    /// thread; 503 `hashing_busy` when the queue is full.
    pub async fn run<T, F>(&self, f: F) -> Result<T, AppError>
    where
        F: FnOnce() -> T + Send + 'static,
        T: Send + 'static,
    {
        let (tx, rx) = tokio::sync::oneshot::channel();
        let job: Job = Box::new(move || {
            // The requester may have gone away; its answer is then dropped.
            let _ = tx.send(f());
        });
        match self.queue.try_send(job) {
            Ok(()) => {}
            Err(TrySendError::Full(_)) => {
                return Err(AppError::new(
                    StatusCode::SERVICE_UNAVAILABLE,
                    "hashing_busy",
                    "too many sign-ins are being checked at once; retry shortly",
                )
                .with_header(header::RETRY_AFTER, "1"))
            }
            Err(TrySendError::Disconnected(_)) => return Err(AppError::internal("hashing threads have stopped")),
        }
        rx.await.map_err(|_| AppError::internal("a hashing job panicked"))
    }
}

fn work(jobs: &Mutex<Receiver<Job>>) {
    lower_priority();
    loop {
        // The lock is held only while waiting for the next job, never while hashing.
        let next = jobs.lock().unwrap_or_else(|p| p.into_inner()).recv();
        match next {
            // A panicking job must not take the thread with it: its requester sees the dropped
            // channel as an internal error.
            Ok(job) => drop(std::panic::catch_unwind(std::panic::AssertUnwindSafe(job))),
            Err(_) => return,
        }
    }
}

#[cfg(target_os = "linux")]
#[allow(unsafe_code)] // setpriority: see the SAFETY comment inside.
fn lower_priority() {
    // SAFETY: gettid and setpriority take and return plain integers; on Linux setpriority with
    // a thread id changes the scheduling weight of that one thread (this one).
    let rc = unsafe { libc::setpriority(libc::PRIO_PROCESS, libc::gettid() as libc::id_t, NICE) };
    if rc != 0 {
        tracing::warn!("could not lower the priority of a hashing thread");
    }
}

#[cfg(not(target_os = "linux"))]
fn lower_priority() {}

#[cfg(test)]
mod tests {
    use super::*;

    #[actix_web::test]
    async fn runs_jobs_and_survives_a_panic() {
        let hasher = Hasher::start(1).unwrap();
        assert_eq!(hasher.run(|| 2 + 2).await.unwrap(), 4);
        let err = hasher.run(|| -> u8 { panic!("boom") }).await.unwrap_err();
        assert_eq!(err.status(), StatusCode::INTERNAL_SERVER_ERROR);
        assert_eq!(hasher.run(|| "still here").await.unwrap(), "still here");
    }

    #[actix_web::test]
    async fn a_full_queue_is_refused_with_503() {
        let hasher = Hasher::start(1).unwrap();
        let (release, wait) = std::sync::mpsc::channel::<()>();
        let (started, running) = std::sync::mpsc::channel::<()>();
        hasher
            .queue
            .try_send(Box::new(move || {
                started.send(()).unwrap();
                let _ = wait.recv();
            }))
            .unwrap();
        running.recv().unwrap();
        while hasher.queue.try_send(Box::new(|| ())).is_ok() {}
        let err = hasher.run(|| ()).await.unwrap_err();
        assert_eq!(err.status(), StatusCode::SERVICE_UNAVAILABLE);
        release.send(()).unwrap();
        // Once the queue drains, work is accepted again.
        let mut answer = None;
        for _ in 0..1_000 {
            if let Ok(v) = hasher.run(|| 7).await {
                answer = Some(v);
                break;
            }
            actix_web::rt::time::sleep(std::time::Duration::from_millis(1)).await;
        }
        assert_eq!(answer, Some(7));
    }
}
