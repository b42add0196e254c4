-- The URL a Webmention named as its target, exactly as sent (cleaned): the
-- source must link to that URL, which may be an old slug or carry a query.
ALTER TABLE feedback ADD COLUMN target_url TEXT NOT NULL DEFAULT '';
