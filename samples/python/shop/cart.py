"""The shopping cart."""

from collections import OrderedDict
from decimal import Decimal
from typing import Dict, Iterator, Optional

from .models import Money, PhysicalProduct, Product
from .utils import format_price


class CartItem:
    """One line of a cart: a product and how many of it."""

    def __init__(self, product: Product, quantity: int = 1):
        self.product = product
        self.quantity = quantity

    def subtotal(self) -> Money:
        """The gross price of this line."""
        return self.product.price_with_tax(self.quantity)


class Cart:
    """The products a customer intends to buy, keyed by SKU."""

    def __init__(self, currency: str = "EUR"):
        self.currency = currency
        self._items: Dict[str, CartItem] = OrderedDict()

    def add(self, product: Product, quantity: int = 1) -> CartItem:
        """Adds `quantity` of `product`; adding a product twice sums the quantities."""
        if quantity < 1:
            raise ValueError("quantity must be at least 1")
        item = self._items.get(product.sku)
        if item is None:
            item = self._items[product.sku] = CartItem(product, 0)
        item.quantity += quantity
        return item

    def remove(self, sku: str) -> Optional[CartItem]:
        """Removes a line; returns it, or None when the SKU was not in the cart."""
        return self._items.pop(sku, None)

    def __iter__(self) -> Iterator[CartItem]:
        return iter(self._items.values())

    def __len__(self) -> int:
        return sum(item.quantity for item in self._items.values())

    def total(self) -> Money:
        """The gross total of all lines plus shipping."""
        total = Money(Decimal("0"), self.currency)
        for item in self:
            total = total + item.subtotal()
        return total + self.shipping()

    def shipping(self) -> Money:
        """Shipping for the heaviest physical product; digital goods ship free."""
        costs = [
            item.product.shipping_cost()
            for item in self
            if isinstance(item.product, PhysicalProduct)
        ]
        if not costs:
            return Money(Decimal("0"), self.currency)
        return max(costs, key=lambda m: m.amount)

    def summary(self) -> str:
        """A one-line human-readable summary."""
        return f"{len(self)} items, {format_price(self.total().amount, self.currency)}"
