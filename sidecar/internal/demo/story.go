package demo

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/oncloudwine/ocw-woocommerce/sidecar/internal/store"
	"github.com/oncloudwine/ocw-woocommerce/sidecar/sim/woosim"
)

// story runs the steps and remembers what the summary shows.
type story struct {
	o   Options
	env *world
	out io.Writer

	step        int
	syncTime    time.Duration
	webhookLag  time.Duration
	resent      int
	priceSKU    string
	stockLine   string
	mirrorLine  string
	failedCount int
	orderLag    time.Duration
	orderLine   string
}

func (s *story) title(format string, args ...any) {
	s.step++
	fmt.Fprintf(s.out, "\n%d. %s\n", s.step, fmt.Sprintf(format, args...))
}

func (s *story) intro() {
	products, variations := s.env.woo.Counts()
	route := "the plugin's catalog route"
	if s.o.NoPlugin {
		route = "REST v3 (plugin routes hidden)"
	}
	fmt.Fprintln(s.out, "OnCloudWine for WooCommerce — demo on loopback (simulated store and OnCloudWine API, real sidecar)")
	tw := tabwriter.NewWriter(s.out, 0, 4, 2, ' ', 0)
	fmt.Fprintf(tw, "  WooCommerce\t%s\tWooCommerce 10.0.2 simulator over TLS: %d products, %d variations; reads through %s\n", s.env.wooURL, products, variations, route)
	fmt.Fprintf(tw, "  OnCloudWine\t%s\tAPI simulator\n", s.env.ocwURL)
	fmt.Fprintf(tw, "  Sidecar\t%s\tbbolt store in a temporary folder; %d signed webhooks registered in the store\n", s.env.admin.Base, s.env.webhooks)
	_ = tw.Flush()
}

type connection struct {
	Status       string `json:"status"`
	WCVersion    string `json:"wc_version"`
	AuthMethod   string `json:"auth_method"`
	PluginRoutes bool   `json:"plugin_routes"`
	Currency     string `json:"currency"`
	WeightUnit   string `json:"weight_unit"`
}

func (s *story) connect(ctx context.Context) error {
	s.title("Connect the store (what the plugin's Connect button sends)")
	var conn connection
	err := s.env.admin.Do(ctx, http.MethodPost, "/v1/connection",
		map[string]string{"store_url": s.env.wooURL, "consumer_key": s.env.wooKey, "consumer_secret": s.env.wooSecret}, &conn)
	if err != nil {
		return fmt.Errorf("demo: connect: %w", err)
	}
	if conn.Status != store.ConnActive {
		return fmt.Errorf("demo: connection is %s, want ACTIVE", conn.Status)
	}
	fmt.Fprintf(s.out, "   POST /v1/connection → %s: WooCommerce %s, auth %s, plugin routes %t, currency %s, weights in %s\n",
		conn.Status, conn.WCVersion, conn.AuthMethod, conn.PluginRoutes, conn.Currency, conn.WeightUnit)
	return nil
}

// runJob starts a job through the admin API and follows it to the end.
func (s *story) runJob(ctx context.Context, typ, unit string) (store.Job, time.Duration, error) {
	start := time.Now()
	var job store.Job
	if err := s.env.admin.Do(ctx, http.MethodPost, "/v1/jobs", map[string]string{"type": typ}, &job); err != nil {
		return job, 0, fmt.Errorf("demo: start %s: %w", typ, err)
	}
	bar := newProgressBar(s.out, s.o.Progress, unit)
	tick := time.NewTicker(100 * time.Millisecond)
	defer tick.Stop()
	for {
		if err := s.env.admin.Do(ctx, http.MethodGet, "/v1/jobs/"+job.ID, nil, &job); err != nil {
			return job, 0, fmt.Errorf("demo: follow %s: %w", typ, err)
		}
		bar.update(job.Progress.Done, job.Progress.Total)
		switch job.State {
		case store.JobSucceeded:
			bar.done(time.Since(start))
			return job, time.Since(start), nil
		case store.JobFailed:
			bar.done(time.Since(start))
			return job, 0, fmt.Errorf("demo: %s failed: %s", typ, job.Error)
		}
		select {
		case <-ctx.Done():
			return job, 0, ctx.Err()
		case <-tick.C:
		}
	}
}

// waitFor polls cond until it holds or within runs out.
func waitFor(ctx context.Context, within time.Duration, what string, cond func() bool) error {
	deadline := time.Now().Add(within)
	tick := time.NewTicker(20 * time.Millisecond)
	defer tick.Stop()
	for !cond() {
		if time.Now().After(deadline) {
			return fmt.Errorf("demo: %s did not happen within %s", what, within)
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-tick.C:
		}
	}
	return nil
}

func (s *story) fullSync(ctx context.Context) error {
	s.title("SYNC_WOOCOMMERCE_PRODUCTS: every product and variation into OnCloudWine variants")
	_, took, err := s.runJob(ctx, store.JobSyncProducts, "products")
	if err != nil {
		return err
	}
	s.syncTime = took
	// The sender drains the outbox right after the job; wait until it is empty.
	if err := waitFor(ctx, 60*time.Second, "sending the variants", func() bool { return s.queues(ctx)["outbox"] == 0 }); err != nil {
		return err
	}
	fmt.Fprintf(s.out, "   %s variants now in OnCloudWine (%s upserted in %d batched requests)\n",
		thousands(len(s.env.ocw.Variants())), thousands(s.env.ocw.VariantsReceived()), s.env.ocw.Calls("/v1/woocommerce/variants:upsert"))
	return nil
}

func (s *story) queues(ctx context.Context) map[string]int64 {
	var st store.Status
	if err := s.env.admin.Do(ctx, http.MethodGet, "/v1/status", nil, &st); err != nil {
		return map[string]int64{"outbox": -1, "inbox": -1}
	}
	return st.Queues
}

func (s *story) priceByWebhook(ctx context.Context) error {
	const sku = "WINE-PIN-2022-750"
	p, ok := s.env.woo.ProductBySKU(sku)
	if !ok {
		return fmt.Errorf("demo: the seeded store has no %s", sku)
	}
	const newPrice = "32.00"
	s.title("A shop manager changes a price in WooCommerce; the webhook carries it")
	before := s.env.ocw.Variants()[sku].Price
	start := time.Now()
	if err := s.env.woo.UpdateProduct(p.ID, func(p *woosim.Product) { p.RegularPrice = newPrice }); err != nil {
		return fmt.Errorf("demo: edit price: %w", err)
	}
	if err := waitFor(ctx, 30*time.Second, "the price reaching OnCloudWine", func() bool {
		return s.env.ocw.Variants()[sku].Price == newPrice
	}); err != nil {
		return err
	}
	s.webhookLag, s.priceSKU = time.Since(start), sku
	fmt.Fprintf(s.out, "   %s (%s): %s → %s in OnCloudWine %s after the edit, by webhook (signed, stored, then sent as a delta)\n",
		sku, p.Name, before, newPrice, s.webhookLag.Round(time.Millisecond))
	return nil
}

func (s *story) stock(ctx context.Context) error {
	const sku = "WINE-PIN-2022-750"
	p, _ := s.env.woo.ProductBySKU(sku)
	s.title("Stock: WooCommerce is the source of truth, OnCloudWine reservations are deducted")
	s.env.ocw.SetReservation(sku, 6)
	if err := s.env.woo.SetStock(p.ID, 24); err != nil {
		return fmt.Errorf("demo: set stock: %w", err)
	}
	if _, _, err := s.runJob(ctx, store.JobSyncStock, "stock levels"); err != nil {
		return err
	}
	if err := waitFor(ctx, 30*time.Second, "the stock level reaching OnCloudWine", func() bool {
		lv, ok := s.env.ocw.Stock()[sku]
		return ok && lv.OnHand == 24
	}); err != nil {
		return err
	}
	lv := s.env.ocw.Stock()[sku]
	s.stockLine = fmt.Sprintf("%s: on hand %d, reserved %d, available %d", sku, lv.OnHand, lv.Reserved, lv.Available)
	fmt.Fprintf(s.out, "   %s — a release can never oversell\n", s.stockLine)
	return nil
}

func (s *story) secondSync(ctx context.Context) error {
	s.title("A second full sync with nothing changed sends nothing (deltas only)")
	before := s.env.ocw.VariantsReceived()
	if _, _, err := s.runJob(ctx, store.JobSyncProducts, "products"); err != nil {
		return err
	}
	if err := waitFor(ctx, 30*time.Second, "the outbox draining", func() bool { return s.queues(ctx)["outbox"] == 0 }); err != nil {
		return err
	}
	s.resent = s.env.ocw.VariantsReceived() - before
	fmt.Fprintf(s.out, "   variants re-sent: %d\n", s.resent)
	if s.resent != 0 {
		return fmt.Errorf("demo: an unchanged catalog re-sent %d variants", s.resent)
	}
	return nil
}

type itemsPage struct {
	Items []store.Item `json:"items"`
}

func (s *story) failedItems(ctx context.Context) error {
	s.title("Items that need the shop manager (FAILED, with the fix)")
	var page itemsPage
	if err := s.env.admin.Do(ctx, http.MethodGet, "/v1/items?status=FAILED&limit=50", nil, &page); err != nil {
		return fmt.Errorf("demo: list FAILED items: %w", err)
	}
	s.failedCount = len(page.Items)
	tw := tabwriter.NewWriter(s.out, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "   ITEM\tWOO ID\tPRODUCT\tWHAT TO DO")
	for _, it := range page.Items {
		fmt.Fprintf(tw, "   %s\t%d\t%s\t%s\n", it.Key, it.WooID, truncate(it.Name, 34), it.Error)
	}
	return tw.Flush()
}

func (s *story) summary(ctx context.Context, total time.Duration) error {
	var st store.Status
	if err := s.env.admin.Do(ctx, http.MethodGet, "/v1/status", nil, &st); err != nil {
		return fmt.Errorf("demo: status: %w", err)
	}
	fmt.Fprintln(s.out, "\nSummary")
	tw := tabwriter.NewWriter(s.out, 0, 4, 2, ' ', 0)
	row := func(k, v string) { fmt.Fprintf(tw, "  %s\t%s\n", k, v) }
	row("Connection", fmt.Sprintf("%s (WooCommerce %s)", st.Connection.Status, st.Connection.WCVersion))
	row("Items", fmt.Sprintf("SYNCED %d · FAILED %d · PENDING %d", st.Items[store.StatusSynced], st.Items[store.StatusFailed], st.Items[store.StatusPending]))
	row("Variants in OnCloudWine", fmt.Sprintf("%d (archived %d)", len(s.env.ocw.Variants()), len(s.env.ocw.Archived())))
	row("Full product sync", s.syncTime.Round(time.Millisecond).String())
	row("Price edit → OnCloudWine", fmt.Sprintf("%s by webhook", s.webhookLag.Round(time.Millisecond)))
	row("Stock", s.stockLine)
	row("Paid order → OnCloudWine", s.orderLine)
	row("Second sync re-sent", fmt.Sprintf("%d variants", s.resent))
	row("Release order mirrored", s.mirrorLine)
	row("Queues", fmt.Sprintf("inbox %d · outbox %d", st.Queues["inbox"], st.Queues["outbox"]))
	row("Demo took", total.Round(time.Millisecond).String())
	if err := tw.Flush(); err != nil {
		return err
	}
	fmt.Fprintln(s.out, "\nEverything the demo started is stopped; nothing is left running.")
	return nil
}

func truncate(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return string(r[:n-1]) + "…"
}

// progressBar draws job progress: in place on a terminal, else one line per
// quarter so logs stay readable.
type progressBar struct {
	out      io.Writer
	inPlace  bool
	unit     string
	lastStep int
	done_    int
	total    int
}

func newProgressBar(out io.Writer, inPlace bool, unit string) *progressBar {
	return &progressBar{out: out, inPlace: inPlace, unit: unit, lastStep: -1}
}

func (b *progressBar) render() string {
	const width = 30
	filled := 0
	if b.total > 0 {
		filled = b.done_ * width / b.total
	}
	return fmt.Sprintf("   [%s%s] %s / %s %s", strings.Repeat("█", filled), strings.Repeat("·", width-filled), thousands(b.done_), thousands(b.total), b.unit)
}

func (b *progressBar) update(done, total int) {
	b.done_, b.total = done, total
	if total == 0 {
		return // the job has not counted its work yet
	}
	if b.inPlace {
		fmt.Fprintf(b.out, "\r%s", b.render())
		return
	}
	step := 0
	if total > 0 {
		step = done * 4 / total
	}
	if step != b.lastStep {
		b.lastStep = step
		fmt.Fprintln(b.out, b.render())
	}
}

func (b *progressBar) done(took time.Duration) {
	if b.inPlace {
		fmt.Fprintf(b.out, "\r%s in %s\n", b.render(), took.Round(time.Millisecond))
		return
	}
	fmt.Fprintf(b.out, "   finished in %s\n", took.Round(time.Millisecond))
}

// thousands renders 12345 as 12,345 (what the activity log does too).
func thousands(n int) string {
	s := fmt.Sprint(n)
	var b strings.Builder
	for i, r := range s {
		if i > 0 && (len(s)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(r)
	}
	return b.String()
}
