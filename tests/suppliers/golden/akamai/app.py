"""Purge the cache."""
from akamai.edgegrid import EdgeGridAuth
