package openaitrace

import (
	"encoding/base64"
	"encoding/binary"
	"math"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/openai/openai-go/v3"

	"github.com/agenttrace/agenttrace-go/spans"
)

func embeddingParams(format openai.EmbeddingNewParamsEncodingFormat) openai.EmbeddingNewParams {
	return openai.EmbeddingNewParams{
		Model:          "text-embedding-3-small",
		Input:          openai.EmbeddingNewParamsInputUnion{OfArrayOfStrings: []string{"refund policy", "shipping times"}},
		EncodingFormat: format,
	}
}

// b64 encodes a vector as OpenAI's base64 format does.
func b64(v ...float32) string {
	b := make([]byte, 4*len(v))
	for i, f := range v {
		binary.LittleEndian.PutUint32(b[4*i:], math.Float32bits(f))
	}
	return base64.StdEncoding.EncodeToString(b)
}

func TestEmbeddings(t *testing.T) {
	for _, tc := range []struct {
		format     openai.EmbeddingNewParamsEncodingFormat
		vec1, vec2 string
	}{
		{openai.EmbeddingNewParamsEncodingFormatFloat, `[0.1,-0.2,0.3]`, `[0.4,0.5,-0.6]`},
		{openai.EmbeddingNewParamsEncodingFormatBase64, `"` + b64(0.1, -0.2, 0.3) + `"`, `"` + b64(0.4, 0.5, -0.6) + `"`},
	} {
		t.Run(string(tc.format), func(t *testing.T) {
			body := `{"object":"list","data":[{"object":"embedding","index":0,"embedding":` + tc.vec1 +
				`},{"object":"embedding","index":1,"embedding":` + tc.vec2 +
				`}],"model":"text-embedding-3-small","usage":{"prompt_tokens":5,"total_tokens":5}}`
			api := newFakeAPI(t, reply{body: body})
			ctx, end := recorded(t)
			res, err := api.client().Embeddings.New(ctx, embeddingParams(tc.format))
			if err != nil {
				t.Fatal(err)
			}
			if len(res.Data) != 2 || len(res.Data[1].Embedding) != 3 {
				t.Fatalf("the program got %+v", res.Data)
			}
			span := onlySpan(t, end())
			want := &spans.Embedding{
				Model: "text-embedding-3-small", Provider: "openai",
				Input: []string{"refund policy", "shipping times"},
				Count: 2, Dimensions: 3,
				Usage: &spans.Usage{Requests: 1, InputTokens: 5, TotalTokens: 5},
			}
			if diff := cmp.Diff(want, span.Data()); diff != "" {
				t.Errorf("embedding (-want +got):\n%s", diff)
			}
			hand := Embedding(embeddingParams(tc.format))
			SetEmbeddings(hand, res)
			hand.Provider = "openai"
			if diff := cmp.Diff(want, hand); diff != "" {
				t.Errorf("hand conversion (-want +got):\n%s", diff)
			}
		})
	}
}

func TestEmbeddingInputs(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want []string
	}{
		{`"one text"`, []string{"one text"}},
		{`["a","b"]`, []string{"a", "b"}},
		{`[1,2,3]`, []string{"[1,2,3]"}},
		{`[[1,2],[3]]`, []string{"[1,2]", "[3]"}},
		{``, nil},
		{`{}`, nil},
	} {
		if diff := cmp.Diff(tc.want, embeddingInputs([]byte(tc.in))); diff != "" {
			t.Errorf("%s (-want +got):\n%s", tc.in, diff)
		}
	}
}
