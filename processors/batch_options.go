package processors

import (
	"log/slog"
	"time"
)

// Defaults of [NewBatcher], those of the Python Agents SDK's
// BatchTraceProcessor. The export timeout is [DefaultExportTimeout].
const (
	// DefaultMaxQueueSize is how many items a Batcher holds before it drops
	// new ones (DropQueueFull).
	DefaultMaxQueueSize = 8192
	// DefaultMaxBatchSize is the most items handed to one Export call, not
	// counting those a [Selective] exporter does not send, unless the
	// exporter is a [BatchSizer].
	DefaultMaxBatchSize = 128
	// DefaultScheduleDelay is the longest an item waits in the queue when
	// the queue stays below the export trigger.
	DefaultScheduleDelay = 5 * time.Second
	// DefaultExportTrigger is the fraction of the queue that, once filled,
	// wakes the worker to export before the schedule delay is up.
	DefaultExportTrigger = 0.7
	// DefaultReportInterval is the least time between two log records that
	// report dropped items.
	DefaultReportInterval = time.Minute
)

// BatcherOption configures a [Batcher]; pass options to [NewBatcher].
type BatcherOption interface{ applyBatcher(*batcherConfig) }

type batcherConfig struct {
	maxQueue       int
	maxBatch       int
	delay          time.Duration
	exportTimeout  time.Duration
	trigger        float64
	reportInterval time.Duration
	logger         *slog.Logger
}

type batcherOption func(*batcherConfig)

func (f batcherOption) applyBatcher(c *batcherConfig) { f(c) }

// WithMaxQueueSize sets how many items the queue holds. n <= 0 means
// [DefaultMaxQueueSize].
func WithMaxQueueSize(n int) BatcherOption {
	return batcherOption(func(c *batcherConfig) { c.maxQueue = n })
}

// WithMaxBatchSize sets the most items passed to one Export call, not
// counting those a [Selective] exporter does not send. n <= 0
// means the exporter's own size when it is a [BatchSizer], else
// [DefaultMaxBatchSize]; a batch larger than the queue is cut to the queue
// size.
func WithMaxBatchSize(n int) BatcherOption {
	return batcherOption(func(c *batcherConfig) { c.maxBatch = n })
}

// WithScheduleDelay sets how often the queue is exported when it stays below
// the export trigger. d <= 0 means [DefaultScheduleDelay].
func WithScheduleDelay(d time.Duration) BatcherOption {
	return batcherOption(func(c *batcherConfig) { c.delay = d })
}

// WithExportTimeout bounds each Export call, retries included. d <= 0 means
// [DefaultExportTimeout].
func WithExportTimeout(d time.Duration) BatcherOption {
	return batcherOption(func(c *batcherConfig) { c.exportTimeout = d })
}

// WithExportTrigger sets the fraction of the queue (0 < f <= 1) that, once
// filled, starts an export before the schedule delay is up. Values outside
// (0, 1] mean [DefaultExportTrigger].
func WithExportTrigger(f float64) BatcherOption {
	return batcherOption(func(c *batcherConfig) { c.trigger = f })
}

// WithReportInterval sets the least time between two log records reporting
// dropped items. d <= 0 means [DefaultReportInterval].
func WithReportInterval(d time.Duration) BatcherOption {
	return batcherOption(func(c *batcherConfig) { c.reportInterval = d })
}

// WithLogger sets where the Batcher reports dropped items and failed
// exports. nil means [slog.Default] at the time of logging.
func WithLogger(l *slog.Logger) BatcherOption {
	return batcherOption(func(c *batcherConfig) { c.logger = l })
}

// newBatcherConfig applies opts to the defaults and clamps bad values.
// exp's [BatchSizer] size, if any, replaces DefaultMaxBatchSize.
func newBatcherConfig(exp Exporter, opts []BatcherOption) batcherConfig {
	var c batcherConfig
	for _, o := range opts {
		if o != nil {
			o.applyBatcher(&c)
		}
	}
	if c.maxQueue <= 0 {
		c.maxQueue = DefaultMaxQueueSize
	}
	if c.maxBatch <= 0 {
		c.maxBatch = preferredBatchSize(exp)
	}
	if c.maxBatch <= 0 {
		c.maxBatch = DefaultMaxBatchSize
	}
	c.maxBatch = min(c.maxBatch, c.maxQueue)
	if c.delay <= 0 {
		c.delay = DefaultScheduleDelay
	}
	if c.exportTimeout <= 0 {
		c.exportTimeout = DefaultExportTimeout
	}
	if !(c.trigger > 0 && c.trigger <= 1) { // also catches NaN
		c.trigger = DefaultExportTrigger
	}
	if c.reportInterval <= 0 {
		c.reportInterval = DefaultReportInterval
	}
	return c
}

// triggerLen is the queue length that wakes the worker, at least 1.
func (c batcherConfig) triggerLen() int {
	return max(1, int(float64(c.maxQueue)*c.trigger))
}
