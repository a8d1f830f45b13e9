package openaiexport

// bodyOverhead is the size of a request body without its items:
// {"data":[]}.
const bodyOverhead = len(`{"data":[]}`)

// split cuts the encoded items of one group into the item lists of
// requests, in order: at most MaxRequestItems items each, and bodies (see
// body) of at most limit bytes. An item that alone does not fit is left out
// and counted.
func split(items [][]byte, limit int) (chunks [][][]byte, tooLarge int) {
	size := bodyOverhead
	var cur [][]byte
	for _, it := range items {
		if bodyOverhead+len(it) > limit {
			tooLarge++
			continue
		}
		n := len(it)
		if len(cur) > 0 {
			n++ // the comma
		}
		if len(cur) == MaxRequestItems || (len(cur) > 0 && size+n > limit) {
			chunks = append(chunks, cur)
			cur, size, n = nil, bodyOverhead, len(it)
		}
		cur = append(cur, it)
		size += n
	}
	if len(cur) > 0 {
		chunks = append(chunks, cur)
	}
	return chunks, tooLarge
}
