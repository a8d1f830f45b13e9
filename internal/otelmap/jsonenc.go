package otelmap

import (
	"encoding/json"
	"strconv"
	"strings"
	"unicode/utf8"
	"unsafe"

	"github.com/agenttrace/agenttrace-go/internal/clip"
	"github.com/agenttrace/agenttrace-go/spans"
)

// Hand-written encoders for the message shapes every model span carries:
// they produce the same text as encoding/json (without HTML escaping) for the
// types in messages.go, at a fraction of the cost of reflection. The tests
// compare them with encoding/json.

const hexDigits = "0123456789abcdef"

// appendString appends s as a JSON string: quotes, backslashes and control
// characters escaped, invalid UTF-8 replaced by U+FFFD, U+2028 and U+2029
// escaped (as encoding/json does).
func appendString(b []byte, s string) []byte {
	b = append(b, '"')
	start := 0
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			if c >= 0x20 && c != '"' && c != '\\' {
				i++
				continue
			}
			b = append(b, s[start:i]...)
			switch c {
			case '"', '\\':
				b = append(b, '\\', c)
			case '\n':
				b = append(b, '\\', 'n')
			case '\r':
				b = append(b, '\\', 'r')
			case '\t':
				b = append(b, '\\', 't')
			case '\b':
				b = append(b, '\\', 'b')
			case '\f':
				b = append(b, '\\', 'f')
			default:
				b = append(b, '\\', 'u', '0', '0', hexDigits[c>>4], hexDigits[c&0xF])
			}
			i++
			start = i
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && size == 1 {
			b = append(b, s[start:i]...)
			b = append(b, `\ufffd`...)
			i += size
			start = i
			continue
		}
		if r == '\u2028' || r == '\u2029' {
			b = append(b, s[start:i]...)
			b = append(b, '\\', 'u', '2', '0', '2', hexDigits[r&0xF])
			i += size
			start = i
			continue
		}
		i += size
	}
	b = append(b, s[start:]...)
	return append(b, '"')
}

// appendRawOrString appends s as raw JSON when it is valid JSON (compacted,
// as encoding/json does for a json.RawMessage, and made valid UTF-8, which
// json.Valid does not check inside strings), else as a JSON string.
func appendRawOrString(b []byte, s string) []byte {
	if s != "" && json.Valid([]byte(s)) {
		if isCompact(s) {
			return append(b, s...)
		}
		if c, err := clip.MarshalNoEscape(json.RawMessage(clip.ValidUTF8(s))); err == nil {
			return append(b, c...)
		}
	}
	return appendString(b, s)
}

// isCompact reports whether valid JSON text s has no whitespace outside
// strings and no characters encoding/json would escape inside them, so that
// encoding/json would copy it unchanged.
func isCompact(s string) bool {
	inStr, esc := false, false
	for i := 0; i < len(s); i++ {
		c := s[i]
		if inStr {
			switch {
			case esc:
				esc = false
			case c == '\\':
				esc = true
			case c == '"':
				inStr = false
			case c >= utf8.RuneSelf:
				return false // leave U+2028/U+2029 and invalid UTF-8 to encoding/json
			}
			continue
		}
		switch c {
		case ' ', '\t', '\n', '\r':
			return false
		case '"':
			inStr = true
		}
	}
	return true
}

func appendChatMessage(b []byte, m spans.Message) []byte { return appendChatMessageMemo(b, m, nil) }

// appendChatMessageMemo is appendChatMessage recording its long texts in e
// (see escapes); e may be nil.
func appendChatMessageMemo(b []byte, m spans.Message, e *escapes) []byte {
	b = append(b, `{"role":`...)
	b = appendString(b, m.Role)
	b = append(b, `,"content":`...)
	switch {
	case m.Parts != nil:
		b = append(b, '[')
		for i, p := range m.Parts {
			if i > 0 {
				b = append(b, ',')
			}
			b = appendChatPart(b, p, e)
		}
		b = append(b, ']')
	case m.Content == "" && (len(m.ToolCalls) > 0 || m.Refusal != "" || m.Audio != nil):
		b = append(b, `null`...) // as OpenAI writes a message that only calls tools
	default:
		b = e.record(b, m.Content)
	}
	if m.Name != "" {
		b = append(b, `,"name":`...)
		b = appendString(b, m.Name)
	}
	if m.ToolCallID != "" {
		b = append(b, `,"tool_call_id":`...)
		b = appendString(b, m.ToolCallID)
	}
	if len(m.ToolCalls) > 0 {
		b = append(b, `,"tool_calls":[`...)
		for i, tc := range m.ToolCalls {
			if i > 0 {
				b = append(b, ',')
			}
			b = append(b, `{"id":`...)
			b = appendString(b, tc.ID)
			b = append(b, `,"type":"function","function":{"name":`...)
			b = appendString(b, tc.Name)
			b = append(b, `,"arguments":`...)
			b = appendString(b, tc.Arguments)
			b = append(b, `}}`...)
		}
		b = append(b, ']')
	}
	if m.Refusal != "" {
		b = append(b, `,"refusal":`...)
		b = e.record(b, m.Refusal)
	}
	if a := m.Audio; a != nil { // the audio's id and transcript; its bytes are never inlined
		b = append(b, `,"audio":{"id":`...)
		b = appendString(b, a.ID)
		if a.Transcript != "" {
			b = append(b, `,"transcript":`...)
			b = appendString(b, a.Transcript)
		}
		b = append(b, '}')
	}
	if m.ReasoningContent != "" {
		b = append(b, `,"reasoning_content":`...)
		b = e.record(b, m.ReasoningContent)
	}
	return append(b, '}')
}

// appendChatPart appends a content part in the chat-completions shape. Audio
// bytes are never inlined: an input_audio part keeps its format and the
// size of its data.
func appendChatPart(b []byte, p spans.Part, e *escapes) []byte {
	b = append(b, `{"type":`...)
	b = appendString(b, p.Type)
	switch p.Type {
	case spans.PartText:
		b = append(b, `,"text":`...)
		b = e.record(b, p.Text)
	case spans.PartRefusal:
		b = append(b, `,"refusal":`...)
		b = e.record(b, p.Text)
	case spans.PartImageURL:
		b = append(b, `,"image_url":{"url":`...)
		b = appendString(b, p.URL)
		if p.Detail != "" {
			b = append(b, `,"detail":`...)
			b = appendString(b, p.Detail)
		}
		b = append(b, '}')
	case spans.PartInputAudio:
		b = append(b, `,"input_audio":{"data":`...)
		b = appendString(b, audioPlaceholder(len(p.Data), p.Format))
		b = append(b, `,"format":`...)
		b = appendString(b, p.Format)
		b = append(b, '}')
	case spans.PartFile:
		b = append(b, `,"file":{`...)
		n := 0
		for _, f := range [...]struct{ k, v string }{{"filename", p.Filename}, {"file_id", p.FileID}} {
			if f.v == "" {
				continue
			}
			if n > 0 {
				b = append(b, ',')
			}
			n++
			b = appendString(b, f.k)
			b = append(b, ':')
			b = appendString(b, f.v)
		}
		if p.Data != "" {
			if n > 0 {
				b = append(b, ',')
			}
			b = append(b, `"file_data":`...)
			b = appendString(b, "[file: "+strconv.Itoa(len(p.Data))+" bytes of base64]")
		}
		b = append(b, '}')
	default:
		if p.Text != "" {
			b = append(b, `,"text":`...)
			b = appendString(b, p.Text)
		}
	}
	return append(b, '}')
}

// appendChatMessages appends msgs as a JSON list of chat messages,
// recording their long texts in e (which may be nil).
func appendChatMessages(b []byte, msgs []spans.Message, e *escapes) []byte {
	b = append(b, '[')
	for i, m := range msgs {
		if i > 0 {
			b = append(b, ',')
		}
		b = appendChatMessageMemo(b, m, e)
	}
	return append(b, ']')
}

// chatInputJSON returns {"messages":[...],"tools":[...]} (tools left out
// when there are none).
func chatInputJSON(msgs []spans.Message, tools []spans.Tool) string {
	return chatInputJSONMemo(msgs, tools, nil)
}

// chatInputJSONMemo is chatInputJSON recording the messages' long texts in
// e (see escapes); e may be nil.
func chatInputJSONMemo(msgs []spans.Message, tools []spans.Tool, e *escapes) string {
	b := make([]byte, 0, 64+contentLen(msgs)*5/4+128*len(tools))
	b = append(b, `{"messages":`...)
	b = appendChatMessages(b, msgs, e)
	if len(tools) > 0 {
		b = append(b, `,"tools":`...)
		b = appendTools(b, tools)
	}
	b = append(b, '}')
	return e.done(b)
}

// appendTools appends tools in the chat-completions shape
// [{"type":"function","function":{"name","description","parameters"}}].
func appendTools(b []byte, tools []spans.Tool) []byte {
	b = append(b, '[')
	for i, t := range tools {
		if i > 0 {
			b = append(b, ',')
		}
		b = append(b, `{"type":"function","function":{"name":`...)
		b = appendString(b, t.Name)
		if t.Description != "" {
			b = append(b, `,"description":`...)
			b = appendString(b, t.Description)
		}
		if t.Parameters != "" {
			b = append(b, `,"parameters":`...)
			b = appendRawOrString(b, t.Parameters)
		}
		b = append(b, `}}`...)
	}
	return append(b, ']')
}

// chatOutputJSON returns {"choices":[{"index":i,"finish_reason":...,"message":{...}}]}.
func chatOutputJSON(msgs []spans.Message, finish string) string {
	return chatOutputJSONMemo(msgs, finish, nil)
}

// chatOutputJSONMemo is chatOutputJSON recording the messages' long texts
// in e (see escapes); e may be nil.
func chatOutputJSONMemo(msgs []spans.Message, finish string, e *escapes) string {
	b := make([]byte, 0, 64+contentLen(msgs)*5/4)
	b = append(b, `{"choices":[`...)
	for i, m := range msgs {
		if i > 0 {
			b = append(b, ',')
		}
		b = append(b, `{"index":`...)
		b = strconv.AppendInt(b, int64(i), 10)
		if finish != "" {
			b = append(b, `,"finish_reason":`...)
			b = appendString(b, finish)
		}
		b = append(b, `,"message":`...)
		b = appendChatMessageMemo(b, m, e)
		b = append(b, '}')
	}
	b = append(b, `]}`...)
	return e.done(b)
}

// genaiMessagesJSON returns the OTel GenAI message list of msgs.
func genaiMessagesJSON(msgs []spans.Message, finish string) string {
	return genaiMessagesJSONMemo(msgs, finish, nil)
}

// genaiMessagesJSONMemo is genaiMessagesJSON copying the escaped texts that
// e recorded (see escapes) instead of escaping them again; e may be nil.
func genaiMessagesJSONMemo(msgs []spans.Message, finish string, e *escapes) string {
	b := make([]byte, 0, 16+contentLen(msgs)*5/4)
	b = append(b, '[')
	for i, m := range msgs {
		if i > 0 {
			b = append(b, ',')
		}
		b = append(b, `{"role":`...)
		b = appendString(b, m.Role)
		b = append(b, `,"parts":[`...)
		n := 0
		part := func() {
			if n > 0 {
				b = append(b, ',')
			}
			n++
		}
		if m.ReasoningContent != "" {
			part()
			b = append(b, `{"type":"reasoning","content":`...)
			b = e.copy(b, m.ReasoningContent)
			b = append(b, '}')
		}
		switch {
		case m.Role == "tool" && m.ToolCallID != "":
			part()
			b = append(b, `{"type":"tool_call_response","id":`...)
			b = appendString(b, m.ToolCallID)
			b = append(b, `,"response":`...)
			b = e.copy(b, m.Text())
			b = append(b, '}')
		case m.Parts != nil:
			for _, p := range m.Parts {
				part()
				b = appendGenAIPart(b, p, e)
			}
		case m.Content != "":
			part()
			b = append(b, `{"type":"text","content":`...)
			b = e.copy(b, m.Content)
			b = append(b, '}')
		}
		if m.Refusal != "" {
			part()
			b = append(b, `{"type":"refusal","content":`...)
			b = e.copy(b, m.Refusal)
			b = append(b, '}')
		}
		for _, tc := range m.ToolCalls {
			part()
			b = append(b, `{"type":"tool_call"`...)
			if tc.ID != "" {
				b = append(b, `,"id":`...)
				b = appendString(b, tc.ID)
			}
			if tc.Name != "" {
				b = append(b, `,"name":`...)
				b = appendString(b, tc.Name)
			}
			if tc.Arguments != "" {
				b = append(b, `,"arguments":`...)
				b = appendRawOrString(b, tc.Arguments)
			}
			b = append(b, '}')
		}
		b = append(b, ']')
		if m.Name != "" {
			b = append(b, `,"name":`...)
			b = appendString(b, m.Name)
		}
		if finish != "" {
			b = append(b, `,"finish_reason":`...)
			b = appendString(b, finish)
		}
		b = append(b, '}')
	}
	b = append(b, ']')
	return string(b)
}

// appendGenAIPart appends a content part in the OTel GenAI shape: text,
// uri (images by URL), blob (inline data, never inlined: its size stands in)
// or file (by id).
func appendGenAIPart(b []byte, p spans.Part, e *escapes) []byte {
	switch p.Type {
	case spans.PartText:
		b = append(b, `{"type":"text","content":`...)
		b = e.copy(b, p.Text)
	case spans.PartRefusal:
		b = append(b, `{"type":"refusal","content":`...)
		b = e.copy(b, p.Text)
	case spans.PartImageURL:
		if strings.HasPrefix(p.URL, "data:") {
			b = append(b, `{"type":"blob","modality":"image","content":`...)
			b = appendString(b, "[image: "+strconv.Itoa(len(p.URL))+" bytes of data URL]")
			break
		}
		b = append(b, `{"type":"uri","modality":"image","uri":`...)
		b = appendString(b, p.URL)
	case spans.PartInputAudio:
		b = append(b, `{"type":"blob","modality":"audio","content":`...)
		b = appendString(b, audioPlaceholder(len(p.Data), p.Format))
	case spans.PartFile:
		if p.FileID != "" {
			b = append(b, `{"type":"file","file_id":`...)
			b = appendString(b, p.FileID)
		} else {
			b = append(b, `{"type":"blob","content":`...)
			b = appendString(b, "[file: "+strconv.Itoa(len(p.Data))+" bytes of base64]")
		}
	default:
		b = append(b, `{"type":`...)
		b = appendString(b, p.Type)
		if p.Text != "" {
			b = append(b, `,"content":`...)
			b = appendString(b, p.Text)
		}
	}
	return append(b, '}')
}

func contentLen(msgs []spans.Message) int {
	n := 0
	for _, m := range msgs {
		n += len(m.Content) + len(m.ReasoningContent) + 48
		for _, p := range m.Parts {
			n += len(p.Text) + len(p.URL) + 48
		}
		for _, tc := range m.ToolCalls {
			n += len(tc.Arguments) + len(tc.Name) + len(tc.ID) + 64
		}
	}
	return n
}

// escapes lets two encoders of one message list escape each long text once:
// the chat encoder records where it wrote each text's JSON string
// (record), and the GenAI encoder, which holds the same texts in another
// shape, copies them from there (copy). Texts are told apart by identity
// (the address and length of their bytes), never by comparing them, and the
// lookup follows the order both encoders visit the messages in, so that it
// costs O(1) a text (a text not found nearby is escaped again). A nil *escapes records nothing and copies nothing.
type escapes struct {
	src  string
	list []escaped
	next int
}

// escaped is a text and where its JSON string is in src.
type escaped struct {
	p          *byte
	n          int
	start, end int
}

// memoMin is the shortest text worth remembering: shorter ones cost less to
// escape again than to find.
const memoMin = 24

// memoWindow is how many recorded texts copy looks at, from the one after
// its last find: the encoders visit a message's texts in slightly different
// orders, never far apart.
const memoWindow = 4

// reset empties e for a new message list, keeping its storage.
func (e *escapes) reset() {
	if e != nil {
		e.src, e.list, e.next = "", e.list[:0], 0
	}
}

// record appends s as a JSON string and remembers where it went.
func (e *escapes) record(b []byte, s string) []byte {
	if e == nil || len(s) < memoMin {
		return appendString(b, s)
	}
	start := len(b)
	b = appendString(b, s)
	e.list = append(e.list, escaped{unsafe.StringData(s), len(s), start, len(b)})
	return b
}

// done returns the encoding b as the string the recorded positions refer to.
func (e *escapes) done(b []byte) string {
	s := string(b)
	if e != nil {
		e.src = s
	}
	return s
}

// copy appends s as a JSON string, copied from the recorded encoding when
// the same text was recorded.
func (e *escapes) copy(b []byte, s string) []byte {
	if e == nil || len(s) < memoMin || e.src == "" {
		return appendString(b, s)
	}
	p := unsafe.StringData(s)
	for k := range min(len(e.list), memoWindow) {
		i := (e.next + k) % len(e.list)
		if x := e.list[i]; x.p == p && x.n == len(s) {
			e.next = i + 1
			return append(b, e.src[x.start:x.end]...)
		}
	}
	return appendString(b, s)
}
