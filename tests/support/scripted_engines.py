"""Scripted engines for tests: exact copies, and copies that damage placeholders the ways real models do."""

from __future__ import annotations

import difflib
import re
from collections.abc import Callable

from pipeline.core.release import ModelInfo
from pipeline.translation.engine.base import Engine


class ScriptedEngine(Engine):
    """Applies `script` to each input; records every call so tests can count batches."""

    def __init__(self, script: Callable[[str], str] = lambda s: s, to_code: str = "zt", lang: str = "zh-TW"):
        self.script = script
        self.calls: list[list[str]] = []
        self.info = ModelInfo(lang=lang, package=f"scripted-en_{to_code}", version="0", from_code="en", to_code=to_code)

    def translate(self, texts: list[str]) -> list[str]:
        self.calls.append(list(texts))
        return [self.script(t) for t in texts]


_BRACKET = re.compile(r"⟦(\d+)⟧")
_LATIN = re.compile(r"ZXQ(\d+)")


def space_inside(text: str) -> str:
    return _BRACKET.sub(lambda m: f"⟦ {m.group(1)} ⟧", text)


def square_brackets(text: str) -> str:
    return _BRACKET.sub(lambda m: f"[{m.group(1)}]", text)


def fullwidth_digits(text: str) -> str:
    return _BRACKET.sub(lambda m: "⟦" + m.group(1).translate(str.maketrans("0123456789", "０１２３４５６７８９")) + "⟧", text)


def move_first_to_end(text: str) -> str:
    found = _BRACKET.search(text)
    if not found:
        return text
    return text[: found.start()] + text[found.end() :] + " " + found.group(0)


def drop_brackets(text: str) -> str:
    """Lose every bracket placeholder; Latin-style ones survive."""
    return _BRACKET.sub("", text)


def duplicate_brackets(text: str) -> str:
    return _BRACKET.sub(lambda m: m.group(0) * 2, text)


def drop_everything(text: str) -> str:
    """A model that loses every placeholder of either style."""
    return _LATIN.sub("", _BRACKET.sub("", text))


def mangle_everything(text: str) -> str:
    """Loses placeholders of both styles and writes known names in its own (wrong) way."""
    text = drop_everything(text)
    return text.replace("Kumamoto University", "熊本大学校")


_TAG = re.compile(r"</?[biusda]\d+>")


def drop_tags(text: str) -> str:
    """A model that loses every inline formatting tag (keeps the words)."""
    return _TAG.sub("", text)


def swap_tag_order(text: str) -> str:
    """A model that closes tags in the wrong order and moves the first opening to the end."""
    found = _TAG.search(text)
    if not found:
        return text
    return text[: found.start()] + text[found.end() :] + found.group(0)


def tagged_suffix(text: str) -> str:
    """A 'translation' that is visibly not the English: a marker after each text, tags and placeholders kept."""
    return text + "（譯）"


class AligningEngine(ScriptedEngine):
    """A scripted engine that can say where each output character came from (as CTranslate2 attention does):
    for a script that only removes tags, output character k is input character k of the untagged input."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.aligned: list[tuple[list[str], list[str]]] = []

    def align(self, sources, targets):
        self.aligned.append((list(sources), list(targets)))
        return [[(k, k + 1, k, k + 1) for k in range(min(len(s), len(t)))] for s, t in zip(sources, targets)]


_KEEP_OR_WORD = re.compile(r"(</?[biusda]\d+>|⟦\d+⟧|ZXQ\d+)|[A-Za-z]+(?:['’][a-z]+)?")


def pseudo_translate(text: str) -> str:
    """A 'translation' into CJK the QA checks accept: every English word becomes 譯; tags, placeholders, digits and
    punctuation are kept where they were."""
    return _KEEP_OR_WORD.sub(lambda m: m.group(1) or "譯", text)


_TAG_PARTS = re.compile(r"<(/?)([biusda])(\d+)>")


def rewrite_tags(text: str) -> str:
    """A model that rewrites the letters of its tags the ways real ones do, by tag number: 1 transliterated
    (`<作1>…</作1>`), 2 another bracket and script (`‹訳2>…‹/訳2>`), 3 full-width brackets (`＜b3＞`), 4 lost halves
    (the opening's closing bracket, the whole closing tag)."""

    def one(match: re.Match) -> str:
        slash, name, number = match.groups()
        kind = int(number) % 4
        if kind == 1:
            return f"<{slash}作{number}>"
        if kind == 2:
            return f"‹{slash}訳{number}>"
        if kind == 3:
            return f"＜{slash}{name}{number}＞"
        return "" if slash else f"<{name}{number}"

    return _TAG_PARTS.sub(one, text)


def pseudo_alignment(source: str, target: str) -> list[tuple[int, int, int, int]]:
    """Where each character of `target` (a pseudo_translate of `source`, tags taken out) came from, as CTranslate2
    attention would say: each 譯 from its English word, every other character from itself."""
    pseudo: list[str] = []
    origin: list[tuple[int, int]] = []
    cursor = 0
    for match in _KEEP_OR_WORD.finditer(source):
        kept = range(cursor, match.end() if match.group(1) else match.start())
        pseudo += [source[k] for k in kept]
        origin += [(k, k + 1) for k in kept]
        if not match.group(1):
            pseudo.append("譯")
            origin.append(match.span())
        cursor = match.end()
    pseudo += list(source[cursor:])
    origin += [(k, k + 1) for k in range(cursor, len(source))]
    matcher = difflib.SequenceMatcher(None, "".join(pseudo), target, autojunk=False)
    blocks = matcher.get_matching_blocks()
    return [(block.b + k, block.b + k + 1, *origin[block.a + k]) for block in blocks for k in range(block.size)]


class PseudoAligningEngine(ScriptedEngine):
    """A scripted engine for pseudo_translate scripts that can say where each output character came from."""

    def align(self, sources, targets):
        return [pseudo_alignment(s, t) for s, t in zip(sources, targets)]
