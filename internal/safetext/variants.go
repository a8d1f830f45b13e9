package safetext

import (
	"encoding/json"
	"net/url"
	"strings"
)

// Variants returns the forms in which a secret s can reach a message: as
// written, percent-encoded (as a query or a path writes it) and
// JSON-escaped (with and without HTML escapes). It returns none for "",
// which no scrubber must look for.
func Variants(s string) []string {
	if s == "" {
		return nil
	}
	v := []string{s, url.QueryEscape(s), url.PathEscape(s)}
	if b, err := json.Marshal(s); err == nil {
		v = append(v, string(b[1:len(b)-1]))
	}
	var b strings.Builder
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	if enc.Encode(s) == nil {
		t := strings.TrimSuffix(b.String(), "\n")
		v = append(v, t[1:len(t)-1])
	}
	return v
}
