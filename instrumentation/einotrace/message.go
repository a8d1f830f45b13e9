package einotrace

import (
	"strings"

	"github.com/cloudwego/eino/schema"

	"github.com/agenttrace/agenttrace-go/spans"
)

// Message converts an eino message to the chat-completions shape of
// [spans.Message]: role, text, name, tool calls, tool call id, reasoning
// content, and multi-part content as [spans.Part]s.
//
// Parts come from UserInputMultiContent, AssistantGenMultiContent or the
// older MultiContent, the first that is set. Text becomes a text part and an
// image (URL or base64 data, as a data: URL) an image_url part; base64 audio
// becomes an input_audio part with its format taken from the MIME type, and
// a base64 file a file part whose data is a data: URL, as the
// chat-completions API takes them. Parts the chat-completions shape has no
// field for (a video, or audio and files given by URL) keep eino's part type
// ("video_url", "audio_url", "file_url") with the URL as their text. A tool
// message's ToolName becomes its Name when Name is empty.
//
// A nil m converts to the zero Message. The result shares no memory with m.
func Message(m *schema.Message) spans.Message {
	if m == nil {
		return spans.Message{}
	}
	out := spans.Message{
		Role:             string(m.Role),
		Content:          m.Content,
		Name:             m.Name,
		ToolCallID:       m.ToolCallID,
		ReasoningContent: m.ReasoningContent,
	}
	if out.Name == "" && m.Role == schema.Tool {
		out.Name = m.ToolName
	}
	switch {
	case len(m.UserInputMultiContent) > 0:
		out.Parts = inputParts(m.Content, m.UserInputMultiContent)
	case len(m.AssistantGenMultiContent) > 0:
		out.Parts = outputParts(m.Content, m.AssistantGenMultiContent)
	case len(m.MultiContent) > 0:
		out.Parts = chatParts(m.Content, m.MultiContent)
	}
	if out.Parts != nil {
		out.Content = "" // the leading text part holds it
	}
	if len(m.ToolCalls) > 0 {
		out.ToolCalls = make([]spans.ToolCall, len(m.ToolCalls))
		for i, tc := range m.ToolCalls {
			out.ToolCalls[i] = spans.ToolCall{ID: tc.ID, Type: tc.Type, Name: tc.Function.Name, Arguments: tc.Function.Arguments}
		}
	}
	return out
}

// Messages converts eino messages with [Message], one for one; nil
// messages are skipped. It returns nil for an empty list.
func Messages(ms []*schema.Message) []spans.Message {
	if len(ms) == 0 {
		return nil
	}
	out := make([]spans.Message, 0, len(ms))
	for _, m := range ms {
		if m != nil {
			out = append(out, Message(m))
		}
	}
	return out
}

// leadText returns the parts list to start from: a text part with content
// when a message has both text and parts, so that neither is lost.
func leadText(content string, n int) []spans.Part {
	parts := make([]spans.Part, 0, n+1)
	if content != "" {
		parts = append(parts, spans.Part{Type: spans.PartText, Text: content})
	}
	return parts
}

func inputParts(content string, in []schema.MessageInputPart) []spans.Part {
	parts := leadText(content, len(in))
	for _, p := range in {
		switch {
		case p.Type == schema.ChatMessagePartTypeText:
			parts = append(parts, spans.Part{Type: spans.PartText, Text: p.Text})
		case p.Image != nil:
			parts = append(parts, imagePart(p.Image.MessagePartCommon, string(p.Image.Detail)))
		case p.Audio != nil:
			parts = append(parts, audioPart(p.Audio.MessagePartCommon))
		case p.Video != nil:
			parts = append(parts, urlPart(p.Type, p.Video.MessagePartCommon))
		case p.File != nil:
			parts = append(parts, filePart(p.File.MessagePartCommon, p.File.Name))
		default:
			parts = append(parts, spans.Part{Type: string(p.Type), Text: p.Text})
		}
	}
	return parts
}

func outputParts(content string, in []schema.MessageOutputPart) []spans.Part {
	parts := leadText(content, len(in))
	for _, p := range in {
		switch {
		case p.Type == schema.ChatMessagePartTypeText:
			parts = append(parts, spans.Part{Type: spans.PartText, Text: p.Text})
		case p.Image != nil:
			parts = append(parts, imagePart(p.Image.MessagePartCommon, ""))
		case p.Audio != nil:
			parts = append(parts, audioPart(p.Audio.MessagePartCommon))
		case p.Video != nil:
			parts = append(parts, urlPart(p.Type, p.Video.MessagePartCommon))
		default:
			parts = append(parts, spans.Part{Type: string(p.Type), Text: p.Text})
		}
	}
	return parts
}

// chatParts reads the deprecated MultiContent field, which callers may still set.
//
//lint:ignore SA1019 MultiContent is deprecated but still set by callers
func chatParts(content string, in []schema.ChatMessagePart) []spans.Part {
	parts := leadText(content, len(in))
	for _, p := range in {
		switch {
		case p.Type == schema.ChatMessagePartTypeText:
			parts = append(parts, spans.Part{Type: spans.PartText, Text: p.Text})
		case p.ImageURL != nil:
			parts = append(parts, spans.Part{Type: spans.PartImageURL, URL: p.ImageURL.URL, Detail: string(p.ImageURL.Detail)})
		case p.AudioURL != nil:
			parts = append(parts, audioPart(urlCommon(p.AudioURL.URL, p.AudioURL.MIMEType)))
		case p.VideoURL != nil:
			parts = append(parts, spans.Part{Type: string(p.Type), Text: p.VideoURL.URL})
		case p.FileURL != nil:
			parts = append(parts, filePart(urlCommon(p.FileURL.URL, p.FileURL.MIMEType), p.FileURL.Name))
		default:
			parts = append(parts, spans.Part{Type: string(p.Type), Text: p.Text})
		}
	}
	return parts
}

// urlCommon describes a URL given as a plain string (the older
// MultiContent form), so that a data: URL is handled as base64 data.
func urlCommon(url, mime string) schema.MessagePartCommon {
	if b64, m, ok := parseDataURL(url); ok {
		if mime == "" {
			mime = m
		}
		return schema.MessagePartCommon{Base64Data: &b64, MIMEType: mime}
	}
	return schema.MessagePartCommon{URL: &url, MIMEType: mime}
}

// parseDataURL splits a base64 data: URL into its data and MIME type.
func parseDataURL(url string) (data, mime string, ok bool) {
	rest, found := strings.CutPrefix(url, "data:")
	if !found {
		return "", "", false
	}
	head, data, found := strings.Cut(rest, ",")
	if !found {
		return "", "", false
	}
	mime, found = strings.CutSuffix(head, ";base64")
	if !found {
		return "", "", false
	}
	return data, mime, true
}

func dataURL(c schema.MessagePartCommon) string {
	if c.URL != nil {
		return *c.URL
	}
	if c.Base64Data != nil {
		mime := c.MIMEType
		if mime == "" {
			mime = "application/octet-stream"
		}
		return "data:" + mime + ";base64," + *c.Base64Data
	}
	return ""
}

func imagePart(c schema.MessagePartCommon, detail string) spans.Part {
	return spans.Part{Type: spans.PartImageURL, URL: dataURL(c), Detail: detail}
}

func audioPart(c schema.MessagePartCommon) spans.Part {
	if c.Base64Data == nil {
		return urlPart(schema.ChatMessagePartTypeAudioURL, c)
	}
	format := c.MIMEType
	if _, sub, ok := strings.Cut(format, "/"); ok {
		format = sub
	}
	switch format { // audio/mpeg is mp3, audio/x-wav and audio/wave are wav
	case "mpeg":
		format = "mp3"
	case "x-wav", "wave":
		format = "wav"
	}
	return spans.Part{Type: spans.PartInputAudio, Data: *c.Base64Data, Format: format}
}

func filePart(c schema.MessagePartCommon, name string) spans.Part {
	if c.Base64Data == nil {
		return urlPart(schema.ChatMessagePartTypeFileURL, c)
	}
	return spans.Part{Type: spans.PartFile, Data: dataURL(c), Filename: name}
}

func urlPart(typ schema.ChatMessagePartType, c schema.MessagePartCommon) spans.Part {
	if typ == "" || typ == schema.ChatMessagePartTypeText {
		typ = "url"
	}
	return spans.Part{Type: string(typ), Text: dataURL(c)}
}

// toolInfos converts the tools offered to a model. The parameters are the
// tool's JSON Schema as text; a tool whose schema cannot be built is
// offered without parameters.
func toolInfos(in []*schema.ToolInfo) []spans.Tool {
	if len(in) == 0 {
		return nil
	}
	out := make([]spans.Tool, 0, len(in))
	for _, t := range in {
		if t == nil {
			continue
		}
		st := spans.Tool{Name: t.Name, Description: t.Desc}
		if js, err := t.ToJSONSchema(); err == nil && js != nil {
			if b, err := js.MarshalJSON(); err == nil {
				st.Parameters = string(b)
			}
		}
		out = append(out, st)
	}
	return out
}
