package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"os"
	"time"

	"github.com/oncloudwine/ocw-woocommerce/sidecar/internal/config"
	"github.com/oncloudwine/ocw-woocommerce/sidecar/internal/demo"
)

func cmdDemo(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("demo", flag.ContinueOnError)
	fs.SetOutput(stderr)
	products := fs.Int("products", 1000, "generated variable wines (on top of the lab catalog and its edge cases)")
	variations := fs.Int("variations", 4, "variations per generated wine")
	seed := fs.Int64("seed", 1, "catalog seed")
	latency := fs.Duration("latency", 150*time.Millisecond, "latency added to every WooCommerce request (a live store answers in 100–600 ms)")
	noPlugin := fs.Bool("no-plugin", false, "hide the plugin's routes: sync through REST v3")
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return nil
		}
		return fmt.Errorf("demo: %w: %w", err, errUsage)
	}
	return demo.Run(ctx, demo.Options{
		Products: *products, Variations: *variations, Seed: *seed, Latency: *latency, NoPlugin: *noPlugin,
		Out: stdout, Progress: isTerminal(stdout),
		Sidecar: func(ctx context.Context, cfg config.Config, ln net.Listener) error {
			log := newLogger(cfg, stderr)
			a, err := newApp(ctx, cfg, log)
			if err != nil {
				_ = ln.Close()
				return err
			}
			return a.serve(ctx, ln)
		},
	})
}

func isTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	if !ok {
		return false
	}
	fi, err := f.Stat()
	return err == nil && fi.Mode()&os.ModeCharDevice != 0
}
