// Portal behaviour, in a file so that a Content-Security-Policy without 'unsafe-inline'
// allows it: print buttons and confirmations before destructive actions.
document.addEventListener("click", (event) => {
  if (event.target.closest("[data-print]")) {
    window.print();
    return;
  }
  const confirmable = event.target.closest("[data-confirm]");
  if (confirmable && !window.confirm(confirmable.dataset.confirm)) event.preventDefault();
});
