"""Annotated source: imports, bases, calls and docstrings (format: tests/ingest/README.md)."""

import os.path as osp
# ^ reference.import os.path
from .models import Product, Money as M
# ^ reference.import models.Product
# ^ reference.import models.Money


class Cart(Product, metaclass=abc.ABCMeta):
#     ^ definition.class Cart
#          ^ reference.base Product
#     ^ doc A cart of products.
    """A cart of products."""

    def total(self):
#       ^ definition.method Cart.total
#       ^ doc Sum of the prices.
        """Sum of the prices.

        Details.
        """
        return M(osp.join("a", "b")) + self.shipping()
#              ^ reference.call M
#                ^ reference.call osp.join
#                                      ^ reference.call self.shipping
