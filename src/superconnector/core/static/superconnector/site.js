// Behaviour shared by every page, in a file rather than inline so that a
// Content-Security-Policy without 'unsafe-inline' allows it.
document.addEventListener("change", (event) => {
  // Controls marked data-autosubmit submit their form as soon as they change
  // (the language switcher; it keeps a button for browsers without JavaScript).
  const control = event.target.closest("[data-autosubmit]");
  if (control && control.form) control.form.requestSubmit();
});
