-- Background verification of linkbacks: does the source really link here?
ALTER TABLE feedback ADD COLUMN verify_attempts INTEGER NOT NULL DEFAULT 0;
ALTER TABLE feedback ADD COLUMN verify_after TIMESTAMPTZ;
CREATE INDEX feedback_unverified ON feedback (verification, verify_after);
