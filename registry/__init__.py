"""快递行业党建台账 core: domain rules, storage, services, I/O, reports and the command line (no Qt)."""

__version__ = "0.1.0"
