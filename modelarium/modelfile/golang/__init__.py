"""The Go runtime as Ollama's code relies on it, emulated in pure Python: `numbers` (float32
rounding and shortest output, `fmt`/`encoding/json` float printing), `strconv` (quoting and
number parsing), `paths` (`path/filepath`, home folders, OS error wording), `sniff`
(`http.DetectContentType`) and `semver`.

Used by create (`modelfile/create.py`), the template package (`modelfile/gotemplate/`) and the
demo host (`demo/gojson.py`), so all three print and read values exactly as Go does. Import
the submodule you need; this package imports nothing itself.
"""
