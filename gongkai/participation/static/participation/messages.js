/* Message form: filter the organ tree by name; suggest published answers while the subject is typed.
   Progressive enhancement: without this script the form works as a plain form. */
(function () {
  "use strict";

  function organFilter(form) {
    var picker = form.querySelector("[data-organ-picker]");
    var select = form.querySelector("select[data-organ-tree]");
    if (!picker || !select) return;
    picker.hidden = false;
    var input = picker.querySelector("[data-organ-filter]");
    var options = Array.prototype.slice.call(select.options);
    input.addEventListener("input", function () {
      var term = input.value.trim();
      var keep = {};
      options.forEach(function (o) {
        if (!o.value || !term || o.text.indexOf(term) !== -1) {
          keep[o.value] = true;
          var path = o.getAttribute("data-path") || "";
          path.split("/").forEach(function (id) { if (id) keep[id] = true; });  // keep the ancestors
        }
      });
      options.forEach(function (o) { o.hidden = !keep[o.value]; });
      var matches = options.filter(function (o) { return o.value && !o.hidden && o.text.indexOf(term) !== -1; });
      if (term && matches.length === 1) select.value = matches[0].value;
    });
  }

  function suggestions(form) {
    var url = form.getAttribute("data-suggest-url");
    var subject = form.querySelector("[data-suggest]");
    var box = form.querySelector("[data-suggestions]");
    if (!url || !subject || !box || !window.fetch) return;
    var list = box.querySelector("[data-suggestion-list]");
    var select = form.querySelector("select[data-organ-tree]");
    var timer = null;
    var last = "";
    function show(results) {
      list.textContent = "";
      results.forEach(function (r) {
        var li = document.createElement("li");
        li.className = "row";
        var a = document.createElement("a");
        a.href = r.url;
        a.target = "_blank";
        a.rel = "noopener";
        a.className = "row-title";
        a.textContent = r.title;
        var meta = document.createElement("div");
        meta.className = "row-meta";
        meta.textContent = r.kind + " · " + r.organ;
        li.appendChild(a);
        li.appendChild(meta);
        list.appendChild(li);
      });
      box.hidden = results.length === 0;
    }
    function lookup() {
      var q = subject.value.trim();
      if (q === last) return;
      last = q;
      if (q.length < 2) { show([]); return; }
      var params = "?q=" + encodeURIComponent(q) + (select && select.value ? "&organ=" + encodeURIComponent(select.value) : "");
      fetch(url + params, { headers: { "Accept": "application/json" } })
        .then(function (r) { return r.ok ? r.json() : { results: [] }; })
        .then(function (data) { if (data.q === last) show(data.results || []); })
        .catch(function () { show([]); });
    }
    subject.addEventListener("input", function () { clearTimeout(timer); timer = setTimeout(lookup, 250); });
    if (subject.value) lookup();
  }

  document.addEventListener("DOMContentLoaded", function () {
    var form = document.querySelector("[data-message-form]");
    if (!form) return;
    organFilter(form);
    suggestions(form);
  });
})();
