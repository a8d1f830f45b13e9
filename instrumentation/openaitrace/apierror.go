package openaitrace

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"

	"github.com/agenttrace/agenttrace-go/tracing"
)

// apiError returns the span error of a failed HTTP response: the status,
// and the API's error message, type, code and parameter where the body
// gives them, in OpenAI's shape {"error":{"message","type","code","param"}}
// or the flat {"code","message"} some compatible vendors answer with.
// Secrets of req never appear in it.
func apiError(req *http.Request, status int, body []byte) *tracing.SpanError {
	var w struct {
		Error   json.RawMessage `json:"error"`
		Message string          `json:"message"`
		Code    json.RawMessage `json:"code"`
		Type    string          `json:"type"`
	}
	var e struct {
		Message string          `json:"message"`
		Type    string          `json:"type"`
		Code    json.RawMessage `json:"code"`
		Param   json.RawMessage `json:"param"`
	}
	if json.Unmarshal(body, &w) == nil {
		switch b := bytes.TrimSpace(w.Error); {
		case len(b) > 0 && b[0] == '{':
			_ = json.Unmarshal(b, &e)
		case len(b) > 0 && b[0] == '"':
			_ = json.Unmarshal(b, &e.Message)
		default:
			e.Message, e.Type, e.Code = w.Message, w.Type, w.Code
		}
	}
	return statusError(req, status, e.Message, e.Type, e.Code, e.Param)
}

// statusError builds the span error of an API error with the given status
// (0 for an error reported inside a stream).
func statusError(req *http.Request, status int, msg, typ string, code, param json.RawMessage) *tracing.SpanError {
	data := make(map[string]any, 4)
	var text string
	if status != 0 {
		data["status_code"] = status
		text = strconv.Itoa(status)
		if st := http.StatusText(status); st != "" {
			text += " " + st
		}
	}
	if msg = strings.TrimSpace(scrub(req, msg)); msg != "" {
		if text != "" {
			text += ": "
		}
		text += msg
	}
	if typ != "" {
		data["type"] = scrub(req, typ)
	}
	if c := jsonScalar(code); c != "" {
		data["code"] = scrub(req, c)
	}
	if p := jsonScalar(param); p != "" {
		data["param"] = scrub(req, p)
	}
	if text == "" {
		text = "API error"
	}
	return &tracing.SpanError{Message: text, Data: data}
}

// jsonScalar returns a JSON string's text, another scalar's JSON text, and
// "" for null, objects and lists.
func jsonScalar(raw json.RawMessage) string {
	raw = bytes.TrimSpace(raw)
	if len(raw) == 0 || raw[0] == '{' || raw[0] == '[' || string(raw) == "null" {
		return ""
	}
	var s string
	if raw[0] == '"' {
		if json.Unmarshal(raw, &s) != nil {
			return ""
		}
		return s
	}
	return string(raw)
}

// transportError returns the span error of a request that got no
// response, its message stripped of the request's query, user info and
// secrets.
func transportError(req *http.Request, err error) *tracing.SpanError {
	return &tracing.SpanError{Message: scrub(req, errorText(err))}
}

// errorText returns err's message; an Error method that panics yields a
// description of err's type.
func errorText(err error) (s string) {
	defer func() {
		if recover() != nil {
			s = fmt.Sprintf("%T (its Error method panicked)", err)
		}
	}()
	return err.Error()
}

// keyShaped matches OpenAI-style secret keys (sk-..., sk-proj-...), whole
// or masked as the API quotes them in its errors.
var keyShaped = regexp.MustCompile(`\b(?:sk|rk|pk)-[A-Za-z0-9_*.\-]{6,}`)

// scrub removes from s the credentials of req: the bearer token or API key
// headers, the query values and user info of its URL (the URL itself is
// replaced by one without query and user info), and anything shaped like
// an OpenAI key.
func scrub(req *http.Request, s string) string {
	if s == "" {
		return s
	}
	if req != nil {
		if u := req.URL; u != nil && (u.RawQuery != "" || u.User != nil) {
			full := u.String()
			s = strings.ReplaceAll(s, full, safeURL(u))
			for _, vs := range u.Query() {
				for _, v := range vs {
					s = replaceSecret(s, v)
				}
			}
			if u.User != nil {
				s = replaceSecret(s, u.User.Username())
				if p, ok := u.User.Password(); ok {
					s = replaceSecret(s, p)
				}
			}
		}
		for _, h := range credentialHeaders {
			v := req.Header.Get(h)
			if h == "Authorization" {
				if _, tok, ok := strings.Cut(v, " "); ok {
					v = tok
				}
			}
			s = replaceSecret(s, v)
		}
	}
	return keyShaped.ReplaceAllString(s, "sk-***")
}

// credentialHeaders are the request headers that carry an API key: OpenAI's
// bearer token, Azure's api-key, and the x-api-key some gateways use.
var credentialHeaders = []string{"Authorization", "Api-Key", "X-Api-Key"}

// replaceSecret replaces secret in s; secrets too short to be one are left.
func replaceSecret(s, secret string) string {
	secret = strings.TrimSpace(secret)
	if len(secret) < 8 {
		return s
	}
	return strings.ReplaceAll(s, secret, "***")
}

// safeURL returns u without user info and query.
func safeURL(u *url.URL) string {
	c := *u
	c.User, c.RawQuery, c.ForceQuery, c.Fragment, c.RawFragment = nil, "", false, "", ""
	return c.String()
}
