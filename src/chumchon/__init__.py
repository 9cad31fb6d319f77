"""Chumchon (ชุมชน): the platform for Thailand's community organisations and welfare funds."""

__version__ = "0.1.0"
