package httpapi

import (
	"context"
	"fmt"
	"net/http"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/oncloudwine/ocw-woocommerce/sidecar/internal/store"
)

// SinceJobStarter queues a job that starts at a date
// (SYNC_WOOCOMMERCE_ORDERS). The engine implements it next to JobStarter.
type SinceJobStarter interface {
	StartJobSince(ctx context.Context, typ string, since time.Time) (store.Job, error)
}

// ParseSince reads a job's start date: RFC 3339, or a date (YYYY-MM-DD,
// midnight UTC).
func ParseSince(v string) (time.Time, error) {
	if t, err := time.Parse(time.RFC3339, v); err == nil {
		return t.UTC(), nil
	}
	t, err := time.Parse(time.DateOnly, v)
	if err != nil {
		return time.Time{}, fmt.Errorf("since %q is not a date (2026-11-01) or an RFC 3339 time (2026-11-01T00:00:00Z)", v)
	}
	return t, nil
}

func (s *Server) startJobSince(c echo.Context, req jobRequest) error {
	if req.Type != store.JobSyncOrders {
		return apiErr(http.StatusBadRequest, "invalid_param", fmt.Sprintf("since applies to SYNC_WOOCOMMERCE_ORDERS only, not %s.", req.Type), "Leave since out.")
	}
	since, err := ParseSince(req.Since)
	if err != nil {
		return apiErr(http.StatusBadRequest, "invalid_param", err.Error()+".", "Send since as 2026-11-01 or 2026-11-01T00:00:00Z.")
	}
	if since.After(time.Now()) {
		return apiErr(http.StatusBadRequest, "invalid_param", fmt.Sprintf("since %s is in the future.", req.Since), "Send a date in the past.")
	}
	starter, ok := s.deps.Jobs.(SinceJobStarter)
	if !ok {
		return notConfigured("order sync jobs")
	}
	job, err := starter.StartJobSince(c.Request().Context(), req.Type, since)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusAccepted, job)
}
