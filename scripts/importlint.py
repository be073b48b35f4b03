"""import-linter contract types of this project (pyproject.toml, [tool.importlinter]).

`production_layers` is import-linter's own layers contract applied to production code only: test
modules (any `tests` package, and `liaison.tests_security`) are taken out of the graph first,
because a test of a low app may drive the pages of the apps above it (the station page test
that shows the deputies assigned to it). Production code gets no exception at all.
"""

from __future__ import annotations

from typing import Any

from importlinter.contracts.layers import LayersContract


def is_test_module(name: str) -> bool:
    parts = name.split(".")
    return "tests" in parts or "tests_security" in parts or parts[-1] == "conftest"


class ProductionLayersContract(LayersContract):
    def check(self, graph: Any, verbose: bool) -> Any:
        # The graph is this contract's own copy (import-linter copies it for every contract).
        for module in sorted(graph.modules):
            if is_test_module(module) and module in graph.modules:
                graph.remove_module(module)
        return super().check(graph, verbose)
