"""Load the engines of a run side by side.

Loading a CTranslate2 model (and its first smoke translation when it has not been verified yet) runs in C++ with the
GIL released, so the two models of a zh-TW + ja run load on two cores at once: about half the wall time of loading
them one after the other, on a machine with a free core. Errors are the same as loading them in turn: every load is
finished (none left running half-way), then the first failure in the order the languages were asked for is raised.
"""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

from .base import DecodeOptions, Engine


def load_engines(targets: tuple[str, ...], options: DecodeOptions) -> dict[str, Engine]:
    from .argos import load_engine

    if len(targets) < 2:
        return {lang: load_engine(lang, options) for lang in targets}
    with ThreadPoolExecutor(max_workers=len(targets), thread_name_prefix="load-model") as pool:
        futures = {lang: pool.submit(load_engine, lang, options) for lang in targets}
    return {lang: future.result() for lang, future in futures.items()}  # the first error in target order
