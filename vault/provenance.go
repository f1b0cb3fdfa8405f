package vault

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"slices"
	"unicode"
	"unicode/utf8"
)

// Origin says where a range of a signed note's text came from: a model's draft
// (which model, by digest, and which template), or the physician (typed, or a draft's
// words changed). Start and End are byte offsets into the body as signed.
type Origin struct {
	Start    int    `json:"start"`
	End      int    `json:"end"`
	Source   string `json:"source"` // SourceModel or SourcePhysician
	Model    string `json:"model_sha256,omitempty"`
	Template string `json:"template,omitempty"`
}

// The sources of a note's text.
const (
	SourceModel     = "model"
	SourcePhysician = "physician"
)

// AddDraftText keeps a model's draft that was put into the draft note id, with the
// model's digest and the template, until the note is signed: signing compares the
// signed text with every draft kept to attribute each range (Attribute). The same
// draft twice is kept once.
func (v *Vault) AddDraftText(ctx context.Context, id, text, modelSHA256, template string) error {
	if text == "" {
		return nil
	}
	return v.changeNote(ctx, id, "keep a draft of", addDraft(ctx, id, DraftText{Text: text, Model: modelSHA256, Template: template}))
}

// addDraft keeps d with the draft note: sealed with the note's data key when the
// note is sealed. The same draft kept again keeps what was flagged in it before:
// flags are only ever added.
func addDraft(ctx context.Context, id string, d DraftText) noteChange {
	return func(tx *sql.Tx, n Note, now int64) error {
		if n.Status == Signed {
			return ErrSigned
		}
		dk, err := n.dataKey()
		if err != nil {
			return err
		}
		kept, err := keptDrafts(ctx, tx, n)
		if err != nil {
			return err
		}
		digest := draftDigest(dk, d.Text)
		claims := []Claim{}
		exists := false
		for _, k := range kept {
			if k.digest == digest {
				exists, claims = true, append(claims, k.Ungrounded...)
			}
		}
		for _, c := range d.Ungrounded {
			if !slices.Contains(claims, c) {
				claims = append(claims, c)
			}
		}
		if dk != nil {
			content, err := sealJSON(dk, draftContent{Text: d.Text, Ungrounded: claims}, draftAD(id))
			if err != nil {
				return err
			}
			if exists {
				_, err = tx.ExecContext(ctx, "UPDATE note_drafts SET sealed = ? WHERE note_id = ? AND text_sha256 = ?", content, id, digest)
				return err
			}
			_, err = tx.ExecContext(ctx, `INSERT INTO note_drafts (note_id, text_sha256, text, model_sha256, template, created_ms, ungrounded, sealed)
				VALUES (?, ?, '', ?, ?, ?, '[]', ?)`, id, digest, d.Model, d.Template, now, content)
			return err
		}
		raw, err := json.Marshal(claims)
		if err != nil {
			return err
		}
		if exists {
			_, err = tx.ExecContext(ctx, "UPDATE note_drafts SET ungrounded = ? WHERE note_id = ? AND text_sha256 = ?", string(raw), id, digest)
			return err
		}
		_, err = tx.ExecContext(ctx, `INSERT INTO note_drafts (note_id, text_sha256, text, model_sha256, template, created_ms, ungrounded)
			VALUES (?, ?, ?, ?, ?, ?, ?)`, id, digest, d.Text, d.Model, d.Template, now, string(raw))
		return err
	}
}

// draftDigest names a kept draft: its SHA-256, keyed with the note's data key when
// the note is sealed.
func draftDigest(dk []byte, text string) string {
	if dk != nil {
		return keyedDigest(dk, text)
	}
	sum := sha256.Sum256([]byte(text))
	return hex.EncodeToString(sum[:])
}

// DraftText is a model's draft kept with a draft note until it is signed.
type DraftText struct {
	Text, Model, Template string
	// Ungrounded are the claims of the draft that the grounding check found
	// unsupported by its source.
	Ungrounded []Claim
}

// Claim is a span of a draft the grounding check could not find in the source: a
// number, dose, date or drug name. Text is PHI, like the draft.
type Claim struct {
	Kind string `json:"kind"`
	Text string `json:"text"`
}

// keptDraft is a draft kept with a note, with its digest.
type keptDraft struct {
	DraftText
	digest string
}

// keptDrafts returns the drafts kept with note n, oldest first, opened with its data
// key where they are sealed.
func keptDrafts(ctx context.Context, db querier, n Note) ([]keptDraft, error) {
	dk, err := n.dataKey()
	if err != nil {
		return nil, err
	}
	rows, err := db.QueryContext(ctx, "SELECT text_sha256, text, model_sha256, template, ungrounded, sealed FROM note_drafts WHERE note_id = ? ORDER BY seq", n.ID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []keptDraft
	for rows.Next() {
		var d keptDraft
		var raw string
		var sealed []byte
		if err := rows.Scan(&d.digest, &d.Text, &d.Model, &d.Template, &raw, &sealed); err != nil {
			return nil, err
		}
		if sealed != nil {
			var c draftContent
			if dk == nil {
				return nil, ErrSealed
			}
			if err := unsealJSON(dk, sealed, draftAD(n.ID), &c); err != nil {
				return nil, fmt.Errorf("note %s: a kept draft does not open (altered?)", n.ID)
			}
			d.Text, d.Ungrounded = c.Text, c.Ungrounded
		} else if err := json.Unmarshal([]byte(raw), &d.Ungrounded); err != nil {
			return nil, fmt.Errorf("note %s: a kept draft's claims are unreadable: %w", n.ID, err)
		}
		out = append(out, d)
	}
	return out, rows.Err()
}

// provenanceAtSign attributes note n's body as it is signed and drops the kept
// drafts: from then on the ranges are the record. It returns the ranges, as stored
// in the clear and as they are.
func provenanceAtSign(ctx context.Context, tx *sql.Tx, n Note) (string, []Origin, error) {
	kept, err := keptDrafts(ctx, tx, n)
	if err != nil {
		return "", nil, err
	}
	drafts := make([]DraftText, len(kept))
	for i, k := range kept {
		drafts[i] = k.DraftText
	}
	origins := Attribute(n.Body, drafts)
	b, err := json.Marshal(origins)
	if err != nil {
		return "", nil, err
	}
	_, err = tx.ExecContext(ctx, "DELETE FROM note_drafts WHERE note_id = ?", n.ID)
	return string(b), origins, err
}

// maxAttributeCells bounds the word-by-word comparison (body words times draft
// words): notes are a few thousand words; beyond the bound the text is attributed to
// the physician rather than compared for minutes.
const maxAttributeCells = 16 << 20

// Attribute splits body into ranges by origin: a word that appears, in order, in one
// of the model's drafts (the longest common subsequence of words, draft by draft, the
// first draft first), as part of a run of at least minRun words in a row in both,
// came from that model; every other word, and what lies between words of different
// origin, is the physician's. The run keeps common words the physician wrote ("the",
// "of", "mg") from being credited to the model one by one. Adjacent ranges of the same origin
// are merged; the ranges cover body exactly.
func Attribute(body string, drafts []DraftText) []Origin {
	words := splitWords(body)
	owner := make([]int, len(words)) // 0: the physician; i+1: drafts[i]
	for di, d := range drafts {
		dw := splitWords(d.Text)
		var free []int // indexes of body words not yet attributed
		for i := range words {
			if owner[i] == 0 {
				free = append(free, i)
			}
		}
		if len(free)*len(dw) > maxAttributeCells {
			continue
		}
		for _, i := range inRuns(lcs(words, free, dw, body, d.Text), minRun) {
			owner[i] = di + 1
		}
	}
	var out []Origin
	add := func(start, end, who int) {
		o := Origin{Start: start, End: end, Source: SourcePhysician}
		if who > 0 {
			o.Source, o.Model, o.Template = SourceModel, drafts[who-1].Model, drafts[who-1].Template
		}
		if n := len(out); n > 0 && out[n-1].Source == o.Source && out[n-1].Model == o.Model && out[n-1].Template == o.Template {
			out[n-1].End = end
			return
		}
		out = append(out, o)
	}
	pos := 0
	for i, w := range words {
		who := owner[i]
		if w.start > pos {
			// The gap takes the origin of the words on both sides when they agree.
			gap := 0
			if i > 0 && owner[i-1] == who {
				gap = who
			}
			add(pos, w.start, gap)
		}
		add(w.start, w.end, who)
		pos = w.end
	}
	if pos < len(body) {
		add(pos, len(body), 0)
	}
	return out
}

type word struct{ start, end int }

// splitWords returns the byte ranges of the words of s (runs of letters, digits and
// the punctuation inside a word, such as 5.0 or mg/dL).
func splitWords(s string) []word {
	var out []word
	start := -1
	for i, r := range s {
		if unicode.IsSpace(r) {
			if start >= 0 {
				out = append(out, word{start, i})
				start = -1
			}
			continue
		}
		if start < 0 {
			start = i
		}
	}
	if start >= 0 {
		out = append(out, word{start, len(s)})
	}
	return out
}

// minRun is the fewest words in a row that Attribute credits to a model.
const minRun = 2

// inRuns keeps the matched pairs that belong to a run of at least n pairs adjacent in
// both texts, and returns their body word indexes.
func inRuns(pairs [][2]int, n int) []int {
	var out []int
	for i := 0; i < len(pairs); {
		j := i + 1
		for j < len(pairs) && pairs[j][0] == pairs[j-1][0]+1 && pairs[j][1] == pairs[j-1][1]+1 {
			j++
		}
		if j-i >= n {
			for _, p := range pairs[i:j] {
				out = append(out, p[0])
			}
		}
		i = j
	}
	return out
}

// lcs returns the pairs (body word index, from free; draft word index) of a longest
// common subsequence of those words and the draft's words.
func lcs(words []word, free []int, dw []word, body, draft string) [][2]int {
	n, m := len(free), len(dw)
	if n == 0 || m == 0 {
		return nil
	}
	eq := func(i, j int) bool {
		a, b := words[free[i]], dw[j]
		return body[a.start:a.end] == draft[b.start:b.end]
	}
	// Lengths of suffix LCSs, row by row: (n+1)*(m+1) small integers.
	t := make([]int32, (n+1)*(m+1))
	at := func(i, j int) *int32 { return &t[i*(m+1)+j] }
	for i := n - 1; i >= 0; i-- {
		for j := m - 1; j >= 0; j-- {
			switch {
			case eq(i, j):
				*at(i, j) = *at(i+1, j+1) + 1
			case *at(i+1, j) >= *at(i, j+1):
				*at(i, j) = *at(i+1, j)
			default:
				*at(i, j) = *at(i, j+1)
			}
		}
	}
	var out [][2]int
	for i, j := 0, 0; i < n && j < m; {
		switch {
		case eq(i, j):
			out = append(out, [2]int{free[i], j})
			i, j = i+1, j+1
		case *at(i+1, j) >= *at(i, j+1):
			i++
		default:
			j++
		}
	}
	return out
}

// ModelShare is how much of a signed note's text (in characters) came from each
// source.
func ModelShare(body string, origins []Origin) (model, physician int) {
	for _, o := range origins {
		if o.Start < 0 || o.End > len(body) || o.Start > o.End {
			continue
		}
		c := utf8.RuneCountInString(body[o.Start:o.End])
		if o.Source == SourceModel {
			model += c
		} else {
			physician += c
		}
	}
	return model, physician
}
