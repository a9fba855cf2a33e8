/* relsite: small self-hosted behaviour. The pages work without it; it adds filtering, the reader's
   "today", and webcal links. No network access. */
(function () {
  "use strict";

  /* The Find box: filters the tables on the page, and (with the small index the site ships) lists
     matches from every year. Its state lives in the address (?find=, &service=, &status=); "q" is
     left to the theme's search. */
  var index = null;

  function loadIndex(form, then) {
    if (index !== null) return then(index);
    var url = form.dataset.rsIndex;
    if (!url || !window.fetch) return then([]);
    fetch(url).then(function (r) { return r.ok ? r.json() : []; }).then(function (rows) { index = rows; then(rows); })
      .catch(function () { index = []; then([]); });
  }

  function showFound(form, q, service, status) {
    var box = document.querySelector("section.rs-found");
    if (!box) return;
    if (!q) { box.hidden = true; return; }
    loadIndex(form, function (rows) {
      var list = box.querySelector("ul");
      list.textContent = "";
      var found = rows.filter(function (r) {
        return r.text.indexOf(q) !== -1 && (!status || r.status === status.replace(/_/g, " "));
      });
      // ids in version order (python-3.12.2 before python-3.12.10), not as text
      found.sort(function (a, b) { return a.id.localeCompare(b.id, "en", {numeric: true}); });
      found.slice(0, 200).forEach(function (r) {
        var li = document.createElement("li"), a = document.createElement("a");
        a.href = (form.dataset.rsBase || "") + r.url;
        a.textContent = r.id;
        li.appendChild(a);
        li.appendChild(document.createTextNode(" " + r.title + " (" + r.service + " " + r.version + ", " + r.status + ", production " + r.production + ")"));
        list.appendChild(li);
      });
      box.querySelector("h2").textContent = "Found in every year: " + found.length + (found.length === 1 ? " release" : " releases") +
        (found.length > 200 ? " (the first 200)" : "");
      box.hidden = false;
    });
  }

  function keepInAddress(params) {
    var url = new URL(window.location.href);
    Object.keys(params).forEach(function (k) {
      if (params[k]) url.searchParams.set(k, params[k]); else url.searchParams.delete(k);
    });
    window.history.replaceState(null, "", url);
  }

  function filterTables(form) {
    var q = (form.elements.find.value || "").trim().toLowerCase();
    var service = form.elements.service.value;
    var status = form.elements.status.value;
    var shown = 0;
    document.querySelectorAll("table[data-rs-filterable] tbody tr").forEach(function (row) {
      var ok = (!q || row.dataset.text.indexOf(q) !== -1) &&
        (!service || row.dataset.service === service) &&
        (!status || row.dataset.status === status);
      row.classList.toggle("rs-hidden", !ok);
      if (ok) shown += 1;
    });
    var out = form.querySelector(".rs-count");
    if (out) out.textContent = shown + (shown === 1 ? " release" : " releases") + " on this page";
    keepInAddress({ find: form.elements.find.value.trim(), service: service, status: status });
    showFound(form, q, service, status);
  }

  function initFilters() {
    document.querySelectorAll("form.rs-filter:not(.rs-calfilter)").forEach(function (form) {
      var run = function () { filterTables(form); };
      form.addEventListener("input", run);
      form.addEventListener("change", run);
      var params = new URLSearchParams(window.location.search);
      ["find", "service", "status"].forEach(function (name) {
        if (params.get(name) && form.elements[name]) form.elements[name].value = params.get(name);
      });
      run();
    });
  }

  function localISODate(d) {
    var m = String(d.getMonth() + 1).padStart(2, "0"), day = String(d.getDate()).padStart(2, "0");
    return d.getFullYear() + "-" + m + "-" + day;
  }

  function initAsOf() {
    var today = localISODate(new Date());
    document.querySelectorAll(".rs-asof[data-rs-built]").forEach(function (p) {
      var built = p.dataset.rsBuilt;
      if (built && built < today) {
        var days = Math.round((Date.parse(today) - Date.parse(built)) / 86400000);
        var span = document.createElement("span");
        span.className = "rs-stale";
        span.textContent = " That was " + days + (days === 1 ? " day" : " days") + " ago; newer changes may not be shown.";
        p.appendChild(span);
      }
    });
    return today;
  }

  function initWebcal() {
    document.querySelectorAll("a[data-rs-webcal]").forEach(function (a) {
      if (!/^https?:$/.test(window.location.protocol)) return;
      var url = new URL(a.getAttribute("href"), window.location.href);
      var sub = document.createElement("a");
      sub.href = "webcal://" + url.host + url.pathname;
      sub.textContent = "(webcal)";
      sub.setAttribute("aria-label", "subscribe in a calendar app (webcal)");
      sub.className = "rs-webcal";
      a.insertAdjacentText("afterend", " ");
      a.parentNode.insertBefore(sub, a.nextSibling.nextSibling);
    });
  }

  function filterCalendar(form) {
    var envs = {};
    form.querySelectorAll("input[name=env]").forEach(function (box) { envs[box.value] = box.checked; });
    var service = form.elements.service ? form.elements.service.value : "";
    document.querySelectorAll(".rs-ev[data-kind]").forEach(function (ev) {
      var env = ev.dataset.env, svc = ev.dataset.service;
      var ok = (!env || envs[env] !== false) && (!service || !svc || svc === service);
      ev.classList.toggle("rs-hidden", !ok);
    });
    document.querySelectorAll(".rs-conflicts[data-env]").forEach(function (d) {
      d.classList.toggle("rs-hidden", envs[d.dataset.env] === false);
    });
    document.querySelectorAll("table[data-rs=agenda] tbody tr").forEach(function (row) {
      var ev = row.querySelector(".rs-ev");
      row.classList.toggle("rs-hidden", !!ev && ev.classList.contains("rs-hidden"));
    });
    var off = Object.keys(envs).filter(function (k) { return envs[k] === false; }).join(",");
    keepInAddress({ hide: off, service: service });
    document.querySelectorAll(".rs-months a, .rs-month-title a").forEach(function (a) {
      var url = new URL(a.getAttribute("href"), window.location.href);
      if (off) url.searchParams.set("hide", off); else url.searchParams.delete("hide");
      if (service) url.searchParams.set("service", service); else url.searchParams.delete("service");
      a.href = url.href;
    });
  }

  function initCalendarFilters() {
    var params = new URLSearchParams(window.location.search);
    var hidden = (params.get("hide") || "").split(",");
    document.querySelectorAll("form.rs-calfilter").forEach(function (form) {
      form.querySelectorAll("input[name=env]").forEach(function (box) { if (hidden.indexOf(box.value) !== -1) box.checked = false; });
      if (form.elements.service && params.get("service")) form.elements.service.value = params.get("service");
      var run = function () { filterCalendar(form); };
      form.addEventListener("change", run);
      run();
    });
  }

  /* Mark today from the reader's clock; the landing page moves to the reader's month. */
  window.relsiteCalendar = function (today) {
    var cell = document.querySelector('td[data-date="' + today + '"]');
    if (cell && cell.classList.contains("rs-in")) {
      cell.classList.add("rs-today");
      cell.setAttribute("aria-current", "date");
    }
    var landing = document.querySelector("section.rs-month[data-rs-landing]");
    if (!landing) return;
    var month = today.slice(0, 7);
    if (landing.dataset.month !== month) {
      var link = document.querySelector('.rs-months a[data-month="' + month + '"]');
      if (link) window.location.replace(link.href);
    }
  };

  /* The theme's search dialog has no accessible name of its own. */
  function nameSearchDialog() {
    document.querySelectorAll(".md-search[role=dialog]:not([aria-label])").forEach(function (d) {
      d.setAttribute("aria-label", "Search the portal");
    });
  }

  /* A timeline wider than the screen starts with today in view (without script it starts at its
     newest years: the scroller runs right to left). */
  function initTimelines() {
    document.querySelectorAll(".rs-timeline-scroll[data-rs-today]").forEach(function (box) {
      var room = box.scrollWidth - box.clientWidth;
      if (room <= 0) return;
      var left = Math.max(0, Math.min(room, parseFloat(box.dataset.rsToday) - box.clientWidth * 0.7));
      box.scrollLeft = getComputedStyle(box).direction === "rtl" ? left - room : left;
    });
  }

  function init() {
    initTimelines();
    nameSearchDialog();
    initCalendarFilters();
    initFilters();
    var today = initAsOf();
    initWebcal();
    if (window.relsiteCalendar) window.relsiteCalendar(today);
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init);
  else init();
})();
