-- Delivery is at least once: a notification whose worker died is taken
-- again when its lease runs out. The lease fence becomes its own counter,
-- bumped by every claim, so attempts counts only attempts that ran (the
-- retry budget), not claims cut short by a crash or a shutdown.
ALTER TABLE notifications ADD COLUMN lease_seq INTEGER NOT NULL DEFAULT 0;
UPDATE notifications SET lease_seq = attempts;
