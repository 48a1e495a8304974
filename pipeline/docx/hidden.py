"""Word's hidden text: which runs a reader of the document does not see (`w:vanish`, `w:specVanish`).

A run is hidden by its own properties (`w:rPr/w:vanish`, or `w:specVanish`, which Word always hides), by its
character style (`w:rStyle`), by its paragraph's style (`w:pStyle`, else the default paragraph style) or by the
document defaults (`w:docDefaults`), each style with the styles it is based on. Direct formatting decides when it
says either way (`<w:vanish w:val="0"/>` shows the run); otherwise any level that hides it hides it. ECMA-376 makes
`vanish` a toggle property (a hidden character style in a hidden paragraph style shows again): reading that case
as hidden errs on the side of never publishing it; publish then makes the run hidden by its own properties, so
the published document hides it as the release was read.

The paragraph mark's own properties (`w:pPr/w:rPr/w:vanish`) hide the mark only, not the paragraph's text.

An image or a text box is hidden with the run that anchors it: a drawing (`w:drawing`, `w:pict`, `w:object`, or
its `mc:AlternateContent`) in a hidden run, or inside a text box whose anchor is hidden, is not shown
(`Visibility.object_hidden`); nor is one inside a tracked deletion (`w:del`, `w:moveFrom`), which the release is
read without.

`w:webHidden` hides text in Word's web layout only: it is printed and shown in Word, so it is content of a Word
document, but not of the web page. It is resolved through styles like `w:vanish` (`Visibility.web`, read by the
web page's reader: pipeline/publish/formats/html.py).
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
    prop: str = "vanish"  # the run property resolved: "vanish" (hidden text) or "webHidden" (hidden on the web)
    character: dict[str, bool] = field(default_factory=dict)  # character styleId → vanish (own or based-on)
    paragraph: dict[str, bool] = field(default_factory=dict)  # paragraph styleId → vanish (own or based-on)
    default_paragraph: str | None = None  # the styleId of the default paragraph style ("Normal")
    default: bool = False  # w:docDefaults/w:rPrDefault says vanish
    web: Visibility | None = None  # `w:webHidden` resolved the same way (None: nothing is hidden on the web only)

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
        if self.prop == "vanish" and toggle(rpr.find(W + "specVanish")):
            return True
        direct = toggle(rpr.find(W + self.prop))
        if direct is not None:
            return direct
        style = rpr.find(W + "rStyle")
        if style is not None and self.character.get(style.get(W + "val")):
            return True
        return paragraph_hidden

    def object_hidden(self, element, p) -> bool:
        """Whether `element` (a drawing, a text box's content) inside paragraph `p` is not shown: a run holding it
        is hidden (in `p`, or in a text box between them, each judged in its own paragraph), or a tracked deletion
        holds it."""
        for ancestor in element.iterancestors():
            if ancestor is p:
                break
            if ancestor.tag in _DELETED:
                return True
            if ancestor.tag == W + "r":
                paragraph = next(ancestor.iterancestors(W + "p"), None)
                if self.run_hidden(ancestor, paragraph is not None and self.paragraph_hidden(paragraph)):
                    return True
        return False

    def web_hidden(self, r, p) -> bool:
        """Whether run `r` of paragraph `p` is hidden on the web page: hidden text, or `w:webHidden`."""
        if self.run_hidden(r, self.paragraph_hidden(p)):
            return True
        return self.web is not None and self.web.run_hidden(r, self.web.paragraph_hidden(p))


NOTHING_HIDDEN = Visibility()
_DELETED = (W + "del", W + "moveFrom")


def visibility(document) -> Visibility:
    """The hidden-text styles of a python-docx `Document` (NOTHING_HIDDEN when it has no readable styles), with
    the styles that hide text on the web only (`Visibility.web`)."""
    try:
        root = document.styles.element
    except Exception:  # no styles part, or a damaged one: only direct formatting hides text
        return Visibility(web=Visibility(prop="webHidden"))
    return _resolve(root, "vanish", web=_resolve(root, "webHidden"))


def _resolve(root, prop: str, web: Visibility | None = None) -> Visibility:
    own: dict[str, dict[str, bool | None]] = {"character": {}, "paragraph": {}}
    based: dict[str, str] = {}
    default_paragraph = None
    for style in root.iterchildren(W + "style"):
        kind, sid = style.get(W + "type"), style.get(W + "styleId")
        if kind not in own or sid is None:
            continue
        rpr = style.find(W + "rPr")
        own[kind][sid] = None if rpr is None else _says(rpr, prop)
        parent = style.find(W + "basedOn")
        if parent is not None and parent.get(W + "val"):
            based[sid] = parent.get(W + "val")
        if kind == "paragraph" and (style.get(W + "default") or "").lower() in ("1", "true", "on"):
            default_paragraph = sid
    defaults = root.find(f"{W}docDefaults/{W}rPrDefault/{W}rPr")
    return Visibility(
        prop=prop,
        character=_resolved(own["character"], based),
        paragraph=_resolved(own["paragraph"], based),
        default_paragraph=default_paragraph,
        default=bool(defaults is not None and _says(defaults, prop)),
        web=web,
    )


def _says(rpr, prop: str) -> bool | None:
    """What run properties `rpr` say of `prop` (`w:specVanish` always hides); None when they say nothing."""
    if prop == "vanish" and toggle(rpr.find(W + "specVanish")):
        return True
    return toggle(rpr.find(W + prop))


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
