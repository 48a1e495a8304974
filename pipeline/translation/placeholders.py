"""Which placeholder form a model gets first: the one its tokenizer can carry, at the lowest token cost.

A placeholder costs model time in proportion to its pieces. `⟦1⟧` is 8 pieces in a SentencePiece vocabulary
without the brackets (byte fallback: 3 bytes each), `ZXQ1` 2-5; in a vocabulary with the brackets it can be
the other way round. So, per model (per engine, computed once), the forms of `protect.STYLES` are ordered by:

1. survival through the tokenizer: a form whose pieces do not decode back to itself (an unknown character with no
   byte fallback becomes `<unk>`) cannot come back from the model at all, so it goes last;
2. token cost: the pieces a probe sentence with three placeholders (1, 2 and 12) costs, minus the same sentence with
   short plain words in their place;
3. the default order of `protect.STYLES` (brackets first: they survive most models best) on a tie.

Per segment, a form is skipped when it cannot protect that segment readably (`usable`: `ZXQ1` before a source digit
would read as `ZXQ15`). Survival in the model itself is still checked segment by segment: a segment whose placeholders do not come back is
retried with the next form in this order, then recovered unprotected (stage.py).
"""

from __future__ import annotations

from dataclasses import dataclass

from pipeline.translation.protect import STYLES, PlaceholderStyle, Shield, protect, style_fits

PROBE = "The agreement between {a} and {b} was signed in {c} last week."
PLAIN = ("Kumamoto", "Kaohsiung", "Taipei")


@dataclass(frozen=True)
class FormCost:
    style: PlaceholderStyle
    pieces: int  # extra pieces of the probe sentence with this form's placeholders, over plain words
    survives: bool  # its pieces decode back to the placeholder exactly


def form_costs(engine) -> list[FormCost]:
    plain = engine.count_tokens(PROBE.format(a=PLAIN[0], b=PLAIN[1], c=PLAIN[2]))
    costs = []
    for style in STYLES:
        text = PROBE.format(a=style.render(1), b=style.render(2), c=style.render(12))
        survives = engine.tokenizes_losslessly(text)
        costs.append(FormCost(style, engine.count_tokens(text) - plain, survives))
    return costs


def styles_for(engine) -> tuple[PlaceholderStyle, ...]:
    """The forms of protect.STYLES in the order to try them with `engine` (cached on the engine)."""
    chosen = getattr(engine, "_placeholder_styles", None)
    if chosen is None:
        costs = form_costs(engine)
        ranked = sorted(range(len(costs)), key=lambda k: (not costs[k].survives, costs[k].pieces, k))
        chosen = tuple(costs[k].style for k in ranked)
        try:
            engine._placeholder_styles = chosen
        except AttributeError:  # an engine that takes no attributes: computed again next time (cheap)
            pass
    return chosen


def usable(source: str, shields: list[Shield], style: PlaceholderStyle) -> bool:
    """Can `style` protect this segment so that a model that copies the placeholders gives them back readably?

    Not when the source already holds text that looks like its placeholders (`style_fits`), nor when a placeholder
    would run into the text after it: `ZXQ1` before a source digit reads as `ZXQ15`. Restore would refuse both
    (never a wrong text), but only after a model call; choosing another form here saves that call."""
    if not style_fits(source, style):
        return False
    if not shields:
        return True
    text = protect(source, shields, style).text
    found = sorted(int("".join(ch for ch in m.group("n") if ch.isdigit()) or 0) for m in style.tolerant.finditer(text))
    return found == list(range(1, len(shields) + 1))
