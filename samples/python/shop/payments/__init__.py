"""Payment gateways behind one interface, :class:`PaymentGateway`."""

from .base import PaymentError, PaymentGateway, PaymentResult
from .card import CardGateway
from .wallet import WalletGateway

__all__ = ["CardGateway", "PaymentError", "PaymentGateway", "PaymentResult", "WalletGateway"]
