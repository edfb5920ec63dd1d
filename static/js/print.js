/* Buttons marked data-print open the browser's print dialog (no inline handlers: CSP). */
(function () {
  "use strict";
  document.addEventListener("click", function (evt) {
    var target = evt.target.closest ? evt.target.closest("[data-print]") : null;
    if (target) {
      evt.preventDefault();
      window.print();
    }
  });
})();
