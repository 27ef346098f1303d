"""Every test checks something: a test function with no assert, no pytest.raises/fail, no
django_assert_* query count and no call to a helper that does one of these passes whatever
the code does, and so does one whose only asserts are constants (`assert True`)."""

import ast
from pathlib import Path

TESTS = Path(__file__).parent


def called_names(node: ast.AST) -> set[str]:
    names = set()
    for call in ast.walk(node):
        if isinstance(call, ast.Call):
            func = call.func
            names.add(func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", ""))
    return names


def checks_directly(node: ast.AST) -> bool:
    """An assert statement, or a call whose name says it checks (raises, fail, assert…)."""
    if any(isinstance(inner, ast.Assert) for inner in ast.walk(node)):
        return True
    return any(
        name in ("raises", "warns", "fail") or "assert" in name.lower()
        for name in called_names(node)
    )


def functions(trees: list[ast.Module]) -> list[ast.FunctionDef]:
    return [
        node
        for tree in trees
        for node in ast.walk(tree)
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef)
    ]


def checking_helpers(trees: list[ast.Module]) -> set[str]:
    """Names of non-test functions that check, directly or through another such helper."""
    checking: set[str] = set()
    pending = [f for f in functions(trees) if not f.name.startswith("test_")]
    changed = True
    while changed:
        changed = False
        for function in pending:
            if function.name in checking:
                continue
            if checks_directly(function) or called_names(function) & checking:
                checking.add(function.name)
                changed = True
    return checking


def only_constant_asserts(function: ast.FunctionDef) -> bool:
    asserts = [node for node in ast.walk(function) if isinstance(node, ast.Assert)]
    return bool(asserts) and all(
        isinstance(node.test, ast.Constant) and node.test.value for node in asserts
    )


def unchecked_tests(root: Path) -> list[str]:
    trees = {path: ast.parse(path.read_text(encoding="utf-8")) for path in root.rglob("*.py")}
    helpers = checking_helpers(list(trees.values()))
    found = []
    for path, tree in sorted(trees.items()):
        for function in functions([tree]):
            if not function.name.startswith("test_"):
                continue
            checks = checks_directly(function) or called_names(function) & helpers
            if not checks or only_constant_asserts(function):
                found.append(f"{path.relative_to(root)}:{function.lineno} {function.name}")
    return found


def test_every_test_function_checks_something():
    assert unchecked_tests(TESTS) == []


def test_the_scan_finds_a_test_that_checks_nothing(tmp_path):
    (tmp_path / "test_sample.py").write_text(
        "def helper(x):\n    assert x\n\n"
        "def test_checks():\n    helper(1)\n\n"
        "def test_runs_only():\n    print(1)\n\n"
        "def test_true():\n    assert True\n",
        encoding="utf-8",
    )
    assert unchecked_tests(tmp_path) == [
        "test_sample.py:7 test_runs_only",
        "test_sample.py:10 test_true",
    ]
