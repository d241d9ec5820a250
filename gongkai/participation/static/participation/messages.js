/* Message form: suggest published answers while the subject is typed (the organ tree's filter is core/organ-tree.js).
   Progressive enhancement: without this script the form works as a plain form. */
(function () {
  "use strict";

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
    suggestions(form);
  });
})();
