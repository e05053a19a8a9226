package store

import (
	"bytes"
	"compress/flate"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"runtime"
)

// Inbox record layout: one format byte, a 4-byte big-endian header length,
// the JSON header, then the body. Format 1 stores the body deflated: webhook
// payloads are repetitive JSON that shrinks about fourfold, so the inbox
// writes, fsyncs and maps a quarter of the pages. The body comes back
// byte-exact.
const (
	recordRaw     = 0
	recordDeflate = 1
)

// eventCodec owns one deflate writer per CPU (each holds about 1 MiB of
// tables), so 64 concurrent deliveries do not mean 64 MiB of compressors.
type eventCodec struct {
	writers chan *flate.Writer
}

func newEventCodec() *eventCodec {
	n := runtime.GOMAXPROCS(0)
	c := &eventCodec{writers: make(chan *flate.Writer, n)}
	for range n {
		w, _ := flate.NewWriter(nil, flate.BestSpeed)
		c.writers <- w
	}
	return c
}

func (c *eventCodec) encode(ev *Event) ([]byte, error) {
	hdr, err := json.Marshal(ev)
	if err != nil {
		return nil, err
	}
	buf := bytes.NewBuffer(make([]byte, 0, 5+len(hdr)+len(ev.Body)/2))
	buf.WriteByte(recordDeflate)
	var n [4]byte
	binary.BigEndian.PutUint32(n[:], uint32(len(hdr)))
	buf.Write(n[:])
	buf.Write(hdr)
	w := <-c.writers
	defer func() { c.writers <- w }()
	w.Reset(buf)
	if _, err := w.Write(ev.Body); err != nil {
		return nil, err
	}
	if err := w.Close(); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

func (c *eventCodec) decode(v []byte) (Event, error) {
	var ev Event
	if len(v) < 5 {
		return ev, errors.New("short record")
	}
	format, n := v[0], int(binary.BigEndian.Uint32(v[1:5]))
	if 5+n > len(v) {
		return ev, errors.New("truncated record")
	}
	if err := json.Unmarshal(v[5:5+n], &ev); err != nil {
		return ev, err
	}
	rest := v[5+n:]
	switch format {
	case recordRaw:
		ev.Body = clone(rest)
	case recordDeflate:
		body, err := io.ReadAll(flate.NewReader(bytes.NewReader(rest)))
		if err != nil {
			return ev, fmt.Errorf("inflate body: %w", err)
		}
		ev.Body = body
	default:
		return ev, fmt.Errorf("unknown record format %d", format)
	}
	return ev, nil
}
