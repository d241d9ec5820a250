/* 口径库 picker for any staff reply box outside the message pages (e.g. an application's 答复).

   Markup: <div data-answer-picker data-search-url="…answers/search.json" data-target="textarea-id"
                data-query="a first query">…a plain link to the 口径库 for pages without script…</div>
   The script moves the picker under its textarea, searches the reviewed, usable entries
   (the JSON endpoint only returns those) and inserts an answer at the cursor with one click. */
(function () {
  "use strict";

  function el(tag, attrs, text) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (key) { node.setAttribute(key, attrs[key]); });
    if (text) node.textContent = text;
    return node;
  }

  function insertAt(body, text) {
    var start = typeof body.selectionStart === "number" && document.activeElement === body
      ? body.selectionStart : body.value.length;
    var before = body.value.slice(0, start).replace(/\s+$/, "");
    var after = body.value.slice(start).replace(/^\s+/, "");
    body.value = (before ? before + "\n\n" : "") + text + (after ? "\n\n" + after : "");
    body.dispatchEvent(new Event("input", { bubbles: true }));
  }

  var count = 0;  // ids stay unique when a page has several pickers (the script may be included by each)

  function setUp(picker) {
    var target = document.getElementById(picker.getAttribute("data-target") || "");
    var url = picker.getAttribute("data-search-url");
    if (!target || !url || picker.hasAttribute("data-answer-picker-ready")) return;
    picker.setAttribute("data-answer-picker-ready", "");
    var n = count++;
    var field = target.closest(".field") || target.parentNode;
    field.parentNode.insertBefore(picker, field.nextSibling);
    picker.textContent = "";
    picker.classList.add("answer-picker");
    var inputId = "answer-picker-q-" + n;
    var heading = el("p", { id: "answer-picker-h-" + n }, "从口径库插入已审核的答复口径");
    var row = el("div", { "class": "field" });
    var label = el("label", { "for": inputId }, "检索口径");
    var input = el("input", { id: inputId, type: "search", maxlength: "100", "data-answer-query": "" });
    input.value = picker.getAttribute("data-query") || "";
    var button = el("button", { type: "button", "class": "secondary", "data-answer-search": "" }, "检索口径库");
    var status = el("p", { role: "status", "class": "muted", "aria-live": "polite" });
    var list = el("ul", { "class": "list", "aria-labelledby": "answer-picker-h-" + n });
    row.appendChild(label);
    row.appendChild(input);
    row.appendChild(button);
    picker.appendChild(heading);
    picker.appendChild(row);
    picker.appendChild(status);
    picker.appendChild(list);

    function show(results) {
      list.textContent = "";
      status.textContent = results.length ? "找到 " + results.length + " 条已审核口径。" : "口径库中没有找到相关的已审核口径。";
      results.forEach(function (a) {
        var item = el("li", { "class": "answer-pick" });
        var text = el("div");
        var title = el("p");
        title.appendChild(el("strong", {}, a.question));
        title.appendChild(document.createTextNode(" "));
        title.appendChild(el("span", { "class": "muted" }, a.organ));
        text.appendChild(title);
        text.appendChild(el("p", { "class": "muted" }, a.answer.length > 120 ? a.answer.slice(0, 119) + "…" : a.answer));
        var insert = el("button", { type: "button", "data-insert-answer": String(a.id),
                                    "aria-label": "插入口径：" + a.question }, "插入");
        insert.addEventListener("click", function () {
          insertAt(target, a.answer);
          insert.textContent = "已插入";
          insert.setAttribute("aria-label", "已插入口径：" + a.question);
          target.focus();
        });
        item.appendChild(text);
        item.appendChild(insert);
        list.appendChild(item);
      });
    }

    function search() {
      status.textContent = "正在检索……";
      var sep = url.indexOf("?") === -1 ? "?" : "&";
      fetch(url + sep + "q=" + encodeURIComponent(input.value.trim()),
            { credentials: "same-origin", headers: { Accept: "application/json" } })
        .then(function (response) {
          if (!response.ok) throw new Error(String(response.status));
          return response.json();
        })
        .then(function (data) { show(data.results || []); })
        .catch(function () { status.textContent = "暂时无法检索口径库，请稍后重试。"; });
    }

    button.addEventListener("click", search);
    input.addEventListener("keydown", function (event) {
      if (event.key === "Enter") {  // the picker sits inside the reply form: Enter searches, it does not submit
        event.preventDefault();
        search();
      }
    });
    var details = picker.closest("details");
    if (!details || details.open) {
      search();
    } else {
      details.addEventListener("toggle", function once() {
        if (!details.open) return;
        details.removeEventListener("toggle", once);
        search();
      });
    }
  }

  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("[data-answer-picker]").forEach(function (picker) { setUp(picker); });
  });
})();
