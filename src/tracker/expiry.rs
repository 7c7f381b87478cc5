//! Expiry: documents leave the tracker by time or by count.
//!
//! Each document has a *time*: its date (given, found in the text, or
//! inherited from a very similar document when added); an undated document
//! gets the stream's clock when it is added (the newest date seen so far),
//! so undated documents expire in insertion order. With
//! `retention_days`, documents whose time is more than that many days
//! before the clock are removed at the end of every `add`; with
//! `retention_documents`, at most that many documents are held, the oldest
//! (by insertion) removed first.

use crate::params::Config;

use super::state::Live;

impl Live {
    /// Removes documents whose time is before `cutoff` (days), oldest first.
    pub(super) fn expire_before(&mut self, cfg: &Config, cutoff: i32, out: &mut Vec<String>) {
        while let Some(&(t, seq)) = self.by_stamp.first() {
            if t >= cutoff {
                break;
            }
            let slot = self.by_seq[&seq];
            if let Some(d) = self.remove_slot(cfg, slot) {
                out.push(d.id);
            }
        }
    }

    /// Applies the retention policy.
    pub(super) fn expire(&mut self, cfg: &Config) -> Vec<String> {
        let mut out = Vec::new();
        if let (Some(days), Some(clock)) = (cfg.retention.days, self.clock) {
            let cutoff = i64::from(clock) - i64::from(days);
            let cutoff = cutoff.clamp(i64::from(i32::MIN), i64::from(i32::MAX)) as i32;
            self.expire_before(cfg, cutoff, &mut out);
        }
        if let Some(n) = cfg.retention.documents {
            while self.len() > n {
                let Some((_, &slot)) = self.by_seq.first_key_value() else { break };
                if let Some(d) = self.remove_slot(cfg, slot) {
                    out.push(d.id);
                }
            }
        }
        out
    }
}
