// Round page: poll the letters task's progress while it runs (projects:round-letters-progress).
(function () {
  "use strict";
  var box = document.getElementById("letters-progress");
  if (!box || !document.getElementById("letters-running")) return;
  var timer = setInterval(function () {
    fetch(box.dataset.url, {credentials: "same-origin"})
      .then(function (r) { return r.json(); })
      .then(function (d) {
        document.getElementById("letters-done").textContent = d.done;
        document.getElementById("letters-total").textContent = d.total;
        document.getElementById("letters-bar").style.width = (d.total ? 100 * d.done / d.total : 0) + "%";
        if (d.finished) { clearInterval(timer); window.location.reload(); }
      });
  }, 2000);
})();
