package otlpexport

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"

	"github.com/agenttrace/agenttrace-go/internal/clip"
	"github.com/agenttrace/agenttrace-go/spans"
)

// TestClippedUserKeysDoNotCollide checks that user keys longer than the key
// limit that share their first 100 bytes each get an attribute of their own,
// under a stable hashed name.
func TestClippedUserKeysDoNotCollide(t *testing.T) {
	p := strings.Repeat("k", 100)
	md := map[string]any{p + "_input_tokens": 1, p + "_output_tokens": 2}
	got, err := sendItems(t, recordItems(&spans.Agent{Name: "x"}, md, nil))
	if err != nil {
		t.Fatal(err)
	}
	a := childAttrs(t, got)
	var keys []string
	for k := range a {
		if strings.HasPrefix(k, "kkk") {
			keys = append(keys, k)
			if len(k) > clip.MaxKey {
				t.Errorf("key %q is %d bytes", k, len(k))
			}
		}
	}
	if len(keys) != 2 || a[clip.Key(p+"_input_tokens")] != int64(1) || a[clip.Key(p+"_output_tokens")] != int64(2) {
		t.Errorf("long user keys sent: %v", keys)
	}
	if k1, k2 := clip.Key(p+"_input_tokens"), clip.Key(p+"_input_tokens"); k1 != k2 || !strings.Contains(clip.Key(p+"x"), "~") || clip.Key("short") != "short" {
		t.Error("clip.Key is not stable")
	}
}

// TestManyMetadataKeysStayAnObject checks that a "metadata" attribute over
// its limit stays a JSON object: whole keys are dropped, largest first, and
// counted in "_truncated".
func TestManyMetadataKeysStayAnObject(t *testing.T) {
	md := map[string]any{"big": strings.Repeat("v", 300)}
	for i := range 100 {
		md[fmt.Sprintf("key_%02d", i)] = i
	}
	got, err := sendItems(t, recordItems(&spans.Agent{Name: "x"}, md, nil))
	if err != nil {
		t.Fatal(err)
	}
	s := childAttrs(t, got)["metadata"].(string)
	var obj map[string]any
	if err := json.Unmarshal([]byte(s), &obj); err != nil {
		t.Fatalf("metadata is not a JSON object: %v; %.60q", err, s)
	}
	n, _ := obj["_truncated"].(float64)
	if len(s) > clip.MaxValue || n < 1 || len(obj)-1+int(n) != len(md) || obj["key_00"] != float64(0) {
		t.Errorf("metadata (%d bytes): %d keys kept, _truncated %v, of %d", len(s), len(obj)-1, obj["_truncated"], len(md))
	}
	if _, ok := obj["big"]; ok {
		t.Errorf("the largest key was kept: %.80s", s)
	}
}
