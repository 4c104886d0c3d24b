// Copy buttons: <button data-copy="INPUT-ID" hidden><span data-copy-label>Copy</span>…</button>
// beside a readonly input. Without JavaScript the buttons stay hidden and the text can be
// selected and copied by hand. A [data-copy-status] element (role="status") announces the copy.
(function () {
  "use strict";

  var status = document.querySelector("[data-copy-status]");

  function copy(input) {
    if (navigator.clipboard && window.isSecureContext) {
      return navigator.clipboard.writeText(input.value);
    }
    // Plain http (a school's intranet): the older way, through a selection.
    input.focus();
    input.select();
    return document.execCommand("copy") ? Promise.resolve() : Promise.reject(new Error("copy"));
  }

  function announce(label, text, done) {
    label.textContent = text;
    if (status) {
      status.textContent = text;
    }
    window.setTimeout(function () {
      label.textContent = done;
      if (status) {
        status.textContent = "";
      }
    }, 2000);
  }

  document.querySelectorAll("button[data-copy]").forEach(function (button) {
    var input = document.getElementById(button.dataset.copy);
    var label = button.querySelector("[data-copy-label]") || button;
    if (!input) {
      return;
    }
    var original = label.textContent;
    button.hidden = false;
    button.addEventListener("click", function () {
      copy(input).then(
        function () {
          announce(label, status ? status.dataset.copied : original, original);
        },
        function () {
          // Leave the text selected, so that Ctrl+C or the menu copies it.
          input.focus();
          input.select();
        }
      );
    });
  });
})();
