"""The parts of ``XtQuantTrader`` a simulated cash stock account cannot do, with the real signatures.

Credit (融资融券) queries, securities lending (约券), counter transfers, bank transfers, CTP internal
transfers, algorithmic orders and data exports need account types or services the simulated account
does not have. Each method keeps xtquant's name and signature (the surface test compares them with
the wheel) and answers the way QMT answers for an account without the service: ``None`` for a list
query (QMT's "failed or empty"), an empty dict/list where xtquant builds one from an empty answer,
``(False, message)`` for a transfer, and for an asynchronous request the ``seq`` at once plus a
failed response pushed to the matching callback. Nothing here pretends to succeed.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Callable
from typing import Any

from xtquant import xttype

NOT_AVAILABLE = "模拟股票账户不支持此操作 not available on the simulated cash stock account"


class UnsupportedOperations(ABC):
    """Mixin of :class:`~windows_bridge.brokers.xtquant.fake.xttrader.XtQuantTrader`."""

    @abstractmethod
    def _sync(self, name: str) -> Any:
        """Entry of a synchronous call (deadlock guard, injected hangs)."""

    @abstractmethod
    def _answer_async(self, callback: Any, answer: Any) -> int:
        """Deliver ``answer`` to ``callback`` on the callback thread; the request ``seq``."""

    @abstractmethod
    def _push(self, method: str, *args: Any) -> None:
        """Run a callback method on the callback thread."""

    # ------------------------------------------------------------------ helpers

    def _none(self, name: str) -> None:
        self._sync(name)
        return None

    def _failed_push(self, method: str, make: Callable[[int], Any]) -> int:
        """An asynchronous request that fails: its ``seq`` now, the failed response pushed."""
        seq = self._answer_async(None, None)
        self._push(method, make(seq))
        return seq

    def _transfer_failed(self, name: str) -> tuple[bool, str]:
        self._sync(name)
        return False, NOT_AVAILABLE

    def _error_dict(self, name: str) -> dict[str, Any]:
        self._sync(name)
        return {"error": {"errorMsg": NOT_AVAILABLE}}

    # ------------------------------------------------------------------ credit account queries

    def query_credit_detail(self, account: Any) -> Any:
        """Credit asset details: ``None`` (not a credit account)."""
        return self._none("query_credit_detail")

    def query_credit_detail_async(self, account: Any, callback: Any) -> int:
        """Credit asset details, answered ``None``."""
        return self._answer_async(callback, None)

    def query_stk_compacts(self, account: Any) -> Any:
        """Credit contracts (负债合约): ``None``."""
        return self._none("query_stk_compacts")

    def query_stk_compacts_async(self, account: Any, callback: Any) -> int:
        """Credit contracts, answered ``None``."""
        return self._answer_async(callback, None)

    def query_credit_subjects(self, account: Any) -> Any:
        """Margin-trading subjects (融资融券标的): ``None``."""
        return self._none("query_credit_subjects")

    def query_credit_subjects_async(self, account: Any, callback: Any) -> int:
        """Margin-trading subjects, answered ``None``."""
        return self._answer_async(callback, None)

    def query_credit_slo_code(self, account: Any) -> Any:
        """Lendable securities (可融券): ``None``."""
        return self._none("query_credit_slo_code")

    def query_credit_slo_code_async(self, account: Any, callback: Any) -> int:
        """Lendable securities, answered ``None``."""
        return self._answer_async(callback, None)

    def query_credit_assure(self, account: Any) -> Any:
        """Collateral (标的担保品): ``None``."""
        return self._none("query_credit_assure")

    def query_credit_assure_async(self, account: Any, callback: Any) -> int:
        """Collateral, answered ``None``."""
        return self._answer_async(callback, None)

    # ------------------------------------------------------------------ IPO

    def query_new_purchase_limit(self, account: Any) -> dict[str, int]:
        """New-issue subscription limits: none (``{}``)."""
        self._sync("query_new_purchase_limit")
        return {}

    def query_new_purchase_limit_async(self, account: Any, callback: Any) -> int:
        """New-issue subscription limits, answered ``None``."""
        return self._answer_async(callback, None)

    def query_ipo_data(self) -> dict[str, Any]:
        """Today's new issues: none (``{}``)."""
        self._sync("query_ipo_data")
        return {}

    def query_ipo_data_async(self, callback: Any) -> int:
        """Today's new issues, answered ``None``."""
        return self._answer_async(callback, None)

    # ------------------------------------------------------------------ counter transfers

    def fund_transfer(self, account: Any, transfer_direction: int, price: float) -> tuple[bool, str]:
        """Cash transfer between counters: refused."""
        return self._transfer_failed("fund_transfer")

    def secu_transfer(
        self, account: Any, transfer_direction: int, stock_code: str, volume: int, transfer_type: int
    ) -> tuple[bool, str]:
        """Securities transfer between counters: refused."""
        return self._transfer_failed("secu_transfer")

    def query_com_fund(self, account: Any) -> dict[str, Any]:
        """The ordinary counter's funds (for transfers): none (``{}``)."""
        self._sync("query_com_fund")
        return {}

    def query_com_position(self, account: Any) -> list[dict[str, Any]]:
        """The ordinary counter's positions (for transfers): none (``[]``)."""
        self._sync("query_com_position")
        return []

    # ------------------------------------------------------------------ securities lending (约券)

    def smt_query_quoter(self, account: Any) -> list[dict[str, Any]]:
        """Lending quotes: none."""
        self._sync("smt_query_quoter")
        return []

    def smt_negotiate_order_async(
        self,
        account: Any,
        src_group_id: str,
        order_code: str,
        date: int,
        amount: int,
        apply_rate: float,
        dict_param: dict[str, Any] = {},  # noqa: B006 (the real signature)
    ) -> int:
        """Negotiated lending order: refused through ``on_smt_appointment_async_response``."""
        return self._smt_refused()

    def smt_appointment_order_async(
        self, account: Any, order_code: str, date: int, amount: int, apply_rate: float
    ) -> int:
        """Lending appointment: refused through ``on_smt_appointment_async_response``."""
        return self._smt_refused()

    def smt_appointment_cancel_async(self, account: Any, apply_id: str) -> int:
        """Cancel a lending appointment: refused."""
        return self._smt_refused()

    def smt_query_order(self, account: Any) -> list[dict[str, Any]]:
        """Lending orders: none."""
        self._sync("smt_query_order")
        return []

    def smt_query_compact(self, account: Any) -> list[dict[str, Any]]:
        """Lending contracts: none."""
        self._sync("smt_query_compact")
        return []

    def smt_compact_renewal_async(
        self,
        account: Any,
        cash_compact_id: str,
        order_code: str,
        defer_days: int,
        defer_num: int,
        apply_rate: float,
    ) -> int:
        """Renew a lending contract: refused."""
        return self._smt_refused()

    def smt_compact_return_async(
        self, account: Any, src_group_id: str, cash_compact_id: str, order_code: str, occur_amount: int
    ) -> int:
        """Return lent securities: refused."""
        return self._smt_refused()

    def _smt_refused(self) -> int:
        return self._failed_push(
            "on_smt_appointment_async_response",
            lambda seq: xttype.XtSmtAppointmentResponse(seq, False, NOT_AVAILABLE, ""),
        )

    # ------------------------------------------------------------------ futures, exports

    def query_position_statistics(self, account: Any) -> Any:
        """Futures position statistics: ``None`` (a stock account has none)."""
        return self._none("query_position_statistics")

    def export_data(
        self,
        account: Any,
        result_path: str,
        data_type: str,
        start_time: Any = None,
        end_time: Any = None,
        user_param: dict[str, Any] = {},  # noqa: B006 (the real signature)
    ) -> dict[str, Any]:
        """QMT's CSV export: answered with an error dict, as QMT does for what it cannot export."""
        return self._error_dict("export_data")

    def query_data(
        self,
        account: Any,
        result_path: str,
        data_type: str,
        start_time: Any = None,
        end_time: Any = None,
        user_param: dict[str, Any] = {},  # noqa: B006 (the real signature)
    ) -> Any:
        """:meth:`export_data` read back: the same error dict."""
        return self._error_dict("query_data")

    def sync_transaction_from_external(
        self, operation: str, data_type: str, account: Any, deal_list: list[Any]
    ) -> dict[str, Any]:
        """Import external deals: answered with an error dict."""
        return self._error_dict("sync_transaction_from_external")

    # ------------------------------------------------------------------ bank transfers

    def bank_transfer_in(
        self,
        account: Any,
        bank_no: str,
        bank_account: str,
        balance: float,
        bank_pwd: str = "",
        fund_pwd: str = "",
    ) -> tuple[bool, str]:
        """Bank → securities transfer: refused."""
        return self._transfer_failed("bank_transfer_in")

    def bank_transfer_in_async(
        self,
        account: Any,
        bank_no: str,
        bank_account: str,
        balance: float,
        bank_pwd: str = "",
        fund_pwd: str = "",
    ) -> int:
        """Bank → securities transfer: refused through ``on_bank_transfer_async_response``."""
        return self._bank_refused("on_bank_transfer_async_response")

    def bank_transfer_out(
        self,
        account: Any,
        bank_no: str,
        bank_account: str,
        balance: float,
        bank_pwd: str = "",
        fund_pwd: str = "",
    ) -> tuple[bool, str]:
        """Securities → bank transfer: refused."""
        return self._transfer_failed("bank_transfer_out")

    def bank_transfer_out_async(
        self,
        account: Any,
        bank_no: str,
        bank_account: str,
        balance: float,
        bank_pwd: str = "",
        fund_pwd: str = "",
    ) -> int:
        """Securities → bank transfer: refused through ``on_bank_transfer_async_response``."""
        return self._bank_refused("on_bank_transfer_async_response")

    def query_bank_info(self, account: Any) -> Any:
        """Linked banks: ``None``."""
        return self._none("query_bank_info")

    def query_bank_amount(self, account: Any, bank_no: str, bank_account: str, bank_pwd: str) -> Any:
        """Bank balance: ``None``."""
        return self._none("query_bank_amount")

    def query_bank_transfer_stream(
        self, account: Any, start_date: str, end_date: str, bank_no: str = "", bank_account: str = ""
    ) -> Any:
        """Bank transfer history: ``None``."""
        return self._none("query_bank_transfer_stream")

    def query_secu_account(self, account: Any) -> Any:
        """Shareholder accounts: ``None``."""
        return self._none("query_secu_account")

    def _bank_refused(self, method: str) -> int:
        return self._failed_push(method, lambda seq: xttype.XtBankTransferResponse(seq, False, NOT_AVAILABLE))

    # ------------------------------------------------------------------ CTP internal transfers

    def ctp_transfer_option_to_future(
        self, opt_account_id: str, ft_account_id: str, balance: float
    ) -> tuple[bool, str]:
        """Option → futures account transfer: refused."""
        return self._transfer_failed("ctp_transfer_option_to_future")

    def ctp_transfer_option_to_future_async(
        self, opt_account_id: str, ft_account_id: str, balance: float
    ) -> int:
        """Option → futures account transfer: refused through ``on_ctp_internal_transfer_async_response``."""
        return self._bank_refused("on_ctp_internal_transfer_async_response")

    def ctp_transfer_future_to_option(
        self, opt_account_id: str, ft_account_id: str, balance: float
    ) -> tuple[bool, str]:
        """Futures → option account transfer: refused."""
        return self._transfer_failed("ctp_transfer_future_to_option")

    def ctp_transfer_future_to_option_async(
        self, opt_account_id: str, ft_account_id: str, balance: float
    ) -> int:
        """Futures → option account transfer: refused through ``on_ctp_internal_transfer_async_response``."""
        return self._bank_refused("on_ctp_internal_transfer_async_response")

    # ------------------------------------------------------------------ algorithmic orders

    def get_smart_algo_param(self, algo_name_list: list[str]) -> dict[str, Any]:
        """Algorithm parameters: none."""
        self._sync("get_smart_algo_param")
        return {}

    def smart_algo_order_async(
        self,
        account: Any,
        stock_code: str,
        order_type: int,
        order_volume: int,
        price_type: int,
        price: float,
        strategy_name: str,
        order_remark: str,
        algo_name: str,
        start_time: str,
        end_time: str,
        algo_param: dict[str, Any],
    ) -> int:
        """Algorithmic order: refused through ``on_smart_algo_order_async_response``."""
        account_id = getattr(account, "account_id", "")
        return self._failed_push(
            "on_smart_algo_order_async_response",
            lambda seq: xttype.XtSmartAlgoOrderResponse(
                account_id, "", strategy_name, order_remark, NOT_AVAILABLE, seq
            ),
        )

    def query_smart_algo_task(self, account: Any) -> dict[str, Any]:
        """Algorithmic tasks: an error dict."""
        return self._error_dict("query_smart_algo_task")

    def cancel_smart_algo_task_async(self, account: Any, task_id: str) -> int:
        """Cancel an algorithmic task: refused through ``on_operate_smart_task_async_response``."""
        return self._failed_push(
            "on_operate_smart_task_async_response",
            lambda seq: xttype.XtOperateSmartTaskResponse(seq, False, task_id, "", NOT_AVAILABLE),
        )
