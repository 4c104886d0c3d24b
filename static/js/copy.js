// Copy buttons: <button data-copy="INPUT-ID" hidden> beside a readonly input.
// Without JavaScript the buttons stay hidden and the text can be selected by hand.
(function () {
  "use strict";

  function copy(input) {
    if (navigator.clipboard && window.isSecureContext) {
      return navigator.clipboard.writeText(input.value);
    }
    // Plain http (a school's intranet): the older way, through a selection.
    input.focus();
    input.select();
    return document.execCommand("copy") ? Promise.resolve() : Promise.reject(new Error("copy"));
  }

  document.querySelectorAll("button[data-copy]").forEach(function (button) {
    var input = document.getElementById(button.dataset.copy);
    if (!input) {
      return;
    }
    var label = button.textContent;
    var status = document.querySelector("[data-copy-status]");
    button.hidden = false;
    button.addEventListener("click", function () {
      copy(input).then(
        function () {
          button.textContent = status ? status.dataset.copied : label;
          if (status) {
            status.textContent = status.dataset.copied;
          }
          window.setTimeout(function () {
            button.textContent = label;
            if (status) {
              status.textContent = "";
            }
          }, 2000);
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
