/* Interactive charts of the annual report (ECharts, served locally). The data table after each
   chart is its text alternative; without JavaScript only the tables show. */
(function () {
  "use strict";
  function init() {
    var el = document.getElementById("report-charts");
    if (!el || !window.echarts) { return; }
    var charts = JSON.parse(el.textContent);
    charts.forEach(function (ch) {
      var box = document.querySelector('[data-chart="' + ch.id + '"]');
      if (!box) { return; }
      var chart = window.echarts.init(box, null, { renderer: "svg" });
      var option;
      if (ch.kind === "bar") {
        option = {
          tooltip: { trigger: "axis" },
          xAxis: { type: "category", data: ch.labels },
          yAxis: { type: "value", name: "件", minInterval: 1 },
          series: [{ type: "bar", data: ch.values, itemStyle: { color: "#b3261e" }, label: { show: true, position: "top" } }]
        };
      } else {
        option = {
          tooltip: { trigger: "item", formatter: "{b}：{c} 件（{d}%）" },
          legend: { bottom: 0 },
          series: [{ type: "pie", radius: ["35%", "65%"],
                     data: ch.labels.map(function (l, i) { return { name: l, value: ch.values[i] }; }) }]
        };
      }
      option.aria = { enabled: true };
      chart.setOption(option);
      window.addEventListener("resize", function () { chart.resize(); });
    });
  }
  if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", init); } else { init(); }
})();
