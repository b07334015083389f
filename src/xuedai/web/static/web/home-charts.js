// Contracts by state on the home page: one small bar chart per section; the data comes from the
// scoped counts the page embeds as JSON (json_script "home-charts"). A file, not an inline
// script: the Content-Security-Policy allows scripts from the site only (xuedai.web.security).
(function () {
  var data = document.getElementById("home-charts");
  if (!window.echarts || !data) return;
  JSON.parse(data.textContent).forEach(function (c) {
    var el = document.getElementById(c.id);
    if (!el) return;
    echarts.init(el).setOption({
      // containLabel: the rotated state names (有的长达十个字) get the room they need, none clipped.
      tooltip: {}, grid: {left: 10, right: 10, top: 20, bottom: 10, containLabel: true},
      xAxis: {type: "category", data: c.labels, axisLabel: {interval: 0, rotate: 30}},
      yAxis: {type: "value", minInterval: 1},
      series: [{type: "bar", data: c.values, itemStyle: {color: "#0b5d4b"}}]
    });
  });
})();
