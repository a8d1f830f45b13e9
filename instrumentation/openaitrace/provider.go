package openaitrace

import (
	"net"
	"net/url"
	"strings"
)

// ProviderOpenAI is the provider recorded when the host is not recognised:
// the request speaks OpenAI's API, whoever serves it.
const ProviderOpenAI = "openai"

// hostProviders maps a host, or a domain with a leading dot (matching the
// domain and every host under it), to the provider name recorded for it.
// The names of OpenTelemetry's gen_ai.provider.name are used where it has
// one.
var hostProviders = []struct{ host, provider string }{
	{"api.openai.com", "openai"},
	{".openai.azure.com", "azure.ai.openai"},
	{".cognitiveservices.azure.com", "azure.ai.openai"},
	{".services.ai.azure.com", "azure.ai.openai"},
	{".models.ai.azure.com", "azure.ai.inference"},
	{"models.inference.ai.azure.com", "azure.ai.inference"},
	{"models.github.ai", "azure.ai.inference"},
	{"api.deepseek.com", "deepseek"},
	{".volces.com", "volcengine"},
	{".volcengineapi.com", "volcengine"},
	{".bytepluses.com", "byteplus"},
	{"api.moonshot.cn", "moonshot"},
	{"api.moonshot.ai", "moonshot"},
	{".dashscope.aliyuncs.com", "dashscope"},
	{"dashscope-intl.aliyuncs.com", "dashscope"},
	{"open.bigmodel.cn", "zhipu"},
	{"api.z.ai", "zhipu"},
	{"qianfan.baidubce.com", "baidu.qianfan"},
	{"api.hunyuan.cloud.tencent.com", "tencent.hunyuan"},
	{"api.minimax.chat", "minimax"},
	{"api.minimaxi.com", "minimax"},
	{"api.minimax.io", "minimax"},
	{"api.siliconflow.cn", "siliconflow"},
	{"api.siliconflow.com", "siliconflow"},
	{"api.mistral.ai", "mistral_ai"},
	{"api.groq.com", "groq"},
	{"api.x.ai", "x_ai"},
	{"api.perplexity.ai", "perplexity"},
	{"generativelanguage.googleapis.com", "gcp.gemini"},
	{".aiplatform.googleapis.com", "gcp.vertex_ai"},
	{".amazonaws.com", "aws.bedrock"}, // bedrock-runtime.<region>.amazonaws.com, checked below
	{"openrouter.ai", "openrouter"},
	{"api.together.xyz", "together_ai"},
	{"api.together.ai", "together_ai"},
	{"api.fireworks.ai", "fireworks"},
	{"api.anthropic.com", "anthropic"},
	{"api.cohere.ai", "cohere"},
	{"api.cohere.com", "cohere"},
}

// localPorts names the servers found on their default ports on a local
// host: Ollama, vLLM, LM Studio and llama.cpp's server.
var localPorts = map[string]string{
	"11434": "ollama",
	"8000":  "vllm",
	"1234":  "lm_studio",
	"8080":  "llama.cpp",
}

// providerOf names the vendor serving u: from its host where the host is
// recognisable, a local server from its default port (or a host named
// after it, as in a container network), and ProviderOpenAI otherwise.
func providerOf(u *url.URL) string {
	if u == nil {
		return ProviderOpenAI
	}
	host := strings.ToLower(strings.TrimSuffix(u.Hostname(), "."))
	for _, hp := range hostProviders {
		if !hostMatches(host, hp.host) {
			continue
		}
		if hp.provider == "aws.bedrock" && !strings.HasPrefix(host, "bedrock") {
			continue
		}
		return hp.provider
	}
	switch host {
	case "ollama", "vllm":
		return host
	}
	if isLocal(host) {
		if p, ok := localPorts[u.Port()]; ok {
			return p
		}
	}
	return ProviderOpenAI
}

// hostMatches reports whether host is pattern, or lies under it when
// pattern starts with a dot.
func hostMatches(host, pattern string) bool {
	if d, ok := strings.CutPrefix(pattern, "."); ok {
		return host == d || strings.HasSuffix(host, pattern)
	}
	return host == pattern
}

// isLocal reports whether host names this machine.
func isLocal(host string) bool {
	if host == "localhost" || strings.HasSuffix(host, ".localhost") {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}
