package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"sort"
	"text/tabwriter"
	"time"

	"github.com/oncloudwine/ocw-woocommerce/sidecar/internal/adminclient"
	"github.com/oncloudwine/ocw-woocommerce/sidecar/internal/config"
	"github.com/oncloudwine/ocw-woocommerce/sidecar/internal/store"
)

// loadClientConfig reads the environment for the CLI subcommands that talk
// to a running server; the secret is needed only when one answers.
func loadClientConfig() (config.Config, error) {
	cfg, err := config.Load()
	if err != nil {
		return cfg, err
	}
	return cfg, cfg.Validate()
}

func cmdStatus(ctx context.Context, args []string, stdout io.Writer) error {
	asJSON := false
	for _, a := range args {
		if a != "--json" {
			return fmt.Errorf("status takes only --json, not %q: %w", a, errUsage)
		}
		asJSON = true
	}
	cfg, err := loadClientConfig()
	if err != nil {
		return err
	}
	var st store.Status
	source := "server at " + cfg.ListenAddr
	err = adminclient.New(cfg.ListenAddr, cfg.SharedSecret).Do(ctx, http.MethodGet, "/v1/status", nil, &st)
	if errors.Is(err, adminclient.ErrNotRunning) {
		s, oerr := store.Open(cfg.DataDir, store.Options{ReadOnly: true})
		if oerr != nil {
			return fmt.Errorf("no server answers and the store cannot be read: %w", oerr)
		}
		st, err = s.Status()
		_ = s.Close()
		st.Version = version
		source = "store " + filepath.Join(cfg.DataDir, store.FileName) + " (server not running)"
	}
	if err != nil {
		return err
	}
	if asJSON {
		enc := json.NewEncoder(stdout)
		enc.SetIndent("", "  ")
		return enc.Encode(st)
	}
	printStatus(stdout, st, source)
	return nil
}

func printStatus(w io.Writer, st store.Status, source string) {
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	fmt.Fprintf(tw, "Source\t%s\n", source)
	c := st.Connection
	line := c.Status
	if c.WCVersion != "" {
		line += fmt.Sprintf("  WooCommerce %s at %s (auth %s)", c.WCVersion, c.StoreURL, c.AuthMethod)
	}
	fmt.Fprintf(tw, "Connection\t%s\n", line)
	if c.LastError != nil {
		fmt.Fprintf(tw, "Last error\t%s — %s\n", c.LastError.Message, c.LastError.Fix)
	}
	if c.NextCheckAt != nil {
		fmt.Fprintf(tw, "Next check\t%s\n", c.NextCheckAt.UTC().Format(time.RFC3339))
	}
	if c.Warning != nil {
		fmt.Fprintf(tw, "Warning\t%s — %s\n", c.Warning.Message, c.Warning.Fix)
	}
	if a := c.LastAttempt; a != nil {
		fmt.Fprintf(tw, "Last attempt\t%s %s failed (nothing changed): %s — %s\n", a.At.UTC().Format(time.RFC3339), a.StoreURL, a.Error, a.Fix)
	}
	if sy := st.Sync; sy != nil {
		inbox := sy.Inbox.State
		if sy.Inbox.Error != "" {
			inbox += ": " + sy.Inbox.Error + " — " + sy.Inbox.Fix
		}
		fmt.Fprintf(tw, "Webhooks\t%s\n", inbox)
		if r := sy.Reconcile; r.Running {
			fmt.Fprintf(tw, "Reconcile\trunning since %s, %d product(s) read (via %s)\n", r.StartedAt.UTC().Format(time.RFC3339), r.Products, r.Via)
		} else if r.FinishedAt != nil {
			fmt.Fprintf(tw, "Reconcile\tlast finished %s, %d product(s) (via %s) %s\n", r.FinishedAt.UTC().Format(time.RFC3339), r.Products, r.Via, r.Error)
		}
	}
	fmt.Fprintf(tw, "Items\tPENDING %d  SYNCED %d  FAILED %d\n", st.Items[store.StatusPending], st.Items[store.StatusSynced], st.Items[store.StatusFailed])
	if o := st.ItemsByKind[store.ItemKindOrder]; o != nil {
		fmt.Fprintf(tw, "Orders\tPENDING %d  SYNCED %d  FAILED %d\n", o[store.StatusPending], o[store.StatusSynced], o[store.StatusFailed])
	}
	fmt.Fprintf(tw, "Queues\tinbox %d  outbox %d\n", st.Queues["inbox"], st.Queues["outbox"])
	types := make([]string, 0, len(st.Jobs))
	for t := range st.Jobs {
		types = append(types, t)
	}
	sort.Strings(types)
	for _, t := range types {
		j := st.Jobs[t]
		fmt.Fprintf(tw, "Job\t%s %s %d/%d %s\n", t, j.State, j.Progress.Done, j.Progress.Total, j.Error)
	}
	names := make([]string, 0, len(st.Cursors))
	for n := range st.Cursors {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		fmt.Fprintf(tw, "Cursor\t%s %s\n", n, st.Cursors[n])
	}
	_ = tw.Flush()
}

func cmdBackup(ctx context.Context, args []string, stdout io.Writer) error {
	if len(args) != 1 || args[0] == "" {
		return fmt.Errorf("backup needs one argument, the file to write: ocw-sidecar backup FILE: %w", errUsage)
	}
	dest := args[0]
	cfg, err := loadClientConfig()
	if err != nil {
		return err
	}
	tmp, err := os.CreateTemp(filepath.Dir(dest), ".ocw-backup-*")
	if err != nil {
		return fmt.Errorf("backup: %w", err)
	}
	defer os.Remove(tmp.Name())
	err = adminclient.New(cfg.ListenAddr, cfg.SharedSecret).Do(ctx, http.MethodGet, "/v1/backup", nil, tmp)
	via := "the running server"
	if errors.Is(err, adminclient.ErrNotRunning) {
		s, oerr := store.Open(cfg.DataDir, store.Options{ReadOnly: true})
		if oerr != nil {
			return fmt.Errorf("backup: no server answers and the store cannot be read: %w", oerr)
		}
		_, err = s.Backup(tmp)
		_ = s.Close()
		via = "the store file"
	}
	if err == nil {
		err = tmp.Sync()
	}
	if cerr := tmp.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return fmt.Errorf("backup: %w", err)
	}
	if err := os.Rename(tmp.Name(), dest); err != nil {
		return fmt.Errorf("backup: %w", err)
	}
	fi, _ := os.Stat(dest)
	fmt.Fprintf(stdout, "backup written to %s (%d bytes, from %s)\n", dest, fi.Size(), via)
	return nil
}

// cmdCompact shrinks the database file; the server must be stopped.
func cmdCompact(stdout io.Writer) error {
	cfg, err := loadClientConfig()
	if err != nil {
		return err
	}
	res, err := store.Compact(cfg.DataDir)
	if err != nil {
		return fmt.Errorf("compact (stop the server first): %w", err)
	}
	fmt.Fprintf(stdout, "compacted %s: %d → %d bytes; the original is kept as %s (delete it once the sidecar runs well)\n",
		filepath.Join(cfg.DataDir, store.FileName), res.Before, res.After, res.Kept)
	return nil
}

func cmdHealthcheck(ctx context.Context) error {
	cfg, err := config.Load()
	if err != nil {
		return err
	}
	return adminclient.New(cfg.ListenAddr, "").Healthy(ctx)
}
