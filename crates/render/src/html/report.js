(function () {
  "use strict";
  var norm = function (s) { return (s || "").normalize("NFC").toLowerCase(); };

  // The table browser: the search box filters the table list and the tables' sections by name,
  // column or comment (every word typed must appear).
  var search = document.getElementById("search");
  var count = document.getElementById("search-count");
  var noMatch = document.getElementById("no-match");
  var items = Array.prototype.slice.call(document.querySelectorAll("#table-list li"));
  var sections = Array.prototype.slice.call(document.querySelectorAll("article.table"));
  var itemText = items.map(function (li) { return norm(li.getAttribute("data-search")); });
  var sectionText = sections.map(function (a) { return norm(a.getAttribute("data-search")); });
  var total = sections.length;
  var countWord = count ? count.textContent.replace(/^\d+\s*/, "") : "";

  function filter() {
    var words = norm(search ? search.value : "").split(/\s+/).filter(Boolean);
    var matches = function (text) { return words.every(function (w) { return text.indexOf(w) >= 0; }); };
    var shown = 0;
    items.forEach(function (li, i) { li.hidden = !matches(itemText[i]); });
    sections.forEach(function (a, i) {
      var ok = matches(sectionText[i]);
      a.hidden = !ok;
      if (ok) { shown++; }
    });
    if (count) { count.textContent = (words.length ? shown + " / " + total : total) + " " + countWord; }
    if (noMatch) { noMatch.hidden = shown > 0 || total === 0; }
  }
  if (search) {
    search.addEventListener("input", filter);
    search.addEventListener("keydown", function (e) {
      if (e.key === "Escape") { search.value = ""; filter(); }
    });
  }

  // A link to a table the search hides clears the search, so that the table can be shown.
  function reveal(id) {
    var target = id && document.getElementById(id);
    if (target && target.hidden && search) { search.value = ""; filter(); }
    return target;
  }
  document.addEventListener("click", function (e) {
    var a = e.target.closest ? e.target.closest("a[href^='#']") : null;
    if (a) { reveal(decodeURIComponent(a.getAttribute("href").slice(1))); }
  }, true);
  window.addEventListener("hashchange", function () { reveal(decodeURIComponent(location.hash.slice(1))); });
  if (location.hash) { reveal(decodeURIComponent(location.hash.slice(1))); }

  // The diagram: wheel to zoom around the pointer, drag to move, a click on a table to go to it.
  var view = document.getElementById("erd-view");
  var svg = document.getElementById("erd-svg");
  if (!view || !svg || !svg.viewBox || !svg.viewBox.baseVal) { return; }
  var base = svg.viewBox.baseVal;
  var home = { x: base.x, y: base.y, w: base.width, h: base.height };
  var box = { x: home.x, y: home.y, w: home.w, h: home.h };
  function apply() { svg.setAttribute("viewBox", box.x + " " + box.y + " " + box.w + " " + box.h); }
  function toSvg(clientX, clientY) {
    var r = svg.getBoundingClientRect();
    var scale = Math.max(box.w / r.width, box.h / r.height);
    var offX = (r.width * scale - box.w) / 2, offY = (r.height * scale - box.h) / 2;
    return { x: box.x - offX + (clientX - r.left) * scale, y: box.y - offY + (clientY - r.top) * scale, scale: scale };
  }
  function zoom(factor, clientX, clientY) {
    var r = svg.getBoundingClientRect();
    if (clientX === undefined) { clientX = r.left + r.width / 2; clientY = r.top + r.height / 2; }
    var p = toSvg(clientX, clientY);
    var w = Math.min(Math.max(box.w * factor, home.w / 50), home.w * 4);
    var f = w / box.w;
    box.x = p.x - (p.x - box.x) * f;
    box.y = p.y - (p.y - box.y) * f;
    box.w = w;
    box.h = box.h * f;
    apply();
  }
  view.addEventListener("wheel", function (e) {
    e.preventDefault();
    zoom(e.deltaY > 0 ? 1.15 : 1 / 1.15, e.clientX, e.clientY);
  }, { passive: false });
  document.querySelectorAll(".erd-tools button").forEach(function (b) {
    b.addEventListener("click", function () {
      var what = b.getAttribute("data-zoom");
      if (what === "in") { zoom(1 / 1.3); }
      else if (what === "out") { zoom(1.3); }
      else { box = { x: home.x, y: home.y, w: home.w, h: home.h }; apply(); }
    });
  });
  var drag = null;
  view.addEventListener("pointerdown", function (e) {
    if (e.button !== 0) { return; }
    drag = { x: e.clientX, y: e.clientY, bx: box.x, by: box.y, moved: false };
  });
  window.addEventListener("pointermove", function (e) {
    if (!drag) { return; }
    var dx = e.clientX - drag.x, dy = e.clientY - drag.y;
    if (!drag.moved && Math.abs(dx) + Math.abs(dy) < 4) { return; }
    if (!drag.moved) { drag.moved = true; view.classList.add("dragging"); }
    var scale = toSvg(0, 0).scale;
    box.x = drag.bx - dx * scale;
    box.y = drag.by - dy * scale;
    apply();
  });
  window.addEventListener("pointerup", function () {
    if (drag && drag.moved) { view.setAttribute("data-dragged", "1"); }
    drag = null;
    view.classList.remove("dragging");
  });

  // Graphviz titles each table's node with the table's name; the sections carry it in data-name.
  var byName = {};
  sections.forEach(function (a) { byName[a.getAttribute("data-name")] = a.id; });
  svg.querySelectorAll("g.node").forEach(function (g) {
    var title = g.querySelector("title");
    var id = title && byName[title.textContent];
    if (!id) { return; }
    g.classList.add("linked");
    g.setAttribute("data-target", id);
    g.addEventListener("click", function (e) {
      if (view.getAttribute("data-dragged")) { view.removeAttribute("data-dragged"); return; }
      e.preventDefault();
      reveal(id);
      location.hash = "#" + id;
    });
  });
  view.addEventListener("click", function () { view.removeAttribute("data-dragged"); });
})();
