"""QR codes as inline SVG markup, drawn on the server with reportlab's encoder.

No script and no external image: the Content-Security-Policy allows neither inline
script nor other hosts, and a secret must not be sent to a third-party QR service.
"""

from __future__ import annotations

from django.utils.html import format_html
from django.utils.safestring import SafeString
from reportlab.graphics.barcode.qrencoder import QRCode, QRErrorCorrectLevel

QUIET_ZONE = 4  # modules of white around the code, as the QR standard asks


def qr_svg(data: str, *, label: str) -> SafeString:
    """An <svg> drawing the QR code of `data`; `label` is its accessible name.

    One path of dark runs, with presentation attributes only (a style attribute would be
    blocked by the CSP), sized by the page's CSS through the viewBox.
    """
    qr = QRCode(None, QRErrorCorrectLevel.M)  # version None: the smallest that fits
    qr.addData(data)
    qr.make()
    count = qr.getModuleCount()
    runs = []
    for row in range(count):
        col = 0
        while col < count:
            if not qr.isDark(row, col):
                col += 1
                continue
            start = col
            while col < count and qr.isDark(row, col):
                col += 1
            runs.append(f"M{start + QUIET_ZONE} {row + QUIET_ZONE}h{col - start}v1h-{col - start}z")
    size = count + 2 * QUIET_ZONE
    return format_html(
        '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {size} {size}" '
        'width="{px}" height="{px}" role="img" aria-label="{label}" '
        'shape-rendering="crispEdges" class="qr">'
        '<rect width="{size}" height="{size}" fill="#fff"/>'
        '<path fill="#000" d="{path}"/></svg>',
        size=size,
        px=size * 5,
        label=label,
        path="".join(runs),
    )
