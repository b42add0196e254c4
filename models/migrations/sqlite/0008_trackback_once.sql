-- A TrackBack names only the post, so one post pings a TrackBack URL once,
-- even when several of its links lead to pages sharing that URL (an entry
-- and its archive page, or #fragments of one page). The database enforces it:
-- the second notification cannot enter "sending" for the same endpoint.
-- Rows from before this rule that already doubled up keep their history with
-- a marked endpoint.
UPDATE notifications SET endpoint = endpoint || '#duplicate-' || CAST(id AS TEXT)
WHERE protocol = 'trackback' AND state IN ('sending', 'sent') AND EXISTS (
    SELECT 1 FROM notifications o
    WHERE o.post_id = notifications.post_id AND o.endpoint = notifications.endpoint
      AND o.protocol = 'trackback' AND o.state IN ('sending', 'sent') AND o.id < notifications.id);
CREATE UNIQUE INDEX notifications_trackback_once ON notifications (post_id, endpoint)
    WHERE protocol = 'trackback' AND state IN ('sending', 'sent');
