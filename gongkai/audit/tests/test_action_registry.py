"""Every action the code writes to the audit trail has a registered Chinese label.

The scan reads every production module's ``audit_record(action=...)`` calls: a literal must be
registered; an f-string's literal prefix (``f"item_{transition.action}"``) must start some
registered action; a name is followed to its string value (a module constant, an assignment in the
same function, or the ``action=`` the function's callers pass).
"""

import ast
import importlib
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.template import Context, Template

import gongkai
from gongkai.applications.workflow import STATUS_ACTIONS
from gongkai.audit import registry
from gongkai.catalogue.workflow import ITEM_TRANSITIONS, REVISION_TRANSITIONS
from gongkai.reports.workflow import REPORT_TRANSITIONS

PACKAGE = Path(gongkai.__file__).parent


def production_modules():
    for path in sorted(PACKAGE.rglob("*.py")):
        parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
        if "tests" in parts or "migrations" in parts or "e2e" in parts or "testing" in parts:
            continue
        yield ".".join(parts), ast.parse(path.read_text(encoding="utf-8"))


def _callee(call: ast.Call) -> str:
    func = call.func
    return func.id if isinstance(func, ast.Name) else func.attr if isinstance(func, ast.Attribute) else ""


def _action_keyword(call: ast.Call) -> ast.expr | None:
    return next((k.value for k in call.keywords if k.arg == "action"), None)


def _functions(tree: ast.Module) -> dict[ast.AST, ast.FunctionDef]:
    """Each node's innermost enclosing function."""
    owner: dict[ast.AST, ast.FunctionDef] = {}
    for function in ast.walk(tree):
        if isinstance(function, ast.FunctionDef):
            for node in ast.walk(function):
                owner[node] = function  # inner functions are walked later and overwrite
    return owner


def _required(value: ast.expr | None) -> ast.expr:
    assert value is not None, "an audit_record call without action="
    return value


class Scan:
    def __init__(self, module: str, tree: ast.Module) -> None:
        self.module, self.tree, self.owner = module, tree, _functions(tree)

    def resolve(self, value: ast.expr, at: ast.AST) -> tuple[list[str], list[str]]:
        """(action codes, f-string prefixes) ``value`` can be; AssertionError when unresolvable."""
        if isinstance(value, ast.Constant) and isinstance(value.value, str):
            return [value.value], []
        if isinstance(value, ast.JoinedStr):
            prefix = ""
            for part in value.values:
                if not (isinstance(part, ast.Constant) and isinstance(part.value, str)):
                    break
                prefix += part.value
            assert prefix, f"{self.module}:{value.lineno}: an f-string action needs a literal prefix"
            return [], [prefix]
        assert isinstance(value, ast.Name), f"{self.module}:{value.lineno}: cannot read this action"
        function = self.owner.get(at)
        if function is not None:
            assigned = [
                node.value
                for node in ast.walk(function)
                if isinstance(node, ast.Assign)
                and any(isinstance(t, ast.Name) and t.id == value.id for t in node.targets)
            ]
            if assigned:
                return self._merge(self.resolve(v, v) for v in assigned)
            if value.id in {a.arg for a in function.args.args + function.args.kwonlyargs}:
                callers = [
                    keyword
                    for node in ast.walk(self.tree)
                    if isinstance(node, ast.Call) and _callee(node) == function.name
                    for keyword in [_action_keyword(node)]
                    if keyword is not None
                ]
                assert callers, f"{self.module}: nobody passes action= to {function.name}()"
                return self._merge(self.resolve(k, k) for k in callers)
        constant = getattr(importlib.import_module(self.module), value.id, None)
        assert isinstance(constant, str), f"{self.module}:{value.lineno}: cannot resolve {value.id}"
        return [constant], []

    @staticmethod
    def _merge(results) -> tuple[list[str], list[str]]:
        codes: list[str] = []
        prefixes: list[str] = []
        for found_codes, found_prefixes in results:
            codes += found_codes
            prefixes += found_prefixes
        return codes, prefixes

    def actions(self) -> tuple[list[str], list[str]]:
        return self._merge(
            self.resolve(_required(_action_keyword(node)), node)
            for node in ast.walk(self.tree)
            if isinstance(node, ast.Call)
            and _callee(node) == "audit_record"
            and _action_keyword(node) is not None
        )


def written_actions() -> tuple[dict[str, str], dict[str, str]]:
    """({code: module}, {f-string prefix: module}) of every audit_record call in the code."""
    codes: dict[str, str] = {}
    prefixes: dict[str, str] = {}
    for module, tree in production_modules():
        found_codes, found_prefixes = Scan(module, tree).actions()
        codes.update(dict.fromkeys(found_codes, module))
        prefixes.update(dict.fromkeys(found_prefixes, module))
    return codes, prefixes


def test_every_action_the_code_writes_is_registered_with_a_label():
    codes, prefixes = written_actions()
    registered = registry.registered()

    assert len(codes) > 30, "the scan found too few audit_record calls: is it still reading them?"
    assert {"item_", "revision_", "application_", "report_"} <= set(prefixes)
    assert {c: m for c, m in codes.items() if c not in registered} == {}
    assert {p: m for p, m in prefixes.items() if not any(code.startswith(p) for code in registered)} == {}
    assert all(label.strip() for label in registered.values())


def test_the_families_written_with_f_strings_are_registered_whole():
    expected = (
        {f"item_{t.action}" for t in ITEM_TRANSITIONS}
        | {f"revision_{t.action}" for t in REVISION_TRANSITIONS}
        | {f"report_{t.action}" for t in REPORT_TRANSITIONS}
        | {f"application_{a}" for a in STATUS_ACTIONS}
    )

    assert expected - set(registry.registered()) == set()


def test_two_labels_for_one_code_are_refused(monkeypatch):
    monkeypatch.setattr(registry, "_actions", registry.registered())
    registry.register("test_registry_twice", "第一次")
    registry.register("test_registry_twice", "第一次")  # the same again is harmless

    with pytest.raises(ImproperlyConfigured):
        registry.register("test_registry_twice", "第二次")


def test_the_filters_label_actions_and_states_per_model():
    template = Template(
        "{% load audit_tags %}{{ a|event_label }}/{{ s|state_label:'catalogue.item' }}/"
        "{{ s|state_label:'applications.application' }}/{{ u|event_label }}/{{ s|state_label:'x.y' }}"
    )

    text = template.render(Context({"a": "revision_return", "s": "dept_review", "u": "unknown_code"}))

    assert text == "退回修改（修订）/待股室审核/待股室负责人审核/unknown_code/dept_review"
