// Package captures reads the webhook deliveries captured from real
// WooCommerce 10.0.2 and 6.9.0 in testdata/woocommerce, for tests, the fuzz
// seed corpus and benchmarks: headers and the raw body byte-exact.
package captures

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"runtime"
	"strings"
)

// LabSecret is the webhook secret the captured deliveries were signed with.
const LabSecret = "lab-webhook-secret"

// Delivery is one captured webhook delivery.
type Delivery struct {
	Name    string // version/file, e.g. 10.0.2/webhook-creation-ping.json
	Headers http.Header
	Body    []byte
	// Scrubbed deliveries had secrets (order_key) redacted inside the body
	// after signing; their X-WC-Webhook-Signature is recomputed with
	// LabSecret so they still verify.
	Scrubbed bool
}

// Root is testdata/woocommerce in this repository.
func Root() string {
	_, file, _, _ := runtime.Caller(0)
	return filepath.Join(filepath.Dir(file), "..", "..", "..", "testdata", "woocommerce")
}

// Load reads one capture, e.g. Load("10.0.2", "webhook-creation-ping.json").
func Load(version, name string) (Delivery, error) {
	path := filepath.Join(Root(), version, name)
	raw, err := os.ReadFile(path)
	if err != nil {
		return Delivery{}, fmt.Errorf("captures: %w", err)
	}
	var f struct {
		Request struct {
			Headers map[string]string `json:"headers"`
			RawBody string            `json:"raw_body"`
		} `json:"request"`
		Note string `json:"note"`
	}
	if err := json.Unmarshal(raw, &f); err != nil {
		return Delivery{}, fmt.Errorf("captures: %s: %w", path, err)
	}
	d := Delivery{Name: version + "/" + name, Headers: http.Header{}, Body: []byte(f.Request.RawBody), Scrubbed: strings.Contains(f.Note, "scrubbed")}
	for k, v := range f.Request.Headers {
		d.Headers.Set(k, v)
	}
	if d.Scrubbed {
		m := hmac.New(sha256.New, []byte(LabSecret))
		m.Write(d.Body)
		d.Headers.Set("X-WC-Webhook-Signature", base64.StdEncoding.EncodeToString(m.Sum(nil)))
	}
	return d, nil
}

// Deliveries reads every webhook-*.json capture of both versions.
func Deliveries() ([]Delivery, error) {
	paths, err := filepath.Glob(filepath.Join(Root(), "*", "webhook-*.json"))
	if err != nil {
		return nil, fmt.Errorf("captures: %w", err)
	}
	var out []Delivery
	for _, p := range paths {
		if filepath.Base(p) == "webhook-findings.json" {
			continue
		}
		d, err := Load(filepath.Base(filepath.Dir(p)), filepath.Base(p))
		if err != nil {
			return nil, err
		}
		out = append(out, d)
	}
	if len(out) == 0 {
		return nil, errors.New("captures: no webhook-*.json under " + Root())
	}
	return out, nil
}
