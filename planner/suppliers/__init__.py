"""Supplier exposure: every outside party that can cut the fleet off (DNS, CDN, SMS, stores ...)."""
