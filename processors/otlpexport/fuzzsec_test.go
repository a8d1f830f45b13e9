package otlpexport

import (
	"net/http"
	"regexp"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/agenttrace/agenttrace-go/internal/httpguard"
	"github.com/agenttrace/agenttrace-go/internal/safetext"

	coltracepb "go.opentelemetry.io/proto/otlp/collector/trace/v1"
	"google.golang.org/protobuf/proto"
)

// fuzzSecret turns fuzz input into a credential: "S3cr" (which no message
// of ours contains, and whose digit no redaction or cut mark has) followed
// by the input's letters, digits and -_.~<>& (characters a server's JSON
// encoder may escape), at most 128 of them (credentials are short; the
// scrubber's cost grows with their length).
func fuzzSecret(s string) string {
	var b strings.Builder
	b.WriteString("S3cr")
	for _, r := range s {
		if b.Len() >= 132 {
			break
		}
		if 'a' <= r && r <= 'z' || 'A' <= r && r <= 'Z' || '0' <= r && r <= '9' || strings.ContainsRune("-_.~<>&", r) {
			b.WriteRune(r)
		}
	}
	return b.String()
}

// checkScrubbed fails when msg shows secret (ASCII letters in any case), or,
// with cuts, when text cut at a cut mark ends with a prefix of secret (the
// caller leaves it off when the server's text may hold a cut mark itself).
func checkScrubbed(t *testing.T, what, msg, secret string, cuts bool) {
	t.Helper()
	low, sec := strings.ToLower(msg), strings.ToLower(secret)
	if strings.Contains(low, sec) {
		t.Fatalf("%s shows the secret %q:\n%s", what, secret, msg)
	}
	for rest := low; cuts; {
		i := strings.Index(rest, strings.ToLower(cutMark))
		if i < 0 {
			break
		}
		for n := 1; n < len(sec) && n <= i; n++ {
			if strings.HasSuffix(rest[:i], sec[:n]) {
				t.Fatalf("%s keeps %q of the secret at a cut:\n%s", what, sec[:n], msg)
			}
		}
		rest = rest[i+len(cutMark):]
	}
}

// FuzzInterpretReply checks reply parsing against any status, content type
// and body: it never panics, bounds what it quotes, and never shows a
// configured secret, whole or in part at a cut, wherever the server echoes
// it.
func FuzzInterpretReply(f *testing.F) {
	ps, _ := proto.Marshal(&coltracepb.ExportTraceServiceResponse{PartialSuccess: &coltracepb.ExportTracePartialSuccess{
		RejectedSpans: 2, ErrorMessage: strings.Repeat("y", 500) + "S3crTok"}})
	for _, s := range []struct {
		status int
		ct     string
		body   string
	}{
		{401, "application/json", `{"msg":"` + strings.Repeat("x", 490) + `S3crTok is invalid"}`},
		{403, "application/json", `{"code":5,"msg":"bad S3crTok"}`},
		{500, "text/plain", strings.Repeat("z", 505) + "S3crTok"},
		{200, "text/html", "<html>" + strings.Repeat("h", 100) + "S3crTok</html>"},
		{200, "application/json", `{"code":600904001,"msg":"token S3crTok"}`},
		{200, "application/json", `{"partialSuccess":{"rejectedSpans":"3","errorMessage":"S3crTok"}}`},
		{200, "application/x-protobuf", string(ps)},
		{200, "", ""},
		{429, "application/json", `{"message":{"S3crTok":[1,2]}}`},
		{200, "application/json", `{"code":"S3crTok","msg":null}`},
		{302, "text/plain", "S3cr"},
	} {
		f.Add(s.status, s.ct, []byte(s.body), "Tok")
	}
	f.Fuzz(func(t *testing.T, status int, ct string, body []byte, secret string) {
		if status < 100 || status > 999 {
			status = 200 + (status%100+100)%100
		}
		secret = fuzzSecret(secret)
		sc := newScrubber("", []map[string]string{{"X-Api-Key": secret}})
		resp := &http.Response{StatusCode: status, Status: http.StatusText(status) + " " + secret, Header: http.Header{}}
		if ct != "" {
			resp.Header.Set("Content-Type", ct+secret)
		}
		o := interpret(resp, body, sc)
		cuts := !strings.Contains(string(body)+ct, "[truncated]")
		checkScrubbed(t, "message", o.message, secret, cuts)
		if o.err != nil {
			msg := o.err.Error()
			checkScrubbed(t, "error", msg, secret, cuts)
			if len(msg) > 2*maxReplyText+maxStatusText+maxTypeText+maxCodeText+256 {
				t.Fatalf("error of %d bytes", len(msg))
			}
			if !utf8.ValidString(msg) {
				t.Fatalf("error is not UTF-8: %q", msg)
			}
		}
		if len(o.message) > maxReplyText+len(redacted) {
			t.Fatalf("partial-success message of %d bytes", len(o.message))
		}
		if o.after < 0 {
			t.Fatalf("negative Retry-After wait %v", o.after)
		}
	})
}

// headerError is every error parseHeaderList may give: the variable, the
// pair's number and offsets, and fixed words; never a byte of the value.
var headerError = regexp.MustCompile(`^otlpexport: OTEL_EXPORTER_OTLP_HEADERS: pair [0-9]+ \(at byte [0-9]+\)(` +
	regexp.QuoteMeta(` has no "=": write key=value pairs separated by commas, a comma inside a value as %2C and a % as %25`) + `|` +
	regexp.QuoteMeta(": the key is empty or not an HTTP header name (letters, digits and !#$%&'*+-.^_`|~ only)") + `|` +
	`: the value has a malformed percent escape at byte [0-9]+ \(write a % as %25\)|` +
	regexp.QuoteMeta(": the value holds a control character (CR, LF, NUL, ...), which HTTP does not allow") + `)$`)

// FuzzParseHeaderList checks the headers variable's parser: an error is
// always one of its fixed forms (so it cannot quote the value), and what it
// accepts net/http can send: token keys, values without control characters
// and without surrounding spaces.
func FuzzParseHeaderList(f *testing.F) {
	for _, s := range []string{
		"cozeloop-workspace-id=7486,Authorization=Bearer pat_xxx", "Authorization: Bearer pat_X", "a=%zz", "a=1,,b=2,",
		"Authorization=Bearer%20pat,x-team=%E5%9B%A2", "=v", "k=v%0D%0AX: 1", "k=a=b", " k = v ", "k\t=v", "", ",", "k=%",
		"Authorization=Bearer pat_a,b", "x=\x00", "x=%7F",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, v string) {
		h, err := parseHeaderList(EnvHeaders, v)
		if err != nil {
			if !headerError.MatchString(err.Error()) {
				t.Fatalf("error %q is not one of the fixed forms", err)
			}
			return
		}
		for k, val := range h {
			if !validHeaderName(k) || !httpguard.ValidHeaderValue(val) || strings.TrimSpace(val) != val {
				t.Fatalf("accepted %q: %q", k, val)
			}
		}
	})
}

// FuzzQuote checks the redaction of secrets in server text: whatever the
// text, the limit and where the secret sits in it (whole, cut, in another
// case, JSON-escaped or percent-encoded), the quote never shows it, never
// ends a cut on a prefix of it, stays valid UTF-8 and within its bound.
func FuzzQuote(f *testing.F) {
	for _, s := range []struct {
		text, secret string
		limit        int
	}{
		{strings.Repeat("x", 495) + "S3crTokenValue", "TokenValue", 512},
		{"prefix s3crtokenvalue suffix", "TokenValue", 20},
		{`{"error":"S3cr\u003cb\u003e"}`, "<b>", 512},
		{"S3cr%3Cb%3E and more text", "<b>", 10},
		{strings.Repeat("é", 200) + "S3crA", "A", 120},
		{"[REDACTED] S3crS3crS3cr", "S3cr", 16},
		// Three secrets shrink the read window below the limit: the cut mark
		// must still fit the bound.
		{strings.Repeat("S3crABCDEFGHIJKLMNOP", 3) + strings.Repeat("x", 300), "ABCDEFGHIJKLMNOP", 200},
		{"", "", 0},
	} {
		f.Add(s.text, s.secret, s.limit)
	}
	f.Fuzz(func(t *testing.T, text, secret string, limit int) {
		limit = (limit%2048 + 2048) % 2048
		secret = fuzzSecret(secret)
		sc := newScrubber("", []map[string]string{{"Authorization": "Bearer " + secret}})
		for _, in := range []string{text, strings.ReplaceAll(text, "S3cr", secret), text + secret} {
			out := sc.quote(in, limit)
			checkScrubbed(t, "quote", out, secret, !strings.Contains(in, "[truncated]"))
			for _, v := range safetext.Variants(secret) {
				if strings.Contains(strings.ToLower(out), strings.ToLower(v)) {
					t.Fatalf("quote shows the variant %q:\n%s", v, out)
				}
			}
			if !utf8.ValidString(out) {
				t.Fatalf("quote is not UTF-8: %q", out)
			}
			if len(out) > max(limit, len(cutMark))+len(redacted)-1 {
				t.Fatalf("quote of %d bytes for a limit of %d", len(out), limit)
			}
			if valid := strings.ToValidUTF8(in, "\uFFFD"); len(valid) <= limit && len(in) <= limit &&
				!strings.Contains(strings.ToLower(in), "s3cr") && out != valid {
				t.Fatalf("quote changed text without secrets or a cut: %q to %q", in, out)
			}
		}
	})
}

// FuzzCheckEndpoint checks that an endpoint's errors never quote its
// password or query, whatever the rest of the URL.
func FuzzCheckEndpoint(f *testing.F) {
	for _, s := range [][4]string{
		{"https", "api.coze.cn", "/v1/traces", "x"}, {"ftp", "h", "/", "y"}, {"http", "", "/p", "z"}, {"", "h:1", "", ""},
		{"https", "h:99999", "/%zz", "q"}, {"mailto", "", "", ""},
		{"ftp://x", "h", "/p", "s"}, // the password lands in the path
	} {
		f.Add(s[0], s[1], s[2], s[3])
	}
	f.Fuzz(func(t *testing.T, scheme, host, path, secret string) {
		if strings.Contains(scheme+host+path, "P4ss") || strings.Contains(scheme+host+path, "Q7v") {
			return // the marks must come from the secrets alone
		}
		pw, q := "P4ss"+fuzzSecret(secret), "Q7v"+fuzzSecret(secret)
		for _, raw := range []string{
			scheme + "://user:" + pw + "@" + host + path + "?token=" + q,
			scheme + ":" + host + path + "?token=" + q,
			scheme + "://" + host + path + "?" + q + "#" + pw,
		} {
			err := checkEndpoint(raw, "endpoint")
			if err != nil && (strings.Contains(err.Error(), "P4ss") || strings.Contains(err.Error(), "Q7v")) {
				t.Fatalf("checkEndpoint(%q) = %v", raw, err)
			}
		}
	})
}
