/* The report edit page: a button puts the platform's fee sentence into section 六. */
document.addEventListener("click", (event) => {
  const button = event.target.closest("button[data-insert]");
  if (!button) return;
  const text = document.getElementById(button.dataset.insert).textContent.trim();
  const area = document.getElementById(button.dataset.into);
  if (!text || !area || area.value.includes(text)) return;
  area.value = area.value.trim() ? area.value.replace(/\s+$/, "") + "\n" + text : text;
  area.focus();
});
