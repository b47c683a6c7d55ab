package storage

import (
	"encoding/json"
	"time"

	"github.com/embedid/identity/contact"
	"github.com/embedid/identity/internal/errs"
)

// dbTime returns t as stored: in UTC, truncated to microseconds. Row structs
// hold times converted with it and tagged nullzero, so the zero time is NULL.
func dbTime(t time.Time) time.Time {
	return t.UTC().Truncate(time.Microsecond)
}

// phone reads back a stored E.164 number; "" is the zero Phone.
func phone(e164 string) (contact.Phone, error) {
	if e164 == "" {
		return contact.Phone{}, nil
	}
	return contact.ParseE164(e164)
}

// encodeObject returns m as a JSON object; nil and empty maps are "{}".
func encodeObject(field string, m map[string]any) (string, error) {
	if len(m) == 0 {
		return "{}", nil
	}
	b, err := json.Marshal(m)
	if err != nil {
		return "", &errs.Error{Code: errs.Invalid, Field: field, Message: "cannot be stored as a JSON object", Err: err}
	}
	return string(b), nil
}

// decodeObject reads back a JSON object; an empty one is a nil map.
func decodeObject(s string) (map[string]any, error) {
	var m map[string]any
	if err := json.Unmarshal([]byte(s), &m); err != nil || len(m) == 0 {
		return nil, err
	}
	return m, nil
}
