package woosim

import (
	"crypto/hmac"
	"crypto/md5"
	"encoding/hex"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

// Sim is a running WooCommerce simulator.
type Sim struct {
	opts   Options
	log    *slog.Logger
	now    func() time.Time
	salt   []byte
	sender *sender

	mu       sync.Mutex
	st       *state
	home     string // store home URL, fixed once known
	faults   []*Fault
	requests []RecordedRequest
	// plain is Options.PlainPermalinks as it is now (SetPlainPermalinks).
	plain atomic.Bool
}

// ErrNotFound is returned by the store-side actions for an unknown id.
var ErrNotFound = errors.New("woosim: no such product")

// New builds a simulator with its catalog and starts its webhook sender.
func New(opts Options) (*Sim, error) {
	if opts.WCVersion == "" {
		opts.WCVersion = "10.0.2"
	}
	if opts.Products < 0 || opts.Variations < 0 {
		return nil, fmt.Errorf("woosim.New: negative catalog size %d×%d", opts.Products, opts.Variations)
	}
	if opts.Products > 0 && opts.Variations == 0 {
		opts.Variations = 4
	}
	if opts.Logger == nil {
		opts.Logger = slog.New(slog.DiscardHandler)
	}
	if opts.Now == nil {
		opts.Now = time.Now
	}
	s := &Sim{opts: opts, log: opts.Logger, now: opts.Now, st: newState(), home: trimSlash(opts.HomeURL)}
	s.plain.Store(opts.PlainPermalinks)
	s.salt = []byte("woosim-salt-" + strconv.FormatInt(opts.Seed, 10))
	now := s.now().UTC().Truncate(time.Second)
	base := int64(10)
	if s.modern() {
		base = 11
	}
	seedLab(s.st, base, now.Add(-2*time.Hour))
	seedGenerated(s.st, opts.Products, opts.Variations, opts.Seed, now.Add(-time.Hour))
	client := opts.WebhookClient
	if client == nil {
		client = &http.Client{Timeout: 10 * time.Second}
	}
	noRedirect := *client
	noRedirect.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
	s.sender = newSender(s, &noRedirect)
	s.st.emit = s.sender.enqueue
	go s.sender.run()
	return s, nil
}

// SetPlainPermalinks switches the store's permalinks to "Plain" (true) or
// back to pretty ones, as an admin does under Settings → Permalinks.
func (s *Sim) SetPlainPermalinks(plain bool) { s.plain.Store(plain) }

// Close stops the webhook sender. It is safe to call more than once.
func (s *Sim) Close() { s.sender.stop() }

func trimSlash(u string) string {
	for len(u) > 0 && u[len(u)-1] == '/' {
		u = u[:len(u)-1]
	}
	return u
}

// homeURL is the store's home URL; it is learnt from the first request when
// Options.HomeURL is empty. Callers hold s.mu.
func (s *Sim) homeURL(r *http.Request) string {
	if s.home == "" && r != nil {
		scheme := "http"
		if r.TLS != nil {
			scheme = "https"
		}
		s.home = scheme + "://" + r.Host
	}
	if s.home == "" {
		return "http://127.0.0.1"
	}
	return s.home
}

// HomeURL returns the store's home URL ("" until known).
func (s *Sim) HomeURL() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.home
}

// wpHash is WordPress' wp_hash: HMAC-MD5 with the site's salt, hex.
func (s *Sim) wpHash(data string) string {
	m := hmac.New(md5.New, s.salt)
	m.Write([]byte(data))
	return hex.EncodeToString(m.Sum(nil))
}

// shortHash makes a stable 13-character token (order keys).
func shortHash(id int64) string {
	sum := md5.Sum([]byte("order-key-" + strconv.FormatInt(id, 10)))
	return hex.EncodeToString(sum[:])[:13]
}

// InjectFault adds a fault; see Fault.
func (s *Sim) InjectFault(f Fault) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.faults = append(s.faults, &f)
}

// Requests returns a copy of the requests answered so far (the newest
// 100,000 at least, once a long run has answered more than 200,000).
func (s *Sim) Requests() []RecordedRequest {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]RecordedRequest(nil), s.requests...)
}

// RequestCount counts the answered requests whose REST route starts with
// routePrefix (e.g. "/wc/v3/products"); "" counts every request.
func (s *Sim) RequestCount(routePrefix string) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	n := 0
	for _, r := range s.requests {
		if strings.HasPrefix(r.Route, routePrefix) {
			n++
		}
	}
	return n
}

// ResetRequests forgets the recorded requests.
func (s *Sim) ResetRequests() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.requests = nil
}

// Webhooks returns a copy of the store's webhooks, ids ascending.
func (s *Sim) Webhooks() []Webhook {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make([]Webhook, 0, len(s.st.webhookIDs))
	for _, id := range s.st.webhookIDs {
		if w := s.st.webhooks[id]; w != nil {
			out = append(out, *w)
		}
	}
	return out
}

// Product returns a copy of a product or variation.
func (s *Sim) Product(id int64) (Product, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	p := s.st.products[id]
	if p == nil {
		return Product{}, false
	}
	return copyProduct(p), true
}

// ProductBySKU returns a copy of the product or variation with that own SKU.
func (s *Sim) ProductBySKU(sku string) (Product, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	p := s.st.bySKU(sku)
	if p == nil {
		return Product{}, false
	}
	return copyProduct(p), true
}

// Order returns a copy of an order.
func (s *Sim) Order(id int64) (Order, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	o := s.st.orders[id]
	if o == nil {
		return Order{}, false
	}
	c := *o
	c.LineItems = append([]LineItem(nil), o.LineItems...)
	c.MetaData = append([]Meta(nil), o.MetaData...)
	return c, true
}

func copyProduct(p *Product) Product {
	c := *p
	if p.StockQuantity != nil {
		c.StockQuantity = intp(*p.StockQuantity)
	}
	c.Attributes = append([]Attribute(nil), p.Attributes...)
	c.Variations = append([]int64(nil), p.Variations...)
	c.MetaData = append([]Meta(nil), p.MetaData...)
	c.Categories = append([]Term(nil), p.Categories...)
	return c
}

// Counts returns how many products (not variations) and variations exist,
// trashed ones included.
func (s *Sim) Counts() (products, variations int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	products = len(s.st.top)
	return products, len(s.st.products) - products
}
