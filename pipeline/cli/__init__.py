"""`translate`: the command line. Thin: parse options, call the stages, report.

Heavy libraries (CTranslate2, python-docx, langdetect, OpenCC) are imported inside commands so that
`translate --help` stays fast.
"""

from __future__ import annotations

import click

from .. import __version__
from .models import models
from .run import run


@click.group(
    context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100},
    epilog="""\b
Examples:
  translate models build-demo                     # no real model? a labelled copy model for a demo
  translate models install translate-en_zt-1_9.argosmodel
  translate run samples/kmu-kumamoto-mou-2025.txt
  translate run releases/ --to ja --out output/
  translate glossary check --against output/kmu-kumamoto-mou-2025/

Exit codes: 0 ok, 1 check violations, 2 usage or glossary parse error, 3 bad input,
4 model missing or unusable, 5 output cannot be written safely, 6 review document refused,
130 interrupted.""",
)
@click.version_option(__version__, prog_name="translate")
def main() -> None:
    """Translate English press releases into zh-TW and ja review documents, offline."""


main.add_command(run)
main.add_command(models)


def _attach_optional_groups() -> None:
    # Groups that land in their own modules; each is light to import.
    import importlib

    for module_name, attribute in (("glossary", "glossary"), ("review", "review"), ("publish", "publish"), ("memory", "memory")):
        try:
            module = importlib.import_module(f"{__name__}.{module_name}")
        except ModuleNotFoundError as exc:
            if exc.name != f"{__name__}.{module_name}":
                raise
            continue
        main.add_command(getattr(module, attribute))


_attach_optional_groups()


def entry() -> None:
    """Console-script entry: like click's standalone mode, but Ctrl-C exits 130 (documented)."""
    import sys

    try:
        # Without standalone mode click returns ctx.exit(n)'s code instead of exiting.
        code = main.main(standalone_mode=False)
        sys.exit(code if isinstance(code, int) else 0)
    except click.exceptions.Abort:
        click.echo("Interrupted: no document was half-written.", err=True)
        sys.exit(130)
    except click.ClickException as error:
        error.show()
        sys.exit(error.exit_code)
    except click.exceptions.Exit as done:
        sys.exit(done.exit_code)
    except KeyboardInterrupt:
        click.echo("Interrupted: no document was half-written.", err=True)
        sys.exit(130)
    except BrokenPipeError:
        sys.exit(1)
