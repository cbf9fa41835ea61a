"""Qt-free core: strategy rules, backtester and live engine. Must never import Qt."""
