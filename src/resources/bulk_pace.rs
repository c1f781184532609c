//! Pacing of bulk work at the advertised quota: requests spread over the rate-limit window
//! instead of a burst that runs into 429s.
//!
//! From the last `X-RateLimit-*` headers seen (limit, remaining, reset in whole UNIX seconds),
//! the budget is `remaining` less the requests still unanswered; it is spread evenly up to one
//! second before the announced reset (the reset is rounded up to a whole second, so the window
//! may end up to a second earlier). With no budget left, nothing is sent until the reset. Without
//! the headers there is no pacing.

use std::{
    sync::{Arc, Mutex},
    time::{Duration, Instant, SystemTime},
};

use crate::Client;

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
}

/// Held while a request is in flight; counts it out when dropped.
pub(crate) struct Permit {
    state: Arc<Mutex<State>>,
}

impl Drop for Permit {
    fn drop(&mut self) {
        let mut state = self.state.lock().unwrap_or_else(|e| e.into_inner());
        state.in_flight = state.in_flight.saturating_sub(1);
    }
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
            let step = self.step(client);
            match step {
                Step::SendAt(at) => {
                    tokio::time::sleep_until(at.into()).await;
                    return Permit {
                        state: self.state.clone(),
                    };
                }
                Step::Wait(duration) => tokio::time::sleep(duration).await,
            }
        }
    }

    fn step(&self, client: &Client) -> Step {
        let mut state = self.state.lock().unwrap_or_else(|e| e.into_inner());
        let now = Instant::now();
        let Some(limit) = client.rate_limit() else {
            state.in_flight += 1;
            return Step::SendAt(now);
        };
        let until_reset = limit.until_reset(SystemTime::now());
        // Past the reset the last answer's `remaining` is stale: a fresh window allows `limit`.
        let remaining = match until_reset {
            Some(_) => limit.remaining,
            None => limit.limit,
        };
        let budget = remaining.saturating_sub(state.in_flight);
        if budget == 0 {
            // Look again at the reset, or soon if answers are pending (they bring news).
            let wait = until_reset.unwrap_or(Duration::from_millis(10));
            return Step::Wait(wait.clamp(Duration::from_millis(1), Duration::from_secs(1)));
        }
        let spacing = match until_reset {
            Some(left) => {
                left.saturating_sub(Duration::from_secs(1)) / budget.min(u32::MAX.into()) as u32
            }
            None => Duration::ZERO,
        };
        let at = state.next.map_or(now, |next| next.max(now));
        state.next = Some(at + spacing);
        state.in_flight += 1;
        Step::SendAt(at)
    }
}
