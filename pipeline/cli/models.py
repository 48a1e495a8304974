"""`translate models ...`: list, install and build Argos packages."""

from __future__ import annotations

from pathlib import Path

import click

from pipeline import language
from pipeline.cli.workspace import current_workspace, say_used


@click.group()
def models() -> None:
    """Manage Argos Translate packages: in ARGOS_PACKAGES_DIR when set, else the workspace's models folder, else
    Argos's own folder."""


@models.command("list")
def list_models() -> None:
    """Show installed translation packages and which language each one serves.

    \b
    Example:
      translate models list
    """
    from pipeline.translation.engine.packages import (  # lazy: ~12 ms; keeps --help fast
        TARGET_CODES,
        broken_advice,
        packages_dir_and_why,
        scan_packages,
    )

    workspace = current_workspace()
    folder, why = packages_dir_and_why()
    found, broken = scan_packages(folder)
    click.echo(f"Packages folder: {folder} ({why}" + (f", {workspace.config}" if workspace else "") + ")")
    if not found:
        click.echo("No translation packages installed. Install one with `translate models install FILE.argosmodel`.")
    serves = {code: lang for lang, options in TARGET_CODES.items() for code, _ in options}
    for package in found:
        label = " [DEMO copy model: not a translation]" if package.demo else ""
        lang = serves.get(package.to_code, package.to_code)
        click.echo(f"  {package.name:<32} {package.from_code}→{package.to_code}  v{package.version}  serves {lang}{label}")
    for package in broken:
        click.echo(f"  {package.name:<32} BROKEN: {package.reason}; {broken_advice(package)}")


@models.command("install")
@click.argument("files", nargs=-1, type=click.Path(path_type=Path))
@click.option("--from-index", "pair", nargs=2, metavar="FROM TO", help="Download FROM→TO from the Argos index (online).")
@click.option(
    "--no-verify",
    is_flag=True,
    help="Skip the check that the model writes the language its metadata declares (runs still check it).",
)
def install(files: tuple[Path, ...], pair: tuple[str, str] | None, no_verify: bool) -> None:
    """Install .argosmodel packages from files, or from the Argos index with --from-index.

    Every archive entry is checked before anything is written, and the model must translate a test sentence
    into the language its metadata declares; a package that fails either is refused (exit code 4).

    \b
    Examples:
      translate models install translate-en_zt-1_9.argosmodel translate-en_ja-1_1.argosmodel
      translate models install --from-index en ja
    """
    from pipeline.translation.engine.install import install_from_index, install_package_file  # lazy: ~30 ms (engine)

    if not files and not pair:
        raise click.UsageError("give one or more .argosmodel files, or --from-index FROM TO")
    say_used(current_workspace())
    installed = [install_package_file(path, verify=not no_verify) for path in files]
    if pair:
        installed.append(install_from_index(*pair))
    for package in installed:
        click.echo(f"Installed {package.name} ({package.from_code}→{package.to_code} v{package.version}) in {package.path.parent}")


@models.command("build-demo")
@click.option(
    "--to", "targets", multiple=True, help="Argos target codes (repeatable).",
    show_default="the first Argos code of each default target language",
)  # fmt: skip
@click.option("--keep", type=click.Path(path_type=Path), help="Also keep the built .argosmodel files in this folder.")
def build_demo(targets: tuple[str, ...], keep: Path | None) -> None:
    """Build and install identity ("copy") packages so the pipeline runs without a real model.

    Their output equals their input: documents made with them are labelled DEMO, NOT A TRANSLATION.
    A real package for the same language always takes precedence.
    """
    import tempfile

    from pipeline.translation.engine.demo_model import build_identity_package  # lazy: NumPy; keeps --help fast
    from pipeline.translation.engine.install import install_package_file  # lazy: ~30 ms (engine)

    workspace = current_workspace()
    say_used(workspace)
    default = workspace.languages if workspace else language.DEFAULT_TARGETS
    targets = targets or tuple(language.language_for(code).argos_codes[0] for code in default)
    names = {route.code: route.name for record in reversed(language.ALL) for route in record.argos}
    with tempfile.TemporaryDirectory() as scratch:
        folder = keep or Path(scratch)
        folder.mkdir(parents=True, exist_ok=True)
        for code in targets:
            built = build_identity_package(folder / f"translate-en_{code}-demo.argosmodel", to_code=code, to_name=names.get(code, code))
            package = install_package_file(built)
            click.echo(f"Installed DEMO copy model {package.name} (en→{code}) in {package.path.parent}; its output is NOT a translation.")
