// Package webhook reads WooCommerce webhook deliveries: the creation ping,
// the HMAC-SHA256 signature over the raw body, and the few payload fields the
// inbox needs (resource id and date_modified_gmt) for content dedupe.
package webhook

import (
	"bytes"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"regexp"
	"strconv"
	"strings"
)

// Header names WooCommerce sends with every delivery.
const (
	HeaderSource     = "X-WC-Webhook-Source"
	HeaderTopic      = "X-WC-Webhook-Topic"
	HeaderResource   = "X-WC-Webhook-Resource"
	HeaderEvent      = "X-WC-Webhook-Event"
	HeaderSignature  = "X-WC-Webhook-Signature"
	HeaderID         = "X-WC-Webhook-ID"
	HeaderDeliveryID = "X-WC-Webhook-Delivery-ID"
)

// MaxBody is the largest delivery accepted (5 MiB).
const MaxBody = 5 << 20

// MaxPingBody is the largest creation ping: "webhook_id=" and an id.
const MaxPingBody = 64

var pingBody = regexp.MustCompile(`^webhook_id=[0-9]+$`)

// PlausibleSignature reports whether signature can be a base64 HMAC-SHA256 at
// all, so a request that cannot be authentic is refused before its body is read.
func PlausibleSignature(signature string) bool {
	if len(signature) > 128 {
		return false
	}
	raw, err := base64.StdEncoding.DecodeString(signature)
	return err == nil && len(raw) == sha256.Size
}

// IsPing reports whether a request is WooCommerce's creation ping: a form
// body "webhook_id=N" without a topic or a signature.
func IsPing(h http.Header, body []byte) bool {
	return h.Get(HeaderTopic) == "" && h.Get(HeaderSignature) == "" && pingBody.Match(bytes.TrimSpace(body))
}

// Sign returns base64(HMAC-SHA256(body, secret)), what WooCommerce puts in
// X-WC-Webhook-Signature.
func Sign(body, secret []byte) string {
	m := hmac.New(sha256.New, secret)
	m.Write(body)
	return base64.StdEncoding.EncodeToString(m.Sum(nil))
}

// Verify checks signature against the raw body in constant time.
func Verify(body []byte, signature string, secret []byte) bool {
	_, ok := VerifyMAC(body, signature, secret)
	return ok
}

// VerifyMAC is Verify that also returns the body's HMAC in hex when it matches.
func VerifyMAC(body []byte, signature string, secret []byte) (string, bool) {
	if signature == "" || len(secret) == 0 {
		return "", false
	}
	got, err := base64.StdEncoding.DecodeString(signature)
	if err != nil {
		return "", false
	}
	m := hmac.New(sha256.New, secret)
	m.Write(body)
	sum := m.Sum(nil)
	if !hmac.Equal(got, sum) {
		return "", false
	}
	return hex.EncodeToString(sum), true
}

// Delivery is a signed delivery's metadata and payload summary.
type Delivery struct {
	Topic       string
	Resource    string
	Event       string
	WebhookID   string
	DeliveryID  string
	Source      string
	ResourceID  int64
	ModifiedGMT string
	BodyHash    string
}

// Known reports whether the sidecar acts on this topic.
func (d Delivery) Known() bool {
	switch d.Resource {
	case "product", "order":
	default:
		return false
	}
	switch d.Event {
	case "created", "updated", "deleted", "restored":
		return true
	}
	return false
}

// ErrMalformed is wrapped by every payload error (answered 400).
var ErrMalformed = errors.New("malformed webhook payload")

// ParseHeaders reads the topic headers. Resource and event come from the
// topic when their own headers are missing.
func ParseHeaders(h http.Header) Delivery {
	d := Delivery{
		Topic: h.Get(HeaderTopic), Resource: h.Get(HeaderResource), Event: h.Get(HeaderEvent),
		WebhookID: h.Get(HeaderID), DeliveryID: h.Get(HeaderDeliveryID), Source: h.Get(HeaderSource),
	}
	if res, ev, ok := strings.Cut(d.Topic, "."); ok {
		if d.Resource == "" {
			d.Resource = res
		}
		if d.Event == "" {
			d.Event = ev
		}
	}
	return d
}

// ParseBody fills the resource id, date_modified_gmt and body hash. The body
// must be valid JSON (what json.Valid accepts): an object with a positive
// integer id. macHex is the
// delivery's verified HMAC in hex: it already identifies the body's content,
// so it serves as the body hash without hashing the body a second time.
func ParseBody(d *Delivery, body []byte, macHex string) error {
	fields, err := topLevelFields(body, "id", "date_modified_gmt")
	if err != nil {
		return fmt.Errorf("%w: %v", ErrMalformed, err)
	}
	rawID := fields[0]
	if rawID == nil {
		return fmt.Errorf("%w: no \"id\" field", ErrMalformed)
	}
	id, err := strconv.ParseInt(string(rawID), 10, 64)
	if err != nil || id <= 0 {
		return fmt.Errorf("%w: \"id\" is not a positive integer (%s)", ErrMalformed, rawID)
	}
	d.ResourceID = id
	d.ModifiedGMT = ""
	if raw := fields[1]; raw != nil && raw[0] == '"' {
		if err := json.Unmarshal(raw, &d.ModifiedGMT); err != nil {
			return fmt.Errorf("%w: date_modified_gmt: %v", ErrMalformed, err)
		}
	}
	d.BodyHash = macHex
	return nil
}
