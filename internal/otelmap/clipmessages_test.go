package otelmap

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"

	"github.com/agenttrace/agenttrace-go/internal/clip"
	"github.com/agenttrace/agenttrace-go/spans"
)

// TestClipJSONManyShortLeavesKeepsChatShape checks one long message among
// 20 000 short ones: only the long message is cut, the short ones are left
// as they are (not lengthened with markers), and the shape stays.
func TestClipJSONManyShortLeavesKeepsChatShape(t *testing.T) {
	msgs := []spans.Message{{Role: "user", Content: strings.Repeat("a", 1200<<10)}}
	for range 20000 {
		msgs = append(msgs, spans.Message{Role: "user", Content: "ok"})
	}
	out := clip.JSON(chatInputJSON(msgs, nil), clip.MaxContent)
	var v struct {
		Messages []spans.Message `json:"messages"`
	}
	if err := json.Unmarshal([]byte(out), &v); err != nil || len(v.Messages) != len(msgs) {
		t.Fatalf("clipped model input is not {\"messages\":[...]} with %d messages: %v; starts %.60q", len(msgs), err, out)
	}
	if len(out) > clip.MaxContent || !strings.HasSuffix(v.Messages[0].Content, clip.Marker) || v.Messages[1].Content != "ok" || v.Messages[20000].Content != "ok" {
		t.Errorf("%d bytes; first ends %q, then %q", len(out), v.Messages[0].Content[len(v.Messages[0].Content)-20:], v.Messages[1].Content)
	}
}

// TestClipJSONDropsMessagesKeepsShape checks a conversation whose messages
// alone (without their text) exceed the limit: the oldest messages after the
// first are replaced by one marker message, and the shape stays.
func TestClipJSONDropsMessagesKeepsShape(t *testing.T) {
	var msgs []spans.Message
	msgs = append(msgs, spans.Message{Role: "system", Content: "Be brief."})
	for i := range 60000 {
		msgs = append(msgs, spans.Message{Role: "user", Content: fmt.Sprintf("message %d", i)})
	}
	in := chatInputJSON(msgs, []spans.Tool{{Name: "lookup"}})
	out := clip.JSON(in, clip.MaxContent)
	var v struct {
		Messages []spans.Message `json:"messages"`
		Tools    []any           `json:"tools"`
	}
	if err := json.Unmarshal([]byte(out), &v); err != nil {
		t.Fatalf("clipped input is not {\"messages\":[...]}: %v; starts %.60q", err, out)
	}
	n := len(v.Messages)
	if len(out) > clip.MaxContent || len(out) < clip.MaxContent*9/10 || n < 1000 || len(v.Tools) != 1 {
		t.Fatalf("%d bytes of %d, %d messages, %d tools", len(out), len(in), n, len(v.Tools))
	}
	dropped := len(msgs) - (n - 1)
	if v.Messages[0].Content != "Be brief." || v.Messages[n-1].Content != "message 59999" ||
		v.Messages[1].Content != fmt.Sprintf("…[%d messages truncated]", dropped) || v.Messages[1].Role != "user" ||
		v.Messages[2].Content != fmt.Sprintf("message %d", dropped) {
		t.Errorf("messages: %+v %+v %+v ... %+v", v.Messages[0], v.Messages[1], v.Messages[2], v.Messages[n-1])
	}
}
