package models

import (
	"fmt"
	"strings"

	"gorm.io/gorm"
)

// trashedSuffix marks a trashed post's slug, as WordPress renames it
// ("hello__trashed"): the slug is freed for a new post while the old one
// waits in the trash. Slugify never writes "__", so no live slug has it.
const trashedSuffix = "__trashed"

// SlugBeforeTrash is the slug a post had before the trash, which restoring
// asks back (the slug itself for a post not renamed by the trash).
func SlugBeforeTrash(slug string) string {
	i := strings.Index(slug, trashedSuffix)
	if i <= 0 {
		return slug
	}
	rest := slug[i+len(trashedSuffix):]
	if rest != "" && (rest[0] != '-' || strings.Trim(rest[1:], "0123456789") != "" || len(rest) == 1) {
		return slug // not a name the trash gave
	}
	return slug[:i]
}

// TrashedSlug is the n-th choice of slug for a post with slug going to
// the trash: "slug__trashed", then "slug__trashed-2", …
func TrashedSlug(slug string, n int) string {
	return numberedSlug(SlugBeforeTrash(slug)+trashedSuffix, n)
}

func numberedSlug(base string, n int) string {
	if n <= 1 {
		return base
	}
	suffix := fmt.Sprintf("-%d", n)
	return strings.TrimRight(truncateUTF8(base, MaxSlugLen-len(suffix)), "-") + suffix
}

// maxSlugNumber bounds the search for a free numbered slug.
const maxSlugNumber = 100

// firstFreeSlug is the first of choice(1), choice(2), … that no post but
// id has, or ErrConflict after maxSlugNumber tries.
func firstFreeSlug(tx *gorm.DB, id int64, choice func(n int) string) (string, error) {
	for n := 1; n <= maxSlugNumber; n++ {
		slug := choice(n)
		var taken int64
		if err := tx.Model(&Post{}).Where("slug = ? AND id <> ?", slug, id).Count(&taken).Error; err != nil {
			return "", err
		}
		if taken == 0 {
			return slug, nil
		}
	}
	return "", ErrConflict
}
