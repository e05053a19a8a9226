package woosim

import (
	"net/http"
	"sort"
	"strings"
	"time"
)

// listParams answers what every GET listing checks first, in WooCommerce's
// order: the method, page and per_page, then authentication. ok is false
// when r is the answer.
func listParams(req *request) (page, perPage int, r reply, ok bool) {
	if req.method != http.MethodGet {
		return 0, 0, errReply(errNoRoute()), false
	}
	page, perPage, e := pageParams(req.q, 100)
	if e != nil {
		return 0, 0, errReply(e), false
	}
	if !req.authed {
		return 0, 0, errCannotList(), false
	}
	return page, perPage, reply{}, true
}

// sortKey is what WordPress' orderby can sort a listing on.
type sortKey struct {
	id                int64
	title             string
	created, modified time.Time
}

func productSortKey(p *Product) sortKey {
	return sortKey{id: p.ID, title: p.Name, created: p.DateCreated, modified: p.DateModified}
}

// sortWP orders xs by WordPress' orderby (date by default, id, title,
// modified) and order (desc by default), ties broken by id.
func sortWP[T any](xs []T, orderby, order string, key func(T) sortKey) {
	asc := strings.EqualFold(order, "asc")
	less := func(a, b sortKey) bool {
		switch orderby {
		case "id":
			return a.id < b.id
		case "title":
			if a.title != b.title {
				return a.title < b.title
			}
		case "modified":
			if !a.modified.Equal(b.modified) {
				return a.modified.Before(b.modified)
			}
		default:
			if !a.created.Equal(b.created) {
				return a.created.Before(b.created)
			}
		}
		return a.id < b.id
	}
	sort.SliceStable(xs, func(i, j int) bool {
		if asc {
			return less(key(xs[i]), key(xs[j]))
		}
		return less(key(xs[j]), key(xs[i]))
	})
}
