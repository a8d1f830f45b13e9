package otelmap

import (
	"encoding/json"
	"math"
	"slices"
	"strconv"

	"github.com/agenttrace/agenttrace-go/internal/clip"
)

// requestParams maps well-known model config keys to gen_ai.request.*.
var requestParams = map[string]string{
	"temperature":           "gen_ai.request.temperature",
	"top_p":                 "gen_ai.request.top_p",
	"top_k":                 "gen_ai.request.top_k",
	"max_tokens":            "gen_ai.request.max_tokens",
	"max_output_tokens":     "gen_ai.request.max_tokens",
	"max_completion_tokens": "gen_ai.request.max_tokens",
	"frequency_penalty":     "gen_ai.request.frequency_penalty",
	"presence_penalty":      "gen_ai.request.presence_penalty",
	"seed":                  "gen_ai.request.seed",
	"n":                     "gen_ai.request.choice.count",
	"stop":                  "gen_ai.request.stop_sequences",
	"stop_sequences":        "gen_ai.request.stop_sequences", // Anthropic's name
}

// intParams are the gen_ai.request.* keys that OTel GenAI defines as ints:
// an integral float or json.Number (what decoding a JSON config gives) is
// sent as an int there.
var intParams = []string{"gen_ai.request.max_tokens", "gen_ai.request.seed", "gen_ai.request.choice.count"}

// modelConfig adds the request parameters: known keys as gen_ai.request.*
// and the whole map as OpenInference's llm.invocation_parameters JSON.
func (a *attrs) modelConfig(cfg map[string]any) {
	if len(cfg) == 0 {
		return
	}
	keys := make([]string, 0, len(cfg))
	for k := range cfg {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	var seen []string
	for _, k := range keys {
		key, ok := requestParams[k]
		if !ok || slices.Contains(seen, key) {
			continue
		}
		seen = append(seen, key)
		switch v := cfg[k].(type) {
		case string:
			if key == "gen_ai.request.stop_sequences" {
				a.strs(key, []string{v})
			}
		case []string:
			a.strs(key, v)
		case []any:
			ss := make([]string, 0, len(v))
			for _, e := range v {
				if s, ok := stopText(e); ok {
					ss = append(ss, s)
				}
			}
			a.strs(key, ss)
		default:
			a.configNumber(key, v)
		}
	}
	a.raw("llm.invocation_parameters", jsonText(cfg, clip.MaxValue))
}

// configNumber adds a numeric request parameter; other values are skipped.
// Integers of every width are sent as exact ints, except a uint64 beyond
// the int64 range, sent as a double (OTLP has no unsigned ints); floats as
// doubles, integral ones as ints for the int-typed keys (intParams); NaN
// and infinities as the strings "NaN", "+Inf" and "-Inf", as in metadata.
func (a *attrs) configNumber(key string, v any) {
	var f float64
	switch x := v.(type) {
	case int:
		a.int(key, int64(x))
		return
	case int8:
		a.int(key, int64(x))
		return
	case int16:
		a.int(key, int64(x))
		return
	case int32:
		a.int(key, int64(x))
		return
	case int64:
		a.int(key, x)
		return
	case uint8:
		a.int(key, int64(x))
		return
	case uint16:
		a.int(key, int64(x))
		return
	case uint32:
		a.int(key, int64(x))
		return
	case uint:
		a.uint(key, uint64(x))
		return
	case uint64:
		a.uint(key, x)
		return
	case uintptr:
		a.uint(key, uint64(x))
		return
	case float32:
		f = float64(x)
	case float64:
		f = x
	case json.Number:
		if i, err := x.Int64(); err == nil {
			a.int(key, i)
			return
		}
		var err error
		if f, err = x.Float64(); err != nil && !math.IsInf(f, 0) {
			return // not a number
		}
	default:
		return
	}
	if slices.Contains(intParams, key) && f == math.Trunc(f) && f >= math.MinInt64 && f < math.MaxInt64 {
		a.int(key, int64(f))
		return
	}
	a.anyFloat(key, f)
}

// uint adds an unsigned integer: as an int when it fits, as a double beyond
// the int64 range.
func (a *attrs) uint(k string, u uint64) {
	if u > math.MaxInt64 {
		a.float(k, float64(u))
		return
	}
	a.int(k, int64(u))
}

// stopText returns a stop sequence as text: a string as is, a number or a
// boolean as its text, anything else as its JSON text (a JSON string
// unquoted, so that a marker of encodeJSON reads as itself). Nil is left
// out.
func stopText(e any) (string, bool) {
	switch x := e.(type) {
	case nil:
		return "", false
	case string:
		return x, true
	case json.Number:
		return x.String(), true
	case bool:
		return strconv.FormatBool(x), true
	case float64:
		if s, bad := floatText(x); bad {
			return s, true
		}
		return strconv.FormatFloat(x, 'g', -1, 64), true
	case int:
		return strconv.Itoa(x), true
	case int64:
		return strconv.FormatInt(x, 10), true
	}
	b := encodeJSON(e)
	var s string
	if json.Unmarshal(b, &s) == nil {
		return s, true
	}
	return string(b), true
}
