package clip

// The functions below size strings by their JSON encoding inside another
// JSON document (a tag a backend builds from several attributes, say),
// counted conservatively: as encoding/json with HTML escaping writes them,
// quotes excluded.

// EscapedSize returns the size of s once encoded as a JSON string, quotes
// excluded.
func EscapedSize(s string) int { return strCost(s, &spanCost) }

// CutEscaped returns s when [EscapedSize] of s is at most c, otherwise its
// longest prefix, on a rune boundary, that ends in [Marker] within c.
func CutEscaped(s string, c int) string { return cutCost(s, c, &spanCost) }

// JSONEscaped returns the JSON text s cut, staying valid JSON of the same
// shape (see [JSON]), so that its [EscapedSize] is at most c. s must be
// valid JSON.
func JSONEscaped(s string, c int) string { return clipJSONCost(s, c, &doubleCost) }
