package config

import (
	"bytes"
	"context"
	"encoding/pem"
	"errors"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

func TestLoadDefaults(t *testing.T) {
	t.Setenv("OCW_SHARED_SECRET", strings.Repeat("s", 32))
	c, err := Load()
	if err != nil {
		t.Fatal(err)
	}
	if c.ListenAddr != "127.0.0.1:8787" || c.DataDir != "./data" || c.StockSyncInterval != 10*time.Minute ||
		c.ReconcileInterval != 5*time.Minute || c.ReleasePollInterval != time.Minute || c.CustomerMapping != "create" ||
		c.LogLevel != "info" || c.LogFormat != "json" || c.WooMaxConcurrency != 4 || c.MirrorReleaseOrders || c.WooAllowHTTP {
		t.Fatalf("defaults = %+v", c)
	}
	if err := c.ValidateServe(); err != nil {
		t.Fatalf("ValidateServe: %v", err)
	}
}

func TestValidationNamesVariableAndFix(t *testing.T) {
	tests := []struct {
		name    string
		env     map[string]string
		wantVar string
	}{
		{"missing secret", map[string]string{}, "OCW_SHARED_SECRET"},
		{"short secret", map[string]string{"OCW_SHARED_SECRET": "short"}, "OCW_SHARED_SECRET"},
		{"stock interval low", map[string]string{"OCW_STOCK_SYNC_INTERVAL": "4m"}, "OCW_STOCK_SYNC_INTERVAL"},
		{"stock interval high", map[string]string{"OCW_STOCK_SYNC_INTERVAL": "16m"}, "OCW_STOCK_SYNC_INTERVAL"},
		{"malformed woo url", map[string]string{"OCW_WOO_URL": "shop.example.com"}, "OCW_WOO_URL"},
		{"plain http woo", map[string]string{"OCW_WOO_URL": "http://shop.example.com"}, "OCW_WOO_URL"},
		{"malformed api url", map[string]string{"OCW_API_URL": "::nope"}, "OCW_API_URL"},
		{"bad mapping", map[string]string{"OCW_CUSTOMER_MAPPING": "guest"}, "OCW_CUSTOMER_MAPPING"},
		{"woo timeout too short", map[string]string{"OCW_WOO_TIMEOUT": "500ms"}, "OCW_WOO_TIMEOUT"},
		{"woo timeout too long", map[string]string{"OCW_WOO_TIMEOUT": "6m"}, "OCW_WOO_TIMEOUT"},
		{"bad duration", map[string]string{"OCW_RECONCILE_INTERVAL": "soon"}, "OCW_RECONCILE_INTERVAL"},
		{"recheck too short", map[string]string{"OCW_WOO_RECHECK_INTERVAL": "100ms"}, "OCW_WOO_RECHECK_INTERVAL"},
		{"recheck too long", map[string]string{"OCW_WOO_RECHECK_INTERVAL": "1h"}, "OCW_WOO_RECHECK_INTERVAL"},
		{"half a key", map[string]string{"OCW_WOO_CONSUMER_KEY": "ck_x"}, "OCW_WOO_CONSUMER_KEY/OCW_WOO_CONSUMER_SECRET"},
		{"bad listen", map[string]string{"OCW_LISTEN_ADDR": "8787"}, "OCW_LISTEN_ADDR"},
		{"bad level", map[string]string{"OCW_LOG_LEVEL": "loud"}, "OCW_LOG_LEVEL"},
		{"listen port out of range", map[string]string{"OCW_LISTEN_ADDR": "127.0.0.1:99999"}, "OCW_LISTEN_ADDR"},
		{"listen port not a number", map[string]string{"OCW_LISTEN_ADDR": "127.0.0.1:port"}, "OCW_LISTEN_ADDR"},
		{"api url without token", map[string]string{"OCW_API_URL": "https://api.example.com"}, "OCW_API_URL/OCW_API_TOKEN"},
		{"api token without url", map[string]string{"OCW_API_TOKEN": "ock_x"}, "OCW_API_URL/OCW_API_TOKEN"},
		{"ca file missing", map[string]string{"OCW_WOO_CA_FILE": "/nonexistent/ca.pem"}, "OCW_WOO_CA_FILE"},
		{"ca file not pem", map[string]string{"OCW_WOO_CA_FILE": "config.go"}, "OCW_WOO_CA_FILE"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if _, ok := tt.env["OCW_SHARED_SECRET"]; !ok && tt.wantVar != "OCW_SHARED_SECRET" {
				t.Setenv("OCW_SHARED_SECRET", strings.Repeat("x", 40))
			}
			for k, v := range tt.env {
				t.Setenv(k, v)
			}
			c, err := Load()
			if err == nil {
				err = c.ValidateServe()
			}
			var ce *Error
			if !errors.As(err, &ce) {
				t.Fatalf("err = %v, want *config.Error", err)
			}
			if ce.Var != tt.wantVar || ce.Fix == "" {
				t.Fatalf("err = %+v, want var %s with a fix", ce, tt.wantVar)
			}
			if strings.Contains(err.Error(), "\n") {
				t.Fatalf("error spans lines: %q", err)
			}
		})
	}
}

func TestAllowHTTPAcceptsPlainStore(t *testing.T) {
	t.Setenv("OCW_SHARED_SECRET", strings.Repeat("x", 40))
	t.Setenv("OCW_WOO_URL", "http://127.0.0.1:8080")
	t.Setenv("OCW_WOO_ALLOW_HTTP", "true")
	c, err := Load()
	if err != nil {
		t.Fatal(err)
	}
	if err := c.ValidateServe(); err != nil {
		t.Fatal(err)
	}
}

func TestRedactedHidesSecrets(t *testing.T) {
	c := Config{SharedSecret: "topsecret-shared", WooConsumerSecret: "cs_secret", WooConsumerKey: "ck_key", APIToken: "ock_token",
		WooURL: "https://shopuser:shop-pass@shop.example.com", APIURL: "https://proxyuser:proxy-pass@api.example.com"}
	for _, a := range c.Redacted() {
		v := a.Value.String()
		for _, secret := range []string{"topsecret-shared", "cs_secret", "ck_key", "ock_token", "shop-pass", "proxy-pass"} {
			if strings.Contains(v, secret) {
				t.Fatalf("%s leaks %q", a.Key, v)
			}
		}
	}
}

// TestRedactedDurationsReadable: the start-up line shows intervals as
// written (10m0s), not as nanoseconds, in JSON too.
func TestRedactedDurationsReadable(t *testing.T) {
	c := Config{StockSyncInterval: 10 * time.Minute, ReconcileInterval: 5 * time.Minute, ReleasePollInterval: time.Minute}
	var buf bytes.Buffer
	slog.New(slog.NewJSONHandler(&buf, nil)).LogAttrs(context.Background(), slog.LevelInfo, "start", c.Redacted()...)
	for _, want := range []string{`"stock_sync_interval":"10m0s"`, `"reconcile_interval":"5m0s"`, `"release_poll_interval":"1m0s"`} {
		if !strings.Contains(buf.String(), want) {
			t.Errorf("start line lacks %s: %s", want, &buf)
		}
	}
}

func TestCAFileWithPEMAccepted(t *testing.T) {
	srv := httptest.NewTLSServer(http.NotFoundHandler())
	defer srv.Close()
	path := filepath.Join(t.TempDir(), "ca.pem")
	if err := os.WriteFile(path, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: srv.Certificate().Raw}), 0o600); err != nil {
		t.Fatal(err)
	}
	t.Setenv("OCW_SHARED_SECRET", strings.Repeat("x", 40))
	t.Setenv("OCW_WOO_CA_FILE", path)
	c, err := Load()
	if err != nil {
		t.Fatal(err)
	}
	if err := c.ValidateServe(); err != nil {
		t.Fatal(err)
	}
}
