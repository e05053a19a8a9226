// Package adminclient calls a running sidecar's admin API with the bearer
// token: the CLI subcommands (status, backup, sync) and the demo use it.
package adminclient

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"time"
)

// ErrNotRunning means nothing answers at the sidecar's address.
var ErrNotRunning = errors.New("no sidecar answers on OCW_LISTEN_ADDR")

// Client is an admin API client.
type Client struct {
	Base   string // http://host:port
	secret string
	http   *http.Client
}

// New returns a client for the sidecar listening on listenAddr; a wildcard
// host (0.0.0.0, ::) is reached on loopback.
func New(listenAddr, secret string) *Client {
	host, port, _ := net.SplitHostPort(listenAddr)
	if host == "" || host == "0.0.0.0" || host == "::" {
		host = "127.0.0.1"
	}
	return &Client{Base: "http://" + net.JoinHostPort(host, port), secret: secret, http: &http.Client{Timeout: 60 * time.Second}}
}

// APIError is an admin API error answer.
type APIError struct {
	Status  int
	Code    string `json:"code"`
	Message string `json:"message"`
	Fix     string `json:"fix"`
}

func (e *APIError) Error() string {
	return fmt.Sprintf("%d %s: %s %s", e.Status, e.Code, e.Message, e.Fix)
}

// Do sends body (JSON, nil for none) and decodes the answer into out: a
// pointer to decode JSON into, an io.Writer to copy the raw answer to, or nil.
func (c *Client) Do(ctx context.Context, method, path string, body, out any) error {
	var rd io.Reader
	if body != nil {
		b, err := json.Marshal(body)
		if err != nil {
			return err
		}
		rd = bytes.NewReader(b)
	}
	req, err := http.NewRequestWithContext(ctx, method, c.Base+path, rd)
	if err != nil {
		return err
	}
	req.Header.Set("Authorization", "Bearer "+c.secret)
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	resp, err := c.http.Do(req)
	if err != nil {
		var oe *net.OpError
		if errors.As(err, &oe) && oe.Op == "dial" {
			return fmt.Errorf("%w (%s): %w", ErrNotRunning, c.Base, err)
		}
		return fmt.Errorf("%s %s: %w", method, path, err)
	}
	defer resp.Body.Close()
	if resp.StatusCode >= 300 {
		var e struct {
			Error APIError `json:"error"`
		}
		_ = json.NewDecoder(resp.Body).Decode(&e)
		e.Error.Status = resp.StatusCode
		return fmt.Errorf("%s %s: %w", method, path, &e.Error)
	}
	switch o := out.(type) {
	case nil:
		return nil
	case io.Writer:
		_, err = io.Copy(o, resp.Body)
		return err
	default:
		return json.NewDecoder(resp.Body).Decode(out)
	}
}

// Healthy reports whether /healthz answers 200.
func (c *Client) Healthy(ctx context.Context) error {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, c.Base+"/healthz", nil)
	if err != nil {
		return err
	}
	resp, err := c.http.Do(req)
	if err != nil {
		return fmt.Errorf("healthcheck: %w", err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("healthcheck: /healthz answered %d", resp.StatusCode)
	}
	return nil
}

// WaitHealthy polls /healthz until it answers or within runs out.
func (c *Client) WaitHealthy(ctx context.Context, within time.Duration) error {
	deadline := time.Now().Add(within)
	tick := time.NewTicker(25 * time.Millisecond)
	defer tick.Stop()
	for {
		err := c.Healthy(ctx)
		if err == nil {
			return nil
		}
		if time.Now().After(deadline) {
			return fmt.Errorf("sidecar at %s not healthy within %s: %w", c.Base, within, err)
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-tick.C:
		}
	}
}
