package storagetest

import (
	"fmt"
	"reflect"
	"time"
)

// diff describes the first difference between got and want, or returns "".
// Times compare with Equal, and a nil slice or map equals an empty one.
func diff(got, want any) string {
	return diffValue("", reflect.ValueOf(got), reflect.ValueOf(want))
}

var timeType = reflect.TypeFor[time.Time]()

func diffValue(path string, got, want reflect.Value) string {
	if got.IsValid() != want.IsValid() || got.IsValid() && got.Type() != want.Type() {
		return fmt.Sprintf("%s: got %#v, want %#v", path, got, want)
	}
	if !got.IsValid() {
		return ""
	}
	switch {
	case got.Type() == timeType:
		if g, w := got.Interface().(time.Time), want.Interface().(time.Time); !g.Equal(w) {
			return fmt.Sprintf("%s: got %v, want %v", path, g, w)
		}
	case got.Kind() == reflect.Struct:
		for i := range got.NumField() {
			if d := diffValue(path+"."+got.Type().Field(i).Name, got.Field(i), want.Field(i)); d != "" {
				return d
			}
		}
	case got.Kind() == reflect.Slice:
		if got.Len() != want.Len() {
			return fmt.Sprintf("%s: got %d elements, want %d: got %v, want %v", path, got.Len(), want.Len(), got, want)
		}
		for i := range got.Len() {
			if d := diffValue(fmt.Sprintf("%s[%d]", path, i), got.Index(i), want.Index(i)); d != "" {
				return d
			}
		}
	case got.Kind() == reflect.Map:
		if got.Len() != want.Len() {
			return fmt.Sprintf("%s: got %v, want %v", path, got, want)
		}
		for _, k := range want.MapKeys() {
			if d := diffValue(fmt.Sprintf("%s[%v]", path, k), got.MapIndex(k), want.MapIndex(k)); d != "" {
				return d
			}
		}
	case got.Kind() == reflect.Interface || got.Kind() == reflect.Pointer:
		return diffValue(path, got.Elem(), want.Elem())
	case !reflect.DeepEqual(got.Interface(), want.Interface()):
		return fmt.Sprintf("%s: got %#v, want %#v", path, got, want)
	}
	return ""
}
