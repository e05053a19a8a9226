package main

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"strings"
	"time"

	"github.com/oncloudwine/ocw-woocommerce/sidecar/internal/adminclient"
	"github.com/oncloudwine/ocw-woocommerce/sidecar/internal/httpapi"
	"github.com/oncloudwine/ocw-woocommerce/sidecar/internal/store"
)

// cmdSync asks the running server for a job and follows its progress.
func cmdSync(ctx context.Context, args []string, stdout io.Writer) error {
	req, err := syncRequest(args)
	if err != nil {
		return err
	}
	typ := req["type"]
	cfg, err := loadClientConfig()
	if err != nil {
		return err
	}
	c := adminclient.New(cfg.ListenAddr, cfg.SharedSecret)
	var job store.Job
	if err := c.Do(ctx, http.MethodPost, "/v1/jobs", req, &job); err != nil {
		return err
	}
	fmt.Fprintf(stdout, "%s %s queued\n", typ, job.ID)
	tick := time.NewTicker(500 * time.Millisecond)
	defer tick.Stop()
	last := ""
	for {
		if err := c.Do(ctx, http.MethodGet, "/v1/jobs/"+job.ID, nil, &job); err != nil {
			return err
		}
		line := fmt.Sprintf("%s %s %d / %d", typ, job.State, job.Progress.Done, job.Progress.Total)
		if line != last {
			fmt.Fprintln(stdout, line)
			last = line
		}
		switch job.State {
		case store.JobSucceeded:
			return nil
		case store.JobFailed:
			return fmt.Errorf("%s failed: %s", typ, job.Error)
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-tick.C:
		}
	}
}

// syncRequest reads `sync products|stock|orders [--since DATE]` into the
// body of POST /v1/jobs.
func syncRequest(args []string) (map[string]string, error) {
	usageErr := fmt.Errorf("sync takes products, stock or orders [--since DATE]: ocw-sidecar sync orders --since 2026-11-01: %w", errUsage)
	if len(args) == 0 {
		return nil, usageErr
	}
	types := map[string]string{"products": store.JobSyncProducts, "stock": store.JobSyncStock, "orders": store.JobSyncOrders}
	typ, ok := types[args[0]]
	if !ok {
		return nil, usageErr
	}
	req := map[string]string{"type": typ}
	rest := args[1:]
	if len(rest) == 0 {
		return req, nil
	}
	if typ != store.JobSyncOrders {
		return nil, usageErr
	}
	var since string
	switch {
	case len(rest) == 2 && rest[0] == "--since":
		since = rest[1]
	case len(rest) == 1 && strings.HasPrefix(rest[0], "--since="):
		since = strings.TrimPrefix(rest[0], "--since=")
	default:
		return nil, usageErr
	}
	if _, err := httpapi.ParseSince(since); err != nil {
		return nil, fmt.Errorf("sync orders --since: %v: %w", err, errUsage)
	}
	req["since"] = since
	return req, nil
}
