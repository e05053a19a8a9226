// Package metrics holds the sidecar's Prometheus collectors on a private
// registry (plus the Go and process collectors). Names carry the ocw_ prefix
// and base units; no label ever holds a SKU or an order id.
package metrics

import (
	"net/http"
	"runtime"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"
)

// Delivery results, the values of ocw_webhook_deliveries_total{result}.
const (
	ResultStored       = "stored"
	ResultDuplicate    = "duplicate"
	ResultPing         = "ping"
	ResultIgnored      = "ignored"
	ResultBadSignature = "bad_signature"
	ResultMalformed    = "malformed"
	ResultTooLarge     = "too_large"
	ResultBusy         = "busy"
	ResultError        = "error"
	ResultRESTError    = "rest_error"
)

// Metrics are the collectors the sidecar updates.
type Metrics struct {
	registry   *prometheus.Registry
	deliveries *prometheus.CounterVec
	commit     prometheus.Histogram
}

// New registers every collector. inboxDepth is read at scrape time.
func New(version string, inboxDepth func() float64) *Metrics {
	reg := prometheus.NewRegistry()
	m := &Metrics{
		registry: reg,
		deliveries: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "ocw_webhook_deliveries_total",
			Help: "WooCommerce webhook deliveries received, by result.",
		}, []string{"result"}),
		commit: prometheus.NewHistogram(prometheus.HistogramOpts{
			Name:    "ocw_store_commit_seconds",
			Help:    "Duration of inbox group commits (fsync included).",
			Buckets: []float64{.0005, .001, .002, .004, .008, .016, .032, .064, .128, .256, .512, 1},
		}),
	}
	build := prometheus.NewGauge(prometheus.GaugeOpts{
		Name:        "ocw_build_info",
		Help:        "Build of the running sidecar (always 1).",
		ConstLabels: prometheus.Labels{"version": version, "goversion": runtime.Version()},
	})
	build.Set(1)
	depth := prometheus.NewGaugeFunc(prometheus.GaugeOpts{
		Name: "ocw_inbox_depth",
		Help: "Webhook events committed and not yet handled.",
	}, inboxDepth)
	reg.MustRegister(m.deliveries, m.commit, build, depth,
		collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	for _, r := range []string{ResultStored, ResultDuplicate, ResultPing, ResultIgnored, ResultBadSignature, ResultMalformed, ResultTooLarge, ResultBusy, ResultError, ResultRESTError} {
		m.deliveries.WithLabelValues(r)
	}
	return m
}

// Delivery counts one webhook request by result.
func (m *Metrics) Delivery(result string) { m.deliveries.WithLabelValues(result).Inc() }

// Commit observes one inbox group commit.
func (m *Metrics) Commit(d time.Duration, _ int) { m.commit.Observe(d.Seconds()) }

// Handler serves the Prometheus text format.
func (m *Metrics) Handler() http.Handler {
	return promhttp.HandlerFor(m.registry, promhttp.HandlerOpts{Registry: m.registry})
}
