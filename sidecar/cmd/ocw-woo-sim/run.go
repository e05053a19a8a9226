package main

import (
	"context"
	"crypto/tls"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"strings"
	"time"

	"github.com/oncloudwine/ocw-woocommerce/sidecar/sim/simtls"
	"github.com/oncloudwine/ocw-woocommerce/sidecar/sim/woosim"
)

// config is what the flags say.
type config struct {
	listen, caOut, homeURL string
	tls                    bool
	ck, cs                 string
	readOnly               bool
	products, variations   int
	seed                   int64
	latency, webhookDelay  time.Duration
	latencyPerItem         time.Duration
	wcVersion              string
	plainPermalinks        bool
	noPlugin, refuseUnsafe bool
	onTraffic              bool
	logLevel               string
}

func parseFlags(args []string, stderr io.Writer) (config, error) {
	var c config
	fs := flag.NewFlagSet("ocw-woo-sim", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() {
		fmt.Fprintln(stderr, "Usage: ocw-woo-sim [flags]\n\nA WooCommerce REST v3 store that answers like WooCommerce 10.0.2 / 6.9.0, with a seeded wine catalog.\n\nFlags:")
		fs.PrintDefaults()
	}
	fs.StringVar(&c.listen, "listen", "127.0.0.1:8090", "address to listen on")
	fs.BoolVar(&c.tls, "tls", false, "serve HTTPS with a self-signed certificate (see --ca-out)")
	fs.StringVar(&c.caOut, "ca-out", "", "with --tls: write the CA certificate (PEM) to this file")
	fs.StringVar(&c.homeURL, "home-url", "", "the store's home URL (default: scheme://listen address, or the first request's Host)")
	fs.StringVar(&c.ck, "consumer-key", "ck_ocw_woo_sim", "the REST API consumer key the store accepts")
	fs.StringVar(&c.cs, "consumer-secret", "cs_ocw_woo_sim", "the REST API consumer secret the store accepts")
	fs.BoolVar(&c.readOnly, "read-only-key", false, "the key has read permission only")
	fs.IntVar(&c.products, "products", 0, "generated variable products (0 = the small lab catalog only)")
	fs.IntVar(&c.variations, "variations", 4, "variations per generated product")
	fs.Int64Var(&c.seed, "seed", 1, "catalog generator seed")
	fs.DurationVar(&c.latency, "latency", 0, "latency added to every REST request")
	fs.DurationVar(&c.latencyPerItem, "latency-per-item", 0, "latency added per object a list returns")
	fs.DurationVar(&c.webhookDelay, "webhook-delay", 0, "delay before a webhook delivery is sent")
	fs.StringVar(&c.wcVersion, "wc-version", "10.0.2", "WooCommerce version to impersonate (10.0.2, 6.9.0, 5.9.0)")
	fs.BoolVar(&c.plainPermalinks, "plain-permalinks", false, "plain permalinks: /wp-json/ redirects to itself, ?rest_route= works")
	fs.BoolVar(&c.noPlugin, "no-plugin", false, "hide the OnCloudWine plugin's routes")
	fs.BoolVar(&c.refuseUnsafe, "refuse-unsafe-webhook-urls", false, "fail deliveries to ports other than 80/443/8080/home, like WordPress without the plugin")
	fs.BoolVar(&c.onTraffic, "webhooks-on-traffic", false, "hold webhook deliveries until the next request, like WP-Cron without the plugin")
	fs.StringVar(&c.logLevel, "log-level", "info", "debug, info, warn or error")
	if err := fs.Parse(args); err != nil {
		return c, err
	}
	if fs.NArg() > 0 {
		return c, fmt.Errorf("unexpected argument %q", fs.Arg(0))
	}
	if c.products < 0 || c.variations < 0 {
		return c, errors.New("--products and --variations must not be negative")
	}
	if c.caOut != "" && !c.tls {
		return c, errors.New("--ca-out needs --tls")
	}
	return c, nil
}

// run serves the simulator until ctx is cancelled.
func run(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	c, err := parseFlags(args, stderr)
	if errors.Is(err, flag.ErrHelp) {
		return nil
	}
	if err != nil {
		return err
	}
	var level slog.Level
	if err := level.UnmarshalText([]byte(c.logLevel)); err != nil {
		return fmt.Errorf("--log-level: %w", err)
	}
	logger := slog.New(slog.NewJSONHandler(stderr, &slog.HandlerOptions{Level: level}))

	ln, err := net.Listen("tcp", c.listen)
	if err != nil {
		return fmt.Errorf("listen: %w", err)
	}
	scheme := "http"
	if c.tls {
		scheme = "https"
	}
	addr := ln.Addr().String()
	home := c.homeURL
	if home == "" {
		if host, _, _ := net.SplitHostPort(addr); host != "0.0.0.0" && host != "::" {
			home = scheme + "://" + addr
		}
	}
	sim, err := woosim.New(woosim.Options{
		ConsumerKey: c.ck, ConsumerSecret: c.cs, ReadOnlyKey: c.readOnly,
		WCVersion: c.wcVersion, PlainPermalinks: c.plainPermalinks, NoPlugin: c.noPlugin, HomeURL: home,
		Latency: c.latency, LatencyPerItem: c.latencyPerItem, Products: c.products, Variations: c.variations, Seed: c.seed,
		WebhookDelay: c.webhookDelay, RefuseUnsafeWebhookURLs: c.refuseUnsafe, WebhooksOnTraffic: c.onTraffic, Logger: logger,
	})
	if err != nil {
		_ = ln.Close()
		return fmt.Errorf("simulator: %w", err)
	}
	defer sim.Close()
	if c.tls {
		cert, caPEM, err := simtls.SelfSigned(hostsFor(addr, home))
		if err != nil {
			_ = ln.Close()
			return fmt.Errorf("tls: %w", err)
		}
		if c.caOut != "" {
			if err := writeFile(c.caOut, caPEM); err != nil {
				_ = ln.Close()
				return fmt.Errorf("--ca-out: %w", err)
			}
		}
		ln = tls.NewListener(ln, &tls.Config{Certificates: []tls.Certificate{cert}, MinVersion: tls.VersionTLS12})
	}
	srv := &http.Server{Handler: sim.Handler(), ReadHeaderTimeout: 10 * time.Second, ErrorLog: slog.NewLogLogger(logger.Handler(), slog.LevelWarn)}
	products, variations := sim.Counts()
	logger.Info("woo simulator ready", "addr", addr, "tls", c.tls, "wc_version", c.wcVersion, "products", products,
		"variations", variations, "plain_permalinks", c.plainPermalinks, "plugin", !c.noPlugin, "latency", c.latency.String())
	fmt.Fprintf(stdout, "listening on %s://%s\n", scheme, addr)
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	select {
	case err := <-errc:
		if errors.Is(err, http.ErrServerClosed) {
			return nil
		}
		return fmt.Errorf("serve: %w", err)
	case <-ctx.Done():
	}
	shutdownCtx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if err := srv.Shutdown(shutdownCtx); err != nil {
		return fmt.Errorf("shutdown: %w", err)
	}
	return nil
}

// hostsFor lists the names the certificate must cover.
func hostsFor(addr, home string) []string {
	hosts := []string{"127.0.0.1", "::1", "localhost"}
	if h, _, err := net.SplitHostPort(addr); err == nil && h != "0.0.0.0" && h != "::" {
		hosts = append(hosts, h)
	}
	if home != "" {
		if i := strings.Index(home, "://"); i >= 0 {
			hp := home[i+3:]
			if h, _, err := net.SplitHostPort(hp); err == nil {
				hosts = append(hosts, h)
			} else {
				hosts = append(hosts, strings.TrimSuffix(hp, "/"))
			}
		}
	}
	return hosts
}

func writeFile(path string, data []byte) error {
	if err := os.WriteFile(path, data, 0o644); err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	return nil
}
