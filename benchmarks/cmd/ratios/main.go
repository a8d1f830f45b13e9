// Command ratios turns benchstat's CSV output (benchstat -format csv -col
// /impl) into one markdown table: a row per case and unit, a column per
// implementation, each cell the median and its ratio to the first (base)
// column, with "~" where benchstat finds no significant difference.
//
//	go tool benchstat -format csv -col /impl bench.txt | go run ./cmd/ratios
package main

import (
	"bufio"
	"encoding/csv"
	"fmt"
	"io"
	"os"
	"slices"
	"strconv"
	"strings"
	"time"
)

func main() {
	if err := run(os.Stdin, os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "ratios:", err)
		os.Exit(1)
	}
}

// block is one table of benchstat's CSV: a unit, implementation columns
// and rows.
type block struct {
	impls []string
	cols  []int // the value column of each implementation
	unit  string
	rows  [][]string
}

func run(in io.Reader, out io.Writer) error {
	r := csv.NewReader(bufio.NewReader(in))
	r.FieldsPerRecord = -1
	var (
		blocks []*block
		cur    *block
		impls  []string
	)
	order := map[string]bool{}
	for {
		rec, err := r.Read()
		if err == io.EOF {
			break
		}
		if err != nil {
			return err
		}
		switch {
		case len(rec) < 2 || strings.Contains(rec[0], ":"):
			// a header (goos: ...) or a note
		case rec[0] == "" && slices.Contains(rec, "CI"):
			if cur != nil {
				cur.unit = rec[1]
			}
		case rec[0] == "":
			cur = &block{}
			for i, f := range rec[1:] {
				if f != "" {
					cur.impls = append(cur.impls, f)
					cur.cols = append(cur.cols, i+1)
					if !order[f] {
						order[f] = true
						impls = append(impls, f)
					}
				}
			}
			blocks = append(blocks, cur)
		case cur != nil && rec[0] != "geomean":
			cur.rows = append(cur.rows, rec)
		}
	}
	if len(impls) == 0 {
		return fmt.Errorf("no benchstat table on input")
	}
	fmt.Fprintf(out, "| case | unit | %s |\n|---|---|%s\n", strings.Join(impls, " | "), strings.Repeat("---|", len(impls)))
	// Rows of one case together, cases in the order they first appear.
	var cases []string
	lines := map[string][]string{}
	defer func() {
		for _, c := range cases {
			for _, l := range lines[c] {
				fmt.Fprintln(out, l)
			}
		}
	}()
	for _, b := range blocks {
		for _, row := range b.rows {
			if !anyValue(row, b.cols) {
				continue // a metric reported as 0, such as ns/op of a throughput case
			}
			cells := make([]string, len(impls))
			base, baseOK := value(row, b.cols[0])
			for k, name := range b.impls {
				v, ok := value(row, b.cols[k])
				if !ok {
					continue
				}
				cell := format(v, b.unit)
				if k > 0 && baseOK && base != 0 {
					cell += fmt.Sprintf(" (%.2f×", v/base)
					if sig := field(row, b.cols[k]+2); sig == "~" {
						cell += " ~"
					}
					cell += ")"
				}
				for j, n := range impls {
					if n == name {
						cells[j] = cell
					}
				}
			}
			if _, seen := lines[row[0]]; !seen {
				cases = append(cases, row[0])
			}
			lines[row[0]] = append(lines[row[0]], fmt.Sprintf("| %s | %s | %s |", row[0], b.unit, strings.Join(cells, " | ")))
		}
	}
	return nil
}

// anyValue reports whether row has a non-zero value in one of cols.
func anyValue(row []string, cols []int) bool {
	for _, c := range cols {
		if v, ok := value(row, c); ok && v != 0 {
			return true
		}
	}
	return false
}

func field(row []string, i int) string {
	if i < len(row) {
		return row[i]
	}
	return ""
}

func value(row []string, i int) (float64, bool) {
	v, err := strconv.ParseFloat(field(row, i), 64)
	return v, err == nil
}

// format prints v in its unit: times as durations, other values with four
// significant digits.
func format(v float64, unit string) string {
	if unit == "sec/op" {
		return time.Duration(v * 1e9).String()
	}
	return strconv.FormatFloat(v, 'g', 4, 64)
}
