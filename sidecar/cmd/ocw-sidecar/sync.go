package main

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"time"

	"github.com/oncloudwine/ocw-woocommerce/sidecar/internal/adminclient"
	"github.com/oncloudwine/ocw-woocommerce/sidecar/internal/store"
)

// cmdSync asks the running server for a job and follows its progress.
func cmdSync(ctx context.Context, args []string, stdout io.Writer) error {
	if len(args) != 1 || (args[0] != "products" && args[0] != "stock") {
		return fmt.Errorf("sync takes products or stock: ocw-sidecar sync products: %w", errUsage)
	}
	typ := store.JobSyncProducts
	if args[0] == "stock" {
		typ = store.JobSyncStock
	}
	cfg, err := loadClientConfig()
	if err != nil {
		return err
	}
	c := adminclient.New(cfg.ListenAddr, cfg.SharedSecret)
	var job store.Job
	if err := c.Do(ctx, http.MethodPost, "/v1/jobs", map[string]string{"type": typ}, &job); err != nil {
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
