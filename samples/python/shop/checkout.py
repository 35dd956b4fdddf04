"""Checkout: turns a cart into a paid order."""

import logging
from dataclasses import dataclass
from typing import List, Optional

from .cart import Cart
from .models import GiftCard, Money
from .payments import PaymentError, PaymentGateway, PaymentResult

log = logging.getLogger(__name__)


@dataclass
class Order:
    """A paid cart."""

    number: int
    total: Money
    payment: PaymentResult


class Checkout:
    """Charges a cart through a gateway, optionally using gift cards first."""

    _next_number = 1000

    def __init__(self, gateway: PaymentGateway):
        self.gateway = gateway
        self.orders: List[Order] = []

    def pay(self, cart: Cart, token: str, gift_card: Optional[GiftCard] = None) -> Order:
        """Charges the cart total; raises PaymentError when the charge is declined."""
        if len(cart) == 0:
            raise ValueError("cannot check out an empty cart")
        due = cart.total()
        if gift_card is not None:
            due = self._apply_gift_card(gift_card, due)
        result = self.gateway.charge(due, token)
        if not result.approved:
            log.warning("payment declined: %s", result.transaction_id)
            raise PaymentError("payment declined")
        order = Order(self.next_number(), due, result)
        self.orders.append(order)
        return order

    @staticmethod
    def _apply_gift_card(card: GiftCard, due: Money) -> Money:
        """Spends as much of the gift card as possible; returns what is still due."""
        used = min(card.balance.amount, due.amount)
        card.redeem(Money(used, due.currency))
        return Money(due.amount - used, due.currency)

    @classmethod
    def next_number(cls) -> int:
        """Hands out increasing order numbers."""
        cls._next_number += 1
        return cls._next_number
