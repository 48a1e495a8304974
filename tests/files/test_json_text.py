"""pipeline/files/json_text.py: readable JSON at the C encoder's speed — indented down to its records, a record a line."""

from __future__ import annotations

import json

from hypothesis import given
from hypothesis import strategies as st

from pipeline.files.json_text import readable

_scalars = st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text()
_values = st.recursive(_scalars, lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(), inner, max_size=4), max_leaves=30)


@given(_values)
def test_it_reads_back_to_the_same_value(value):
    assert json.loads(readable(value)) == value


def test_records_are_one_line_and_the_levels_above_are_indented():
    data = {
        "schema_version": 1,
        "runs": {"r1": {"zh-TW": {"chrf": 99.5, "segments": {
            "p01.s01": {"text": "高雄醫學大學", "flags": ["x"], "qa": [{"code": "numbers"}], "overrides": {}},
            "p01.s02": {"text": "熊本大學\n(二行)", "marks": None},
        }}}},
    }  # fmt: skip
    text = readable(data)
    lines = text.splitlines()
    assert lines[0] == "{" and lines[1] == '  "schema_version": 1,' and lines[-1] == "}"
    assert '          "p01.s01": {"text": "高雄醫學大學", "flags": ["x"], "qa": [{"code": "numbers"}], "overrides": {}},' in lines
    assert '          "p01.s02": {"text": "熊本大學\\n(二行)", "marks": null}' in lines
    assert json.loads(text) == data


def test_keys_that_are_not_strings_are_written_as_json_writes_them():
    value = {"runs": {1: {"a": {"b": 1}}, False: {"c": {}}, None: [1]}}
    assert json.loads(readable(value)) == json.loads(json.dumps(value))


def test_ensure_ascii_escapes_like_the_standard_library():
    assert readable({"a": {"b": "醫"}}, ensure_ascii=True) == '{\n  "a": {"b": "\\u91ab"}\n}'
