/* Attendance buttons: show "saving", and never let a failed tap pass silently.
   htmx swaps the row on success; on a network error, a timeout or an error answer the
   row keeps its buttons and says "Ikke gemt - prøv igen" (text from the row's data). */
(function () {
  "use strict";
  if (window.htmx) { window.htmx.config.timeout = 15000; }

  function rowOf(evt) {
    var elt = evt.detail && evt.detail.elt;
    return elt && elt.closest ? elt.closest(".att-row") : null;
  }

  function show(row, text, cls) {
    var state = row.querySelector(".att-state");
    if (state) {
      state.textContent = text;
      state.className = "att-state " + cls;
    }
  }

  document.addEventListener("htmx:beforeRequest", function (evt) {
    var row = rowOf(evt);
    if (!row) { return; }
    row.classList.remove("is-failed");
    row.classList.add("is-saving");
    show(row, row.dataset.savingText, "muted");
  });

  function failed(evt) {
    var row = rowOf(evt);
    if (!row) { return; }
    row.classList.remove("is-saving", "is-saved");
    row.classList.add("is-failed");
    var text = row.dataset.errorText;
    var xhr = evt.detail && evt.detail.xhr;
    if (evt.type === "htmx:responseError" && xhr && xhr.status === 422 && xhr.responseText) {
      text = xhr.responseText + " " + text;
    }
    show(row, text, "state-bad");
  }

  ["htmx:sendError", "htmx:responseError", "htmx:timeout", "htmx:sendAbort"].forEach(
    function (name) { document.addEventListener(name, failed); }
  );
})();
