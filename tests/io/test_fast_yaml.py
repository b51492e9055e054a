"""The fast YAML loader and dumper give exactly what PyYAML's safe loader and dumper give."""

import datetime
import gc
import math

import pytest
import yaml
from yaml.constructor import SafeConstructor

from planner.io.fast_yaml import FastSafeLoader, gc_paused
from planner.io.fast_yaml_dump import FastSafeDumper

# Documents covering every scalar form PyYAML resolves, and the features the fast constructor
# hands back to PyYAML (merge keys, aliases, sets, ordered maps, binary, complex keys...).
DOCUMENTS = {
    "plain": "a: 1\nb: two\nc: [x, 2.5, -3]\nd: {e: f}\n",
    "bools": "v: [yes, No, TRUE, false, on, OFF, y, n, Yes]\n",
    "nulls": "v: [~, null, Null, NULL, '', \"null\"]\nw:\nx: \n",
    "ints": "v: [0, -0, +12, 0x1F, 0b101, 0777, 1_000, '12', 190:20:30, 09, 0o17]\n",
    "floats": "v: [1.5, -2., .5, 1e3, 1.0e+3, 6.8523015e+5, .inf, -.Inf, 1_0.5, 190:20:30.15]\n",
    "timestamps": "v: [2026-11-22, 2001-12-14t21:59:43.10-05:00, 2001-12-14 21:59:43.10, "
    "'2026-11-22', 2026-1-2]\n",
    "strings": 'v: [\'yes\', "1", \'a: b\', "tab\\tnew\\nline", é, "\\u263A"]\n'
    "lit: |\n  one\n  two\nfold: >\n  one\n  two\n",
    "explicit tags": "v: [!!str 123, !!int '12', !!float 1, !!bool yes, ! 12, !!null '']\n",
    "merge": "base: &b {x: 1, y: 2}\nd:\n  <<: *b\n  y: 3\nl:\n  <<: [*b, {z: 4}]\n",
    "value key": "=: 1\nother: 2\n",
    "shared mapping": "a: &x {k: [1, 2]}\nb: *x\n",
    "shared sequence": "a: &x [1, 2]\nb: [*x, *x]\n",
    "scalar alias": "a: &x hello\nb: *x\n",
    "recursive": "a: &x\n  self: *x\n",
    "set": "s: !!set {a, b}\n",
    "omap": "o: !!omap [{a: 1}, {b: 2}]\n",
    "pairs": "p: !!pairs [{a: 1}, {a: 2}]\n",
    "binary": "b: !!binary aGVsbG8=\n",
    "int keys": "1: one\n2.5: x\ntrue: t\n~: n\n2026-01-01: d\n",
    "top-level list": "- 1\n- a\n",
    "scalar document": "just text\n",
    "empty document": "",
    "comment only": "# nothing\n",
    "explicit map and seq tags": "!!map {a: !!seq [1]}\n",
    "unicode keys": "ключ: значение\n'quoted key': 1\n",
}

BAD_DOCUMENTS = {
    "unknown tag": "a: !!python/object:os.system x\n",
    "local tag": "a: !thing x\n",
    "complex key": "? [a, b]\n: 1\n",
    "mapping key": "? {a: 1}\n: 1\n",
    "undefined alias": "a: *nope\n",
    "duplicate anchor": "a: &x 1\nb: &x 2\n",
    "bad indentation": "a:\n  - b\n c: d\n",
    "two documents": "a: 1\n---\nb: 2\n",
    "merge of scalar": "a:\n  <<: 1\n",
    "recursive key": "&x {*x: 1}\n",
}


def same(a, b, path="doc"):
    """Equal values of exactly the same types (``True`` is not ``1``; NaN equals NaN)."""
    assert type(a) is type(b), f"{path}: {type(a).__name__} != {type(b).__name__}"
    if isinstance(a, dict):
        assert list(a) == list(b), f"{path}: keys {list(a)} != {list(b)}"
        for key in a:
            if a[key] is a and b[key] is b:
                continue  # the same self-reference on both sides
            same(a[key], b[key], f"{path}.{key}")
    elif isinstance(a, list):
        assert len(a) == len(b), path
        for i, (x, y) in enumerate(zip(a, b, strict=True)):
            same(x, y, f"{path}[{i}]")
    elif isinstance(a, float) and math.isnan(a):
        assert math.isnan(b), path
    else:
        assert a == b, f"{path}: {a!r} != {b!r}"


@pytest.mark.parametrize("text", DOCUMENTS.values(), ids=DOCUMENTS.keys())
@pytest.mark.parametrize("reference", [yaml.SafeLoader, yaml.CSafeLoader], ids=["py", "c"])
def test_loads_exactly_what_pyyaml_loads(text, reference):
    same(yaml.load(text, Loader=FastSafeLoader), yaml.load(text, Loader=reference))


def test_a_repeated_key_is_an_error_at_the_repeat():
    text = "servers:\n  - id: a\n    used: 10GB\n    size: 20GB\n    used: 5GB\n"
    with pytest.raises(yaml.constructor.ConstructorError) as caught:
        yaml.load(text, Loader=FastSafeLoader)
    assert caught.value.problem_mark.line + 1 == 5
    assert "duplicate key 'used' (first on line 3)" in str(caught.value.problem)
    assert yaml.load(text, Loader=yaml.CSafeLoader)["servers"][0]["used"] == "5GB"  # PyYAML


def test_typed_values_from_the_fast_path():
    doc = yaml.load("a: [yes, 0777, 190:20:30, 2026-11-22, 1e3, ~]\n", Loader=FastSafeLoader)
    assert doc["a"] == [True, 511, 685230, datetime.date(2026, 11, 22), "1e3", None]


def test_deep_nesting_loads_as_in_pyyaml():
    text = "a: " + "[" * 3000 + "1" + "]" * 3000 + "\n"
    doc = yaml.load(text, Loader=FastSafeLoader)["a"]
    for _ in range(3000):  # (comparing recursively would hit the recursion limit itself)
        (doc,) = doc
    assert doc == 1


def test_aliases_share_one_object_as_in_pyyaml():
    doc = yaml.load(DOCUMENTS["shared mapping"], Loader=FastSafeLoader)
    assert doc["a"] is doc["b"]
    doc = yaml.load(DOCUMENTS["recursive"], Loader=FastSafeLoader)
    assert doc["a"]["self"] is doc["a"]


def _error(text, loader):
    try:
        yaml.load(text, Loader=loader)
    except Exception as exc:  # the reference's exact exception is the point
        return type(exc), str(exc)
    return None


@pytest.mark.parametrize("text", BAD_DOCUMENTS.values(), ids=BAD_DOCUMENTS.keys())
def test_rejects_what_pyyaml_rejects_with_the_same_message(text):
    expected = _error(text, yaml.CSafeLoader)
    assert expected is not None
    assert _error(text, FastSafeLoader) == expected


@pytest.mark.parametrize(
    "text", ["a: !!int abc\n", "a: !!bool maybe\n", "a: !!float x\n", "a: !!timestamp x\n"]
)
def test_unreadable_tagged_scalar_is_a_marked_error(text):
    with pytest.raises(yaml.constructor.ConstructorError) as info:
        yaml.load("ok: 1\n" + text, Loader=FastSafeLoader)
    assert info.value.problem_mark.line == 1
    assert "cannot read" in str(info.value)


def test_plain_data_takes_the_fast_path(monkeypatch):
    calls = []
    original = SafeConstructor.construct_document

    def counting(self, node):
        calls.append(node)
        return original(self, node)

    monkeypatch.setattr(SafeConstructor, "construct_document", counting)
    yaml.load(DOCUMENTS["plain"] + DOCUMENTS["ints"], Loader=FastSafeLoader)
    assert calls == []
    yaml.load(DOCUMENTS["merge"], Loader=FastSafeLoader)
    assert len(calls) == 1  # merge keys are PyYAML's job


def test_resolver_agrees_with_pyyaml_on_every_first_character():
    loader = FastSafeLoader("")
    reference = yaml.SafeLoader("")
    samples = ["", "~", "=", "<<", "<", "12", "1.5", "x", "yes", "no", "null", ".inf", ".x"]
    samples += [chr(c) + "x" for c in range(32, 127)] + [chr(c) for c in range(32, 127)]
    for value in samples:
        for implicit in [(True, False), (False, True), (False, False)]:
            got = loader.resolve(yaml.ScalarNode, value, implicit)
            assert got == reference.resolve(yaml.ScalarNode, value, implicit), (value, implicit)
    for kind in (yaml.MappingNode, yaml.SequenceNode):
        assert loader.resolve(kind, None, True) == reference.resolve(kind, None, True)


DUMP_DATA = {
    "schema_version": 1,
    "strings": ["yes", "123", "", " lead", "trail ", "a: b", "#x", "- x", "two\nlines", "é"],
    "lookalikes": ["~", "null", "true", "1.5", "0777", "2026-11-22", "1e3", "<<", "="],
    "numbers": [0, -1, 10**20, 1.5, 1e17, -0.0, float("inf"), float("-inf"), float("nan")],
    "flags": [True, False, None],
    "nested": {"empty_map": {}, "empty_list": [], "deep": [{"a": [1, {"b": None}]}]},
    "long": "word " * 40,
    1: "int key",
}


@pytest.mark.parametrize(
    "options",
    [
        {"sort_keys": False, "allow_unicode": True, "width": 100},
        {"sort_keys": False},
        {"default_flow_style": None},
        {"default_flow_style": True, "default_style": '"'},
    ],
)
def test_dumps_byte_for_byte_what_pyyaml_dumps(options):
    expected = yaml.dump(DUMP_DATA, Dumper=yaml.CSafeDumper, **options)
    assert yaml.dump(DUMP_DATA, Dumper=FastSafeDumper, **options) == expected


def test_dump_falls_back_for_shared_objects_and_other_types():
    shared = {"k": 1}
    data = {"a": shared, "b": shared, "d": datetime.date(2026, 11, 22), "s": {1, 2}}
    expected = yaml.dump(data, Dumper=yaml.CSafeDumper)
    assert "&id001" in expected
    assert yaml.dump(data, Dumper=FastSafeDumper) == expected


def test_dump_refuses_what_pyyaml_refuses():
    with pytest.raises(yaml.representer.RepresenterError):
        yaml.dump({"a": object()}, Dumper=FastSafeDumper)


@pytest.mark.parametrize("enabled", [True, False])
def test_gc_paused_restores_the_collector(enabled):
    (gc.enable if enabled else gc.disable)()
    try:
        with pytest.raises(RuntimeError), gc_paused():
            assert not gc.isenabled()
            raise RuntimeError
        assert gc.isenabled() is enabled
    finally:
        gc.enable()
