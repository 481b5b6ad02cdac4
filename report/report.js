// vingt report: zoom and pan on the map's viewBox, tooltips, layer switches,
// sortable and filterable tables. No network, no dependency.
(function () {
  "use strict";
  var dataEl = document.getElementById("vingt-data");
  var data = dataEl ? JSON.parse(dataEl.textContent) : { fields: [], heads: [], levels: {} };
  var svg = document.getElementById("map");

  // Layer switches.
  function layer(name) { return svg && svg.querySelector('[data-layer="' + name + '"]'); }
  function syncLevels() {
    if (!svg) return;
    var lv = svg.querySelectorAll(".layer.level"), shown = 0;
    for (var i = 0; i < lv.length; i++) if (lv[i].style.display !== "none") shown++;
    svg.classList.toggle("both", shown > 1);
  }
  var toggles = document.querySelectorAll("input[data-toggle]");
  for (var i = 0; i < toggles.length; i++) {
    toggles[i].addEventListener("change", function (e) {
      var g = layer(e.target.getAttribute("data-toggle"));
      if (g) g.style.display = e.target.checked ? "" : "none";
      syncLevels();
    });
  }
  syncLevels();

  // Tooltip.
  var tip = document.getElementById("tip"), hl = null, pinned = false;
  function esc(s) { return String(s).replace(/[&<>"]/g, function (c) { return { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;" }[c]; }); }
  function show(path, cx, cy) {
    var rows = data.levels[path.getAttribute("data-level")];
    var r = rows && rows[+path.getAttribute("data-i")];
    if (!r) return hide();
    var h = '<b>' + esc(r.n) + '</b> <span data-field="code">' + esc(r.c) + '</span> <span class="small">(' + esc(path.getAttribute("data-level")) + ')</span><dl>';
    for (var j = 0; j < data.fields.length; j++) {
      h += '<dt>' + esc(data.heads[j]) + '</dt><dd data-field="' + esc(data.fields[j]) + '" data-value="' + (r.v[j] === null ? "" : r.v[j]) + '">' + esc(r.f[j]) + '</dd>';
    }
    tip.innerHTML = h + '</dl>';
    tip.hidden = false;
    if (hl) hl.classList.remove("hl");
    hl = path; hl.classList.add("hl");
    var box = svg.parentNode.getBoundingClientRect();
    var x = cx - box.left + 14, y = cy - box.top + 14;
    if (x + tip.offsetWidth > box.width) x = Math.max(0, cx - box.left - tip.offsetWidth - 14);
    if (y + tip.offsetHeight > box.height) y = Math.max(0, cy - box.top - tip.offsetHeight - 14);
    tip.style.left = x + "px"; tip.style.top = y + "px";
  }
  function hide() { if (tip) tip.hidden = true; if (hl) hl.classList.remove("hl"); hl = null; }
  function territoryAt(e) {
    var t = e.target;
    return t && t.tagName === "path" && t.hasAttribute("data-level") ? t : null;
  }

  // Zoom and pan.
  if (svg) {
    var vb = svg.viewBox.baseVal, full = { x: 0, y: 0, w: vb.width, h: vb.height };
    var v = { x: full.x, y: full.y, w: full.w, h: full.h };
    var apply = function () {
      svg.setAttribute("viewBox", v.x + " " + v.y + " " + v.w + " " + v.h);
      svg.style.setProperty("--z", full.w / v.w);
    };
    var scale = function () {
      var r = svg.getBoundingClientRect();
      var s = Math.min(r.width / v.w, r.height / v.h);
      return { r: r, s: s, ox: (r.width - v.w * s) / 2, oy: (r.height - v.h * s) / 2 };
    };
    var zoom = function (f, cx, cy) {
      var k = scale();
      if (cx === undefined) { cx = k.r.left + k.r.width / 2; cy = k.r.top + k.r.height / 2; }
      var ux = v.x + (cx - k.r.left - k.ox) / k.s, uy = v.y + (cy - k.r.top - k.oy) / k.s;
      var w = Math.min(full.w, Math.max(full.w / 64, v.w / f));
      f = v.w / w;
      v.x = ux - (ux - v.x) / f; v.y = uy - (uy - v.y) / f; v.w = w; v.h = full.h * w / full.w;
      apply();
    };
    svg.addEventListener("wheel", function (e) { e.preventDefault(); zoom(e.deltaY < 0 ? 1.25 : 0.8, e.clientX, e.clientY); }, { passive: false });
    var ptrs = {}, moved = false, last = null, pinch = 0;
    var count = function () { return Object.keys(ptrs).length; };
    var dist = function () { var p = Object.keys(ptrs).map(function (k) { return ptrs[k]; }); return Math.hypot(p[0].x - p[1].x, p[0].y - p[1].y); };
    svg.addEventListener("pointerdown", function (e) {
      ptrs[e.pointerId] = { x: e.clientX, y: e.clientY };
      if (svg.setPointerCapture) try { svg.setPointerCapture(e.pointerId); } catch (err) { /* not capturable */ }
      moved = false; last = { x: e.clientX, y: e.clientY, t: territoryAt(e) };
      if (count() === 2) pinch = dist();
    });
    svg.addEventListener("pointermove", function (e) {
      var p = ptrs[e.pointerId];
      if (!p) {
        if (e.pointerType === "mouse" && !pinned) { var t = territoryAt(e); if (t) show(t, e.clientX, e.clientY); else hide(); }
        return;
      }
      var dx = e.clientX - p.x, dy = e.clientY - p.y;
      if (Math.abs(dx) + Math.abs(dy) > 3) moved = true;
      if (count() === 2) {
        var before = pinch; p.x = e.clientX; p.y = e.clientY; pinch = dist();
        if (before > 0) { var q = Object.keys(ptrs).map(function (k) { return ptrs[k]; }); zoom(pinch / before, (q[0].x + q[1].x) / 2, (q[0].y + q[1].y) / 2); }
        return;
      }
      p.x = e.clientX; p.y = e.clientY;
      if (moved) { var s = scale().s; v.x -= dx / s; v.y -= dy / s; apply(); hide(); pinned = false; }
    });
    var up = function (e) {
      if (ptrs[e.pointerId] && !moved && last && count() === 1) {
        if (last.t) { pinned = e.pointerType !== "mouse"; show(last.t, e.clientX, e.clientY); } else { pinned = false; hide(); }
      }
      delete ptrs[e.pointerId];
      if (count() < 2) pinch = 0;
    };
    svg.addEventListener("pointerup", up);
    svg.addEventListener("pointercancel", up);
    svg.addEventListener("pointerleave", function (e) { if (e.pointerType === "mouse" && !pinned) hide(); });
    var buttons = document.querySelectorAll("[data-zoom]");
    for (var b = 0; b < buttons.length; b++) {
      buttons[b].addEventListener("click", function (e) {
        var z = e.currentTarget.getAttribute("data-zoom");
        if (z === "in") zoom(1.5); else if (z === "out") zoom(1 / 1.5); else { v = { x: full.x, y: full.y, w: full.w, h: full.h }; apply(); }
      });
    }
  }

  // Sortable tables: numbers by data-v, text by locale.
  var lang = document.documentElement.lang || "fr";
  var tables = document.querySelectorAll("table.sortable");
  for (var t = 0; t < tables.length; t++) {
    (function (table) {
      var ths = table.tHead.rows[0].cells;
      for (var c = 0; c < ths.length; c++) {
        (function (th, col) {
          th.addEventListener("click", function () {
            var asc = th.getAttribute("aria-sort") !== "ascending";
            for (var k = 0; k < ths.length; k++) ths[k].removeAttribute("aria-sort");
            th.setAttribute("aria-sort", asc ? "ascending" : "descending");
            var num = th.hasAttribute("data-num"), body = table.tBodies[0];
            var rows = Array.prototype.slice.call(body.rows);
            rows.sort(function (a, b) {
              var x = a.cells[col], y = b.cells[col], d;
              if (num) d = parseFloat(x.getAttribute("data-v")) - parseFloat(y.getAttribute("data-v"));
              else d = x.textContent.localeCompare(y.textContent, lang);
              if (d !== d) d = 0;
              return asc ? d : -d;
            });
            for (var i = 0; i < rows.length; i++) body.appendChild(rows[i]);
          });
        })(ths[c], c);
      }
    })(tables[t]);
  }

  // Text filters: rows whose text holds the words, accents ignored.
  function fold(s) { return s.normalize("NFD").replace(/[\u0300-\u036f]/g, "").toLowerCase(); }
  var filters = document.querySelectorAll("input.filter");
  for (var f = 0; f < filters.length; f++) {
    filters[f].addEventListener("input", function (e) {
      var table = document.getElementById(e.target.getAttribute("data-table"));
      var words = fold(e.target.value).split(/\s+/).filter(Boolean);
      var rows = table.tBodies[0].rows;
      for (var i = 0; i < rows.length; i++) {
        var text = fold(rows[i].textContent), ok = true;
        for (var w = 0; w < words.length; w++) if (text.indexOf(words[w]) < 0) { ok = false; break; }
        rows[i].hidden = !ok;
      }
    });
  }
})();
