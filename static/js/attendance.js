/* Attendance buttons: show "saving", never let a failed tap pass silently, and keep the taps
   made without a connection (issue 23).

   htmx swaps the row on success. A form marked data-offline-queue (a row's buttons, "alle
   mødt") that cannot reach the server - the phone is offline, or the request never got an
   answer - is kept in localStorage and its row says "Venter på forbindelse". The kept taps
   are sent in the order they were made when the connection returns (the "online" event, the
   next page load, or a retry every 15 s), one at a time; a tap made while others wait is
   queued behind them, so the last tap wins as it would have online. Every save is
   idempotent on the server (one attendance row per course and day, an upsert; "alle mødt"
   skips what is registered), so a tap sent twice - its first answer lost - is stored once.
   An answer the server refuses (422) ends that tap with its message in the row.

   The kept taps belong to the person who made them: the key names the jobcentre and the
   user (base.html's vc-queue-owner), so a second person signed in on the same phone never
   sends, or sees, the first person's taps; they wait for that person to sign in again.
   Signed out, nothing is kept or sent. */
(function () {
  "use strict";
  if (window.htmx) { window.htmx.config.timeout = 15000; }

  var owner = document.querySelector('meta[name="vc-queue-owner"]');
  var KEY = owner ? "vc.attendance.queue.v2." + owner.getAttribute("content") : null;
  // The first version's key had no owner: whose taps it holds is unknown, so drop them.
  try { window.localStorage.removeItem("vc.attendance.queue.v1"); } catch (e) { /* off */ }
  var RETRY_MS = 15000;
  var flushing = false;

  function load() {
    if (!KEY) { return []; }
    try { return JSON.parse(window.localStorage.getItem(KEY)) || []; } catch (e) { return []; }
  }
  function store(queue) {
    if (!KEY) { return; }
    try { window.localStorage.setItem(KEY, JSON.stringify(queue)); } catch (e) { /* full */ }
  }

  function rowOf(evt) {
    var elt = evt.detail && evt.detail.elt;
    return elt && elt.closest ? elt.closest(".att-row") : null;
  }

  /* The texts a row's state line shows (saving, waiting, refused): written once on the list
     the rows are in (the day's <ul class="att-list">), not on every row. */
  function textOf(row, name) {
    var holder = row.closest("[data-" + name + "-text]");
    return holder ? holder.getAttribute("data-" + name + "-text") : "";
  }

  function show(row, text, cls) {
    var state = row.querySelector(".att-state");
    if (state) {
      state.textContent = text;
      state.className = "att-state " + cls;
    }
  }

  function queueFormOf(evt) {
    var elt = evt.detail && evt.detail.elt;
    return elt && elt.closest ? elt.closest("form[data-offline-queue]") : null;
  }

  /* What to send again: the URL, the form's fields with the button tapped, and where the
     answer goes (the element's id, and the part of the answer to take). */
  function pendingOf(evt, form) {
    var target = evt.detail.target;
    var data = evt.detail.formData || evt.detail.parameters;
    var params = new URLSearchParams();
    if (data && typeof data.forEach === "function") {
      data.forEach(function (value, name) { params.append(name, value); });
    }
    return {
      url: evt.detail.path,
      body: params.toString(),
      target: target && target.id ? target.id : "",
      select: form.getAttribute("hx-select") || "",
      label: form.dataset.offlineLabel || ""
    };
  }

  function enqueue(item) {
    var queue = load();
    queue.push(item);
    store(queue);
    render();
    window.setTimeout(flush, RETRY_MS);
  }

  /* Every waiting tap's row says so; the day's status line counts them. */
  function render() {
    var queue = load();
    var waiting = {};
    queue.forEach(function (item) { if (item.target) { waiting[item.target] = item; } });
    document.querySelectorAll(".att-row").forEach(function (row) {
      if (waiting[row.id]) {
        row.classList.remove("is-saving", "is-failed", "is-saved");
        row.classList.add("is-queued");
        show(row, textOf(row, "queued"), "state-bad");
      } else {
        row.classList.remove("is-queued");
      }
    });
    document.querySelectorAll("[data-offline-status]").forEach(function (line) {
      var others = queue.filter(function (item) { return !item.target || item.target.indexOf("att-") !== 0; });
      if (queue.length) {
        line.textContent = (queue.length === 1 ? line.dataset.queuedOne : line.dataset.queuedMany)
          .replace("%s", queue.length) +
          (others.length ? " (" + others.map(function (i) { return i.label; }).join(", ") + ")" : "");
      } else if (line.dataset.queuedShown) {
        line.textContent = line.dataset.sentText || "";
      }
      line.dataset.queuedShown = queue.length ? "1" : "";
    });
  }

  function swapIn(item, html) {
    if (!item.target) { return; }
    var old = document.getElementById(item.target);
    if (!old) { return; }
    var holder = document.createElement("template");
    holder.innerHTML = html.trim();
    var fresh = item.select ? holder.content.querySelector(item.select) : holder.content.firstElementChild;
    if (!fresh) { return; }
    old.replaceWith(fresh);
    if (window.htmx) { window.htmx.process(fresh); }
  }

  function refused(item, text) {
    var row = item.target ? document.getElementById(item.target) : null;
    if (row && row.classList.contains("att-row")) {
      row.classList.remove("is-queued");
      row.classList.add("is-failed");
      show(row, (text ? text + " " : "") + textOf(row, "error"), "state-bad");
    }
  }

  function csrfToken() {
    try {
      return JSON.parse(document.body.getAttribute("hx-headers") || "{}")["X-CSRFToken"] || "";
    } catch (e) { return ""; }
  }

  /* Send the oldest waiting tap; on an answer drop it and go on, on no answer stop. */
  function flush() {
    if (flushing || !navigator.onLine) { return; }
    var queue = load();
    if (!queue.length) { return; }
    flushing = true;
    var item = queue[0];
    // The page's CSRF token, not the one kept with the tap: signing in again renews it.
    var token = csrfToken();
    var body = new URLSearchParams(item.body);
    if (token) { body.set("csrfmiddlewaretoken", token); }
    window.fetch(item.url, {
      method: "POST",
      body: body.toString(),
      credentials: "same-origin",
      headers: {
        "Content-Type": "application/x-www-form-urlencoded;charset=UTF-8",
        "HX-Request": "true",
        "X-CSRFToken": token
      }
    }).then(function (response) {
      return response.text().then(function (text) { return { response: response, text: text }; });
    }).then(function (answer) {
      flushing = false;
      if (answer.response.redirected) {
        // Signed out meanwhile (the login page): keep the taps until the mentor is back.
        render();
        return;
      }
      var rest = load();
      rest.shift();
      store(rest);
      if (answer.response.ok) {
        swapIn(item, answer.text);
      } else {
        refused(item, answer.response.status === 422 ? answer.text : "");
      }
      render();
      flush();
    }, function () {
      flushing = false;
      render();
      window.setTimeout(flush, RETRY_MS);
    });
  }

  document.addEventListener("htmx:configRequest", function (evt) {
    var form = queueFormOf(evt);
    if (!form) { return; }
    form.vcPending = pendingOf(evt, form);
    // Offline, or taps already waiting: this one waits behind them (order is kept).
    if (!navigator.onLine || load().length) {
      evt.preventDefault();
      enqueue(form.vcPending);
      flush();
    }
  });

  document.addEventListener("htmx:beforeRequest", function (evt) {
    var row = rowOf(evt);
    if (!row) { return; }
    row.classList.remove("is-failed");
    row.classList.add("is-saving");
    show(row, textOf(row, "saving"), "muted");
  });

  function failed(evt) {
    var form = queueFormOf(evt);
    var lost = evt.type === "htmx:sendError" || evt.type === "htmx:timeout";
    if (form && form.vcPending && lost) {
      // No answer: the server may or may not have it; sending it again is harmless.
      enqueue(form.vcPending);
      form.vcPending = null;
      return;
    }
    var row = rowOf(evt);
    if (!row) { return; }
    row.classList.remove("is-saving", "is-saved");
    row.classList.add("is-failed");
    var text = textOf(row, "error");
    var xhr = evt.detail && evt.detail.xhr;
    if (evt.type === "htmx:responseError" && xhr && xhr.status === 422 && xhr.responseText) {
      text = xhr.responseText + " " + text;
    }
    show(row, text, "state-bad");
  }

  ["htmx:sendError", "htmx:responseError", "htmx:timeout", "htmx:sendAbort"].forEach(
    function (name) { document.addEventListener(name, failed); }
  );

  // A swapped-in page part (a saved row, the day after "alle mødt") shows what still waits.
  document.addEventListener("htmx:afterSwap", render);
  window.addEventListener("online", flush);
  document.addEventListener("DOMContentLoaded", function () {
    render();
    flush();
  });
})();
