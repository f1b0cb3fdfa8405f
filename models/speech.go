package models

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"time"
)

// SpeechDir is the subfolder of the models folder that holds speech models, one
// folder each, as sherpa-onnx releases them.
const SpeechDir = "speech"

// SpeechKind is what a speech model does.
type SpeechKind string

const (
	// Transducer: a streaming model (encoder, decoder, joiner, tokens) that hears an
	// utterance as it is spoken; dictation's live text.
	Transducer SpeechKind = "transducer"
	// Whisper: an offline model (encoder, decoder, tokens) that recognises a whole
	// utterance once it is over; dictation's final pass where IT supplies one.
	Whisper SpeechKind = "whisper"
)

// SpeechModel is one folder under speech/: its files by role ("encoder", "decoder",
// "joiner", "tokens", and "bpe" where the folder has a bpe.vocab), each file's digest, and its standing. It is allowed only if
// every file's digest is on the allowlist.
type SpeechModel struct {
	Name   string            `json:"name"`
	Kind   SpeechKind        `json:"kind,omitempty"`
	Files  map[string]string `json:"files,omitempty"`  // role → file name
	SHA256 map[string]string `json:"sha256,omitempty"` // file name → digest
	Status Status            `json:"status"`
	Reason string            `json:"reason,omitempty"`
}

// Path is the file that plays role in m, under the catalog's folder dir.
func (m SpeechModel) Path(dir, role string) string {
	return filepath.Join(dir, SpeechDir, m.Name, m.Files[role])
}

// speechFile is a hashed file of a speech model, kept while its size and time stay.
type speechFile struct {
	size    int64
	modTime time.Time
	sum     string
}

// scanSpeech reads speech/: each folder's files are sorted into roles and hashed
// (unchanged files are not hashed again).
func (c *Catalog) scanSpeech(ctx context.Context) error {
	root := filepath.Join(c.Dir, SpeechDir)
	des, err := os.ReadDir(root)
	if errors.Is(err, fs.ErrNotExist) {
		des = nil
	} else if err != nil {
		return fmt.Errorf("speech models folder %s: %w", root, err)
	}
	c.mu.Lock()
	old := c.speechFiles
	c.mu.Unlock()
	files := map[string]speechFile{}
	var out []SpeechModel
	for _, de := range des {
		if !de.IsDir() || strings.HasPrefix(de.Name(), ".") {
			continue
		}
		m, err := c.inspectSpeech(ctx, de.Name(), old, files)
		if err != nil {
			return err
		}
		out = append(out, m)
	}
	c.mu.Lock()
	c.speech, c.speechFiles = out, files
	c.mu.Unlock()
	return nil
}

func (c *Catalog) inspectSpeech(ctx context.Context, name string, old, files map[string]speechFile) (SpeechModel, error) {
	m := SpeechModel{Name: name, Status: Malformed}
	dir := filepath.Join(c.Dir, SpeechDir, name)
	des, err := os.ReadDir(dir)
	if err != nil {
		m.Reason = err.Error()
		return m, nil
	}
	var names []string
	for _, de := range des {
		if de.Type().IsRegular() && !strings.HasPrefix(de.Name(), ".") {
			names = append(names, de.Name())
		}
	}
	roles, kind, reason := speechRoles(names)
	if reason != "" {
		m.Reason = reason
		return m, nil
	}
	m.Kind, m.Files, m.SHA256 = kind, roles, map[string]string{}
	for _, f := range roles {
		if err := ctx.Err(); err != nil {
			return m, err
		}
		rel := filepath.Join(name, f)
		info, err := os.Stat(filepath.Join(dir, f))
		if err != nil {
			m.Reason = err.Error()
			return m, nil
		}
		sf, ok := old[rel]
		if !ok || sf.size != info.Size() || !sf.modTime.Equal(info.ModTime()) {
			sum, err := hashFile(filepath.Join(dir, f))
			if err != nil {
				m.Reason = fmt.Sprintf("%s: %v", f, err)
				return m, nil
			}
			sf = speechFile{size: info.Size(), modTime: info.ModTime(), sum: sum}
		}
		files[rel] = sf
		m.SHA256[f] = sf.sum
	}
	c.judgeSpeech(&m)
	return m, nil
}

// speechRoles sorts a folder's files into a model's roles by the names sherpa-onnx
// gives them ("encoder-epoch-99-avg-1.int8.onnx", "tiny.en-tokens.txt"). Where a
// release ships a role twice (full precision and int8), the int8 file is taken.
func speechRoles(names []string) (map[string]string, SpeechKind, string) {
	roles := map[string]string{}
	for _, role := range []string{"encoder", "decoder", "joiner", "tokens"} {
		var cands []string
		for _, n := range names {
			l := strings.ToLower(n)
			ok := strings.HasSuffix(l, ".onnx") && strings.Contains(l, role)
			if role == "tokens" {
				ok = strings.HasSuffix(l, "tokens.txt")
			}
			if ok {
				cands = append(cands, n)
			}
		}
		if len(cands) > 1 {
			var int8 []string
			for _, n := range cands {
				if strings.Contains(strings.ToLower(n), ".int8.") {
					int8 = append(int8, n)
				}
			}
			if len(int8) != 1 {
				sort.Strings(cands)
				return nil, "", fmt.Sprintf("more than one %s: %s", role, strings.Join(cands, ", "))
			}
			cands = int8
		}
		if len(cands) == 1 {
			roles[role] = cands[0]
		}
	}
	for _, need := range []string{"encoder", "decoder", "tokens"} {
		if roles[need] == "" {
			return nil, "", fmt.Sprintf("not a speech model Vellum reads: no %s file (a transducer has encoder, decoder and joiner .onnx files and tokens.txt; a Whisper model the same without the joiner)", need)
		}
	}
	// A BPE model's vocabulary, which hot words need to be spelled in its pieces.
	for _, n := range names {
		if strings.HasSuffix(strings.ToLower(n), "bpe.vocab") {
			roles["bpe"] = n
			break
		}
	}
	if roles["joiner"] != "" {
		return roles, Transducer, ""
	}
	return roles, Whisper, ""
}

// judgeSpeech sets m's status against the allowlist in force now.
func (c *Catalog) judgeSpeech(m *SpeechModel) {
	if m.Files == nil {
		return
	}
	var refused []string
	for _, f := range slices.Sorted(maps.Keys(m.SHA256)) {
		if !c.allowed(m.SHA256[f]) {
			refused = append(refused, f)
		}
	}
	if len(refused) == 0 {
		m.Status, m.Reason = Allowed, ""
		return
	}
	m.Status, m.Reason = Refused, fmt.Sprintf("the SHA-256 of %s is not on the allowlist (policy model_allowlist)", strings.Join(refused, ", "))
}

// Speech lists the speech models as last scanned, by name, each judged against the
// allowlist in force now.
func (c *Catalog) Speech() []SpeechModel {
	c.mu.Lock()
	defer c.mu.Unlock()
	out := make([]SpeechModel, len(c.speech))
	for i, m := range c.speech {
		c.judgeSpeech(&m)
		out[i] = m
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out
}

func hashFile(path string) (string, error) {
	f, err := openRegular(path)
	if err != nil {
		return "", err
	}
	defer f.Close()
	return hashFrom(f)
}
