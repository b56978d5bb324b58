package observe

import (
	"context"
	"io"
	"log/slog"
	"strconv"
	"sync"
	"time"
)

// lineWriter serialises the writes of the JSON handler NewLogger makes and
// of the lines Middleware encodes itself, so that lines from the two never
// interleave: each writes one whole line per Write.
type lineWriter struct {
	mu sync.Mutex
	w  io.Writer
}

// Write writes p under the lock.
func (l *lineWriter) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.w.Write(p)
}

// lineBuffers recycles the buffers lines are encoded into.
var lineBuffers = sync.Pool{New: func() any { b := make([]byte, 0, 512); return &b }}

// logAttrs logs msg with attrs at level, as log.LogAttrs does. When log is
// a logger NewLogger made (neither With nor WithGroup applied) and the
// record is one appendLine encodes, it writes the line itself, the bytes
// slog's JSONHandler would write, without building a slog.Record and
// walking it twice (SafeHandler's check, then the handler's encoding): the
// access line is most of Middleware's cost per request.
func logAttrs(ctx context.Context, log *slog.Logger, level slog.Level, msg string, attrs []slog.Attr) {
	if h, ok := log.Handler().(*safeHandler); ok && h.lines != nil {
		if !h.Enabled(ctx, level) {
			return
		}
		bp := lineBuffers.Get().(*[]byte)
		b, ok := appendLine((*bp)[:0], time.Now(), level, msg, attrs)
		if ok {
			_, _ = h.lines.Write(b)
		}
		*bp = b
		lineBuffers.Put(bp)
		if ok {
			return
		}
	}
	log.LogAttrs(ctx, level, msg, attrs...)
}

// appendLine appends the JSON line slog's JSONHandler writes for a record
// at t, behind SafeHandler, and reports whether it could: only for a time
// with a four-digit year, a level of its own name (INFO, WARN …), and a
// message and attributes that neither SafeHandler nor JSON would change —
// plain strings (printable ASCII without '"' and '\'), keys that name no
// secret, and values that are strings, integers, durations or booleans.
// Anything else is left to slog.
func appendLine(b []byte, t time.Time, level slog.Level, msg string, attrs []slog.Attr) ([]byte, bool) {
	if y := t.Year(); y < 0 || y >= 10000 {
		return b, false
	}
	switch level {
	case slog.LevelDebug, slog.LevelInfo, slog.LevelWarn, slog.LevelError:
	default:
		return b, false
	}
	if !plain(msg) {
		return b, false
	}
	start := len(b)
	b = append(b, `{"time":"`...)
	b = t.AppendFormat(b, time.RFC3339Nano)
	b = append(b, `","level":"`...)
	b = append(b, level.String()...)
	b = append(b, `","msg":"`...)
	b = append(b, msg...)
	b = append(b, '"')
	for _, a := range attrs {
		if a.Key == "" || !plain(a.Key) || isSecret(a.Key) {
			return b[:start], false
		}
		b = append(b, ',', '"')
		b = append(b, a.Key...)
		b = append(b, '"', ':')
		switch v := a.Value; v.Kind() {
		case slog.KindString:
			s := v.String()
			if !plain(s) {
				return b[:start], false
			}
			b = append(b, '"')
			b = append(b, s...)
			b = append(b, '"')
		case slog.KindInt64:
			b = strconv.AppendInt(b, v.Int64(), 10)
		case slog.KindUint64:
			b = strconv.AppendUint(b, v.Uint64(), 10)
		case slog.KindDuration:
			b = strconv.AppendInt(b, int64(v.Duration()), 10)
		case slog.KindBool:
			b = strconv.AppendBool(b, v.Bool())
		default:
			return b[:start], false
		}
	}
	return append(b, "}\n"...), true
}

// plain reports whether s is printable ASCII without '"' and '\', which
// both SafeHandler and a JSON string carry unchanged.
func plain(s string) bool {
	for i := 0; i < len(s); i++ {
		if c := s[i]; c < 0x20 || c > 0x7e || c == '"' || c == '\\' {
			return false
		}
	}
	return true
}
