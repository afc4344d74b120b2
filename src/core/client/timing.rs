//! Time in the browser session. Two clocks are read together: the wall clock (`Date.now()`) and a
//! monotonic one (`performance.now()`). Elapsed time is the larger of the two differences, so a
//! wall clock set backwards never delays a refresh (the monotonic clock still advances), and a
//! laptop that slept — where some monotonic clocks stop — still sees the hours pass on the wall.

/// One reading of both clocks, in milliseconds.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Now {
    /// Milliseconds since the epoch (`Date.now()`).
    pub wall_ms: f64,
    /// A monotonic clock (`performance.now()`), any origin.
    pub mono_ms: f64,
}

impl Now {
    /// Seconds since the epoch on the wall clock.
    pub fn wall_seconds(self) -> i64 {
        (self.wall_ms / 1000.0).floor() as i64
    }

    /// Milliseconds elapsed since `earlier`: the larger of the wall and monotonic differences.
    pub fn since(self, earlier: Now) -> f64 {
        (self.mono_ms - earlier.mono_ms).max(self.wall_ms - earlier.wall_ms)
    }

    /// A deadline `after_ms` from this reading.
    pub fn plus(self, after_ms: f64) -> Deadline {
        Deadline {
            set: self,
            after_ms: after_ms.max(0.0),
        }
    }
}

/// A point in time expressed as a delay from a reading, robust to wall-clock jumps.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Deadline {
    set: Now,
    after_ms: f64,
}

impl Deadline {
    /// Milliseconds left at `now` (zero or negative once passed).
    pub fn remaining_ms(&self, now: Now) -> f64 {
        self.after_ms - now.since(self.set)
    }

    /// True once the deadline has passed.
    pub fn passed(&self, now: Now) -> bool {
        self.remaining_ms(now) <= 0.0
    }

    /// The same deadline moved `ms` earlier.
    pub fn earlier_by(self, ms: f64) -> Deadline {
        Deadline {
            set: self.set,
            after_ms: (self.after_ms - ms).max(0.0),
        }
    }
}
