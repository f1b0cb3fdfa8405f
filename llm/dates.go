package llm

import (
	"strconv"
	"strings"
)

// Dates are compared as dates, not as text: "08/03/2020" and "8/3/2020", "2020-08-03"
// and "August 3, 2020" are one date, and "07/2021" is July 2021. canonDates returns
// the forms a date written as s may mean: "y-m-d" (or "y-m" for a month), both
// readings of a numeric day and month (8/3 is 3 August in the US and 8 March
// elsewhere), and s itself without spaces, lower-cased, for anything else.

var monthNames = map[string]int{"jan": 1, "feb": 2, "mar": 3, "apr": 4, "may": 5, "jun": 6,
	"jul": 7, "aug": 8, "sep": 9, "oct": 10, "nov": 11, "dec": 12}

func canonDates(s string) []string {
	raw := normalize(s)
	fields := strings.FieldsFunc(strings.ToLower(s), func(r rune) bool {
		return r == '/' || r == '-' || r == ',' || r == '.' || r == ' ' || r == '\t' || r == '\n'
	})
	nums := make([]int, 0, 3)
	month := 0
	for _, f := range fields {
		if n, err := strconv.Atoi(f); err == nil {
			nums = append(nums, n)
		} else if len(f) >= 3 {
			month = monthNames[f[:3]]
		}
	}
	ymd := func(y, m, d int) string {
		if y < 100 {
			y += 2000 // a two-digit year is this century's
		}
		if m < 1 || m > 12 || d < 0 || d > 31 {
			return ""
		}
		if d == 0 {
			return strconv.Itoa(y) + "-" + strconv.Itoa(m)
		}
		return strconv.Itoa(y) + "-" + strconv.Itoa(m) + "-" + strconv.Itoa(d)
	}
	out := []string{raw}
	add := func(d string) {
		if d != "" {
			out = append(out, d)
		}
	}
	switch {
	case month > 0 && len(nums) == 2: // 3 March 2026, March 3, 2026
		add(ymd(nums[1], month, nums[0]))
	case month > 0 && len(nums) == 1: // March 2026
		add(ymd(nums[0], month, 0))
	case len(nums) == 3 && strings.Contains(s, "-") && nums[0] > 999: // 2026-03-01
		add(ymd(nums[0], nums[1], nums[2]))
	case len(nums) == 3: // 3/1/2026: either reading
		add(ymd(nums[2], nums[0], nums[1]))
		add(ymd(nums[2], nums[1], nums[0]))
	case len(nums) == 2 && nums[1] > 999: // 07/2021
		add(ymd(nums[1], nums[0], 0))
	}
	return out
}

func anyIn(set map[string]bool, keys []string) bool {
	for _, k := range keys {
		if set[k] {
			return true
		}
	}
	return false
}

var fullMonths = []string{"january", "february", "march", "april", "may", "june", "july", "august",
	"september", "october", "november", "december"}

// isMonth says whether a lower-cased word is a month's name or its abbreviation
// ("mar", "sept", "march"), not a word that starts like one ("marked").
func isMonth(w string) bool {
	m := monthNames[prefix3(w)]
	return m > 0 && (w == fullMonths[m-1] || strings.HasPrefix(fullMonths[m-1], w))
}

// sourceDates reads the dates of a written, lower-cased source, word by word: numeric
// ones ("3/1/2026", "2026-03-01", "07/2021") and a month's name with its day and year
// around it ("march 3, 2026", "3 march 2026", "march 2026"), each as canonDates
// gives it.
func sourceDates(words []string, out map[string]bool) {
	add := func(s string) {
		for _, d := range canonDates(s) {
			out[d] = true
		}
	}
	num := func(k int) (int, bool) {
		if k < 0 || k >= len(words) {
			return 0, false
		}
		n, err := strconv.Atoi(trimPunct(words[k]))
		return n, err == nil
	}
	for i, w := range words {
		t := trimPunct(w)
		if strings.ContainsAny(t, "/-") && strings.ContainsAny(t, "0123456789") {
			add(t)
			continue
		}
		if !isMonth(t) {
			continue
		}
		day, okDay := num(i + 1)
		year, okYear := num(i + 2)
		switch {
		case okDay && day > 999:
			add(t + " " + strconv.Itoa(day)) // march 2026
		case okDay && okYear:
			add(t + " " + strconv.Itoa(day) + " " + strconv.Itoa(year)) // march 3, 2026
		}
		if before, ok := num(i - 1); ok && before <= 31 {
			if y, ok := num(i + 1); ok && y > 999 {
				add(strconv.Itoa(before) + " " + t + " " + strconv.Itoa(y)) // 3 march 2026
			}
		}
	}
}
