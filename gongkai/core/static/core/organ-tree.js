/* The searchable organ tree (core.forms.OrganTreeSelect): typing in the picker above a
   select[data-organ-tree] hides the organs whose name does not match, keeping their ancestors;
   a single match is chosen. Progressive enhancement: without this script the select works as is. */
(function () {
  "use strict";

  function setup(select) {
    if (select.hasAttribute("data-organ-tree-ready")) return;
    var form = select.form || document;
    var picker = form.querySelector("[data-organ-picker]");
    if (!picker) return;
    var input = picker.querySelector("[data-organ-filter]");
    if (!input) return;
    select.setAttribute("data-organ-tree-ready", "1");
    picker.hidden = false;
    var options = Array.prototype.slice.call(select.options);
    var status = picker.querySelector("[data-organ-count]");
    input.addEventListener("input", function () {
      var term = input.value.trim();
      var keep = {};
      options.forEach(function (o) {
        if (!o.value || !term || o.text.indexOf(term) !== -1) {
          keep[o.value] = true;
          (o.getAttribute("data-path") || "").split("/").forEach(function (id) { if (id) keep[id] = true; });
        }
      });
      options.forEach(function (o) { o.hidden = !keep[o.value]; });
      var matches = options.filter(function (o) { return o.value && !o.hidden && o.text.indexOf(term) !== -1; });
      if (term && matches.length === 1) select.value = matches[0].value;
      if (status) status.textContent = term ? "找到 " + matches.length + " 个机关" : "";
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    Array.prototype.forEach.call(document.querySelectorAll("select[data-organ-tree]"), setup);
  });
})();
