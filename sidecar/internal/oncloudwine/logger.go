package oncloudwine

import (
	"context"
	"log/slog"
)

// slogLeveled adapts a *slog.Logger to retryablehttp.LeveledLogger, so the
// library never writes to stderr on its own. Its "request failed" errors are
// logged as warnings: a failed attempt is retried, and the caller gets the
// final error.
type slogLeveled struct{ log *slog.Logger }

func (l slogLeveled) Error(msg string, kv ...any) {
	l.log.Log(context.Background(), slog.LevelWarn, msg, kv...)
}
func (l slogLeveled) Info(msg string, kv ...any)  { l.log.Info(msg, kv...) }
func (l slogLeveled) Debug(msg string, kv ...any) { l.log.Debug(msg, kv...) }
func (l slogLeveled) Warn(msg string, kv ...any)  { l.log.Warn(msg, kv...) }
