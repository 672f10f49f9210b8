/* The dashboard page: reads /api/v1/dashboards/{region}/ (and its map and series), the overdue
   events from /api/v1/events/, and listens on /ws/dashboards/{region}/ for changed indicators. */
(function () {
  "use strict";
  const cfg = JSON.parse(document.getElementById("dashboard-config").textContent);
  const state = { region: cfg.region, trail: [], view: null, mapMetric: null, period: "day", by: "day", socket: null, retry: 1000 };
  const $ = (id) => document.getElementById(id);
  const charts = { map: echarts.init($("map")), series: echarts.init($("series")) };
  window.addEventListener("resize", () => { charts.map.resize(); charts.series.resize(); });

  // Numbers the Chinese way: 万 and 亿 for large counts, a percentage or mean with its decimals.
  function trimmed(number, places) { return Number(number.toFixed(places)).toString(); }
  function formatNumber(value, metric) {
    if (value === null || value === undefined) return null;
    if (metric && metric.aggregation !== "sum") return trimmed(value, Math.max(metric.decimals, 1));
    const size = Math.abs(value);
    if (size >= 1e8) return trimmed(value / 1e8, 2) + "亿";
    if (size >= 1e4) return trimmed(value / 1e4, size >= 1e5 ? 1 : 2) + "万";
    return metric && metric.decimals ? value.toLocaleString("zh-CN", { maximumFractionDigits: metric.decimals }) : value.toLocaleString("zh-CN");
  }
  window.formatNumber = formatNumber;

  async function api(path) {
    const response = await fetch(path, { credentials: "same-origin", headers: { Accept: "application/json" } });
    if (!response.ok) throw new Error(path + ": " + response.status);
    return response.json();
  }
  const metricOf = (key) => state.view.metrics.find((m) => m.key === key);
  const unitOf = (metric) => (metric.unit === "%" ? "%" : metric.unit);

  function renderCards() {
    const view = state.view;
    const cards = $("cards");
    cards.textContent = "";
    for (const metric of view.metrics) {
      const entry = view.indicators[metric.key];
      const card = document.createElement("article");
      card.className = "card";
      card.dataset.metric = metric.key;
      card.dataset.value = entry.value === null ? "" : String(entry.value);
      const shown = entry.suppressed ? cfg.withheld : formatNumber(entry.value, metric);
      const h = document.createElement("h2");
      h.textContent = metric.name;
      const p = document.createElement("p");
      p.className = "value";
      p.textContent = shown === null ? "—" : shown;
      if (shown !== null && !entry.suppressed) {
        const unit = document.createElement("small");
        unit.textContent = unitOf(metric);
        p.appendChild(unit);
      }
      const change = document.createElement("p");
      change.className = "change";
      if (entry.change !== null && entry.change !== undefined && entry.change !== 0) {
        const up = entry.change > 0;
        change.textContent = (up ? "↑ " : "↓ ") + formatNumber(Math.abs(entry.change), metric);
        if (metric.higher_is_better !== null) change.classList.add(up === metric.higher_is_better ? "better" : "worse");
      } else {
        change.textContent = " ";
      }
      card.append(h, p, change);
      card.setAttribute("aria-label", metric.name + " " + (shown === null ? cfg.noData : shown + unitOf(metric)));
      cards.appendChild(card);
    }
    $("as-of").textContent = view.as_of ? cfg.asOf + " " + new Date(view.as_of).toLocaleString("zh-CN") : "";
  }

  function renderChildren() {
    const view = state.view;
    const shownMetrics = view.metrics.slice(0, 8);
    const head = $("children").querySelector("thead");
    const body = $("children").querySelector("tbody");
    head.innerHTML = "";
    body.innerHTML = "";
    const row = document.createElement("tr");
    for (const title of [cfg.region_col, ...shownMetrics.map((m) => m.name)]) {
      const th = document.createElement("th");
      th.scope = "col";
      th.textContent = title;
      row.appendChild(th);
    }
    head.appendChild(row);
    for (const child of view.children) {
      const tr = document.createElement("tr");
      tr.dataset.region = child.region.id;
      const name = document.createElement("td");
      const link = document.createElement("button");
      link.type = "button";
      link.textContent = child.region.name;
      link.addEventListener("click", () => drill(child.region));
      name.appendChild(link);
      tr.appendChild(name);
      for (const metric of shownMetrics) {
        const entry = child.indicators[metric.key];
        const td = document.createElement("td");
        td.dataset.metric = metric.key;
        td.textContent = entry.suppressed ? cfg.withheld : formatNumber(entry.value, metric) ?? "—";
        tr.appendChild(td);
      }
      body.appendChild(tr);
    }
  }

  async function renderMap() {
    const view = state.view;
    const metric = metricOf(state.mapMetric) || view.metrics[0];
    const geojson = await api(`/api/v1/dashboards/${view.region.id}/map/`);
    const name = "region-" + view.region.id;
    echarts.registerMap(name, geojson);
    const values = view.children.map((c) => ({ name: c.region.name, id: c.region.id, value: c.indicators[metric.key].value }));
    const numbers = values.map((v) => v.value).filter((v) => v !== null);
    $("map-title").textContent = metric.name;
    charts.map.setOption({
      tooltip: { trigger: "item", formatter: (p) => p.name + "：" + (p.value === undefined || isNaN(p.value) ? cfg.withheld : formatNumber(p.value, metric) + unitOf(metric)) },
      visualMap: { min: Math.min(0, ...numbers), max: Math.max(1, ...numbers), left: "left", bottom: 0, calculable: true, inRange: { color: ["#e7f0fb", "#1c64b4"] }, text: ["", ""] },
      series: [{ type: "map", map: name, roam: true, data: values, label: { show: true, fontSize: 11 }, emphasis: { label: { show: true } } }],
    }, true);
    charts.map.off("click");
    charts.map.on("click", (event) => {
      const child = view.children.find((c) => c.region.name === event.name);
      if (child) drill(child.region);
    });
  }

  async function renderSeries() {
    const view = state.view;
    const metric = metricOf(state.mapMetric) || view.metrics[0];
    const data = await api(`/api/v1/dashboards/${view.region.id}/series/?metric=${encodeURIComponent(metric.key)}&by=${state.by}`);
    const points = data.series[metric.key];
    $("series-title").textContent = metric.name;
    charts.series.setOption({
      tooltip: { trigger: "axis", valueFormatter: (v) => (v === null || v === undefined ? cfg.noData : formatNumber(v, metric) + unitOf(metric)) },
      grid: { left: 56, right: 16, top: 24, bottom: 32 },
      xAxis: { type: "category", data: points.map((p) => p.day.slice(5)) },
      yAxis: { type: "value", axisLabel: { formatter: (v) => formatNumber(v, metric) } },
      series: [{ type: "line", data: points.map((p) => p.value), connectNulls: false, smooth: true, areaStyle: { opacity: 0.1 } }],
    }, true);
  }

  async function renderOverdue() {
    const list = $("overdue");
    let rows = [];
    try {
      const page = await api(`/api/v1/events/?overdue=true&region=${state.view.region.id}&ordering=deadline&page_size=20`);
      rows = page.results || [];
    } catch (error) {
      rows = [];
    }
    list.textContent = "";
    if (!rows.length) {
      const li = document.createElement("li");
      li.textContent = cfg.noneOverdue;
      list.appendChild(li);
      return;
    }
    const now = Date.now();
    for (const event of rows) {
      const li = document.createElement("li");
      const hours = Math.max(0, (now - new Date(event.deadline).getTime()) / 3600e3);
      const age = hours >= 48 ? Math.floor(hours / 24) + "天" : Math.floor(hours) + "小时";
      li.textContent = event.title;
      const span = document.createElement("span");
      span.className = "age";
      span.textContent = cfg.overdueFor + " " + age;
      li.appendChild(span);
      list.appendChild(li);
    }
  }

  function renderTrail() {
    const nav = $("trail");
    nav.textContent = "";
    state.trail.forEach((node, index) => {
      if (index) {
        const sep = document.createElement("span");
        sep.className = "sep";
        sep.textContent = " › ";
        nav.appendChild(sep);
      }
      const button = document.createElement("button");
      button.type = "button";
      button.textContent = node.name;
      if (index === state.trail.length - 1) button.setAttribute("aria-current", "page");
      else button.addEventListener("click", () => { state.trail = state.trail.slice(0, index + 1); load(node.id); });
      nav.appendChild(button);
    });
  }

  function fillMetricChoice() {
    const select = $("map-metric");
    if (select.options.length) return;
    for (const metric of state.view.metrics) {
      const option = document.createElement("option");
      option.value = metric.key;
      option.textContent = metric.name;
      select.appendChild(option);
    }
    state.mapMetric = state.view.metrics[0].key;
    select.value = state.mapMetric;
  }

  function drill(region) {
    state.trail.push({ id: region.id, name: region.name });
    load(region.id);
  }

  async function load(regionId) {
    state.region = regionId;
    state.view = await api(`/api/v1/dashboards/${regionId}/?period=${state.period}`);
    if (!state.trail.length) state.trail.push({ id: state.view.region.id, name: state.view.region.name });
    fillMetricChoice();
    renderTrail();
    renderCards();
    renderChildren();
    $("export").href = `/api/v1/dashboards/${regionId}/export/?period=${state.period}`;
    document.body.dataset.region = String(regionId);
    await Promise.all([renderMap(), renderSeries(), renderOverdue()]);
    listen(regionId);
    document.body.dataset.ready = String(regionId);
  }

  // Live: the node's group pushes the metrics that changed (at most once every few seconds).
  function listen(regionId) {
    if (state.socket) { state.socket.onclose = null; state.socket.close(); }
    const scheme = location.protocol === "https:" ? "wss" : "ws";
    const socket = new WebSocket(`${scheme}://${location.host}/ws/dashboards/${regionId}/`);
    state.socket = socket;
    socket.onopen = () => { state.retry = 1000; $("live").textContent = cfg.live; $("live").classList.add("on"); };
    socket.onclose = () => {
      $("live").textContent = cfg.offline;
      $("live").classList.remove("on");
      setTimeout(() => { if (state.socket === socket) listen(state.region); }, state.retry);
      state.retry = Math.min(state.retry * 2, 30000);
    };
    socket.onmessage = (message) => {
      const data = JSON.parse(message.data);
      if (data.type !== "indicators" || data.region !== state.view.region.id) return;
      Object.assign(state.view.indicators, data.indicators);
      for (const child of data.children) {
        const mine = state.view.children.find((c) => c.region.id === child.region.id);
        if (mine) Object.assign(mine.indicators, child.indicators);
      }
      if (data.as_of) state.view.as_of = data.as_of;
      renderCards();
      renderChildren();
      for (const key of Object.keys(data.indicators)) {
        const card = document.querySelector(`.card[data-metric="${key}"]`);
        if (card) { card.classList.add("flash"); setTimeout(() => card.classList.remove("flash"), 1500); }
      }
      renderMap();
      renderOverdue();
      document.body.dataset.updates = String(Number(document.body.dataset.updates || 0) + 1);
    };
  }

  $("period").addEventListener("change", (e) => { state.period = e.target.value; load(state.region); });
  $("map-metric").addEventListener("change", (e) => { state.mapMetric = e.target.value; renderMap(); renderSeries(); });
  $("series-by").addEventListener("change", (e) => { state.by = e.target.value; renderSeries(); });
  load(state.region);
})();
