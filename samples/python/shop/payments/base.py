"""The payment gateway interface."""

import abc
from dataclasses import dataclass, field
from typing import Dict

from ..models import Money


class PaymentError(Exception):
    """Raised when a gateway declines or cannot reach its provider."""


@dataclass
class PaymentResult:
    """What a gateway reports for one charge or refund."""

    transaction_id: str
    amount: Money
    approved: bool = True
    details: Dict[str, str] = field(default_factory=dict)


class PaymentGateway(abc.ABC):
    """Takes money from a customer. Implementations talk to one provider each."""

    name = "abstract"

    @abc.abstractmethod
    def charge(self, amount: Money, token: str) -> PaymentResult:
        """Charges `amount` to the payment method behind `token`."""

    @abc.abstractmethod
    def refund(self, transaction_id: str, amount: Money) -> PaymentResult:
        """Returns `amount` of an earlier charge to the customer."""

    def supports(self, currency: str) -> bool:
        """Whether the gateway accepts `currency`; all of them by default."""
        return True
