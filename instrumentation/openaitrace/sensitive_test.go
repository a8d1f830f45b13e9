package openaitrace

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/openai/openai-go/v3"

	"github.com/agenttrace/agenttrace-go/processors"
	"github.com/agenttrace/agenttrace-go/processors/openaiexport"
	"github.com/agenttrace/agenttrace-go/processors/otlpexport"
	"github.com/agenttrace/agenttrace-go/spans"
	"github.com/agenttrace/agenttrace-go/tracing"
	"github.com/agenttrace/agenttrace-go/tracing/tracingtest"
)

// bodySink is an HTTP server on 127.0.0.1 keeping every request body.
type bodySink struct {
	*httptest.Server
	mu     sync.Mutex
	bodies []string
}

func newBodySink(t *testing.T, reply string) *bodySink {
	s := &bodySink{}
	s.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		s.mu.Lock()
		s.bodies = append(s.bodies, string(b))
		s.mu.Unlock()
		io.WriteString(w, reply)
	}))
	t.Cleanup(s.Close)
	return s
}

func (s *bodySink) all() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return strings.Join(s.bodies, "\n")
}

// TestSensitiveDataOff runs chat (plain and streamed), Responses and
// Embeddings calls with the sensitive-data switch off, exporting to an
// OTLP collector and to the OpenAI traces endpoint: no message, tool
// argument, output or embedded text reaches either.
func TestSensitiveDataOff(t *testing.T) {
	otlpSink := newBodySink(t, "")
	openaiSink := newBodySink(t, `{}`)
	otlpExp, err := otlpexport.New(otlpexport.WithEndpointURL(otlpSink.URL+"/v1/traces"), otlpexport.WithGzip(false), otlpexport.WithoutRetry())
	if err != nil {
		t.Fatal(err)
	}
	openaiExp := openaiexport.New(openaiexport.WithAPIKey("sk-traces"), openaiexport.WithEndpoint(openaiSink.URL+"/v1/traces/ingest"))
	rec := tracingtest.NewRecorder()
	tp := tracing.NewProvider(
		tracing.WithDisabled(false),
		tracing.WithProcessor(rec),
		tracing.WithSensitiveData(false),
		tracing.WithProcessor(processors.NewSync(otlpExp)),
		tracing.WithProcessor(processors.NewSync(openaiExp)),
	)

	api := newFakeAPI(t,
		reply{body: supportReply},
		reply{events: streamReply(streamEvents...)},
		reply{body: responseBody("resp_1", "completed")},
		reply{body: `{"object":"list","data":[{"object":"embedding","index":0,"embedding":[0.1,0.2]}],"model":"text-embedding-3-small","usage":{"prompt_tokens":2,"total_tokens":2}}`},
	)
	client := api.client()
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	ctx, tr := tp.StartTrace(ctx, "sensitive")
	if _, err := client.Chat.Completions.New(ctx, supportParams()); err != nil {
		t.Fatal(err)
	}
	stream := client.Chat.Completions.NewStreaming(ctx, streamParams())
	for stream.Next() {
	}
	if err := stream.Err(); err != nil {
		t.Fatal(err)
	}
	if _, err := client.Responses.New(ctx, responseParams()); err != nil {
		t.Fatal(err)
	}
	if _, err := client.Embeddings.New(ctx, openai.EmbeddingNewParams{
		Model: "text-embedding-3-small",
		Input: openai.EmbeddingNewParamsInputUnion{OfString: openai.String("refund policy for damaged parcels")},
	}); err != nil {
		t.Fatal(err)
	}
	tr.End()
	if err := tp.Shutdown(ctx); err != nil {
		t.Fatal(err)
	}

	for name, sink := range map[string]*bodySink{"OTLP": otlpSink, "OpenAI traces": openaiSink} {
		got := sink.all()
		for _, must := range []string{"gpt-4.1", "text-embedding-3-small"} {
			if !strings.Contains(got, must) {
				t.Errorf("%s: %q not exported: the test exports nothing?", name, must)
			}
		}
		for _, content := range []string{
			"support agent", "Where is order", "label.png", "shipped", // input messages, tool results, instructions
			`A2\`, "refund_status", // output tool calls
			"Check orders", "Checking", "both orders", // streamed input and output
			"Order A1 has", "refund policy", // Responses output, embedded text
		} {
			if strings.Contains(got, content) {
				t.Errorf("%s: content %q exported with sensitive data off", name, content)
			}
		}
	}
	// The span data itself keeps no content either.
	if n := len(rec.Spans()); n != 4 {
		t.Fatalf("%d spans, want 4", n)
	}
	for _, s := range rec.Spans() {
		switch d := s.Data().(type) {
		case *spans.Generation:
			if d.Input != nil || d.Output != nil {
				t.Errorf("generation keeps content: %+v %+v", d.Input, d.Output)
			}
		case *spans.Response:
			if d.Input != nil || d.Output != nil {
				t.Errorf("response keeps content: %v %v", d.Input, d.Output)
			}
		case *spans.Embedding:
			if d.Input != nil {
				t.Errorf("embedding keeps content: %v", d.Input)
			}
		}
	}
}
