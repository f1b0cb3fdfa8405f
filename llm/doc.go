// Package llm turns a physician's source text into a draft note: note templates,
// prompt building, the Engine interface that runs a model (its llama.cpp binding lives
// alone in llm/llamacpp), and the two deterministic checks around inference.
//
// Before inference, Screen refuses input that cannot be a clinical source — empty,
// near-empty, or text with nothing clinical in it — so that no model is ever asked to
// invent an encounter. After inference, Ground finds every number, unit, dose, date and
// drug name in the draft that the source does not contain, and returns them as spans
// for the physician to check before signing. Dictations say numbers and units in
// words: Ground reads the source's spoken forms as written ones ("twenty milligrams"
// grounds "20 mg", "one twenty four over seventy six" grounds "124/76 mmHg", "two
// point five" grounds "2.5"; spoken.go), and a dose's unit is part of it (500 mg does
// not ground 500 g; µg and mcg, cc and mL are one unit). Dates are compared as dates,
// in either reading of a numeric day and month (dates.go). Both checks are pure Go, with
// no model needed to test them.
//
// What it does not do: judge whether grounded text is clinically right, or find every
// hallucination — a sentence can be wrong with every number in it grounded. The spans
// point the physician's attention; they do not replace it.
package llm
