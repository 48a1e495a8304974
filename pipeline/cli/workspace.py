"""The workspace on the command line: `translate init`, `--workspace`, and which workspace a command uses.

The logic (finding, reading, checking `translate.toml`) is pipeline/files/workspace.py; here only which start
point a command has (`--workspace`, a release's manifest, the current folder) and the one line that says what was
used. Only click at import: `translate --help` imports every command module."""

from __future__ import annotations

import os
from pathlib import Path

import click

META_DIR = "translate.workspace_dir"  # --workspace DIR, in the context's meta (shared by the group and its commands)
META_OFF = "translate.no_workspace"
META_CACHE = "translate.workspace_cache"
META_USED = "translate.used_line"  # what a command without a workspace used, said when it succeeded


def workspace_options(group):
    """`--workspace DIR` and `--no-workspace` on the `translate` group."""
    group = click.option(
        "--workspace", "workspace_dir", type=click.Path(path_type=Path, file_okay=True), metavar="DIR",
        envvar="TRANSLATE_WORKSPACE",
        help="The workspace (a folder with translate.toml) [default: found from the current folder upwards, or "
        "from the release's manifest; $TRANSLATE_WORKSPACE].",
    )(group)  # fmt: skip
    return click.option(
        "--no-workspace", is_flag=True, envvar="TRANSLATE_NO_WORKSPACE",
        help="Ignore any workspace: the defaults of a folder without one (./glossaries, output/) [$TRANSLATE_NO_WORKSPACE].",
    )(group)  # fmt: skip


def remember_options(ctx: click.Context, workspace_dir: Path | None, no_workspace: bool) -> None:
    """The group's callback: keep the options for the command; nothing is read yet (`translate run --help` reads nothing)."""
    if workspace_dir is not None and no_workspace:
        raise click.UsageError("give --workspace or --no-workspace, not both")
    ctx.meta[META_DIR] = workspace_dir
    ctx.meta[META_OFF] = no_workspace
    ctx.call_on_close(_forget_models)


def _forget_models() -> None:
    from pipeline.translation.engine.packages import use_workspace_models  # lazy: the engine's modules

    use_workspace_models(None)  # an in-process caller (tests) runs the next command with its own workspace


def current_workspace(manifest: dict | None = None):
    """The workspace this command uses (a `Workspace`, or None for today's defaults): `--workspace`, else the one a
    release's `manifest` records (when still there), else the nearest `translate.toml` from the current folder up.
    Its models folder becomes the packages folder of this command."""
    from pipeline.files.workspace import CONFIG_NAME, WorkspaceError, find_config, read_workspace, recorded_config  # lazy: tomllib
    from pipeline.language import ALL, DEFAULT_TARGETS  # lazy: the language registry

    meta = click.get_current_context().meta
    if meta.get(META_OFF) or os.environ.get("TRANSLATE_NO_WORKSPACE", "").strip() not in ("", "0"):
        return None
    explicit: Path | None = meta.get(META_DIR)
    if explicit is not None:
        config = explicit / CONFIG_NAME if explicit.is_dir() else explicit
        if not config.is_file():
            raise WorkspaceError(f"{explicit}: no {CONFIG_NAME} there; make it a workspace with `translate init {explicit}`")
    else:
        config = (recorded_config(manifest) if manifest else None) or find_config(Path.cwd())
    if config is None:
        return None
    cache = meta.setdefault(META_CACHE, {})
    key = os.path.abspath(config)
    if key not in cache:
        cache[key] = read_workspace(config, [record.code for record in ALL], DEFAULT_TARGETS)
        from pipeline.translation.engine.packages import use_workspace_models  # lazy: the engine's modules

        use_workspace_models(cache[key].models)
    return cache[key]


def say_used(workspace, *, glossary: str | None = None, memory: str | None = None, models: bool = True) -> None:
    """One line on stderr: the workspace, and the glossary, memory and models this command used (None: not used).

    In a workspace the line comes first, before the work. Without one it comes last and only when the command
    succeeded (`say_deferred`): a command that fails says one line, its error, and nothing else."""
    if workspace is None:
        parts = ["No workspace (this folder's defaults; `translate init` makes one)"]
    else:
        parts = [f"Workspace {workspace.root} ({workspace.config.name})"]
    if glossary is not None:
        parts.append(f"glossary {glossary}")
    if memory is not None:
        parts.append(f"memory {memory}")
    if models:
        from pipeline.translation.engine.packages import packages_dir_and_why  # lazy: the engine's modules

        folder, why = packages_dir_and_why()
        parts.append(f"models {folder}" + ("" if why == "the workspace's models folder" else f" ({why})"))
    line = ": ".join(parts[:1]) + (": " + ", ".join(parts[1:]) if parts[1:] else "")
    if workspace is None:
        click.get_current_context().meta[META_USED] = line
    else:
        click.echo(line, err=True)


def say_deferred() -> None:
    """The group's result callback: the line `say_used` kept for the end of a successful command without a workspace."""
    line = click.get_current_context().meta.pop(META_USED, None)
    if line:
        click.echo(line, err=True)


def memory_in_use(memory_path: Path | None, no_memory: bool, workspace, fallback: Path) -> tuple[Path | None, str]:
    """The memory file a command uses and how to say it: `--memory`, else $TRANSLATE_MEMORY, else the workspace's,
    else `fallback` (today's default: memory.sqlite in the output folder)."""
    if no_memory:
        return None, "none (--no-memory)"
    if memory_path is not None:
        return memory_path, str(memory_path)
    env = os.environ.get("TRANSLATE_MEMORY", "").strip()
    path = Path(env) if env else workspace.memory if workspace is not None else fallback
    return path, str(path) + ("" if path.is_file() else " (not created yet)")


def open_read_memory(memory_path: Path | None, no_memory: bool, workspace, out_dir: Path):
    """The memory `run` and `publish` read (read-only; None when there is none yet), how to say it, and what the
    manifest records of it (absolute path and content hash at run time)."""
    from pipeline.files.manifest import file_sha256  # lazy: hashlib
    from pipeline.memory import MemoryStore  # lazy: sqlite3

    path, said = memory_in_use(memory_path, no_memory, workspace, Path(out_dir) / "memory.sqlite")
    if path is None:
        return None, said, None
    if memory_path is None and not path.is_file():
        return None, said, {"path": os.path.abspath(path), "sha256": None}
    store = MemoryStore(path, readonly=True)  # an explicit --memory that is missing: InputError (exit 3)
    return store, said, {"path": os.path.abspath(path), "sha256": file_sha256(path)}


@click.command("init", short_help="Make a folder a workspace (translate.toml).")
@click.argument("folder", required=False, default=".", type=click.Path(path_type=Path, file_okay=False))
@click.option(
    "--models", "models", default="models", show_default=True, metavar="DIR",
    help="The models folder, relative to FOLDER; \"\" for your Argos folder (ARGOS_PACKAGES_DIR, else Argos's own).",
)  # fmt: skip
def init(folder: Path, models: str) -> None:
    """Make FOLDER (default: the current folder) a workspace: write FOLDER/translate.toml naming the glossary
    folder, the memory, the output folder, the models folder and the target languages, and create those folders.

    Every command run in FOLDER or below it (or given a release made there) then uses them. An existing
    translate.toml is never overwritten (exit 5). The glossary folder starts empty: put the office's glossary
    files in it (docs/glossary.md).

    \b
    Examples:
      translate init
      translate init ~/press-office
    """
    from pipeline.files.workspace import init_workspace  # lazy: tomllib
    from pipeline.language import ALL, DEFAULT_TARGETS  # lazy: the language registry

    workspace = init_workspace(folder, [record.code for record in ALL], DEFAULT_TARGETS, models=models)
    click.echo(f"Wrote {workspace.config}: glossary {workspace.glossary}, memory {workspace.memory}, "
               f"output {workspace.output}, models {workspace.models or 'your Argos folder'}, languages {', '.join(workspace.languages)}")
    click.echo(f"Next: put the glossary files in {workspace.glossary}, then `translate models build-demo` or "
               "`translate models install FILE.argosmodel`, and `translate run RELEASE` from anywhere in the workspace.")
