package models

import (
	"net/url"
	"strings"
	"time"

	"gorm.io/gorm"
)

// leaseCandidate is a due outbox row (a notification or an ActivityPub
// delivery) and the host its traffic goes to.
type leaseCandidate struct {
	id   int64
	host string
}

// leaseClaim is how one outbox table is claimed: its model, the state a
// claimed row takes, and the condition (with its arguments) that says a
// row is still due.
type leaseClaim struct {
	model   any
	working NotificationState
	due     string
	dueArgs []any
}

// claimPerHost leases up to limit of the candidates, in their order,
// passing over hosts that already have perHost rows in flight (inFlight,
// counted from the live leases, grows with each claim). Each row is taken
// with a conditional UPDATE on its id and due state, so two processes
// sharing the database never take the same one; lease_seq grows by one and
// fences a worker whose lease ran out.
func claimPerHost(tx *gorm.DB, c leaseClaim, candidates []leaseCandidate, limit, perHost int,
	inFlight map[string]int, lease time.Duration, now time.Time) ([]int64, error) {
	var got []int64
	for _, cand := range candidates {
		if len(got) == limit {
			break
		}
		if inFlight[cand.host] >= perHost {
			continue
		}
		res := tx.Model(c.model).Where("id = ?", cand.id).Where(c.due, c.dueArgs...).Updates(map[string]any{
			"state": c.working, "lease_seq": gorm.Expr("lease_seq + 1"), "locked_until": now.Add(lease), "updated_at": now,
		})
		if res.Error != nil {
			return nil, res.Error
		}
		if res.RowsAffected == 1 {
			got = append(got, cand.id)
			inFlight[cand.host]++
		}
	}
	return got, nil
}

// urlHost is the host and port of an address, lower case (the address
// itself when it does not parse): what the per-host caps count.
func urlHost(raw string) string {
	u, err := url.Parse(raw)
	if err != nil {
		return raw
	}
	return strings.ToLower(u.Host)
}
