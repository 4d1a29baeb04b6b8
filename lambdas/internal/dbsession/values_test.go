package dbsession

import (
	"encoding/json"
	"testing"
)

func TestKindValue(t *testing.T) {
	tests := []struct {
		kind kind
		raw  string
		want string // the JSON encoding of the value
	}{
		{kindText, "12345678901234567890.123456789012345678", `"12345678901234567890.123456789012345678"`},
		{kindText, "", `""`},
		{kindInt, "-9223372036854775808", `-9223372036854775808`},
		{kindInt, "18446744073709551615", `18446744073709551615`},
		{kindFloat64, "0.1", `0.1`},
		{kindFloat64, "1e+300", `1e+300`},
		{kindFloat64, "-0", `-0`},
		{kindFloat64, "NaN", `"NaN"`},
		{kindFloat64, "-Infinity", `"-Infinity"`},
		{kindFloat32, "3.4028235e+38", `3.4028235e+38`},
		{kindFloat32, "0.1", `0.1`},
		{kindBool, "t", `true`},
		{kindBool, "f", `false`},
		{kindTimestamp, "2024-02-29 13:45:00.123456", `"2024-02-29T13:45:00.123456"`},
		{kindTimestamp, "2024-02-29 13:45:00", `"2024-02-29T13:45:00"`},
		{kindTimestamp, "0000-00-00 00:00:00", `"0000-00-00 00:00:00"`},
		{kindTimestampTZ, "2024-02-29 13:45:00.5+00", `"2024-02-29T13:45:00.5Z"`},
		{kindTimestampTZ, "2024-02-29 13:45:00", `"2024-02-29T13:45:00Z"`},
		{kindTimestampTZ, "2024-02-29 19:15:00.5+05:30", `"2024-02-29T13:45:00.5Z"`},
		{kindTimestampTZ, "1890-01-01 00:00:00+00:19:32", `"1889-12-31T23:40:28Z"`},
		{kindTimestampTZ, "infinity", `"infinity"`},
		{kindTimestampTZ, "0044-03-15 12:00:00+00 BC", `"0044-03-15 12:00:00+00 BC"`},
		{kindBytes, "\x00\xffab", `"AP9hYg=="`},
		{kindHexBytes, `\x00ff6162`, `"AP9hYg=="`},
		{kindJSON, `{"b": [1, 2.50, null], "a": "x"}`, `{"b":[1,2.50,null],"a":"x"}`},
		{kindJSON, `not json`, `"not json"`},
		{kindBits, "\x02\x01", `513`},
		{kindBits, "", `0`},
	}
	for _, tt := range tests {
		got, err := json.Marshal(tt.kind.value([]byte(tt.raw)))
		if err != nil || string(got) != tt.want {
			t.Errorf("kind %d value(%q) = %s, %v; want %s", tt.kind, tt.raw, got, err, tt.want)
		}
	}
}

func TestValueDoesNotAliasRaw(t *testing.T) {
	raw := []byte(`{"a":1}`)
	v := kindJSON.value(raw)
	copy(raw, "XXXXXXX")
	if got, _ := json.Marshal(v); string(got) != `{"a":1}` {
		t.Fatalf("value changed with its buffer: %s", got)
	}
}

func TestMySQLKind(t *testing.T) {
	for typ, want := range map[string]kind{
		"UNSIGNED BIGINT": kindInt, "YEAR": kindInt, "DECIMAL": kindText, "DATE": kindText, "TIMESTAMP": kindTimestampTZ,
		"DATETIME": kindTimestamp, "VARBINARY": kindBytes, "TEXT": kindText, "JSON": kindJSON, "BIT": kindBits, "FLOAT": kindFloat32,
	} {
		if got := mysqlKind(typ); got != want {
			t.Errorf("mysqlKind(%s) = %d, want %d", typ, got, want)
		}
	}
}
