// Package clip holds the backend limits that agent spans are cut to before
// they are sent over OTLP: Coze Loop's bounds on attribute keys, values and
// content, its per-span JSON limit, and a cheap upper bound of a span's
// protobuf size for splitting requests. Everything here keeps what it cuts
// valid: strings stay valid UTF-8 and are cut on rune boundaries, ending in
// [Marker]; JSON stays valid JSON of the same shape.
//
// # Limits
//
// [MaxContent] (1 MiB) bounds inputs, outputs and the other content
// attributes, [MaxValue] (1024 bytes) the span name and every other string,
// [MaxKey] (100 bytes) attribute keys ([Key] keeps a hash of a longer key so
// that long keys stay apart). [JSON] shortens the longest strings of a JSON
// text first, sized by their encoded length (escapes counted); when that
// would leave every string a few bytes long, the array or map with the most
// children is shrunk instead: an array keeps its first element and its
// newest ones, with a marker element standing for the ones left out (a
// message, among chat messages); a map leaves out its largest keys and
// counts them in "_truncated". [FitSpanJSON] brings a span within Coze
// Loop's [CozeMaxSpanJSON] by clipping its content attributes further.
//
// The functions are safe for concurrent use; [FitSpanJSON] modifies the
// span it is given.
package clip
