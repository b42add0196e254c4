package models

import (
	"context"
	"encoding/binary"
	"sort"

	"gorm.io/gorm"
)

// SearchHit is one published post or page matching a search, with a
// snippet of its text in which MarkStart and MarkEnd surround matched words
// (the rest is the stored Markdown, not yet escaped for HTML).
type SearchHit struct {
	Post    Post
	Snippet string
}

// SearchResults is one page of hits and how many posts matched in all
// (at most MaxSearchRanked).
type SearchResults struct {
	Hits  []SearchHit
	Total int
}

// Search finds published posts and pages (not password-protected ones:
// their text is not public) whose title, excerpt or text hold every term,
// best match first: title words weigh most, then the excerpt, then the
// text. offset and limit page the results.
func (s *Store) Search(ctx context.Context, terms []SearchTerm, offset, limit int) (SearchResults, error) {
	if len(terms) == 0 {
		return SearchResults{}, nil
	}
	db := s.db.WithContext(ctx)
	var (
		res SearchResults
		err error
	)
	if db.Name() == "postgres" {
		res, err = s.searchPostgres(db, terms, offset, limit)
	} else {
		res, err = s.searchSQLite(db, terms, offset, limit)
	}
	if err != nil {
		return SearchResults{}, translate(err, "search")
	}
	posts := make([]*Post, len(res.Hits))
	for i := range res.Hits {
		posts[i] = &res.Hits[i].Post
	}
	return res, translate(s.loadTags(db, posts), "search tags")
}

// searchable is the condition a post must meet to be found.
const searchable = "p.status = 'published' AND p.password = ''"

// searchSQLite ranks every match (up to MaxSearchRanked) from FTS4's
// matchinfo, then reads the posts and snippets of the asked page only.
func (s *Store) searchSQLite(db *gorm.DB, terms []SearchTerm, offset, limit int) (SearchResults, error) {
	q := ftsQuery(terms)
	var rows []struct {
		ID          int64
		Info        []byte
		PublishedAt *sqliteTime
	}
	err := db.Raw(`SELECT p.id AS id, matchinfo(post_search, 'pcx') AS info, p.published_at AS published_at
		FROM post_search JOIN posts p ON p.id = post_search.docid
		WHERE post_search MATCH ? AND `+searchable+` LIMIT ?`, q, MaxSearchRanked).Scan(&rows).Error
	if err != nil {
		return SearchResults{}, err
	}
	type ranked struct {
		id    int64
		score float64
		at    string
	}
	all := make([]ranked, len(rows))
	for i, r := range rows {
		all[i] = ranked{id: r.ID, score: matchScore(r.Info, []float64{10, 3, 1})}
		if r.PublishedAt != nil {
			all[i].at = string(*r.PublishedAt)
		}
	}
	sort.SliceStable(all, func(i, j int) bool {
		if all[i].score != all[j].score {
			return all[i].score > all[j].score
		}
		if all[i].at != all[j].at {
			return all[i].at > all[j].at
		}
		return all[i].id > all[j].id
	})
	res := SearchResults{Total: len(all)}
	if offset >= len(all) {
		return res, nil
	}
	all = all[offset:min(len(all), offset+limit)]
	ids := make([]int64, len(all))
	for i, r := range all {
		ids[i] = r.id
	}
	var snippets []struct {
		ID      int64
		Snippet string
	}
	err = db.Raw(`SELECT docid AS id, snippet(post_search, ?, ?, '…', 2, 30) AS snippet
		FROM post_search WHERE post_search MATCH ? AND docid IN ?`, MarkStart, MarkEnd, q, ids).Scan(&snippets).Error
	if err != nil {
		return SearchResults{}, err
	}
	text := make(map[int64]string, len(snippets))
	for _, sn := range snippets {
		text[sn.ID] = sn.Snippet
	}
	res.Hits, err = hitsInOrder(db, ids, text)
	return res, err
}

// sqliteTime reads a timestamp column as the text SQLite stores, which
// sorts in time order.
type sqliteTime string

// Scan takes whatever the driver gives.
func (t *sqliteTime) Scan(v any) error {
	switch x := v.(type) {
	case string:
		*t = sqliteTime(x)
	case []byte:
		*t = sqliteTime(x)
	case interface{ Format(string) string }:
		*t = sqliteTime(x.Format("2006-01-02 15:04:05.999999999"))
	}
	return nil
}

// matchScore ranks a row from matchinfo 'pcx': for every phrase and
// column, the hits in this row over the hits in all rows (a rare word
// found counts more than a common one), times the column's weight.
func matchScore(info []byte, weights []float64) float64 {
	if len(info) < 8 {
		return 0
	}
	u := func(i int) float64 { return float64(binary.NativeEndian.Uint32(info[4*i:])) }
	phrases, cols := int(u(0)), int(u(1))
	if len(info) < 4*(2+3*phrases*cols) {
		return 0
	}
	score := 0.0
	for p := range phrases {
		for c := range cols {
			base := 2 + 3*(p*cols+c)
			here, all := u(base), u(base+1)
			if here > 0 && all > 0 && c < len(weights) {
				score += weights[c] * here / all
			}
		}
	}
	return score
}

// searchPostgres ranks with ts_rank_cd over the weighted document and
// highlights with ts_headline, for the asked page only.
func (s *Store) searchPostgres(db *gorm.DB, terms []SearchTerm, offset, limit int) (SearchResults, error) {
	q := tsQuery(terms)
	var total int64
	err := db.Raw(`SELECT COUNT(*) FROM (SELECT 1 FROM post_search ps JOIN posts p ON p.id = ps.post_id
		WHERE ps.document @@ to_tsquery('simple', ?) AND `+searchable+` LIMIT ?) m`, q, MaxSearchRanked).Scan(&total).Error
	if err != nil {
		return SearchResults{}, err
	}
	res := SearchResults{Total: int(total)}
	if offset >= res.Total {
		return res, nil
	}
	var rows []struct {
		ID      int64
		Snippet string
	}
	err = db.Raw(`SELECT m.id, ts_headline('simple', left(p.body, 200000), to_tsquery('simple', ?), ?) AS snippet
		FROM (SELECT p.id, ts_rank_cd(ps.document, to_tsquery('simple', ?)) AS rank, p.published_at
		      FROM post_search ps JOIN posts p ON p.id = ps.post_id
		      WHERE ps.document @@ to_tsquery('simple', ?) AND `+searchable+`
		      ORDER BY rank DESC, p.published_at DESC, p.id DESC OFFSET ? LIMIT ?) m
		JOIN posts p ON p.id = m.id ORDER BY m.rank DESC, m.published_at DESC, m.id DESC`,
		q, `StartSel="`+MarkStart+`", StopSel="`+MarkEnd+`", MaxWords=30, MinWords=12, MaxFragments=2, FragmentDelimiter=" … "`,
		q, q, offset, limit).Scan(&rows).Error
	if err != nil {
		return SearchResults{}, err
	}
	ids := make([]int64, len(rows))
	for i, r := range rows {
		ids[i] = r.ID
	}
	text := make(map[int64]string, len(rows))
	for _, r := range rows {
		text[r.ID] = r.Snippet
	}
	res.Hits, err = hitsInOrder(db, ids, text)
	return res, err
}

// hitsInOrder reads the posts of ids (without their text) and pairs them
// with their snippets, in the order of ids.
func hitsInOrder(db *gorm.DB, ids []int64, snippets map[int64]string) ([]SearchHit, error) {
	var posts []Post
	if err := db.Omit("body", "body_html").Where("id IN ?", ids).Find(&posts).Error; err != nil {
		return nil, err
	}
	byID := make(map[int64]Post, len(posts))
	for _, p := range posts {
		byID[p.ID] = p
	}
	hits := make([]SearchHit, 0, len(ids))
	for _, id := range ids {
		if p, ok := byID[id]; ok {
			hits = append(hits, SearchHit{Post: p, Snippet: snippets[id]})
		}
	}
	return hits, nil
}
