//! What a run shows on standard error, only when it is a terminal (otherwise nothing; the caller
//! prints a summary at the end): one labelled line per step with its time once done
//! ([`Steps`]), and during the bulk load a one-line progress bar ([`Progress`], at most ten
//! times a second).

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

/// The numbered steps of a run: `[2/5] staff accounts … 3.1 s`.
#[derive(Debug)]
pub struct Steps {
    draw: bool,
    total: usize,
    done: usize,
    /// The step under way, when its line is still open (its time goes at the end).
    open: Option<Instant>,
}

impl Steps {
    /// `total` steps, shown if `wanted` and standard error is a terminal.
    pub fn new(total: usize, wanted: bool) -> Self {
        Self { draw: wanted && std::io::stderr().is_terminal(), total, done: 0, open: None }
    }

    /// Ends the current step and starts the next, on one line ended when it is done.
    pub fn start(&mut self, label: &str) {
        self.end();
        self.done += 1;
        if self.draw {
            eprint!("{} … ", step_label(self.done, self.total, label));
            self.open = Some(Instant::now());
        }
    }

    /// Ends the current step and starts one whose progress bar follows on the next line.
    pub fn start_with_bar(&mut self, label: &str) {
        self.end();
        self.done += 1;
        if self.draw {
            eprintln!("{}", step_label(self.done, self.total, label));
        }
    }

    /// Ends the current step.
    pub fn end(&mut self) {
        if let Some(started) = self.open.take() {
            eprintln!("{:.1} s", started.elapsed().as_secs_f64());
        }
    }
}

/// `[n/total] label`.
fn step_label(n: usize, total: usize, label: &str) -> String {
    format!("[{n}/{total}] {label}")
}

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
            "\r      [{bar}] {:>3}%  {done}/{} enterprises  {} rows  {:.0} s ",
            done * 100 / self.total,
            self.total,
            self.rows,
            self.started.elapsed().as_secs_f64()
        );
        let _ = err.flush();
        self.last_drawn = Some(Instant::now());
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn steps_are_numbered_and_silent_off_a_terminal() {
        assert_eq!(step_label(2, 5, "staff accounts"), "[2/5] staff accounts");
        // Drawn or not (whether standard error is a terminal), steps count and none stays open.
        let mut steps = Steps::new(3, true);
        steps.start("a");
        steps.start_with_bar("b");
        steps.end();
        assert_eq!((steps.done, steps.open.is_none()), (2, true));
    }
}
