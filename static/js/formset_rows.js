// 增加一行 for formsets (the expert's achievements): clone the <template id="<prefix>-empty-row"> row with
// the next index and raise <prefix>-TOTAL_FORMS. Without JavaScript the same button submits the form and
// the server answers with one more row (nothing is saved). No inline script: the CSP forbids it.
(function () {
  "use strict";
  document.querySelectorAll("button[data-formset-add]").forEach(function (button) {
    var prefix = button.dataset.formsetAdd;
    var total = document.getElementById("id_" + prefix + "-TOTAL_FORMS");
    var max = document.getElementById("id_" + prefix + "-MAX_NUM_FORMS");
    var template = document.getElementById(prefix + "-empty-row");
    var body = document.querySelector("table[data-formset='" + prefix + "'] tbody");
    if (!total || !template || !body) return;
    button.addEventListener("click", function (event) {
      event.preventDefault();
      var index = parseInt(total.value, 10) || 0;
      if (max && index >= (parseInt(max.value, 10) || 1000)) return;
      var html = template.innerHTML.replace(/__prefix__/g, String(index));
      body.insertAdjacentHTML("beforeend", html);
      total.value = String(index + 1);
      var first = body.lastElementChild && body.lastElementChild.querySelector("select, input:not([type=hidden])");
      if (first) first.focus();
    });
  });
})();
