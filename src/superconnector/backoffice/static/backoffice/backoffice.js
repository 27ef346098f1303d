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

// Badge scanning with the phone's camera, where the browser can read QR codes itself
// (the BarcodeDetector API: Chrome on Android, among others). Nothing is downloaded; on
// other browsers the button stays hidden and a USB scanner or typing works as before.
(() => {
  const button = document.querySelector("[data-scan-badge]");
  if (!button || !("BarcodeDetector" in window) || !navigator.mediaDevices) return;
  const input = document.getElementById(button.dataset.scanBadge);
  const video = document.createElement("video");
  video.setAttribute("playsinline", "");
  video.className = "scan-video";
  button.hidden = false;
  button.addEventListener("click", async () => {
    const detector = new BarcodeDetector({ formats: ["qr_code"] });
    const stream = await navigator.mediaDevices.getUserMedia({ video: { facingMode: "environment" } });
    video.srcObject = stream;
    button.after(video);
    await video.play();
    const look = async () => {
      const codes = await detector.detect(video).catch(() => []);
      if (codes.length) {
        stream.getTracks().forEach((track) => track.stop());
        video.remove();
        input.value = codes[0].rawValue;
        input.dispatchEvent(new Event("search", { bubbles: true }));
        input.form.requestSubmit();
        return;
      }
      requestAnimationFrame(look);
    };
    look();
  });
})();
