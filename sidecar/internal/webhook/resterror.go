package webhook

import (
	"encoding/json"
	"strconv"
)

// RESTError is a WordPress REST error that WooCommerce delivered in place of
// the resource: {"code": "rest_no_route", "message": "…", "data": {"status": 404}}.
// WooCommerce ≥ 9.2 builds a delivery's payload with an internal REST request
// that fails when the request it runs in (a block-checkout order, say) did not
// load the wc/v3 namespace; the error it got is then what it signs and sends.
type RESTError struct {
	Code    string
	Message string
	Status  int
}

// ParseRESTError reports whether body is such an error: a JSON object
// without an "id", with a string "code", a string "message" and a "data"
// object holding an integer "status". A product or an order always has an id.
func ParseRESTError(body []byte) (RESTError, bool) {
	fields, err := topLevelFields(body, "id", "code", "message", "data")
	if err != nil || fields[0] != nil || fields[1] == nil || fields[2] == nil || fields[3] == nil {
		return RESTError{}, false
	}
	var re RESTError
	if json.Unmarshal(fields[1], &re.Code) != nil || re.Code == "" || json.Unmarshal(fields[2], &re.Message) != nil {
		return RESTError{}, false
	}
	var data struct {
		Status json.RawMessage `json:"status"`
	}
	if json.Unmarshal(fields[3], &data) != nil {
		return RESTError{}, false
	}
	status, err := strconv.Atoi(string(data.Status))
	if err != nil || status < 100 || status > 599 {
		return RESTError{}, false
	}
	re.Status = status
	return re, true
}
