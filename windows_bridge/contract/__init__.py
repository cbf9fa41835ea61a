"""What both sides share: message schemas, every shared-folder name, atomic I/O, signing, the config
file, prices on the tick, fees, market hours, log files and the version.

Owns the shared-folder contract. Imports nothing else of ours."""
