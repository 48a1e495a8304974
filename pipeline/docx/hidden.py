"""Word's hidden text: which runs a reader of the document does not see (`w:vanish`, `w:specVanish`).

A run is hidden by its own properties (`w:rPr/w:vanish`, or `w:specVanish`, which Word always hides), by its
character style (`w:rStyle`), by its paragraph's style (`w:pStyle`, else the default paragraph style) or by the
document defaults (`w:docDefaults`), each style with the styles it is based on. Direct formatting decides when it
says either way (`<w:vanish w:val="0"/>` shows the run); otherwise any level that hides it hides it. ECMA-376 makes
`vanish` a toggle property (a hidden character style in a hidden paragraph style shows again): reading that case
as hidden errs on the side of never publishing it; publish then makes the run hidden by its own properties, so
the published document hides it as the release was read.

The paragraph mark's own properties (`w:pPr/w:rPr/w:vanish`) hide the mark only, not the paragraph's text.
"""

from __future__ import annotations

import weakref
from dataclasses import dataclass, field

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_OFF = {"0", "false", "off"}

__all__ = ["NOTHING_HIDDEN", "Visibility", "part_visibility", "toggle", "visibility"]


def toggle(element) -> bool | None:
    """The value of an on/off property element (`<w:vanish/>` is on, `w:val="0"` off); None when absent."""
    if element is None:
        return None
    return (element.get(W + "val") or "").lower() not in _OFF


@dataclass(frozen=True)
class Visibility:
    character: dict[str, bool] = field(default_factory=dict)  # character styleId → vanish (own or based-on)
    paragraph: dict[str, bool] = field(default_factory=dict)  # paragraph styleId → vanish (own or based-on)
    default_paragraph: str | None = None  # the styleId of the default paragraph style ("Normal")
    default: bool = False  # w:docDefaults/w:rPrDefault says vanish

    def paragraph_hidden(self, p) -> bool:
        """Whether paragraph `p`'s style (or the document defaults) hides the runs that do not say otherwise."""
        if self.default:
            return True
        ppr = p.find(W + "pPr")
        style = ppr.find(W + "pStyle") if ppr is not None else None
        sid = style.get(W + "val") if style is not None else self.default_paragraph
        return bool(self.paragraph.get(sid))

    def run_hidden(self, r, paragraph_hidden: bool) -> bool:
        """Whether run `r` is hidden text, in a paragraph whose style hides (`paragraph_hidden`) or not."""
        rpr = r.find(W + "rPr")
        if rpr is None:
            return paragraph_hidden
        if toggle(rpr.find(W + "specVanish")):
            return True
        direct = toggle(rpr.find(W + "vanish"))
        if direct is not None:
            return direct
        style = rpr.find(W + "rStyle")
        if style is not None and self.character.get(style.get(W + "val")):
            return True
        return paragraph_hidden


NOTHING_HIDDEN = Visibility()


def visibility(document) -> Visibility:
    """The hidden-text styles of a python-docx `Document` (NOTHING_HIDDEN when it has no readable styles)."""
    try:
        root = document.styles.element
    except Exception:  # no styles part, or a damaged one: only direct formatting hides text
        return NOTHING_HIDDEN
    own: dict[str, dict[str, bool | None]] = {"character": {}, "paragraph": {}}
    based: dict[str, str] = {}
    default_paragraph = None
    for style in root.iterchildren(W + "style"):
        kind, sid = style.get(W + "type"), style.get(W + "styleId")
        if kind not in own or sid is None:
            continue
        rpr = style.find(W + "rPr")
        own[kind][sid] = None if rpr is None else _vanish(rpr)
        parent = style.find(W + "basedOn")
        if parent is not None and parent.get(W + "val"):
            based[sid] = parent.get(W + "val")
        if kind == "paragraph" and (style.get(W + "default") or "").lower() in ("1", "true", "on"):
            default_paragraph = sid
    defaults = root.find(f"{W}docDefaults/{W}rPrDefault/{W}rPr")
    return Visibility(
        character=_resolved(own["character"], based),
        paragraph=_resolved(own["paragraph"], based),
        default_paragraph=default_paragraph,
        default=bool(defaults is not None and _vanish(defaults)),
    )


def _vanish(rpr) -> bool | None:
    if toggle(rpr.find(W + "specVanish")):
        return True
    return toggle(rpr.find(W + "vanish"))


def _resolved(own: dict[str, bool | None], based: dict[str, str]) -> dict[str, bool]:
    """styleId → vanish: the style's own value, else the nearest style it is based on that says (cycles cut)."""
    result: dict[str, bool] = {}
    for sid in own:
        value, seen, current = own[sid], {sid}, based.get(sid)
        while value is None and current and current not in seen and current in own:
            value = own[current]
            seen.add(current)
            current = based.get(current)
        result[sid] = bool(value)
    return result


_OF_PART: "weakref.WeakKeyDictionary" = weakref.WeakKeyDictionary()


def part_visibility(part) -> Visibility:
    """`visibility` of the document a part belongs to, read once per part (every cell of a review table asks)."""
    try:
        return _OF_PART[part]
    except (KeyError, TypeError):
        pass
    try:
        found = visibility(part.document)
    except Exception:
        return NOTHING_HIDDEN
    try:
        _OF_PART[part] = found
    except TypeError:  # a part that cannot be weakly referenced: read again next time
        pass
    return found
