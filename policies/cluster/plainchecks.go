package cluster

// Every Pod carries about eight timestamps and three resource quantities in fields the model never
// reads, and the fast path still checks each as its UnmarshalJSON would. Handing the bytes to
// time.Parse or resource.ParseQuantity makes a string of them on the heap, a tenth of the decode's
// allocations. These recognise the forms a cluster writes without allocating; anything else, valid
// or not, goes to the parser, so they only ever answer yes where it would.

// isPlainTimestamp reports a timestamp as the API server writes one, 2006-01-02T15:04:05Z, with
// every field in range: time.Parse(time.RFC3339, …) accepts all of them.
func isPlainTimestamp(b []byte) bool {
	if len(b) != len("2006-01-02T15:04:05Z") || b[4] != '-' || b[7] != '-' || b[10] != 'T' ||
		b[13] != ':' || b[16] != ':' || b[19] != 'Z' {
		return false
	}
	year, ok1 := digits(b[0:4])
	month, ok2 := digits(b[5:7])
	day, ok3 := digits(b[8:10])
	hour, ok4 := digits(b[11:13])
	minute, ok5 := digits(b[14:16])
	second, ok6 := digits(b[17:19])
	if !ok1 || !ok2 || !ok3 || !ok4 || !ok5 || !ok6 {
		return false
	}
	return 1 <= month && month <= 12 && 1 <= day && day <= daysIn(month, year) &&
		hour < 24 && minute < 60 && second < 60
}

func digits(b []byte) (int, bool) {
	n := 0
	for _, c := range b {
		if !isDigit(c) {
			return 0, false
		}
		n = n*10 + int(c-'0')
	}
	return n, true
}

func daysIn(month, year int) int {
	switch month {
	case 2:
		if year%4 == 0 && (year%100 != 0 || year%400 == 0) {
			return 29
		}
		return 28
	case 4, 6, 9, 11:
		return 30
	}
	return 31
}

// isPlainQuantity reports a quantity of one to nine digits, without a leading zero unless it is
// 0, and one of the suffixes resource.ParseQuantity knows or none: 100m, 512Mi, 2, 1G.
func isPlainQuantity(b []byte) bool {
	n := 0
	for n < len(b) && n < 10 && isDigit(b[n]) {
		n++
	}
	if n == 0 || n > 9 || (b[0] == '0' && n > 1) {
		return false
	}
	switch string(b[n:]) {
	case "", "m", "k", "M", "G", "T", "P", "E", "Ki", "Mi", "Gi", "Ti", "Pi", "Ei":
		return true
	}
	return false
}
