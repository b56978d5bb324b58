// Command ratios reads the CSV that `benchstat -col /server -format csv`
// prints and writes, as a Markdown table, the ratio of one server's center
// value to each other server's, for every unit and benchmark:
//
//	benchstat -col /server -format csv bench.txt | ratios -base secgen -vs ogen,oapicodegen,floor
//
// A ratio below 1 means the base server is faster (or allocates less).
package main

import (
	"encoding/csv"
	"errors"
	"flag"
	"fmt"
	"io"
	"math"
	"os"
	"strconv"
	"strings"
)

func main() {
	base := flag.String("base", "secgen", "the server whose values are the numerators")
	vs := flag.String("vs", "ogen,oapicodegen,floor", "comma-separated servers to divide by")
	flag.Parse()
	rows, err := ratios(os.Stdin, *base, strings.Split(*vs, ","))
	if err == nil {
		err = write(os.Stdout, *base, strings.Split(*vs, ","), rows)
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "ratios:", err)
		os.Exit(1)
	}
}

// row is one benchmark in one unit: base/other for each other server, NaN
// where either value is missing.
type row struct {
	unit, benchmark string
	ratios          []float64
}

// ratios reads benchstat's CSV: one table per unit, each starting with a
// row naming the servers above their value columns and a row naming the
// unit (both with an empty first cell), then one row per benchmark and a
// geomean row. Single-cell rows (goos, cpu, ...) are skipped. benchstat's
// geomean row is replaced by the geometric mean of the ratios of the
// benchmarks that both servers finished, so that a benchmark one server
// failed does not skew it.
func ratios(r io.Reader, base string, others []string) ([]row, error) {
	cr := csv.NewReader(r)
	cr.FieldsPerRecord = -1
	records, err := cr.ReadAll()
	if err != nil {
		return nil, fmt.Errorf("reading benchstat csv: %w", err)
	}
	var rows []row
	var column map[string]int
	var unit string
	for i := 0; i < len(records); i++ {
		rec := records[i]
		switch {
		case len(rec) < 2:
			continue
		case rec[0] == "":
			if i+1 >= len(records) || len(records[i+1]) < 2 || records[i+1][0] != "" {
				return nil, fmt.Errorf("line %d: a table header without its unit row", i+1)
			}
			rows = appendGeomean(rows, unit)
			column = map[string]int{}
			for j, name := range rec {
				if name != "" {
					column[name] = j
				}
			}
			for _, name := range append([]string{base}, others...) {
				if _, ok := column[name]; !ok {
					return nil, fmt.Errorf("line %d: no column for server %q", i+1, name)
				}
			}
			i++
			unit = records[i][column[base]]
		case column == nil:
			return nil, fmt.Errorf("line %d: a benchmark row before any table header", i+1)
		case rec[0] == "geomean":
			continue
		default:
			b := value(rec, column[base])
			rw := row{unit: unit, benchmark: rec[0]}
			for _, o := range others {
				rw.ratios = append(rw.ratios, b/value(rec, column[o]))
			}
			rows = append(rows, rw)
		}
	}
	rows = appendGeomean(rows, unit)
	if len(rows) == 0 {
		return nil, errors.New("no benchmark rows in the input")
	}
	return rows, nil
}

// appendGeomean ends the rows of unit with their geometric mean, taken per
// column over the finite ratios; it adds nothing if unit has no rows.
func appendGeomean(rows []row, unit string) []row {
	start := len(rows)
	for start > 0 && rows[start-1].unit == unit {
		start--
	}
	if start == len(rows) {
		return rows
	}
	mean := row{unit: unit, benchmark: "geomean", ratios: make([]float64, len(rows[start].ratios))}
	for j := range mean.ratios {
		sum, n := 0.0, 0
		for _, r := range rows[start:] {
			if x := r.ratios[j]; x > 0 && !math.IsInf(x, 0) {
				sum += math.Log(x)
				n++
			}
		}
		mean.ratios[j] = math.NaN()
		if n > 0 {
			mean.ratios[j] = math.Exp(sum / float64(n))
		}
	}
	return append(rows, mean)
}

// value is the number in column j, NaN if it is absent or not a number.
func value(rec []string, j int) float64 {
	if j >= len(rec) {
		return math.NaN()
	}
	v, err := strconv.ParseFloat(rec[j], 64)
	if err != nil {
		return math.NaN()
	}
	return v
}

// write prints the rows as a Markdown table, a dash where a ratio is
// missing.
func write(w io.Writer, base string, others []string, rows []row) error {
	var b strings.Builder
	b.WriteString("| unit | benchmark |")
	for _, o := range others {
		fmt.Fprintf(&b, " %s/%s |", base, o)
	}
	b.WriteString("\n| --- | --- |" + strings.Repeat(" ---: |", len(others)) + "\n")
	for _, r := range rows {
		fmt.Fprintf(&b, "| %s | %s |", r.unit, r.benchmark)
		for _, x := range r.ratios {
			if math.IsNaN(x) || math.IsInf(x, 0) {
				b.WriteString(" - |")
				continue
			}
			fmt.Fprintf(&b, " %.2f |", x)
		}
		b.WriteString("\n")
	}
	_, err := io.WriteString(w, b.String())
	return err
}
