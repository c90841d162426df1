/* Lists people can use (issue 16 item 7): behaviour of the list pages, no inline script (CSP).
   - <details class="list-filters" open>: the filters, folded under 筛选 on a phone unless a filter is set.
   - table.table-cards: each cell gets its column's heading (data-label) so that CSS can show the rows
     as cards on a phone; date cells do not wrap.
   - a <select> with many options (161 institutions) gets a type-ahead: a text input with a <datalist>
     of the options' names; the select stays in the form, hidden, and takes the chosen value. */
(function () {
  "use strict";
  var PHONE = window.matchMedia("(max-width: 767.98px)");
  var MANY = 40;
  var DATE = /^\d{4}-\d{2}-\d{2}( \d{2}:\d{2}(:\d{2})?)?$/;

  document.querySelectorAll("details.list-filters").forEach(function (details) {
    if (PHONE.matches && !details.hasAttribute("data-active")) { details.removeAttribute("open"); }
  });

  document.querySelectorAll("table.table-cards").forEach(function (table) {
    var heads = Array.prototype.map.call(table.querySelectorAll("thead th"), function (th) {
      return th.textContent.trim();
    });
    table.querySelectorAll("tbody tr").forEach(function (tr) {
      Array.prototype.forEach.call(tr.children, function (cell, i) {
        if (heads[i] && !cell.hasAttribute("data-label") && !cell.hasAttribute("colspan")) {
          cell.setAttribute("data-label", heads[i]);
        }
        if (DATE.test(cell.textContent.trim())) { cell.classList.add("text-nowrap"); }
      });
    });
  });

  var counter = 0;
  document.querySelectorAll("select").forEach(function (select) {
    if (select.multiple || select.options.length <= MANY || select.hasAttribute("data-no-typeahead")) { return; }
    counter += 1;
    var input = document.createElement("input");
    var list = document.createElement("datalist");
    input.type = "text";
    input.autocomplete = "off";
    input.id = (select.id || "select" + counter) + "-typeahead";
    list.id = input.id + "-options";
    input.setAttribute("list", list.id);
    input.className = select.className.replace("form-select", "form-control") || "form-control";
    input.setAttribute("data-typeahead-for", select.name);
    var byText = {};
    Array.prototype.forEach.call(select.options, function (option) {
      if (option.value === "") { input.placeholder = option.textContent.trim(); return; }
      var text = option.textContent.trim();
      byText[text] = option.value;
      var entry = document.createElement("option");
      entry.value = text;
      list.appendChild(entry);
    });
    if (select.value) { input.value = select.options[select.selectedIndex].textContent.trim(); }
    var label = select.id ? document.querySelector('label[for="' + select.id + '"]') : null;
    if (label) { label.htmlFor = input.id; } else if (select.getAttribute("aria-label")) {
      input.setAttribute("aria-label", select.getAttribute("aria-label"));
    }
    if (select.required) { input.required = true; select.required = false; }
    function pick() {
      var value = byText[input.value.trim()];
      select.value = value === undefined ? "" : value;
      input.setCustomValidity(input.value.trim() && value === undefined ? (input.placeholder || "?") : "");
    }
    input.addEventListener("input", pick);
    input.addEventListener("change", function () {
      pick();
      if (select.hasAttribute("data-autosubmit")) { select.form.submit(); }
    });
    select.hidden = true;
    select.classList.add("d-none");
    select.insertAdjacentElement("afterend", input);
    input.insertAdjacentElement("afterend", list);
  });
})();
