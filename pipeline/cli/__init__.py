"""`translate`: the command line. Thin: parse options, call the stages, report.

Heavy libraries (CTranslate2, python-docx, langdetect, OpenCC) are imported inside commands so that
`translate --help` stays fast.
"""

from __future__ import annotations

import click

from .. import __version__
from .glossary import glossary
from .memory import memory
from .models import models
from .publish import publish
from .review import review
from .run import run


@click.group(
    context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100},
    epilog="""\b
Examples:
  translate models build-demo                     # no real model? a labelled copy model for a demo
  translate models install translate-en_zt-1_9.argosmodel
  translate run samples/kmu-kumamoto-mou-2025.txt
  translate run releases/ --to ja --out output/
  translate review import output/kmu-kumamoto-mou-2025/*.review.docx
  translate publish output/kmu-kumamoto-mou-2025
  translate glossary check --against output/kmu-kumamoto-mou-2025/

Exit codes: 0 ok, 1 check violations, 2 usage or glossary parse error, 3 bad input,
4 model missing or unusable, 5 output cannot be written safely, 6 review document refused or
unreviewed segments, 130 interrupted.""",
)
@click.version_option(__version__, prog_name="translate")
def main() -> None:
    """Translate English press releases into zh-TW and ja review documents, offline."""


for command in (run, models, glossary, review, memory, publish):
    main.add_command(command)


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
