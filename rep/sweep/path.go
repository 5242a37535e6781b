package sweep

import (
	"bytes"
	"encoding"
	"encoding/json"
	"fmt"
	"reflect"
	"sort"
	"strconv"
	"strings"
)

// A configuration is handled as a JSON tree (map[string]any, []any,
// json.Number, string, bool, nil) while axis values are applied, then
// decoded into the model's configuration type.

var (
	jsonUnmarshaler = reflect.TypeFor[json.Unmarshaler]()
	textUnmarshaler = reflect.TypeFor[encoding.TextUnmarshaler]()
)

// decodeTree parses JSON into a tree, keeping numbers exact.
func decodeTree(b []byte) (any, error) {
	d := json.NewDecoder(bytes.NewReader(b))
	d.UseNumber()
	var v any
	if err := d.Decode(&v); err != nil {
		return nil, err
	}
	if d.More() {
		return nil, fmt.Errorf("trailing data after JSON value")
	}
	return v, nil
}

// decodeStrict decodes b into v, rejecting unknown fields and trailing data.
func decodeStrict(b []byte, v any) error {
	d := json.NewDecoder(bytes.NewReader(b))
	d.DisallowUnknownFields()
	if err := d.Decode(v); err != nil {
		return err
	}
	if d.More() {
		return fmt.Errorf("trailing data after JSON value")
	}
	return nil
}

// jsonKind names the kind of a tree value.
func jsonKind(v any) string {
	switch v.(type) {
	case map[string]any:
		return "object"
	case []any:
		return "array"
	case json.Number, float64:
		return "number"
	case string:
		return "string"
	case bool:
		return "bool"
	case nil:
		return "null"
	}
	return fmt.Sprintf("%T", v)
}

// target is what an axis or seed path addresses in a configuration.
type target struct {
	path []string
	typ  reflect.Type // the Go type of the field, or nil when the path runs through custom JSON or a map
	base any          // the field's value in the canonical base, or nil if absent
}

// jsonFields returns the JSON names of a struct type's fields, with the
// field of each (following encoding/json's rules for tags and embedding,
// without its case-insensitive matching).
func jsonFields(t reflect.Type) map[string]reflect.StructField {
	out := map[string]reflect.StructField{}
	for i := 0; i < t.NumField(); i++ {
		f := t.Field(i)
		tag := f.Tag.Get("json")
		if tag == "-" {
			continue
		}
		name, _, _ := strings.Cut(tag, ",")
		if f.Anonymous && name == "" {
			ft := f.Type
			if ft.Kind() == reflect.Pointer {
				ft = ft.Elem()
			}
			if ft.Kind() == reflect.Struct {
				for n, sf := range jsonFields(ft) {
					if _, ok := out[n]; !ok {
						out[n] = sf
					}
				}
				continue
			}
		}
		if !f.IsExported() {
			continue
		}
		if name == "" {
			name = f.Name
		}
		out[name] = f
	}
	return out
}

// customJSON reports whether values of t decode themselves (the path cannot
// be followed through the Go type).
func customJSON(t reflect.Type) bool {
	return t.Implements(jsonUnmarshaler) || reflect.PointerTo(t).Implements(jsonUnmarshaler) ||
		t.Implements(textUnmarshaler) || reflect.PointerTo(t).Implements(textUnmarshaler)
}

// resolve follows a dotted path through the configuration type and the
// canonical base tree. Struct fields are followed by their JSON names, slice
// and array elements by index (the index must exist in the base); below a
// map, an interface or a type with custom JSON the path follows the base
// tree alone.
func resolve(root reflect.Type, base any, name string) (target, error) {
	if name == "" {
		return target{}, fmt.Errorf("the path is empty")
	}
	path := strings.Split(name, ".")
	t, node := root, base
	where := "the configuration"
	for i, seg := range path {
		if seg == "" {
			return target{}, fmt.Errorf("empty segment in %q", name)
		}
		for t != nil && t.Kind() == reflect.Pointer {
			t = t.Elem()
		}
		if t != nil && (customJSON(t) || t.Kind() == reflect.Map || t.Kind() == reflect.Interface) {
			t = nil
		}
		if t != nil {
			switch t.Kind() {
			case reflect.Struct:
				fields := jsonFields(t)
				f, ok := fields[seg]
				if !ok {
					return target{}, fmt.Errorf("%s has no field %q (fields: %s)", where, seg, fieldList(fields))
				}
				t = f.Type
				node = child(node, seg)
			case reflect.Slice, reflect.Array:
				k, err := strconv.Atoi(seg)
				arr, _ := node.([]any)
				if err != nil || k < 0 || k >= len(arr) {
					return target{}, fmt.Errorf("%s is a list of %d: %q is not an index in [0, %d)", where, len(arr), seg, len(arr))
				}
				t = t.Elem()
				node = arr[k]
			default:
				return target{}, fmt.Errorf("%s is a %v, it has no field %q", where, t, seg)
			}
		} else {
			switch n := node.(type) {
			case map[string]any:
				v, ok := n[seg]
				if !ok {
					return target{}, fmt.Errorf("%s has no field %q (fields: %s)", where, seg, keyList(n))
				}
				node = v
			case []any:
				k, err := strconv.Atoi(seg)
				if err != nil || k < 0 || k >= len(n) {
					return target{}, fmt.Errorf("%s is a list of %d: %q is not an index in [0, %d)", where, len(n), seg, len(n))
				}
				node = n[k]
			default:
				return target{}, fmt.Errorf("%s is a JSON %s, it has no field %q", where, jsonKind(node), seg)
			}
		}
		where = strings.Join(path[:i+1], ".")
	}
	return target{path: path, typ: t, base: node}, nil
}

func child(node any, key string) any {
	if m, ok := node.(map[string]any); ok {
		return m[key]
	}
	return nil
}

func fieldList(fields map[string]reflect.StructField) string {
	names := make([]string, 0, len(fields))
	for n := range fields {
		names = append(names, n)
	}
	sort.Strings(names)
	return strings.Join(names, ", ")
}

func keyList(m map[string]any) string {
	names := make([]string, 0, len(m))
	for n := range m {
		names = append(names, n)
	}
	sort.Strings(names)
	return strings.Join(names, ", ")
}

// canonicalValue checks that raw is a valid value for the target and
// returns its canonical JSON (decoded into the field's type and encoded
// again when the type is known, compacted otherwise).
func (t target) canonicalValue(raw json.RawMessage) (json.RawMessage, error) {
	if t.typ != nil {
		p := reflect.New(t.typ)
		if err := decodeStrict(raw, p.Interface()); err != nil {
			return nil, fmt.Errorf("%s is not a valid %v: %w", raw, t.typ, err)
		}
		b, err := json.Marshal(p.Elem().Interface())
		if err != nil {
			return nil, err
		}
		return b, nil
	}
	v, err := decodeTree(raw)
	if err != nil {
		return nil, fmt.Errorf("%s is not JSON: %w", raw, err)
	}
	if t.base != nil && jsonKind(v) != jsonKind(t.base) {
		return nil, fmt.Errorf("%s is a JSON %s, the base holds a %s (%s)", raw, jsonKind(v), jsonKind(t.base), compact(t.base))
	}
	var buf bytes.Buffer
	if err := json.Compact(&buf, raw); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

func compact(v any) string {
	b, err := json.Marshal(v)
	if err != nil {
		return fmt.Sprint(v)
	}
	return string(b)
}

// setPath sets the value at path in the tree, creating objects on the way
// where fields are absent (a field left out by omitempty).
func setPath(tree any, path []string, v any) (any, error) {
	if len(path) == 0 {
		return v, nil
	}
	switch n := tree.(type) {
	case map[string]any:
		c, err := setPath(n[path[0]], path[1:], v)
		if err != nil {
			return nil, err
		}
		n[path[0]] = c
		return n, nil
	case []any:
		k, err := strconv.Atoi(path[0])
		if err != nil || k < 0 || k >= len(n) {
			return nil, fmt.Errorf("no element %q in a list of %d", path[0], len(n))
		}
		c, err := setPath(n[k], path[1:], v)
		if err != nil {
			return nil, err
		}
		n[k] = c
		return n, nil
	case nil:
		m := map[string]any{}
		return setPath(m, path, v)
	}
	return nil, fmt.Errorf("cannot set %q inside a JSON %s", strings.Join(path, "."), jsonKind(tree))
}

// isIntegerType reports whether t is an integer kind a seed can go into.
func isIntegerType(t reflect.Type) bool {
	switch t.Kind() {
	case reflect.Int, reflect.Int64, reflect.Uint, reflect.Uint64:
		return true
	}
	return false
}
