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
// in either reading of a numeric day and month (dates.go). Facts are grounded in their
// context (context.go, frequency.go): a dose by a dose said for the same drug, a vital
// sign by the same sign's, an interval by one of the same kind and of the same thing,
// a frequency by the same schedule for the same drug; ages and weights the dictation
// does not say are shown apart, as facts from the record. Both checks are pure Go,
// with no model needed to test them.
//
// What it does not do: judge whether grounded text is clinically right, or find every
// hallucination — a sentence can be wrong with every number in it grounded. The spans
// point the physician's attention; they do not replace it. A drug the source names
// only as an allergy or as stopped grounds it only where the draft names it so too.
// Known gaps: a negation said well after the drug ("the amlodipine, which we had to
// stop") is not heard; a number said of one thing grounds the same bare number said
// of another (a strength "10/325" by a pain score "10/10"); left and right are words, not facts; dates said
// "the third of March" are not read; a lab analyte named as a drug (potassium) is
// flagged when the source says only its symbol (K).
package llm
