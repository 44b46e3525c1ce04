// Small touches for every page; the pages work without them.
(function () {
  "use strict";
  // The language menu applies on change; its button stays for people without JavaScript.
  document.querySelectorAll("select.js-autosubmit").forEach(function (select) {
    select.addEventListener("change", function () { select.form.submit(); });
  });
  document.querySelectorAll(".js-hide").forEach(function (el) { el.hidden = true; });
})();
