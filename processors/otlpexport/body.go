package otlpexport

import (
	"compress/gzip"
	"errors"
	"io"
	"sync"
)

// errBodyReleased fails a read of a request body after its request is done.
var errBodyReleased = errors.New("otlpexport: request body read after its request ended")

// body is a request body held in a buffer that the exporter reuses for the
// next request once this one is done. The transport may still read a body
// after the client has returned (from a server that replied before reading
// it all); after release such a read fails, so that it never sends what
// the buffer holds by then. Reads copy under a lock and never block on the
// network, so release never waits on a stalled connection.
type body struct {
	mu   sync.Mutex
	buf  []byte
	done bool
}

// reader returns a reader of the whole body, for a request or a redirect.
func (b *body) reader() io.ReadCloser { return &bodyReader{body: b} }

// release ends every reader's access to the buffer.
func (b *body) release() {
	b.mu.Lock()
	b.done = true
	b.mu.Unlock()
}

type bodyReader struct {
	body *body
	off  int
}

func (r *bodyReader) Read(p []byte) (int, error) {
	b := r.body
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.done {
		return 0, errBodyReleased
	}
	if r.off >= len(b.buf) {
		return 0, io.EOF
	}
	n := copy(p, b.buf[r.off:])
	r.off += n
	return n, nil
}

func (r *bodyReader) Close() error { return nil }

// maxSpareBuffer is the largest buffer kept for the next request: enough
// for a batch of DefaultBatchSize spans of a few KiB each, uncompressed,
// without holding on to the memory of an occasional huge batch.
const maxSpareBuffer = 4 << 20

// reqBuffers are the buffers of one request: the encoding and, with gzip,
// its compression (the body) and the compressor.
type reqBuffers struct {
	raw, gz []byte
	zw      *gzip.Writer
}

// buffers returns the spare buffers of the last request, or new ones. A
// free list of one rather than a sync.Pool: a pool loses what it holds at
// every other garbage collection, and an export allocates enough to start
// one (a compressor alone is about 1 MiB).
func (p *poster) buffers() *reqBuffers {
	select {
	case b := <-p.spare:
		return b
	default:
		return &reqBuffers{}
	}
}

// keep makes b the spare buffers, unless there is one already. Buffers
// grown past maxSpareBuffer are dropped.
func (p *poster) keep(b *reqBuffers) {
	if cap(b.raw) > maxSpareBuffer {
		b.raw = nil
	}
	if cap(b.gz) > maxSpareBuffer {
		b.gz = nil
	}
	select {
	case p.spare <- b:
	default:
	}
}
