package benchmarks

import (
	"runtime"
	"strconv"
	"sync"
	"syscall"
	"testing"
	"time"
)

// cpuTime returns the CPU time the process has used so far, user and
// system. Per span, it is what a pipeline costs its machine, and it drifts
// far less than wall-clock time on a machine shared with other work.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// Run with run.sh; see the package documentation for what each case
// measures.

func BenchmarkSpan(b *testing.B) {
	eachImpl(b, batched, false, func(b *testing.B, im impl) {
		r := im.newRig(b, setup{mode: batched})
		i := 0
		b.ReportAllocs()
		for b.Loop() {
			r.record(r.ctx, i)
			i++
		}
		b.StopTimer()
		r.stop()
	})
}

func BenchmarkSpanParallel(b *testing.B) {
	eachImpl(b, batched, false, func(b *testing.B, im impl) {
		r := im.newRig(b, setup{mode: batched})
		b.ReportAllocs()
		b.RunParallel(func(pb *testing.PB) {
			i := 0
			for pb.Next() {
				r.record(r.ctx, i)
				i++
			}
		})
		b.StopTimer()
		r.stop()
	})
}

func BenchmarkSpanDisabled(b *testing.B) {
	eachImpl(b, disabled, false, func(b *testing.B, im impl) {
		r := im.newRig(b, setup{mode: disabled})
		i := 0
		b.ReportAllocs()
		for b.Loop() {
			r.record(r.ctx, i)
			i++
		}
		b.StopTimer()
		r.stop()
	})
}

func BenchmarkSpanNoProcessor(b *testing.B) {
	eachImpl(b, noProcessor, false, func(b *testing.B, im impl) {
		r := im.newRig(b, setup{mode: noProcessor})
		i := 0
		b.ReportAllocs()
		for b.Loop() {
			r.record(r.ctx, i)
			i++
		}
		b.StopTimer()
		r.stop()
	})
}

// exportBatch is how many spans an op of BenchmarkExport records before it
// flushes: fewer than the smallest queue (cozeloop-go's 1024), so that no
// library drops any.
const exportBatch = 512

func BenchmarkExport(b *testing.B) {
	for _, gz := range []bool{false, true} {
		b.Run("gzip="+strconv.FormatBool(gz), func(b *testing.B) {
			eachImpl(b, toSink, gz, func(b *testing.B, im impl) {
				s := newSink(b, false)
				r := im.newRig(b, setup{mode: toSink, url: s.URL, gzip: gz})
				n := 0
				cpu0 := cpuTime()
				b.ReportAllocs()
				for b.Loop() {
					for range exportBatch {
						r.record(r.ctx, n)
						n++
					}
					r.flush()
				}
				b.StopTimer()
				cpu := cpuTime() - cpu0
				r.stop()
				b.ReportMetric(float64(n)/b.Elapsed().Seconds(), "spans/s")
				b.ReportMetric(float64(cpu.Nanoseconds())/float64(n), "cpu-ns/span")
				b.ReportMetric(float64(s.bytes.Load())/float64(n), "B/span")
				b.ReportMetric(0, "ns/op")
			})
		})
	}
}

// deliveredSpans is how many spans each of the two producers of
// BenchmarkDelivered ends: far more than any queue holds, so that the share
// measures how well the worker keeps up, not the queue size.
const deliveredSpans = 100_000

func BenchmarkDelivered(b *testing.B) {
	eachImpl(b, batched, false, func(b *testing.B, im impl) {
		var share float64
		runs := 0
		for b.Loop() {
			r := im.newRig(b, setup{mode: batched})
			var wg sync.WaitGroup
			start := make(chan struct{})
			for range 2 {
				wg.Go(func() {
					<-start
					for i := range deliveredSpans {
						r.record(r.ctx, i)
					}
				})
			}
			close(start)
			wg.Wait()
			r.stop()
			share += float64(r.exported()) / (2 * deliveredSpans)
			runs++
		}
		b.ReportMetric(100*share/float64(runs), "delivered%")
		b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(runs*2*deliveredSpans), "ns/span")
		b.ReportMetric(0, "ns/op")
	})
}

func BenchmarkOverload(b *testing.B) {
	eachImpl(b, backendDown, false, func(b *testing.B, im impl) {
		capturedWire(b) // built once per process, outside what is measured
		var before, after runtime.MemStats
		runtime.GC()
		runtime.ReadMemStats(&before)
		r := im.newRig(b, setup{mode: backendDown, url: deadURL(b)})
		i := 0
		b.ReportAllocs()
		for b.Loop() {
			r.record(r.ctx, i)
			i++
		}
		b.StopTimer()
		runtime.GC()
		runtime.ReadMemStats(&after)
		b.ReportMetric(float64(int64(after.HeapAlloc)-int64(before.HeapAlloc))/(1<<20), "heap-MiB")
		r.stop()
	})
}
