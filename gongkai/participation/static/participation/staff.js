/* Reply page: 插入 puts a 口径库 answer into the reply at the cursor and remembers the entry cited.
   Without this script the button posts the form and the server appends the answer. */
(function () {
  "use strict";
  document.addEventListener("DOMContentLoaded", function () {
    var form = document.querySelector("[data-reply-form]");
    if (!form) return;
    var body = form.querySelector("textarea[name=body]");
    var cited = form.querySelector("input[name=answers]");
    document.querySelectorAll("[data-insert-answer]").forEach(function (button) {
      button.addEventListener("click", function (event) {
        event.preventDefault();
        var text = button.getAttribute("data-answer-text") || "";
        var start = body.selectionStart || body.value.length;
        var before = body.value.slice(0, start).replace(/\s+$/, "");
        var after = body.value.slice(start);
        body.value = (before ? before + "\n\n" : "") + text + (after ? "\n\n" + after.replace(/^\s+/, "") : "");
        var ids = (cited.value || "").split(",").filter(Boolean);
        var id = button.getAttribute("data-insert-answer");
        if (ids.indexOf(id) === -1) ids.push(id);
        cited.value = ids.join(",");
        button.textContent = "已插入";
        button.setAttribute("aria-label", (button.getAttribute("aria-label") || "").replace(/^插入/, "已插入"));
        body.focus();
      });
    });
  });
})();
