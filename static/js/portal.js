/* Behaviour that used to be written inline in templates: the Content-Security-Policy allows no inline
   script, so every handler lives here. */
(function () {
  "use strict";
  // A <select data-autosubmit> submits its form when changed (the language selector).
  document.querySelectorAll("select[data-autosubmit]").forEach(function (select) {
    select.addEventListener("change", function () { select.form.submit(); });
  });

  // After a failed submit the error summary (core/partials/_error_summary.html) takes the focus, so that
  // keyboard and screen-reader users start from what went wrong; its links move to the field.
  var summary = document.getElementById("error-summary");
  if (summary) {
    summary.focus();
    summary.querySelectorAll("a[href^='#']").forEach(function (link) {
      link.addEventListener("click", function (event) {
        var field = document.getElementById(link.getAttribute("href").slice(1));
        if (field) { event.preventDefault(); field.focus(); field.scrollIntoView({block: "center"}); }
      });
    });
  }

  // A table or chart that scrolls sideways inside its box must be reachable by keyboard (WCAG 2.1.1):
  // while it overflows, the box is a named, focusable region (its name: the table's caption, the card's
  // header or the nearest heading before it).
  function scrollName(box) {
    var caption = box.querySelector("caption");
    if (caption && caption.textContent.trim()) return caption.textContent.trim();
    var card = box.closest(".card");
    var header = card && card.querySelector(".card-header, h2, h3");
    if (header && header.textContent.trim()) return header.textContent.trim();
    for (var el = box; el && el !== document.body; el = el.parentElement) {
      for (var prev = el.previousElementSibling; prev; prev = prev.previousElementSibling) {
        var heading = /^H[1-6]$/.test(prev.tagName) ? prev : prev.querySelector("h1, h2, h3, h4, h5, h6");
        if (heading && heading.textContent.trim()) return heading.textContent.trim();
      }
    }
    return document.title.split("·")[0].trim();
  }
  function markScrollers() {
    document.querySelectorAll(".table-responsive, .overflow-auto, main table.table").forEach(function (box) {
      var scrolls = box.scrollWidth > box.clientWidth + 1 || box.scrollHeight > box.clientHeight + 1;
      if (scrolls && !box.hasAttribute("tabindex")) {
        box.setAttribute("tabindex", "0");
        box.setAttribute("data-scroll-region", box.hasAttribute("aria-label") ? "" : "named");
        if (box.tagName !== "TABLE") box.setAttribute("role", "region");
        if (!box.hasAttribute("aria-label")) box.setAttribute("aria-label", scrollName(box));
      } else if (!scrolls && box.hasAttribute("data-scroll-region")) {
        if (box.getAttribute("data-scroll-region") === "named") box.removeAttribute("aria-label");
        ["tabindex", "data-scroll-region", "role"].forEach(function (a) { box.removeAttribute(a); });
      }
    });
  }
  markScrollers();
  var resizing;
  window.addEventListener("resize", function () { clearTimeout(resizing); resizing = setTimeout(markScrollers, 150); });
})();
