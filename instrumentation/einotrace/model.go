package einotrace

import (
	"strconv"

	"github.com/cloudwego/eino/components/model"
	"github.com/cloudwego/eino/schema"

	"github.com/agenttrace/agenttrace-go/spans"
)

// setModelInput records a chat model's input. A model that fires its own
// callbacks (eino-ext's models) reports a *model.CallbackInput with the
// tools and config; one whose callbacks compose injects reports only the
// messages. model.ConvCallbackInput reads both.
func setModelInput(r *run, d *spans.Generation, input any) {
	in := model.ConvCallbackInput(input)
	if in == nil {
		return
	}
	if r.content {
		d.Input = Messages(in.Messages)
	}
	d.Tools = toolInfos(in.Tools)
	setModelConfig(d, in.Config)
	if in.ToolChoice != nil {
		if d.ModelConfig == nil {
			d.ModelConfig = map[string]any{}
		}
		d.ModelConfig["tool_choice"] = toolChoice(*in.ToolChoice)
	}
	if len(in.Extra) > 0 && r.content {
		r.span.SetMetadata("eino.extra", encode(in.Extra))
	}
}

// setModelOutput records a chat model's output message, finish reason and
// token usage: the callback's TokenUsage, or the message's
// ResponseMeta.Usage when compose injected the callbacks.
func setModelOutput(r *run, d *spans.Generation, output any) {
	out := model.ConvCallbackOutput(output)
	if out == nil {
		return
	}
	if d.Model == "" {
		setModelConfig(d, out.Config)
	}
	if m := out.Message; m != nil {
		if r.content {
			d.Output = []spans.Message{Message(m)}
		}
		if m.ResponseMeta != nil {
			d.FinishReason = m.ResponseMeta.FinishReason
		}
	}
	d.Usage = tokenUsage(out.TokenUsage)
	if d.Usage == nil && out.Message != nil && out.Message.ResponseMeta != nil {
		d.Usage = messageUsage(out.Message.ResponseMeta.Usage)
	}
}

// modelStreamOutput joins the chunks of a model's streamed output into one
// *model.CallbackOutput: the messages concatenated with
// schema.ConcatMessages, the last token usage and the first config
// reported.
func modelStreamOutput(chunks []any) *model.CallbackOutput {
	joined := &model.CallbackOutput{}
	msgs := make([]*schema.Message, 0, len(chunks))
	for _, c := range chunks {
		out := model.ConvCallbackOutput(c)
		if out == nil {
			continue
		}
		if out.Message != nil {
			msgs = append(msgs, out.Message)
		}
		if out.TokenUsage != nil {
			joined.TokenUsage = out.TokenUsage
		}
		if joined.Config == nil {
			joined.Config = out.Config
		}
	}
	switch len(msgs) {
	case 0:
	case 1:
		joined.Message = msgs[0]
	default:
		if m, err := schema.ConcatMessages(msgs); err == nil {
			joined.Message = m
		} else {
			joined.Message = msgs[len(msgs)-1]
		}
	}
	return joined
}

// setModelConfig records a model config: the model name, and the request
// parameters that are set.
func setModelConfig(d *spans.Generation, c *model.Config) {
	if c == nil {
		return
	}
	d.Model = c.Model
	cfg := d.ModelConfig
	if cfg == nil {
		cfg = make(map[string]any, 4)
	}
	if c.Temperature != 0 {
		cfg["temperature"] = float32Value(c.Temperature)
	}
	if c.TopP != 0 {
		cfg["top_p"] = float32Value(c.TopP)
	}
	if c.MaxTokens != 0 {
		cfg["max_tokens"] = c.MaxTokens
	}
	if len(c.Stop) > 0 {
		cfg["stop"] = append([]string(nil), c.Stop...)
	}
	if len(cfg) > 0 {
		d.ModelConfig = cfg
	}
}

// float32Value returns f as the float64 its shortest decimal form denotes:
// 0.7, not 0.699999988079071.
func float32Value(f float32) float64 {
	v, err := strconv.ParseFloat(strconv.FormatFloat(float64(f), 'g', -1, 32), 64)
	if err != nil {
		return float64(f)
	}
	return v
}

// toolChoice names an eino tool choice as the chat-completions API does.
func toolChoice(tc schema.ToolChoice) string {
	switch tc {
	case schema.ToolChoiceForbidden:
		return "none"
	case schema.ToolChoiceForced:
		return "required"
	}
	return "auto"
}

func tokenUsage(u *model.TokenUsage) *spans.Usage {
	if u == nil {
		return nil
	}
	return &spans.Usage{
		Requests:          1,
		InputTokens:       int64(u.PromptTokens),
		OutputTokens:      int64(u.CompletionTokens),
		TotalTokens:       int64(u.TotalTokens),
		CachedInputTokens: int64(u.PromptTokenDetails.CachedTokens),
		ReasoningTokens:   int64(u.CompletionTokensDetails.ReasoningTokens),
	}
}

func messageUsage(u *schema.TokenUsage) *spans.Usage {
	if u == nil {
		return nil
	}
	return &spans.Usage{
		Requests:          1,
		InputTokens:       int64(u.PromptTokens),
		OutputTokens:      int64(u.CompletionTokens),
		TotalTokens:       int64(u.TotalTokens),
		CachedInputTokens: int64(u.PromptTokenDetails.CachedTokens),
		ReasoningTokens:   int64(u.CompletionTokensDetails.ReasoningTokens),
	}
}
