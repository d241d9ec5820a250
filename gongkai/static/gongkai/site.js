// 适老化/无障碍: remembered per browser. Pages work without this script.
(function () {
  var key = "gongkai-a11y";
  function apply(on) {
    document.body.classList.toggle("a11y", on);
    document.querySelectorAll("[data-a11y-toggle]").forEach(function (b) { b.setAttribute("aria-pressed", on ? "true" : "false"); });
  }
  document.addEventListener("DOMContentLoaded", function () {
    var on = false;
    try { on = localStorage.getItem(key) === "1"; } catch (e) {}
    apply(on);
    document.querySelectorAll("[data-a11y-toggle]").forEach(function (b) {
      b.addEventListener("click", function () {
        on = !document.body.classList.contains("a11y");
        try { localStorage.setItem(key, on ? "1" : "0"); } catch (e) {}
        apply(on);
      });
    });
  });
})();
