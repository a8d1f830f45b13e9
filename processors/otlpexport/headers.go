package otlpexport

import (
	"fmt"
	"github.com/agenttrace/agenttrace-go/internal/httpguard"
	"maps"
	"net/url"
	"slices"
	"strings"
)

// parseHeaderList reads the headers variable name whose value is v, as the
// OpenTelemetry specification writes it: key=value pairs separated by
// commas, keys trimmed and HTTP header names, values percent-decoded and
// trimmed. An empty item (a trailing comma, say) is skipped; a later pair
// replaces an earlier one with the same key. Anything else is an error that
// names the variable and the position of the pair (its number and byte
// offset), never a byte of the value: a key or a value may be, or hold part
// of, a credential. It fails on a pair without "=", a key that is not an
// HTTP token, a malformed percent escape, and a value holding a control
// character (CR, LF, NUL, ...), which net/http would refuse in every request.
func parseHeaderList(name, v string) (map[string]string, error) {
	out := map[string]string{}
	n, at := 0, 0
	for item := range strings.SplitSeq(v, ",") {
		start := at
		at += len(item) + 1
		if strings.TrimSpace(item) == "" {
			continue
		}
		n++
		where := fmt.Sprintf("otlpexport: %s: pair %d (at byte %d)", name, n, start)
		k, val, ok := strings.Cut(item, "=")
		if !ok {
			return nil, fmt.Errorf(`%s has no "=": write key=value pairs separated by commas, a comma inside a value as %%2C and a %% as %%25`, where)
		}
		k = strings.TrimSpace(k)
		if !validHeaderName(k) {
			return nil, fmt.Errorf("%s: the key is empty or not an HTTP header name (letters, digits and !#$%%&'*+-.^_`|~ only)", where)
		}
		dec, err := url.PathUnescape(val)
		if err != nil {
			return nil, fmt.Errorf("%s: the value has a malformed percent escape at byte %d (write a %% as %%25)",
				where, start+len(item)-len(val)+badEscape(val))
		}
		dec = strings.TrimSpace(dec)
		if !httpguard.ValidHeaderValue(dec) {
			return nil, fmt.Errorf("%s: the value holds a control character (CR, LF, NUL, ...), which HTTP does not allow", where)
		}
		out[k] = dec
	}
	return out, nil
}

// badEscape returns the offset in s of the first "%" not followed by two
// hex digits.
func badEscape(s string) int {
	for i := 0; i < len(s); i++ {
		if s[i] == '%' && (i+2 >= len(s) || !isHex(s[i+1]) || !isHex(s[i+2])) {
			return i
		}
	}
	return 0
}

func isHex(c byte) bool {
	return '0' <= c && c <= '9' || 'a' <= c && c <= 'f' || 'A' <= c && c <= 'F'
}

// checkHeaders fails unless every header of h, given in code by source
// (WithHeaders, say), has an HTTP token for a name and a value without
// control characters. The error names the header, never its value.
func checkHeaders(source string, h map[string]string) error {
	for _, k := range slices.Sorted(maps.Keys(h)) {
		name := strings.TrimSpace(k)
		if !validHeaderName(name) {
			return fmt.Errorf("otlpexport: %s: the header name %q is not an HTTP header name (letters, digits and !#$%%&'*+-.^_`|~ only)", source, k)
		}
		if !httpguard.ValidHeaderValue(h[k]) {
			return fmt.Errorf("otlpexport: %s: the value of the header %q holds a control character (CR, LF, NUL, ...), which HTTP does not allow", source, name)
		}
	}
	return nil
}

// validHeaderName reports whether s is an HTTP token (RFC 9110).
func validHeaderName(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case 'a' <= c && c <= 'z', 'A' <= c && c <= 'Z', '0' <= c && c <= '9':
		case strings.IndexByte("!#$%&'*+-.^_`|~", c) >= 0:
		default:
			return false
		}
	}
	return true
}
