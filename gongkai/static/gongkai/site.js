// Progressive enhancement only: every page works without this script.
// 适老化/无障碍: the server sets the classes from the gk_a11y cookie; here the
// quick switch toggles them in place (no reload), and the reading guide follows the pointer.
(function () {
  var COOKIE = "gk_a11y", PRESET = ["text", "contrast", "spacing"];
  function modes() {
    var m = document.cookie.match(/(?:^|;\s*)gk_a11y=([^;]*)/);
    return m && m[1] ? m[1].split(".") : [];
  }
  function save(list) {
    var v = list.join(".");
    document.cookie = COOKIE + "=" + v + ";path=/;SameSite=Lax;max-age=" + (v ? 31536000 : 0);
  }
  function apply(list) {
    var html = document.documentElement;
    ["text", "contrast", "spacing", "guide"].forEach(function (k) { html.classList.toggle("a11y-" + k, list.indexOf(k) >= 0); });
    document.querySelectorAll("[data-a11y-toggle]").forEach(function (a) {
      var on = list.length > 0;
      a.textContent = on ? "退出适老化模式" : "适老化模式";
      a.href = a.href.replace(/preset=(on|off)/, "preset=" + (on ? "off" : "on"));
    });
  }
  document.addEventListener("DOMContentLoaded", function () {
    // Filters fold away on a phone so the first result is visible without scrolling past them.
    if (window.matchMedia && window.matchMedia("(max-width: 800px)").matches) {
      document.querySelectorAll("details[data-collapse-on-phone]").forEach(function (d) { d.open = false; });
    }
    document.querySelectorAll("[data-a11y-toggle]").forEach(function (a) {
      a.addEventListener("click", function (ev) {
        ev.preventDefault();
        var list = modes().length ? [] : PRESET.slice();
        save(list);
        apply(list);
      });
    });
    document.querySelectorAll("[data-print]").forEach(function (b) {
      b.hidden = false;
      b.addEventListener("click", function () { window.print(); });
    });
    // A wide table that scrolls inside its box on a phone must be reachable by keyboard.
    function scrollables() {
      document.querySelectorAll("main table").forEach(function (t) {
        if (t.scrollWidth > t.clientWidth + 1) {
          if (!t.hasAttribute("tabindex")) { t.setAttribute("tabindex", "0"); t.dataset.scrollFocus = "1"; }
        } else if (t.dataset.scrollFocus) {
          t.removeAttribute("tabindex"); delete t.dataset.scrollFocus;
        }
      });
    }
    scrollables();
    window.addEventListener("resize", scrollables);
    var guide = document.createElement("div");
    guide.className = "reading-guide";
    guide.setAttribute("aria-hidden", "true");
    document.body.appendChild(guide);
    document.addEventListener("mousemove", function (ev) { guide.style.top = (ev.clientY - guide.offsetHeight / 2) + "px"; });
  });
})();
