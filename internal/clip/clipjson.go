package clip

import (
	"cmp"
	"encoding/json"
	"reflect"
	"slices"
	"strconv"
)

// minLeafCap is the shortest cut (in encoded bytes; a sixteenth of the limit
// when that is smaller) that shrinkJSON makes long strings take before it
// drops whole elements instead: cutting 20 000 messages to a few bytes each
// shows nothing, dropping the oldest shows the newest in full.
const minLeafCap = 256

// shrinkJSON returns the encoding of v, a value decoded with UseNumber, cut
// to fit limit under m (see clipJSONCost), or false when it cannot fit.
// It modifies v.
func shrinkJSON(v any, limit int, m *costModel) (string, bool) {
	floor := min(minLeafCap, limit/16)
	root := &v
	var done []uintptr // containers already shrunk
	for range 6 {
		total := leafTotal(*root, floor, m)
		if total <= limit {
			break
		}
		ct, found := pickContainer(root, done)
		if !found {
			break
		}
		done = append(done, ct.shrink(total, limit, floor, m))
	}
	return render(*root, limit, m)
}

// leafTotal returns the size under m of v's encoding once every string
// value costlier than c is cut to c (see cutCost). Each string is scanned
// only as far as c, so that trying several shrinks of a large value stays
// cheap.
func leafTotal(v any, c int, m *costModel) int {
	switch x := v.(type) {
	case string:
		return m.quote + strCostMax(x, c, m)
	case []any:
		n := 2 + max(len(x)-1, 0)
		for _, e := range x {
			n += leafTotal(e, c, m)
		}
		return n
	case map[string]any:
		n := 2 + max(len(x)-1, 0)
		for k, e := range x {
			n += m.quote + strCost(k, m) + 1 + leafTotal(e, c, m)
		}
		return n
	}
	return encSize(v, m)
}

// measureTree returns the size under m of v's encoding minus the characters
// of its string values (their quotes still counted), and appends the cost
// of each string value's characters to costs. Keys count in full: they are
// never cut.
func measureTree(v any, m *costModel, costs *[]int) int {
	switch x := v.(type) {
	case string:
		*costs = append(*costs, strCost(x, m))
		return m.quote
	case []any:
		n := 2 + max(len(x)-1, 0)
		for _, e := range x {
			n += measureTree(e, m, costs)
		}
		return n
	case map[string]any:
		n := 2 + max(len(x)-1, 0)
		for k, e := range x {
			n += m.quote + strCost(k, m) + 1 + measureTree(e, m, costs)
		}
		return n
	}
	return encSize(v, m)
}

// render returns the encoding of v with the string values cut to the
// largest cap that fits limit, or false when even empty strings do not fit.
func render(v any, limit int, m *costModel) (string, bool) {
	var costs []int
	skeleton := measureTree(v, m, &costs)
	total := func(c int) int {
		n := skeleton
		for _, k := range costs {
			n += min(k, c)
		}
		return n
	}
	if total(0) > limit {
		return "", false
	}
	lo, hi := 0, slices.Max(append(costs, 0))
	for lo < hi {
		mid := lo + (hi-lo+1)/2
		if total(mid) <= limit {
			lo = mid
		} else {
			hi = mid - 1
		}
	}
	// The sizes are exact; the loop only guards against a mismatch with
	// encoding/json.
	for c := lo; ; c = c * 3 / 4 {
		out, err := MarshalNoEscape(clipLeaves(v, c, m))
		if err == nil && textSize(string(out), m) <= limit {
			return string(out), true
		}
		if c == 0 {
			return "", false
		}
	}
}

// clipLeaves returns a copy of v with every string value cut to cost at
// most c under m.
func clipLeaves(v any, c int, m *costModel) any {
	switch x := v.(type) {
	case string:
		return cutCost(x, c, m)
	case []any:
		out := make([]any, len(x))
		for i, e := range x {
			out[i] = clipLeaves(e, c, m)
		}
		return out
	case map[string]any:
		out := make(map[string]any, len(x))
		for k, e := range x {
			out[k] = clipLeaves(e, c, m)
		}
		return out
	}
	return v
}

// container is an array or map of a decoded value that can be shrunk, with
// the function that puts a replacement in its place.
type container struct {
	v   any
	set func(any)
}

// pickContainer returns the container with the most children among the
// arrays and maps of at least 3 elements or keys not in done,
// preferring the outermost and, in a map, the first key in order.
func pickContainer(root *any, done []uintptr) (container, bool) {
	var best container
	bestN := 0
	var walk func(v any, set func(any))
	walk = func(v any, set func(any)) {
		n := 0
		switch x := v.(type) {
		case []any:
			if len(x) >= 3 {
				n = len(x)
			}
		case map[string]any:
			if len(x) >= 3 {
				n = len(x)
			}
		default:
			return
		}
		if n > bestN && !slices.Contains(done, identity(v)) {
			best, bestN = container{v: v, set: set}, n
		}
		switch x := v.(type) {
		case []any:
			for i, e := range x {
				walk(e, func(r any) { x[i] = r })
			}
		case map[string]any:
			for _, k := range sortedKeys(x) {
				walk(x[k], func(r any) { x[k] = r })
			}
		}
	}
	walk(*root, func(r any) { *root = r })
	return best, bestN > 0
}

// identity tells containers apart: the address of a map, or of a slice's
// first element.
func identity(v any) uintptr { return reflect.ValueOf(v).Pointer() }

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}

// shrink replaces the container with the smallest reduction that makes
// the whole value, of size total once its strings are cut to floor, fit
// limit (the largest reduction when none does), and returns the
// replacement's identity. Each child is measured once; each reduction tried
// costs O(1).
func (ct container) shrink(total, limit, floor int, m *costModel) uintptr {
	var size func(k int) int // the container's size with k children left out
	var whole int            // the container's size as it is
	var build func(k int) any
	var most int
	switch x := ct.v.(type) {
	case []any:
		most = len(x) - 2
		// suffix[i] is the size of x[i:].
		suffix := make([]int, len(x)+1)
		for i := len(x) - 1; i >= 0; i-- {
			suffix[i] = suffix[i+1] + leafTotal(x[i], floor, m)
		}
		whole = 2 + len(x) - 1 + suffix[0]
		size = func(k int) int {
			n := len(x) - k + 1 // the first, the marker, the newest
			return 2 + n - 1 + suffix[0] - suffix[1] + leafTotal(arrayMarker(x, k), floor, m) + suffix[1+k]
		}
		build = func(k int) any {
			out := make([]any, 0, len(x)-k+1)
			out = append(out, x[0], arrayMarker(x, k))
			return append(out, x[1+k:]...)
		}
	case map[string]any:
		entries := mapEntries(x)
		most = len(entries) - 1
		// prefix[i] is the size of the i largest entries.
		prefix := make([]int, len(entries)+1)
		for i, e := range entries {
			prefix[i+1] = prefix[i] + m.quote + strCost(e.key, m) + 1 + leafTotal(x[e.key], floor, m)
		}
		counter := m.quote + strCost(truncatedKey, m) + 1
		whole = 2 + len(x) - 1 + prefix[len(entries)]
		if e, ok := x[truncatedKey]; ok {
			whole += counter + leafTotal(e, floor, m)
		}
		size = func(k int) int {
			n := len(entries) - k + 1 // the kept keys and the counter
			return 2 + n - 1 + prefix[len(entries)] - prefix[k] + counter + len(strconv.Itoa(k))
		}
		build = func(k int) any {
			out := make(map[string]any, len(entries)-k+1)
			for _, e := range entries[k:] {
				out[e.key] = x[e.key]
			}
			out[truncatedKey] = json.Number(strconv.Itoa(k))
			return out
		}
	}
	rest := total - whole
	fits := func(k int) bool { return rest+size(k) <= limit }
	lo, hi := 1, most
	if !fits(hi) {
		lo = hi
	}
	for lo < hi {
		mid := lo + (hi-lo)/2
		if fits(mid) {
			hi = mid
		} else {
			lo = mid + 1
		}
	}
	r := build(lo)
	ct.set(r)
	return identity(r)
}

// arrayMarker returns the element that stands for the k elements an array
// leaves out after its first: among chat messages, a message of the first
// left out's role; otherwise a string.
func arrayMarker(x []any, k int) any {
	if msg, ok := x[1].(map[string]any); ok {
		if role, ok := msg["role"].(string); ok {
			return map[string]any{"role": role, "content": "…[" + strconv.Itoa(k) + " messages truncated]"}
		}
	}
	return "…[" + strconv.Itoa(k) + " items truncated]"
}

// truncatedKey counts the keys a shrunk map left out.
const truncatedKey = "_truncated"

// mapEntry is a key of a map to shrink and the size of its entry.
type mapEntry struct {
	key  string
	size int
}

// mapEntries returns the keys of x but truncatedKey, largest entry first
// (by encoded size; ties by name): the order in which they are left out.
func mapEntries(x map[string]any) []mapEntry {
	entries := make([]mapEntry, 0, len(x))
	for k, e := range x {
		if k != truncatedKey {
			entries = append(entries, mapEntry{k, len(k) + encSize(e, &textCost)})
		}
	}
	slices.SortFunc(entries, func(a, b mapEntry) int {
		return cmp.Or(cmp.Compare(b.size, a.size), cmp.Compare(a.key, b.key))
	})
	return entries
}
