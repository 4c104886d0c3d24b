// Print buttons: <button data-print hidden>Print</button>. Without JavaScript the button stays
// hidden and the browser's own Print menu does the same.
(function () {
  "use strict";

  document.querySelectorAll("button[data-print]").forEach(function (button) {
    button.hidden = false;
    button.addEventListener("click", function () {
      window.print();
    });
  });
})();
