package htmlexport

import (
	_ "embed"
	"html/template"
	"io"
)

//go:embed page.html
var pageHTML string

var pageTemplate = template.Must(template.New("page").Parse(pageHTML))

// tickPos are the positions of the time axis labels.
var tickPos = []template.CSS{"0%", "25%", "50%", "75%", "100%"}

// render writes p as an HTML page to w.
func render(w io.Writer, p page) error {
	return pageTemplate.Execute(w, struct {
		page
		TickPos []template.CSS
	}{p, tickPos})
}
