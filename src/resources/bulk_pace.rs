//! Pacing of bulk work at the advertised quota: requests spread over the rate-limit window
//! instead of a burst that runs into 429s.
//!
//! From the last `X-RateLimit-*` headers seen (limit, remaining, reset in whole UNIX seconds),
//! the budget is `remaining` less the requests still unanswered, spread evenly up to the end of
//! the window; with no budget left, nothing is sent until the window ends. Without the headers
//! there is no pacing.
//!
//! The reset is rounded up to a whole second, so the window may end up to a second before it.
//! Until more is known the budget is spread up to a second before the reset and a spent budget
//! waits for the reset itself. More is known once a new window is seen to open between the
//! sending of the last answer of the old one and the first answer of the new one: taking the
//! window's length as whole seconds (reset minus the opening second, rounded up), its end is
//! known to within that interval, and the pacer waits for that end instead. A 429 during the
//! run (the assumption wrong, or another client using the quota) drops the estimate for good.
//!
//! Waits are bounded: a window ending later than the call timeout or a retry's wait (the longer
//! of the two; 60 s by default) is not paced.

use std::{
    sync::{Arc, Mutex},
    time::{Duration, Instant, SystemTime, UNIX_EPOCH},
};

use crate::{Client, lock::lock};

/// The shared pacing state of one bulk submit.
#[derive(Clone, Debug, Default)]
pub(crate) struct Pacer {
    state: Arc<Mutex<State>>,
}

#[derive(Debug, Default)]
struct State {
    /// Requests started and not yet answered.
    in_flight: u64,
    /// The earliest start of the next request.
    next: Option<Instant>,
    /// The newest reset seen, and the latest sending of a request answered with it.
    window: Option<(i64, Instant)>,
    /// For the reset of the current window: when the window ends at the latest.
    end: Option<(i64, Instant)>,
    /// The window's length in whole seconds, once learned.
    length: Option<u64>,
    /// Estimates are off after a 429.
    distrust: bool,
    /// When the first request after the end of a window was released with nothing in flight:
    /// the next window cannot have opened before.
    quiet: Option<Instant>,
}

/// Held while a request is in flight; counts it out when dropped.
pub(crate) struct Permit {
    state: Arc<Mutex<State>>,
    sent: Instant,
}

impl Permit {
    /// After the answer: learns from the headers it left (`refused`: it was a 429).
    pub(crate) fn finish(self, client: &Client, refused: bool) {
        let mut state = lock(&self.state);
        if refused {
            state.distrust = true;
            state.end = None;
            state.length = None;
        }
        let Some(limit) = client.rate_limit() else {
            return;
        };
        let reset = limit.reset.unix();
        match state.window {
            Some((seen, latest)) if seen == reset => {
                state.window = Some((reset, latest.max(self.sent)));
            }
            Some((seen, last_old_send)) if seen < reset => {
                // A new window opened after `last_old_send` (and after a quiet release) and by
                // now.
                state.window = Some((reset, self.sent));
                // Spacing computed for the old window's budget does not hold for the new one.
                state.next = None;
                let after = state
                    .quiet
                    .take()
                    .map_or(last_old_send, |q| q.max(last_old_send));
                let now = Instant::now();
                if let Some(length) = window_length(reset, after, now) {
                    state.length = Some(length);
                }
                // The window opened by now, so it ends by now + its length.
                if !state.distrust
                    && let Some(length) = state.length
                {
                    state.end = Some((reset, now + Duration::from_secs(length)));
                }
            }
            Some(_) => {}
            None => state.window = Some((reset, self.sent)),
        }
    }
}

impl Drop for Permit {
    fn drop(&mut self) {
        let mut state = lock(&self.state);
        state.in_flight = state.in_flight.saturating_sub(1);
    }
}

/// The length in whole seconds of a window announced with `reset` that opened between `after`
/// and `by`; `None` unless the opening is known to within a second.
fn window_length(reset: i64, after: Instant, by: Instant) -> Option<u64> {
    let unix_now = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .ok()?
        .as_secs_f64();
    let since = |instant: Instant| {
        Instant::now()
            .saturating_duration_since(instant)
            .as_secs_f64()
    };
    let (opened_after, opened_by) = (unix_now - since(after), unix_now - since(by));
    if opened_by - opened_after > 0.5 || opened_after.ceil() != opened_by.ceil() {
        return None;
    }
    let length = reset - opened_by.ceil() as i64;
    u64::try_from(length).ok().filter(|l| *l >= 1)
}

/// What to do before the next request.
enum Step {
    /// Send at this instant (possibly now).
    SendAt(Instant),
    /// No budget: look again after this long.
    Wait(Duration),
}

impl Pacer {
    /// Waits for the next request's turn and counts it in flight.
    pub(crate) async fn acquire(&self, client: &Client) -> Permit {
        loop {
            match self.step(client) {
                Step::SendAt(at) => {
                    tokio::time::sleep_until(at.into()).await;
                    return Permit {
                        state: self.state.clone(),
                        sent: Instant::now(),
                    };
                }
                Step::Wait(duration) => tokio::time::sleep(duration).await,
            }
        }
    }

    fn step(&self, client: &Client) -> Step {
        let mut state = lock(&self.state);
        let now = Instant::now();
        let Some(limit) = client.rate_limit() else {
            state.in_flight += 1;
            return Step::SendAt(now);
        };
        // When the window ends, and how long before that the budget should be spent.
        let (left, margin) = match state.end {
            Some((reset, end)) if reset == limit.reset.unix() && !state.distrust => {
                (end.checked_duration_since(now), Duration::ZERO)
            }
            _ => (limit.until_reset(SystemTime::now()), Duration::from_secs(1)),
        };
        let left = left.filter(|d| !d.is_zero());
        // A window that ends later than the client lets a call take (a reset far in the
        // future) is not paced: requests go, and a 429 is handled with the retry layer's bounds.
        if left.is_some_and(|left| left > client.max_pacing_wait()) {
            state.in_flight += 1;
            return Step::SendAt(now);
        }
        // Past the end the last answer's `remaining` is stale: a fresh window allows `limit`.
        let remaining = match left {
            Some(_) => limit.remaining,
            None => limit.limit,
        };
        let budget = remaining.saturating_sub(state.in_flight);
        if budget == 0 {
            // Look again at the end, or soon if answers are pending (they bring news).
            let wait = left.unwrap_or(Duration::from_millis(10));
            return Step::Wait(wait.clamp(Duration::from_millis(1), Duration::from_secs(1)));
        }
        let spacing = match left {
            Some(left) => left.saturating_sub(margin) / u32::try_from(budget).unwrap_or(u32::MAX),
            None => Duration::ZERO,
        };
        let at = state.next.map_or(now, |next| next.max(now));
        if left.is_none() && state.in_flight == 0 && state.quiet.is_none() {
            state.quiet = Some(at);
        }
        state.next = Some(at + spacing);
        state.in_flight += 1;
        Step::SendAt(at)
    }
}
