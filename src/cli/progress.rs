//! The progress bar of long runs: drawn on stderr only when stderr is a terminal and only once
//! a run has taken more than a second, so short runs, pipes and CI logs stay clean.

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use std::io::IsTerminal;
use std::time::Duration;

/// How long a run goes unannounced.
const QUIET_FOR: Duration = Duration::from_secs(1);

/// A progress bar over a known number of steps; cloning shares it (rayon workers step it).
#[derive(Clone)]
pub struct Progress {
    bar: ProgressBar,
}

impl Progress {
    /// A bar of `steps` steps that appears after [`QUIET_FOR`] if stderr is a terminal.
    pub fn new(steps: u64) -> Progress {
        let bar = ProgressBar::with_draw_target(Some(steps), ProgressDrawTarget::hidden());
        if let Ok(style) =
            ProgressStyle::with_template("{spinner} [{bar:30}] {pos}/{len} {wide_msg} {elapsed}")
        {
            bar.set_style(style.progress_chars("=> "));
        }
        if std::io::stderr().is_terminal() {
            let shown = bar.clone();
            // The bar is shared, so the timer can reveal it while the run goes on; a finished
            // bar stays hidden.
            std::thread::spawn(move || {
                std::thread::sleep(QUIET_FOR);
                if !shown.is_finished() {
                    shown.set_draw_target(ProgressDrawTarget::stderr());
                    shown.enable_steady_tick(Duration::from_millis(120));
                }
            });
        }
        Progress { bar }
    }

    /// Says what is being done now.
    pub fn doing(&self, what: impl Into<String>) {
        self.bar.set_message(what.into());
    }

    /// One step done.
    pub fn step(&self, done: impl Into<String>) {
        self.bar.set_message(done.into());
        self.bar.inc(1);
    }

    /// Runs `f` (which prints) with the bar out of the way.
    pub fn suspend<T>(&self, f: impl FnOnce() -> T) -> T {
        self.bar.suspend(f)
    }

    /// Removes the bar before the run's summary is printed.
    pub fn finish(&self) {
        self.bar.finish_and_clear();
    }
}
