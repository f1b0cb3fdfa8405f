package synth

import (
	"errors"
	"fmt"
	"os"
	"strings"
)

// ErrNoTokenizer: the GGUF file given as a vocabulary has no tokenizer in it.
var ErrNoTokenizer = errors.New("the file has no tokenizer (tokenizer.ggml.model and tokenizer.ggml.tokens)")

// Vocab is a tokenizer as GGUF stores it: every tokenizer.* entry of a file. llama.cpp
// ships one per tokenizer family as models/ggml-vocab-*.gguf, with no weights.
type Vocab struct {
	kvs  []KV
	size int
}

// Size is the number of tokens, which is the model's vocabulary size.
func (v *Vocab) Size() int { return v.size }

// LoadVocab reads the tokenizer of a GGUF file: a vocabulary-only file, or any model.
func LoadVocab(path string) (*Vocab, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("load vocabulary: %w", err)
	}
	defer f.Close()
	kvs, err := ReadMetadata(f)
	if err != nil {
		return nil, fmt.Errorf("load vocabulary %s: %w", path, err)
	}
	v, err := newVocab(kvs)
	if err != nil {
		return nil, fmt.Errorf("load vocabulary %s: %w", path, err)
	}
	return v, nil
}

func newVocab(kvs []KV) (*Vocab, error) {
	v := &Vocab{}
	model := false
	for _, kv := range kvs {
		if !strings.HasPrefix(kv.Key, "tokenizer.") {
			continue
		}
		switch kv.Key {
		case "tokenizer.ggml.tokens":
			tokens, ok := kv.Value.([]string)
			if !ok {
				return nil, fmt.Errorf("tokenizer.ggml.tokens is a %T, not an array of strings", kv.Value)
			}
			v.size = len(tokens)
		case "tokenizer.ggml.model":
			_, model = kv.Value.(string)
		}
		v.kvs = append(v.kvs, kv)
	}
	if v.size == 0 || !model {
		return nil, ErrNoTokenizer
	}
	return v, nil
}
