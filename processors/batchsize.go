package processors

// BatchSizer is implemented by an [Exporter] whose requests come out best
// at a batch size of its own. A [Batcher] made without [WithMaxBatchSize]
// (or with n <= 0) hands it batches of BatchSize items instead of
// [DefaultMaxBatchSize], counted as that option counts them (see
// [Selective]). The OTLP exporter asks for larger batches than the OpenAI
// exporter's 128: its gzip compresses them better and it pays its
// per-request costs less often.
type BatchSizer interface {
	// BatchSize returns the number of items the exporter would have per
	// Export call; a value <= 0, or a panic, means DefaultMaxBatchSize.
	BatchSize() int
}

// preferredBatchSize returns exp's BatchSize when it is a BatchSizer, else 0.
func preferredBatchSize(exp Exporter) (n int) {
	bs, ok := exp.(BatchSizer)
	if !ok || isNil(exp) {
		return 0
	}
	defer func() {
		if recover() != nil {
			n = 0
		}
	}()
	return bs.BatchSize()
}
