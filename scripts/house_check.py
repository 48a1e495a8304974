"""The house rules of `pipeline/` that no linter states (issue 18), checked in CI by .ci/run and tests/test_house_rules.py.

    python scripts/house_check.py          # prints the figures and every breach; exit 1 on a breach

- at most 4 modules at the top of pipeline/ (the rest lives in stage packages);
- no module over 600 lines, no function over 100 lines;
- no private name (`_x`) imported from another module, in pipeline/, tests/, benchmarks/ or scripts/;
- a function-level import of the pipeline's own modules says why it is not at the top (a comment on its line or
  the line above): such imports hid four import cycles once;
- no test module imports another test module (shared fixtures live in conftest.py, helpers in tests/support/).
Import cycles and the layering are import-linter's job (`lint-imports`, contracts in pyproject.toml).
"""

from __future__ import annotations

import ast
import sys
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
MAX_TOP_MODULES = 4
MAX_MODULE_LINES = 600
MAX_FUNCTION_LINES = 100


@dataclass
class Report:
    breaches: list[str] = field(default_factory=list)
    figures: dict[str, int] = field(default_factory=dict)


def _python_files(folder: Path) -> list[Path]:
    # Hidden folders hold what tools made, not the house's code: benchmarks/.cache/ has the peer's virtual environment.
    return sorted(p for p in folder.rglob("*.py")
                  if "__pycache__" not in p.parts and not any(part.startswith(".") for part in p.relative_to(folder).parts))


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _has_reason(lines: list[str], node: ast.stmt) -> bool:
    here = lines[node.lineno - 1]
    above = lines[node.lineno - 2].strip() if node.lineno >= 2 else ""
    return "#" in here or above.startswith("#")


def _function_level_imports(tree: ast.Module):
    for func in ast.walk(tree):
        if isinstance(func, (ast.FunctionDef, ast.AsyncFunctionDef)):
            for node in ast.walk(func):
                if isinstance(node, (ast.Import, ast.ImportFrom)):
                    yield node


def _imported_modules(node: ast.Import | ast.ImportFrom) -> list[str]:
    if isinstance(node, ast.Import):
        return [alias.name for alias in node.names]
    return [node.module or ""]


def check_pipeline(report: Report) -> None:
    package = ROOT / "pipeline"
    top = [p.name for p in package.glob("*.py")]
    report.figures["modules at the top of pipeline/"] = len(top)
    if len(top) > MAX_TOP_MODULES:
        report.breaches.append(f"pipeline/: {len(top)} modules at the top ({', '.join(sorted(top))}); at most {MAX_TOP_MODULES}")
    files = _python_files(package)
    report.figures["modules"] = len(files)
    report.figures["lines"] = 0
    report.figures["function-level imports of pipeline modules"] = 0
    for path in files:
        text = path.read_text(encoding="utf-8")
        lines = text.splitlines()
        report.figures["lines"] += len(lines)
        where = path.relative_to(ROOT)
        if len(lines) > MAX_MODULE_LINES:
            report.breaches.append(f"{where}: {len(lines)} lines; split it (at most {MAX_MODULE_LINES})")
        tree = ast.parse(text, filename=str(path))
        for node in ast.walk(tree):
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
                length = node.end_lineno - node.lineno + 1
                if length > MAX_FUNCTION_LINES:
                    report.breaches.append(f"{where}:{node.lineno}: {node.name}() is {length} lines (at most {MAX_FUNCTION_LINES})")
        for node in _function_level_imports(tree):
            if any(name.startswith("pipeline") for name in _imported_modules(node)):
                report.figures["function-level imports of pipeline modules"] += 1
                if not _has_reason(lines, node):
                    report.breaches.append(f"{where}:{node.lineno}: a function-level import of the pipeline without its reason")
        check_private_imports(report, path, tree)


def check_private_imports(report: Report, path: Path, tree: ast.Module) -> None:
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("pipeline"):
            for alias in node.names:
                if alias.name.startswith("_") and not alias.name.startswith("__"):
                    report.breaches.append(
                        f"{path.relative_to(ROOT)}:{node.lineno}: imports the private name {node.module}.{alias.name}"
                    )


def check_tests(report: Report) -> None:
    tests = ROOT / "tests"
    modules = {p.stem for p in tests.rglob("test_*.py")}
    report.figures["test modules"] = len(modules)
    for path in _python_files(tests):
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
        check_private_imports(report, path, tree)
        for node in ast.walk(tree):
            if isinstance(node, (ast.Import, ast.ImportFrom)):
                for name in _imported_modules(node):
                    if name.split(".")[-1] in modules or name.split(".")[0] in modules:
                        report.breaches.append(
                            f"{path.relative_to(ROOT)}:{node.lineno}: imports the test module {name}; "
                            "move what it shares to conftest.py or tests/support/"
                        )


def check_tools(report: Report) -> None:
    for folder in ("benchmarks", "scripts"):
        for path in _python_files(ROOT / folder):
            check_private_imports(report, path, ast.parse(path.read_text(encoding="utf-8"), filename=str(path)))


def main() -> int:
    report = Report()
    check_pipeline(report)
    check_tests(report)
    check_tools(report)
    for name, value in report.figures.items():
        print(f"{name}: {value:,}")
    for breach in report.breaches:
        print(breach)
    print(f"{len(report.breaches)} breach(es) of the house rules")
    return 1 if report.breaches else 0


if __name__ == "__main__":
    sys.exit(main())
