package main

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"time"

	"github.com/oncloudwine/ocw-woocommerce/sidecar/sim/ocwsim"
	"github.com/oncloudwine/ocw-woocommerce/sidecar/sim/woosim"
)

const upsertPath = "/v1/woocommerce/variants:upsert"

// outageOnCloudWine: OnCloudWine answers 503 for a stretch, then refuses
// connections for another, then is back. Every SKU's last change arrives
// once, changes arrive in order per SKU, the sender backs off (few calls
// during the outage) and the activity log says so.
func outageOnCloudWine(ctx context.Context, env *suite) (string, error) {
	stretch, skus, versions := 10*time.Second, 12, 6
	if env.short {
		stretch, skus, versions = 2*time.Second, 6, 4
	}
	w, err := newWorld(ctx, env, worldOptions{env: []string{"OCW_RECONCILE_INTERVAL=1h"}})
	if err != nil {
		return "", err
	}
	defer w.close()
	client := &http.Client{Timeout: 10 * time.Second}
	base := time.Date(2030, 6, 1, 0, 0, 0, 0, time.UTC)
	last := map[string]change{}
	sent := 0
	sendVersion := func(ver int) error {
		for i := 0; i < skus; i++ {
			sku := fmt.Sprintf("OUTAGE-%02d", i)
			c := change{id: int64(90000 + i), sku: sku, name: "Outage " + sku,
				price: fmt.Sprintf("%d.00", 10+ver), modified: base.Add(time.Duration(ver) * time.Minute)}
			if _, err := deliverUntilAcknowledged(ctx, client, w.side, c); err != nil {
				return err
			}
			last[sku] = c
			sent++
		}
		return nil
	}
	if err := sendVersion(0); err != nil {
		return "", err
	}
	if err := waitArrived(ctx, w, last, 10*time.Second); err != nil {
		return "", fmt.Errorf("before the outage: %w", err)
	}
	callsBefore := w.ocw.Calls(upsertPath)
	if err := w.ocw.InjectFault(ocwsim.Fault{Kind: ocwsim.FaultDown, For: stretch}); err != nil {
		return "", err
	}
	outageStart := time.Now()
	ver := 1
	for ; ver <= versions/2; ver++ {
		if err := sendVersion(ver); err != nil {
			return "", err
		}
	}
	if err := waitFor(ctx, time.Until(outageStart.Add(stretch))); err != nil {
		return "", err
	}
	w.ocwSrv.down() // now refusing connections
	for ; ver <= versions; ver++ {
		if err := sendVersion(ver); err != nil {
			return "", err
		}
	}
	if err := waitFor(ctx, time.Until(outageStart.Add(2*stretch))); err != nil {
		return "", err
	}
	callsDuring := w.ocw.Calls(upsertPath) - callsBefore
	if err := w.ocwSrv.up(); err != nil {
		return "", err
	}
	back := time.Now()
	if err := waitArrived(ctx, w, last, 90*time.Second); err != nil {
		return "", fmt.Errorf("after the outage: %w", err)
	}
	recovery := time.Since(back).Round(100 * time.Millisecond)

	applied := w.ocw.AppliedVariants()
	dups, dupExamples := duplicatesOf(applied)
	disorder, lastCount := 0, map[string]int{}
	prev := map[string]time.Time{}
	for _, v := range applied {
		if p, ok := prev[v.SKU]; ok && !v.WooModifiedAt.After(p) {
			disorder++
		}
		prev[v.SKU] = v.WooModifiedAt
		if c, ok := last[v.SKU]; ok && v.WooModifiedAt.Equal(c.modified) {
			lastCount[v.SKU]++
		}
	}
	notOnce := 0
	for sku := range last {
		if lastCount[sku] != 1 {
			notOnce++
		}
	}
	activity, err := w.activity(ctx)
	if err != nil {
		return "", err
	}
	down, recovered := containsAny(activity, "OnCloudWine unreachable"), containsAny(activity, "OnCloudWine reachable again")
	env.count(sent, 0, dups)
	detail := fmt.Sprintf("%d changes of %d SKUs sent during %s of 503 + %s refused; %d upsert calls during the outage (backoff), last change of every SKU arrived %s after OnCloudWine came back, %d SKUs not exactly once, %d out of order, %d duplicates, activity log: unreachable %t, reachable again %t",
		sent, skus, stretch, stretch, callsDuring, recovery, notOnce, disorder, dups, down, recovered)
	maxCalls := int(2*stretch/time.Second) + 2 // a retry doubling from 1 s makes about log2 of it; one a second is the limit
	// The client's own retries (0.5 s doubling, 5 times) absorb an outage
	// shorter than about 15 s without an activity line; a longer one must show.
	mustShow := 2*stretch > 16*time.Second
	if !mustShow {
		detail += " (not required: the client's own retries absorb an outage this short)"
	}
	if dups > 0 || disorder > 0 || notOnce > 0 || (mustShow && (!down || !recovered)) || callsDuring > maxCalls {
		return "", fmt.Errorf("%s (want 0 duplicates, in order, each once, both activity lines, ≤ %d calls) %v", detail, maxCalls, dupExamples)
	}
	return detail, nil
}

// waitArrived waits until OnCloudWine holds each change of want.
func waitArrived(ctx context.Context, w *world, want map[string]change, within time.Duration) error {
	return poll(ctx, within, fmt.Sprintf("%d changes to reach OnCloudWine", len(want)), func() (bool, error) {
		got := w.ocw.Variants()
		for sku, c := range want {
			v, ok := got[sku]
			if !ok || !samePrice(v.Price, c.price) || !v.WooModifiedAt.Equal(c.modified) {
				return false, nil
			}
		}
		return true, nil
	})
}

// waitFor lets d of wall time pass (an outage's length is wall time).
func waitFor(ctx context.Context, d time.Duration) error {
	if d <= 0 {
		return nil
	}
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-time.After(d):
		return nil
	}
}

func containsAny(lines []string, s string) bool {
	for _, l := range lines {
		if strings.Contains(l, s) {
			return true
		}
	}
	return false
}

// outageWooRateLimited: WooCommerce answers 429 with Retry-After during a
// product sync; the sync still succeeds and each refused request is asked
// again only after the Retry-After.
func outageWooRateLimited(ctx context.Context, env *suite) (string, error) {
	retryAfter := 2 * time.Second
	w, err := newWorld(ctx, env, worldOptions{products: 20, variations: 4, env: []string{"OCW_RECONCILE_INTERVAL=1h"}})
	if err != nil {
		return "", err
	}
	defer w.close()
	w.woo.ResetRequests()
	w.woo.InjectFault(woosim.Fault{Status: http.StatusTooManyRequests, RetryAfter: retryAfter, Times: 3})
	start := time.Now()
	j, err := w.startJob(ctx, "SYNC_WOOCOMMERCE_PRODUCTS")
	if err != nil {
		return "", err
	}
	if _, err := w.waitJob(ctx, j.ID, 60*time.Second); err != nil {
		return "", fmt.Errorf("product sync under 429: %w", err)
	}
	took := time.Since(start).Round(100 * time.Millisecond)
	reqs := w.woo.Requests()
	limited, early, shortestGap := 0, 0, time.Duration(0)
	for i, r := range reqs {
		if r.Status != http.StatusTooManyRequests {
			continue
		}
		limited++
		for _, next := range reqs[i+1:] {
			if next.Path == r.Path && next.Query == r.Query {
				gap := next.At.Sub(r.At)
				if shortestGap == 0 || gap < shortestGap {
					shortestGap = gap
				}
				if gap < retryAfter-100*time.Millisecond {
					early++
				}
				break
			}
		}
	}
	synced := len(w.ocw.Variants())
	detail := fmt.Sprintf("%d requests answered 429 (Retry-After %s), %d asked again early, shortest gap before asking again %s; the product sync succeeded in %s with %d variants in OnCloudWine",
		limited, retryAfter, early, shortestGap.Round(10*time.Millisecond), took, synced)
	if limited == 0 || early > 0 || synced == 0 {
		return "", fmt.Errorf("%s", detail)
	}
	return detail, nil
}

// outageWebhookDisabled: the sidecar is down while prices change, so
// WooCommerce disables its webhook after repeated failed deliveries; the
// reconcile poller still brings every change, both those made while it was
// down and those made after (which no webhook announces any more).
func outageWebhookDisabled(ctx context.Context, env *suite) (string, error) {
	const products = 10
	w, err := newWorld(ctx, env, worldOptions{env: []string{"OCW_RECONCILE_INTERVAL=10s"}})
	if err != nil {
		return "", err
	}
	defer w.close()
	ids := map[string]int64{}
	for i := 0; i < products; i++ {
		sku := fmt.Sprintf("HOOK-%02d", i)
		id, err := newSimple(w.woo, sku, "10.00", nil)
		if err != nil {
			return "", err
		}
		ids[sku] = id
	}
	hookID, err := w.woo.CreateWebhook("OnCloudWine: product.updated", "product.updated", w.side.url("/v1/webhooks/woocommerce"), testSecret)
	if err != nil {
		return "", err
	}
	j, err := w.startJob(ctx, "SYNC_WOOCOMMERCE_PRODUCTS")
	if err != nil {
		return "", err
	}
	if _, err := w.waitJob(ctx, j.ID, 60*time.Second); err != nil {
		return "", err
	}
	want := map[string]string{}
	edit := func(sku, price string) error {
		want[sku] = price
		return w.woo.UpdateProduct(ids[sku], func(p *woosim.Product) { p.RegularPrice = price })
	}
	env.notePeak(w.side)
	w.side.kill9()
	for i := 0; i < products; i++ {
		if err := edit(fmt.Sprintf("HOOK-%02d", i), fmt.Sprintf("%d.25", 30+i)); err != nil {
			return "", err
		}
	}
	if err := poll(ctx, 20*time.Second, "WooCommerce to disable the webhook", func() (bool, error) {
		for _, h := range w.woo.Webhooks() {
			if h.ID == hookID {
				return h.Status == "disabled", nil
			}
		}
		return false, fmt.Errorf("webhook %d gone", hookID)
	}); err != nil {
		return "", err
	}
	if err := w.side.start(ctx); err != nil {
		return "", err
	}
	restarted := time.Now()
	// The catch-up at start brings what changed while the sidecar was down;
	// what changes after it only the next poll can bring.
	if err := waitPrices(ctx, w, want, 30*time.Second); err != nil {
		return "", fmt.Errorf("changes made while down: %w", err)
	}
	atStart := time.Since(restarted).Round(100 * time.Millisecond)
	later := time.Now()
	for i := 0; i < products/2; i++ {
		if err := edit(fmt.Sprintf("HOOK-%02d", i), fmt.Sprintf("%d.75", 50+i)); err != nil {
			return "", err
		}
	}
	err = waitPrices(ctx, w, want, 30*time.Second)
	detail := fmt.Sprintf("webhook disabled by WooCommerce after failed deliveries; %d price changes made while the sidecar was down in OnCloudWine %s after the restart (catch-up at start), %d made after it (no webhook) %s after they were made (OCW_RECONCILE_INTERVAL=10s)",
		products, atStart, products/2, time.Since(later).Round(100*time.Millisecond))
	if err != nil {
		return "", fmt.Errorf("%w: %s", err, detail)
	}
	return detail, nil
}

// outageStoreDownAtStart: the store is down when the sidecar starts; once
// it is back the sidecar connects by itself (issue 12 §2: re-checked with
// backoff, about every minute), with no Connect pressed.
func outageStoreDownAtStart(ctx context.Context, env *suite) (string, error) {
	w, err := newWorld(ctx, env, worldOptions{})
	if err != nil {
		return "", err
	}
	defer w.close()
	env.notePeak(w.side)
	w.side.kill9()
	w.wooSrv.down()
	if err := w.side.start(ctx); err != nil {
		return "", err
	}
	// The start-up check finds the store down: not ready.
	var atStart string
	if err := poll(ctx, 30*time.Second, "the start-up check to find the store down (/readyz 503)", func() (bool, error) {
		atStart, _ = connectionStatus(ctx, w)
		return readyz(ctx, w.side) == http.StatusServiceUnavailable, nil
	}); err != nil {
		return "", fmt.Errorf("%w (connection %s)", err, atStart)
	}
	if err := w.wooSrv.up(); err != nil {
		return "", err
	}
	back := time.Now()
	within := 150 * time.Second
	var status string
	err = poll(ctx, within, "the connection to come back by itself", func() (bool, error) {
		status, _ = connectionStatus(ctx, w)
		return status == "ACTIVE" && readyz(ctx, w.side) == http.StatusOK, nil
	})
	if err != nil {
		return "", fmt.Errorf("store down at start: connection %s and not ready after the start-up check, still %s %s after the store came back (want ACTIVE and ready without Connect)", atStart, status, within)
	}
	return fmt.Sprintf("connection %s and /readyz 503 while the store was down at start, ACTIVE and ready %s after it came back, without Connect", atStart, time.Since(back).Round(time.Second)), nil
}

// readyz is the status /readyz answers (0 when none).
func readyz(ctx context.Context, s *sidecar) int {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, s.url("/readyz"), nil)
	if err != nil {
		return 0
	}
	resp, err := s.client.Do(req)
	if err != nil {
		return 0
	}
	resp.Body.Close()
	return resp.StatusCode
}

func connectionStatus(ctx context.Context, w *world) (string, error) {
	var st struct {
		Connection struct {
			Status string `json:"status"`
		} `json:"connection"`
	}
	code, err := w.side.do(ctx, http.MethodGet, "/v1/status", nil, &st)
	if err == nil && code != http.StatusOK {
		err = fmt.Errorf("GET /v1/status: %d", code)
	}
	return st.Connection.Status, err
}

// waitPrices waits until OnCloudWine holds the price of each SKU of want.
func waitPrices(ctx context.Context, w *world, want map[string]string, within time.Duration) error {
	return poll(ctx, within, fmt.Sprintf("%d prices to reach OnCloudWine", len(want)), func() (bool, error) {
		got := w.ocw.Variants()
		for sku, price := range want {
			if v, ok := got[sku]; !ok || !samePrice(v.Price, price) {
				return false, nil
			}
		}
		return true, nil
	})
}
