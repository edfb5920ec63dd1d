// Starts Det Fælles Designsystem's components (menus, the phone's drawer, alerts, tables).
// A file of its own because the CSP allows no inline script.
document.addEventListener("DOMContentLoaded", function () {
  if (window.DKFDS) {
    window.DKFDS.init();
  }
});
