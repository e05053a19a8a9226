package woosim

import (
	"net/http"
	"net/url"
	"strconv"
	"time"
)

func (s *Sim) serveWebhooks(req *request) reply {
	return serveResource(req, s.webhooksCollection, s.webhookItem)
}

var webhookStatuses = map[string]bool{"active": true, "paused": true, "disabled": true}

func (s *Sim) webhooksCollection(req *request) reply {
	if req.method == http.MethodPost {
		if !req.authed {
			return errCannotCreate()
		}
		s.mu.Lock()
		w, e := s.createWebhook(req.body, s.now().UTC().Truncate(time.Second))
		if e != nil {
			s.mu.Unlock()
			return errReply(e)
		}
		ping := w.Status == "active"
		id := w.ID
		s.mu.Unlock()
		if ping {
			// WooCommerce pings the delivery URL synchronously; the answer is
			// ignored by REST (201 either way) but a 200 clears pending_delivery.
			s.sender.ping(req.r.Context(), id)
		}
		s.mu.Lock()
		defer s.mu.Unlock()
		return created(reply{body: s.renderWebhook(req.rb, w)}, req.rb.url("/wc/v3/webhooks/"+strconv.FormatInt(id, 10)))
	}
	page, perPage, r, ok := listParams(req)
	if !ok {
		return r
	}
	status := req.q.value("status")
	s.mu.Lock()
	defer s.mu.Unlock()
	var matched []*Webhook
	for i := len(s.st.webhookIDs) - 1; i >= 0; i-- {
		w := s.st.webhooks[s.st.webhookIDs[i]]
		if w == nil || (status != "" && status != "all" && w.Status != status) {
			continue
		}
		matched = append(matched, w)
	}
	items, total, pages := paginate(matched, page, perPage)
	fields := fieldsOf(req.q)
	out := make([]obj, len(items))
	for i, w := range items {
		out[i] = project(s.renderWebhook(req.rb, w), fields)
	}
	return listReply(out, total, pages, page)
}

func (s *Sim) createWebhook(body map[string]any, now time.Time) (*Webhook, *restError) {
	w := &Webhook{Status: "active", APIVersion: "wp_api_v3", DateCreated: now, PendingDelivery: true}
	if e := s.applyWebhookFields(w, body); e != nil {
		return nil, e
	}
	if w.Topic == "" {
		return nil, &restError{400, "rest_missing_callback_param", "Missing parameter(s): topic, delivery_url", nil}
	}
	if w.Secret == "" {
		w.Secret = s.wpHash("webhook-secret-" + strconv.FormatInt(now.UnixNano(), 10))
	}
	if w.Name == "" {
		w.Name = "Webhook created on " + now.Format("Jan 02, 2006 @ 03:04 PM")
	}
	w.ID = s.st.nextWebhookID
	s.st.nextWebhookID++
	s.st.webhooks[w.ID] = w
	s.st.webhookIDs = append(s.st.webhookIDs, w.ID)
	return w, nil
}

func (s *Sim) applyWebhookFields(w *Webhook, body map[string]any) *restError {
	if v, ok := body["topic"].(string); ok {
		if _, known := webhookHooks[v]; !known && v != "action.woocommerce_update_product" {
			return invalidParam("topic", "rest_invalid_param", "Webhook topic is invalid.")
		}
		w.Topic = v
	}
	if v, ok := body["delivery_url"].(string); ok {
		u, err := url.Parse(v)
		if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
			return invalidParam("delivery_url", "rest_invalid_param", "Webhook delivery URL must be a valid URL starting with http:// or https://.")
		}
		if w.DeliveryURL != v {
			w.PendingDelivery = true
		}
		w.DeliveryURL = v
	} else if w.DeliveryURL == "" {
		return &restError{400, "rest_missing_callback_param", "Missing parameter(s): delivery_url", nil}
	}
	if v, ok := body["name"].(string); ok {
		w.Name = v
	}
	if v, ok := body["secret"].(string); ok && v != "" {
		w.Secret = v
	}
	if v, ok := body["status"].(string); ok {
		if !webhookStatuses[v] {
			v = "disabled" // WC_Webhook::set_status
		}
		if v == "active" && w.Status != "active" {
			w.FailureCount = 0
		}
		w.Status = v
	}
	return nil
}

func (s *Sim) webhookItem(req *request, id int64) reply {
	if !req.authed {
		return errCannotItem(req.method)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	w := s.st.webhooks[id]
	if w == nil {
		return errReply(&restError{404, "woocommerce_rest_webhook_invalid_id", "Invalid ID.", nil})
	}
	now := s.now().UTC().Truncate(time.Second)
	switch req.method {
	case http.MethodGet:
		return reply{body: project(s.renderWebhook(req.rb, w), fieldsOf(req.q))}
	case http.MethodPost, http.MethodPut, http.MethodPatch:
		if e := s.applyWebhookFields(w, req.body); e != nil {
			return errReply(e)
		}
		w.DateModified = &now
		return reply{body: s.renderWebhook(req.rb, w)}
	case http.MethodDelete:
		if force, _ := asBool(req.q.value("force")); !force {
			return errReply(&restError{501, "woocommerce_rest_trash_not_supported", "Webhooks do not support trashing.", nil})
		}
		body := s.renderWebhook(req.rb, w)
		delete(s.st.webhooks, id)
		for i, x := range s.st.webhookIDs {
			if x == id {
				s.st.webhookIDs = append(s.st.webhookIDs[:i:i], s.st.webhookIDs[i+1:]...)
				break
			}
		}
		return reply{body: body}
	}
	return errReply(errNoRoute())
}

// CreateWebhook adds a webhook as the plugin (or wp-admin) would, without the
// REST creation ping. Status defaults to active.
func (s *Sim) CreateWebhook(name, topic, deliveryURL, secret string) (int64, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	w, e := s.createWebhook(map[string]any{"name": name, "topic": topic, "delivery_url": deliveryURL, "secret": secret},
		s.now().UTC().Truncate(time.Second))
	if e != nil {
		return 0, &APIError{Status: e.status, Code: e.code, Message: e.message}
	}
	return w.ID, nil
}

// SetWebhookStatus changes a webhook's status (active re-enables and clears
// its failure count, like saving it in wp-admin).
func (s *Sim) SetWebhookStatus(id int64, status string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	w := s.st.webhooks[id]
	if w == nil {
		return ErrNotFound
	}
	if e := s.applyWebhookFields(w, map[string]any{"status": status}); e != nil {
		return &APIError{Status: e.status, Code: e.code, Message: e.message}
	}
	return nil
}

// APIError is a WooCommerce REST error returned by a store-side action.
type APIError struct {
	Status  int
	Code    string
	Message string
}

// Error implements error.
func (e *APIError) Error() string {
	return "woosim: " + strconv.Itoa(e.Status) + " " + e.Code + ": " + e.Message
}
