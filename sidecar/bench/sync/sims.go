package main

import (
	"bufio"
	"context"
	"encoding/pem"
	"fmt"
	"io"
	"log/slog"
	"net/http/httptest"
	"os"
	"strconv"
	"strings"

	"github.com/oncloudwine/ocw-woocommerce/sidecar/sim/ocwsim"
	"github.com/oncloudwine/ocw-woocommerce/sidecar/sim/woosim"
)

// serveSims runs both simulators until ctx ends and prints
// "ready <woo URL> <OnCloudWine URL>" once they listen. Lines on stdin
// change them (the stock benchmarks), each answered by "done" or "error …":
//
//	stock <id>:<qty> …   set stock like a sale or an edit in WooCommerce
//	reserve <sku> <qty>  set what OnCloudWine reserves for a SKU
func serveSims(ctx context.Context, o options, stdout io.Writer, logger *slog.Logger) error {
	sim, err := woosim.New(woosim.Options{
		ConsumerKey: benchKey, ConsumerSecret: benchSecret, NoPlugin: o.noPlugin,
		Products: o.products, Variations: o.variations, Seed: 1, Latency: o.wooLatency, Logger: logger,
	})
	if err != nil {
		return fmt.Errorf("woo simulator: %w", err)
	}
	defer sim.Close()
	wooSrv := httptest.NewTLSServer(sim.Handler())
	defer wooSrv.Close()
	ca := pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: wooSrv.Certificate().Raw})
	if err := os.WriteFile(o.caOut, ca, 0o600); err != nil {
		return err
	}
	ocw := ocwsim.New(ocwsim.Options{Token: benchToken, Latency: o.ocwLatency, Logger: logger})
	ocwSrv := httptest.NewServer(ocw.Handler())
	defer ocwSrv.Close()
	fmt.Fprintf(stdout, "ready %s %s\n", wooSrv.URL, ocwSrv.URL)
	go func() {
		sc := bufio.NewScanner(os.Stdin)
		sc.Buffer(make([]byte, 1<<20), 1<<20)
		for sc.Scan() {
			if err := simCommand(sim, ocw, sc.Text()); err != nil {
				fmt.Fprintf(stdout, "error %v\n", err)
				continue
			}
			fmt.Fprintln(stdout, "done")
		}
	}()
	<-ctx.Done()
	return nil
}

func simCommand(sim *woosim.Sim, ocw *ocwsim.Sim, line string) error {
	f := strings.Fields(line)
	switch {
	case len(f) >= 1 && f[0] == "stock":
		for _, pair := range f[1:] {
			id, qty, ok := strings.Cut(pair, ":")
			n, err1 := strconv.ParseInt(id, 10, 64)
			q, err2 := strconv.Atoi(qty)
			if !ok || err1 != nil || err2 != nil {
				return fmt.Errorf("bad stock pair %q", pair)
			}
			if err := sim.SetStock(n, q); err != nil {
				return err
			}
		}
		return nil
	case len(f) == 3 && f[0] == "reserve":
		q, err := strconv.Atoi(f[2])
		if err != nil {
			return fmt.Errorf("bad quantity %q", f[2])
		}
		ocw.SetReservation(f[1], q)
		return nil
	}
	return fmt.Errorf("unknown command %q", line)
}
