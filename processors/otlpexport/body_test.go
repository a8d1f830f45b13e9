package otlpexport

import (
	"io"
	"testing"
)

// TestBodyReleased checks that a request body reads its buffer until it is
// released, and fails every read after, so that a transport still reading
// a finished request never sends the next request's bytes.
func TestBodyReleased(t *testing.T) {
	b := &body{buf: []byte("first request")}
	got, err := io.ReadAll(b.reader())
	if err != nil || string(got) != "first request" {
		t.Fatalf("ReadAll = %q, %v", got, err)
	}
	late := b.reader()
	p := make([]byte, 5)
	if n, err := late.Read(p); n != 5 || err != nil {
		t.Fatalf("Read = %d, %v", n, err)
	}
	b.release()
	copy(b.buf, "NEXT REQUEST!")
	if n, err := late.Read(p); n != 0 || err != errBodyReleased {
		t.Errorf("Read after release = %d, %v; want 0, errBodyReleased", n, err)
	}
	if n, err := b.reader().Read(p); n != 0 || err != errBodyReleased {
		t.Errorf("new reader after release: Read = %d, %v", n, err)
	}
}
