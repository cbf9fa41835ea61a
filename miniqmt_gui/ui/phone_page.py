"""The phone view's single page: HTML, CSS and a small script that polls ``/api/state`` every 3 s.

Read-only by construction: it only fetches; every value it inserts as HTML is a number or escaped.
"""

PAGE = """<!doctype html><html lang="zh"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>miniqmt</title><style>
body{font-family:-apple-system,"PingFang SC","Noto Sans CJK SC",sans-serif;margin:0;background:#f4f5f7;color:#222}
header{background:#1d3557;color:#fff;padding:10px 14px}header b{font-size:18px}
.card{background:#fff;margin:10px;padding:10px 12px;border-radius:10px;box-shadow:0 1px 3px #0002}
.big{font-size:30px;font-weight:700}.up{color:#c1121f}.down{color:#1b5e20}.muted{color:#777;font-size:12px}
table{width:100%;border-collapse:collapse;font-size:13px}td,th{padding:4px;border-bottom:1px solid #eee;text-align:right}
th:first-child,td:first-child{text-align:left}.bad{color:#c1121f;font-weight:700}.ok{color:#1b5e20}
.pill{display:inline-block;padding:2px 8px;border-radius:10px;background:#e9ecef;color:#1d3557;font-size:12px;margin-left:6px}
</style></head><body>
<header><b id="code">miniqmt</b> <span id="mode" class="pill"></span><div id="headline" class="muted"></div></header>
<div class="card"><div class="big" id="price">—</div><div id="chg"></div><div class="muted" id="qtime"></div></div>
<div class="card"><b>层仓</b> <span id="held"></span><table id="lots"></table>
<div class="muted" id="levels"></div></div>
<div class="card"><b>浮动盈亏</b> <span id="pnl"></span></div>
<div class="card"><b>今日委托</b><table id="orders"></table></div>
<div class="card"><b>链路</b><div id="links"></div></div>
<div class="muted" style="margin:10px">只读页面，每 3 秒刷新 · <span id="now"></span></div>
<script>
const t=new URLSearchParams(location.search).get("t")||"";
const $=id=>document.getElementById(id);
const f=(v,d=3)=>v===null||v===undefined?"—":Number(v).toFixed(d);
const esc=s=>String(s).replace(/[&<>"]/g,c=>({"&":"&amp;","<":"&lt;",">":"&gt;",'"':"&quot;"}[c]));
const ST={sent:"已报",filled:"已成",partially_filled:"部成",cancelled:"已撤",rejected:"废单",simulated:"模拟",
in_doubt:"存疑"};
async function tick(){try{const r=await fetch("/api/state?t="+encodeURIComponent(t),{cache:"no-store"});
if(!r.ok){$("headline").textContent="无法读取（"+r.status+"）";return}const s=await r.json();
if(!s.ready){$("headline").textContent="等待引擎…";return}
$("code").textContent=s.code;$("mode").textContent=s.paper?"模拟盘":"实盘";
const h=$("headline");h.textContent=s.headline;h.className=s.stale?"bad":"muted";
if(s.quote){$("price").textContent=f(s.quote.price);const c=s.quote.change_pct;
$("chg").innerHTML=c===null?"":'<span class="'+(c>=0?"up":"down")+'">'+(c>=0?"+":"")+f(c,2)+'%</span>';
$("qtime").textContent="行情时间 "+s.quote.time}
$("held").textContent=s.layers.held+" / 9";
$("lots").innerHTML="<tr><th>层</th><th>股数</th><th>买价</th><th>盈亏</th></tr>"+s.layers.lots.map(l=>
"<tr><td>L"+l.layer+"</td><td>"+l.shares.toLocaleString()+"</td><td>"+f(l.buy_price)+"</td><td class='"+
((l.pnl||0)>=0?"up":"down")+"'>"+f(l.pnl,2)+"</td></tr>").join("");
$("levels").textContent="锚点 "+f(s.layers.anchor)+" · 下一买点 "+f(s.layers.next_buy);
$("pnl").innerHTML=s.pnl.floating===null?"—":'<span class="'+(s.pnl.floating>=0?"up":"down")+'">'+
f(s.pnl.floating,2)+" CNY</span>";
$("orders").innerHTML="<tr><th>时间</th><th>方向</th><th>股数</th><th>价格</th><th>状态</th></tr>"+
s.orders.map(o=>"<tr><td>"+esc(o.time)+" L"+o.layer+"</td><td>"+(o.side==="BUY"?"买入":"卖出")+"</td><td>"+
o.filled.toLocaleString()+"/"+o.shares.toLocaleString()+"</td><td>"+f(o.avg||o.price)+"</td><td>"+
esc(ST[o.status]||o.status)+"</td></tr>").join("");
const L=s.links;$("links").innerHTML='<span class="'+(L.bridge_age_s!==null&&L.bridge_age_s<15?"ok":"bad")+
'">行情端 '+(L.bridge_age_s===null?"—":Math.round(L.bridge_age_s)+" 秒前")+'</span> · <span class="'+
(L.executor_alive||s.paper?"ok":"bad")+'">执行端 '+(s.paper?"模拟盘不需要":L.executor_alive?"在线":"离线")+
"</span>";$("now").textContent=s.now}catch(e){$("headline").textContent="连接中断，重试中…"}}
tick();setInterval(tick,3000);
</script></body></html>"""
