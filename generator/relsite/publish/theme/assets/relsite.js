/* relsite: small self-hosted behaviour. The pages work without it; it adds filtering, the reader's
   "today", and webcal links. No network access. */
(function () {
  "use strict";

  function filterTables(form) {
    var q = (form.elements.q.value || "").trim().toLowerCase();
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
    if (out) out.textContent = shown + (shown === 1 ? " release" : " releases");
  }

  function initFilters() {
    document.querySelectorAll("form.rs-filter:not(.rs-calfilter)").forEach(function (form) {
      var run = function () { filterTables(form); };
      form.addEventListener("input", run);
      form.addEventListener("change", run);
      var params = new URLSearchParams(window.location.search);
      ["q", "service", "status"].forEach(function (name) {
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
      sub.textContent = "subscribe (webcal)";
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
    document.querySelectorAll("table[data-rs=agenda] tbody tr").forEach(function (row) {
      var ev = row.querySelector(".rs-ev");
      row.classList.toggle("rs-hidden", !!ev && ev.classList.contains("rs-hidden"));
    });
  }

  function initCalendarFilters() {
    document.querySelectorAll("form.rs-calfilter").forEach(function (form) {
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
    } else if (cell) {
      cell.scrollIntoView({ block: "center" });
    }
  };

  function init() {
    initCalendarFilters();
    initFilters();
    var today = initAsOf();
    initWebcal();
    if (window.relsiteCalendar) window.relsiteCalendar(today);
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init);
  else init();
})();
