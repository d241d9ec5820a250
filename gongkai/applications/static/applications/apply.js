/* The apply form, progressive enhancement (the form works without this script):
   - while the title or the description is typed, suggest published records that may already
     hold the information (the search engine's JSON API; choosing one does not stop applying);
   - a counter under the description (its cap is enforced by the server). */
(function () {
  "use strict";
  document.addEventListener("DOMContentLoaded", function () {
    var form = document.querySelector("form[data-apply-suggest]");
    if (!form) return;
    var url = form.getAttribute("data-apply-suggest");
    var box = form.querySelector("[data-suggestions]");
    var list = box && box.querySelector("ol");
    var fields = ["title", "description"].map(function (n) { return form.querySelector('[name="' + n + '"]'); })
      .filter(Boolean);
    var timer = null, last = "";

    function show(results) {
      list.textContent = "";
      results.slice(0, 5).forEach(function (r) {
        var li = document.createElement("li");
        var a = document.createElement("a");
        a.href = r.url;
        a.target = "_blank";
        a.rel = "noopener";
        a.textContent = r.title;
        li.appendChild(a);
        li.appendChild(document.createTextNode("（" + r.organ + (r.doc_no ? "，" + r.doc_no : "") + "）"));
        list.appendChild(li);
      });
      box.hidden = results.length === 0;
    }
    function lookup() {
      var q = fields.map(function (f) { return f.value.trim(); }).filter(Boolean).join(" ").slice(0, 60);
      if (q === last) return;
      last = q;
      if (q.length < 2) { show([]); return; }
      fetch(url + "?q=" + encodeURIComponent(q), { headers: { Accept: "application/json" } })
        .then(function (r) { return r.ok ? r.json() : { results: [] }; })
        .then(function (data) { if (q === last) show(data.results || []); })
        .catch(function () { show([]); });
    }
    if (box && list && window.fetch) {
      fields.forEach(function (f) {
        f.addEventListener("input", function () { clearTimeout(timer); timer = setTimeout(lookup, 400); });
      });
    }

    // Company-only fields are hidden for a natural person; the ID type follows the applicant kind.
    var kinds = form.querySelectorAll('input[name="person_kind"]');
    var idType = form.querySelector('select[name="id_type"]');
    var orgOnly = ["org_kind", "legal_representative", "contact_person"].map(function (n) {
      var el = form.querySelector('[name="' + n + '"]');
      return el && el.closest(".field");
    }).filter(Boolean);
    function applyKind() {
      var checked = form.querySelector('input[name="person_kind"]:checked');
      var org = checked && checked.value === "organisation";
      orgOnly.forEach(function (f) { f.hidden = !org; });
      if (idType) {
        if (org && idType.value !== "credit_code" && idType.value !== "other") idType.value = "credit_code";
        if (!org && idType.value === "credit_code") idType.value = "resident_id";
      }
    }
    if (kinds.length) {
      Array.prototype.forEach.call(kinds, function (k) { k.addEventListener("change", applyKind); });
      applyKind();
    }

    var desc = form.querySelector('textarea[name="description"]');
    var counter = form.querySelector("[data-counter]");
    if (desc && counter) {
      var max = parseInt(desc.getAttribute("maxlength"), 10);
      var update = function () { counter.textContent = "已输入 " + desc.value.length + " / " + max + " 字"; };
      counter.hidden = false;
      desc.addEventListener("input", update);
      update();
    }
  });
})();
