// Submitting once (gongkai/core/idempotency.py): a form that carries a one-time
// token disables its submit buttons when it is sent, so a double click sends it once.
// The server is the guarantee (a repeat with the same token leads to the first
// receipt); this only spares the second request. Progressive enhancement.
(function () {
  document.addEventListener("submit", function (ev) {
    var form = ev.target;
    if (!form.querySelector || !form.querySelector('input[name="submission_token"]')) return;
    if (form.getAttribute("data-submitting")) { ev.preventDefault(); return; }
    form.setAttribute("data-submitting", "1");
    // Disable after the browser has collected the form data (a disabled button is not sent).
    window.setTimeout(function () {
      form.querySelectorAll('button[type="submit"], button:not([type]), input[type="submit"]').forEach(function (b) {
        b.disabled = true;
        b.setAttribute("aria-disabled", "true");
        if (b.tagName === "BUTTON") { b.setAttribute("data-label", b.textContent); b.textContent = "正在提交…"; }
      });
    }, 0);
  });
  // Back from the receipt with the browser's page cache: enable the buttons again.
  window.addEventListener("pageshow", function (ev) {
    if (!ev.persisted) return;
    document.querySelectorAll("form[data-submitting]").forEach(function (form) {
      form.removeAttribute("data-submitting");
      form.querySelectorAll("[aria-disabled]").forEach(function (b) {
        b.disabled = false;
        b.removeAttribute("aria-disabled");
        if (b.getAttribute("data-label")) b.textContent = b.getAttribute("data-label");
      });
    });
  });
})();
