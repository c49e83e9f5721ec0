//! A progress line for long builds on a terminal: hidden for the first second (most builds end
//! before it), never drawn when stderr is not a terminal (CI, pipes).

use std::sync::Mutex;
use std::time::{Duration, Instant};

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use policybook::Progress;

/// How long a build runs before its progress is shown.
const QUIET_FOR: Duration = Duration::from_secs(1);

/// The progress of one build.
pub struct Bar {
    bar: ProgressBar,
    started: Instant,
    shown: Mutex<bool>,
}

impl Bar {
    /// A bar that shows nothing yet.
    pub fn new() -> Bar {
        let bar = ProgressBar::with_draw_target(None, ProgressDrawTarget::hidden());
        bar.set_style(
            ProgressStyle::with_template("{spinner} {msg} ({elapsed})")
                .unwrap_or_else(|_| ProgressStyle::default_spinner()),
        );
        Bar {
            bar,
            started: Instant::now(),
            shown: Mutex::new(false),
        }
    }

    /// Records where the build is; draws once the build has run for [`QUIET_FOR`].
    pub fn update(&self, progress: Progress) {
        let message = match progress {
            Progress::Loading => "reading the handbook".to_string(),
            Progress::Checking => "checking".to_string(),
            Progress::Writing(n) => format!("writing: {n} files"),
        };
        self.bar.set_message(message);
        if self.started.elapsed() >= QUIET_FOR {
            let mut shown = self.shown.lock().unwrap_or_else(|e| e.into_inner());
            if !*shown {
                *shown = true;
                // `stderr()` draws nothing when stderr is not a terminal.
                self.bar.set_draw_target(ProgressDrawTarget::stderr());
                self.bar.enable_steady_tick(Duration::from_millis(120));
            }
        }
        self.bar.tick();
    }

    /// Clears the line, so the build's own output follows on a clean terminal.
    pub fn finish(&self) {
        self.bar.finish_and_clear();
    }
}
