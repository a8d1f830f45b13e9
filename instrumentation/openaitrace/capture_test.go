package openaitrace

import (
	"bytes"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/agenttrace/agenttrace-go/spans"
)

// TestCaptureOverflow feeds an embeddings list larger than maxBody: the
// capture stays bounded and the span keeps the model, usage and vector
// length.
func TestCaptureOverflow(t *testing.T) {
	var b bytes.Buffer
	b.WriteString(`{"object":"list","data":[`)
	vec := "[" + strings.Repeat("0.0123456789,", 511) + "0.5]"
	for i := 0; b.Len() < maxBody+edgeSize*3; i++ {
		if i > 0 {
			b.WriteByte(',')
		}
		b.WriteString(`{"object":"embedding","index":0,"embedding":` + vec + `}`)
	}
	b.WriteString(`],"model":"text-embedding-3-large","usage":{"prompt_tokens":9000,"total_tokens":9000}}`)
	body := b.Bytes()

	var c capture
	for p := body; len(p) > 0; {
		n := min(len(p), 32<<10)
		c.write(p[:n])
		p = p[n:]
	}
	if !c.overflow || c.bytes() != nil {
		t.Fatal("the capture did not overflow")
	}
	if kept := len(c.head) + cap(c.tail); kept > 4*edgeSize {
		t.Errorf("the capture keeps %d bytes, want at most %d", kept, 4*edgeSize)
	}
	call := &call{ep: embeddings, emb: &spans.Embedding{Count: 3}}
	c.fillTail(call)
	want := &spans.Embedding{Model: "text-embedding-3-large", Count: 3, Dimensions: 512, Usage: &spans.Usage{Requests: 1, InputTokens: 9000, TotalTokens: 9000}}
	if diff := cmp.Diff(want, call.emb); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
}

func TestValueAfter(t *testing.T) {
	var s string
	if !valueAfter([]byte(`{"content":"say \"model\": no","model" : "m1"}`), "model", false, &s) || s != "m1" {
		t.Errorf("first model = %q, want m1", s)
	}
	if !valueAfter([]byte(`{"model":"a","x":{"model":"b"}}`), "model", true, &s) || s != "b" {
		t.Errorf("last model = %q, want b", s)
	}
	if valueAfter([]byte(`{"usage":`), "usage", true, &s) {
		t.Error("a cut value decoded")
	}
}
