package woosim

import (
	"bytes"
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/oncloudwine/ocw-woocommerce/sidecar/internal/backoff"
)

// delivery is one queued webhook delivery (WooCommerce's Action Scheduler
// action woocommerce_deliver_webhook_async with args webhook_id and arg).
type delivery struct {
	webhookID, resourceID int64
	due                   time.Time
	traffic               uint64 // request count when queued (Options.WebhooksOnTraffic)
}

type deliveryKey struct{ webhook, resource int64 }

// sender delivers webhooks asynchronously, one at a time, like the Action
// Scheduler queue runner does.
type sender struct {
	s      *Sim
	client *http.Client

	mu      sync.Mutex
	queue   []delivery
	pending map[deliveryKey]bool
	traffic uint64 // requests answered so far

	wake     chan struct{}
	ctx      context.Context
	cancel   context.CancelFunc
	finished chan struct{}
	stopOnce sync.Once
}

func newSender(s *Sim, client *http.Client) *sender {
	ctx, cancel := context.WithCancel(context.Background())
	return &sender{s: s, client: client, pending: map[deliveryKey]bool{}, wake: make(chan struct{}, 1),
		ctx: ctx, cancel: cancel, finished: make(chan struct{})}
}

func (d *sender) stop() {
	d.stopOnce.Do(func() {
		d.cancel()
		<-d.finished
	})
}

// enqueue queues a delivery to every active webhook of topic; a delivery
// already pending for the same webhook and resource absorbs this change.
// Callers hold s.mu.
func (d *sender) enqueue(topic string, resourceID int64) {
	st := d.s.st
	due := time.Now().Add(d.s.opts.WebhookDelay)
	d.mu.Lock()
	added := false
	for _, id := range st.webhookIDs {
		w := st.webhooks[id]
		if w == nil || w.Status != "active" || w.Topic != topic {
			continue
		}
		k := deliveryKey{w.ID, resourceID}
		if d.pending[k] {
			continue
		}
		d.pending[k] = true
		d.queue = append(d.queue, delivery{webhookID: w.ID, resourceID: resourceID, due: due, traffic: d.traffic})
		added = true
	}
	d.mu.Unlock()
	if added {
		select {
		case d.wake <- struct{}{}:
		default:
		}
	}
}

// sawTraffic counts an answered request; with Options.WebhooksOnTraffic it
// lets the deliveries queued before it go.
func (d *sender) sawTraffic() {
	d.mu.Lock()
	d.traffic++
	d.mu.Unlock()
	select {
	case d.wake <- struct{}{}:
	default:
	}
}

// Pending reports how many webhook deliveries are queued and not yet sent.
func (s *Sim) Pending() int {
	s.sender.mu.Lock()
	defer s.sender.mu.Unlock()
	return len(s.sender.queue)
}

func (d *sender) run() {
	defer close(d.finished)
	for {
		d.mu.Lock()
		if len(d.queue) == 0 {
			d.mu.Unlock()
			select {
			case <-d.wake:
				continue
			case <-d.ctx.Done():
				return
			}
		}
		next := d.queue[0]
		if d.s.opts.WebhooksOnTraffic && next.traffic >= d.traffic {
			// Action Scheduler runs from WP-Cron, which only a later request spawns.
			d.mu.Unlock()
			select {
			case <-d.wake:
				continue
			case <-d.ctx.Done():
				return
			}
		}
		d.mu.Unlock()
		if wait := time.Until(next.due); wait > 0 && backoff.Sleep(d.ctx, wait, nil) != nil {
			return
		}
		d.mu.Lock()
		d.queue = d.queue[1:]
		delete(d.pending, deliveryKey{next.webhookID, next.resourceID})
		d.mu.Unlock()
		d.deliver(next)
	}
}

// outgoing is a prepared delivery request.
type outgoing struct {
	url     string
	body    []byte
	headers http.Header
}

// prepare builds the delivery at delivery time (current state), as
// WC_Webhook::deliver does; ok is false when there is nothing to send.
func (d *sender) prepare(dl delivery) (out outgoing, ok bool) {
	s := d.s
	s.mu.Lock()
	defer s.mu.Unlock()
	w := s.st.webhooks[dl.webhookID]
	if w == nil || w.Status != "active" {
		return out, false
	}
	home := s.homeURL(nil)
	rb := restBase{home: home, plain: s.plain.Load()}
	resource, event, _ := strings.Cut(w.Topic, ".")
	var payload any
	switch {
	case event == "deleted":
		payload = obj{{"id", dl.resourceID}}
	case resource == "product":
		p := s.st.products[dl.resourceID]
		if p == nil {
			return out, false
		}
		payload = s.renderProduct(rb, p)
	case resource == "order":
		o := s.st.orders[dl.resourceID]
		if o == nil {
			return out, false
		}
		payload = s.renderOrder(rb, o)
	case resource == "customer":
		c := s.st.customers[dl.resourceID]
		if c == nil {
			return out, false
		}
		payload = s.renderCustomer(rb, c)
	default:
		payload = obj{{"id", dl.resourceID}}
	}
	body := phpJSON(payload)
	mac := hmac.New(sha256.New, []byte(w.Secret))
	mac.Write(body)
	h := http.Header{}
	h.Set("User-Agent", s.userAgent())
	h.Set("Content-Type", "application/json")
	h.Set("X-WC-Webhook-Source", home+"/")
	h.Set("X-WC-Webhook-Topic", w.Topic)
	h.Set("X-WC-Webhook-Resource", resource)
	h.Set("X-WC-Webhook-Event", event)
	h.Set("X-WC-Webhook-Signature", base64.StdEncoding.EncodeToString(mac.Sum(nil)))
	h.Set("X-WC-Webhook-ID", strconv.FormatInt(w.ID, 10))
	// wp_hash( webhook_id . time() ): the same id for every delivery of this
	// webhook within one second.
	h.Set("X-WC-Webhook-Delivery-ID", s.wpHash(strconv.FormatInt(w.ID, 10)+strconv.FormatInt(s.now().Unix(), 10)))
	if !s.modern() {
		h.Set("Referer", w.DeliveryURL) // WordPress 6.1's Requests sends it
	}
	return outgoing{url: w.DeliveryURL, body: body, headers: h}, true
}

func (s *Sim) userAgent() string {
	return "WooCommerce/" + s.opts.WCVersion + " Hookshot (WordPress/" + wpVersionFor(s.opts.WCVersion) + ")"
}

func (d *sender) deliver(dl delivery) {
	out, ok := d.prepare(dl)
	if !ok {
		return
	}
	code, err := d.post(d.ctx, out)
	if d.ctx.Err() != nil {
		return
	}
	s := d.s
	s.mu.Lock()
	defer s.mu.Unlock()
	w := s.st.webhooks[dl.webhookID]
	if w == nil {
		return
	}
	if err != nil || code < 200 || code > 302 {
		// WC_Webhook::failed_delivery: disabled once the count is above 5,
		// i.e. on the 7th consecutive failure.
		if w.FailureCount > 5 {
			w.Status = "disabled"
		} else {
			w.FailureCount++
		}
		s.log.Info("webhook delivery failed", slogAttrs(w, code, err)...)
		return
	}
	w.FailureCount = 0
	w.PendingDelivery = false
	w.Deliveries++
}

func slogAttrs(w *Webhook, code int, err error) []any {
	a := []any{"webhook_id", w.ID, "topic", w.Topic, "status", w.Status, "failure_count", w.FailureCount, "code", code}
	if err != nil {
		a = append(a, "error", err.Error())
	}
	return a
}

// post sends one request and returns the answer's status code.
func (d *sender) post(ctx context.Context, out outgoing) (int, error) {
	if d.s.opts.RefuseUnsafeWebhookURLs && !d.s.safeURL(out.url) {
		return 0, fmt.Errorf("woosim: deliver: A valid URL was not provided")
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, out.url, bytes.NewReader(out.body))
	if err != nil {
		return 0, fmt.Errorf("woosim: deliver: %w", err)
	}
	req.Header = out.headers
	req.Header.Set("Accept", "*/*")
	req.Header.Set("Accept-Encoding", "deflate, gzip, br, zstd")
	req.Close = true
	resp, err := d.client.Do(req)
	if err != nil {
		return 0, fmt.Errorf("woosim: deliver: %w", err)
	}
	_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, 1<<20))
	_ = resp.Body.Close()
	return resp.StatusCode, nil
}

// safeURL is wp_http_validate_url's port rule: 80, 443, 8080 or the home port.
func (s *Sim) safeURL(raw string) bool {
	u, err := url.Parse(raw)
	if err != nil {
		return false
	}
	port := u.Port()
	if port == "" || port == "80" || port == "443" || port == "8080" {
		return true
	}
	hu, err := url.Parse(s.HomeURL())
	if err != nil {
		return false
	}
	hh, hp, _ := net.SplitHostPort(hu.Host)
	return hp == port && hh == u.Hostname()
}

// ping is WC_Webhook::deliver_ping: a form POST "webhook_id=N" without
// signature or topic headers. A 200 clears pending_delivery.
func (d *sender) ping(ctx context.Context, id int64) {
	s := d.s
	s.mu.Lock()
	w := s.st.webhooks[id]
	if w == nil {
		s.mu.Unlock()
		return
	}
	h := http.Header{}
	h.Set("User-Agent", s.userAgent())
	h.Set("Content-Type", "application/x-www-form-urlencoded")
	if !s.modern() {
		h.Set("Referer", w.DeliveryURL)
	}
	out := outgoing{url: w.DeliveryURL, body: []byte("webhook_id=" + strconv.FormatInt(id, 10)), headers: h}
	s.mu.Unlock()
	pctx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	code, err := d.post(pctx, out)
	s.mu.Lock()
	defer s.mu.Unlock()
	if w := s.st.webhooks[id]; w != nil && err == nil && code == http.StatusOK {
		w.PendingDelivery = false
	}
}
