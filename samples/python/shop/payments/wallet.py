"""Payments from a prepaid customer wallet."""

import asyncio
from typing import Dict

from . import base
from .base import PaymentError
from ..models import Money


class WalletGateway(base.PaymentGateway):
    """Pays from balances the shop keeps per customer token."""

    name = "wallet"

    def __init__(self, balances: Dict[str, Money]):
        self._balances = dict(balances)
        self._counter = 0

    def charge(self, amount: Money, token: str) -> base.PaymentResult:
        """Takes `amount` from the wallet of `token`."""
        balance = self._balances.get(token)
        if balance is None:
            raise PaymentError(f"unknown wallet {token!r}")
        if balance.amount < amount.amount:
            return base.PaymentResult(self._next_id(), amount, approved=False)
        self._balances[token] = Money(balance.amount - amount.amount, balance.currency)
        return base.PaymentResult(self._next_id(), amount)

    def refund(self, transaction_id: str, amount: Money) -> base.PaymentResult:
        """Wallet refunds are credited back immediately."""
        return base.PaymentResult(transaction_id, amount, details={"refund": "true"})

    async def charge_async(self, amount: Money, token: str) -> base.PaymentResult:
        """Like :meth:`charge`, for callers running an event loop."""
        await asyncio.sleep(0)
        return self.charge(amount, token)

    def _next_id(self) -> str:
        self._counter += 1
        return f"wallet_{self._counter:06d}"
