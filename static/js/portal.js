/* Behaviour that used to be written inline in templates: the Content-Security-Policy allows no inline
   script, so every handler lives here. */
(function () {
  "use strict";
  // A <select data-autosubmit> submits its form when changed (the language selector).
  document.querySelectorAll("select[data-autosubmit]").forEach(function (select) {
    select.addEventListener("change", function () { select.form.submit(); });
  });
})();
