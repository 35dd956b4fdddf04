"""A small online shop: products, a cart, checkout and payment gateways.

The package re-exports its main classes, so callers can write
``from shop import Cart, PhysicalProduct``.
"""

from .models import DigitalProduct, GiftCard, Money, PhysicalProduct, Product
from .cart import Cart, CartItem
from .checkout import Checkout, Order

__all__ = [
    "Cart",
    "CartItem",
    "Checkout",
    "DigitalProduct",
    "GiftCard",
    "Money",
    "Order",
    "PhysicalProduct",
    "Product",
]

__version__ = "0.3.1"
