package woo

import (
	"context"
	"net/url"
	"strconv"
	"sync"
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

// listPagesParallel is listPages with up to c.MaxConcurrency pages in
// flight: the first page tells how many there are (X-WP-TotalPages), the
// others are read at once. fn is called from one goroutine at a time, page
// by page but not in page order. Without the header it reads like
// listPages.
func listPagesParallel[T any](ctx context.Context, c *Client, route string, q url.Values, fn func(T) error) error {
	q = cloneValues(q)
	q.Set("per_page", strconv.Itoa(perPage))
	q.Set("page", "1")
	var first []T
	resp, err := c.getJSON(ctx, route, q, &first)
	if err != nil {
		return err
	}
	for _, it := range first {
		if err := fn(it); err != nil {
			return err
		}
	}
	pages, err := strconv.Atoi(resp.header.Get("X-WP-TotalPages"))
	if err != nil {
		if len(first) < perPage {
			return nil
		}
		return listPagesFrom(ctx, c, route, q, 2, fn)
	}
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	next := make(chan int)
	var (
		mu      sync.Mutex // serialises fn
		wg      sync.WaitGroup
		errOnce sync.Once
		firstEr error
	)
	fail := func(err error) {
		errOnce.Do(func() { firstEr = err; cancel() })
	}
	for range max(1, c.cfg.MaxConcurrency) {
		wg.Go(func() {
			pq := cloneValues(q)
			for page := range next {
				pq.Set("page", strconv.Itoa(page))
				var items []T
				if _, err := c.getJSON(ctx, route, pq, &items); err != nil {
					fail(err)
					return
				}
				mu.Lock()
				for _, it := range items {
					if err := fn(it); err != nil {
						mu.Unlock()
						fail(err)
						return
					}
				}
				mu.Unlock()
			}
		})
	}
feed:
	for page := 2; page <= pages; page++ {
		select {
		case next <- page:
		case <-ctx.Done():
			break feed
		}
	}
	close(next)
	wg.Wait()
	if firstEr != nil {
		return firstEr
	}
	return ctx.Err()
}

// listPagesFrom is listPages starting at page from.
func listPagesFrom[T any](ctx context.Context, c *Client, route string, q url.Values, from int, fn func(T) error) error {
	for page := from; ; page++ {
		q.Set("page", strconv.Itoa(page))
		var items []T
		if _, err := c.getJSON(ctx, route, q, &items); err != nil {
			return err
		}
		for _, it := range items {
			if err := fn(it); err != nil {
				return err
			}
		}
		if len(items) < perPage {
			return nil
		}
	}
}
