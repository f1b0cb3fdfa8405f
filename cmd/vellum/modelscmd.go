package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"text/tabwriter"
	"time"

	"github.com/vellumhealth/vellum/models"
)

func modelsCommand() *command {
	return &command{
		name:    "models",
		summary: "list, inspect, verify and pull the language and speech models of the managed folder",
		example: `vellum models list
vellum models speech
vellum models inspect /var/lib/vellum/models/llama-3.2-1b-q4_k_m.gguf
vellum models pull https://models.hospital.example/llama-3.2-1b-q4_k_m.gguf --sha256 9f86d0...`,
		subs: []*command{modelsList(), modelsSpeech(), modelsInspect(), modelsVerify(), modelsPull()},
	}
}

func printCatalog(e *env, dir string, entries []models.Entry, asJSON bool) error {
	if asJSON {
		return e.printJSON(entries)
	}
	if len(entries) == 0 {
		fmt.Fprintf(e.stderr, "no models in %s\n", dir)
		return nil
	}
	tw := tabwriter.NewWriter(e.stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "FILE\tSTATUS\tARCH\tPARAMETERS\tQUANT\tCONTEXT\tSHA-256\tREASON")
	for _, m := range entries {
		arch, params, quant, ctxLen := "", "", "", ""
		if m.Header != nil {
			arch, quant = m.Header.Architecture, m.Header.FileType
			params = fmt.Sprintf("%.2fB", float64(m.Header.Parameters)/1e9)
			if m.Header.Parameters < 1e8 {
				params = fmt.Sprintf("%.1fM", float64(m.Header.Parameters)/1e6)
			}
			ctxLen = fmt.Sprint(m.Header.ContextLen)
		}
		sum := m.SHA256
		if len(sum) > 16 {
			sum = sum[:16] + "…"
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n", m.File, m.Status, arch, params, quant, ctxLen, sum, m.Reason)
	}
	return tw.Flush()
}

func modelsList() *command {
	var asJSON bool
	return &command{
		name:    "list",
		summary: "list the managed folder's models: allowed, refused (with the reason), incomplete",
		example: "vellum models list --json",
		flags:   func(fs *flag.FlagSet) { fs.BoolVar(&asJSON, "json", false, "print JSON") },
		run: func(ctx context.Context, e *env, args []string) error {
			a, err := e.core()
			if err != nil {
				return err
			}
			entries, err := a.Models(ctx)
			if err != nil {
				return err
			}
			return printCatalog(e, a.Catalog().Dir, entries, asJSON)
		},
	}
}

func modelsSpeech() *command {
	var asJSON bool
	return &command{
		name: "speech",
		summary: "list the speech models of the managed folder's speech/ subfolder (one folder each, every file on the allowlist), " +
			"and which dictation uses",
		example: "vellum models speech --json",
		flags:   func(fs *flag.FlagSet) { fs.BoolVar(&asJSON, "json", false, "print JSON") },
		run: func(ctx context.Context, e *env, args []string) error {
			a, err := e.core()
			if err != nil {
				return err
			}
			live, final, pickErr := a.SpeechModels(ctx) // scans the folder
			speech := a.Catalog().Speech()
			if asJSON {
				return e.printJSON(speech)
			}
			return printSpeech(e, a.Catalog().Dir, speech, live, final, pickErr)
		},
	}
}

func printSpeech(e *env, dir string, speech []models.SpeechModel, live, final models.SpeechModel, pickErr error) error {
	if len(speech) == 0 {
		fmt.Fprintf(e.stderr, "no speech models in %s\n", filepath.Join(dir, models.SpeechDir))
		return nil
	}
	tw := tabwriter.NewWriter(e.stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "NAME\tKIND\tSTATUS\tDICTATION\tREASON")
	for _, m := range speech {
		use := ""
		switch m.Name {
		case live.Name:
			use = "live"
		case final.Name:
			use = "final pass"
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\n", m.Name, m.Kind, m.Status, use, m.Reason)
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	if pickErr != nil {
		fmt.Fprintf(e.stderr, "dictation: %v\n", pickErr)
	}
	return nil
}

func modelsVerify() *command {
	return &command{
		name:    "verify",
		summary: "re-read and re-hash every model of the folder, speech models included, against the allowlist",
		example: "vellum models verify",
		run: func(ctx context.Context, e *env, args []string) error {
			a, err := e.core()
			if err != nil {
				return err
			}
			entries, err := a.Models(ctx) // a fresh catalog hashes every file
			if err != nil {
				return err
			}
			if err := printCatalog(e, a.Catalog().Dir, entries, false); err != nil {
				return err
			}
			live, final, pickErr := a.SpeechModels(ctx)
			speech := a.Catalog().Speech()
			if err := printSpeech(e, a.Catalog().Dir, speech, live, final, pickErr); err != nil {
				return err
			}
			for _, m := range speech {
				if m.Status == models.Malformed {
					return fmt.Errorf("speech model %s is malformed: %s", m.Name, m.Reason)
				}
			}
			for _, m := range entries {
				if m.Status == models.Malformed {
					return fmt.Errorf("%s is malformed: %s", m.File, m.Reason)
				}
			}
			return nil
		},
	}
}

func modelsInspect() *command {
	var asJSON bool
	return &command{
		name:    "inspect",
		args:    "FILE",
		summary: "read a GGUF file's header: architecture, parameters, quantization, context, chat template, tensors",
		example: "vellum models inspect model.gguf",
		flags:   func(fs *flag.FlagSet) { fs.BoolVar(&asJSON, "json", false, "print the metadata as JSON") },
		nargs:   1,
		run: func(ctx context.Context, e *env, args []string) error {
			f, err := os.Open(args[0])
			if err != nil {
				return err
			}
			defer f.Close()
			st, err := f.Stat()
			if err != nil {
				return err
			}
			h, err := models.ReadHeader(f, st.Size())
			if err != nil {
				return fmt.Errorf("%s: %w", args[0], err)
			}
			if asJSON {
				return e.printJSON(h.Meta)
			}
			tmpl := "none"
			if h.ChatTemplate != "" {
				tmpl = fmt.Sprintf("%d bytes", len(h.ChatTemplate))
			}
			fmt.Fprintf(e.stdout, "file:          %s (%d bytes)\nformat:        GGUF v%d\narchitecture:  %s\nname:          %s\nparameters:    %d\nquantization:  %s\ncontext:       %d\ntokenizer:     %s (%d tokens)\nchat template: %s\ntensors:       %d (%d bytes of data)\n",
				args[0], st.Size(), h.Version, h.Architecture, h.Name, h.Parameters, h.FileType, h.ContextLen, h.Tokenizer, h.VocabSize, tmpl, len(h.Tensors), h.DataBytes)
			return nil
		},
	}
}

func modelsPull() *command {
	var sum, dir, caFile string
	return &command{
		name:    "pull",
		args:    "URL",
		summary: "download a model over https into the managed folder: resumes, verifies the SHA-256 and the GGUF header, then publishes it",
		example: "vellum models pull https://models.hospital.example/m.gguf --sha256 9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08",
		flags: func(fs *flag.FlagSet) {
			fs.StringVar(&sum, "sha256", "", "the model's SHA-256 (required)")
			fs.StringVar(&dir, "dir", "", "folder (default: the managed folder)")
			fs.StringVar(&caFile, "ca", "", "PEM file of the CA that signs the model server's certificate (default: the system's roots)")
		},
		nargs: 1,
		run: func(ctx context.Context, e *env, args []string) error {
			if sum == "" {
				return usageError{"models pull: --sha256 is required"}
			}
			a, err := e.core()
			if err != nil {
				return err
			}
			var ca []byte
			if caFile != "" {
				if ca, err = os.ReadFile(caFile); err != nil {
					return err
				}
			}
			last := time.Time{}
			p, err := a.PullModel(ctx, args[0], sum, dir, ca, func(done, total int64) {
				if time.Since(last) > time.Second || done == total {
					last = time.Now()
					if total > 0 {
						fmt.Fprintf(e.stderr, "\r%d of %d MB (%d%%)", done>>20, total>>20, done*100/total)
					}
				}
			})
			fmt.Fprintln(e.stderr)
			if err != nil {
				return err
			}
			fmt.Fprintln(e.stdout, p)
			return nil
		},
	}
}
