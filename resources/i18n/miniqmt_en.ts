<?xml version='1.0' encoding='utf-8'?>
<TS version="2.1" language="en_US" sourcelanguage="zh_CN">
<context>
    <name>AccountPanel</name>
    <message>
        <location filename="../../miniqmt_gui/ui/account_panel.py" line="49" />
        <location filename="../../miniqmt_gui/ui/account_panel.py" line="64" />
        <source>券商账户</source>
        <extracomment>the widest money the panels show (the column is sized for it before any data arrives)</extracomment>
        <translation>Broker account</translation>
    </message>
    <message>
        <location filename="../../miniqmt_gui/ui/account_panel.py" line="52" />
        <source>可用资金</source>
        <translation>Cash</translation>
    </message>
    <message>
        <location filename="../../miniqmt_gui/ui/account_panel.py" line="52" />
        <source>冻结资金</source>
        <translation>Frozen</translation>
    </message>
    <message>
        <location filename="../../miniqmt_gui/ui/account_panel.py" line="53" />
        <source>持仓市值</source>
        <translation>Mkt value</translation>
    </message>
    <message>
        <location filename="../../miniqmt_gui/ui/account_panel.py" line="53" />
        <source>总资产</source>
        <translation>Total</translation>
    </message>
    <message>
        <location filename="../../miniqmt_gui/ui/account_panel.py" line="54" />
        <source>持仓（股）</source>
        <translation>Position</translation>
    </message>
    <message>
        <location filename="../../miniqmt_gui/ui/account_panel.py" line="54" />
        <source>可卖（T+1）</source>
        <translation>Sellable</translation>
    </message>
    <message>
        <location filename="../../miniqmt_gui/ui/account_panel.py" line="55" />
        <source>成本价</source>
        <translation>Avg cost</translation>
    </message>
    <message>
        <location filename="../../miniqmt_gui/ui/account_panel.py" line="55" />
        <source>持仓盈亏</source>
        <translation>P/L</translation>
    </message>
    <message>
        <location filename="../../miniqmt_gui/ui/account_panel.py" line="64" />
        <source>模拟账户（模拟盘）</source>
        <translation>Simulated account</translation>
    </message>
    <message>
        <location filename="../../miniqmt_gui/ui/account_panel.py" line="75" />
        <source>查询失败</source>
        <translation>query failed</translation>
    </message>
</context>
<context>
    <name>BacktestCharts</name>
    <message>
        <location filename="../../miniqmt_gui/ui/backtest_charts.py" line="41" />
        <source>价格与成交</source>
        <translation>Price and trades</translation>
    </message>
    <message>
        <location filename="../../miniqmt_gui/ui/backtest_charts.py" line="42" />
        <source>收益 (元)：Alpha / Beta / 合计</source>
        <translation>P&amp;L (CNY): Alpha / Beta / total</translation>
    </message>
    <message>
        <location filename="../../miniqmt_gui/ui/backtest_charts.py" line="43" />
        <source>Alpha 回撤 (%)</source>
        <translation>Alpha drawdown (%)</translation>
    </message>
    <message>
        <location filename="../../miniqmt_gui/ui/backtest_charts.py" line="56" />
        <source>合计</source>
        <translation>Total</translation>
    </message>
</context>
<context>
    <name>BacktestPanels</name>
    <message>
        <location filename="../../miniqmt_gui/ui/backtest_panels.py" line="31" />
        <source>交易次数</source>
        <translation>Trades</translation>
    </message>
    <message>
        <location filename="../../miniqmt_gui/ui/backtest_panels.py" line="32" />
        <source>买入 / 卖出</source>
        <translation>Buys / sells</translation>
    </message>
    <message>
        <location filename="../../miniqmt_gui/ui/backtest_panels.py" line="33" />
        <source>Alpha 净利润 (元)</source>
        <translation>Alpha net profit (CNY)</translation>
    </message>
    <message>
        <location filename="../../miniqmt_gui/ui/backtest_panels.py" line="34" />
        <source>Beta 底仓盈亏 (元)</source>
        <translation>Beta base position P&amp;&amp;L (CNY)</translation>
    </message>
    <message>
        <location filename="../../miniqmt_gui/ui/backtest_panels.py" line="35" />
        <source>合计 (元)</source>
        <translation>Total (CNY)</translation>
    </message>
    <message>
        <location filename="../../miniqmt_gui/ui/backtest_panels.py" line="36" />
        <source>Alpha 最大回撤</source>
        <translation>Alpha max drawdown</translation>
    </message>
    <message>
        <location filename="../../miniqmt_gui/ui/backtest_panels.py" line="37" />
        <source>Alpha 年化 (自然日)</source>
        <translation>Alpha annualised (calendar)</translation>
    </message>
    <message>
        <location filename="../../miniqmt_gui/ui/backtest_panels.py" line="38" />
        <source>Alpha 年化 (持仓日)</source>
        <translation>Alpha annualised (days holding)</translation>
    </message>
    <message>
        <location filename="../../miniqmt_gui/ui/backtest_panels.py" line="39" />
        <source>资金利用率</source>
        <translation>Capital utilisation</translation>
    </message>
    <message>
        <location filename="../../miniqmt_gui/ui/backtest_panels.py" line="40" />
        <source>满 9 层次数</source>
        <translation>Reached 9 layers</translation>
    </message>
    <message>
        <location filename="../../miniqmt_gui/ui/backtest_panels.py" line="41" />
        <source>满仓周期 / 亏损</source>
        <translation>9-layer cycles / losing</translation>
    </message>
    <message>
        <location filename="../../miniqmt_gui/ui/backtest_panels.py" line="42" />
        <source>夏普比率</source>
        <translation>Sharpe ratio</translation>
    </message>
    <message>
        <location filename="../../miniqmt_gui/ui/backtest_panels.py" line="43" />
        <source>胜率</source>
        <translation>Win rate</translation>
    </message>
    <message>
        <location filename="../../miniqmt_gui/ui/backtest_panels.py" line="44" />
        <source>手续费 (元)</source>
        <translation>Fees (CNY)</translation>
    </message>
    <message>
        <location filename="../../miniqmt_gui/ui/backtest_panels.py" line="45" />
        <source>K 线数</source>
        <translation>Bars</translation>
    </message>
    <message>
        <location filename="../../miniqmt_gui/ui/backtest_panels.py" line="46" />
        <source>逐根回测耗时</source>
        <translation>Bar loop time</translation>
    </message>
    <message>
        <location filename="../../miniqmt_gui/ui/backtest_panels.py" line="68" />
        <source>回测指标</source>
        <translation>Metrics</translation>
    </message>
    <message>
        <location filename="../../miniqmt_gui/ui/backtest_panels.py" line="102" />
        <source>买入</source>
        <translation>Buy</translation>
    </message>
    <message>
        <location filename="../../miniqmt_gui/ui/backtest_panels.py" line="103" />
        <source>卖出</source>
        <translation>Sell</translation>
    </message>
    <message>
        <location filename="../../miniqmt_gui/ui/backtest_panels.py" line="116" />
        <source>时间</source>
        <translation>Time</translation>
    </message>
    <message>
        <location filename="../../miniqmt_gui/ui/backtest_panels.py" line="117" />
        <source>方向</source>
        <translation>Side</translation>
    </message>
    <message>
        <location filename="../../miniqmt_gui/ui/backtest_panels.py" line="118" />
        <source>层</source>
        <translation>L</translation>
    </message>
    <message>
        <location filename="../../miniqmt_gui/ui/backtest_panels.py" line="119" />
        <source>股数</source>
        <translation>Shares</translation>
    </message>
    <message>
        <location filename="../../miniqmt_gui/ui/backtest_panels.py" line="120" />
        <source>价格</source>
        <translation>Price</translation>
    </message>
    <message>
        <location filename="../../miniqmt_gui/ui/backtest_panels.py" line="121" />
        <source>手续费</source>
        <translation>Fees</translation>
    </message>
    <message>
        <location filename="../../miniqmt_gui/ui/backtest_panels.py" line="122" />
        <source>盈亏 (元)</source>
        <translation>P&amp;L (CNY)</translation>
    </message>
    <message>
        <location filename="../../miniqmt_gui/ui/backtest_panels.py" line="124" />
        <source>原因</source>
        <translation>Reason</translation>
    </message>
    <message>
        <location filename="../../miniqmt_gui/ui/backtest_panels.py" line="132" />
        <source>网格买入</source>
        <translation>grid buy</translation>
    </message>
    <message>
        <location filename="../../miniqmt_gui/ui/backtest_panels.py" line="133" />
        <source>止盈卖出</source>
        <translation>take-profit sell</translation>
    </message>
    <message>
        <location filename="../../miniqmt_gui/ui/backtest_panels.py" line="134" />
        <source>浮亏止损</source>
        <translation>Float-loss stop</translation>
    </message>
</context>
<context>
    <name>BacktestRunner</name>
    <message>
        <location filename="../../miniqmt_gui/ui/backtest_runner.py" line="119" />
        <source>回测进程意外退出</source>
        <translation>The backtest process exited unexpectedly</translation>
    </message>
</context>
<context>
    <name>BacktestView</name>
    <message>
        <location filename="../../miniqmt_gui/ui/backtest_view.py" line="85" />
        <source>内置样本（合成数据）</source>
        <translation>Built-in sample (synthetic)</translation>
    </message>
    <message>
        <location filename="../../miniqmt_gui/ui/backtest_view.py" line="85" />
        <source>CSV 文件</source>
        <translation>CSV file</translation>
    </message>
    <message>
        <location filename="../../miniqmt_gui/ui/backtest_view.py" line="87" />
        <source>1 分钟 K 线 CSV：datetime,open,high,low,close[,volume]</source>
        <translation>1-minute bars CSV: datetime,open,high,low,close[,volume]</translation>
    </message>
    <message>
        <location filename="../../miniqmt_gui/ui/backtest_view.py" line="88" />
        <source>浏览…</source>
        <translation>Browse…</translation>
    </message>
    <message>
        <location filename="../../miniqmt_gui/ui/backtest_view.py" line="91" />
        <source>参数…</source>
        <translation>Parameters…</translation>
    </message>
    <message>
        <location filename="../../miniqmt_gui/ui/backtest_view.py" line="93" />
        <source>收盘价成交 (close，原方案)</source>
        <translation>Fill at close (close, the original plan)</translation>
    </message>
    <message>
        <location filename="../../miniqmt_gui/ui/backtest_view.py" line="94" />
        <source>真实成交 (realistic：次开盘+滑点、T+1、资金)</source>
        <translation>Realistic (next open + slippage, T+1, cash)</translation>
    </message>
    <message>
        <location filename="../../miniqmt_gui/ui/backtest_view.py" line="95" />
        <source>开始回测</source>
        <translation>Run backtest</translation>
    </message>
    <message>
        <location filename="../../miniqmt_gui/ui/backtest_view.py" line="97" />
        <source>取消</source>
        <translation>Cancel</translation>
    </message>
    <message>
        <location filename="../../miniqmt_gui/ui/backtest_view.py" line="99" />
        <source>导出报告…</source>
        <translation>Export report…</translation>
    </message>
    <message>
        <location filename="../../miniqmt_gui/ui/backtest_view.py" line="104" />
        <source>就绪</source>
        <translation>Ready</translation>
    </message>
    <message>
        <location filename="../../miniqmt_gui/ui/backtest_view.py" line="108" />
        <source>回测设置</source>
        <translation>Backtest settings</translation>
    </message>
    <message>
        <location filename="../../miniqmt_gui/ui/backtest_view.py" line="110" />
        <source>数据</source>
        <translation>Data</translation>
    </message>
    <message>
        <location filename="../../miniqmt_gui/ui/backtest_view.py" line="118" />
        <source>预设</source>
        <translation>Preset</translation>
    </message>
    <message>
        <location filename="../../miniqmt_gui/ui/backtest_view.py" line="119" />
        <source>成交模型</source>
        <translation>Fill model</translation>
    </message>
    <message>
        <location filename="../../miniqmt_gui/ui/backtest_view.py" line="157" />
        <source>回测结果</source>
        <translation>Backtest results</translation>
    </message>
    <message>
        <location filename="../../miniqmt_gui/ui/backtest_view.py" line="158" />
        <source>参数稳健性</source>
        <translation>Robustness</translation>
    </message>
    <message>
        <location filename="../../miniqmt_gui/ui/backtest_view.py" line="203" />
        <source>选择 K 线数据</source>
        <translation>Choose bar data</translation>
    </message>
    <message>
        <location filename="../../miniqmt_gui/ui/backtest_view.py" line="204" />
        <source>K 线 CSV (*.csv *.csv.gz);;所有文件 (*)</source>
        <translation>Bar CSV (*.csv *.csv.gz);;All files (*)</translation>
    </message>
    <message>
        <location filename="../../miniqmt_gui/ui/backtest_view.py" line="230" />
        <source>请先选择 CSV 文件，或改用内置样本</source>
        <translation>Choose a CSV file first, or use the built-in sample</translation>
    </message>
    <message>
        <location filename="../../miniqmt_gui/ui/backtest_view.py" line="249" />
        <source>启动回测进程…</source>
        <translation>Starting the backtest process…</translation>
    </message>
    <message>
        <location filename="../../miniqmt_gui/ui/backtest_view.py" line="254" />
        <source>报告保存到</source>
        <translation>Save the report in</translation>
    </message>
    <message>
        <location filename="../../miniqmt_gui/ui/backtest_view.py" line="270" />
        <source>读取数据</source>
        <translation>Reading data</translation>
    </message>
    <message>
        <location filename="../../miniqmt_gui/ui/backtest_view.py" line="270" />
        <source>计算指标</source>
        <translation>Computing indicators</translation>
    </message>
    <message>
        <location filename="../../miniqmt_gui/ui/backtest_view.py" line="271" />
        <source>逐根 K 线回测</source>
        <translation>Simulating bar by bar</translation>
    </message>
    <message>
        <location filename="../../miniqmt_gui/ui/backtest_view.py" line="271" />
        <source>生成报告</source>
        <translation>Writing the report</translation>
    </message>
    <message>
        <location filename="../../miniqmt_gui/ui/backtest_view.py" line="272" />
        <source>完成</source>
        <translation>Done</translation>
    </message>
    <message>
        <location filename="../../miniqmt_gui/ui/backtest_view.py" line="277" />
        <source>（首次运行：正在准备编译代码，只需一次）</source>
        <translation> (first run: preparing compiled code, only once)</translation>
    </message>
    <message>
        <location filename="../../miniqmt_gui/ui/backtest_view.py" line="283" />
        <source>报告已导出到 %1</source>
        <translation>Report written: %1</translation>
    </message>
    <message>
        <location filename="../../miniqmt_gui/ui/backtest_view.py" line="293" />
        <source>内置合成样本</source>
        <translation>built-in synthetic sample</translation>
    </message>
    <message>
        <location filename="../../miniqmt_gui/ui/backtest_view.py" line="297" />
        <source>回测完成：%1，%2 根 K 线，%3 笔交易；总耗时 %4 s（含启动与读取，逐根回测 %5 ms）</source>
        <translation>Backtest done: %1, %2 bars, %3 trades; total %4 s (start-up and loading included; bar loop %5 ms)</translation>
    </message>
    <message>
        <location filename="../../miniqmt_gui/ui/backtest_view.py" line="324" />
        <location filename="../../miniqmt_gui/ui/backtest_view.py" line="325" />
        <source>回测失败：</source>
        <translation>Backtest failed: </translation>
    </message>
    <message>
        <location filename="../../miniqmt_gui/ui/backtest_view.py" line="329" />
        <source>回测已取消</source>
        <translation>Backtest cancelled</translation>
    </message>
</context>
<context>
    <name>BookReconcileDialog</name>
    <message>
        <location filename="../../miniqmt_gui/ui/book_dialogs.py" line="42" />
        <source>核对账本与券商持仓</source>
        <translation>Reconcile the book with the broker</translation>
    </message>
    <message>
        <location filename="../../miniqmt_gui/ui/book_dialogs.py" line="47" />
        <source>券商持仓 %1 股（成本价 %2），其中底仓 %3 股；账本层仓 %4 股。

两者不一致，新的买入已暂停（卖出照常）。
「采用券商持仓」：把券商的网格部分（%5 股）按成本价记为层仓。
「保持暂停」：先自行核对（例如在 QMT 中查看成交），稍后再处理。</source>
        <translation>The broker holds %1 shares (avg cost %2), of which %3 are the base; the book's lots hold %4 shares.

They disagree, so new buys are paused (sells continue).
"Adopt the broker's position": book the broker's grid part (%5 shares) as lots at its average cost.
"Keep paused": check first (e.g. the fills in QMT) and decide later.</translation>
    </message>
    <message>
        <location filename="../../miniqmt_gui/ui/book_dialogs.py" line="52" />
        <source>未设置</source>
        <translation>not set</translation>
    </message>
    <message>
        <location filename="../../miniqmt_gui/ui/book_dialogs.py" line="57" />
        <source>采用券商持仓</source>
        <translation>Adopt the broker's position</translation>
    </message>
    <message>
        <location filename="../../miniqmt_gui/ui/book_dialogs.py" line="59" />
        <source>保持暂停</source>
        <translation>Keep paused</translation>
    </message>
</context>
<context>
    <name>ControlBar</name>
    <message>
        <location filename="../../miniqmt_gui/ui/controls.py" line="34" />
        <source>控制</source>
        <translation>Controls</translation>
    </message>
    <message>
        <location filename="../../miniqmt_gui/ui/controls.py" line="39" />
        <source>启动</source>
        <translation>Start</translation>
    </message>
    <message>
        <location filename="../../miniqmt_gui/ui/controls.py" line="40" />
        <source>停止</source>
        <translation>Stop</translation>
    </message>
    <message>
        <location filename="../../miniqmt_gui/ui/controls.py" line="41" />
        <source>只卖不买</source>
        <translation>Sell only</translation>
    </message>
    <message>
        <location filename="../../miniqmt_gui/ui/controls.py" line="42" />
        <source>紧急熔断</source>
        <translation>Emergency halt</translation>
    </message>
    <message>
        <location filename="../../miniqmt_gui/ui/controls.py" line="43" />
        <source>恢复</source>
        <translation>Resume</translation>
    </message>
    <message>
        <location filename="../../miniqmt_gui/ui/controls.py" line="54" />
        <source>模拟</source>
        <translation>Simulate</translation>
    </message>
    <message>
        <location filename="../../miniqmt_gui/ui/controls.py" line="57" />
        <source>模拟盘：在本机按实时行情撮合，不向执行端发单；仅在停止时可切换</source>
        <translation>Simulation: orders fill on this computer against live quotes, nothing goes to the executor; switch only while stopped</translation>
    </message>
    <message>
        <location filename="../../miniqmt_gui/ui/controls.py" line="63" />
        <source>策略参数</source>
        <translation>Parameters</translation>
    </message>
    <message>
        <location filename="../../miniqmt_gui/ui/controls.py" line="64" />
        <source>设置</source>
        <translation>Settings</translation>
    </message>
    <message>
        <location filename="../../miniqmt_gui/ui/controls.py" line="80" />
        <source>演示 · 模拟券商</source>
        <translation>DEMO · simulated broker</translation>
    </message>
    <message>
        <location filename="../../miniqmt_gui/ui/controls.py" line="83" />
        <source>模拟盘</source>
        <translation>SIMULATED</translation>
    </message>
    <message>
        <location filename="../../miniqmt_gui/ui/controls.py" line="83" />
        <source>实盘</source>
        <translation>LIVE</translation>
    </message>
</context>
<context>
    <name>DaySettingsSection</name>
    <message>
        <location filename="../../miniqmt_gui/ui/day_settings.py" line="92" />
        <source> 条/分钟</source>
        <translation> per minute</translation>
    </message>
    <message>
        <location filename="../../miniqmt_gui/ui/day_settings.py" line="93" />
        <source>发送测试</source>
        <translation>Send test</translation>
    </message>
    <message>
        <location filename="../../miniqmt_gui/ui/day_settings.py" line="94" />
        <source>密钥保存在：</source>
        <translation>Secrets kept in: </translation>
    </message>
    <message>
        <location filename="../../miniqmt_gui/ui/day_settings.py" line="96" />
        <source>开启手机查看（只读网页，仅限局域网，需令牌）</source>
        <translation>Phone view (read-only web page, LAN only, token needed)</translation>
    </message>
    <message>
        <location filename="../../miniqmt_gui/ui/day_settings.py" line="101" />
        <source>显示二维码</source>
        <translation>Show QR code</translation>
    </message>
    <message>
        <location filename="../../miniqmt_gui/ui/day_settings.py" line="111" />
        <source>推送通知（企业微信、钉钉、飞书、Server酱、邮件、Telegram…）</source>
        <translation>Push alerts (WeCom, DingTalk, Feishu, ServerChan, e-mail, Telegram…)</translation>
    </message>
    <message>
        <location filename="../../miniqmt_gui/ui/day_settings.py" line="113" />
        <source>通知地址（每行一个）</source>
        <translation>Alert URLs (one per line)</translation>
    </message>
    <message>
        <location filename="../../miniqmt_gui/ui/day_settings.py" line="117" />
        <source>推送内容</source>
        <translation>What to push</translation>
    </message>
    <message>
        <location filename="../../miniqmt_gui/ui/day_settings.py" line="122" />
        <source>频率上限</source>
        <translation>Rate limit</translation>
    </message>
    <message>
        <location filename="../../miniqmt_gui/ui/day_settings.py" line="125" />
        <source>手机查看</source>
        <translation>Phone view</translation>
    </message>
    <message>
        <location filename="../../miniqmt_gui/ui/day_settings.py" line="132" />
        <source>端口</source>
        <translation>Port</translation>
    </message>
    <message>
        <location filename="../../miniqmt_gui/ui/day_settings.py" line="141" />
        <source>发送中…</source>
        <translation>Sending…</translation>
    </message>
    <message>
        <location filename="../../miniqmt_gui/ui/day_settings.py" line="150" />
        <source>✓ 测试消息已发送</source>
        <translation>✓ test message sent</translation>
    </message>
    <message>
        <location filename="../../miniqmt_gui/ui/day_settings.py" line="153" />
        <source>✗ 发送失败：</source>
        <translation>✗ sending failed: </translation>
    </message>
</context>
<context>
    <name>FillsModel</name>
    <message>
        <location filename="../../miniqmt_gui/ui/orders_panel.py" line="133" />
        <source>回报时间</source>
        <translation>Reported</translation>
    </message>
    <message>
        <location filename="../../miniqmt_gui/ui/orders_panel.py" line="134" />
        <source>方向</source>
        <translation>Side</translation>
    </message>
    <message>
        <location filename="../../miniqmt_gui/ui/orders_panel.py" line="134" />
        <source>买入</source>
        <translation>Buy</translation>
    </message>
    <message>
        <location filename="../../miniqmt_gui/ui/orders_panel.py" line="134" />
        <source>卖出</source>
        <translation>Sell</translation>
    </message>
    <message>
        <location filename="../../miniqmt_gui/ui/orders_panel.py" line="136" />
        <source>层</source>
        <translation>L</translation>
    </message>
    <message>
        <location filename="../../miniqmt_gui/ui/orders_panel.py" line="137" />
        <source>成交量</source>
        <translation>Volume</translation>
    </message>
    <message>
        <location filename="../../miniqmt_gui/ui/orders_panel.py" line="138" />
        <source>成交均价</source>
        <translation>Avg price</translation>
    </message>
    <message>
        <location filename="../../miniqmt_gui/ui/orders_panel.py" line="139" />
        <source>成交额</source>
        <translation>Turnover</translation>
    </message>
    <message>
        <location filename="../../miniqmt_gui/ui/orders_panel.py" line="140" />
        <source>手续费</source>
        <translation>Fees</translation>
    </message>
    <message>
        <location filename="../../miniqmt_gui/ui/orders_panel.py" line="141" />
        <source>委托编号</source>
        <translation>Order no.</translation>
    </message>
    <message>
        <location filename="../../miniqmt_gui/ui/orders_panel.py" line="142" />
        <source>信号</source>
        <translation>Signal</translation>
    </message>
</context>
<context>
    <name>InstrumentModel</name>
    <message>
        <location filename="../../miniqmt_gui/ui/instrument_model.py" line="115" />
        <source>运行中</source>
        <extracomment>what the row's book ties up in the pool (None: ``cost``; more while a sell is pending) what the books tie up in the pool (the lots' cost, plus a pending sell's lots until its result)</extracomment>
        <translation>Running</translation>
    </message>
    <message>
        <location filename="../../miniqmt_gui/ui/instrument_model.py" line="116" />
        <source>已停止</source>
        <translation>Stopped</translation>
    </message>
    <message>
        <location filename="../../miniqmt_gui/ui/instrument_model.py" line="117" />
        <source>只卖不买</source>
        <translation>Sell only</translation>
    </message>
    <message>
        <location filename="../../miniqmt_gui/ui/instrument_model.py" line="118" />
        <source>已熔断</source>
        <translation>Halted</translation>
    </message>
    <message>
        <location filename="../../miniqmt_gui/ui/instrument_model.py" line="120" />
        <source>代码</source>
        <translation>Code</translation>
    </message>
    <message>
        <location filename="../../miniqmt_gui/ui/instrument_model.py" line="121" />
        <source>名称</source>
        <translation>Name</translation>
    </message>
    <message>
        <location filename="../../miniqmt_gui/ui/instrument_model.py" line="122" />
        <source>最新价</source>
        <translation>Last</translation>
    </message>
    <message>
        <location filename="../../miniqmt_gui/ui/instrument_model.py" line="123" />
        <source>涨跌幅</source>
        <translation>Change</translation>
    </message>
    <message>
        <location filename="../../miniqmt_gui/ui/instrument_model.py" line="124" />
        <source>持有层数</source>
        <translation>Layers held</translation>
    </message>
    <message>
        <location filename="../../miniqmt_gui/ui/instrument_model.py" line="125" />
        <source>今日盈亏</source>
        <translation>Today's P&amp;L</translation>
    </message>
    <message>
        <location filename="../../miniqmt_gui/ui/instrument_model.py" line="126" />
        <source>状态</source>
        <translation>State</translation>
    </message>
    <message>
        <location filename="../../miniqmt_gui/ui/instrument_model.py" line="146" />
        <source> · 委托中</source>
        <translation> · order out</translation>
    </message>
</context>
<context>
    <name>InstrumentPanel</name>
    <message>
        <location filename="../../miniqmt_gui/ui/instrument_panel.py" line="55" />
        <source>全部启动</source>
        <translation>Start all</translation>
    </message>
    <message>
        <location filename="../../miniqmt_gui/ui/instrument_panel.py" line="56" />
        <source>全部停止</source>
        <translation>Stop all</translation>
    </message>
    <message>
        <location filename="../../miniqmt_gui/ui/instrument_panel.py" line="90" />
        <source>资金池 %1，可用 %2（保留 %3），占用 %4</source>
        <translation>pool %1, free %2 (reserve %3), in use %4</translation>
    </message>
    <message>
        <location filename="../../miniqmt_gui/ui/instrument_panel.py" line="93" />
        <source>组合：网格持仓市值 %1 · 今日盈亏 %2 · </source>
        <translation>Portfolio: grid lots %1 · today %2 · </translation>
    </message>
    <message>
        <location filename="../../miniqmt_gui/ui/instrument_panel.py" line="98" />
        <source>可用资金低于保留额：不再开新的第一层，卖出照常</source>
        <translation>Free cash below the reserve: no new first layers; sells as usual</translation>
    </message>
</context>
<context>
    <name>LayerModel</name>
    <message>
        <location filename="../../miniqmt_gui/ui/layer_model.py" line="85" />
        <source>层</source>
        <extracomment>the market's day: lots bought today show their time, older ones their date (with the year)</extracomment>
        <translation>L</translation>
    </message>
    <message>
        <location filename="../../miniqmt_gui/ui/layer_model.py" line="85" />
        <source>状态</source>
        <translation>State</translation>
    </message>
    <message>
        <location filename="../../miniqmt_gui/ui/layer_model.py" line="85" />
        <source>股数</source>
        <translation>Shares</translation>
    </message>
    <message>
        <location filename="../../miniqmt_gui/ui/layer_model.py" line="85" />
        <source>买入价</source>
        <translation>Buy</translation>
    </message>
    <message>
        <location filename="../../miniqmt_gui/ui/layer_model.py" line="86" />
        <source>止盈价</source>
        <translation>Target</translation>
    </message>
    <message>
        <location filename="../../miniqmt_gui/ui/layer_model.py" line="86" />
        <source>浮动盈亏</source>
        <translation>Float P/L</translation>
    </message>
    <message>
        <location filename="../../miniqmt_gui/ui/layer_model.py" line="86" />
        <source>买入时间</source>
        <translation>Bought</translation>
    </message>
    <message>
        <location filename="../../miniqmt_gui/ui/layer_model.py" line="90" />
        <source>空</source>
        <translation>Empty</translation>
    </message>
    <message>
        <location filename="../../miniqmt_gui/ui/layer_model.py" line="90" />
        <source>买入中</source>
        <translation>Buying</translation>
    </message>
    <message>
        <location filename="../../miniqmt_gui/ui/layer_model.py" line="91" />
        <source>持有</source>
        <translation>Held</translation>
    </message>
    <message>
        <location filename="../../miniqmt_gui/ui/layer_model.py" line="91" />
        <source>卖出中</source>
        <translation>Selling</translation>
    </message>
    <message>
        <location filename="../../miniqmt_gui/ui/layer_model.py" line="131" />
        <source>L%1 成本 %2 元（含手续费），买入 %3，信号 %4</source>
        <translation>L%1 cost %2 CNY (fees included), bought %3, signal %4</translation>
    </message>
    <message>
        <location filename="../../miniqmt_gui/ui/layer_model.py" line="165" />
        <source>合计</source>
        <translation>Total</translation>
    </message>
    <message>
        <location filename="../../miniqmt_gui/ui/layer_model.py" line="175" />
        <source>层仓成本合计 %1 元</source>
        <translation>Total cost of the lots: %1 CNY</translation>
    </message>
</context>
<context>
    <name>LayerPanel</name>
    <message>
        <location filename="../../miniqmt_gui/ui/layer_panel.py" line="38" />
        <source>层仓（账本）</source>
        <extracomment>the widest text each column shows (the table's widths come from these, not from the rows on show) the trader asked for a manual action: "sell", "cancel", "edit" or "reconcile"</extracomment>
        <translation>Layers (book)</translation>
    </message>
    <message>
        <location filename="../../miniqmt_gui/ui/layer_panel.py" line="52" />
        <source>合计</source>
        <translation>Total</translation>
    </message>
    <message>
        <location filename="../../miniqmt_gui/ui/layer_panel.py" line="56" />
        <location filename="../../miniqmt_gui/ui/layer_panel.py" line="101" />
        <source>券商持仓：等待行情</source>
        <translation>Broker position: waiting for quotes</translation>
    </message>
    <message>
        <location filename="../../miniqmt_gui/ui/layer_panel.py" line="62" />
        <source>手动卖出选中层</source>
        <translation>Sell selected layer</translation>
    </message>
    <message>
        <location filename="../../miniqmt_gui/ui/layer_panel.py" line="62" />
        <source>撤单</source>
        <translation>Cancel order</translation>
    </message>
    <message>
        <location filename="../../miniqmt_gui/ui/layer_panel.py" line="63" />
        <source>修正层仓…</source>
        <translation>Correct lots…</translation>
    </message>
    <message>
        <location filename="../../miniqmt_gui/ui/layer_panel.py" line="63" />
        <source>核对券商持仓…</source>
        <translation>Reconcile…</translation>
    </message>
    <message>
        <location filename="../../miniqmt_gui/ui/layer_panel.py" line="99" />
        <source>账本层仓 %1 股</source>
        <translation>book lots %1</translation>
    </message>
    <message>
        <location filename="../../miniqmt_gui/ui/layer_panel.py" line="105" />
        <source>⚠ 券商持仓查询失败（不视为空仓）</source>
        <translation>⚠ broker position query failed (not treated as flat)</translation>
    </message>
    <message>
        <location filename="../../miniqmt_gui/ui/layer_panel.py" line="109" />
        <source>模拟账户持仓</source>
        <translation>Simulated account holds</translation>
    </message>
    <message>
        <location filename="../../miniqmt_gui/ui/layer_panel.py" line="109" />
        <source>券商持仓</source>
        <translation>Broker holds</translation>
    </message>
    <message>
        <location filename="../../miniqmt_gui/ui/layer_panel.py" line="110" />
        <source> %1 股（可用 %2）</source>
        <translation> %1 shares (%2 sellable)</translation>
    </message>
    <message>
        <location filename="../../miniqmt_gui/ui/layer_panel.py" line="114" />
        <source>不一致，暂停买入：</source>
        <translation>MISMATCH, buys paused: </translation>
    </message>
    <message>
        <location filename="../../miniqmt_gui/ui/layer_panel.py" line="117" />
        <source>一致</source>
        <translation>match</translation>
    </message>
</context>
<context>
    <name>LiveChart</name>
    <message>
        <location filename="../../miniqmt_gui/ui/live_chart.py" line="231" />
        <source>最新 </source>
        <extracomment>session minutes right of 15:00 kept free for the level labels the code it belongs to (several codes: the chart marks the fills of the code on show)</extracomment>
        <translation>last </translation>
    </message>
    <message>
        <location filename="../../miniqmt_gui/ui/live_chart.py" line="275" />
        <source>止盈 </source>
        <translation>take-profit </translation>
    </message>
    <message>
        <location filename="../../miniqmt_gui/ui/live_chart.py" line="283" />
        <source>下一买点 </source>
        <translation>next buy </translation>
    </message>
    <message>
        <location filename="../../miniqmt_gui/ui/live_chart.py" line="363" />
        <source>开</source>
        <translation>O</translation>
    </message>
    <message>
        <location filename="../../miniqmt_gui/ui/live_chart.py" line="363" />
        <source>高</source>
        <translation>H</translation>
    </message>
    <message>
        <location filename="../../miniqmt_gui/ui/live_chart.py" line="364" />
        <source>低</source>
        <translation>L</translation>
    </message>
    <message>
        <location filename="../../miniqmt_gui/ui/live_chart.py" line="364" />
        <source>收</source>
        <translation>C</translation>
    </message>
    <message>
        <location filename="../../miniqmt_gui/ui/live_chart.py" line="365" />
        <source>量</source>
        <translation>Vol</translation>
    </message>
    <message>
        <location filename="../../miniqmt_gui/ui/live_chart.py" line="365" />
        <source>光标</source>
        <translation>cursor</translation>
    </message>
    <message>
        <location filename="../../miniqmt_gui/ui/live_chart.py" line="365" />
        <source> 股</source>
        <translation> shares</translation>
    </message>
</context>
<context>
    <name>LiveTab</name>
    <message>
        <location filename="../../miniqmt_gui/ui/live_tab.py" line="111" />
        <source>K 线（取消为折线）</source>
        <extracomment>the live tab is dense: a slightly smaller font and tight cells keep 1280×800 free of sideways scrolling</extracomment>
        <translation>Candles (untick for a line)</translation>
    </message>
    <message>
        <location filename="../../miniqmt_gui/ui/live_tab.py" line="123" />
        <source>委托</source>
        <translation>Orders</translation>
    </message>
    <message>
        <location filename="../../miniqmt_gui/ui/live_tab.py" line="124" />
        <source>成交</source>
        <translation>Fills</translation>
    </message>
    <message>
        <location filename="../../miniqmt_gui/ui/live_tab.py" line="186" />
        <source>暂无行情。

行情端（miniqmt-bridge）写入共享文件夹后，这里显示今日 09:30–15:00 的分时 K 线。</source>
        <translation>No quotes yet.

Once the bridge (miniqmt-bridge) writes into the shared folder, today's 09:30–15:00 1-minute bars appear here.</translation>
    </message>
    <message>
        <location filename="../../miniqmt_gui/ui/live_tab.py" line="125" />
        <source>日志</source>
        <translation>Log</translation>
    </message>
</context>
<context>
    <name>LotsDialog</name>
    <message>
        <location filename="../../miniqmt_gui/ui/book_dialogs.py" line="81" />
        <source>修正层仓</source>
        <translation>Correct the lots</translation>
    </message>
    <message>
        <location filename="../../miniqmt_gui/ui/book_dialogs.py" line="83" />
        <source>股数</source>
        <translation>Shares</translation>
    </message>
    <message>
        <location filename="../../miniqmt_gui/ui/book_dialogs.py" line="83" />
        <source>买入价</source>
        <translation>Buy</translation>
    </message>
    <message>
        <location filename="../../miniqmt_gui/ui/book_dialogs.py" line="92" />
        <source>只在确认券商持仓后修改。修改写入决策日志，新的买入等待券商持仓核对一致。</source>
        <translation>Change the lots only after checking the broker's position. The change goes into the decision journal; new buys wait until the broker's position agrees.</translation>
    </message>
    <message>
        <location filename="../../miniqmt_gui/ui/book_dialogs.py" line="117" />
        <source>L%1：股数须为整数，买入价须为数字</source>
        <translation>L%1: shares must be a whole number and the buy price a number</translation>
    </message>
    <message>
        <location filename="../../miniqmt_gui/ui/book_dialogs.py" line="121" />
        <source>L%1：股数与买入价须大于 0</source>
        <translation>L%1: shares and buy price must be above 0</translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <location filename="../../miniqmt_gui/ui/main_window.py" line="81" />
        <source>实盘监控</source>
        <extracomment>the window's size on first start (later: where the user left it) 恢复: the engine command that returns a code to the state it had before 紧急熔断</extracomment>
        <translation>Live</translation>
    </message>
    <message>
        <location filename="../../miniqmt_gui/ui/main_window.py" line="82" />
        <source>回测</source>
        <translation>Backtest</translation>
    </message>
    <message>
        <location filename="../../miniqmt_gui/ui/main_window.py" line="116" />
        <source>核对…</source>
        <extracomment>closing without asking (Ctrl+C / SIGTERM, the screenshot command) the preset name each code's parameters started from (the first code's is ``config.preset``) the latest reconcile prompt of each code, and each code's open broker-vs-book dialog</extracomment>
        <translation>Reconcile…</translation>
    </message>
    <message>
        <location filename="../../miniqmt_gui/ui/main_window.py" line="116" />
        <source>设置底仓…</source>
        <translation>Set base position…</translation>
    </message>
    <message>
        <location filename="../../miniqmt_gui/ui/main_window.py" line="117" />
        <source>设置…</source>
        <translation>Settings…</translation>
    </message>
    <message>
        <location filename="../../miniqmt_gui/ui/main_window.py" line="128" />
        <source>行情端失联：共享文件夹里没有新的行情，暂停发单</source>
        <translation>Bridge link down: no new quotes in the shared folder, no orders</translation>
    </message>
    <message>
        <location filename="../../miniqmt_gui/ui/main_window.py" line="129" />
        <source>执行端离线：委托 %1 没有被执行（请在 Windows 中启动 miniqmt-executor）</source>
        <translation>Executor down: order %1 is not being executed (start miniqmt-executor in Windows)</translation>
    </message>
    <message>
        <location filename="../../miniqmt_gui/ui/main_window.py" line="131" />
        <source>还没有行情：请在 Windows 中启动 miniqmt-bridge，检查共享文件夹，或运行 miniqmt demo 试用</source>
        <translation>No quotes yet: start miniqmt-bridge in Windows, check the shared folder, or try miniqmt demo</translation>
    </message>
    <message>
        <location filename="../../miniqmt_gui/ui/main_window.py" line="133" />
        <source>模拟盘：真实执行器在本机对模拟账户撮合，不会发送到 Windows 执行端</source>
        <translation>Paper mode: the real executor fills against a simulated account on this computer; nothing goes to the Windows executor</translation>
    </message>
    <message>
        <location filename="../../miniqmt_gui/ui/main_window.py" line="134" />
        <source>演示：行情为回放的合成样本，券商为模拟券商，不涉及真实资金</source>
        <translation>Demo: a replayed synthetic market and a simulated broker; no real money</translation>
    </message>
    <message>
        <location filename="../../miniqmt_gui/ui/main_window.py" line="206" />
        <source>收盘对账</source>
        <translation>Reconcile day</translation>
    </message>
    <message>
        <location filename="../../miniqmt_gui/ui/main_window.py" line="272" />
        <source>已请求紧急熔断：写入 STOP 文件</source>
        <translation>Emergency halt requested: writing the STOP file</translation>
    </message>
    <message>
        <location filename="../../miniqmt_gui/ui/main_window.py" line="278" />
        <source>恢复交易</source>
        <translation>Resume trading</translation>
    </message>
    <message>
        <location filename="../../miniqmt_gui/ui/main_window.py" line="278" />
        <source>删除 STOP 文件并恢复自动交易？</source>
        <translation>Remove the STOP file and resume automatic trading?</translation>
    </message>
    <message>
        <location filename="../../miniqmt_gui/ui/main_window.py" line="283" />
        <source>已请求恢复：删除 STOP 文件，恢复自动交易</source>
        <translation>Resume requested: STOP removed, trading again</translation>
    </message>
    <message>
        <location filename="../../miniqmt_gui/ui/main_window.py" line="290" />
        <location filename="../../miniqmt_gui/ui/main_window.py" line="291" />
        <location filename="../../miniqmt_gui/ui/main_window.py" line="642" />
        <source>运行中不能切换模拟/实盘，请先停止</source>
        <translation>Cannot switch simulate/live while running: stop first</translation>
    </message>
    <message>
        <location filename="../../miniqmt_gui/ui/main_window.py" line="311" />
        <source>模拟账户从 %1 股、资金 %2 开始</source>
        <translation>The simulated account starts with %1 shares and %2 cash</translation>
    </message>
    <message>
        <location filename="../../miniqmt_gui/ui/main_window.py" line="355" />
        <source>通知地址已保存到：</source>
        <translation>Alert URLs saved to: </translation>
    </message>
    <message>
        <location filename="../../miniqmt_gui/ui/main_window.py" line="377" />
        <source>本机没有可用的语音引擎，语音播报不可用</source>
        <translation>No speech engine on this computer; spoken alerts are off</translation>
    </message>
    <message>
        <location filename="../../miniqmt_gui/ui/main_window.py" line="385" />
        <source>设置已保存；策略运行中，停止后重新打开设置以应用到引擎</source>
        <translation>Settings saved; the strategy is running: stop it and reopen Settings to apply them to the engine</translation>
    </message>
    <message>
        <location filename="../../miniqmt_gui/ui/main_window.py" line="388" />
        <source>界面语言将在重启后生效</source>
        <translation>The language changes after a restart</translation>
    </message>
    <message>
        <location filename="../../miniqmt_gui/ui/main_window.py" line="609" />
        <source>买入</source>
        <translation>Buy</translation>
    </message>
    <message>
        <location filename="../../miniqmt_gui/ui/main_window.py" line="609" />
        <source>卖出</source>
        <translation>Sell</translation>
    </message>
    <message>
        <location filename="../../miniqmt_gui/ui/main_window.py" line="619" />
        <source>成交：</source>
        <translation>Filled: </translation>
    </message>
    <message>
        <location filename="../../miniqmt_gui/ui/main_window.py" line="127" />
        <source>行情已过期，暂停发单</source>
        <translation>Quotes stale, no orders</translation>
    </message>
    <message>
        <location filename="../../miniqmt_gui/ui/main_window.py" line="178" />
        <source>%1 的引擎尚未就绪</source>
        <translation>The engine of %1 is not ready yet</translation>
    </message>
    <message>
        <location filename="../../miniqmt_gui/ui/main_window.py" line="255" />
        <source>已请求全部启动</source>
        <translation>Start requested for all codes</translation>
    </message>
    <message>
        <location filename="../../miniqmt_gui/ui/main_window.py" line="261" />
        <source>已请求全部停止</source>
        <translation>Stop requested for all codes</translation>
    </message>
    <message>
        <location filename="../../miniqmt_gui/ui/main_window.py" line="334" />
        <source>%1 的参数仅在本次运行有效；长期使用请在 config.toml 的 [app] presets 中为它选择预设</source>
        <translation>Parameters of %1 hold for this run only; for a lasting change choose its preset in config.toml [app] presets</translation>
    </message>
    <message>
        <location filename="../../miniqmt_gui/ui/main_window.py" line="394" />
        <source>设置未能保存：</source>
        <translation>Settings not saved: </translation>
    </message>
    <message>
        <location filename="../../miniqmt_gui/ui/main_window.py" line="396" />
        <source>设置已保存到 </source>
        <translation>Settings saved to </translation>
    </message>
    <message>
        <location filename="../../miniqmt_gui/ui/main_window.py" line="419" />
        <source>先在层仓表中选中一个持有的层</source>
        <translation>Select a held layer in the layer table first</translation>
    </message>
    <message>
        <location filename="../../miniqmt_gui/ui/main_window.py" line="421" />
        <source>以买一价卖出 L%1 的 %2 股？（作为信号发往执行端，记入决策日志）</source>
        <translation>Sell L%1's %2 shares at the best bid? (sent to the executor as a signal, written to the decision journal)</translation>
    </message>
    <message>
        <location filename="../../miniqmt_gui/ui/main_window.py" line="423" />
        <source>手动卖出</source>
        <translation>Manual sell</translation>
    </message>
    <message>
        <location filename="../../miniqmt_gui/ui/main_window.py" line="427" />
        <source>请求执行端撤销 %1 的委托？已成交部分保留。</source>
        <translation>Ask the executor to cancel the order of %1? Filled shares are kept.</translation>
    </message>
    <message>
        <location filename="../../miniqmt_gui/ui/main_window.py" line="428" />
        <source>撤单</source>
        <translation>Cancel order</translation>
    </message>
    <message>
        <location filename="../../miniqmt_gui/ui/main_window.py" line="446" />
        <source>还没有可信的券商持仓</source>
        <translation>No trustworthy broker position yet</translation>
    </message>
    <message>
        <location filename="../../miniqmt_gui/ui/main_window.py" line="467" />
        <source>已选择采用券商持仓</source>
        <translation>Chose to adopt the broker's position</translation>
    </message>
    <message>
        <location filename="../../miniqmt_gui/ui/main_window.py" line="469" />
        <source>已选择保持暂停：新的买入继续暂停，直到账本与券商持仓一致</source>
        <translation>Chose to keep paused: new buys stay paused until the book and the broker agree</translation>
    </message>
    <message>
        <location filename="../../miniqmt_gui/ui/main_window.py" line="491" />
        <source>设置底仓</source>
        <translation>Set base position</translation>
    </message>
    <message>
        <location filename="../../miniqmt_gui/ui/main_window.py" line="491" />
        <source>%1 的底仓（股，不参与网格交易）：</source>
        <translation>Base position of %1 (shares, not traded by the grid):</translation>
    </message>
    <message>
        <location filename="../../miniqmt_gui/ui/main_window.py" line="499" />
        <source>手机查看无法启动：</source>
        <translation>Phone view cannot start: </translation>
    </message>
    <message>
        <location filename="../../miniqmt_gui/ui/main_window.py" line="501" />
        <source>手机查看已开启（局域网）</source>
        <translation>Phone view on (LAN)</translation>
    </message>
    <message>
        <location filename="../../miniqmt_gui/ui/main_window.py" line="560" />
        <source>还没有收到行情。

共享文件夹：%1

下一步：在 Windows 中启动 miniqmt-bridge（见 docs/windows.md），确认 Parallels 共享了这个文件夹；
或者先运行 miniqmt demo 看完整流程。</source>
        <translation>No quotes received yet.

Shared folder: %1

Next: start miniqmt-bridge in Windows (see docs/windows.md) and check that Parallels shares this folder;
or run miniqmt demo first to see the whole chain.</translation>
    </message>
    <message>
        <location filename="../../miniqmt_gui/ui/main_window.py" line="622" />
        <source>废单</source>
        <translation>Rejected</translation>
    </message>
    <message>
        <location filename="../../miniqmt_gui/ui/main_window.py" line="622" />
        <source>已撤</source>
        <translation>Canceled</translation>
    </message>
    <message>
        <location filename="../../miniqmt_gui/ui/main_window.py" line="623" />
        <source>未成交（%1）：</source>
        <translation>Not filled (%1): </translation>
    </message>
    <message>
        <location filename="../../miniqmt_gui/ui/main_window.py" line="630" />
        <location filename="../../miniqmt_gui/ui/main_window.py" line="654" />
        <source>模拟盘</source>
        <translation>SIMULATED</translation>
    </message>
    <message>
        <location filename="../../miniqmt_gui/ui/main_window.py" line="630" />
        <location filename="../../miniqmt_gui/ui/main_window.py" line="654" />
        <source>实盘</source>
        <translation>LIVE</translation>
    </message>
    <message>
        <location filename="../../miniqmt_gui/ui/main_window.py" line="632" />
        <source>演示（模拟券商）</source>
        <translation>DEMO (simulated broker)</translation>
    </message>
    <message>
        <location filename="../../miniqmt_gui/ui/main_window.py" line="645" />
        <source>引擎错误：</source>
        <translation>Engine error: </translation>
    </message>
    <message>
        <location filename="../../miniqmt_gui/ui/main_window.py" line="646" />
        <source>引擎错误</source>
        <translation>Engine error</translation>
    </message>
    <message>
        <location filename="../../miniqmt_gui/ui/main_window.py" line="655" />
        <source>交易模式：</source>
        <translation>Trading mode: </translation>
    </message>
    <message>
        <location filename="../../miniqmt_gui/ui/main_window.py" line="659" />
        <source>写入失败 %1：%2</source>
        <translation>Could not write %1: %2</translation>
    </message>
    <message>
        <location filename="../../miniqmt_gui/ui/main_window.py" line="662" />
        <source>已保存 </source>
        <translation>Saved </translation>
    </message>
    <message>
        <location filename="../../miniqmt_gui/ui/main_window.py" line="676" />
        <source>策略正在运行。关闭后：</source>
        <translation>The strategy is running. After closing:</translation>
    </message>
    <message>
        <location filename="../../miniqmt_gui/ui/main_window.py" line="677" />
        <source>· 停止：本程序不再发出新信号，界面与通知关闭。</source>
        <translation>· Stops: this app sends no new signals; the window and its notifications close.</translation>
    </message>
    <message>
        <location filename="../../miniqmt_gui/ui/main_window.py" line="681" />
        <source>· 继续：已发出的委托 %1 仍由 Windows 执行端处理，结果在下次启动时应用。</source>
        <translation>· Goes on: order %1 already sent is still worked by the Windows executor; its result is applied at the next start.</translation>
    </message>
    <message>
        <location filename="../../miniqmt_gui/ui/main_window.py" line="684" />
        <source>· 模拟盘的委托 %1 在下次启动时按模拟账户恢复。</source>
        <translation>· The paper order %1 is resolved from the simulated account at the next start.</translation>
    </message>
    <message>
        <location filename="../../miniqmt_gui/ui/main_window.py" line="687" />
        <source>· 继续：Windows 中的行情端与执行端照常运行；STOP 状态不变。</source>
        <translation>· Goes on: the bridge and the executor in Windows keep running; a STOP stays as it is.</translation>
    </message>
    <message>
        <location filename="../../miniqmt_gui/ui/main_window.py" line="688" />
        <source>确定关闭吗？</source>
        <translation>Close now?</translation>
    </message>
    <message>
        <location filename="../../miniqmt_gui/ui/main_window.py" line="694" />
        <source>关闭 miniqmt</source>
        <translation>Close miniqmt</translation>
    </message>
</context>
<context>
    <name>OrdersModel</name>
    <message>
        <location filename="../../miniqmt_gui/ui/orders_panel.py" line="56" />
        <source>模拟成交</source>
        <translation>simulated</translation>
    </message>
    <message>
        <location filename="../../miniqmt_gui/ui/orders_panel.py" line="59" />
        <source>时间</source>
        <translation>Time</translation>
    </message>
    <message>
        <location filename="../../miniqmt_gui/ui/orders_panel.py" line="69" />
        <source>信号</source>
        <translation>Signal</translation>
    </message>
    <message>
        <location filename="../../miniqmt_gui/ui/orders_panel.py" line="60" />
        <source>方向</source>
        <translation>Side</translation>
    </message>
    <message>
        <location filename="../../miniqmt_gui/ui/orders_panel.py" line="54" />
        <source>已报</source>
        <translation>Sent</translation>
    </message>
    <message>
        <location filename="../../miniqmt_gui/ui/orders_panel.py" line="54" />
        <source>已成</source>
        <translation>Filled</translation>
    </message>
    <message>
        <location filename="../../miniqmt_gui/ui/orders_panel.py" line="54" />
        <source>部撤</source>
        <translation>Partial</translation>
    </message>
    <message>
        <location filename="../../miniqmt_gui/ui/orders_panel.py" line="55" />
        <source>已撤</source>
        <translation>Canceled</translation>
    </message>
    <message>
        <location filename="../../miniqmt_gui/ui/orders_panel.py" line="55" />
        <source>废单</source>
        <translation>Rejected</translation>
    </message>
    <message>
        <location filename="../../miniqmt_gui/ui/orders_panel.py" line="55" />
        <source>状态不明</source>
        <translation>In doubt</translation>
    </message>
    <message>
        <location filename="../../miniqmt_gui/ui/orders_panel.py" line="62" />
        <source>委托量</source>
        <translation>Qty</translation>
    </message>
    <message>
        <location filename="../../miniqmt_gui/ui/orders_panel.py" line="63" />
        <source>成交量</source>
        <translation>Volume</translation>
    </message>
    <message>
        <location filename="../../miniqmt_gui/ui/orders_panel.py" line="64" />
        <source>均价</source>
        <translation>Avg</translation>
    </message>
    <message>
        <location filename="../../miniqmt_gui/ui/orders_panel.py" line="67" />
        <source>委托编号</source>
        <translation>Order no.</translation>
    </message>
    <message>
        <location filename="../../miniqmt_gui/ui/orders_panel.py" line="70" />
        <source>层</source>
        <translation>L</translation>
    </message>
    <message>
        <location filename="../../miniqmt_gui/ui/orders_panel.py" line="61" />
        <source>委托价</source>
        <translation>Limit</translation>
    </message>
    <message>
        <location filename="../../miniqmt_gui/ui/orders_panel.py" line="65" />
        <source>状态</source>
        <translation>State</translation>
    </message>
    <message>
        <location filename="../../miniqmt_gui/ui/orders_panel.py" line="68" />
        <source>说明</source>
        <translation>Message</translation>
    </message>
    <message>
        <location filename="../../miniqmt_gui/ui/orders_panel.py" line="73" />
        <source>网格买入</source>
        <translation>grid buy</translation>
    </message>
    <message>
        <location filename="../../miniqmt_gui/ui/orders_panel.py" line="73" />
        <source>止盈</source>
        <translation>Take-profit</translation>
    </message>
    <message>
        <location filename="../../miniqmt_gui/ui/orders_panel.py" line="74" />
        <source>浮亏止损</source>
        <translation>Float-loss stop</translation>
    </message>
    <message>
        <location filename="../../miniqmt_gui/ui/orders_panel.py" line="74" />
        <source>手动卖出</source>
        <translation>Manual sell</translation>
    </message>
    <message>
        <location filename="../../miniqmt_gui/ui/orders_panel.py" line="77" />
        <source>买入</source>
        <translation>Buy</translation>
    </message>
    <message>
        <location filename="../../miniqmt_gui/ui/orders_panel.py" line="77" />
        <source>卖出</source>
        <translation>Sell</translation>
    </message>
    <message>
        <location filename="../../miniqmt_gui/ui/orders_panel.py" line="99" />
        <source>恢复重发 </source>
        <translation>recovery re-send </translation>
    </message>
</context>
<context>
    <name>OrdersPanel</name>
    <message>
        <location filename="../../miniqmt_gui/ui/orders_panel.py" line="270" />
        <source>筛选：信号、方向、说明…</source>
        <extracomment>(code, paper) → its orders and fills; ``""`` is the code until :meth:`set_code` names one</extracomment>
        <translation>Filter: signal, side, message…</translation>
    </message>
    <message>
        <location filename="../../miniqmt_gui/ui/orders_panel.py" line="272" />
        <source>全部状态</source>
        <translation>All statuses</translation>
    </message>
    <message>
        <location filename="../../miniqmt_gui/ui/orders_panel.py" line="275" />
        <source>导出 CSV…</source>
        <translation>Export CSV…</translation>
    </message>
    <message>
        <location filename="../../miniqmt_gui/ui/orders_panel.py" line="276" />
        <source>导出决策日志…</source>
        <translation>Export journal…</translation>
    </message>
    <message>
        <location filename="../../miniqmt_gui/ui/orders_panel.py" line="353" />
        <source>导出委托记录</source>
        <translation>Export orders</translation>
    </message>
    <message>
        <location filename="../../miniqmt_gui/ui/orders_panel.py" line="359" />
        <source>导出决策日志</source>
        <translation>Export decision journal</translation>
    </message>
</context>
<context>
    <name>PaperAccountDialog</name>
    <message>
        <location filename="../../miniqmt_gui/ui/book_dialogs.py" line="137" />
        <source>模拟账户起点</source>
        <translation>Simulated account start</translation>
    </message>
    <message>
        <location filename="../../miniqmt_gui/ui/book_dialogs.py" line="138" />
        <source>模拟盘要像实盘一样卖出当天买入的层（T+1 靠底仓），所以模拟账户从底仓开始。请确认模拟账户的初始持仓与资金（之后可在设置中重置）。</source>
        <translation>Paper mode must sell a layer bought today as live does (T+1 relies on the base position), so the simulated account starts from the base. Confirm its starting position and cash (you can reset it later).</translation>
    </message>
    <message>
        <location filename="../../miniqmt_gui/ui/book_dialogs.py" line="141" />
        <source>配置的底仓：%1 股</source>
        <translation>Configured base: %1 shares</translation>
    </message>
    <message>
        <location filename="../../miniqmt_gui/ui/book_dialogs.py" line="142" />
        <source>未设置</source>
        <translation>not set</translation>
    </message>
    <message>
        <location filename="../../miniqmt_gui/ui/book_dialogs.py" line="146" />
        <source>券商当前持仓与资金：%1 股，资金 %2</source>
        <translation>The broker's position and cash now: %1 shares, cash %2</translation>
    </message>
    <message>
        <location filename="../../miniqmt_gui/ui/book_dialogs.py" line="148" />
        <source>手动输入</source>
        <translation>Enter by hand</translation>
    </message>
    <message>
        <location filename="../../miniqmt_gui/ui/book_dialogs.py" line="152" />
        <source> 股</source>
        <translation> shares</translation>
    </message>
    <message>
        <location filename="../../miniqmt_gui/ui/book_dialogs.py" line="164" />
        <source>初始持仓</source>
        <translation>Starting position</translation>
    </message>
    <message>
        <location filename="../../miniqmt_gui/ui/book_dialogs.py" line="165" />
        <source>初始资金</source>
        <translation>Starting cash</translation>
    </message>
</context>
<context>
    <name>ParamsDialog</name>
    <message>
        <location filename="../../miniqmt_gui/ui/params_dialog.py" line="34" />
        <source>资金与费用</source>
        <translation>Capital and costs</translation>
    </message>
    <message>
        <location filename="../../miniqmt_gui/ui/params_dialog.py" line="35" />
        <source>底仓资金 Beta (元)</source>
        <translation>Base capital Beta (CNY)</translation>
    </message>
    <message>
        <location filename="../../miniqmt_gui/ui/params_dialog.py" line="36" />
        <source>流动资金 Alpha (元)</source>
        <translation>Flow capital Alpha (CNY)</translation>
    </message>
    <message>
        <location filename="../../miniqmt_gui/ui/params_dialog.py" line="37" />
        <source>各层权重 (逗号分隔)</source>
        <translation>Layer weights (comma separated)</translation>
    </message>
    <message>
        <location filename="../../miniqmt_gui/ui/params_dialog.py" line="38" />
        <source>佣金费率</source>
        <translation>Commission rate</translation>
    </message>
    <message>
        <location filename="../../miniqmt_gui/ui/params_dialog.py" line="39" />
        <source>最低佣金 (元)</source>
        <translation>Minimum commission (CNY)</translation>
    </message>
    <message>
        <location filename="../../miniqmt_gui/ui/params_dialog.py" line="41" />
        <source>网格步长与止盈</source>
        <translation>Grid step and take-profit</translation>
    </message>
    <message>
        <location filename="../../miniqmt_gui/ui/params_dialog.py" line="42" />
        <source>ATR 系数</source>
        <translation>ATR factor</translation>
    </message>
    <message>
        <location filename="../../miniqmt_gui/ui/params_dialog.py" line="43" />
        <source>最小步长</source>
        <translation>Step floor</translation>
    </message>
    <message>
        <location filename="../../miniqmt_gui/ui/params_dialog.py" line="44" />
        <source>每层附加步长</source>
        <translation>Step bonus per layer</translation>
    </message>
    <message>
        <location filename="../../miniqmt_gui/ui/params_dialog.py" line="45" />
        <source>止盈比例</source>
        <translation>Take-profit</translation>
    </message>
    <message>
        <location filename="../../miniqmt_gui/ui/params_dialog.py" line="46" />
        <source>止盈倍数</source>
        <translation>Take-profit multiple</translation>
    </message>
    <message>
        <location filename="../../miniqmt_gui/ui/params_dialog.py" line="48" />
        <source>趋势因子</source>
        <translation>Trend factors</translation>
    </message>
    <message>
        <location filename="../../miniqmt_gui/ui/params_dialog.py" line="49" />
        <source>上升趋势 步长×</source>
        <translation>uptrend step ×</translation>
    </message>
    <message>
        <location filename="../../miniqmt_gui/ui/params_dialog.py" line="50" />
        <source>上升趋势 止盈×</source>
        <translation>uptrend take-profit ×</translation>
    </message>
    <message>
        <location filename="../../miniqmt_gui/ui/params_dialog.py" line="51" />
        <source>上升趋势 仓位×</source>
        <translation>uptrend size ×</translation>
    </message>
    <message>
        <location filename="../../miniqmt_gui/ui/params_dialog.py" line="52" />
        <source>下降趋势 步长×</source>
        <translation>downtrend step ×</translation>
    </message>
    <message>
        <location filename="../../miniqmt_gui/ui/params_dialog.py" line="53" />
        <source>下降趋势 止盈×</source>
        <translation>downtrend take-profit ×</translation>
    </message>
    <message>
        <location filename="../../miniqmt_gui/ui/params_dialog.py" line="54" />
        <source>下降趋势 仓位×</source>
        <translation>downtrend size ×</translation>
    </message>
    <message>
        <location filename="../../miniqmt_gui/ui/params_dialog.py" line="56" />
        <source>熔断与冷却</source>
        <translation>Breaker and cool-down</translation>
    </message>
    <message>
        <location filename="../../miniqmt_gui/ui/params_dialog.py" line="57" />
        <source>ATR 熔断倍数</source>
        <translation>ATR breaker multiple</translation>
    </message>
    <message>
        <location filename="../../miniqmt_gui/ui/params_dialog.py" line="58" />
        <source>冷却 K 线数</source>
        <translation>Cool-down bars</translation>
    </message>
    <message>
        <location filename="../../miniqmt_gui/ui/params_dialog.py" line="59" />
        <source>超卖时冷却 K 线数</source>
        <translation>Cool-down bars when oversold</translation>
    </message>
    <message>
        <location filename="../../miniqmt_gui/ui/params_dialog.py" line="60" />
        <source>超卖 RSI</source>
        <translation>Oversold RSI</translation>
    </message>
    <message>
        <location filename="../../miniqmt_gui/ui/params_dialog.py" line="62" />
        <source>可选规则</source>
        <translation>Optional rules</translation>
    </message>
    <message>
        <location filename="../../miniqmt_gui/ui/params_dialog.py" line="63" />
        <source>浮亏止损</source>
        <translation>Float-loss stop</translation>
    </message>
    <message>
        <location filename="../../miniqmt_gui/ui/params_dialog.py" line="64" />
        <source>浮亏止损额 (元)</source>
        <translation>Float-loss limit (CNY)</translation>
    </message>
    <message>
        <location filename="../../miniqmt_gui/ui/params_dialog.py" line="65" />
        <source>时间过滤</source>
        <translation>Time filter</translation>
    </message>
    <message>
        <location filename="../../miniqmt_gui/ui/params_dialog.py" line="66" />
        <source>禁开首层 自</source>
        <translation>No first layer from</translation>
    </message>
    <message>
        <location filename="../../miniqmt_gui/ui/params_dialog.py" line="67" />
        <source>禁开首层 至</source>
        <translation>No first layer until</translation>
    </message>
    <message>
        <location filename="../../miniqmt_gui/ui/params_dialog.py" line="68" />
        <source>此后不买入</source>
        <translation>No buys after</translation>
    </message>
    <message>
        <location filename="../../miniqmt_gui/ui/params_dialog.py" line="70" />
        <source>指标窗口与成交模型</source>
        <translation>Indicator windows and fill model</translation>
    </message>
    <message>
        <location filename="../../miniqmt_gui/ui/params_dialog.py" line="71" />
        <source>ATR 周期</source>
        <translation>ATR period</translation>
    </message>
    <message>
        <location filename="../../miniqmt_gui/ui/params_dialog.py" line="72" />
        <source>均线周期</source>
        <translation>MA period</translation>
    </message>
    <message>
        <location filename="../../miniqmt_gui/ui/params_dialog.py" line="73" />
        <source>斜率间隔</source>
        <translation>Slope lag</translation>
    </message>
    <message>
        <location filename="../../miniqmt_gui/ui/params_dialog.py" line="74" />
        <source>斜率 EMA 跨度</source>
        <translation>Slope EMA span</translation>
    </message>
    <message>
        <location filename="../../miniqmt_gui/ui/params_dialog.py" line="75" />
        <source>ATR 均值周期</source>
        <translation>ATR average period</translation>
    </message>
    <message>
        <location filename="../../miniqmt_gui/ui/params_dialog.py" line="76" />
        <source>RSI 周期</source>
        <translation>RSI period</translation>
    </message>
    <message>
        <location filename="../../miniqmt_gui/ui/params_dialog.py" line="77" />
        <source>每手股数</source>
        <translation>Lot size</translation>
    </message>
    <message>
        <location filename="../../miniqmt_gui/ui/params_dialog.py" line="78" />
        <source>最小价位</source>
        <translation>Tick size</translation>
    </message>
    <message>
        <location filename="../../miniqmt_gui/ui/params_dialog.py" line="79" />
        <source>滑点 (跳)</source>
        <translation>Slippage (ticks)</translation>
    </message>
    <message>
        <location filename="../../miniqmt_gui/ui/params_dialog.py" line="80" />
        <source>额外可用现金 (元)</source>
        <translation>Extra free cash (CNY)</translation>
    </message>
    <message>
        <location filename="../../miniqmt_gui/ui/params_dialog.py" line="104" />
        <source>策略参数</source>
        <translation>Parameters</translation>
    </message>
    <message>
        <location filename="../../miniqmt_gui/ui/params_dialog.py" line="125" />
        <source>预设方案：</source>
        <translation>Preset:</translation>
    </message>
    <message>
        <location filename="../../miniqmt_gui/ui/params_dialog.py" line="193" />
        <source>参数无效：</source>
        <translation>Invalid parameters: </translation>
    </message>
    <message>
        <location filename="../../miniqmt_gui/ui/params_dialog.py" line="198" />
        <source>参数无效：%1 — %2</source>
        <translation>Invalid parameter: %1 — %2</translation>
    </message>
    <message>
        <location filename="../../miniqmt_gui/ui/params_dialog.py" line="217" />
        <source>不能为空</source>
        <translation>must not be empty</translation>
    </message>
    <message>
        <location filename="../../miniqmt_gui/ui/params_dialog.py" line="220" />
        <source>须 %1</source>
        <translation>must be %1</translation>
    </message>
    <message>
        <location filename="../../miniqmt_gui/ui/params_dialog.py" line="222" />
        <source>超出允许范围</source>
        <translation>out of range</translation>
    </message>
    <message>
        <location filename="../../miniqmt_gui/ui/params_dialog.py" line="224" />
        <source>请输入数字</source>
        <translation>enter a number</translation>
    </message>
</context>
<context>
    <name>PnlPanel</name>
    <message>
        <location filename="../../miniqmt_gui/ui/account_panel.py" line="92" />
        <source>今日盈亏</source>
        <translation>Today's P&amp;L</translation>
    </message>
    <message>
        <location filename="../../miniqmt_gui/ui/account_panel.py" line="95" />
        <source>已实现</source>
        <translation>Realised</translation>
    </message>
    <message>
        <location filename="../../miniqmt_gui/ui/account_panel.py" line="95" />
        <source>浮动</source>
        <translation>Floating</translation>
    </message>
    <message>
        <location filename="../../miniqmt_gui/ui/account_panel.py" line="96" />
        <source>Alpha 网格</source>
        <translation>Alpha</translation>
    </message>
    <message>
        <location filename="../../miniqmt_gui/ui/account_panel.py" line="96" />
        <source>Beta 底仓</source>
        <translation>Beta</translation>
    </message>
    <message>
        <location filename="../../miniqmt_gui/ui/account_panel.py" line="97" />
        <source>手续费</source>
        <translation>Fees</translation>
    </message>
    <message>
        <location filename="../../miniqmt_gui/ui/account_panel.py" line="97" />
        <source>合计</source>
        <translation>Total</translation>
    </message>
</context>
<context>
    <name>QrDialog</name>
    <message>
        <location filename="../../miniqmt_gui/ui/day_settings.py" line="57" />
        <source>手机查看</source>
        <translation>Phone view</translation>
    </message>
    <message>
        <location filename="../../miniqmt_gui/ui/day_settings.py" line="63" />
        <source>用同一 Wi-Fi 下的手机扫码打开（只读）。二维码含访问令牌，请勿外传。</source>
        <translation>Scan with a phone on the same Wi-Fi (read-only). The code contains the access token: do not share it.</translation>
    </message>
</context>
<context>
    <name>QuotePanel</name>
    <message>
        <location filename="../../miniqmt_gui/ui/quote_panel.py" line="30" />
        <source>行情</source>
        <translation>Quote</translation>
    </message>
    <message>
        <location filename="../../miniqmt_gui/ui/quote_panel.py" line="78" />
        <source>成交量</source>
        <translation>Volume</translation>
    </message>
    <message>
        <location filename="../../miniqmt_gui/ui/quote_panel.py" line="118" />
        <source>行情时间</source>
        <translation>Quote time</translation>
    </message>
    <message>
        <location filename="../../miniqmt_gui/ui/quote_panel.py" line="58" />
        <source>卖</source>
        <translation>Ask</translation>
    </message>
    <message>
        <location filename="../../miniqmt_gui/ui/quote_panel.py" line="65" />
        <source>买</source>
        <translation>Bid</translation>
    </message>
    <message>
        <location filename="../../miniqmt_gui/ui/quote_panel.py" line="77" />
        <source>今开</source>
        <translation>Open</translation>
    </message>
    <message>
        <location filename="../../miniqmt_gui/ui/quote_panel.py" line="77" />
        <source>最高</source>
        <translation>High</translation>
    </message>
    <message>
        <location filename="../../miniqmt_gui/ui/quote_panel.py" line="77" />
        <source>最低</source>
        <translation>Low</translation>
    </message>
    <message>
        <location filename="../../miniqmt_gui/ui/quote_panel.py" line="78" />
        <source>昨收</source>
        <translation>Prev close</translation>
    </message>
    <message>
        <location filename="../../miniqmt_gui/ui/quote_panel.py" line="79" />
        <source>成交额</source>
        <translation>Turnover</translation>
    </message>
    <message>
        <location filename="../../miniqmt_gui/ui/quote_panel.py" line="79" />
        <source>涨停</source>
        <translation>Up limit</translation>
    </message>
    <message>
        <location filename="../../miniqmt_gui/ui/quote_panel.py" line="80" />
        <source>跌停</source>
        <translation>Down limit</translation>
    </message>
    <message>
        <location filename="../../miniqmt_gui/ui/quote_panel.py" line="80" />
        <source>IOPV</source>
        <translation>IOPV</translation>
    </message>
    <message>
        <location filename="../../miniqmt_gui/ui/quote_panel.py" line="80" />
        <source>溢价率</source>
        <translation>Premium</translation>
    </message>
    <message>
        <location filename="../../miniqmt_gui/ui/quote_panel.py" line="112" />
        <source>昨收未知</source>
        <translation>previous close unknown</translation>
    </message>
    <message>
        <location filename="../../miniqmt_gui/ui/quote_panel.py" line="128" />
        <source>股</source>
        <translation> sh</translation>
    </message>
    <message>
        <location filename="../../miniqmt_gui/ui/quote_panel.py" line="129" />
        <source>元</source>
        <translation> CNY</translation>
    </message>
</context>
<context>
    <name>ReconcileDialog</name>
    <message>
        <location filename="../../miniqmt_gui/ui/reconcile_dialog.py" line="34" />
        <source>收盘对账</source>
        <translation>Reconcile day</translation>
    </message>
    <message>
        <location filename="../../miniqmt_gui/ui/reconcile_dialog.py" line="39" />
        <source>对账</source>
        <translation>Reconcile</translation>
    </message>
    <message>
        <location filename="../../miniqmt_gui/ui/reconcile_dialog.py" line="40" />
        <source>打开报告</source>
        <translation>Open report</translation>
    </message>
    <message>
        <location filename="../../miniqmt_gui/ui/reconcile_dialog.py" line="42" />
        <source>选择日期后点击“对账”</source>
        <translation>Choose a day, then "Reconcile"</translation>
    </message>
    <message>
        <location filename="../../miniqmt_gui/ui/reconcile_dialog.py" line="65" />
        <source>对账中…</source>
        <translation>Reconciling…</translation>
    </message>
    <message>
        <location filename="../../miniqmt_gui/ui/reconcile_dialog.py" line="72" />
        <source>对账失败：</source>
        <translation>Reconciliation failed: </translation>
    </message>
    <message>
        <location filename="../../miniqmt_gui/ui/reconcile_dialog.py" line="76" />
        <source>✓ 对账一致</source>
        <translation>✓ reconciled</translation>
    </message>
    <message>
        <location filename="../../miniqmt_gui/ui/reconcile_dialog.py" line="77" />
        <source>券商成交导出：</source>
        <translation>Broker trades export: </translation>
    </message>
</context>
<context>
    <name>ResearchView</name>
    <message>
        <location filename="../../miniqmt_gui/ui/research_view.py" line="68" />
        <source>参数</source>
        <translation>Parameter</translation>
    </message>
    <message>
        <location filename="../../miniqmt_gui/ui/research_view.py" line="68" />
        <source>起始</source>
        <translation>From</translation>
    </message>
    <message>
        <location filename="../../miniqmt_gui/ui/research_view.py" line="68" />
        <source>结束</source>
        <translation>To</translation>
    </message>
    <message>
        <location filename="../../miniqmt_gui/ui/research_view.py" line="69" />
        <source>点数</source>
        <translation>Count</translation>
    </message>
    <message>
        <location filename="../../miniqmt_gui/ui/research_view.py" line="73" />
        <source>添加参数</source>
        <translation>Add parameter</translation>
    </message>
    <message>
        <location filename="../../miniqmt_gui/ui/research_view.py" line="74" />
        <source>删除参数</source>
        <translation>Remove parameter</translation>
    </message>
    <message>
        <location filename="../../miniqmt_gui/ui/research_view.py" line="77" />
        <source>开始扫描</source>
        <translation>Run sweep</translation>
    </message>
    <message>
        <location filename="../../miniqmt_gui/ui/research_view.py" line="78" />
        <source>取消</source>
        <translation>Cancel</translation>
    </message>
    <message>
        <location filename="../../miniqmt_gui/ui/research_view.py" line="82" />
        <source>在左侧回测设置中选择数据、预设和成交模型</source>
        <translation>Data, preset and fill model come from the backtest settings on the left</translation>
    </message>
    <message>
        <location filename="../../miniqmt_gui/ui/research_view.py" line="90" />
        <source>参数扫描</source>
        <translation>Parameter sweep</translation>
    </message>
    <message>
        <location filename="../../miniqmt_gui/ui/research_view.py" line="97" />
        <source>评分</source>
        <translation>Score</translation>
    </message>
    <message>
        <location filename="../../miniqmt_gui/ui/research_view.py" line="104" />
        <source>横轴</source>
        <translation>X axis</translation>
    </message>
    <message>
        <location filename="../../miniqmt_gui/ui/research_view.py" line="105" />
        <source>纵轴</source>
        <translation>Y axis</translation>
    </message>
    <message>
        <location filename="../../miniqmt_gui/ui/research_view.py" line="186" />
        <source>参数范围有误：</source>
        <translation>Bad parameter ranges: </translation>
    </message>
    <message>
        <location filename="../../miniqmt_gui/ui/research_view.py" line="194" />
        <source>扫描 %1 组参数…</source>
        <translation>Sweeping %1 parameter sets…</translation>
    </message>
    <message>
        <location filename="../../miniqmt_gui/ui/research_view.py" line="204" />
        <source>读取数据</source>
        <translation>Reading data</translation>
    </message>
    <message>
        <location filename="../../miniqmt_gui/ui/research_view.py" line="204" />
        <source>扫描参数</source>
        <translation>Sweeping</translation>
    </message>
    <message>
        <location filename="../../miniqmt_gui/ui/research_view.py" line="204" />
        <source>完成</source>
        <translation>Done</translation>
    </message>
    <message>
        <location filename="../../miniqmt_gui/ui/research_view.py" line="219" />
        <source>内置合成样本</source>
        <translation>built-in synthetic sample</translation>
    </message>
    <message>
        <location filename="../../miniqmt_gui/ui/research_view.py" line="220" />
        <source>扫描完成：%1 组参数，用时 %2 秒</source>
        <translation>Sweep done: %1 parameter sets in %2 s</translation>
    </message>
    <message>
        <location filename="../../miniqmt_gui/ui/research_view.py" line="238" />
        <source>最优点：%1；%2 = %3</source>
        <translation>Best point: %1; %2 = %3</translation>
    </message>
    <message>
        <location filename="../../miniqmt_gui/ui/research_view.py" line="242" />
        <source>；相邻一步 %1 个点，中位数 %2，最差 %3</source>
        <translation>; one step away: %1 points, median %2, worst %3</translation>
    </message>
    <message>
        <location filename="../../miniqmt_gui/ui/research_view.py" line="248" />
        <source>扫描失败：</source>
        <translation>Sweep failed: </translation>
    </message>
    <message>
        <location filename="../../miniqmt_gui/ui/research_view.py" line="252" />
        <source>扫描已取消</source>
        <translation>Sweep cancelled</translation>
    </message>
</context>
<context>
    <name>RobustnessCharts</name>
    <message>
        <location filename="../../miniqmt_gui/ui/research_charts.py" line="57" />
        <source>其余参数取最优</source>
        <translation>others at the best</translation>
    </message>
    <message>
        <location filename="../../miniqmt_gui/ui/research_charts.py" line="59" />
        <source>其余组合中位数</source>
        <translation>median over the others</translation>
    </message>
    <message>
        <location filename="../../miniqmt_gui/ui/research_charts.py" line="61" />
        <source>其余组合最优</source>
        <translation>best over the others</translation>
    </message>
    <message>
        <location filename="../../miniqmt_gui/ui/research_charts.py" line="68" />
        <source>距最优点的网格步数</source>
        <translation>grid steps from the best point</translation>
    </message>
    <message>
        <location filename="../../miniqmt_gui/ui/research_charts.py" line="82" />
        <source>只扫描了一个参数：没有热力图</source>
        <translation>Only one parameter swept: no heatmap</translation>
    </message>
    <message>
        <location filename="../../miniqmt_gui/ui/research_charts.py" line="104" />
        <source>将鼠标移到热力图上查看数值</source>
        <translation>Move the mouse over the heatmap to see the values</translation>
    </message>
    <message>
        <location filename="../../miniqmt_gui/ui/research_charts.py" line="133" />
        <source>敏感度：</source>
        <translation>Sensitivity: </translation>
    </message>
    <message>
        <location filename="../../miniqmt_gui/ui/research_charts.py" line="146" />
        <source>最优点邻域</source>
        <translation>Neighbourhood of the best point</translation>
    </message>
    <message>
        <location filename="../../miniqmt_gui/ui/research_charts.py" line="148" />
        <source>：相邻一步中位数保留 %1%</source>
        <translation>: one step away keeps %1% (median)</translation>
    </message>
</context>
<context>
    <name>SettingsDialog</name>
    <message>
        <location filename="../../miniqmt_gui/ui/settings_dialog.py" line="48" />
        <source>首次设置</source>
        <translation>First-run setup</translation>
    </message>
    <message>
        <location filename="../../miniqmt_gui/ui/settings_dialog.py" line="48" />
        <source>设置</source>
        <translation>Settings</translation>
    </message>
    <message>
        <location filename="../../miniqmt_gui/ui/settings_dialog.py" line="53" />
        <source>尚未检查</source>
        <translation>Not checked yet</translation>
    </message>
    <message>
        <location filename="../../miniqmt_gui/ui/settings_dialog.py" line="60" />
        <source>未知</source>
        <translation>unknown</translation>
    </message>
    <message>
        <location filename="../../miniqmt_gui/ui/settings_dialog.py" line="68" />
        <source>用券商持仓 %1 − 账本层仓 %2 = %3 股</source>
        <translation>Use broker %1 − book lots %2 = %3 shares</translation>
    </message>
    <message>
        <location filename="../../miniqmt_gui/ui/settings_dialog.py" line="72" />
        <source>仅在连续竞价时段发单（09:30–11:30，13:00–14:57）</source>
        <translation>Only trade in the continuous session (09:30–11:30, 13:00–14:57)</translation>
    </message>
    <message>
        <location filename="../../miniqmt_gui/ui/settings_dialog.py" line="78" />
        <source>桌面通知（成交、拒单、行情过期、熔断）</source>
        <translation>Desktop notifications (fills, rejections, stale quotes, halts)</translation>
    </message>
    <message>
        <location filename="../../miniqmt_gui/ui/settings_dialog.py" line="80" />
        <source>语音播报（买入 / 卖出）</source>
        <translation>Spoken alerts (buy / sell)</translation>
    </message>
    <message>
        <location filename="../../miniqmt_gui/ui/settings_dialog.py" line="88" />
        <source>欢迎使用 miniqmt。请先指定与 Windows 虚拟机共享的文件夹（Mac 上通常是 ~/Documents/miniqmt），并确认行情端已在运行。</source>
        <translation>Welcome to miniqmt. Choose the folder shared with the Windows VM (on a Mac usually ~/Documents/miniqmt) and make sure the bridge is running.</translation>
    </message>
    <message>
        <location filename="../../miniqmt_gui/ui/settings_dialog.py" line="95" />
        <location filename="../../miniqmt_gui/ui/settings_dialog.py" line="105" />
        <source>浏览…</source>
        <translation>Browse…</translation>
    </message>
    <message>
        <location filename="../../miniqmt_gui/ui/settings_dialog.py" line="97" />
        <source>检查</source>
        <translation>Check</translation>
    </message>
    <message>
        <location filename="../../miniqmt_gui/ui/settings_dialog.py" line="101" />
        <source>共享文件夹</source>
        <translation>Shared folder</translation>
    </message>
    <message>
        <location filename="../../miniqmt_gui/ui/settings_dialog.py" line="108" />
        <source>本地工作文件夹</source>
        <translation>Local work folder</translation>
    </message>
    <message>
        <location filename="../../miniqmt_gui/ui/settings_dialog.py" line="109" />
        <source>行情过期阈值</source>
        <translation>Stale after</translation>
    </message>
    <message>
        <location filename="../../miniqmt_gui/ui/settings_dialog.py" line="110" />
        <source>拒单后静默期</source>
        <translation>Silent period after a rejection</translation>
    </message>
    <message>
        <location filename="../../miniqmt_gui/ui/settings_dialog.py" line="112" />
        <source>重新设定模拟账户起点…</source>
        <translation>Restart the simulated account…</translation>
    </message>
    <message>
        <location filename="../../miniqmt_gui/ui/settings_dialog.py" line="114" />
        <source>模拟账户从底仓或券商持仓重新开始（旧的模拟账户另存）</source>
        <translation>The simulated account starts again from the base or the broker's position (the old one is kept aside)</translation>
    </message>
    <message>
        <location filename="../../miniqmt_gui/ui/settings_dialog.py" line="116" />
        <source>模拟盘账户</source>
        <translation>Paper account</translation>
    </message>
    <message>
        <location filename="../../miniqmt_gui/ui/settings_dialog.py" line="120" />
        <source>底仓股数（Beta）</source>
        <translation>Base position shares (Beta)</translation>
    </message>
    <message>
        <location filename="../../miniqmt_gui/ui/settings_dialog.py" line="122" />
        <source>界面语言（重启后生效）</source>
        <translation>Language (after a restart)</translation>
    </message>
    <message>
        <location filename="../../miniqmt_gui/ui/settings_dialog.py" line="135" />
        <source>选择文件夹</source>
        <translation>Choose a folder</translation>
    </message>
    <message>
        <location filename="../../miniqmt_gui/ui/settings_dialog.py" line="143" />
        <source>检查中…</source>
        <translation>Checking…</translation>
    </message>
    <message>
        <location filename="../../miniqmt_gui/ui/settings_dialog.py" line="151" />
        <source>✗ 文件夹不存在或无法访问（检查 Parallels 共享）</source>
        <translation>✗ folder missing or unreachable (check the Parallels share)</translation>
    </message>
    <message>
        <location filename="../../miniqmt_gui/ui/settings_dialog.py" line="153" />
        <source>✗ 文件夹不可写</source>
        <translation>✗ folder not writable</translation>
    </message>
    <message>
        <location filename="../../miniqmt_gui/ui/settings_dialog.py" line="155" />
        <source>⚠ 可访问，但未发现行情端心跳（请在 Windows 中启动 miniqmt-bridge）</source>
        <translation>⚠ reachable, but no bridge heartbeat (start miniqmt-bridge in Windows)</translation>
    </message>
    <message>
        <location filename="../../miniqmt_gui/ui/settings_dialog.py" line="158" />
        <source>✓ 可访问；行情端心跳 %1 前</source>
        <translation>✓ reachable; bridge heartbeat %1 ago</translation>
    </message>
    <message>
        <location filename="../../miniqmt_gui/ui/settings_dialog.py" line="161" />
        <source>；执行端心跳 %1 前</source>
        <translation>; executor heartbeat %1 ago</translation>
    </message>
    <message>
        <location filename="../../miniqmt_gui/ui/settings_dialog.py" line="163" />
        <source>；未发现执行端心跳</source>
        <translation>; no executor heartbeat</translation>
    </message>
    <message>
        <location filename="../../miniqmt_gui/ui/settings_dialog.py" line="172" />
        <source>共享文件夹 %1 不存在。

如果 Windows 虚拟机通过 Parallels 共享 Mac 的文件夹，请先检查共享设置。现在在本机创建这个文件夹吗？</source>
        <translation>The shared folder %1 does not exist.

If the Windows VM shares the Mac's folder through Parallels, check the sharing first. Create the folder here now?</translation>
    </message>
    <message>
        <location filename="../../miniqmt_gui/ui/settings_dialog.py" line="175" />
        <source>共享文件夹不存在</source>
        <translation>Shared folder missing</translation>
    </message>
    <message>
        <location filename="../../miniqmt_gui/ui/settings_dialog.py" line="178" />
        <source>✗ 文件夹不存在：请选择已存在的共享文件夹，或允许创建</source>
        <translation>✗ folder does not exist: choose an existing shared folder, or allow creating it</translation>
    </message>
    <message>
        <location filename="../../miniqmt_gui/ui/settings_dialog.py" line="184" />
        <source>✗ 无法创建：</source>
        <translation>✗ cannot create: </translation>
    </message>
</context>
<context>
    <name>StatusStrip</name>
    <message>
        <location filename="../../miniqmt_gui/ui/status_strip.py" line="62" />
        <source>行情停滞 </source>
        <translation>Quote age </translation>
    </message>
    <message>
        <location filename="../../miniqmt_gui/ui/status_strip.py" line="51" />
        <source>行情端：未见</source>
        <translation>Bridge: not seen</translation>
    </message>
    <message>
        <location filename="../../miniqmt_gui/ui/status_strip.py" line="53" />
        <source>行情端失联 </source>
        <translation>Bridge link down </translation>
    </message>
    <message>
        <location filename="../../miniqmt_gui/ui/status_strip.py" line="55" />
        <source>行情端在线（未连接 QMT）</source>
        <translation>Bridge up (QMT not connected)</translation>
    </message>
    <message>
        <location filename="../../miniqmt_gui/ui/status_strip.py" line="57" />
        <source>行情端在线 </source>
        <translation>Bridge up </translation>
    </message>
    <message>
        <location filename="../../miniqmt_gui/ui/status_strip.py" line="68" />
        <source>仅观察</source>
        <translation>Watching only</translation>
    </message>
    <message>
        <location filename="../../miniqmt_gui/ui/status_strip.py" line="71" />
        <source>本程序交易</source>
        <translation>This app trades</translation>
    </message>
    <message>
        <location filename="../../miniqmt_gui/ui/status_strip.py" line="76" />
        <source>账本：委托状态不明</source>
        <translation>Book: order in doubt</translation>
    </message>
    <message>
        <location filename="../../miniqmt_gui/ui/status_strip.py" line="77" />
        <source>账本：信号无回报</source>
        <translation>Book: no result</translation>
    </message>
    <message>
        <location filename="../../miniqmt_gui/ui/status_strip.py" line="78" />
        <source>账本：需核对</source>
        <translation>Book: reconcile</translation>
    </message>
    <message>
        <location filename="../../miniqmt_gui/ui/status_strip.py" line="79" />
        <source>账本：与券商不一致</source>
        <translation>Book: differs from broker</translation>
    </message>
    <message>
        <location filename="../../miniqmt_gui/ui/status_strip.py" line="80" />
        <source>账本：底仓未设置</source>
        <translation>Book: base not set</translation>
    </message>
    <message>
        <location filename="../../miniqmt_gui/ui/status_strip.py" line="81" />
        <source>账本：等待券商核对</source>
        <translation>Book: waiting for the broker</translation>
    </message>
    <message>
        <location filename="../../miniqmt_gui/ui/status_strip.py" line="85" />
        <source>账本：已核对 ✓</source>
        <translation>Book: verified ✓</translation>
    </message>
    <message>
        <location filename="../../miniqmt_gui/ui/status_strip.py" line="90" />
        <source>执行端：本机模拟</source>
        <translation>Executor: simulated here</translation>
    </message>
    <message>
        <location filename="../../miniqmt_gui/ui/status_strip.py" line="92" />
        <source>执行端在线 </source>
        <translation>Executor alive </translation>
    </message>
    <message>
        <location filename="../../miniqmt_gui/ui/status_strip.py" line="94" />
        <source>执行端离线 </source>
        <translation>Executor OFFLINE </translation>
    </message>
</context>
<context>
    <name>window</name>
    <message>
        <location filename="../../miniqmt_gui/ui/app.py" line="87" />
        <source>参数文件无效，已使用默认参数：</source>
        <extracomment>how often a Python thread holding the GIL must offer it (default 5 ms). The GUI thread re-enters Python for every model/paint callback; a shorter interval bounds its wait behind the engine thread.</extracomment>
        <translation>Parameter file invalid, using the defaults: </translation>
    </message>
    <message>
        <location filename="../../miniqmt_gui/ui/app.py" line="89" />
        <source>配置文件无效，已使用默认设置：</source>
        <translation>Config file invalid, defaults used: </translation>
    </message>
    <message>
        <location filename="../../miniqmt_gui/ui/app.py" line="186" />
        <source>窗口已显示（%1 ms）</source>
        <translation>Window shown (%1 ms)</translation>
    </message>
</context>
</TS>