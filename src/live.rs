//! Listening for other devices' changes while the app is open: one request at a time waits
//! on the server (`api::wait`) and, when it says the cluster changed, the sync loop pulls.
//! So a head's return reaches the officer, and an officer's correction the head, in
//! seconds, without a tap. Offline, hidden, not joined or revoked, it waits quietly.

use leptos::prelude::*;

use crate::api::{self, ApiError};
use crate::platform::{is_online, is_visible, sleep};
use crate::session::Session;
use crate::sync::{SyncCtx, SyncState};

/// Pause while there is nothing to listen for (offline, hidden, not joined).
const IDLE_MS: i32 = 3_000;
/// Pauses after failed waits, growing to the last.
const BACKOFF_MS: [i32; 5] = [2_000, 5_000, 10_000, 30_000, 60_000];

/// Starts listening, for as long as the page lives.
pub fn listen(sync: SyncCtx, session: Session) {
    leptos::task::spawn_local(async move {
        let mut failures = 0usize;
        loop {
            let device = session.device.get_untracked();
            let quiet =
                !is_online() || !is_visible() || sync.state.get_untracked() == SyncState::Revoked;
            // A board member has no cluster document to wait on (its device's cluster is the
            // federation): its screens ask the board's endpoints instead.
            let board = device
                .as_ref()
                .is_some_and(|d| d.role == thidua_core::Role::Board);
            let Some(device) = device.filter(|_| !quiet && !board) else {
                sleep(IDLE_MS).await;
                continue;
            };
            match api::wait(&device.token, device.cursor).await {
                Ok(changed) => {
                    failures = 0;
                    sync.heard();
                    if changed {
                        sync.run_now().await;
                        // A sync already under way took this one's place: give it time to
                        // move the cursor instead of asking again at once.
                        let moved = session.device.with_untracked(|d| {
                            d.as_ref().is_some_and(|d| d.cursor != device.cursor)
                        });
                        if !moved {
                            sleep(1_000).await;
                        }
                    }
                }
                Err(ApiError::Unauthorized(_)) => {
                    // The sync loop says it in words (revoked), and this loop goes quiet.
                    sync.run_now().await;
                }
                Err(_) => {
                    sleep(BACKOFF_MS[failures.min(BACKOFF_MS.len() - 1)]).await;
                    failures += 1;
                }
            }
        }
    });
}
