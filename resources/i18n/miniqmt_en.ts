<?xml version='1.0' encoding='utf-8'?>
<TS version="2.1" language="en_US" sourcelanguage="zh_CN">
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
        <source>回测耗时</source>
        <translation>Simulation time</translation>
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
        <translation>Layer</translation>
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
        <translation>Fee</translation>
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
        <location filename="../../miniqmt_gui/ui/backtest_view.py" line="80" />
        <source>内置样本（合成数据）</source>
        <translation>Built-in sample (synthetic)</translation>
    </message>
    <message>
        <location filename="../../miniqmt_gui/ui/backtest_view.py" line="80" />
        <source>CSV 文件</source>
        <translation>CSV file</translation>
    </message>
    <message>
        <location filename="../../miniqmt_gui/ui/backtest_view.py" line="82" />
        <source>1 分钟 K 线 CSV：datetime,open,high,low,close[,volume]</source>
        <translation>1-minute bars CSV: datetime,open,high,low,close[,volume]</translation>
    </message>
    <message>
        <location filename="../../miniqmt_gui/ui/backtest_view.py" line="83" />
        <source>浏览…</source>
        <translation>Browse…</translation>
    </message>
    <message>
        <location filename="../../miniqmt_gui/ui/backtest_view.py" line="86" />
        <source>参数…</source>
        <translation>Parameters…</translation>
    </message>
    <message>
        <location filename="../../miniqmt_gui/ui/backtest_view.py" line="88" />
        <source>收盘价成交 (close，原方案)</source>
        <translation>Fill at close (close, the original plan)</translation>
    </message>
    <message>
        <location filename="../../miniqmt_gui/ui/backtest_view.py" line="89" />
        <source>真实成交 (realistic：次开盘+滑点、T+1、资金)</source>
        <translation>Realistic (next open + slippage, T+1, cash)</translation>
    </message>
    <message>
        <location filename="../../miniqmt_gui/ui/backtest_view.py" line="90" />
        <source>开始回测</source>
        <translation>Run backtest</translation>
    </message>
    <message>
        <location filename="../../miniqmt_gui/ui/backtest_view.py" line="92" />
        <source>取消</source>
        <translation>Cancel</translation>
    </message>
    <message>
        <location filename="../../miniqmt_gui/ui/backtest_view.py" line="94" />
        <source>导出报告…</source>
        <translation>Export report…</translation>
    </message>
    <message>
        <location filename="../../miniqmt_gui/ui/backtest_view.py" line="99" />
        <source>就绪</source>
        <translation>Ready</translation>
    </message>
    <message>
        <location filename="../../miniqmt_gui/ui/backtest_view.py" line="103" />
        <source>回测设置</source>
        <translation>Backtest settings</translation>
    </message>
    <message>
        <location filename="../../miniqmt_gui/ui/backtest_view.py" line="105" />
        <source>数据</source>
        <translation>Data</translation>
    </message>
    <message>
        <location filename="../../miniqmt_gui/ui/backtest_view.py" line="113" />
        <source>预设</source>
        <translation>Preset</translation>
    </message>
    <message>
        <location filename="../../miniqmt_gui/ui/backtest_view.py" line="114" />
        <source>成交模型</source>
        <translation>Fill model</translation>
    </message>
    <message>
        <location filename="../../miniqmt_gui/ui/backtest_view.py" line="152" />
        <source>回测结果</source>
        <translation>Backtest results</translation>
    </message>
    <message>
        <location filename="../../miniqmt_gui/ui/backtest_view.py" line="153" />
        <source>参数稳健性</source>
        <translation>Robustness</translation>
    </message>
    <message>
        <location filename="../../miniqmt_gui/ui/backtest_view.py" line="198" />
        <source>选择 K 线数据</source>
        <translation>Choose bar data</translation>
    </message>
    <message>
        <location filename="../../miniqmt_gui/ui/backtest_view.py" line="199" />
        <source>K 线 CSV (*.csv *.csv.gz);;所有文件 (*)</source>
        <translation>Bar CSV (*.csv *.csv.gz);;All files (*)</translation>
    </message>
    <message>
        <location filename="../../miniqmt_gui/ui/backtest_view.py" line="225" />
        <source>请先选择 CSV 文件，或改用内置样本</source>
        <translation>Choose a CSV file first, or use the built-in sample</translation>
    </message>
    <message>
        <location filename="../../miniqmt_gui/ui/backtest_view.py" line="243" />
        <source>启动回测进程…</source>
        <translation>Starting the backtest process…</translation>
    </message>
    <message>
        <location filename="../../miniqmt_gui/ui/backtest_view.py" line="248" />
        <source>报告保存到</source>
        <translation>Save the report in</translation>
    </message>
    <message>
        <location filename="../../miniqmt_gui/ui/backtest_view.py" line="264" />
        <source>读取数据</source>
        <translation>Reading data</translation>
    </message>
    <message>
        <location filename="../../miniqmt_gui/ui/backtest_view.py" line="264" />
        <source>计算指标</source>
        <translation>Computing indicators</translation>
    </message>
    <message>
        <location filename="../../miniqmt_gui/ui/backtest_view.py" line="265" />
        <source>逐根 K 线回测</source>
        <translation>Simulating bar by bar</translation>
    </message>
    <message>
        <location filename="../../miniqmt_gui/ui/backtest_view.py" line="265" />
        <source>生成报告</source>
        <translation>Writing the report</translation>
    </message>
    <message>
        <location filename="../../miniqmt_gui/ui/backtest_view.py" line="266" />
        <source>完成</source>
        <translation>Done</translation>
    </message>
    <message>
        <location filename="../../miniqmt_gui/ui/backtest_view.py" line="273" />
        <source>报告已导出到 %1</source>
        <translation>Report written: %1</translation>
    </message>
    <message>
        <location filename="../../miniqmt_gui/ui/backtest_view.py" line="283" />
        <source>内置合成样本</source>
        <translation>built-in synthetic sample</translation>
    </message>
    <message>
        <location filename="../../miniqmt_gui/ui/backtest_view.py" line="285" />
        <source>回测完成：%1，%2 根 K 线，%3 笔交易</source>
        <translation>Backtest done: %1, %2 bars, %3 trades</translation>
    </message>
    <message>
        <location filename="../../miniqmt_gui/ui/backtest_view.py" line="303" />
        <location filename="../../miniqmt_gui/ui/backtest_view.py" line="304" />
        <source>回测失败：</source>
        <translation>Backtest failed: </translation>
    </message>
    <message>
        <location filename="../../miniqmt_gui/ui/backtest_view.py" line="308" />
        <source>回测已取消</source>
        <translation>Backtest cancelled</translation>
    </message>
</context>
<context>
    <name>ControlBar</name>
    <message>
        <location filename="../../miniqmt_gui/ui/controls.py" line="33" />
        <source>控制</source>
        <translation>Controls</translation>
    </message>
    <message>
        <location filename="../../miniqmt_gui/ui/controls.py" line="38" />
        <source>启动</source>
        <translation>Start</translation>
    </message>
    <message>
        <location filename="../../miniqmt_gui/ui/controls.py" line="39" />
        <source>停止</source>
        <translation>Stop</translation>
    </message>
    <message>
        <location filename="../../miniqmt_gui/ui/controls.py" line="40" />
        <source>只卖不买</source>
        <translation>Sell only</translation>
    </message>
    <message>
        <location filename="../../miniqmt_gui/ui/controls.py" line="41" />
        <source>紧急熔断</source>
        <translation>Emergency halt</translation>
    </message>
    <message>
        <location filename="../../miniqmt_gui/ui/controls.py" line="42" />
        <source>恢复</source>
        <translation>Resume</translation>
    </message>
    <message>
        <location filename="../../miniqmt_gui/ui/controls.py" line="53" />
        <source>模拟</source>
        <translation>Simulate</translation>
    </message>
    <message>
        <location filename="../../miniqmt_gui/ui/controls.py" line="56" />
        <source>模拟盘：在本机按实时行情撮合，不向执行端发单；仅在停止时可切换</source>
        <translation>Simulation: orders fill on this computer against live quotes, nothing goes to the executor; switch only while stopped</translation>
    </message>
    <message>
        <location filename="../../miniqmt_gui/ui/controls.py" line="62" />
        <source>策略参数</source>
        <translation>Parameters</translation>
    </message>
    <message>
        <location filename="../../miniqmt_gui/ui/controls.py" line="63" />
        <source>设置</source>
        <translation>Settings</translation>
    </message>
    <message>
        <location filename="../../miniqmt_gui/ui/controls.py" line="78" />
        <source>模拟盘</source>
        <translation>SIMULATED</translation>
    </message>
    <message>
        <location filename="../../miniqmt_gui/ui/controls.py" line="78" />
        <source>实盘</source>
        <translation>LIVE</translation>
    </message>
</context>
<context>
    <name>LayerModel</name>
    <message>
        <location filename="../../miniqmt_gui/ui/layer_model.py" line="81" />
        <source>层</source>
        <translation>Layer</translation>
    </message>
    <message>
        <location filename="../../miniqmt_gui/ui/layer_model.py" line="81" />
        <source>状态</source>
        <translation>State</translation>
    </message>
    <message>
        <location filename="../../miniqmt_gui/ui/layer_model.py" line="81" />
        <source>股数</source>
        <translation>Shares</translation>
    </message>
    <message>
        <location filename="../../miniqmt_gui/ui/layer_model.py" line="81" />
        <source>买入价</source>
        <translation>Buy price</translation>
    </message>
    <message>
        <location filename="../../miniqmt_gui/ui/layer_model.py" line="81" />
        <source>成本</source>
        <translation>Cost</translation>
    </message>
    <message>
        <location filename="../../miniqmt_gui/ui/layer_model.py" line="82" />
        <source>止盈价</source>
        <translation>Target</translation>
    </message>
    <message>
        <location filename="../../miniqmt_gui/ui/layer_model.py" line="82" />
        <source>浮动盈亏</source>
        <translation>Unrealised P&amp;L</translation>
    </message>
    <message>
        <location filename="../../miniqmt_gui/ui/layer_model.py" line="82" />
        <source>买入时间</source>
        <translation>Bought</translation>
    </message>
    <message>
        <location filename="../../miniqmt_gui/ui/layer_model.py" line="86" />
        <source>空</source>
        <translation>empty</translation>
    </message>
    <message>
        <location filename="../../miniqmt_gui/ui/layer_model.py" line="86" />
        <source>买入中</source>
        <translation>buy pending</translation>
    </message>
    <message>
        <location filename="../../miniqmt_gui/ui/layer_model.py" line="87" />
        <source>持有</source>
        <translation>held</translation>
    </message>
    <message>
        <location filename="../../miniqmt_gui/ui/layer_model.py" line="87" />
        <source>卖出中</source>
        <translation>sell pending</translation>
    </message>
    <message>
        <location filename="../../miniqmt_gui/ui/layer_model.py" line="156" />
        <source>合计</source>
        <translation>Total</translation>
    </message>
</context>
<context>
    <name>LayerPanel</name>
    <message>
        <location filename="../../miniqmt_gui/ui/layer_panel.py" line="29" />
        <source>层仓（账本）</source>
        <translation>Layers (book)</translation>
    </message>
    <message>
        <location filename="../../miniqmt_gui/ui/layer_panel.py" line="40" />
        <location filename="../../miniqmt_gui/ui/layer_panel.py" line="61" />
        <source>券商持仓：等待行情</source>
        <translation>Broker position: waiting for quotes</translation>
    </message>
    <message>
        <location filename="../../miniqmt_gui/ui/layer_panel.py" line="59" />
        <source>账本层仓 %1 股</source>
        <translation>book lots %1</translation>
    </message>
    <message>
        <location filename="../../miniqmt_gui/ui/layer_panel.py" line="65" />
        <source>⚠ 券商持仓查询失败（不视为空仓）</source>
        <translation>⚠ broker position query failed (not treated as flat)</translation>
    </message>
    <message>
        <location filename="../../miniqmt_gui/ui/layer_panel.py" line="69" />
        <source>券商持仓 %1 股（可用 %2）</source>
        <translation>broker holds %1 (sellable %2)</translation>
    </message>
    <message>
        <location filename="../../miniqmt_gui/ui/layer_panel.py" line="73" />
        <source>不一致，暂停买入：</source>
        <translation>MISMATCH, buys paused: </translation>
    </message>
    <message>
        <location filename="../../miniqmt_gui/ui/layer_panel.py" line="76" />
        <source>一致</source>
        <translation>match</translation>
    </message>
</context>
<context>
    <name>LiveChart</name>
    <message>
        <location filename="../../miniqmt_gui/ui/live_chart.py" line="154" />
        <source>最新 </source>
        <translation>last </translation>
    </message>
    <message>
        <location filename="../../miniqmt_gui/ui/live_chart.py" line="193" />
        <source>买入 </source>
        <translation>buy </translation>
    </message>
    <message>
        <location filename="../../miniqmt_gui/ui/live_chart.py" line="195" />
        <source>止盈 </source>
        <translation>take-profit </translation>
    </message>
    <message>
        <location filename="../../miniqmt_gui/ui/live_chart.py" line="201" />
        <source>下一买点 </source>
        <translation>next buy </translation>
    </message>
    <message>
        <location filename="../../miniqmt_gui/ui/live_chart.py" line="253" />
        <source>开</source>
        <translation>O</translation>
    </message>
    <message>
        <location filename="../../miniqmt_gui/ui/live_chart.py" line="253" />
        <source>高</source>
        <translation>H</translation>
    </message>
    <message>
        <location filename="../../miniqmt_gui/ui/live_chart.py" line="254" />
        <source>低</source>
        <translation>L</translation>
    </message>
    <message>
        <location filename="../../miniqmt_gui/ui/live_chart.py" line="254" />
        <source>收</source>
        <translation>C</translation>
    </message>
    <message>
        <location filename="../../miniqmt_gui/ui/live_chart.py" line="255" />
        <source>量</source>
        <translation>Vol</translation>
    </message>
    <message>
        <location filename="../../miniqmt_gui/ui/live_chart.py" line="255" />
        <source>光标</source>
        <translation>cursor</translation>
    </message>
</context>
<context>
    <name>LiveTab</name>
    <message>
        <location filename="../../miniqmt_gui/ui/live_tab.py" line="35" />
        <source>K 线（取消为折线）</source>
        <translation>Candles (untick for a line)</translation>
    </message>
    <message>
        <location filename="../../miniqmt_gui/ui/live_tab.py" line="42" />
        <source>委托与历史</source>
        <translation>Orders &amp; history</translation>
    </message>
    <message>
        <location filename="../../miniqmt_gui/ui/live_tab.py" line="43" />
        <source>日志</source>
        <translation>Log</translation>
    </message>
    <message>
        <location filename="../../miniqmt_gui/ui/live_tab.py" line="82" />
        <source>行情已过期，暂停发单</source>
        <translation>Quotes stale, no orders</translation>
    </message>
    <message>
        <location filename="../../miniqmt_gui/ui/live_tab.py" line="86" />
        <source>行情端未连接 QMT</source>
        <translation>The bridge is not connected to QMT</translation>
    </message>
    <message>
        <location filename="../../miniqmt_gui/ui/live_tab.py" line="90" />
        <source>模拟盘：订单在本机模拟成交，不会发送到执行端</source>
        <translation>Simulation: orders fill on this computer and never reach the executor</translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <location filename="../../miniqmt_gui/ui/main_window.py" line="50" />
        <source>实盘监控</source>
        <translation>Live</translation>
    </message>
    <message>
        <location filename="../../miniqmt_gui/ui/main_window.py" line="51" />
        <source>回测</source>
        <translation>Backtest</translation>
    </message>
    <message>
        <location filename="../../miniqmt_gui/ui/main_window.py" line="102" />
        <source>已请求紧急熔断：写入 STOP 文件</source>
        <translation>Emergency halt requested: writing the STOP file</translation>
    </message>
    <message>
        <location filename="../../miniqmt_gui/ui/main_window.py" line="106" />
        <source>恢复交易</source>
        <translation>Resume trading</translation>
    </message>
    <message>
        <location filename="../../miniqmt_gui/ui/main_window.py" line="106" />
        <source>删除 STOP 文件并恢复自动交易？</source>
        <translation>Remove the STOP file and resume automatic trading?</translation>
    </message>
    <message>
        <location filename="../../miniqmt_gui/ui/main_window.py" line="113" />
        <location filename="../../miniqmt_gui/ui/main_window.py" line="114" />
        <location filename="../../miniqmt_gui/ui/main_window.py" line="224" />
        <source>运行中不能切换模拟/实盘，请先停止</source>
        <translation>Cannot switch simulate/live while running: stop first</translation>
    </message>
    <message>
        <location filename="../../miniqmt_gui/ui/main_window.py" line="153" />
        <source>本机没有可用的语音引擎，语音播报不可用</source>
        <translation>No speech engine on this computer; spoken alerts are off</translation>
    </message>
    <message>
        <location filename="../../miniqmt_gui/ui/main_window.py" line="155" />
        <source>设置已保存；策略运行中，停止后重新打开设置以应用到引擎</source>
        <translation>Settings saved; the strategy is running: stop it and reopen Settings to apply them to the engine</translation>
    </message>
    <message>
        <location filename="../../miniqmt_gui/ui/main_window.py" line="158" />
        <source>界面语言将在重启后生效</source>
        <translation>The language changes after a restart</translation>
    </message>
    <message>
        <location filename="../../miniqmt_gui/ui/main_window.py" line="186" />
        <source>已熔断</source>
        <translation>Halted</translation>
    </message>
    <message>
        <location filename="../../miniqmt_gui/ui/main_window.py" line="192" />
        <source>买入</source>
        <translation>Buy</translation>
    </message>
    <message>
        <location filename="../../miniqmt_gui/ui/main_window.py" line="192" />
        <source>卖出</source>
        <translation>Sell</translation>
    </message>
    <message>
        <location filename="../../miniqmt_gui/ui/main_window.py" line="199" />
        <source>成交：</source>
        <translation>Filled: </translation>
    </message>
    <message>
        <location filename="../../miniqmt_gui/ui/main_window.py" line="202" />
        <source>未成交：</source>
        <translation>Not filled: </translation>
    </message>
    <message>
        <location filename="../../miniqmt_gui/ui/main_window.py" line="208" />
        <source>行情 %1 秒未更新</source>
        <translation>No new quote for %1 s</translation>
    </message>
    <message>
        <location filename="../../miniqmt_gui/ui/main_window.py" line="209" />
        <location filename="../../miniqmt_gui/ui/main_window.py" line="219" />
        <source>行情已过期，暂停发单</source>
        <translation>Quotes stale, no orders</translation>
    </message>
    <message>
        <location filename="../../miniqmt_gui/ui/main_window.py" line="216" />
        <location filename="../../miniqmt_gui/ui/main_window.py" line="231" />
        <source>模拟盘</source>
        <translation>SIMULATED</translation>
    </message>
    <message>
        <location filename="../../miniqmt_gui/ui/main_window.py" line="216" />
        <location filename="../../miniqmt_gui/ui/main_window.py" line="231" />
        <source>实盘</source>
        <translation>LIVE</translation>
    </message>
    <message>
        <location filename="../../miniqmt_gui/ui/main_window.py" line="226" />
        <source>引擎错误：</source>
        <translation>Engine error: </translation>
    </message>
    <message>
        <location filename="../../miniqmt_gui/ui/main_window.py" line="227" />
        <source>引擎错误</source>
        <translation>Engine error</translation>
    </message>
    <message>
        <location filename="../../miniqmt_gui/ui/main_window.py" line="232" />
        <source>交易模式：</source>
        <translation>Trading mode: </translation>
    </message>
    <message>
        <location filename="../../miniqmt_gui/ui/main_window.py" line="236" />
        <source>写入失败 %1：%2</source>
        <translation>Could not write %1: %2</translation>
    </message>
    <message>
        <location filename="../../miniqmt_gui/ui/main_window.py" line="239" />
        <source>已保存 </source>
        <translation>Saved </translation>
    </message>
</context>
<context>
    <name>OrdersModel</name>
    <message>
        <location filename="../../miniqmt_gui/ui/orders_panel.py" line="39" />
        <source>已发送，等待结果</source>
        <translation>sent, waiting for result</translation>
    </message>
    <message>
        <location filename="../../miniqmt_gui/ui/orders_panel.py" line="39" />
        <source>全部成交</source>
        <translation>filled</translation>
    </message>
    <message>
        <location filename="../../miniqmt_gui/ui/orders_panel.py" line="40" />
        <source>部分成交</source>
        <translation>partially filled</translation>
    </message>
    <message>
        <location filename="../../miniqmt_gui/ui/orders_panel.py" line="40" />
        <source>拒绝</source>
        <translation>rejected</translation>
    </message>
    <message>
        <location filename="../../miniqmt_gui/ui/orders_panel.py" line="41" />
        <source>已撤单</source>
        <translation>cancelled</translation>
    </message>
    <message>
        <location filename="../../miniqmt_gui/ui/orders_panel.py" line="41" />
        <source>模拟成交</source>
        <translation>simulated</translation>
    </message>
    <message>
        <location filename="../../miniqmt_gui/ui/orders_panel.py" line="44" />
        <source>时间</source>
        <translation>Time</translation>
    </message>
    <message>
        <location filename="../../miniqmt_gui/ui/orders_panel.py" line="45" />
        <source>信号</source>
        <translation>Signal</translation>
    </message>
    <message>
        <location filename="../../miniqmt_gui/ui/orders_panel.py" line="46" />
        <source>方向</source>
        <translation>Side</translation>
    </message>
    <message>
        <location filename="../../miniqmt_gui/ui/orders_panel.py" line="48" />
        <source>层</source>
        <translation>Layer</translation>
    </message>
    <message>
        <location filename="../../miniqmt_gui/ui/orders_panel.py" line="49" />
        <source>委托价</source>
        <translation>Limit</translation>
    </message>
    <message>
        <location filename="../../miniqmt_gui/ui/orders_panel.py" line="50" />
        <source>委托股数</source>
        <translation>Requested</translation>
    </message>
    <message>
        <location filename="../../miniqmt_gui/ui/orders_panel.py" line="51" />
        <source>成交股数</source>
        <translation>Filled</translation>
    </message>
    <message>
        <location filename="../../miniqmt_gui/ui/orders_panel.py" line="52" />
        <source>成交均价</source>
        <translation>Avg price</translation>
    </message>
    <message>
        <location filename="../../miniqmt_gui/ui/orders_panel.py" line="53" />
        <source>状态</source>
        <translation>State</translation>
    </message>
    <message>
        <location filename="../../miniqmt_gui/ui/orders_panel.py" line="55" />
        <source>说明</source>
        <translation>Message</translation>
    </message>
    <message>
        <location filename="../../miniqmt_gui/ui/orders_panel.py" line="61" />
        <source>买入</source>
        <translation>Buy</translation>
    </message>
    <message>
        <location filename="../../miniqmt_gui/ui/orders_panel.py" line="61" />
        <source>卖出</source>
        <translation>Sell</translation>
    </message>
    <message>
        <location filename="../../miniqmt_gui/ui/orders_panel.py" line="69" />
        <source>恢复重发 </source>
        <translation>recovery re-send </translation>
    </message>
    <message>
        <location filename="../../miniqmt_gui/ui/orders_panel.py" line="84" />
        <source> [模拟]</source>
        <translation> [simulated]</translation>
    </message>
</context>
<context>
    <name>OrdersPanel</name>
    <message>
        <location filename="../../miniqmt_gui/ui/orders_panel.py" line="144" />
        <source>筛选：信号、方向、说明…</source>
        <translation>Filter: signal, side, message…</translation>
    </message>
    <message>
        <location filename="../../miniqmt_gui/ui/orders_panel.py" line="146" />
        <source>全部状态</source>
        <translation>All statuses</translation>
    </message>
    <message>
        <location filename="../../miniqmt_gui/ui/orders_panel.py" line="149" />
        <source>导出 CSV…</source>
        <translation>Export CSV…</translation>
    </message>
    <message>
        <location filename="../../miniqmt_gui/ui/orders_panel.py" line="150" />
        <source>导出决策日志…</source>
        <translation>Export journal…</translation>
    </message>
    <message>
        <location filename="../../miniqmt_gui/ui/orders_panel.py" line="174" />
        <source>导出委托记录</source>
        <translation>Export orders</translation>
    </message>
    <message>
        <location filename="../../miniqmt_gui/ui/orders_panel.py" line="179" />
        <source>导出决策日志</source>
        <translation>Export decision journal</translation>
    </message>
</context>
<context>
    <name>ParamsDialog</name>
    <message>
        <location filename="../../miniqmt_gui/ui/params_dialog.py" line="33" />
        <source>资金与费用</source>
        <translation>Capital and costs</translation>
    </message>
    <message>
        <location filename="../../miniqmt_gui/ui/params_dialog.py" line="34" />
        <source>底仓资金 Beta (元)</source>
        <translation>Base capital Beta (CNY)</translation>
    </message>
    <message>
        <location filename="../../miniqmt_gui/ui/params_dialog.py" line="35" />
        <source>流动资金 Alpha (元)</source>
        <translation>Flow capital Alpha (CNY)</translation>
    </message>
    <message>
        <location filename="../../miniqmt_gui/ui/params_dialog.py" line="36" />
        <source>各层权重 (逗号分隔)</source>
        <translation>Layer weights (comma separated)</translation>
    </message>
    <message>
        <location filename="../../miniqmt_gui/ui/params_dialog.py" line="37" />
        <source>佣金费率</source>
        <translation>Commission rate</translation>
    </message>
    <message>
        <location filename="../../miniqmt_gui/ui/params_dialog.py" line="38" />
        <source>最低佣金 (元)</source>
        <translation>Minimum commission (CNY)</translation>
    </message>
    <message>
        <location filename="../../miniqmt_gui/ui/params_dialog.py" line="40" />
        <source>网格步长与止盈</source>
        <translation>Grid step and take-profit</translation>
    </message>
    <message>
        <location filename="../../miniqmt_gui/ui/params_dialog.py" line="41" />
        <source>ATR 系数</source>
        <translation>ATR factor</translation>
    </message>
    <message>
        <location filename="../../miniqmt_gui/ui/params_dialog.py" line="42" />
        <source>最小步长</source>
        <translation>Step floor</translation>
    </message>
    <message>
        <location filename="../../miniqmt_gui/ui/params_dialog.py" line="43" />
        <source>每层附加步长</source>
        <translation>Step bonus per layer</translation>
    </message>
    <message>
        <location filename="../../miniqmt_gui/ui/params_dialog.py" line="44" />
        <source>止盈比例</source>
        <translation>Take-profit</translation>
    </message>
    <message>
        <location filename="../../miniqmt_gui/ui/params_dialog.py" line="45" />
        <source>止盈倍数</source>
        <translation>Take-profit multiple</translation>
    </message>
    <message>
        <location filename="../../miniqmt_gui/ui/params_dialog.py" line="47" />
        <source>趋势因子</source>
        <translation>Trend factors</translation>
    </message>
    <message>
        <location filename="../../miniqmt_gui/ui/params_dialog.py" line="48" />
        <source>上升趋势 步长×</source>
        <translation>uptrend step ×</translation>
    </message>
    <message>
        <location filename="../../miniqmt_gui/ui/params_dialog.py" line="49" />
        <source>上升趋势 止盈×</source>
        <translation>uptrend take-profit ×</translation>
    </message>
    <message>
        <location filename="../../miniqmt_gui/ui/params_dialog.py" line="50" />
        <source>上升趋势 仓位×</source>
        <translation>uptrend size ×</translation>
    </message>
    <message>
        <location filename="../../miniqmt_gui/ui/params_dialog.py" line="51" />
        <source>下降趋势 步长×</source>
        <translation>downtrend step ×</translation>
    </message>
    <message>
        <location filename="../../miniqmt_gui/ui/params_dialog.py" line="52" />
        <source>下降趋势 止盈×</source>
        <translation>downtrend take-profit ×</translation>
    </message>
    <message>
        <location filename="../../miniqmt_gui/ui/params_dialog.py" line="53" />
        <source>下降趋势 仓位×</source>
        <translation>downtrend size ×</translation>
    </message>
    <message>
        <location filename="../../miniqmt_gui/ui/params_dialog.py" line="55" />
        <source>熔断与冷却</source>
        <translation>Breaker and cool-down</translation>
    </message>
    <message>
        <location filename="../../miniqmt_gui/ui/params_dialog.py" line="56" />
        <source>ATR 熔断倍数</source>
        <translation>ATR breaker multiple</translation>
    </message>
    <message>
        <location filename="../../miniqmt_gui/ui/params_dialog.py" line="57" />
        <source>冷却 K 线数</source>
        <translation>Cool-down bars</translation>
    </message>
    <message>
        <location filename="../../miniqmt_gui/ui/params_dialog.py" line="58" />
        <source>超卖时冷却 K 线数</source>
        <translation>Cool-down bars when oversold</translation>
    </message>
    <message>
        <location filename="../../miniqmt_gui/ui/params_dialog.py" line="59" />
        <source>超卖 RSI</source>
        <translation>Oversold RSI</translation>
    </message>
    <message>
        <location filename="../../miniqmt_gui/ui/params_dialog.py" line="61" />
        <source>可选规则</source>
        <translation>Optional rules</translation>
    </message>
    <message>
        <location filename="../../miniqmt_gui/ui/params_dialog.py" line="62" />
        <source>浮亏止损</source>
        <translation>Float-loss stop</translation>
    </message>
    <message>
        <location filename="../../miniqmt_gui/ui/params_dialog.py" line="63" />
        <source>浮亏止损额 (元)</source>
        <translation>Float-loss limit (CNY)</translation>
    </message>
    <message>
        <location filename="../../miniqmt_gui/ui/params_dialog.py" line="64" />
        <source>时间过滤</source>
        <translation>Time filter</translation>
    </message>
    <message>
        <location filename="../../miniqmt_gui/ui/params_dialog.py" line="65" />
        <source>禁开首层 自</source>
        <translation>No first layer from</translation>
    </message>
    <message>
        <location filename="../../miniqmt_gui/ui/params_dialog.py" line="66" />
        <source>禁开首层 至</source>
        <translation>No first layer until</translation>
    </message>
    <message>
        <location filename="../../miniqmt_gui/ui/params_dialog.py" line="67" />
        <source>此后不买入</source>
        <translation>No buys after</translation>
    </message>
    <message>
        <location filename="../../miniqmt_gui/ui/params_dialog.py" line="69" />
        <source>指标窗口与成交模型</source>
        <translation>Indicator windows and fill model</translation>
    </message>
    <message>
        <location filename="../../miniqmt_gui/ui/params_dialog.py" line="70" />
        <source>ATR 周期</source>
        <translation>ATR period</translation>
    </message>
    <message>
        <location filename="../../miniqmt_gui/ui/params_dialog.py" line="71" />
        <source>均线周期</source>
        <translation>MA period</translation>
    </message>
    <message>
        <location filename="../../miniqmt_gui/ui/params_dialog.py" line="72" />
        <source>斜率间隔</source>
        <translation>Slope lag</translation>
    </message>
    <message>
        <location filename="../../miniqmt_gui/ui/params_dialog.py" line="73" />
        <source>斜率 EMA 跨度</source>
        <translation>Slope EMA span</translation>
    </message>
    <message>
        <location filename="../../miniqmt_gui/ui/params_dialog.py" line="74" />
        <source>ATR 均值周期</source>
        <translation>ATR average period</translation>
    </message>
    <message>
        <location filename="../../miniqmt_gui/ui/params_dialog.py" line="75" />
        <source>RSI 周期</source>
        <translation>RSI period</translation>
    </message>
    <message>
        <location filename="../../miniqmt_gui/ui/params_dialog.py" line="76" />
        <source>每手股数</source>
        <translation>Lot size</translation>
    </message>
    <message>
        <location filename="../../miniqmt_gui/ui/params_dialog.py" line="77" />
        <source>最小价位</source>
        <translation>Tick size</translation>
    </message>
    <message>
        <location filename="../../miniqmt_gui/ui/params_dialog.py" line="78" />
        <source>滑点 (跳)</source>
        <translation>Slippage (ticks)</translation>
    </message>
    <message>
        <location filename="../../miniqmt_gui/ui/params_dialog.py" line="79" />
        <source>额外可用现金 (元)</source>
        <translation>Extra free cash (CNY)</translation>
    </message>
    <message>
        <location filename="../../miniqmt_gui/ui/params_dialog.py" line="103" />
        <source>策略参数</source>
        <translation>Parameters</translation>
    </message>
    <message>
        <location filename="../../miniqmt_gui/ui/params_dialog.py" line="123" />
        <source>预设方案：</source>
        <translation>Preset:</translation>
    </message>
    <message>
        <location filename="../../miniqmt_gui/ui/params_dialog.py" line="184" />
        <source>参数无效：</source>
        <translation>Invalid parameters: </translation>
    </message>
</context>
<context>
    <name>QuotePanel</name>
    <message>
        <location filename="../../miniqmt_gui/ui/quote_panel.py" line="29" />
        <source>行情</source>
        <translation>Quote</translation>
    </message>
    <message>
        <location filename="../../miniqmt_gui/ui/quote_panel.py" line="45" />
        <source>成交量</source>
        <translation>Volume</translation>
    </message>
    <message>
        <location filename="../../miniqmt_gui/ui/quote_panel.py" line="47" />
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
        <location filename="../../miniqmt_gui/ui/quote_panel.py" line="88" />
        <source>昨收</source>
        <translation>prev. close</translation>
    </message>
    <message>
        <location filename="../../miniqmt_gui/ui/quote_panel.py" line="91" />
        <source>昨收未知</source>
        <translation>previous close unknown</translation>
    </message>
</context>
<context>
    <name>ResearchView</name>
    <message>
        <location filename="../../miniqmt_gui/ui/research_view.py" line="67" />
        <source>参数</source>
        <translation>Parameter</translation>
    </message>
    <message>
        <location filename="../../miniqmt_gui/ui/research_view.py" line="67" />
        <source>起始</source>
        <translation>From</translation>
    </message>
    <message>
        <location filename="../../miniqmt_gui/ui/research_view.py" line="67" />
        <source>结束</source>
        <translation>To</translation>
    </message>
    <message>
        <location filename="../../miniqmt_gui/ui/research_view.py" line="68" />
        <source>点数</source>
        <translation>Count</translation>
    </message>
    <message>
        <location filename="../../miniqmt_gui/ui/research_view.py" line="72" />
        <source>添加参数</source>
        <translation>Add parameter</translation>
    </message>
    <message>
        <location filename="../../miniqmt_gui/ui/research_view.py" line="73" />
        <source>删除参数</source>
        <translation>Remove parameter</translation>
    </message>
    <message>
        <location filename="../../miniqmt_gui/ui/research_view.py" line="76" />
        <source>开始扫描</source>
        <translation>Run sweep</translation>
    </message>
    <message>
        <location filename="../../miniqmt_gui/ui/research_view.py" line="77" />
        <source>取消</source>
        <translation>Cancel</translation>
    </message>
    <message>
        <location filename="../../miniqmt_gui/ui/research_view.py" line="81" />
        <source>在左侧回测设置中选择数据、预设和成交模型</source>
        <translation>Data, preset and fill model come from the backtest settings on the left</translation>
    </message>
    <message>
        <location filename="../../miniqmt_gui/ui/research_view.py" line="89" />
        <source>参数扫描</source>
        <translation>Parameter sweep</translation>
    </message>
    <message>
        <location filename="../../miniqmt_gui/ui/research_view.py" line="96" />
        <source>评分</source>
        <translation>Score</translation>
    </message>
    <message>
        <location filename="../../miniqmt_gui/ui/research_view.py" line="103" />
        <source>横轴</source>
        <translation>X axis</translation>
    </message>
    <message>
        <location filename="../../miniqmt_gui/ui/research_view.py" line="104" />
        <source>纵轴</source>
        <translation>Y axis</translation>
    </message>
    <message>
        <location filename="../../miniqmt_gui/ui/research_view.py" line="185" />
        <source>参数范围有误：</source>
        <translation>Bad parameter ranges: </translation>
    </message>
    <message>
        <location filename="../../miniqmt_gui/ui/research_view.py" line="193" />
        <source>扫描 %1 组参数…</source>
        <translation>Sweeping %1 parameter sets…</translation>
    </message>
    <message>
        <location filename="../../miniqmt_gui/ui/research_view.py" line="203" />
        <source>读取数据</source>
        <translation>Reading data</translation>
    </message>
    <message>
        <location filename="../../miniqmt_gui/ui/research_view.py" line="203" />
        <source>扫描参数</source>
        <translation>Sweeping</translation>
    </message>
    <message>
        <location filename="../../miniqmt_gui/ui/research_view.py" line="203" />
        <source>完成</source>
        <translation>Done</translation>
    </message>
    <message>
        <location filename="../../miniqmt_gui/ui/research_view.py" line="218" />
        <source>内置合成样本</source>
        <translation>built-in synthetic sample</translation>
    </message>
    <message>
        <location filename="../../miniqmt_gui/ui/research_view.py" line="219" />
        <source>扫描完成：%1 组参数，用时 %2 秒</source>
        <translation>Sweep done: %1 parameter sets in %2 s</translation>
    </message>
    <message>
        <location filename="../../miniqmt_gui/ui/research_view.py" line="237" />
        <source>最优点：%1；%2 = %3</source>
        <translation>Best point: %1; %2 = %3</translation>
    </message>
    <message>
        <location filename="../../miniqmt_gui/ui/research_view.py" line="241" />
        <source>；相邻一步 %1 个点，中位数 %2，最差 %3</source>
        <translation>; one step away: %1 points, median %2, worst %3</translation>
    </message>
    <message>
        <location filename="../../miniqmt_gui/ui/research_view.py" line="247" />
        <source>扫描失败：</source>
        <translation>Sweep failed: </translation>
    </message>
    <message>
        <location filename="../../miniqmt_gui/ui/research_view.py" line="251" />
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
        <location filename="../../miniqmt_gui/ui/settings_dialog.py" line="42" />
        <source>首次设置</source>
        <translation>First-run setup</translation>
    </message>
    <message>
        <location filename="../../miniqmt_gui/ui/settings_dialog.py" line="42" />
        <source>设置</source>
        <translation>Settings</translation>
    </message>
    <message>
        <location filename="../../miniqmt_gui/ui/settings_dialog.py" line="47" />
        <source>尚未检查</source>
        <translation>Not checked yet</translation>
    </message>
    <message>
        <location filename="../../miniqmt_gui/ui/settings_dialog.py" line="54" />
        <source>未知</source>
        <translation>unknown</translation>
    </message>
    <message>
        <location filename="../../miniqmt_gui/ui/settings_dialog.py" line="56" />
        <source>仅在连续竞价时段发单（09:30–11:30，13:00–14:57）</source>
        <translation>Only trade in the continuous session (09:30–11:30, 13:00–14:57)</translation>
    </message>
    <message>
        <location filename="../../miniqmt_gui/ui/settings_dialog.py" line="62" />
        <source>桌面通知（成交、拒单、行情过期、熔断）</source>
        <translation>Desktop notifications (fills, rejections, stale quotes, halts)</translation>
    </message>
    <message>
        <location filename="../../miniqmt_gui/ui/settings_dialog.py" line="64" />
        <source>语音播报（买入 / 卖出）</source>
        <translation>Spoken alerts (buy / sell)</translation>
    </message>
    <message>
        <location filename="../../miniqmt_gui/ui/settings_dialog.py" line="71" />
        <source>欢迎使用 miniqmt。请先指定与 Windows 虚拟机共享的文件夹（Mac 上通常是 ~/Documents/miniqmt），并确认行情端已在运行。</source>
        <translation>Welcome to miniqmt. Choose the folder shared with the Windows VM (on a Mac usually ~/Documents/miniqmt) and make sure the bridge is running.</translation>
    </message>
    <message>
        <location filename="../../miniqmt_gui/ui/settings_dialog.py" line="78" />
        <location filename="../../miniqmt_gui/ui/settings_dialog.py" line="88" />
        <source>浏览…</source>
        <translation>Browse…</translation>
    </message>
    <message>
        <location filename="../../miniqmt_gui/ui/settings_dialog.py" line="80" />
        <source>检查</source>
        <translation>Check</translation>
    </message>
    <message>
        <location filename="../../miniqmt_gui/ui/settings_dialog.py" line="84" />
        <source>共享文件夹</source>
        <translation>Shared folder</translation>
    </message>
    <message>
        <location filename="../../miniqmt_gui/ui/settings_dialog.py" line="91" />
        <source>本地工作文件夹</source>
        <translation>Local work folder</translation>
    </message>
    <message>
        <location filename="../../miniqmt_gui/ui/settings_dialog.py" line="92" />
        <source>行情过期阈值</source>
        <translation>Stale after</translation>
    </message>
    <message>
        <location filename="../../miniqmt_gui/ui/settings_dialog.py" line="93" />
        <source>拒单后静默期</source>
        <translation>Silent period after a rejection</translation>
    </message>
    <message>
        <location filename="../../miniqmt_gui/ui/settings_dialog.py" line="94" />
        <source>底仓股数（Beta）</source>
        <translation>Base position shares (Beta)</translation>
    </message>
    <message>
        <location filename="../../miniqmt_gui/ui/settings_dialog.py" line="96" />
        <source>界面语言（重启后生效）</source>
        <translation>Language (after a restart)</translation>
    </message>
    <message>
        <location filename="../../miniqmt_gui/ui/settings_dialog.py" line="108" />
        <source>选择文件夹</source>
        <translation>Choose a folder</translation>
    </message>
    <message>
        <location filename="../../miniqmt_gui/ui/settings_dialog.py" line="116" />
        <source>检查中…</source>
        <translation>Checking…</translation>
    </message>
    <message>
        <location filename="../../miniqmt_gui/ui/settings_dialog.py" line="124" />
        <source>✗ 文件夹不存在或无法访问（检查 Parallels 共享）</source>
        <translation>✗ folder missing or unreachable (check the Parallels share)</translation>
    </message>
    <message>
        <location filename="../../miniqmt_gui/ui/settings_dialog.py" line="126" />
        <source>✗ 文件夹不可写</source>
        <translation>✗ folder not writable</translation>
    </message>
    <message>
        <location filename="../../miniqmt_gui/ui/settings_dialog.py" line="128" />
        <source>⚠ 可访问，但未发现行情端心跳（请在 Windows 中启动 miniqmt-bridge）</source>
        <translation>⚠ reachable, but no bridge heartbeat (start miniqmt-bridge in Windows)</translation>
    </message>
    <message>
        <location filename="../../miniqmt_gui/ui/settings_dialog.py" line="131" />
        <source>✓ 可访问；行情端心跳 %1 前</source>
        <translation>✓ reachable; bridge heartbeat %1 ago</translation>
    </message>
    <message>
        <location filename="../../miniqmt_gui/ui/settings_dialog.py" line="134" />
        <source>；执行端心跳 %1 前</source>
        <translation>; executor heartbeat %1 ago</translation>
    </message>
    <message>
        <location filename="../../miniqmt_gui/ui/settings_dialog.py" line="136" />
        <source>；未发现执行端心跳</source>
        <translation>; no executor heartbeat</translation>
    </message>
</context>
<context>
    <name>StatusStrip</name>
    <message>
        <location filename="../../miniqmt_gui/ui/status_strip.py" line="48" />
        <source>行情端心跳 </source>
        <translation>Bridge heartbeat </translation>
    </message>
    <message>
        <location filename="../../miniqmt_gui/ui/status_strip.py" line="50" />
        <source>（未连接 QMT）</source>
        <translation> (not connected to QMT)</translation>
    </message>
    <message>
        <location filename="../../miniqmt_gui/ui/status_strip.py" line="53" />
        <source>行情停滞 </source>
        <translation>Quote age </translation>
    </message>
    <message>
        <location filename="../../miniqmt_gui/ui/status_strip.py" line="60" />
        <source>执行端：模拟盘不需要</source>
        <translation>Executor: not needed in simulation</translation>
    </message>
    <message>
        <location filename="../../miniqmt_gui/ui/status_strip.py" line="62" />
        <source>执行端在线 </source>
        <translation>Executor alive </translation>
    </message>
    <message>
        <location filename="../../miniqmt_gui/ui/status_strip.py" line="64" />
        <source>执行端离线 </source>
        <translation>Executor OFFLINE </translation>
    </message>
</context>
<context>
    <name>window</name>
    <message>
        <location filename="../../miniqmt_gui/ui/app.py" line="69" />
        <source>参数文件无效，已使用默认参数：</source>
        <extracomment>how often a Python thread holding the GIL must offer it (default 5 ms). The GUI thread re-enters Python for every model/paint callback; a shorter interval bounds its wait behind the engine thread.</extracomment>
        <translation>Parameter file invalid, using the defaults: </translation>
    </message>
    <message>
        <location filename="../../miniqmt_gui/ui/app.py" line="114" />
        <source>窗口已显示（%1 ms）</source>
        <translation>Window shown (%1 ms)</translation>
    </message>
</context>
</TS>