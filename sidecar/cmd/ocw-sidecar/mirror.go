package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"net/http"

	"github.com/oncloudwine/ocw-woocommerce/sidecar/internal/adminclient"
)

// cmdMirror runs `mirror backfill --since DATE` on the running server.
func cmdMirror(ctx context.Context, args []string, stdout io.Writer) error {
	if len(args) == 0 || args[0] != "backfill" {
		return fmt.Errorf("mirror takes backfill: ocw-sidecar mirror backfill --since 2026-11-01: %w", errUsage)
	}
	fs := flag.NewFlagSet("mirror backfill", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	since := fs.String("since", "", "bring in the release orders updated since this date (2026-11-01) or RFC 3339 time")
	if err := fs.Parse(args[1:]); err != nil || *since == "" || fs.NArg() != 0 {
		return fmt.Errorf("mirror backfill needs --since DATE (e.g. --since 2026-11-01): %w", errUsage)
	}
	cfg, err := loadClientConfig()
	if err != nil {
		return err
	}
	c := adminclient.New(cfg.ListenAddr, cfg.SharedSecret)
	var out struct {
		Since            string `json:"since"`
		NewReleaseOrders int    `json:"new_release_orders"`
	}
	if err := c.Do(ctx, http.MethodPost, "/v1/mirror/backfill", map[string]string{"since": *since}, &out); err != nil {
		return err
	}
	fmt.Fprintf(stdout, "release orders since %s: %d new, mirrored in the background (ocw-sidecar status shows their state)\n", out.Since, out.NewReleaseOrders)
	return nil
}
