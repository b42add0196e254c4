-- A trashed post gives up its slug, as in WordPress: it is renamed
-- slug__trashed (models.TrashedSlug) and asks it back on restore. Posts
-- trashed before this release still hold theirs; free them too. No live
-- slug contains "__" (Slugify never writes it), so the new names are free.
UPDATE posts SET slug = slug || '__trashed'
WHERE status = 'trash' AND slug NOT LIKE '%\_\_trashed%' ESCAPE '\';
