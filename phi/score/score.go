// Package score measures a de-identifier against annotated text the way the i2b2
// de-identification tasks do: precision, recall and F2 (recall weighted four times
// precision: a missed identifier costs more than a redacted word), per identifier type
// and overall, at the token level and the entity level.
//
// The scores are "binary", as HIPAA reads them: what matters is that an identifier is
// removed, not which type it was removed as. A gold token counts as found when any
// found span covers it; a found token counts as right when any gold span covers it.
// Recall per type is of the gold spans of that type; precision per type is of the
// found spans of that type. TypeAgreement says how often the types agree where both
// cover a token.
//
// Tokens are runs of letters and digits; punctuation and spaces are no tokens, so a
// span that differs from the gold one by a comma or a bracket scores the same. An
// entity (one span) counts as recalled only when every one of its tokens is covered:
// a name with its first word redacted and its last left is a miss.
package score

import (
	"fmt"
	"io"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/vellumhealth/vellum/phi"
)

// Counts are of gold items found (TP) and missed (FN), and of found items that are
// gold (Right) and that are not (FP). Over every type Right is TP; for one type they
// differ, as a gold name found as a place is a TP of NAME and a Right of LOCATION.
type Counts struct{ TP, FN, Right, FP int }

// Precision is Right/(Right+FP), 1 when nothing was found.
func (c Counts) Precision() float64 { return ratio(c.Right, c.Right+c.FP) }

// Recall is TP/(TP+FN), 1 when there was nothing to find.
func (c Counts) Recall() float64 { return ratio(c.TP, c.TP+c.FN) }

// F2 weighs recall four times precision.
func (c Counts) F2() float64 {
	p, r := c.Precision(), c.Recall()
	if p+r == 0 {
		return 0
	}
	return 5 * p * r / (4*p + r)
}

func ratio(a, b int) float64 {
	if b == 0 {
		return 1
	}
	return float64(a) / float64(b)
}

func (c *Counts) add(o Counts) { c.TP += o.TP; c.FN += o.FN; c.Right += o.Right; c.FP += o.FP }

// Report is the score of one or more texts.
type Report struct {
	Token, Entity       Counts // over every type
	TokenBy, EntityBy   map[phi.Type]*Counts
	agree, bothCovered  int
	Texts, Bytes        int
	Misses, FalseAlarms []Example // the first few of each, to read
}

// Example is a missed or falsely found span, with a little of its line around it.
type Example struct {
	Type          phi.Type
	Text, Context string
}

// maxExamples bounds the examples a Report keeps.
const maxExamples = 5000

// TypeAgreement is the share of tokens covered by both a gold and a found span where
// the two have the same type.
func (r *Report) TypeAgreement() float64 { return ratio(r.agree, r.bothCovered) }

func (r *Report) by(m *map[phi.Type]*Counts, t phi.Type) *Counts {
	if *m == nil {
		*m = map[phi.Type]*Counts{}
	}
	if (*m)[t] == nil {
		(*m)[t] = &Counts{}
	}
	return (*m)[t]
}

// Add scores one text: gold are its annotated identifiers, found what the
// de-identifier reported (byte spans of text, each list sorted and not overlapping).
func (r *Report) Add(text string, gold, found []phi.Span) {
	r.Texts++
	r.Bytes += len(text)
	toks := tokens(text)
	g, f := cover(toks, gold), cover(toks, found)
	for i := range toks {
		gi, fi := g[i], f[i]
		switch {
		case gi >= 0 && fi >= 0:
			r.Token.TP++
			r.Token.Right++
			r.by(&r.TokenBy, gold[gi].Type).TP++
			r.by(&r.TokenBy, found[fi].Type).Right++
			r.bothCovered++
			if gold[gi].Type == found[fi].Type {
				r.agree++
			}
		case gi >= 0:
			r.Token.FN++
			r.by(&r.TokenBy, gold[gi].Type).FN++
		case fi >= 0:
			r.Token.FP++
			r.by(&r.TokenBy, found[fi].Type).FP++
		}
	}
	// Entities: a gold span is recalled when each of its tokens is covered; a found
	// span is right when one of its tokens is gold.
	for si, s := range gold {
		all, any := true, false
		for i, tk := range toks {
			if g[i] == si {
				any = true
				all = all && f[i] >= 0
			}
			if tk[0] >= s.End {
				break
			}
		}
		if !any {
			continue // punctuation alone: no token to find
		}
		if all {
			r.Entity.TP++
			r.by(&r.EntityBy, s.Type).TP++
		} else {
			r.Entity.FN++
			r.by(&r.EntityBy, s.Type).FN++
			if len(r.Misses) < maxExamples {
				r.Misses = append(r.Misses, example(text, s))
			}
		}
	}
	for si, s := range found {
		right, any := false, false
		for i, tk := range toks {
			if f[i] == si {
				any = true
				right = right || g[i] >= 0
			}
			if tk[0] >= s.End {
				break
			}
		}
		if !any {
			continue
		}
		if right {
			r.Entity.Right++
			r.by(&r.EntityBy, s.Type).Right++
			continue
		}
		r.Entity.FP++
		r.by(&r.EntityBy, s.Type).FP++
		if len(r.FalseAlarms) < maxExamples {
			r.FalseAlarms = append(r.FalseAlarms, example(text, s))
		}
	}
}

func example(text string, s phi.Span) Example {
	from := strings.LastIndexByte(text[:s.Start], '\n') + 1
	to := strings.IndexByte(text[s.End:], '\n')
	if to < 0 {
		to = len(text)
	} else {
		to += s.End
	}
	from, to = max(from, s.Start-60), min(to, s.End+60)
	for from > 0 && !utf8.RuneStart(text[from]) {
		from--
	}
	for to < len(text) && !utf8.RuneStart(text[to]) {
		to++
	}
	return Example{s.Type, text[s.Start:s.End], text[from:s.Start] + "«" + text[s.Start:s.End] + "»" + text[s.End:to]}
}

// tokens are the runs of letters and digits of text, as byte ranges.
func tokens(text string) [][2]int {
	var out [][2]int
	start := -1
	for i, c := range text {
		in := unicode.IsLetter(c) || unicode.IsDigit(c)
		if in && start < 0 {
			start = i
		} else if !in && start >= 0 {
			out = append(out, [2]int{start, i})
			start = -1
		}
	}
	if start >= 0 {
		out = append(out, [2]int{start, len(text)})
	}
	return out
}

// cover returns, for each token, the index of the span that overlaps it, or -1.
func cover(toks [][2]int, spans []phi.Span) []int {
	out := make([]int, len(toks))
	j := 0
	for i, tk := range toks {
		out[i] = -1
		for j < len(spans) && spans[j].End <= tk[0] {
			j++
		}
		if j < len(spans) && spans[j].Start < tk[1] {
			out[i] = j
		}
	}
	return out
}

// Print writes the report as a table: a row per type and the overall rows.
func (r *Report) Print(w io.Writer) {
	fmt.Fprintf(w, "%d texts, %d bytes; binary scores (an identifier counts as removed whatever its type)\n", r.Texts, r.Bytes)
	fmt.Fprintf(w, "%-12s %8s %8s %8s %8s   %8s %8s %8s %8s\n", "type", "ent.n", "ent.P", "ent.R", "ent.F2", "tok.n", "tok.P", "tok.R", "tok.F2")
	var types []phi.Type
	for t := range r.EntityBy {
		types = append(types, t)
	}
	for t := range r.TokenBy {
		if r.EntityBy[t] == nil {
			types = append(types, t)
		}
	}
	slices.Sort(types)
	row := func(name string, e, t Counts) {
		fmt.Fprintf(w, "%-12s %8d %8.4f %8.4f %8.4f   %8d %8.4f %8.4f %8.4f\n", name,
			e.TP+e.FN, e.Precision(), e.Recall(), e.F2(), t.TP+t.FN, t.Precision(), t.Recall(), t.F2())
	}
	for _, t := range types {
		var e, k Counts
		if c := r.EntityBy[t]; c != nil {
			e = *c
		}
		if c := r.TokenBy[t]; c != nil {
			k = *c
		}
		row(string(t), e, k)
	}
	row("ALL", r.Entity, r.Token)
	fmt.Fprintf(w, "type agreement where both cover a token: %.4f\n", r.TypeAgreement())
}

// Merge adds o's counts to r.
func (r *Report) Merge(o *Report) {
	r.Token.add(o.Token)
	r.Entity.add(o.Entity)
	for t, c := range o.TokenBy {
		r.by(&r.TokenBy, t).add(*c)
	}
	for t, c := range o.EntityBy {
		r.by(&r.EntityBy, t).add(*c)
	}
	r.agree += o.agree
	r.bothCovered += o.bothCovered
	r.Texts += o.Texts
	r.Bytes += o.Bytes
	r.Misses = append(r.Misses, o.Misses...)[:min(maxExamples, len(r.Misses)+len(o.Misses))]
	r.FalseAlarms = append(r.FalseAlarms, o.FalseAlarms...)[:min(maxExamples, len(r.FalseAlarms)+len(o.FalseAlarms))]
}
