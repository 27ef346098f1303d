// Back-office behaviour, in a file rather than inline so that a Content-Security-Policy
// without 'unsafe-inline' allows it.
document.addEventListener("change", (event) => {
  // A "select all" box ticks every row box of its form (bulk publish or hide).
  const all = event.target.closest("[data-select-all]");
  if (!all || !all.form) return;
  for (const box of all.form.querySelectorAll('input[type=checkbox][name="' + all.dataset.selectAll + '"]')) {
    box.checked = all.checked;
  }
});
