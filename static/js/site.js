// Progressive enhancement only: every page works without this file.
(function () {
  "use strict";

  function copyText(text) {
    if (navigator.clipboard && window.isSecureContext) {
      return navigator.clipboard.writeText(text);
    }
    return new Promise(function (resolve, reject) {
      var area = document.createElement("textarea");
      area.value = text;
      area.setAttribute("readonly", "");
      area.style.position = "fixed";
      area.style.opacity = "0";
      document.body.appendChild(area);
      area.select();
      var ok = false;
      try { ok = document.execCommand("copy"); } catch (e) { ok = false; }
      document.body.removeChild(area);
      ok ? resolve() : reject(new Error("copy failed"));
    });
  }

  function announce(button, message) {
    var card = button.closest(".quote-card");
    var status = card ? card.querySelector(".copy-status") : null;
    var label = button.dataset.label || button.textContent;
    button.dataset.label = label;
    button.textContent = message;
    if (status) { status.textContent = message; }
    window.clearTimeout(button._resetTimer);
    button._resetTimer = window.setTimeout(function () {
      button.textContent = label;
      if (status) { status.textContent = ""; }
    }, 2500);
  }

  document.querySelectorAll(".copy-button").forEach(function (button) {
    button.hidden = false;
    button.addEventListener("click", function () {
      var source = document.getElementById(button.dataset.copyTarget);
      if (!source) { return; }
      copyText(source.value).then(
        function () { announce(button, "Copied"); },
        function () {
          // Copying was refused: open the text and select it so the reader can copy it.
          var details = source.closest("details");
          if (details) { details.open = true; }
          source.focus();
          source.select();
          announce(button, "Press Ctrl+C to copy");
        }
      );
    });
  });

  // Filters start open (for readers without JavaScript); on phones, collapse them.
  if (window.matchMedia && window.matchMedia("(max-width: 59.99em)").matches) {
    document.querySelectorAll("details.collapsible-panel").forEach(function (panel) {
      if (!panel.querySelector(".field-error")) { panel.open = false; }
    });
  }
})();
