package httpapi

import (
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"strconv"

	"github.com/labstack/echo/v4"

	"github.com/oncloudwine/ocw-woocommerce/sidecar/internal/metrics"
	"github.com/oncloudwine/ocw-woocommerce/sidecar/internal/store"
	"github.com/oncloudwine/ocw-woocommerce/sidecar/internal/webhook"
)

var (
	pingAnswer    = []byte(`{"ok":true,"ping":true}`)
	ignoredAnswer = []byte(`{"ok":true,"ignored":true}`)
	// restErrorAnswer acknowledges a WordPress REST error delivered in place
	// of the resource: it is not the store's data, and a 4xx would count a
	// failure against the webhook (WooCommerce disables it after a few).
	restErrorAnswer = []byte(`{"ok":true,"rest_error":true}`)
)

// webhook takes a WooCommerce delivery: the creation ping is answered 200;
// a signed delivery is answered 200 only once its event is committed.
// Before any body byte is read, a request that cannot be authentic (no
// signature and more than a ping, or a signature that is no HMAC-SHA256) is
// refused, and the body must fit the budget of bytes being read at once.
func (s *Server) webhook(c echo.Context) error {
	r := c.Request()
	sig := r.Header.Get(webhook.HeaderSignature)
	limit := int64(webhook.MaxBody)
	if sig == "" {
		limit = webhook.MaxPingBody // only the creation ping comes unsigned
	} else if !webhook.PlausibleSignature(sig) {
		s.count(metrics.ResultBadSignature)
		return badSignature()
	}
	if r.ContentLength > limit {
		if sig == "" {
			s.count(metrics.ResultBadSignature)
			return badSignature()
		}
		s.count(metrics.ResultTooLarge)
		return tooLarge()
	}
	reserve := r.ContentLength
	if reserve < 0 {
		reserve = limit
	}
	if !s.budget.tryReserve(reserve) {
		s.count(metrics.ResultBusy)
		c.Response().Header().Set("Retry-After", "5")
		return apiErr(http.StatusServiceUnavailable, "busy", "Too many large deliveries are being read at once.", "WooCommerce retries the delivery; nothing is lost.")
	}
	defer s.budget.release(reserve)

	body, err := readBody(r, limit)
	if err != nil {
		if sig == "" {
			s.count(metrics.ResultBadSignature)
			return badSignature()
		}
		s.count(metrics.ResultTooLarge)
		return err
	}
	h := r.Header
	if sig == "" {
		if webhook.IsPing(h, body) {
			s.count(metrics.ResultPing)
			return c.JSONBlob(http.StatusOK, pingAnswer)
		}
		s.count(metrics.ResultBadSignature)
		return badSignature()
	}
	mac, ok := webhook.VerifyMAC(body, sig, s.deps.Secret)
	if !ok {
		s.count(metrics.ResultBadSignature)
		return badSignature()
	}
	d := webhook.ParseHeaders(h)
	if !d.Known() {
		s.count(metrics.ResultIgnored)
		return c.JSONBlob(http.StatusOK, ignoredAnswer)
	}
	if err := webhook.ParseBody(&d, body, mac); err != nil {
		// A WordPress REST error where the resource should be (it has no id,
		// so it never parses as one): checked only here, off the hot path.
		if re, ok := webhook.ParseRESTError(body); ok {
			if err := s.restError(c, d, re); err != nil {
				s.count(metrics.ResultError)
				return apiErr(http.StatusServiceUnavailable, "not_stored", "The delivery could not be recorded: "+err.Error(), "Check the data directory's disk space and permissions.")
			}
			s.count(metrics.ResultRESTError)
			return c.JSONBlob(http.StatusOK, restErrorAnswer)
		}
		s.count(metrics.ResultMalformed)
		return apiErr(http.StatusBadRequest, "malformed_payload", err.Error(), "WooCommerce sends JSON objects with an id; check what posts to this URL.")
	}
	ev := &store.Event{
		Topic: d.Topic, Resource: d.Resource, Action: d.Event, WebhookID: d.WebhookID, DeliveryID: d.DeliveryID,
		Source: d.Source, ResourceID: d.ResourceID, ModifiedGMT: d.ModifiedGMT, BodyHash: d.BodyHash, Body: body,
	}
	res, err := s.deps.Store.Ingest(c.Request().Context(), ev)
	if err != nil {
		s.count(metrics.ResultError)
		return apiErr(http.StatusServiceUnavailable, "not_stored", "The delivery could not be stored: "+err.Error(), "Check the data directory's disk space and permissions.")
	}
	result := metrics.ResultStored
	if res.Duplicate {
		result = metrics.ResultDuplicate
	}
	s.count(result)
	return c.JSONBlob(http.StatusOK, fmt.Appendf(nil, `{"ok":true,"seq":%d,"duplicate":%s}`, res.Seq, strconv.FormatBool(res.Duplicate)))
}

// maxActivityText bounds what a delivery's own text adds to an activity line.
const maxActivityText = 200

// restError records a REST error delivered in place of the resource and asks
// for that resource to be caught up now: the change it announced is read from
// WooCommerce instead.
// It is acknowledged only once its activity line is durable.
func (s *Server) restError(c echo.Context, d webhook.Delivery, re webhook.RESTError) error {
	line := fmt.Sprintf("Webhook %s (webhook %s) delivered a WordPress REST error instead of the %s: %s — %s (HTTP %d). "+
		"The delivery was acknowledged; the %s is caught up from WooCommerce now.",
		d.Topic, d.WebhookID, d.Resource, truncate(re.Code), truncate(re.Message), re.Status, d.Resource)
	if err := s.deps.Store.LogActivity("warn", line); err != nil {
		return fmt.Errorf("activity log: %w", err)
	}
	s.deps.Logger.WarnContext(c.Request().Context(), "webhook delivered a REST error", slog.String("topic", d.Topic),
		slog.String("webhook_id", d.WebhookID), slog.String("code", re.Code), slog.Int("status", re.Status))
	if s.deps.CatchUp != nil {
		s.deps.CatchUp.CatchUp(c.Request().Context(), d.Resource)
	}
	return nil
}

// truncate keeps at most maxActivityText runes of a text a delivery carried.
func truncate(text string) string {
	r := []rune(text)
	if len(r) <= maxActivityText {
		return text
	}
	return string(r[:maxActivityText]) + "…"
}

func (s *Server) count(result string) {
	if s.deps.Metrics != nil {
		s.deps.Metrics.Delivery(result)
	}
}

func tooLarge() *APIError {
	return apiErr(http.StatusRequestEntityTooLarge, "too_large", "The delivery is larger than 5 MiB.", "")
}

func badSignature() *APIError {
	return apiErr(http.StatusUnauthorized, "bad_signature", "Missing or wrong X-WC-Webhook-Signature.",
		"Set the webhook's secret to the sidecar's OCW_SHARED_SECRET (the plugin's Repair webhooks does it).")
}

// readBody reads at most limit bytes, sized by Content-Length when given.
func readBody(r *http.Request, limit int64) ([]byte, error) {
	if r.ContentLength > limit {
		return nil, tooLarge()
	}
	body := http.MaxBytesReader(nil, r.Body, limit)
	if r.ContentLength >= 0 {
		buf := make([]byte, r.ContentLength)
		if _, err := io.ReadFull(body, buf); err != nil {
			return nil, apiErr(http.StatusBadRequest, "short_body", "The body ended before Content-Length.", "")
		}
		return buf, nil
	}
	buf, err := io.ReadAll(body)
	if err != nil {
		var mbe *http.MaxBytesError
		if errors.As(err, &mbe) {
			return nil, tooLarge()
		}
		return nil, apiErr(http.StatusBadRequest, "unreadable_body", err.Error(), "")
	}
	return buf, nil
}
