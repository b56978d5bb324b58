package validation30

import (
	"net/http"
	"testing"

	"github.com/go-chi/httprate"

	"github.com/secgen/secgen/golden/internal/httpcheck"
	"github.com/secgen/secgen/runtime/ratelimit"
)

// uncounted keeps the fuzzer's flood of requests from being rate limited.
func uncounted(ratelimit.Policy) httprate.LimitCounter { return httpcheck.Uncounted{} }

// fuzzBody feeds bodies to the operation at path through the generated
// router, which must answer as httpcheck.CheckOutcome requires.
func fuzzBody(f *testing.F, path string, seeds ...string) {
	router := NewRouter(&recorder{}, WithRateLimitCounter(uncounted))
	httpcheck.FuzzBody(f, router, http.MethodPost, path, seeds...)
}

func FuzzPostStrings(f *testing.F) {
	fuzzBody(f, "/strings",
		`{"name":"éé","code":"ABC-123","secret":"abc123","color":"red","nickname":null,"pin":"1234"}`,
		`{"name":"é","code":"abc","secret":"abcdefgh","color":"mauve","nickname":7,"pin":"x"}`,
		`{"name":"ab","name":"cd"}`,
		`{"NAME":"ab"}`,
		`{"name":"\ud800"}`,
		`[]`,
	)
}

func FuzzPostNumbers(f *testing.F) {
	fuzzBody(f, "/numbers",
		`{"count":5,"ratio":0.5,"step":0.3,"whole":2.0,"small":-2147483648,"large":9223372036854775807,"single":1.5,"score":null,"flag":true}`,
		`{"count":0,"ratio":1,"step":0.35,"whole":2.5,"small":2147483648,"large":9223372036854775808,"single":1e39,"score":"1","flag":"no"}`,
		`{"whole":1e400,"step":-0.0,"ratio":1E-400}`,
		`{"count":10.0,"step":0.30000000000000004}`,
	)
}

func FuzzPostFormats(f *testing.F) {
	fuzzBody(f, "/formats",
		`{"email":"ada@example.com","uuid":"3fa85f64-5717-4562-b3fc-2c963f66afa6","date":"2024-02-29","dateTime":"2024-02-29T12:30:00+01:00",`+
			`"time":"12:30:00Z","duration":"P1DT2H","ipv4":"192.168.0.1","ipv6":"2001:db8::1","hostname":"api.example.com",`+
			`"uri":"https://example.com/a?b=c","uriReference":"../a","byte":"aGVsbG8=","int32":1,"int64":2,"float":1.5,"double":2.5,"colour":"red"}`,
		`{"email":"ada.example.com","uuid":"x","date":"2023-02-29","dateTime":"2024-02-29 12:30","time":"25:00:00Z","duration":"P1H",`+
			`"ipv4":"256.0.0.1","ipv6":"::1::","hostname":"-a","uri":"/a","uriReference":"a b","byte":"aGVsbG8","int32":2147483648,"double":1e309}`,
		`{"dateTime":"2016-12-31T23:59:60Z","time":"23:59:60+00:00"}`,
	)
}

func FuzzPostObjects(f *testing.F) {
	fuzzBody(f, "/objects",
		`{"role":"user","closed":{"a":"x"},"open":{"a":"x","b":[1]},"counts":{"x":1},"sized":{"a":"b"}}`,
		`{"role":"user","ROLE":"admin","id":1,"closed":{"b":1},"counts":{"x":-1},"sized":{}}`,
		`{"counts":{"a/b~c":1,"":2}}`,
		`{}`,
	)
}

func FuzzPostArrays(f *testing.F) {
	fuzzBody(f, "/arrays",
		`{"tags":["a","b"],"unique":[1,"1",{"a":1},[1]],"points":[{"x":1,"y":2}],"many":[1,2]}`,
		`{"tags":[],"unique":[{"a":1,"b":2},{"b":2,"a":1}],"points":[{"x":1}],"many":["a","b"]}`,
		`{"unique":[1,1.0,1e0,10e-1]}`,
		`{"unique":[[[[[[[[[[1]]]]]]]]]]}`,
	)
}

func FuzzPostComposition(f *testing.F) {
	fuzzBody(f, "/composition",
		`{"person":{"name":"Ada","age":36},"label":"abc","even":4,"other":5}`,
		`{"person":{"name":"","age":-1,"x":1},"label":"abcd","even":6,"other":"s"}`,
		`{"label":-1,"even":5.0,"other":null}`,
	)
}

func FuzzPostShape(f *testing.F) {
	fuzzBody(f, "/shapes",
		`{"kind":"round","radius":2}`,
		`{"kind":"square","side":-1}`,
		`{"kind":"circle"}`,
		`{"kind":1}`,
		`[{"kind":"round","radius":2}]`,
	)
}

func FuzzPostAnimal(f *testing.F) {
	fuzzBody(f, "/animals",
		`{"petType":"Cat","lives":9}`,
		`{"petType":"Dog","bark":"loud"}`,
		`{"petType":"dog"}`,
		`{"lives":10}`,
	)
}

func FuzzPostDefaults(f *testing.F) {
	fuzzBody(f, "/defaults",
		`{}`,
		`{"level":"warn","retries":0,"ratio":0,"verbose":true,"note":""}`,
		`{"level":"trace","retries":"3"}`,
	)
}
