"""The simulated broker: fills against quotes, partial fills, rejections, T+1, lots, cash and fees.

Owns the simulated account (a persisted ledger). Imports the broker interface and the contract."""
