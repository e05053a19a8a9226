package woo

import (
	"context"
	"net/url"
	"strconv"
)

// perPage is WooCommerce's maximum page size.
const perPage = 100

// listPages GETs route page by page (per_page=100) and calls fn for every
// item, one page in memory at a time. It stops after X-WP-TotalPages, or on
// a short or empty page when the header is missing.
func listPages[T any](ctx context.Context, c *Client, route string, q url.Values, fn func(T) error) error {
	q = cloneValues(q)
	q.Set("per_page", strconv.Itoa(perPage))
	for page := 1; ; page++ {
		q.Set("page", strconv.Itoa(page))
		var items []T
		resp, err := c.getJSON(ctx, route, q, &items)
		if err != nil {
			return err
		}
		for _, it := range items {
			if err := fn(it); err != nil {
				return err
			}
		}
		if len(items) == 0 {
			return nil
		}
		if tp, err := strconv.Atoi(resp.header.Get("X-WP-TotalPages")); err == nil {
			if page >= tp {
				return nil
			}
			continue
		}
		if len(items) < perPage {
			return nil
		}
	}
}

func cloneValues(q url.Values) url.Values {
	out := make(url.Values, len(q)+2)
	for k, v := range q {
		out[k] = append([]string(nil), v...)
	}
	return out
}
