package main

import (
	"bufio"
	"context"
	"crypto/tls"
	"crypto/x509"
	"encoding/json"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// startRun runs the command with args and returns the base URL it printed.
func startRun(t *testing.T, args ...string) (string, context.CancelFunc, <-chan error) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	pr, pw := io.Pipe()
	done := make(chan error, 1)
	go func() {
		err := run(ctx, args, pw, io.Discard)
		_ = pw.Close()
		done <- err
	}()
	line, err := bufio.NewReader(pr).ReadString('\n')
	if err != nil {
		cancel()
		t.Fatalf("no ready line: %v (%v)", err, <-done)
	}
	go func() { _, _ = io.Copy(io.Discard, pr) }()
	base, ok := strings.CutPrefix(strings.TrimSpace(line), "listening on ")
	if !ok {
		cancel()
		t.Fatalf("ready line %q", line)
	}
	return base, cancel, done
}

func TestRunServesTLSWithCA(t *testing.T) {
	caFile := filepath.Join(t.TempDir(), "ca.pem")
	base, cancel, done := startRun(t, "--listen", "127.0.0.1:0", "--tls", "--ca-out", caFile,
		"--consumer-key", "ck_x", "--consumer-secret", "cs_x", "--products", "20", "--variations", "3", "--wc-version", "6.9.0")
	if !strings.HasPrefix(base, "https://127.0.0.1:") {
		t.Fatalf("base %q", base)
	}
	pem, err := os.ReadFile(caFile)
	if err != nil {
		t.Fatal(err)
	}
	pool := x509.NewCertPool()
	if !pool.AppendCertsFromPEM(pem) {
		t.Fatal("CA file holds no certificate")
	}
	client := &http.Client{Timeout: 5 * time.Second, Transport: &http.Transport{TLSClientConfig: &tls.Config{RootCAs: pool}}}
	req, _ := http.NewRequest(http.MethodGet, base+"/wp-json/wc/v3/system_status", nil)
	req.SetBasicAuth("ck_x", "cs_x")
	resp, err := client.Do(req)
	if err != nil {
		t.Fatalf("TLS request with the written CA: %v", err)
	}
	var ss struct {
		Environment struct {
			Version string `json:"version"`
		} `json:"environment"`
	}
	err = json.NewDecoder(resp.Body).Decode(&ss)
	resp.Body.Close()
	if err != nil || ss.Environment.Version != "6.9.0" {
		t.Fatalf("system_status version %q (%v)", ss.Environment.Version, err)
	}
	req, _ = http.NewRequest(http.MethodGet, base+"/wp-json/wc/v3/products?per_page=1", nil)
	req.SetBasicAuth("ck_x", "cs_x")
	resp, err = client.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if got := resp.Header.Get("X-WP-Total"); got != "52" { // 20 generated + the lab catalog's 32 (trash excluded)
		t.Errorf("X-WP-Total %q, want 52", got)
	}
	cancel()
	if err := <-done; err != nil {
		t.Fatalf("run after cancel: %v", err)
	}
}

func TestRunFlags(t *testing.T) {
	tests := []struct {
		name    string
		args    []string
		wantErr string
	}{
		{"unknown flag", []string{"--nope"}, "flag provided but not defined"},
		{"ca-out without tls", []string{"--ca-out", "x.pem"}, "--ca-out needs --tls"},
		{"negative products", []string{"--products", "-1"}, "must not be negative"},
		{"stray argument", []string{"serve"}, "unexpected argument"},
		{"bad listen", []string{"--listen", "256.0.0.1:99999"}, "listen"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := run(context.Background(), tt.args, io.Discard, io.Discard)
			if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
				t.Fatalf("err %v, want %q", err, tt.wantErr)
			}
		})
	}
}

func TestRunPlainHTTPStopsOnCancel(t *testing.T) {
	base, cancel, done := startRun(t, "--listen", "127.0.0.1:0", "--plain-permalinks")
	client := &http.Client{Timeout: 5 * time.Second, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	resp, err := client.Get(base + "/wp-json/")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusMovedPermanently || resp.Header.Get("X-Redirect-By") != "WordPress" {
		t.Errorf("plain permalinks: %d %q", resp.StatusCode, resp.Header.Get("X-Redirect-By"))
	}
	cancel()
	select {
	case err := <-done:
		if err != nil {
			t.Fatal(err)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("run did not stop")
	}
}
