// Package phi will de-identify text for exports and logs: the 18 HIPAA Safe Harbor
// identifiers, found with their spans and types, measured by precision and recall.
package phi
