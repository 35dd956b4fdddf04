"""Tests of the cart and checkout (run with pytest from samples/python)."""

from decimal import Decimal

from shop import Cart, Checkout, DigitalProduct, PhysicalProduct
from shop.models import Money
from shop.payments import CardGateway, PaymentError


def eur(amount: str) -> Money:
    return Money(Decimal(amount), "EUR")


def make_cart() -> Cart:
    cart = Cart()
    cart.add(PhysicalProduct("MUG-1", "Blue Mug", eur("10.00"), weight_grams=350), 2)
    cart.add(DigitalProduct("EBOOK-7", "Python Tips", eur("5.00")))
    return cart


def test_total_includes_tax_and_shipping():
    cart = make_cart()
    # 2 x 10.00 + 20% tax = 24.00; 5.00 + 10% = 5.50; shipping 4.90.
    assert cart.total() == eur("34.40")


def test_adding_twice_sums_quantities():
    cart = Cart()
    mug = PhysicalProduct("MUG-1", "Blue Mug", eur("10.00"), weight_grams=350)
    cart.add(mug)
    cart.add(mug, 3)
    assert len(cart) == 4


class TestCheckout:
    """Checkout against the card gateway in sandbox mode."""

    def test_declined_card_raises(self):
        checkout = Checkout(CardGateway("key", sandbox=True))
        try:
            checkout.pay(make_cart(), "declined-0001")
        except PaymentError:
            return
        raise AssertionError("expected PaymentError")

    def test_order_numbers_increase(self):
        checkout = Checkout(CardGateway("key", sandbox=True))
        first = checkout.pay(make_cart(), "tok_1")
        second = checkout.pay(make_cart(), "tok_2")
        assert second.number == first.number + 1
