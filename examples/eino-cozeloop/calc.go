package main

import (
	"fmt"
	"strconv"
	"strings"
)

// evalProgram runs the assistant's code: one arithmetic expression a line
// (numbers, + - * /, parentheses), each result printed on a line of its
// own, as a Python REPL would. Nothing else is executed: the user proxy
// never runs code from a model on the host.
func evalProgram(code string) (string, error) {
	var out []string
	for _, line := range strings.Split(code, "\n") {
		line = strings.TrimSpace(line)
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		v, err := evalExpr(line)
		if err != nil {
			return strings.Join(out, "\n"), fmt.Errorf("%q: %w", line, err)
		}
		out = append(out, strconv.FormatFloat(v, 'f', -1, 64))
	}
	return strings.Join(out, "\n"), nil
}

// evalExpr evaluates one arithmetic expression.
func evalExpr(s string) (float64, error) {
	p := &parser{s: s}
	v, err := p.sum()
	if err != nil {
		return 0, err
	}
	if p.skip(); p.i < len(p.s) {
		return 0, fmt.Errorf("unexpected %q", p.s[p.i:])
	}
	return v, nil
}

type parser struct {
	s string
	i int
}

func (p *parser) skip() {
	for p.i < len(p.s) && p.s[p.i] == ' ' {
		p.i++
	}
}

func (p *parser) sum() (float64, error) {
	v, err := p.product()
	for err == nil {
		p.skip()
		if p.i >= len(p.s) || (p.s[p.i] != '+' && p.s[p.i] != '-') {
			return v, nil
		}
		op := p.s[p.i]
		p.i++
		var w float64
		if w, err = p.product(); op == '+' {
			v += w
		} else {
			v -= w
		}
	}
	return 0, err
}

func (p *parser) product() (float64, error) {
	v, err := p.factor()
	for err == nil {
		p.skip()
		if p.i >= len(p.s) || (p.s[p.i] != '*' && p.s[p.i] != '/') {
			return v, nil
		}
		op := p.s[p.i]
		p.i++
		var w float64
		if w, err = p.factor(); err != nil {
			break
		}
		if op == '*' {
			v *= w
		} else if w == 0 {
			return 0, fmt.Errorf("division by zero")
		} else {
			v /= w
		}
	}
	return 0, err
}

func (p *parser) factor() (float64, error) {
	p.skip()
	if p.i >= len(p.s) {
		return 0, fmt.Errorf("missing operand")
	}
	switch p.s[p.i] {
	case '(':
		p.i++
		v, err := p.sum()
		if err != nil {
			return 0, err
		}
		if p.skip(); p.i >= len(p.s) || p.s[p.i] != ')' {
			return 0, fmt.Errorf("missing )")
		}
		p.i++
		return v, nil
	case '-':
		p.i++
		v, err := p.factor()
		return -v, err
	}
	start := p.i
	for p.i < len(p.s) && (p.s[p.i] >= '0' && p.s[p.i] <= '9' || p.s[p.i] == '.') {
		p.i++
	}
	if start == p.i {
		return 0, fmt.Errorf("unexpected %q", p.s[p.i:])
	}
	return strconv.ParseFloat(p.s[start:p.i], 64)
}
