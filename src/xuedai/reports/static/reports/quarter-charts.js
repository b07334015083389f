// The quarter-end dashboard: balance per grade over the quarters (stacked bars) with the 不良率 line,
// and the overdue principal per unit. Data from the page's json_script "quarter-charts"; a click on a
// bar opens the list behind it (its URL travels with the data). A file, not an inline script: the
// Content-Security-Policy allows scripts from the site only.
(function () {
  var data = document.getElementById("quarter-charts");
  if (!window.echarts || !data) return;
  var charts = JSON.parse(data.textContent);
  var colors = ["#0b5d4b", "#7fb069", "#e6aa68", "#ca3c25", "#1d1a05"];
  var trend = charts.trend, el = document.getElementById(trend.id);
  if (el) {
    var chart = echarts.init(el);
    var series = trend.series.map(function (s, i) {
      return {name: s.name, type: "bar", stack: "grade", data: s.values, itemStyle: {color: colors[i]}};
    });
    series.push({name: "不良率(%)", type: "line", yAxisIndex: 1, data: trend.npl_ratio});
    chart.setOption({
      tooltip: {trigger: "axis"}, legend: {}, grid: {left: 10, right: 10, top: 40, bottom: 10, containLabel: true},
      xAxis: {type: "category", data: trend.labels},
      yAxis: [{type: "value", name: "余额(元)"}, {type: "value", name: "不良率(%)", min: 0}],
      series: series
    });
    chart.on("click", function (p) {
      if (p.seriesType === "bar") window.location = trend.series[p.seriesIndex].urls[p.dataIndex];
    });
  }
  var units = charts.units, el2 = units && document.getElementById(units.id);
  if (el2) {
    var chart2 = echarts.init(el2);
    chart2.setOption({
      tooltip: {}, grid: {left: 10, right: 10, top: 20, bottom: 10, containLabel: true},
      xAxis: {type: "category", data: units.labels, axisLabel: {interval: 0, rotate: 30}},
      yAxis: {type: "value", name: "逾期本金(元)"},
      series: [{type: "bar", data: units.values, itemStyle: {color: "#ca3c25"}}]
    });
    chart2.on("click", function (p) { window.location = units.urls[p.dataIndex]; });
  }
})();
