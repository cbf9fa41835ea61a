"""``miniqmt demo``: the whole chain (bridge → executor → engine/app) on the embedded sample.

Qt-free; imports like :mod:`miniqmt_gui.rehearsal`. :mod:`.layout` names the demo folder's paths,
:mod:`.prepare` writes the replay CSV, the
configs and the simulated account, :mod:`.supervisor` runs the processes, :mod:`.ledger_watch`
records every broker order and :mod:`.summary` builds the JSON summary. The engine runs as
``miniqmt run --headless --rehearsal`` (or the app as ``miniqmt gui --rehearsal``).
"""
