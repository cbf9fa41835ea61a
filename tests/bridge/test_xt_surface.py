"""The xtquant fake has the installed wheel's public surface: names, signatures and constants.

The wheel's ``xttrader``/``xtdata`` cannot be imported off Windows (they load DLLs), so their sources
are read with ``ast``. Compared:

* every public method of ``XtQuantTrader`` and ``XtQuantTraderCallback`` (and the
  ``query_account_info`` alias): present in the fake with the same parameter names, order and
  defaults — and the fake has no public method the real classes lack;
* every function the fake ``xtdata`` offers exists in the real module with the same signature, and
  every ``xtdata`` function the adapter calls is offered by the fake;
* the ``xttype`` objects and ``xtconstant`` values the fake uses are the wheel's own (not copies),
  and every ``ORDER_*`` status of the wheel is mapped by the adapter.
"""

from __future__ import annotations

import ast
import inspect
from pathlib import Path
from typing import Any

import pytest
import xtquant
from xtquant import xtconstant

from windows_bridge.brokers.xtquant import convert
from windows_bridge.brokers.xtquant.fake import FakeXtData, XtQuantTrader, XtQuantTraderCallback
from windows_bridge.brokers.xtquant.fake import convert as fake_convert

WHEEL = Path(xtquant.__file__).resolve().parent
_MISSING = object()


def _value(node: ast.expr) -> Any:
    try:
        return ast.literal_eval(node)
    except ValueError:
        return ("<expression>", ast.unparse(node))


def _param_list(args: ast.arguments) -> list[tuple[str, Any]]:
    """[(name, default)] of a function's positional parameters (defaults as Python values)."""
    positional = [*args.posonlyargs, *args.args]
    defaults: list[Any] = [_MISSING] * (len(positional) - len(args.defaults))
    defaults += [_value(d) for d in args.defaults]
    return [(a.arg, d) for a, d in zip(positional, defaults, strict=True)]


def real_methods(module: str, cls: str) -> dict[str, list[tuple[str, Any]]]:
    """Public methods (and ``__init__``) of class ``cls`` in the wheel's ``module``, plus aliases."""
    tree = ast.parse((WHEEL / f"{module}.py").read_text(encoding="utf-8"))
    node = next(n for n in tree.body if isinstance(n, ast.ClassDef) and n.name == cls)
    methods: dict[str, list[tuple[str, Any]]] = {}
    for item in node.body:
        if isinstance(item, ast.FunctionDef) and (not item.name.startswith("_") or item.name == "__init__"):
            methods[item.name] = _param_list(item.args)
        elif isinstance(item, ast.Assign) and isinstance(item.value, ast.Name):
            for target in item.targets:
                if isinstance(target, ast.Name) and not target.id.startswith("_"):
                    methods[target.id] = methods[item.value.id]
    return methods


def real_functions(module: str) -> dict[str, list[tuple[str, Any]]]:
    """Top-level public functions of the wheel's ``module`` (the last definition wins, as at import)."""
    tree = ast.parse((WHEEL / f"{module}.py").read_text(encoding="utf-8"))
    return {
        n.name: _param_list(n.args)
        for n in tree.body
        if isinstance(n, ast.FunctionDef) and not n.name.startswith("_")
    }


def fake_params(fn: Any) -> list[tuple[str, Any]]:
    params = inspect.signature(fn).parameters.values()
    return [(p.name, _MISSING if p.default is inspect.Parameter.empty else p.default) for p in params]


def fake_methods(cls: type) -> dict[str, list[tuple[str, Any]]]:
    names = [n for n in dir(cls) if not n.startswith("_")]
    if cls.__init__ is not object.__init__:  # type: ignore[misc]
        names.append("__init__")
    members = {n: getattr(cls, n) for n in names}
    return {n: fake_params(m) for n, m in members.items() if callable(m) and not isinstance(m, type)}


@pytest.mark.parametrize("cls", [XtQuantTrader, XtQuantTraderCallback], ids=lambda c: c.__name__)
def test_xttrader_classes_match_the_wheel_exactly(cls: type) -> None:
    real = real_methods("xttrader", cls.__name__)
    fake = fake_methods(cls)
    assert sorted(set(real) - set(fake)) == [], "methods of the real API missing in the fake"
    assert sorted(set(fake) - set(real)) == [], "public methods the real API does not have"
    for name, params in real.items():
        assert fake[name] == params, f"{cls.__name__}.{name}: fake {fake[name]} != real {params}"


def test_the_surface_check_can_fail() -> None:
    class Drifted(XtQuantTrader):
        def order_stock(self, account, stock_code, order_type, order_volume, price_type, price, remark=""):  # type: ignore[override]
            return -1

    real = real_methods("xttrader", "XtQuantTrader")
    assert fake_methods(Drifted)["order_stock"] != real["order_stock"]


def test_fake_xtdata_functions_exist_in_the_wheel_with_the_same_signature() -> None:
    real = real_functions("xtdata")
    offered = {n: fake_params(getattr(FakeXtData, n))[1:] for n in dir(FakeXtData) if not n.startswith("_")}
    offered = {n: p for n, p in offered.items() if callable(getattr(FakeXtData, n))}
    assert sorted(set(offered) - set(real)) == [], "fake xtdata functions the real module does not have"
    for name, params in offered.items():
        assert params == real[name], f"xtdata.{name}: fake {params} != real {real[name]}"


def test_every_xtdata_call_of_the_adapter_is_offered_by_the_fake() -> None:
    from windows_bridge.brokers.xtquant import market_data

    tree = ast.parse(Path(market_data.__file__).read_text(encoding="utf-8"))
    called = {
        node.attr
        for node in ast.walk(tree)
        if isinstance(node, ast.Attribute)
        and isinstance(node.value, ast.Attribute)
        and node.value.attr == "xtdata"
    }
    called |= {"download_history_data2", "reconnect"}  # reached through getattr
    assert called and called <= set(real_functions("xtdata"))
    assert called <= {n for n in dir(FakeXtData) if not n.startswith("_")}


def test_the_fake_uses_the_wheels_own_types_and_constants() -> None:
    assert fake_convert.xttype.__file__ == str(WHEEL / "xttype.py") or Path(
        fake_convert.xttype.__file__
    ).resolve() == (WHEEL / "xttype.py")
    assert fake_convert.xtconstant is xtconstant
    order_states = {v for k, v in vars(xtconstant).items() if k in _ORDER_STATE_NAMES}
    assert order_states <= set(convert.STATUS_MAP)  # every order state the wheel defines is mapped
    assert set(fake_convert.STATUS_TO_XT.values()) <= order_states
    assert fake_convert.REPORTED_LIMIT_PRICE_TYPE == xtconstant.ORDER_REPORTED  # the 50 QMT echoes


_ORDER_STATE_NAMES = {
    "ORDER_UNREPORTED",
    "ORDER_WAIT_REPORTING",
    "ORDER_REPORTED",
    "ORDER_REPORTED_CANCEL",
    "ORDER_PARTSUCC_CANCEL",
    "ORDER_PART_CANCEL",
    "ORDER_CANCELED",
    "ORDER_PART_SUCC",
    "ORDER_SUCCEEDED",
    "ORDER_JUNK",
    "ORDER_UNKNOWN",
}


def test_neither_the_real_client_nor_the_fake_ever_pushes_on_connected() -> None:
    real = (WHEEL / "xttrader.py").read_text(encoding="utf-8")
    assert real.count("on_connected") == 1  # only its declaration in the callback base class
    fake = Path(inspect.getfile(XtQuantTrader)).read_text(encoding="utf-8")
    assert '"on_connected"' not in fake and "'on_connected'" not in fake
