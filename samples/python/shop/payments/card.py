"""Credit card payments."""

import uuid

from .base import PaymentError, PaymentGateway, PaymentResult
from ..models import Money


class CardGateway(PaymentGateway):
    """Charges credit cards through a card processor."""

    name = "card"
    SUPPORTED = ("EUR", "USD", "GBP")

    def __init__(self, api_key: str, *, sandbox: bool = False):
        self.api_key = api_key
        self.sandbox = sandbox

    def charge(self, amount: Money, token: str) -> PaymentResult:
        """Charges the card behind `token`; tokens starting with 'declined' fail."""
        if not self.supports(amount.currency):
            raise PaymentError(f"card payments in {amount.currency} are not supported")
        if token.startswith("declined"):
            return PaymentResult(self._new_id(), amount, approved=False)
        return PaymentResult(self._new_id(), amount, details={"sandbox": str(self.sandbox)})

    def refund(self, transaction_id: str, amount: Money) -> PaymentResult:
        """Refunds a card charge."""
        return PaymentResult(transaction_id, amount, details={"refund": "true"})

    def supports(self, currency: str) -> bool:
        return currency in self.SUPPORTED

    @staticmethod
    def _new_id() -> str:
        return "card_" + uuid.uuid4().hex[:12]
