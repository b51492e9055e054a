"""exitplan: could you leave your cloud tomorrow?

The import package is ``planner``; the distribution and command are ``exitplan``.
"""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("exitplan")
except PackageNotFoundError:  # running from a checkout without installation
    __version__ = "0.0.0+checkout"
