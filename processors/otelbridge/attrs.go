package otelbridge

import (
	"encoding/base64"
	"strconv"
	"strings"

	"go.opentelemetry.io/otel/attribute"
	commonpb "go.opentelemetry.io/proto/otlp/common/v1"
)

// attributes turns the mapping's OTLP attributes into OTel API attributes.
// Strings, booleans, integers and doubles keep their type, and so do arrays
// of one of them (the mapping sends arrays of strings); other values, which
// the mapping does not send, become their text.
func attributes(kvs []*commonpb.KeyValue) []attribute.KeyValue {
	out := make([]attribute.KeyValue, 0, len(kvs))
	for _, kv := range kvs {
		out = append(out, attr(kv.GetKey(), kv.GetValue()))
	}
	return out
}

func attr(k string, v *commonpb.AnyValue) attribute.KeyValue {
	switch x := v.GetValue().(type) {
	case *commonpb.AnyValue_StringValue:
		return attribute.String(k, x.StringValue)
	case *commonpb.AnyValue_BoolValue:
		return attribute.Bool(k, x.BoolValue)
	case *commonpb.AnyValue_IntValue:
		return attribute.Int64(k, x.IntValue)
	case *commonpb.AnyValue_DoubleValue:
		return attribute.Float64(k, x.DoubleValue)
	case *commonpb.AnyValue_ArrayValue:
		return array(k, x.ArrayValue.GetValues())
	}
	return attribute.String(k, text(v))
}

// array keeps an array of strings, booleans, integers or doubles typed, and
// turns any other array into strings.
func array(k string, vs []*commonpb.AnyValue) attribute.KeyValue {
	var strs []string
	var bools []bool
	var ints []int64
	var floats []float64
	for _, v := range vs {
		switch x := v.GetValue().(type) {
		case *commonpb.AnyValue_StringValue:
			strs = append(strs, x.StringValue)
		case *commonpb.AnyValue_BoolValue:
			bools = append(bools, x.BoolValue)
		case *commonpb.AnyValue_IntValue:
			ints = append(ints, x.IntValue)
		case *commonpb.AnyValue_DoubleValue:
			floats = append(floats, x.DoubleValue)
		}
	}
	switch len(vs) {
	case len(strs):
		return attribute.StringSlice(k, strs)
	case len(bools):
		return attribute.BoolSlice(k, bools)
	case len(ints):
		return attribute.Int64Slice(k, ints)
	case len(floats):
		return attribute.Float64Slice(k, floats)
	}
	out := make([]string, len(vs))
	for i, v := range vs {
		out[i] = text(v)
	}
	return attribute.StringSlice(k, out)
}

// text describes a value of any kind.
func text(v *commonpb.AnyValue) string {
	switch x := v.GetValue().(type) {
	case *commonpb.AnyValue_StringValue:
		return x.StringValue
	case *commonpb.AnyValue_BoolValue:
		return strconv.FormatBool(x.BoolValue)
	case *commonpb.AnyValue_IntValue:
		return strconv.FormatInt(x.IntValue, 10)
	case *commonpb.AnyValue_DoubleValue:
		return strconv.FormatFloat(x.DoubleValue, 'g', -1, 64)
	case *commonpb.AnyValue_BytesValue:
		return base64.StdEncoding.EncodeToString(x.BytesValue)
	case *commonpb.AnyValue_ArrayValue:
		parts := make([]string, 0, len(x.ArrayValue.GetValues()))
		for _, e := range x.ArrayValue.GetValues() {
			parts = append(parts, text(e))
		}
		return "[" + strings.Join(parts, ",") + "]"
	case *commonpb.AnyValue_KvlistValue:
		parts := make([]string, 0, len(x.KvlistValue.GetValues()))
		for _, kv := range x.KvlistValue.GetValues() {
			parts = append(parts, kv.GetKey()+"="+text(kv.GetValue()))
		}
		return "{" + strings.Join(parts, ",") + "}"
	}
	return ""
}
