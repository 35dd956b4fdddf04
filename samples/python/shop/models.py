"""Catalogue models: money amounts and the product hierarchy."""

from dataclasses import dataclass
from decimal import Decimal

from .utils import round_money, slugify


@dataclass(frozen=True)
class Money:
    """An amount of money in one currency.

    Amounts are kept as :class:`~decimal.Decimal` and rounded to cents.
    """

    amount: Decimal
    currency: str = "EUR"

    def __add__(self, other: "Money") -> "Money":
        """Adds two amounts of the same currency."""
        if other.currency != self.currency:
            raise ValueError(f"cannot add {other.currency} to {self.currency}")
        return Money(round_money(self.amount + other.amount), self.currency)

    def times(self, factor: int) -> "Money":
        """Returns this amount multiplied by a whole number."""
        return Money(round_money(self.amount * factor), self.currency)


class Product:
    """Something the shop sells.

    Subclasses decide how the product is delivered and taxed.
    """

    tax_rate = Decimal("0.20")

    def __init__(self, sku: str, title: str, price: Money):
        self.sku = sku
        self.title = title
        self.price = price

    @property
    def slug(self) -> str:
        """The URL-friendly form of the title."""
        return slugify(self.title)

    def price_with_tax(self, quantity: int = 1) -> Money:
        """The gross price of `quantity` items, tax included."""
        net = self.price.times(quantity)
        return Money(round_money(net.amount * (1 + self.tax_rate)), net.currency)

    def is_shippable(self) -> bool:
        """Whether the product needs a parcel. Physical goods do."""
        return False

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self.sku!r})"


class PhysicalProduct(Product):
    """A product shipped in a parcel; shipping cost grows with weight."""

    def __init__(self, sku: str, title: str, price: Money, weight_grams: int):
        super().__init__(sku, title, price)
        self.weight_grams = weight_grams

    def is_shippable(self) -> bool:
        return True

    def shipping_cost(self) -> Money:
        """Flat 4.90 up to two kilograms, then 1.50 per started kilogram."""
        extra_kg = max(0, -(-(self.weight_grams - 2000) // 1000))
        return Money(Decimal("4.90") + Decimal("1.50") * extra_kg, self.price.currency)


class DigitalProduct(Product):
    """A product delivered as a download link."""

    tax_rate = Decimal("0.10")

    def download_url(self, base: str = "https://downloads.example.com") -> str:
        """Where the buyer downloads the product."""
        return f"{base}/{self.slug}"


class GiftCard(DigitalProduct):
    """A prepaid card; its value is spent like money at checkout."""

    tax_rate = Decimal("0")

    def __init__(self, sku: str, value: Money):
        super().__init__(sku, f"Gift card {value.amount} {value.currency}", value)
        self.balance = value

    def redeem(self, amount: Money) -> Money:
        """Takes `amount` off the balance and returns what is left."""
        if amount.amount > self.balance.amount:
            raise ValueError("gift card balance too low")
        self.balance = Money(self.balance.amount - amount.amount, amount.currency)
        return self.balance
