// Command mirror measures the release-order mirror of issue 15: 1,000 paid
// release orders (four releases × 250 club members, none of them a
// WooCommerce customer yet, three wines) mirrored into the WooCommerce
// simulator answering in 80 ms per request, the OnCloudWine simulator in
// 20 ms, the WooCommerce client and the mirror at their default concurrency
// (4). It prints
//
//	bench: mirror_1000_release_orders_s <seconds> s
//
// timed from the backfill that brings the release orders in until
// OnCloudWine holds a SYNCED report for each, and fails unless WooCommerce
// then holds exactly 1,000 orders carrying the release-order meta, one per
// release order.
//
// Run: go run ./sidecar/bench/mirror [-orders 1000 -members 250]
package main

import (
	"context"
	"crypto/x509"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net/http/httptest"
	"os"
	"os/signal"
	"syscall"
	"time"

	"github.com/oncloudwine/ocw-woocommerce/sidecar/internal/mirror"
	"github.com/oncloudwine/ocw-woocommerce/sidecar/internal/oncloudwine"
	"github.com/oncloudwine/ocw-woocommerce/sidecar/internal/store"
	"github.com/oncloudwine/ocw-woocommerce/sidecar/internal/woo"
	"github.com/oncloudwine/ocw-woocommerce/sidecar/sim/ocwsim"
	"github.com/oncloudwine/ocw-woocommerce/sidecar/sim/woosim"
)

const (
	benchKey    = "ck_bench_0123456789"
	benchSecret = "cs_bench_0123456789"
	benchToken  = "ock_bench"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := run(ctx, os.Args[1:], os.Stdout, os.Stderr); err != nil {
		fmt.Fprintln(os.Stderr, "mirror bench:", err)
		os.Exit(1)
	}
}

func run(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("mirror", flag.ContinueOnError)
	fs.SetOutput(stderr)
	orders := fs.Int("orders", 1000, "paid release orders")
	members := fs.Int("members", 250, "club members (distinct e-mails)")
	wooLatency := fs.Duration("woo-latency", 80*time.Millisecond, "WooCommerce simulator latency per request")
	ocwLatency := fs.Duration("ocw-latency", 20*time.Millisecond, "OnCloudWine simulator latency per request")
	if err := fs.Parse(args); err != nil {
		return err
	}
	quiet := slog.New(slog.DiscardHandler)
	ws, err := woosim.New(woosim.Options{ConsumerKey: benchKey, ConsumerSecret: benchSecret, Latency: *wooLatency, Logger: quiet})
	if err != nil {
		return err
	}
	defer ws.Close()
	wooSrv := httptest.NewTLSServer(ws.Handler())
	defer wooSrv.Close()
	pool := x509.NewCertPool()
	pool.AddCert(wooSrv.Certificate())
	wc, err := woo.New(woo.Config{StoreURL: wooSrv.URL, ConsumerKey: benchKey, ConsumerSecret: benchSecret, RootCAs: pool, Logger: quiet})
	if err != nil {
		return err
	}
	defer wc.Close()
	api := ocwsim.New(ocwsim.Options{Token: benchToken, Latency: *ocwLatency, Logger: quiet})
	apiSrv := httptest.NewServer(api.Handler())
	defer apiSrv.Close()
	oc, err := oncloudwine.New(oncloudwine.Config{BaseURL: apiSrv.URL, Token: benchToken, Logger: quiet})
	if err != nil {
		return err
	}
	dir, err := os.MkdirTemp("", "ocw-mirror-bench-*")
	if err != nil {
		return err
	}
	defer os.RemoveAll(dir)
	st, err := store.Open(dir, store.Options{})
	if err != nil {
		return err
	}
	defer st.Close()

	skus := []string{"WINE-CHA-2022-750", "WINE-PIN-2022-750", "WINE-PRO-NV-750"}
	ids := make([]string, *orders)
	for i := range *orders {
		email := fmt.Sprintf("member%04d@club.example", i%*members)
		ro := api.AddReleaseOrder(ocwsim.ReleaseOrder{
			ReleaseID: fmt.Sprintf("rel_%d", i / *members),
			Customer:  ocwsim.ReleaseCustomer{Email: email, FirstName: "Club", LastName: fmt.Sprintf("Member %d", i%*members)},
			Billing:   ocwsim.Address{FirstName: "Club", LastName: "Member", Address1: "Rua 1", City: "Porto", Postcode: "4000-001", Country: "PT", Email: email},
			Shipping:  ocwsim.Address{FirstName: "Club", LastName: "Member", Address1: "Rua 1", City: "Porto", Postcode: "4000-001", Country: "PT"},
			LineItems: []ocwsim.ReleaseLineItem{{SKU: skus[i%len(skus)], Quantity: 1, UnitPrice: "19.90"}}, ShippingTotal: "5.00",
		})
		ids[i] = ro.ID
	}
	before := len(ws.Orders())

	m, err := mirror.New(mirror.Config{Store: st, OCW: oc, Logger: quiet, Woo: func() mirror.Woo { return wc }, PollInterval: time.Hour})
	if err != nil {
		return err
	}
	start := time.Now()
	if err := m.Start(ctx); err != nil {
		return err
	}
	defer m.Stop()
	if _, err := m.Backfill(ctx, time.Unix(0, 0)); err != nil {
		return err
	}
	for {
		reports := api.MirrorReports()
		done := 0
		for _, id := range ids {
			if reports[id].Status == oncloudwine.MirrorSynced {
				done++
			}
		}
		if done == len(ids) {
			break
		}
		if time.Since(start) > 10*time.Minute {
			return fmt.Errorf("%d of %d release orders SYNCED after 10 minutes", done, len(ids))
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(20 * time.Millisecond): // polling a condition with a deadline
		}
	}
	took := time.Since(start)
	per := map[string]int{}
	for _, o := range ws.Orders() {
		for _, md := range o.MetaData {
			if v, ok := md.Value.(string); ok && md.Key == woo.ReleaseOrderMeta {
				per[v]++
			}
		}
	}
	for _, id := range ids {
		if per[id] != 1 {
			return fmt.Errorf("release order %s has %d WooCommerce orders, want 1", id, per[id])
		}
	}
	if n := len(ws.Orders()) - before; n != *orders {
		return fmt.Errorf("WooCommerce holds %d new orders, want %d", n, *orders)
	}
	if len(ws.Customers()) == 0 {
		return errors.New("no customers")
	}
	fmt.Fprintf(stdout, "bench: mirror_%d_release_orders_s %.1f s\n", *orders, took.Seconds())
	return nil
}
