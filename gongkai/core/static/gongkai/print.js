// The print view's 打印 button: shown only when this script runs (without it the browser's own
// Print command still works, as the page says), hidden on paper by print.css.
(function () {
  "use strict";
  document.querySelectorAll("[data-print]").forEach(function (button) {
    button.hidden = false;
    button.addEventListener("click", function () { window.print(); });
  });
})();
