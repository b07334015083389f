// The state's money per university or county: the subsidy still receivable, and each fund's balance
// with what its last settlement moved. Data from the page's json_script "money-charts"; a click on a
// bar opens the page behind it (the URL travels with the data). A file, not an inline script: the
// Content-Security-Policy allows scripts from the site only.
(function () {
  var data = document.getElementById("money-charts");
  if (!window.echarts || !data) return;
  var charts = JSON.parse(data.textContent);
  var rec = charts.receivable, el = document.getElementById(rec.id);
  if (el && rec.labels.length) {
    var c1 = echarts.init(el);
    c1.setOption({
      tooltip: {}, grid: {left: 10, right: 10, top: 20, bottom: 10, containLabel: true},
      xAxis: {type: "category", data: rec.labels, axisLabel: {interval: 0, rotate: 30}},
      yAxis: {type: "value", name: "应收贴息(元)"},
      series: [{type: "bar", data: rec.values, itemStyle: {color: "#0b5d4b"}}]
    });
    c1.on("click", function (p) { window.location = rec.urls[p.dataIndex]; });
  }
  var funds = charts.funds, el2 = document.getElementById(funds.id);
  if (el2 && funds.labels.length) {
    var colors = ["#0b5d4b", "#7fb069", "#e6aa68", "#ca3c25", "#4a6fa5"];
    var c2 = echarts.init(el2);
    c2.setOption({
      tooltip: {trigger: "axis"}, legend: {}, grid: {left: 10, right: 10, top: 40, bottom: 10, containLabel: true},
      xAxis: {type: "category", data: funds.labels, axisLabel: {interval: 0, rotate: 30}},
      yAxis: {type: "value", name: "金额(元)"},
      series: funds.series.map(function (s, i) {
        return {name: s.name, type: "bar", data: s.values, itemStyle: {color: colors[i % colors.length]}};
      })
    });
    c2.on("click", function (p) { window.location = funds.urls[p.dataIndex]; });
  }
})();
