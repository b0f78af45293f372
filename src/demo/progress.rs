//! A one-line progress bar on standard error, drawn only when it is a terminal (at most ten
//! times a second); otherwise silent, and the caller prints a summary at the end.

use std::io::{IsTerminal, Write};
use std::time::{Duration, Instant};

/// Progress of a run: enterprises done out of the total, rows written, time taken.
#[derive(Debug)]
pub struct Progress {
    draw: bool,
    total: u64,
    enterprises: u64,
    rows: u64,
    started: Instant,
    last_drawn: Option<Instant>,
}

const WIDTH: u64 = 30;

impl Progress {
    /// A bar over `total` enterprises; drawn if `wanted` and standard error is a terminal.
    pub fn new(total: u64, wanted: bool) -> Self {
        Self {
            draw: wanted && std::io::stderr().is_terminal(),
            total: total.max(1),
            enterprises: 0,
            rows: 0,
            started: Instant::now(),
            last_drawn: None,
        }
    }

    /// Counts a stored batch.
    pub fn advance(&mut self, enterprises: u64, rows: u64) {
        self.enterprises += enterprises;
        self.rows += rows;
        if self.draw && self.last_drawn.is_none_or(|t| t.elapsed() >= Duration::from_millis(100)) {
            self.render();
        }
    }

    /// Draws the final state and ends the line.
    pub fn finish(&mut self) {
        if self.draw {
            self.render();
            eprintln!();
        }
    }

    fn render(&mut self) {
        let done = self.enterprises.min(self.total);
        let filled = (done * WIDTH / self.total) as usize;
        let bar = format!("{}{}", "#".repeat(filled), "-".repeat(WIDTH as usize - filled));
        let mut err = std::io::stderr().lock();
        // A failed write to the terminal is not worth stopping the run for.
        let _ = write!(
            err,
            "\r[{bar}] {:>3}%  {done}/{} enterprises  {} rows  {:.0} s ",
            done * 100 / self.total,
            self.total,
            self.rows,
            self.started.elapsed().as_secs_f64()
        );
        let _ = err.flush();
        self.last_drawn = Some(Instant::now());
    }
}
