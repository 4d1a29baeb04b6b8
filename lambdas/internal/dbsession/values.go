package dbsession

import (
	"bytes"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"math"
	"strconv"
	"time"
)

// kind says how the text form of a column value becomes a JSON value. Both engines deliver
// values as text (the text protocols), so one conversion serves both; whatever has no exact
// JSON form (decimals, dates, times, intervals, UUIDs, enums, arrays ...) stays the server's
// exact text.
type kind uint8

const (
	kindText        kind = iota // JSON string, the server's text
	kindInt                     // JSON number with every digit
	kindFloat32                 // JSON number, shortest exact form; NaN and infinities as strings
	kindFloat64                 // as kindFloat32 for 64 bits
	kindBool                    // JSON true or false
	kindTimestamp               // RFC 3339 date-time without offset
	kindTimestampTZ             // RFC 3339 date-time in UTC ("Z")
	kindBytes                   // base64 of the raw bytes
	kindHexBytes                // base64 of PostgreSQL's \x hex output
	kindJSON                    // the JSON document itself
	kindBits                    // MySQL BIT: big-endian unsigned number
)

// Text layouts of both engines with the session settings Open makes (ISO dates). PostgreSQL
// writes offsets as +hh, +hh:mm or +hh:mm:ss (a script may change the session time zone).
const (
	sqlTimestamp = "2006-01-02 15:04:05.999999999"
	rfc3339Local = "2006-01-02T15:04:05.999999999"
)

var sqlTimestampTZ = []string{sqlTimestamp + "Z07", sqlTimestamp + "Z07:00", sqlTimestamp + "Z07:00:00"}

// value converts raw, the non-NULL text of a value, into its JSON value. raw may be reused by
// the driver afterwards, so nothing returned aliases it.
func (k kind) value(raw []byte) any {
	switch k {
	case kindInt:
		return json.Number(raw)
	case kindFloat32:
		return float(raw, 32)
	case kindFloat64:
		return float(raw, 64)
	case kindBool:
		if b, err := strconv.ParseBool(string(raw)); err == nil {
			return b
		}
	case kindTimestamp, kindTimestampTZ:
		return timestamp(string(raw), k == kindTimestampTZ)
	case kindBytes:
		return base64.StdEncoding.EncodeToString(raw)
	case kindHexBytes:
		if b, err := hex.DecodeString(string(bytes.TrimPrefix(raw, []byte(`\x`)))); err == nil {
			return base64.StdEncoding.EncodeToString(b)
		}
	case kindJSON:
		if json.Valid(raw) {
			return json.RawMessage(bytes.Clone(raw))
		}
	case kindBits:
		if len(raw) <= 8 {
			var n uint64
			for _, b := range raw {
				n = n<<8 | uint64(b)
			}
			return json.Number(strconv.FormatUint(n, 10))
		}
	}
	return string(raw)
}

// float re-formats a float in Go's shortest exact form, so that both engines print the same
// value the same way; JSON has no NaN or infinity, so those stay strings ("NaN", "Infinity").
func float(raw []byte, bits int) any {
	f, err := strconv.ParseFloat(string(raw), bits)
	if err != nil || math.IsNaN(f) || math.IsInf(f, 0) {
		return string(raw)
	}
	return json.Number(strconv.FormatFloat(f, 'g', -1, bits))
}

// timestamp turns "2024-02-29 13:45:00.5[+00]" into RFC 3339. Values RFC 3339 cannot hold
// (MySQL zero dates, PostgreSQL infinity, BC dates, years past 9999) keep the server's text.
func timestamp(s string, utc bool) any {
	if utc {
		if t, ok := parseZoned(s); ok {
			return t.UTC().Format(time.RFC3339Nano)
		}
	}
	// MySQL TIMESTAMP has no offset in its text: it is in the session time zone, UTC unless the
	// script changed time_zone.
	t, err := time.Parse(sqlTimestamp, s)
	switch {
	case err != nil:
		return s
	case utc:
		return t.Format(time.RFC3339Nano)
	}
	return t.Format(rfc3339Local)
}

func parseZoned(s string) (time.Time, bool) {
	for _, layout := range sqlTimestampTZ {
		if t, err := time.Parse(layout, s); err == nil {
			return t, true
		}
	}
	return time.Time{}, false
}
