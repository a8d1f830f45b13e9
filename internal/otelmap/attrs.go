package otelmap

import (
	"encoding/json"
	"fmt"
	"slices"
	"strings"

	"github.com/agenttrace/agenttrace-go/internal/clip"
	commonpb "go.opentelemetry.io/proto/otlp/common/v1"
)

// attrs builds the attribute list of one span, clipping keys and values.
// Its values come from an arena when it has one. It adds only the keys its
// profile sends (every key for the zero profile).
type attrs struct {
	list []*commonpb.KeyValue
	ar   *arena
	prof Profile
	// force adds every key, whatever the profile (message attributes,
	// which Config.Messages selects).
	force bool
}

// sendsAny reports whether the profile has any of the families f.
func (a *attrs) sendsAny(f Profile) bool { return a.prof == 0 || a.prof&f != 0 }

// wants reports whether the profile sends key: callers check it before
// computing a costly value.
func (a *attrs) wants(key string) bool { return a.prof == 0 || a.force || a.prof.sends(key) }

// add appends an attribute, unless the profile leaves its key out. Keys are
// ours or come from users through clip.Key (userKeys, the resource); add
// only guards their length.
func (a *attrs) add(k string, v *commonpb.AnyValue) {
	if !a.wants(k) {
		return
	}
	if len(k) > clip.MaxKey {
		k = clip.Key(k)
	}
	e := a.ar.keyValue()
	e.Key, e.Value = k, v
	a.list = append(a.list, e)
}

// str adds a short string, clipped to clip.MaxValue. Empty values are skipped.
func (a *attrs) str(k, v string) {
	if v == "" {
		return
	}
	a.add(k, a.ar.str(clip.Text(v, clip.MaxValue)))
}

// text adds content text, clipped to clip.MaxContent. Empty values are skipped.
func (a *attrs) text(k, v string) {
	if v == "" {
		return
	}
	a.add(k, a.ar.str(clip.Text(v, clip.MaxContent)))
}

// raw adds v as is; the caller has clipped it. Like every string value, it
// is made valid UTF-8 (see arena.str).
func (a *attrs) raw(k, v string) {
	a.add(k, a.ar.str(v))
}

func (a *attrs) int(k string, v int64) {
	a.add(k, a.ar.int(v))
}

// posInt adds v when it is not zero.
func (a *attrs) posInt(k string, v int64) {
	if v != 0 {
		a.int(k, v)
	}
}

func (a *attrs) float(k string, v float64) {
	a.add(k, &commonpb.AnyValue{Value: &commonpb.AnyValue_DoubleValue{DoubleValue: v}})
}

func (a *attrs) bool(k string, v bool) {
	a.add(k, &commonpb.AnyValue{Value: &commonpb.AnyValue_BoolValue{BoolValue: v}})
}

// strs adds a string array, each element clipped to clip.MaxValue.
func (a *attrs) strs(k string, vs []string) {
	if len(vs) == 0 {
		return
	}
	vals := make([]*commonpb.AnyValue, len(vs))
	for i, v := range vs {
		vals[i] = a.ar.str(clip.Text(v, clip.MaxValue))
	}
	a.add(k, &commonpb.AnyValue{Value: &commonpb.AnyValue_ArrayValue{ArrayValue: &commonpb.ArrayValue{Values: vals}}})
}

// any adds a user value: strings, booleans, integers and finite floats as
// themselves, NaN and infinities as "NaN", "+Inf" and "-Inf", errors and
// Stringers as their text (an error's first: an error may be a Stringer
// too), anything else as its JSON text (see encodeJSON).
func (a *attrs) any(k string, v any) {
	switch x := v.(type) {
	case nil:
		return
	case string:
		a.raw(k, clip.Text(x, clip.MaxValue))
	case bool:
		a.bool(k, x)
	case int:
		a.int(k, int64(x))
	case int8:
		a.int(k, int64(x))
	case int16:
		a.int(k, int64(x))
	case int32:
		a.int(k, int64(x))
	case int64:
		a.int(k, x)
	case uint8:
		a.int(k, int64(x))
	case uint16:
		a.int(k, int64(x))
	case uint32:
		a.int(k, int64(x))
	case uint:
		a.uint(k, uint64(x))
	case uint64:
		a.uint(k, x)
	case float32:
		a.anyFloat(k, float64(x))
	case float64:
		a.anyFloat(k, x)
	case json.Number:
		a.raw(k, clip.Text(x.String(), clip.MaxValue))
	case error:
		a.raw(k, clip.Text(errorText(x), clip.MaxValue))
	case fmt.Stringer:
		a.raw(k, clip.Text(stringerText(x), clip.MaxValue))
	default:
		a.raw(k, jsonText(v, clip.MaxValue))
	}
}

// anyFloat adds f as a double, or NaN and infinities (which JSON and some
// backends cannot take) as the strings "NaN", "+Inf" and "-Inf".
func (a *attrs) anyFloat(k string, f float64) {
	if s, bad := floatText(f); bad {
		a.raw(k, s)
		return
	}
	a.float(k, f)
}

// maxUserKeys bounds how many user metadata keys become attributes of their
// own, so that a span stays well under Coze Loop's 51 custom tags. All keys
// are in the "metadata" JSON attribute, unless it would exceed
// clip.MaxValue: then its largest keys are left out and counted in its
// "_truncated" key (see clip.JSON).
const maxUserKeys = 16

// metadataKeyPrefix renames user keys that would collide with reserved keys.
const metadataKeyPrefix = "metadata."

// reservedPrefixes are key prefixes that backends read with a meaning: Coze
// Loop's input, output and error prefixes, and the namespaces of the
// attribute families this exporter writes.
var reservedPrefixes = []string{
	"tool", "error", "exception",
	"gen_ai.", "llm.", "cozeloop.", "openinference.", "input.", "output.",
	"session.", "user.", "messaging.", "metadata", "agent.", "graph.",
	"service.", "telemetry.", "agenttrace.", "langfuse.", "mcp.",
}

// reservedKeys are whole keys that Langfuse and others take over, and the
// custom tags that Coze Loop reads as token counts.
var reservedKeys = []string{"input", "output", "prompt", "events", "model", "name", "tags",
	keyCozeReasoning, keyCozeCached, keyCozeCacheCreation}

// userKey returns the attribute key for a user metadata key: the key itself
// when it is safe, otherwise the key prefixed with "metadata.", so that it is
// renamed, never dropped.
func userKey(k string) string {
	lk := strings.ToLower(k)
	if slices.Contains(reservedKeys, lk) {
		return metadataKeyPrefix + k
	}
	for _, p := range reservedPrefixes {
		if strings.HasPrefix(lk, p) {
			return metadataKeyPrefix + k
		}
	}
	return k
}

// userKeys adds each key of md (sorted, at most maxUserKeys) as its own
// attribute under userKey, clipped by clip.Key (a long key keeps a hash of
// itself, so that long keys sharing a prefix stay apart). A key already
// present (a custom span's data key repeated in its metadata) is skipped.
// It reports whether every key of md is now an attribute of its own.
func (a *attrs) userKeys(md map[string]any) bool {
	keys := make([]string, 0, len(md))
	for k := range md {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	n, all := 0, true
	for _, k := range keys {
		if n == maxUserKeys {
			return false
		}
		if k == "" {
			all = false
			continue
		}
		key := clip.Key(userKey(k))
		if a.has(key) {
			continue
		}
		before := len(a.list)
		a.any(key, md[k])
		all = all && len(a.list) > before
		n++
	}
	return all
}

func (a *attrs) has(key string) bool {
	for _, e := range a.list {
		if e.Key == key {
			return true
		}
	}
	return false
}

// metadata adds user metadata: each key as its own attribute (see userKeys)
// and the whole map as the "metadata" JSON attribute read by OpenInference
// and Langfuse. Without the OpenInference family (for Coze Loop, whose
// custom tags are few), the JSON is sent only when it holds more than the
// keys sent on their own.
func (a *attrs) metadata(md map[string]any) {
	if len(md) == 0 {
		return
	}
	all := a.userKeys(md)
	if all && a.prof&OpenInference == 0 && a.prof != 0 {
		return
	}
	if !a.has("metadata") {
		a.raw("metadata", jsonText(md, clip.MaxValue))
	}
}
