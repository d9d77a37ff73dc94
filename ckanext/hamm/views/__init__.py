"""Blueprints of ckanext-hamm, one module per area, collected here."""
from __future__ import annotations

from ckanext.hamm.views.inventory import hamm_inventar
from ckanext.hamm.views.inventory_sheet import hamm_inventar_sheet

from .csrf import hamm_csrf
from .datarequest import hamm_datarequest
from .delivery import hamm_delivery
from .guard import hamm_guard
from .headers import hamm_headers
from .kennzahlen import hamm_kennzahlen
from .legal import hamm_legal
from .links import hamm_links
from .page_cache import hamm_page_cache
from .pages import hamm_pages
from .report import hamm_report
from .reuse import hamm_reuse
from .usage import hamm_usage
from .vocabulary import hamm_vocabulary

__all__: list[str] = ["hamm_guard", "hamm_csrf", "hamm_headers"]
__all__ += ["hamm_pages", "hamm_report"]
__all__ += ["hamm_vocabulary"]
__all__ += ["hamm_datarequest", "hamm_kennzahlen"]
__all__ += ["hamm_legal"]
__all__ += ["hamm_page_cache"]
__all__ += ["hamm_delivery"]
__all__ += ["hamm_links"]
__all__ += ["hamm_inventar"]
__all__ += ["hamm_inventar_sheet"]
__all__ += ["hamm_reuse", "hamm_usage"]
