package httpapi

import (
	"context"
	"fmt"
	"net/http"
	"time"

	"github.com/labstack/echo/v4"
)

// Backfiller brings in the release orders updated since a moment (the
// mirror; POST /v1/mirror/backfill).
type Backfiller interface {
	Backfill(ctx context.Context, since time.Time) (int, error)
}

type backfillRequest struct {
	Since string `json:"since"`
}

type backfillAnswer struct {
	Since            time.Time `json:"since"`
	NewReleaseOrders int       `json:"new_release_orders"`
}

// parseSince reads a date (2026-11-01, midnight UTC) or an RFC 3339 time.
func parseSince(v string) (time.Time, error) {
	if t, err := time.Parse(time.DateOnly, v); err == nil {
		return t, nil
	}
	return time.Parse(time.RFC3339, v)
}

func (s *Server) mirrorBackfill(c echo.Context) error {
	if s.deps.Mirror == nil {
		return notConfigured("mirror backfill")
	}
	var in backfillRequest
	if err := decodeJSON(c, &in); err != nil {
		return err
	}
	since, err := parseSince(in.Since)
	if err != nil {
		return apiErr(http.StatusUnprocessableEntity, "invalid_since", fmt.Sprintf("since %q is not a date.", in.Since), "Use a date such as 2026-11-01 or an RFC 3339 time such as 2026-11-01T08:00:00Z.")
	}
	eff, err := s.effective()
	if err != nil {
		return err
	}
	if !eff.MirrorReleaseOrders {
		return apiErr(http.StatusConflict, "mirror_off", "Mirroring release orders is off.", "Turn it on first (mirror_release_orders in the settings, or OCW_MIRROR_RELEASE_ORDERS=true).")
	}
	n, err := s.deps.Mirror.Backfill(c.Request().Context(), since)
	if err != nil {
		return apiErr(http.StatusBadGateway, "backfill_failed", err.Error(), "Check the OnCloudWine connection (OCW_API_URL, OCW_API_TOKEN) and try again; release orders already brought in are kept.")
	}
	return c.JSON(http.StatusOK, backfillAnswer{Since: since.UTC(), NewReleaseOrders: n})
}
