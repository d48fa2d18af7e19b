/* Ratings screens: the running total and level of a score sheet while scores are
   typed (the server computes the real ones when the sheet is saved), and "select the
   whole page" on the decision list. No inline scripts: the page's CSP forbids them. */
(function () {
  "use strict";

  function parseScore(text) {
    var value = String(text || "").trim().replace(",", ".");
    if (value === "" || !/^\d+(\.\d+)?$/.test(value)) { return null; }
    return parseFloat(value);
  }

  function formatScore(value) {
    var rounded = Math.round(value * 100) / 100;
    return String(rounded).replace(".", ",");
  }

  function liveTotal(form) {
    var result = document.getElementById("ket-qua");
    var scale = document.querySelector("[data-scale]");
    if (!result || !scale) { return; }
    var totalNode = result.querySelector("[data-total]");
    var levelNode = result.querySelector("[data-level-text]");
    var steps = Array.prototype.map.call(scale.querySelectorAll("[data-level]"), function (li) {
      return { level: parseInt(li.dataset.level, 10), min: parseFloat(li.dataset.min), label: li.dataset.label };
    }).sort(function (a, b) { return a.level - b.level; });

    function update() {
      var total = 0;
      var typed = form.querySelectorAll("input[type=radio]:checked").length > 0;
      form.querySelectorAll("[data-score]").forEach(function (input) {
        var value = parseScore(input.value);
        var max = parseScore(input.dataset.max);
        if (value !== null && (max === null || value <= max)) { total += value; typed = true; }
      });
      var level = steps.length ? steps[steps.length - 1].level : null;
      for (var i = 0; i < steps.length; i++) {
        if (total >= steps[i].min) { level = steps[i].level; break; }
      }
      form.querySelectorAll("input[type=radio][value=yes]:checked").forEach(function (radio) {
        var cap = parseInt(radio.dataset.cap, 10);
        if (cap && cap > level) { level = cap; }
      });
      totalNode.textContent = formatScore(total);
      var step = steps.filter(function (s) { return s.level === level; })[0];
      levelNode.textContent = typed && step ? (scale.dataset.levelWord || "Mức") + " " + level + " · " + step.label : "—";
    }
    form.addEventListener("input", update);
    form.addEventListener("change", update);
    // Fields may start from another stage's scores (the proposal from the unit's).
    update();
  }

  function selectAll() {
    var all = document.querySelector("[data-bulk-all]");
    if (!all) { return; }
    all.addEventListener("change", function () {
      document.querySelectorAll("[data-bulk-item]").forEach(function (box) { box.checked = all.checked; });
    });
  }

  document.querySelectorAll("form[data-live-total]").forEach(liveTotal);
  selectAll();
})();
