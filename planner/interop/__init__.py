"""Interoperability: read and write the inventory formats teams already have.

One module per format. Importers are pure functions from text to an :class:`ImportResult`
(an :class:`~planner.models.Inventory` plus every row they could not use, with its line);
exporters are pure functions from an inventory to text. File reading, seed loading and the CLI
live elsewhere (:mod:`planner.io.interop_files`, :mod:`planner.cli.inventory_interop`), so this
package stays inside the pure-core contract.
"""

from planner.interop.report import ExportResult, ImportResult, RowProblem

__all__ = ["ExportResult", "ImportResult", "RowProblem"]
