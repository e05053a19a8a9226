// Package ocwsim simulates the OnCloudWine API (docs/oncloudwine-api.md) for
// tests, the demo and people trying the sidecar: in process through
// Sim.Handler, or standalone as the ocw-api-sim command.
//
// It behaves like a careful production API: bearer-token auth, strict
// validation (unknown fields, bad values and oversize batches are refused with
// {"error": {"code", "message"}}), Stripe-like idempotency (same key and body
// → the stored answer replayed, same key and another body → 422), and state
// that tests can read back. Faults can be injected: down (503), rate limited
// (429 with Retry-After), slow, and a 500 sent after the change was applied.
//
// It deliberately shares no code with the client package, so the two are
// independent readings of the same contract.
package ocwsim
