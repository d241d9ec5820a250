// Progressive enhancement of the portal's workspace pages; every page works without this script.
(function () {
  "use strict";
  document.addEventListener("DOMContentLoaded", function () {
    // A filter box above a long list of checkboxes (the catalog entries of a record).
    document.querySelectorAll("input[data-filter-list]").forEach(function (input) {
      var list = document.getElementById(input.getAttribute("data-filter-list"));
      if (!list) { return; }
      input.addEventListener("input", function () {
        var words = input.value.trim().toLowerCase().split(/\s+/).filter(Boolean);
        list.querySelectorAll("[data-filter-item]").forEach(function (row) {
          var text = row.getAttribute("data-filter-item").toLowerCase();
          var box = row.querySelector("input");
          var show = (box && box.checked) || words.every(function (w) { return text.indexOf(w) >= 0; });
          row.hidden = !show;
          row.style.display = show ? "" : "none";  // a class with its own display outranks [hidden]
        });
      });
    });

    // A filter box before a long multiple select (the catalog entries of a draft): options that do
    // not match are hidden, chosen ones stay.
    document.querySelectorAll("select[data-filter-options]").forEach(function (select, n) {
      var box = document.createElement("input");
      var label = document.createElement("label");
      box.type = "search";
      box.id = "filter-options-" + n;
      box.autocomplete = "off";
      label.htmlFor = box.id;
      label.textContent = select.getAttribute("data-filter-options");
      select.parentNode.insertBefore(label, select);
      select.parentNode.insertBefore(box, select);
      box.addEventListener("input", function () {
        var words = box.value.trim().toLowerCase().split(/\s+/).filter(Boolean);
        Array.prototype.forEach.call(select.options, function (o) {
          var text = o.textContent.toLowerCase();
          o.hidden = !o.selected && !words.every(function (w) { return text.indexOf(w) >= 0; });
        });
      });
    });

    // Drag to order the contents of a 公报 issue. The up/down buttons stay for the keyboard and
    // without script; a drop posts the whole order to the same service, then the page reloads.
    document.querySelectorAll("[data-drag-order]").forEach(function (box) {
      var form = document.getElementById(box.getAttribute("data-drag-order"));
      if (!form) { return; }
      var dragged = null;
      box.querySelectorAll("[data-item]").forEach(function (li) {
        li.setAttribute("draggable", "true");
        li.classList.add("draggable");
        li.addEventListener("dragstart", function (ev) {
          dragged = li;
          ev.dataTransfer.effectAllowed = "move";
          ev.dataTransfer.setData("text/plain", li.getAttribute("data-item"));
        });
        li.addEventListener("dragover", function (ev) {
          if (dragged && dragged !== li && dragged.parentNode === li.parentNode) { ev.preventDefault(); }
        });
        li.addEventListener("drop", function (ev) {
          if (!dragged || dragged === li || dragged.parentNode !== li.parentNode) { return; }
          ev.preventDefault();
          var items = Array.prototype.slice.call(li.parentNode.children);
          var after = items.indexOf(dragged) < items.indexOf(li);
          li.parentNode.insertBefore(dragged, after ? li.nextSibling : li);
          var order = Array.prototype.map.call(box.querySelectorAll("[data-item]"), function (x) {
            return x.getAttribute("data-item");
          });
          form.querySelector("input[name=order]").value = order.join(",");
          form.submit();
        });
        li.addEventListener("dragend", function () { dragged = null; });
      });
    });
  });
})();
