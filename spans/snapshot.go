package spans

// Snapshot returns a copy of d, so that later changes to d's fields do not
// affect the copy. A *Usage is copied too (usage totals are often kept in one
// value and updated as a run goes on); other pointers, slices and maps, and
// the values reachable through them, are shared, not copied. A typed nil
// pointer yields a pointer to a zero value. When redact is true, model and
// tool inputs and outputs and audio are cleared in the copy (see the package
// documentation). A nil d yields nil.
func Snapshot(d Data, redact bool) Data {
	if d == nil {
		return nil
	}
	return d.snapshot(redact)
}

func (d *Agent) snapshot(redact bool) Data {
	if d == nil {
		return &Agent{}
	}
	c := *d
	if redact {
		c.Input, c.Output = nil, nil
	}
	return &c
}

func (d *Generation) snapshot(redact bool) Data {
	if d == nil {
		return &Generation{}
	}
	c := &struct {
		d Generation
		u Usage
	}{d: *d} // one allocation for the data and its usage
	c.d.Usage = copyUsage(d.Usage, &c.u)
	if redact {
		c.d.Input, c.d.Output = nil, nil
	}
	return &c.d
}

func (d *Function) snapshot(redact bool) Data {
	if d == nil {
		return &Function{}
	}
	c := *d
	if redact {
		c.Input, c.Output = "", nil
	}
	return &c
}

func (d *Guardrail) snapshot(bool) Data {
	if d == nil {
		return &Guardrail{}
	}
	c := *d
	return &c
}

func (d *Handoff) snapshot(bool) Data {
	if d == nil {
		return &Handoff{}
	}
	c := *d
	return &c
}

func (d *Transcription) snapshot(redact bool) Data {
	if d == nil {
		return &Transcription{}
	}
	c := *d
	if redact {
		c.Input, c.Output = nil, ""
	}
	return &c
}

func (d *Speech) snapshot(redact bool) Data {
	if d == nil {
		return &Speech{}
	}
	c := *d
	if redact {
		c.Input, c.Output = "", nil
	}
	return &c
}

func (d *SpeechGroup) snapshot(redact bool) Data {
	if d == nil {
		return &SpeechGroup{}
	}
	c := *d
	if redact {
		c.Input = ""
	}
	return &c
}

func (d *Custom) snapshot(redact bool) Data {
	if d == nil {
		return &Custom{}
	}
	c := *d
	if redact {
		c.Input, c.Output = nil, nil
	}
	return &c
}

func (d *Response) snapshot(redact bool) Data {
	if d == nil {
		return &Response{}
	}
	c := &struct {
		d Response
		u Usage
	}{d: *d}
	c.d.Usage = copyUsage(d.Usage, &c.u)
	if redact {
		c.d.Input, c.d.Output = nil, nil
	}
	return &c.d
}

func (d *MCPListTools) snapshot(bool) Data {
	if d == nil {
		return &MCPListTools{}
	}
	c := *d
	return &c
}

func (d *Embedding) snapshot(redact bool) Data {
	if d == nil {
		return &Embedding{}
	}
	c := &struct {
		d Embedding
		u Usage
	}{d: *d}
	c.d.Usage = copyUsage(d.Usage, &c.u)
	if redact {
		c.d.Input = nil
	}
	return &c.d
}

func (d *Retriever) snapshot(redact bool) Data {
	if d == nil {
		return &Retriever{}
	}
	c := *d
	if redact {
		c.Query, c.Documents = "", nil
	}
	return &c
}

func (d *Prompt) snapshot(redact bool) Data {
	if d == nil {
		return &Prompt{}
	}
	c := *d
	if redact {
		c.Template, c.Variables, c.Output = nil, nil, nil
	}
	return &c
}

func (d *Task) snapshot(bool) Data {
	if d == nil {
		return &Task{}
	}
	c := &struct {
		d Task
		u Usage
	}{d: *d}
	c.d.Usage = copyUsage(d.Usage, &c.u)
	return &c.d
}

func (d *Turn) snapshot(bool) Data {
	if d == nil {
		return &Turn{}
	}
	c := &struct {
		d Turn
		u Usage
	}{d: *d}
	c.d.Usage = copyUsage(d.Usage, &c.u)
	return &c.d
}

// copyUsage copies *u into dst and returns dst, or returns nil when u is.
func copyUsage(u, dst *Usage) *Usage {
	if u == nil {
		return nil
	}
	*dst = *u
	return dst
}
