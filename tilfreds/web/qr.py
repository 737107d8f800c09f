"""QR codes as inline SVG (qrcode's pure-Python SVG factory: no Pillow, no image files)."""

from __future__ import annotations

import re

import qrcode
from markupsafe import Markup, escape
from qrcode.image.svg import SvgPathImage

_SIZE = re.compile(r'\s(width|height)="[^"]*"')


def qr_svg(data: str, label: str) -> Markup:
    """An ``<svg>`` element for ``data``, sized by CSS, announced to screen readers as ``label``."""
    code = qrcode.QRCode(error_correction=qrcode.constants.ERROR_CORRECT_M, border=4, image_factory=SvgPathImage)
    code.add_data(data)
    code.make(fit=True)
    svg = code.make_image().to_string(encoding="unicode")
    svg = svg[svg.index("<svg") :]
    head, rest = svg.split(">", 1)
    head = _SIZE.sub("", head)
    head += f' class="qr" role="img" aria-label="{escape(label)}"'
    return Markup(f"{head}>{rest}")  # noqa: S704 - built from qrcode's own output and an escaped label
