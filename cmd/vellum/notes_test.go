package main

import (
	"strings"
	"testing"
)

func TestReadNote(t *testing.T) {
	tests := []struct {
		name, in                   string
		title, patient, body, fail string
	}{
		{"headers then text", "Title: SOAP\nPatient: SYN-1\n\nS: cough\nO: ok\n", "SOAP", "SYN-1", "S: cough\nO: ok\n", ""},
		{"headers are case-insensitive and CRLF is fine", "title: A\r\npatient:  P \r\n\r\nx", "A", "P", "x", ""},
		{"text that does not start with a header is all text", "S: cough\nTitle: not a header\n", "", "", "S: cough\nTitle: not a header\n", ""},
		{"an unknown header inside the block is refused", "Title: A\nMRN: 1\n\nx", "", "", "", "line 2"},
		{"headers only", "Title: A", "A", "", "", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			n, err := readNote(strings.NewReader(tt.in))
			if tt.fail != "" {
				if err == nil || !strings.Contains(err.Error(), tt.fail) {
					t.Fatalf("err = %v, want one naming %q", err, tt.fail)
				}
				return
			}
			if err != nil || n.Title != tt.title || n.PatientRef != tt.patient || n.Body != tt.body {
				t.Fatalf("readNote = %+v, %v", n, err)
			}
		})
	}
}
