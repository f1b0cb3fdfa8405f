package phi

import (
	"strings"
	"testing"
)

// benchNote is a synthetic discharge note with identifiers in the places they sit.
const benchNote = `Patient: SYN-MRN-4471
Name: Tavia Quenby  DOB: 04/11/1958  MRN: 00482913
Admitted 03/14/2024, discharged March 18, 2024. Attending: Orrin Velasquez, MD.
Mrs. Quenby is a 65-year-old woman who lives in Marble Falls with her daughter, Marisol.
HPI: three days of productive cough, fever to 38.6, dyspnea on exertion. BP 132/84,
HR 96, SpO2 91% on room air. CXR: right lower lobe consolidation. WBC 14.2, CRP 88.
Started ceftriaxone 1 g IV daily and azithromycin 500 mg, then amoxicillin 875 mg twice
daily for 5 days. Metformin 500mg held while inpatient; resume at discharge.
Follow up 4/22 with PCP: Dr. Abernathy, (503) 555-0142, fax 503-555-0199.
Home: 4417 Larkspur Lane, Apt 2B, Brookhaven, GA 30319. Email tq.synthetic@example.org.
Member ID: XKZ448812901. Strength 5/5, pain 3/10. History of Parkinson disease.
`

// BenchmarkFind: the floor is 2 MB of note text per second on one core.
func BenchmarkFind(b *testing.B) {
	text := strings.Repeat(benchNote, (1<<20)/len(benchNote)+1) // about 1 MB
	b.SetBytes(int64(len(text)))
	b.ResetTimer()
	for b.Loop() {
		Find(text)
	}
	mbps := float64(len(text)) * float64(b.N) / b.Elapsed().Seconds() / 1e6
	b.ReportMetric(mbps/2, "x_floor_2MB/s")
}
