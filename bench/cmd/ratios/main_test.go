package main

import (
	"strings"
	"testing"
)

// twoUnits is benchstat's CSV for two units, with a benchmark that the base
// server did not finish (benchstat's geomean then spans different sets).
const twoUnits = `goos: linux
cpu: AMD EPYC
,secgen,,oapicodegen,,,,ogen,,,,floor,,,
,sec/op,CI,sec/op,CI,vs base,P,sec/op,CI,vs base,P,sec/op,CI,vs base,P
CreateUserValid-2,4e-06,1%,2e-05,2%,+400.00%,p=0.000 n=10,2e-06,1%,-50.00%,p=0.000 n=10,8e-06,3%,+100.00%,p=0.000 n=10
CreateUserInvalid-2,,,3.6e-05,1%,,,1.8e-05,1%,,,7e-06,1%
ListUsers-2,1e-06,1%,4e-06,2%,+300.00%,p=0.000 n=10,2e-06,1%,+100.00%,p=0.000 n=10,1e-06,3%,~,p=0.400 n=10
geomean,2e-06,,1.7e-05,,+750.00%,,4.2e-06,,+110.00%,,4.9e-06,,+145.00%,

,secgen,,oapicodegen,,,,ogen,,,,floor,,,
,allocs/op,CI,allocs/op,CI,vs base,P,allocs/op,CI,vs base,P,allocs/op,CI,vs base,P
CreateUserValid-2,40,0%,160,0%,+300.00%,p=0.000 n=10,40,0%,~,p=1.000 n=10,20,0%,-50.00%,p=0.000 n=10
`

func TestRatios(t *testing.T) {
	tests := []struct {
		name   string
		input  string
		others []string
		want   string
		err    string
	}{
		{
			name:   "divides the base by every other server in each unit, marks a missing value with a dash and averages the ratios both servers have",
			input:  twoUnits,
			others: []string{"ogen", "oapicodegen", "floor"},
			want: `| unit | benchmark | secgen/ogen | secgen/oapicodegen | secgen/floor |
| --- | --- | ---: | ---: | ---: |
| sec/op | CreateUserValid-2 | 2.00 | 0.20 | 0.50 |
| sec/op | CreateUserInvalid-2 | - | - | - |
| sec/op | ListUsers-2 | 0.50 | 0.25 | 1.00 |
| sec/op | geomean | 1.00 | 0.22 | 0.71 |
| allocs/op | CreateUserValid-2 | 1.00 | 0.25 | 2.00 |
| allocs/op | geomean | 1.00 | 0.25 | 2.00 |
`,
		},
		{
			name:   "keeps the order of the servers it is asked for",
			input:  twoUnits,
			others: []string{"floor"},
			want: `| unit | benchmark | secgen/floor |
| --- | --- | ---: |
| sec/op | CreateUserValid-2 | 0.50 |
| sec/op | CreateUserInvalid-2 | - |
| sec/op | ListUsers-2 | 1.00 |
| sec/op | geomean | 0.71 |
| allocs/op | CreateUserValid-2 | 2.00 |
| allocs/op | geomean | 2.00 |
`,
		},
		{
			name:   "leaves the mean blank when the base finished no benchmark",
			input:  ",secgen,,ogen,,,\n,sec/op,CI,sec/op,CI,vs base,P\nCreateUserInvalid-2,,,1.8e-05,1%,,\n",
			others: []string{"ogen"},
			want: `| unit | benchmark | secgen/ogen |
| --- | --- | ---: |
| sec/op | CreateUserInvalid-2 | - |
| sec/op | geomean | - |
`,
		},
		{
			name:   "refuses a server that has no column",
			input:  twoUnits,
			others: []string{"gin"},
			err:    `line 3: no column for server "gin"`,
		},
		{
			name:   "refuses an input without benchmarks",
			input:  "\n",
			others: []string{"ogen"},
			err:    "no benchmark rows in the input",
		},
		{
			name:   "refuses a benchmark row before any table header",
			input:  "CreateUserValid-2,4e-06,1%\n",
			others: []string{"ogen"},
			err:    "line 1: a benchmark row before any table header",
		},
		{
			name:   "refuses a header without its unit row",
			input:  ",secgen,,ogen,,,\n",
			others: []string{"ogen"},
			err:    "line 1: a table header without its unit row",
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			rows, err := ratios(strings.NewReader(tc.input), "secgen", tc.others)
			if tc.err != "" {
				if err == nil || err.Error() != tc.err {
					t.Fatalf("error = %v, want %q", err, tc.err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			var b strings.Builder
			if err := write(&b, "secgen", tc.others, rows); err != nil {
				t.Fatal(err)
			}
			if got := b.String(); got != tc.want {
				t.Errorf("table:\n%s\nwant:\n%s", got, tc.want)
			}
		})
	}
}
