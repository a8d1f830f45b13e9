package main

import (
	"strings"
	"testing"
)

// benchstat -format csv -col /impl output for two implementations, one
// case significantly different, one not, and a throughput case whose ns/op
// is reported as 0.
const input = `goos: linux
pkg: x
,agenttrace,,otel,,,
,sec/op,CI,sec/op,CI,vs base,P
Span-2,5e-07,1%,1.5e-06,2%,+200.00%,p=0.002 n=6
Export-2,0,0%,0,0%,~,p=1.000 n=6
geomean,5e-07,,1.5e-06,,+200.00%,

,agenttrace,,otel,,,
,spans/s,CI,spans/s,CI,vs base,P
Export-2,90000,3%,60000,9%,~,p=0.065 n=6
geomean,90000,,60000,,-33.33%,
B5: need >= 6 samples for confidence interval at level 0.95
`

func TestRun(t *testing.T) {
	var out strings.Builder
	if err := run(strings.NewReader(input), &out); err != nil {
		t.Fatal(err)
	}
	want := `| case | unit | agenttrace | otel |
|---|---|---|---|
| Span-2 | sec/op | 500ns | 1.5µs (3.00×) |
| Export-2 | spans/s | 9e+04 | 6e+04 (0.67× ~) |
`
	if got := out.String(); got != want {
		t.Errorf("got\n%s\nwant\n%s", got, want)
	}
}

func TestRunEmpty(t *testing.T) {
	if err := run(strings.NewReader("goos: linux\n"), &strings.Builder{}); err == nil {
		t.Error("no error for input without a table")
	}
}
