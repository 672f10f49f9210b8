"""Every error code the API answers with is declared once, in an app's `errors.py` (an ErrorCode
enum) or core/api/errors.py's CommonError, and a raise site that names anything else fails here
(read from the source, so a site no test reaches is checked too) or, for a code passed along in
a variable, at run time (ApplicationError refuses it)."""

from __future__ import annotations

import ast
import importlib

import pytest
from rest_framework.test import APIRequestFactory

from core.api.errors import (
    ApplicationError,
    CommonError,
    Conflict,
    ErrorCode,
    Forbidden,
    NotFound,
    error_body,
    exception_handler,
    field_error,
)
from tests import architecture as arch

MODULES = arch.source_modules()
# Functions that take a code: keyword `code`, or the positional argument at this index.
CODE_TAKERS = {"ApplicationError": None, "field_error": None, "json_error": 1, "error_body": 0}


def error_enums() -> dict[str, type[ErrorCode]]:
    for module in MODULES:
        if module.name.split(".")[-1] == "errors":
            importlib.import_module(module.name)
    found: dict[str, type[ErrorCode]] = {}
    pending = list(ErrorCode.__subclasses__())
    while pending:
        enum = pending.pop()
        assert enum.__name__ not in found, f"two error enums named {enum.__name__}"
        found[enum.__name__] = enum
        pending.extend(enum.__subclasses__())
    return found


def error_classes(modules: list[arch.Module]) -> set[str]:
    """ApplicationError and every class of the source deriving from it (by name)."""
    names = {"ApplicationError"}
    while True:
        more = {
            node.name
            for module in modules
            for _, node in module.functions()
            if isinstance(node, ast.ClassDef)
            and any(
                isinstance(b, ast.Name | ast.Attribute) and ast.unparse(b).split(".")[-1] in names
                for b in node.bases
            )
        }
        if more <= names:
            return names
        names |= more


def _parameters(function: ast.AST) -> set[str]:
    args = function.args
    return {a.arg for a in [*args.posonlyargs, *args.args, *args.kwonlyargs]}


def undeclared_codes(module: arch.Module, enums: dict[str, type[ErrorCode]], classes: set[str]) -> list[str]:
    """Raise sites in `module` whose code is not a member of a declared enum (a literal string, an
    unknown member), nor a parameter of the function it is in (passed along from a caller)."""
    problems: list[str] = []

    def check(value: ast.AST, line: int, parameters: set[str]) -> None:
        if isinstance(value, ast.Attribute) and isinstance(value.value, ast.Name):
            enum = enums.get(value.value.id)
            if enum is not None and value.attr in enum.__members__:
                return
        if isinstance(value, ast.Name) and value.id in parameters:
            return
        problems.append(f"{module.name}:{line} code {ast.unparse(value)} is not declared")

    def walk(node: ast.AST, parameters: set[str], in_error_class: bool) -> None:
        for child in ast.iter_child_nodes(node):
            if isinstance(child, ast.FunctionDef | ast.AsyncFunctionDef):
                walk(child, _parameters(child), False)
                continue
            if isinstance(child, ast.ClassDef):
                is_error = child.name in classes
                walk(child, parameters, is_error)
                continue
            is_code = isinstance(child, ast.Assign) and any(
                isinstance(t, ast.Name) and t.id == "code" for t in child.targets
            )
            if in_error_class and is_code:
                check(child.value, child.lineno, set())
            if isinstance(child, ast.Call):
                name = ast.unparse(child.func).split(".")[-1]
                if name in classes or name in CODE_TAKERS:
                    index = CODE_TAKERS.get(name)
                    for keyword in child.keywords:
                        if keyword.arg == "code":
                            check(keyword.value, child.lineno, parameters)
                    if index is not None and len(child.args) > index:
                        check(child.args[index], child.lineno, parameters)
            walk(child, parameters, in_error_class)

    walk(module.tree, set(), False)
    return problems


def test_every_raised_code_is_declared():
    enums, classes = error_enums(), error_classes(MODULES)
    assert {"Conflict", "Forbidden", "NotFound"} <= classes
    # core/api/errors.py passes along codes it has already checked (declared() at run time).
    checked = [m for m in MODULES if m.name != "core.api.errors"]
    assert [p for m in checked for p in undeclared_codes(m, enums, classes)] == []


def test_each_app_declares_its_codes_in_its_errors_module():
    for name, enum in error_enums().items():
        assert enum.__module__.split(".")[-1] == "errors", f"{name} is declared in {enum.__module__}"
        assert name.endswith("Error") and len(enum) > 0


def test_every_declared_code_is_raised_somewhere():
    """A code no raise site names is dead (CommonError's are also answered by the handler)."""
    enums = error_enums()
    named = {
        (node.value.id, node.attr)
        for module in MODULES
        if module.name.split(".")[-1] != "errors"
        for _, node in module.functions()
        if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name) and node.value.id in enums
    }
    unused = [
        f"{name}.{member}"
        for name, enum in enums.items()
        if enum is not CommonError
        for member in enum.__members__
        if (name, member) not in named
    ]
    assert unused == []


def test_the_check_finds_an_undeclared_code():
    enums = error_enums()
    source = """
from core.api.errors import ApplicationError, CommonError, Conflict, field_error
from core.workflow.errors import WorkflowError

class Refused(Conflict):
    code = "refused"

def good(message, code):
    raise Conflict(message, code=WorkflowError.EVENT_CLOSED)

def passes_its_own_code_along(message, code):
    raise field_error("f", message, code=code)

def bad():
    raise ApplicationError("m", code="made_up")

def unknown_member():
    raise field_error("f", "m", code=WorkflowError.NO_SUCH_CODE)

def someone_elses_variable():
    code = "x"
    raise Refused("m", code=code)
"""
    module = arch.Module.parse("core.workflow.example", source)
    problems = undeclared_codes(module, enums, error_classes([*MODULES, module]))
    assert [p.split(" code ")[1] for p in problems] == [
        "'refused' is not declared",
        "'made_up' is not declared",
        "WorkflowError.NO_SUCH_CODE is not declared",
        "code is not declared",
    ]


def test_an_undeclared_code_is_refused_at_run_time():
    with pytest.raises(TypeError, match="not declared"):
        ApplicationError("m", code="made_up")
    with pytest.raises(TypeError, match="not declared"):
        field_error("f", "m", code="made_up")
    with pytest.raises(TypeError, match="not declared"):
        error_body("made_up", "m")
    with pytest.raises(TypeError, match="not declared"):

        class Refused(Conflict):
            code = "refused"


def test_forbidden_and_not_found_answer_the_one_shape():
    request = APIRequestFactory().get("/")
    forbidden = exception_handler(Forbidden("Your role may not."), {"request": request})
    not_found = exception_handler(NotFound(), {"request": request})
    assert (forbidden.status_code, forbidden.data["error"]["code"]) == (403, "permission_denied")
    assert (not_found.status_code, not_found.data["error"]["code"]) == (404, "not_found")
    assert set(not_found.data["error"]) == {"code", "message", "fields"}


def test_a_refusal_reads_as_form_errors_in_the_admin():
    assert field_error("tag", "Unknown tag.").message_dict == {"tag": ["Unknown tag."]}
    assert Conflict("Already ended.").message_dict == {"__all__": ["Already ended."]}


def _status(node: ast.AST) -> int | None:
    text = ast.unparse(node)
    return (
        int(text)
        if text.isdigit()
        else {"status.HTTP_403_FORBIDDEN": 403, "status.HTTP_404_NOT_FOUND": 404}.get(text)
    )


def test_no_copy_of_forbidden_or_not_found_outside_core_api():
    copies = [
        f"{module.name}.{node.name}"
        for module in MODULES
        if module.name != "core.api.errors"
        for _, node in module.functions()
        if isinstance(node, ast.ClassDef) and node.name in {"Forbidden", "NotFound", "PermissionDenied"}
    ]
    assert copies == []
    ad_hoc = [
        f"{module.name}:{node.lineno}"
        for module in MODULES
        for _, node in module.functions()
        if isinstance(node, ast.Call)
        and ast.unparse(node.func).split(".")[-1]
        in {"ApplicationError", "PermissionDenied", "NotFound", "Http404"}
        and module.name != "core.api.errors"
        and (
            any(k.arg == "status_code" and _status(k.value) in {403, 404} for k in node.keywords)
            or ast.unparse(node.func)
            in {"PermissionDenied", "exceptions.PermissionDenied", "exceptions.NotFound"}
        )
    ]
    assert ad_hoc == []
