"""Push notifications (WeCom, DingTalk, Feishu, ServerChan, e-mail, Telegram… through apprise), Qt-free.

Owns turning engine events and link health into alerts, rate-limiting them, sending them on a
background thread (sending never blocks trading) and keeping the service URLs, which carry tokens,
in the OS keyring. May import ``miniqmt_gui.live`` (events) and ``windows_bridge.contract``.
"""
