-- A received Webmention's status page (/webmention/status/TOKEN) is named by
-- an unguessable token, so strangers cannot enumerate mentions by id. Other
-- kinds have none (''), hence the partial unique index.
ALTER TABLE feedback ADD COLUMN status_token TEXT NOT NULL DEFAULT '';
CREATE UNIQUE INDEX feedback_status_token ON feedback (status_token) WHERE status_token <> '';
