// Package htmlexport writes each trace as one self-contained HTML page: a
// waterfall of its spans with their kind, name, duration, model, tokens and
// errors, where each span opens to show its input, output and other data.
// The page needs no server and no network (its CSS and script are inline),
// so a trace can be looked at by opening the file in a browser:
//
//	exp, err := htmlexport.New("traces")
//	if err != nil {
//		return err
//	}
//	tp := tracing.NewProvider(tracing.WithProcessor(processors.NewSync(exp)))
//	defer tp.Shutdown(context.Background())
//	// ... after the run: exp.Written() lists traces/trace_<id>.html
//
// A page is written when its trace ends; traces still open at Shutdown are
// written then, marked "not ended". Data the provider left out (sensitive
// data off) is absent from the page too. Inputs and outputs are shown as
// indented JSON (text as is), each clipped at [MaxValueBytes].
package htmlexport
