package openaitrace

import (
	"encoding/json"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/openai/openai-go/v3"
	"github.com/openai/openai-go/v3/responses"

	"github.com/agenttrace/agenttrace-go/spans"
)

func responseParams() responses.ResponseNewParams {
	out := responses.ResponseInputItemParamOfFunctionCallOutput(`{"status":"shipped"}`)
	out.OfFunctionCallOutput.CallID = openai.String("call_1")
	return responses.ResponseNewParams{
		Model:        "gpt-4.1",
		Instructions: openai.String("You are a support agent."),
		Input: responses.ResponseNewParamsInputUnion{OfInputItemList: responses.ResponseInputParam{
			responses.ResponseInputItemParamOfMessage("Where is order A1?", responses.EasyInputMessageRoleUser),
			responses.ResponseInputItemParamOfFunctionCall(`{"id":"A1"}`, "call_1", "lookup_order"),
			out,
		}},
		Tools: []responses.ToolUnionParam{responses.ToolParamOfFunction("lookup_order",
			map[string]any{"type": "object", "properties": map[string]any{"id": map[string]any{"type": "string"}}}, false)},
		Temperature:     openai.Float(0.2),
		MaxOutputTokens: openai.Int(512),
	}
}

// responseOutput is the output items of the Responses replies.
const responseOutput = `[
  {"type":"function_call","id":"fc_1","call_id":"call_2","name":"lookup_order","arguments":"{\"id\":\"A2\"}","status":"completed"},
  {"type":"message","id":"msg_1","status":"completed","role":"assistant","content":[{"type":"output_text","text":"Order A1 has shipped.","annotations":[],"logprobs":[]}]}
]`

func responseBody(id, status string) string {
	return `{
  "id": "` + id + `", "object": "response", "created_at": 1767225600, "status": "` + status + `",
  "background": false, "error": null, "incomplete_details": null,
  "instructions": "You are a support agent.", "max_output_tokens": null,
  "model": "gpt-4.1-2025-04-14",
  "output": ` + responseOutput + `,
  "parallel_tool_calls": true, "previous_response_id": null, "store": true, "temperature": 1.0,
  "text": {"format": {"type": "text"}}, "tool_choice": "auto", "tools": [], "top_p": 1.0, "truncation": "disabled",
  "usage": {"input_tokens": 80, "input_tokens_details": {"cached_tokens": 16}, "output_tokens": 25,
            "output_tokens_details": {"reasoning_tokens": 4}, "total_tokens": 105},
  "user": null, "metadata": {}
}`
}

// wantResponseInput is what responseParams records: the instructions as a
// leading system message, then the items as sent.
const wantResponseInput = `[
  {"type":"message","role":"system","content":"You are a support agent."},
  {"content":"Where is order A1?","role":"user"},
  {"arguments":"{\"id\":\"A1\"}","call_id":"call_1","name":"lookup_order","type":"function_call"},
  {"output":"{\"status\":\"shipped\"}","call_id":"call_1","type":"function_call_output"}
]`

var wantResponseUsage = &spans.Usage{Requests: 1, InputTokens: 80, OutputTokens: 25, TotalTokens: 105, CachedInputTokens: 16, ReasoningTokens: 4}

// checkResponse compares a recorded Responses span's data with the replies'.
func checkResponse(t *testing.T, got *spans.Response, id string) {
	t.Helper()
	if got.ResponseID != id || got.Model != "gpt-4.1" || got.Provider != "openai" {
		t.Errorf("id %q model %q provider %q, want %s gpt-4.1 openai", got.ResponseID, got.Model, got.Provider, id)
	}
	if diff := cmp.Diff(wantResponseUsage, got.Usage); diff != "" {
		t.Errorf("usage (-want +got):\n%s", diff)
	}
	wantTools := []spans.Tool{{Name: "lookup_order", Parameters: `{"properties":{"id":{"type":"string"}},"type":"object"}`}}
	if diff := cmp.Diff(wantTools, got.Tools); diff != "" {
		t.Errorf("tools (-want +got):\n%s", diff)
	}
	wantConfig := map[string]any{"temperature": json.Number("0.2"), "max_output_tokens": json.Number("512")}
	if diff := cmp.Diff(wantConfig, got.ModelConfig); diff != "" {
		t.Errorf("model config (-want +got):\n%s", diff)
	}
	in, err := json.Marshal(got.Input)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(compact(t, wantResponseInput), string(in)); diff != "" {
		t.Errorf("input (-want +got):\n%s", diff)
	}
	out, err := json.Marshal(got.Output)
	if err != nil {
		t.Fatal(err)
	}
	var wantOut, gotOut any
	if err := json.Unmarshal([]byte(responseOutput), &wantOut); err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(out, &gotOut); err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(wantOut, gotOut); diff != "" {
		t.Errorf("output (-want +got):\n%s", diff)
	}
}

func TestResponses(t *testing.T) {
	body := responseBody("resp_1", "completed")
	api := newFakeAPI(t, reply{body: body})
	ctx, end := recorded(t)
	res, err := api.client().Responses.New(ctx, responseParams())
	if err != nil {
		t.Fatal(err)
	}
	if res.RawJSON() != body {
		t.Error("the program got a different body")
	}
	span := onlySpan(t, end())
	if span.Kind() != spans.KindResponse || span.Error() != nil {
		t.Fatalf("kind %v error %v", span.Kind(), span.Error())
	}
	checkResponse(t, span.Data().(*spans.Response), "resp_1")

	// The hand conversions give the same data, but for the provider.
	hand := Response(responseParams())
	SetResponse(hand, res)
	byMiddleware := *span.Data().(*spans.Response)
	byMiddleware.Provider = ""
	if diff := cmp.Diff(&byMiddleware, hand); diff != "" {
		t.Errorf("hand conversion (-middleware +hand):\n%s", diff)
	}
	if diff := cmp.Diff(wantResponseUsage, ResponseUsage(res.Usage)); diff != "" {
		t.Errorf("ResponseUsage (-want +got):\n%s", diff)
	}
}

func TestResponsesFailed(t *testing.T) {
	body := `{"id":"resp_f","object":"response","status":"failed","model":"gpt-4.1","output":[],"usage":null,
	  "error":{"code":"server_error","message":"The model failed to answer."},"incomplete_details":null}`
	api := newFakeAPI(t, reply{body: body})
	ctx, end := recorded(t)
	if _, err := api.client().Responses.New(ctx, responseParams()); err != nil {
		t.Fatal(err) // a failed response is a 200 to the client
	}
	se := onlySpan(t, end()).Error()
	if se == nil || se.Message != "The model failed to answer." || se.Data["code"] != "server_error" {
		t.Errorf("error %v, want the response's", se)
	}
}

// TestResponsesStream streams a response and holds the connection open
// after response.completed: the span ends at that event.
func TestResponsesStream(t *testing.T) {
	hold := make(chan struct{})
	defer close(hold)
	created := `{"type":"response.created","sequence_number":0,"response":{"id":"resp_2","object":"response","status":"in_progress","model":"gpt-4.1-2025-04-14","output":[],"usage":null}}`
	var full map[string]any
	if err := json.Unmarshal([]byte(responseBody("resp_2", "completed")), &full); err != nil {
		t.Fatal(err)
	}
	completed, _ := json.Marshal(map[string]any{"type": "response.completed", "sequence_number": 4, "response": full})
	api := newFakeAPI(t, reply{hold: hold, events: []string{
		"event: response.created\n" + sse(created),
		"event: response.output_text.delta\n" + sse(`{"type":"response.output_text.delta","sequence_number":2,"item_id":"msg_1","output_index":1,"content_index":0,"delta":"Order A1 "}`),
		"event: response.output_text.delta\n" + sse(`{"type":"response.output_text.delta","sequence_number":3,"item_id":"msg_1","output_index":1,"content_index":0,"delta":"has shipped."}`),
		"event: response.completed\n" + sse(string(completed)),
	}})
	ctx, end := recorded(t)
	stream := api.client().Responses.NewStreaming(ctx, responseParams())
	var text string
	for stream.Next() {
		ev := stream.Current()
		text += ev.Delta
		if ev.Type == "response.completed" {
			break
		}
	}
	if err := stream.Err(); err != nil {
		t.Fatal(err)
	}
	if text != "Order A1 has shipped." {
		t.Errorf("the program read %q", text)
	}
	rec := end()
	span := onlySpan(t, rec) // ended before Close
	checkResponse(t, span.Data().(*spans.Response), "resp_2")
	stream.Close()
}
