"""Imports sit at the top of a module; one inside a function says why in a comment.

An import hidden in a function can mask an import cycle that breaks the app as soon as
someone moves it up (issue 23). The check reads the source with ``ast`` and ``tokenize``,
so it needs no app and no database.
"""

import ast
import io
import tokenize
from pathlib import Path

import lotse_lms

PACKAGE = Path(lotse_lms.__file__).parent
#: Generated Alembic revisions follow Alembic's template, not ours.
SKIPPED = ("migrations/versions",)


def _comment_lines(source):
    """Numbers of the lines that carry a comment (never a '#' inside a string)."""
    tokens = tokenize.generate_tokens(io.StringIO(source).readline)
    return {tok.start[0] for tok in tokens if tok.type == tokenize.COMMENT}


def _function_imports(tree):
    """Every import statement inside a function or method, in source order."""
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            found.extend(
                sub for sub in ast.walk(node) if isinstance(sub, ast.Import | ast.ImportFrom)
            )
    return sorted(found, key=lambda sub: sub.lineno)


def uncommented_function_imports(source):
    """Line numbers of function-level imports without a reason.

    A reason is a comment on the import's own lines or on the line just above; a group of
    imports directly below each other shares the comment above the group.
    """
    comments = _comment_lines(source)
    imports = _function_imports(ast.parse(source))
    ends = {sub.end_lineno: sub for sub in imports}
    bare = []
    for sub in imports:
        first = sub
        while first.lineno - 1 in ends and ends[first.lineno - 1] is not first:
            first = ends[first.lineno - 1]  # the statement just above, in the same group
        own = set(range(sub.lineno, sub.end_lineno + 1))
        if not own & comments and first.lineno - 1 not in comments:
            bare.append(sub.lineno)
    return sorted(set(bare))


def test_the_check_finds_a_bare_import_and_accepts_a_reason():
    """The rule itself: a bare import is found; one with a comment, or below one, is not."""
    source = (
        "def a():\n"
        "    import json\n"
        "\n"
        "def b():\n"
        "    # optional heavy dependency\n"
        "    import json\n"
        "    import csv\n"
        "\n"
        "def c():\n"
        "    import json  # app factory: areas load late\n"
        "    text = '# not a comment'\n"
        "    import csv\n"
    )
    assert uncommented_function_imports(source) == [2, 12]


def test_every_function_level_import_in_lotse_lms_says_why():
    """No import inside a function of lotse_lms/ without a comment saying why it is there."""
    offenders = []
    for path in sorted(PACKAGE.rglob("*.py")):
        relative = path.relative_to(PACKAGE).as_posix()
        if relative.startswith(SKIPPED):
            continue
        for line in uncommented_function_imports(path.read_text(encoding="utf-8")):
            offenders.append(f"lotse_lms/{relative}:{line}")
    assert offenders == [], "move to the top or comment why:\n" + "\n".join(offenders)
