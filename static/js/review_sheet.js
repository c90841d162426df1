// Score sheets (projects and awards): keep the "当前合计" line in step with the points typed. Progressive
// enhancement — without JavaScript the server-computed total of the saved or typed points is shown.
(function () {
  "use strict";
  var out = document.getElementById("sheet-total");
  if (!out) return;
  var inputs = document.querySelectorAll("input[data-criterion]");
  function update() {
    var total = 0;
    inputs.forEach(function (input) {
      var value = parseFloat(input.value);
      if (isFinite(value) && value >= 0) total += value;
    });
    out.value = out.textContent = String(Math.round(total * 100) / 100);
  }
  inputs.forEach(function (input) { input.addEventListener("input", update); });
  update();
})();
