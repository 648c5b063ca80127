/* Huaihai KG page: legend, filters, search, details and tooltips over vis-network.
 *
 * Every text shown comes from documents we did not write: it is only ever put into the
 * page with textContent (never innerHTML), and vis-network gets no HTML titles.
 */
(function () {
  "use strict";

  function json(id) { return JSON.parse(document.getElementById(id).textContent); }

  var started = performance.now();
  var DATA = json("kg-data");
  var RECS = json("kg-nodes");
  var ERECS = json("kg-edges");
  var OPTIONS = json("kg-options");
  var page = window.kgPage = { data: DATA, firstDraw: null, stabilized: null, focused: null,
                               timing: { script: started } };

  var byId = new Map();
  RECS.forEach(function (r) { byId.set(r.id, r); });
  var edgeById = new Map();
  ERECS.forEach(function (e) { edgeById.set(e.id, e); });
  var incident = new Map();
  ERECS.forEach(function (e) {
    [e.from, e.to].forEach(function (n) {
      if (!incident.has(n)) incident.set(n, []);
      incident.get(n).push(e);
    });
  });

  /* ---- small DOM helpers: text only ------------------------------------------------ */
  function el(tag, attrs, text) {
    var node = document.createElement(tag);
    if (attrs) Object.keys(attrs).forEach(function (k) {
      if (k === "class") node.className = attrs[k]; else node.setAttribute(k, attrs[k]);
    });
    if (text !== undefined && text !== null) node.textContent = String(text);
    return node;
  }
  function both(zh, en) {
    var span = el("span", null, zh + " ");
    if (en) span.appendChild(el("span", { "class": "kg-en" }, en));
    return span;
  }
  function clip(s, n) { s = String(s || ""); return s.length > n ? s.slice(0, n - 1) + "…" : s; }
  function docText(i) {
    var d = DATA.docs[i];
    if (!d) return "";
    return (d.title ? "《" + d.title + "》 " : "") + d.source + (d.date ? " · " + d.date : "");
  }
  function className(g) { var c = DATA.classes[g]; return c ? c.zh + " " + c.en : g; }
  function relName(k) { var r = DATA.rels[k] || DATA.links[k]; return r ? r.zh : k; }

  /* ---- vis data ---------------------------------------------------------------------- */
  function visNode(r) {
    var n = { id: r.id, label: r.label, group: r.group, value: r.value };
    if (r.x !== undefined) { n.x = r.x; n.y = r.y; }
    if (r.fixed) n.fixed = { x: true, y: true };
    if (r.st === "Planned" || r.st === "UnderConstruction") {
      n.shapeProperties = { borderDashes: r.st === "Planned" ? [2, 3] : [6, 3] };
      n.borderWidth = 2;
    }
    return n;
  }
  var EDGE_OPACITY = 0.75;
  function edgeColour(e, opacity) {
    var c = (DATA.links[e.type] || {}).color || "#999999";
    return { color: c, highlight: c, hover: c, opacity: opacity };
  }
  function visEdge(e) {
    var style = DATA.links[e.type] || {};
    var v = { id: e.id, from: e.from, to: e.to, color: edgeColour(e, EDGE_OPACITY),
              width: (style.width || 1.5) * (e.n ? Math.min(4, 1 + Math.log(e.n) / 2) : 1) };
    if (e.st === "Planned") v.dashes = [2, 5];
    else if (e.st === "UnderConstruction") v.dashes = [8, 5];
    if (style.arrows) v.arrows = { to: { enabled: true, scaleFactor: 0.5 } };
    return v;
  }
  var nodes = new vis.DataSet(RECS.map(visNode));
  var edges = new vis.DataSet(ERECS.map(visEdge));
  var hiddenClasses = new Set(), hiddenLinks = new Set();
  Object.keys(DATA.links).forEach(function (k) { if (DATA.links[k].hidden) hiddenLinks.add(k); });
  var nodeView = new vis.DataView(nodes, { filter: function (n) { return !hiddenClasses.has(n.group); } });
  var edgeView = new vis.DataView(edges, { filter: function (e) { return !hiddenLinks.has(edgeById.get(e.id).type); } });

  var container = document.getElementById("kg-network");
  var network = new vis.Network(container, { nodes: nodeView, edges: edgeView }, OPTIONS);
  page.network = network;
  page.timing.network = performance.now();
  page.nodes = nodes;
  page.edges = edges;
  window.network = network;

  network.once("afterDrawing", function () { page.firstDraw = performance.now(); });

  /* On the map, start on the zone (places far away stay one "Fit" away). */
  function fitZone() {
    if (!DATA.geo || !DATA.hull || DATA.hull.points.length < 3) return false;
    var xs = DATA.hull.points.map(function (p) { return p[0]; });
    var ys = DATA.hull.points.map(function (p) { return p[1]; });
    var x0 = Math.min.apply(null, xs), x1 = Math.max.apply(null, xs);
    var y0 = Math.min.apply(null, ys), y1 = Math.max.apply(null, ys);
    var w = (x1 - x0) * 1.35 + 1, h = (y1 - y0) * 1.35 + 1;
    network.moveTo({ position: { x: (x0 + x1) / 2, y: (y0 + y1) / 2 },
                     scale: Math.min(container.clientWidth / w, container.clientHeight / h) });
    return true;
  }
  page.fitZone = fitZone;
  if (DATA.physics && RECS.length) {
    network.once("stabilizationIterationsDone", function () {
      page.stabilized = performance.now();
      network.setOptions({ physics: { enabled: false } });
    });
  } else {
    page.stabilized = 0;
  }

  /* ---- geographic background: a graticule and the zone's outline ---------------------- */
  if (DATA.geo) {
    var g = DATA.geo;
    network.on("beforeDrawing", function (ctx) {
      var scale = network.getScale();
      var tl = network.DOMtoCanvas({ x: 0, y: 0 });
      var br = network.DOMtoCanvas({ x: container.clientWidth, y: container.clientHeight });
      var lon1 = g.lon0 + tl.x / (g.scale * g.kx), lon2 = g.lon0 + br.x / (g.scale * g.kx);
      var lat1 = g.lat0 - br.y / g.scale, lat2 = g.lat0 - tl.y / g.scale;
      var step = (lon2 - lon1) > 30 ? 5 : 1;
      ctx.save();
      if (DATA.hull && DATA.hull.points.length > 2) {
        ctx.beginPath();
        DATA.hull.points.forEach(function (p, i) { if (i) ctx.lineTo(p[0], p[1]); else ctx.moveTo(p[0], p[1]); });
        ctx.closePath();
        ctx.fillStyle = "rgba(148, 103, 189, 0.07)";
        ctx.strokeStyle = "rgba(148, 103, 189, 0.45)";
        ctx.lineWidth = 1.5 / scale;
        ctx.setLineDash([6 / scale, 4 / scale]);
        ctx.fill();
        ctx.stroke();
        ctx.setLineDash([]);
      }
      ctx.strokeStyle = "rgba(120, 130, 145, 0.18)";
      ctx.fillStyle = "rgba(95, 107, 122, 0.75)";
      ctx.lineWidth = 1 / scale;
      ctx.font = (11 / scale) + "px " + OPTIONS.nodes.font.face;
      /* the map ends above the grid of entities with no place on it: no graticule there */
      var grid = (g.gridTop === null || g.gridTop === undefined) ? null : g.gridTop - 110;
      var bottom = grid === null ? br.y : Math.min(br.y, grid);
      var lon, lat, x, y;
      for (lon = Math.ceil(lon1 / step) * step; lon <= lon2; lon += step) {
        x = (lon - g.lon0) * g.scale * g.kx;
        ctx.beginPath(); ctx.moveTo(x, tl.y); ctx.lineTo(x, bottom); ctx.stroke();
        ctx.fillText(lon + "°E", x + 3 / scale, bottom - 6 / scale);
      }
      for (lat = Math.ceil(lat1 / step) * step; lat <= lat2; lat += step) {
        y = -(lat - g.lat0) * g.scale;
        if (y > bottom) continue;
        ctx.beginPath(); ctx.moveTo(tl.x, y); ctx.lineTo(br.x, y); ctx.stroke();
        ctx.fillText(lat + "°N", tl.x + 4 / scale, y - 3 / scale);
      }
      if (grid !== null && grid < br.y) {
        ctx.strokeStyle = "rgba(95, 107, 122, 0.45)";
        ctx.beginPath(); ctx.moveTo(tl.x, grid); ctx.lineTo(br.x, grid); ctx.stroke();
        ctx.font = (13 / scale) + "px " + OPTIONS.nodes.font.face;
        ctx.textBaseline = "top";
        ctx.fillText("以下实体无地图位置 · below: entities with no place on the map",
                     tl.x + 4 / scale, grid + 4 / scale);
      }
      ctx.restore();
    });
  }

  /* ---- header, notes ------------------------------------------------------------------- */
  var stats = document.getElementById("kg-stats");
  function shownOf(shown, total) { return shown + (shown !== total ? " / " + total : ""); }
  /* An edge is drawn when its kind is ticked and both its ends are (vis-network drops the rest). */
  function edgeShown(e) {
    var a = byId.get(e.from), b = byId.get(e.to);
    return !hiddenLinks.has(e.type) && !!a && !!b && !hiddenClasses.has(a.group) && !hiddenClasses.has(b.group);
  }
  function updateStats() {
    stats.textContent = "节点 nodes " + shownOf(nodeView.length, nodes.length) +
      " · 边 edges " + shownOf(ERECS.filter(edgeShown).length, ERECS.length) +
      " · 布局 " + (DATA.layout === "geo" ? "地理 geo" : "力导向 force");
  }
  updateStats();
  if (DATA.notes.length) {
    var notes = document.getElementById("kg-notes");
    DATA.notes.forEach(function (t) { notes.appendChild(el("p", null, t)); });
    notes.hidden = false;
  }
  document.getElementById("kg-size-note").textContent = DATA.size_note;

  /* ---- legend and filters -------------------------------------------------------------- */
  function legendRow(list, key, info, kind) {
    var li = el("li"), label = el("label");
    var box = el("input", { type: "checkbox", "data-kind": kind, "data-key": key });
    box.checked = !(kind === "classes" ? hiddenClasses : hiddenLinks).has(key);
    label.appendChild(box);
    if (kind === "classes") {
      var sw = el("span", { "class": "kg-swatch kg-" + info.shape });
      sw.style.background = info.color;
      label.appendChild(sw);
    } else {
      var ln = el("span", { "class": "kg-line" });
      ln.style.borderTopColor = info.color;
      label.appendChild(ln);
    }
    label.appendChild(both(info.zh, info.en));
    label.appendChild(el("span", { "class": "kg-count" }, info.count));
    li.appendChild(label);
    list.appendChild(li);
    box.addEventListener("change", function () { setFilter(kind, key, box.checked); });
  }
  function setFilter(kind, key, on) {
    var set = kind === "classes" ? hiddenClasses : hiddenLinks;
    if (on) set.delete(key); else set.add(key);
    (kind === "classes" ? nodeView : edgeView).refresh();
    updateStats();
  }
  var classList = document.getElementById("kg-classes");
  Object.keys(DATA.classes).forEach(function (k) { legendRow(classList, k, DATA.classes[k], "classes"); });
  var linkList = document.getElementById("kg-links");
  Object.keys(DATA.links).forEach(function (k) {
    if (DATA.links[k].count) legendRow(linkList, k, DATA.links[k], "links");
  });
  var statusList = document.getElementById("kg-statuses");
  Object.keys(DATA.statuses).forEach(function (k) {
    var li = el("li"), label = el("label");
    label.appendChild(el("span", { "class": "kg-line kg-dash-" + k }));
    label.appendChild(both(DATA.statuses[k].zh, DATA.statuses[k].en));
    li.appendChild(label);
    statusList.appendChild(li);
  });
  Array.prototype.forEach.call(document.querySelectorAll(".kg-all button"), function (b) {
    b.addEventListener("click", function () {
      var kind = b.getAttribute("data-all"), on = b.getAttribute("data-on") === "1";
      var set = kind === "classes" ? hiddenClasses : hiddenLinks;
      Array.prototype.forEach.call(document.querySelectorAll('input[data-kind="' + kind + '"]'), function (box) {
        box.checked = on;
        if (on) set.delete(box.getAttribute("data-key")); else set.add(box.getAttribute("data-key"));
      });
      (kind === "classes" ? nodeView : edgeView).refresh();
      updateStats();
    });
  });
  page.setFilter = function (kind, key, on) {
    var box = document.querySelector('input[data-kind="' + kind + '"][data-key="' + key + '"]');
    if (box) { box.checked = on; }
    setFilter(kind, key, on);
  };

  /* ---- neighbourhood highlight ---------------------------------------------------------- */
  var dimmed = false;
  var cheap = RECS.length + ERECS.length > 6000;  // big pages: select, do not restyle everything
  function highlight(id) {
    var keep = new Set([id]);
    (incident.get(id) || []).forEach(function (e) { keep.add(e.from); keep.add(e.to); });
    if (cheap) {
      network.setSelection({ nodes: Array.from(keep),
                             edges: (incident.get(id) || []).map(function (e) { return e.id; }) },
                           { unselectAll: true, highlightEdges: false });
      return;
    }
    var nu = [], eu = [];
    RECS.forEach(function (r) {
      var on = keep.has(r.id);
      nu.push({ id: r.id, opacity: on ? 1 : 0.18, font: { color: on ? "#1d2530" : "rgba(29,37,48,0.25)" } });
    });
    ERECS.forEach(function (e) {
      eu.push({ id: e.id, color: edgeColour(e, (e.from === id || e.to === id) ? 1 : 0.06) });
    });
    nodes.update(nu);
    edges.update(eu);
    dimmed = true;
  }
  function clearHighlight() {
    if (!dimmed) return;
    nodes.update(RECS.map(function (r) { return { id: r.id, opacity: 1, font: { color: "#1d2530" } }; }));
    edges.update(ERECS.map(function (e) { return { id: e.id, color: edgeColour(e, EDGE_OPACITY) }; }));
    dimmed = false;
  }

  /* ---- details panel ---------------------------------------------------------------------- */
  var details = document.getElementById("kg-details");
  var body = document.getElementById("kg-details-body");
  function evidenceItem(list, sentence, doc, prefix) {
    var li = el("li");
    if (prefix) li.appendChild(el("b", null, prefix + " "));
    li.appendChild(el("div", { "class": "kg-sentence" }, sentence || "（无句子 no sentence）"));
    li.appendChild(el("div", { "class": "kg-source" }, "来源 source: " + docText(doc)));
    list.appendChild(li);
  }
  function showDetails(id) {
    var r = byId.get(id);
    if (!r) return;
    body.textContent = "";
    body.appendChild(el("h3", null, r.label));
    var c = DATA.classes[r.group] || { zh: r.group, en: "", color: "#999", shape: "dot" };
    var cls = el("div");
    var sw = el("span", { "class": "kg-swatch kg-" + c.shape });
    sw.style.background = c.color;
    sw.style.display = "inline-block";
    cls.appendChild(sw);
    cls.appendChild(document.createTextNode(" "));
    cls.appendChild(both(c.zh, c.en));
    body.appendChild(cls);
    var dl = el("dl");
    if (r.aka && r.aka.length) { dl.appendChild(el("dt", null, "别名 Aliases")); dl.appendChild(el("dd", null, r.aka.join("、"))); }
    if (r.st && DATA.statuses[r.st]) { dl.appendChild(el("dt", null, "状态 Status")); dl.appendChild(el("dd", null, DATA.statuses[r.st].zh + " " + DATA.statuses[r.st].en)); }
    (r.info || []).forEach(function (kv) { dl.appendChild(el("dt", null, kv[0])); dl.appendChild(el("dd", null, kv[1])); });
    body.appendChild(dl);
    var rels = incident.get(id) || [];
    if (rels.length) {
      body.appendChild(el("h4", null, "关系 Relations (" + rels.length + ")"));
      var ul = el("ul");
      rels.slice(0, 200).forEach(function (e) {
        var other = e.from === id ? e.to : e.from, o = byId.get(other);
        var li = el("li");
        li.appendChild(document.createTextNode((e.from === id ? "→ " : "← ") + relName(e.type) +
          (e.st && DATA.statuses[e.st] ? "（" + DATA.statuses[e.st].zh + "）" : "") + "："));
        var btn = el("button", { type: "button", "class": "kg-link" }, o ? o.label : other);
        btn.addEventListener("click", function () { focusNode(other); });
        li.appendChild(btn);
        if (e.n) li.appendChild(document.createTextNode(" ×" + e.n));
        ul.appendChild(li);
      });
      body.appendChild(ul);
    }
    var evs = el("ul"), count = 0;
    (r.ev || []).forEach(function (x) { evidenceItem(evs, x[1], x[2], x[0]); count++; });
    rels.forEach(function (e) {
      (e.ev || []).forEach(function (x) {
        if (count < 50) {
          var o = byId.get(e.from === id ? e.to : e.from);
          evidenceItem(evs, x[0], x[1], relName(e.type) + " " + (o ? o.label : "") + ":");
        }
        count++;
      });
    });
    if (count) {
      body.appendChild(el("h4", null, "证据 Evidence (" + count + ")"));
      body.appendChild(evs);
    }
    if (r.docs && r.docs.length) {
      body.appendChild(el("h4", null, "提及于 Mentioned in (" + r.docs.length + ")"));
      var dul = el("ul");
      r.docs.forEach(function (d) { dul.appendChild(el("li", null, docText(d))); });
      body.appendChild(dul);
    }
    if (r.iri) body.appendChild(el("p", { "class": "kg-iri" }, r.iri));
    details.hidden = false;
  }
  document.getElementById("kg-close").addEventListener("click", function () {
    details.hidden = true;
    network.unselectAll();
    clearHighlight();
  });

  function focusNode(id) {
    var r = byId.get(id);
    if (!r) return false;
    if (hiddenClasses.has(r.group)) page.setFilter("classes", r.group, true);
    network.selectNodes([id]);
    highlight(id);
    showDetails(id);
    page.focused = id;
    network.focus(id, { scale: Math.max(network.getScale(), 1.2), animation: { duration: 300 } });
    return true;
  }
  page.focusNode = focusNode;

  network.on("click", function (p) {
    if (p.nodes.length) {
      page.focused = p.nodes[0];
      highlight(p.nodes[0]);
      showDetails(p.nodes[0]);
    } else if (!p.edges.length) {
      clearHighlight();
      details.hidden = true;
      page.focused = null;
    }
  });

  /* ---- tooltips ----------------------------------------------------------------------------- */
  var tip = document.getElementById("kg-tip");
  function showTip(ev, build) {
    tip.textContent = "";
    build(tip);
    tip.hidden = false;
    var rect = container.getBoundingClientRect();
    var x = rect.left + ev.pointer.DOM.x + 14, y = rect.top + ev.pointer.DOM.y + 14;
    var w = tip.offsetWidth, h = tip.offsetHeight;
    if (x + w > window.innerWidth - 4) x = Math.max(4, x - w - 28);
    if (y + h > window.innerHeight - 4) y = Math.max(4, y - h - 28);
    tip.style.left = x + "px";
    tip.style.top = y + "px";
  }
  function hideTip() { tip.hidden = true; }
  function nodeTip(r) {
    return function (t) {
      t.appendChild(el("b", null, r.label));
      t.appendChild(el("p", null, className(r.group) + (r.aka && r.aka.length ? " · 别名 " + clip(r.aka.join("、"), 60) : "")));
      var shown = 0;
      (r.ev || []).some(function (x) {
        t.appendChild(el("p", null, x[0] + "：“" + clip(x[1], 160) + "”"));
        t.appendChild(el("p", { "class": "kg-source" }, "— " + docText(x[2])));
        return ++shown >= 2;
      });
      (incident.get(r.id) || []).some(function (e) {
        (e.ev || []).slice(0, 1).forEach(function (x) {
          t.appendChild(el("p", null, "“" + clip(x[0], 160) + "”"));
          t.appendChild(el("p", { "class": "kg-source" }, "— " + docText(x[1])));
          shown++;
        });
        return shown >= 2;
      });
      if (!shown && r.docs && r.docs.length) {
        t.appendChild(el("p", { "class": "kg-source" }, "提及于 mentioned in: " + docText(r.docs[0]) +
          (r.docs.length > 1 ? " 等 " + r.docs.length + " 篇" : "")));
      }
      if (!shown && !(r.docs && r.docs.length)) t.appendChild(el("p", { "class": "kg-source" }, "来源 source: 地名库 gazetteer"));
    };
  }
  function edgeTip(e) {
    return function (t) {
      var a = byId.get(e.from), b = byId.get(e.to);
      t.appendChild(el("b", null, (a ? a.label : e.from) + " —" + relName(e.rel) + "→ " + (b ? b.label : e.to)));
      var style = DATA.links[e.type];
      t.appendChild(el("p", null, (style ? style.zh + " " + style.en : e.type) +
        (e.st && DATA.statuses[e.st] ? " · " + DATA.statuses[e.st].zh + " " + DATA.statuses[e.st].en : "") +
        (e.n ? " · ×" + e.n : "")));
      (e.ev || []).slice(0, 3).forEach(function (x) {
        t.appendChild(el("p", null, "“" + clip(x[0], 200) + "”"));
        t.appendChild(el("p", { "class": "kg-source" }, "— " + docText(x[1])));
      });
      if (e.ev && e.ev.length > 3) t.appendChild(el("p", { "class": "kg-source" }, "另有 " + (e.ev.length - 3) + " 条 more"));
      if (e.gz && !(e.ev && e.ev.length)) t.appendChild(el("p", { "class": "kg-source" }, "来源 source: 地名库 gazetteer（背景知识 background fact）"));
    };
  }
  network.on("hoverNode", function (p) { var r = byId.get(p.node); if (r) showTip(p, nodeTip(r)); });
  network.on("hoverEdge", function (p) { var e = edgeById.get(p.edge); if (e) showTip(p, edgeTip(e)); });
  network.on("blurNode", hideTip);
  network.on("blurEdge", hideTip);
  network.on("dragStart", hideTip);
  network.on("zoom", hideTip);

  /* ---- search --------------------------------------------------------------------------------- */
  var input = document.getElementById("kg-search"), suggest = document.getElementById("kg-suggest");
  var index = RECS.map(function (r) {
    return { id: r.id, names: [r.label].concat(r.aka || []).map(function (s) { return String(s).toLowerCase(); }) };
  });
  function search(q) {
    q = String(q || "").trim().toLowerCase();
    if (!q) return [];
    var scored = [];
    index.forEach(function (it) {
      var best = 9;
      it.names.forEach(function (n, i) {
        var s = n === q ? 0 : n.indexOf(q) === 0 ? 1 : n.indexOf(q) > 0 ? 2 : 9;
        if (s < 9 && i > 0) s += 0.5;
        if (s < best) best = s;
      });
      if (best < 9) scored.push([best, -(byId.get(it.id).value || 0), it.id]);
    });
    scored.sort(function (a, b) { return a[0] - b[0] || a[1] - b[1]; });
    return scored.map(function (s) { return s[2]; });
  }
  page.search = search;
  var active = -1, results = [];
  function renderSuggest() {
    suggest.textContent = "";
    results.slice(0, 15).forEach(function (id, i) {
      var r = byId.get(id), c = DATA.classes[r.group] || { color: "#999", shape: "dot" };
      var li = el("li", { role: "option", "data-id": String(id) });
      if (i === active) li.className = "kg-active";
      var sw = el("span", { "class": "kg-swatch kg-" + c.shape });
      sw.style.background = c.color;
      li.appendChild(sw);
      li.appendChild(el("span", null, r.label));
      if (r.aka && r.aka.length) li.appendChild(el("span", { "class": "kg-aka" }, clip(r.aka.join("、"), 30)));
      li.addEventListener("mousedown", function (ev) { ev.preventDefault(); choose(id); });
      suggest.appendChild(li);
    });
    suggest.hidden = results.length === 0;
  }
  function choose(id) {
    suggest.hidden = true;
    input.value = byId.get(id).label;
    focusNode(id);
  }
  input.addEventListener("input", function () { results = search(input.value); active = -1; renderSuggest(); });
  input.addEventListener("keydown", function (ev) {
    if (ev.key === "ArrowDown" || ev.key === "ArrowUp") {
      if (!results.length) return;
      active = (active + (ev.key === "ArrowDown" ? 1 : -1) + Math.min(results.length, 15)) % Math.min(results.length, 15);
      renderSuggest();
      ev.preventDefault();
    } else if (ev.key === "Enter") {
      results = search(input.value);
      if (results.length) choose(results[active >= 0 ? active : 0]);
      ev.preventDefault();
    } else if (ev.key === "Escape") {
      suggest.hidden = true;
    }
  });
  input.addEventListener("blur", function () { suggest.hidden = true; });
  document.getElementById("kg-fit").addEventListener("click", function () { network.fit({ animation: { duration: 300 } }); });

  if (DATA.focus !== null && DATA.focus !== undefined) {
    network.once("afterDrawing", function () {
      network.selectNodes([DATA.focus]);
      highlight(DATA.focus);
      showDetails(DATA.focus);
      page.focused = DATA.focus;
    });
  }
  if (DATA.focus === null || DATA.focus === undefined) fitZone();
  page.ready = true;
}());
