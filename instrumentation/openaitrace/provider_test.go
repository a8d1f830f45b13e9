package openaitrace

import (
	"net/url"
	"testing"

	"github.com/agenttrace/agenttrace-go/spans"
)

func TestProviderOf(t *testing.T) {
	for _, tc := range []struct{ url, want string }{
		{"https://api.openai.com/v1/", "openai"},
		{"https://my-res.openai.azure.com/openai/deployments/gpt4o/", "azure.ai.openai"},
		{"https://my-res.cognitiveservices.azure.com/openai/v1/", "azure.ai.openai"},
		{"https://api.deepseek.com/v1", "deepseek"},
		{"https://ark.cn-beijing.volces.com/api/v3", "volcengine"},
		{"https://ark.ap-southeast.bytepluses.com/api/v3", "byteplus"},
		{"https://api.moonshot.cn/v1", "moonshot"},
		{"https://dashscope.aliyuncs.com/compatible-mode/v1", "dashscope"},
		{"https://dashscope-intl.aliyuncs.com/compatible-mode/v1", "dashscope"},
		{"https://open.bigmodel.cn/api/paas/v4/", "zhipu"},
		{"https://qianfan.baidubce.com/v2", "baidu.qianfan"},
		{"https://api.mistral.ai/v1", "mistral_ai"},
		{"https://generativelanguage.googleapis.com/v1beta/openai/", "gcp.gemini"},
		{"https://bedrock-runtime.us-west-2.amazonaws.com/openai/v1", "aws.bedrock"},
		{"https://s3.amazonaws.com/x", "openai"},
		{"https://openrouter.ai/api/v1", "openrouter"},
		{"http://localhost:11434/v1", "ollama"},
		{"http://127.0.0.1:8000/v1", "vllm"},
		{"http://[::1]:1234/v1", "lm_studio"},
		{"http://ollama:11434/v1", "ollama"},
		{"http://vllm:8000/v1", "vllm"},
		{"http://127.0.0.1:39123/v1", "openai"},
		{"https://API.DEEPSEEK.COM./v1", "deepseek"},
		{"https://llm-gateway.example.com/v1", "openai"},
		{"https://evilapi.openai.com.example.net/v1", "openai"},
	} {
		u, err := url.Parse(tc.url)
		if err != nil {
			t.Fatal(err)
		}
		if got := providerOf(u); got != tc.want {
			t.Errorf("providerOf(%s) = %q, want %q", tc.url, got, tc.want)
		}
	}
	if got := providerOf(nil); got != ProviderOpenAI {
		t.Errorf("providerOf(nil) = %q", got)
	}
}

// TestProviderOption names the provider in place of the detected one, and
// reaches Azure's deployment URLs.
func TestProviderOption(t *testing.T) {
	api := newFakeAPI(t, reply{body: okReply}, reply{body: okReply})
	ctx, end := recorded(t)
	if _, err := api.client(WithProvider("my-gateway")).Chat.Completions.New(ctx, shortParams("hi")); err != nil {
		t.Fatal(err)
	}
	// Azure names the model by its deployment, in the path.
	var res any
	if err := api.client().Post(ctx, "openai/deployments/support-4o/chat/completions?api-version=2024-10-21",
		map[string]any{"messages": []map[string]string{{"role": "user", "content": "hi"}}}, &res); err != nil {
		t.Fatal(err)
	}
	got := end().Spans()
	if len(got) != 2 {
		t.Fatalf("%d spans", len(got))
	}
	if p := got[0].Data().(*spans.Generation).Provider; p != "my-gateway" {
		t.Errorf("provider %q, want my-gateway", p)
	}
	gen := got[1].Data().(*spans.Generation)
	if gen.Model != "support-4o" {
		t.Errorf("model %q, want the deployment", gen.Model)
	}
	if b := gen.ModelConfig["base_url"]; b != api.URL+"/v1/openai/deployments/support-4o/" {
		t.Errorf("base_url %v, want the URL without the endpoint and the query", b)
	}
	if got[1].Metadata()["response_model"] != "gpt-4.1-mini" {
		t.Errorf("metadata %v, want the response's model", got[1].Metadata())
	}
}
